#!/bin/bash
# compare.sh -- tcpstats against the raw inet_diag dump and ss, on the same
# sockets, in one network namespace made for the run.
#
# usage: compare.sh [-h] [-b build dir] [-c "counts"] [-m rss count]
#                   [-o out dir] [-r rounds]
#
# For each connection count: start gen_conn in the namespace, restart
# tcpstatsd on a private mountpoint, then for -r rounds time, as whole
# processes and in a rotating order:
#   tcpstats       bench_read -s: open the device, one full snapshot
#                  (default fields, the daemon's default tunables), checked
#   tcpstats_ra0   the same with tcpstatsd's readahead tunable at 0 (set
#                  and restored outside the timing)
#   diag           diag_dump: one AF_UNSPEC dump with tcp_info, one walk of
#                  the kernel's table (the floor)
#   diag_mem       diag_dump -m: the same with INET_DIAG_SKMEMINFO, the
#                  extensions tcpstats' default fields take
#   diag2          diag_dump -2: one dump per family, two walks (as ss)
#   ss_tin         ss -tin >/dev/null
#   ss_tan         ss -tan >/dev/null
# and tcpstats, diag, ss_tin and ss_tan with a filter matching 1% of the
# sockets (local port <first listener port>; ss with its own
# `sport = :PORT').  Medians and ratios go to stdout and
# <out dir>/compare.csv, each timing to <out dir>/compare-raw.csv, daemon
# memory to <out dir>/memory.txt.  Every command must succeed and the
# tcpstats and diag figures must have seen every socket, or the run
# fails.
#
# Needs root (namespaces, FUSE).  Everything it makes (namespace, sockets,
# daemon, mountpoint) is removed on exit, whatever the exit.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
counts="1000 10000 100000"
rounds=7
rsscount=10000
out=$PWD/compare-out

die() {
	echo "compare.sh: $*" >&2
	exit 1
}

# shellcheck source=bench/read/compare-common.sh
. "$here/compare-common.sh"

usage() {
	echo "usage: compare.sh [-h] [-b build dir] [-c \"counts\"] [-m rss count] [-o out dir] [-r rounds]"
}

while getopts "b:c:hm:o:r:" ch; do
	case $ch in
	b) build=$OPTARG ;;
	c) counts=$OPTARG ;;
	h) usage; exit 0 ;;
	m) rsscount=$OPTARG ;;
	o) out=$OPTARG ;;
	r) rounds=$OPTARG ;;
	*) usage >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1'"
check_counts_rounds "$counts" "$rounds"

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, FUSE)"
# The tools live in <build>/bench/read (or <build> itself when the
# directory was included rather than added).
bin=$build/bench/read
[ -x "$bin/bench_read" ] || bin=$build
for t in gen_conn bench_read diag_dump; do
	[ -x "$bin/$t" ] || die "$build/bench/read/$t: not built (-b <build dir>)"
done
tsd=$build/src/linux/tcpstatsd
[ -x "$tsd" ] || die "$tsd: not built"
ctl=$top/test/live/tcpstatsd-ctl.sh
command -v ss >/dev/null || die "ss not found (iproute2)"
command -v nsenter >/dev/null || die "nsenter not found (util-linux)"

ns=tsbench$$
work=$(mktemp -d /tmp/tsbench.XXXXXX) || die "mktemp failed"
mnt=$work/mnt
state=$work/state
dev=$mnt/tcpstats
gen_pid=
daemon_up=0

cleanup() {
	if [ -n "$gen_pid" ]; then
		kill -TERM "$gen_pid" 2>/dev/null
		wait "$gen_pid" 2>/dev/null
	fi
	if [ "$daemon_up" -eq 1 ]; then
		sh "$ctl" stop "$tsd" "$mnt" "$state" >/dev/null 2>&1
	fi
	ip netns del "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$out" || die "cannot create $out"
ip netns add "$ns" || die "ip netns add $ns failed"
ip -n "$ns" link set lo up || die "cannot bring lo up in $ns"
inns=(nsenter "--net=/run/netns/$ns")

raw=$out/compare-raw.csv
sum=$out/compare.csv
mem=$out/memory.txt
echo "connections,command,round,ms" >"$raw"
echo "connections,tcpstats_ms,diag_ms,ss_tin_ms,ss_tan_ms,tcpstats_port_ms,diag_port_ms,ss_tin_port_ms,ss_tan_port_ms,tcpstats_over_diag,tcpstats_over_ss_tin,port_over_full,tcpstats_noreadahead_ms,diag_mem_ms,diag2_ms,tcpstats_over_diag_mem,diag_port_over_diag" >"$sum"
: >"$mem"

{
	echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -sr), $(nproc) CPUs,"\
	    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$mem"

daemon_start() {
	sh "$ctl" start "$tsd" "$mnt" "$state" >/dev/null || die "tcpstatsd did not start"
	daemon_up=1
	daemon_pid=$(cat "$state/tcpstatsd.pid")
}

daemon_stop() {
	sh "$ctl" stop "$tsd" "$mnt" "$state" >/dev/null || die "tcpstatsd did not stop cleanly"
	daemon_up=0
}


# run_timed <connections> <name> <round> <command...>
run_timed() {
	local n=$1 name=$2 round=$3 t0 t1 ms
	shift 3
	t0=$EPOCHREALTIME
	if ! "$@" >/dev/null 2>"$work/err"; then
		cat "$work/err" >&2
		die "$name at $n connections failed: $*"
	fi
	t1=$EPOCHREALTIME
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')
	echo "$n,$name,$round,$ms" >>"$raw"
}

for n in $counts; do
	echo "== $n connections"
	rm -f "$work/gen.txt"
	"$bin/gen_conn" -q -N "$ns" -n "$n" -o "$work/gen.txt" >/dev/null &
	gen_pid=$!
	gen_wait "$work/gen.txt" "$gen_pid" "$n" 120
	echo "gen_conn: $n connections up in $(gensum_key "$work/gen.txt" elapsed_ms) ms" | tee -a "$mem"

	# A fresh daemon per count: its memory is then this count's.
	daemon_start
	rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon_pid/status")
	echo "tcpstatsd VmRSS at start: $rss0 KiB" >>"$mem"
	"${inns[@]}" "$bin/bench_read" -q -d "$dev" -g "$work/gen.txt" \
	    -w memory -m "$daemon_pid" | tee -a "$mem" || die "memory workload failed"

	cmds=(tcpstats tcpstats_ra0 diag diag_mem diag2 ss_tin ss_tan
	    tcpstats_port diag_port ss_tin_port ss_tan_port)
	for ((r = 0; r < rounds; r++)); do
		for ((k = 0; k < ${#cmds[@]}; k++)); do
			c=${cmds[$(((k + r) % ${#cmds[@]}))]}
			case $c in
			tcpstats) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/bench_read" -q -s -d "$dev" -e "$sockets" ;;
			tcpstats_ra0)
				ra0=$(cat "$mnt/sysctl/readahead") ||
				    die "cannot read the readahead tunable"
				echo 0 >"$mnt/sysctl/readahead" ||
				    die "cannot turn readahead off"
				run_timed "$n" "$c" "$r" "${inns[@]}" \
				    "$bin/bench_read" -q -s -d "$dev" \
				    -e "$sockets"
				echo "$ra0" >"$mnt/sysctl/readahead" ||
				    die "cannot restore readahead" ;;
			diag) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/diag_dump" -q -e "$sockets" ;;
			diag_mem) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/diag_dump" -q -m -e "$sockets" ;;
			diag2) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/diag_dump" -q -2 -e "$sockets" ;;
			ss_tin) run_timed "$n" "$c" "$r" "${inns[@]}" ss -tin ;;
			ss_tan) run_timed "$n" "$c" "$r" "${inns[@]}" ss -tan ;;
			tcpstats_port) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/bench_read" -q -s -d "$dev" \
			    -f "local_port=$port" -e "$psel" ;;
			diag_port) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    "$bin/diag_dump" -q -p "$port" -e "$psel" ;;
			ss_tin_port) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    ss -tin "sport = :$port" ;;
			ss_tan_port) run_timed "$n" "$c" "$r" "${inns[@]}" \
			    ss -tan "sport = :$port" ;;
			esac
		done
	done

	declare -A med
	for c in "${cmds[@]}"; do
		med[$c]=$(awk -F, -v n="$n" -v c="$c" '$1 == n && $2 == c { print $4 }' "$raw" | median)
	done
	awk -v n="$n" -v a="${med[tcpstats]}" -v b="${med[diag]}" \
	    -v c="${med[ss_tin]}" -v d="${med[ss_tan]}" \
	    -v e="${med[tcpstats_port]}" -v f="${med[diag_port]}" \
	    -v g="${med[ss_tin_port]}" -v h="${med[ss_tan_port]}" \
	    -v i="${med[tcpstats_ra0]}" -v j="${med[diag_mem]}" \
	    -v k="${med[diag2]}" 'BEGIN {
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%.3f,%.3f,%.3f,%s,%s,%s,%.3f,%.3f\n",
		    n, a, b, c, d, e, f, g, h, a / b, a / c, e / a, i, j, k,
		    a / j, f / b }' >>"$sum"
	awk -F, -v n="$n" '$1 == n {
	    printf "median ms: tcpstats %s (readahead off %s)  diag_dump %s (-m %s, -2 %s)  ss -tin %s  ss -tan %s\n", $2, $13, $3, $14, $15, $4, $5;
	    printf "1%% port:   tcpstats %s  diag_dump %s  ss -tin %s  ss -tan %s\n", $6, $7, $8, $9;
	    printf "ratios:    tcpstats/diag_dump %s (/diag_dump -m %s)  tcpstats/ss -tin %s  filtered/full %s (diag_dump %s)\n", $10, $16, $11, $12, $17 }' "$sum"

	# Flat RSS across 1,000 snapshots, at one chosen count.
	if [ "$n" = "$rsscount" ]; then
		"${inns[@]}" "$bin/bench_read" -q -d "$dev" \
		    -e "$sockets" -n 1000 -m "$daemon_pid" | tee -a "$mem" ||
		    die "1,000-snapshot run failed"
	fi

	daemon_stop
	kill -TERM "$gen_pid"
	wait "$gen_pid" || die "gen_conn did not exit cleanly"
	gen_pid=
done
echo "wrote $sum, $raw, $mem"
