# plot.gp -- snapshot time against connection count, from compare.sh's CSV
#
# usage: gnuplot -e "csv='compare.csv'; png='snapshot-time.png'" plot.gp
# Columns (compare.csv): connections, tcpstats_ms, diag_ms, ss_tin_ms,
# ss_tan_ms, tcpstats_port_ms, diag_port_ms, ss_tin_port_ms, ss_tan_port_ms.

if (!exists("csv")) csv = 'compare.csv'
if (!exists("png")) png = 'snapshot-time.png'

set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set key top left box opaque
set grid xtics ytics mxtics mytics
set logscale xy
set xrange [500:200000]
set xlabel "connections held (sockets = 2 x connections + 50 listeners)"
set ylabel "median wall time per whole process (ms)"
set title "One full snapshot of every TCP socket (median of the rounds)"
set format x "%.0f"

plot csv using 1:2 skip 1 with linespoints lw 2 pt 7 title "tcpstats (tcpstatsd, full)", \
     csv using 1:3 skip 1 with linespoints lw 2 pt 5 title "raw inet\\_diag dump (diag\\_dump)", \
     csv using 1:4 skip 1 with linespoints lw 2 pt 9 title "ss -tin", \
     csv using 1:5 skip 1 with linespoints lw 2 pt 11 title "ss -tan", \
     csv using 1:6 skip 1 with linespoints lw 2 dt 2 pt 6 title "tcpstats, 1% port filter", \
     csv using 1:8 skip 1 with linespoints lw 2 dt 2 pt 8 title "ss -tin, 1% port filter"
