# plot.gp -- snapshot time against connection count, from compare.sh's CSV
#
# usage: gnuplot -e "csv='compare.csv'; png='snapshot-time.png'" plot.gp
# Columns (compare.csv): 1 connections, 2 tcpstats_ms, 3 diag_ms,
# 4 ss_tin_ms, 5 ss_tan_ms, 6 tcpstats_port_ms, 7 diag_port_ms,
# 8 ss_tin_port_ms, 9 ss_tan_port_ms, 10-12 ratios, 13 tcpstats_noreadahead_ms,
# 14 diag_mem_ms, 15 diag2_ms, 16-17 ratios.

if (!exists("csv")) csv = 'compare.csv'
if (!exists("png")) png = 'snapshot-time.png'

set terminal pngcairo size 960,640 font ",11"
set output png
set datafile separator ","
set key top left box opaque
set grid xtics ytics mxtics mytics
set logscale xy
set xrange [500:200000]
set yrange [2:*]
set xlabel "connections held (sockets = 2 x connections + 50 listeners)"
set ylabel "median wall time per whole process (ms)"
set title "One snapshot of every TCP socket (median of the rounds)"
set format x "%.0f"

plot csv using 1:2 skip 1 with linespoints lw 2 pt 7 title "tcpstats (tcpstatsd)", \
     csv using 1:13 skip 1 with linespoints lw 1 pt 6 title "tcpstats, readahead off", \
     csv using 1:3 skip 1 with linespoints lw 2 pt 5 title "raw inet\\_diag dump, one walk (diag\\_dump)", \
     csv using 1:15 skip 1 with linespoints lw 1 pt 4 title "raw dump per family, two walks (diag\\_dump -2)", \
     csv using 1:4 skip 1 with linespoints lw 2 pt 9 title "ss -tin", \
     csv using 1:5 skip 1 with linespoints lw 2 pt 11 title "ss -tan", \
     csv using 1:6 skip 1 with linespoints lw 2 dt 2 pt 7 title "tcpstats, 1% port filter", \
     csv using 1:7 skip 1 with linespoints lw 1 dt 2 pt 5 title "diag\\_dump, 1% port filter"
