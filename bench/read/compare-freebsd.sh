#!/bin/sh
# compare-freebsd.sh -- the tcpstats module against the pcblist floor,
# netstat and sockstat, on the same sockets, in one VNET jail made for the
# run.
#
# usage: compare-freebsd.sh [-hx] [-b tools dir] [-c "counts"] [-o out dir]
#                           [-r rounds]
#
# For each connection count: start gen_conn in the jail, then for -r
# rounds time, as whole processes and in a rotating order:
#   tcpstats       bench_read -s: open /dev/tcpstats, one full snapshot
#                  (default fields), checked
#   pcblist        pcblist_dump: sysctl net.inet.tcp.pcblist, the list
#                  netstat and sockstat read (the floor)
#   netstat        netstat -an -p tcp >/dev/null
#   sockstat       sockstat -46 -P tcp >/dev/null
# and tcpstats, pcblist and sockstat with a filter matching 1% of the
# sockets (local port <first listener port>: the module filters in the
# kernel, pcblist_dump and sockstat -p after reading the whole list).
# -x leaves sockstat out: it also reads every process's descriptors and
# takes minutes at 10,000 connections under emulation (nan in the CSV).
# Times come from time(1) -p (10 ms steps).  Medians and ratios go to
# stdout and <out dir>/compare-freebsd.csv, each timing to
# <out dir>/compare-freebsd-raw.csv, the module's memory to
# <out dir>/memory-freebsd.txt.  Every command must succeed and the
# tcpstats and pcblist figures must have seen every socket, or the run
# fails.
#
# Needs root, a kernel with VIMAGE, and the module loaded (kldload
# tcpstats.ko).  The jail (and its sockets) is removed on exit, whatever
# the exit; the tunables raised for the run are put back.

set -u

here=$(cd "$(dirname "$0")" && pwd)
bin=
counts="1000 10000"
rounds=5
out=$PWD/compare-out
sockstat=1

die() {
	echo "compare-freebsd.sh: $*" >&2
	exit 1
}

# shellcheck source=bench/read/compare-common.sh
. "$here/compare-common.sh"

usage() {
	echo "usage: compare-freebsd.sh [-hx] [-b tools dir] [-c \"counts\"] [-o out dir] [-r rounds]"
}

while getopts "b:c:ho:r:x" ch; do
	case $ch in
	b) bin=$OPTARG ;;
	c) counts=$OPTARG ;;
	h) usage; exit 0 ;;
	o) out=$OPTARG ;;
	r) rounds=$OPTARG ;;
	x) sockstat=0 ;;
	*) usage >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1'"
check_counts_rounds "$counts" "$rounds"

[ "$(uname -s)" = FreeBSD ] || die "FreeBSD only (Linux: compare.sh)"
[ "$(id -u)" -eq 0 ] || die "needs root (jail, /dev/tcpstats, sysctl)"
# The tools: -b, else a CMake build tree beside the sources.
if [ -z "$bin" ]; then
	bin=$here/../../build/bench/read
fi
for t in gen_conn bench_read pcblist_dump; do
	[ -x "$bin/$t" ] || die "$bin/$t: not built (-b <dir with the tools>)"
done
bin=$(cd "$bin" && pwd)
[ -c /dev/tcpstats ] || die "/dev/tcpstats is missing (kldload tcpstats.ko)"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] ||
    die "the kernel has no VIMAGE: a VNET jail cannot be made"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing"

jail=tsbench$$
work=$(mktemp -d /tmp/tsbench.XXXXXX) || die "mktemp failed"
gen_pid=
saved=

# sysctl_raise <name> <value>: raise a tunable, remember the old value.
sysctl_raise() {
	old=$(sysctl -n "$1") || die "sysctl $1: not found"
	if [ "$old" -lt "$2" ]; then
		sysctl "$1=$2" >/dev/null || die "cannot set $1=$2"
		saved="$saved $1=$old"
	fi
}

cleanup() {
	if [ -n "$gen_pid" ]; then
		kill -TERM "$gen_pid" 2>/dev/null
		wait "$gen_pid" 2>/dev/null
	fi
	jail -r "$jail" 2>/dev/null
	for kv in $saved; do
		sysctl "$kv" >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$out" || die "cannot create $out"
# Two descriptors and sockets per connection, and accept queues that take
# a batch.  (kern.ipc.maxsockets can only grow: it stays raised.)
sysctl_raise kern.maxfiles 1100000
sysctl_raise kern.maxfilesperproc 1000000
sysctl_raise kern.ipc.maxsockets 1000000
sysctl_raise kern.ipc.soacceptqueue 16384

jail -c name="$jail" path=/ vnet persist host.hostname="$jail" \
    allow.raw_sockets >/dev/null || die "jail -c $jail (vnet) failed"
jexec "$jail" ifconfig lo0 inet 127.0.0.1/8 up || die "cannot configure lo0 in $jail"
jexec "$jail" ifconfig lo0 inet6 ::1/128 || die "cannot give lo0 ::1 in $jail"

raw=$out/compare-freebsd-raw.csv
sum=$out/compare-freebsd.csv
mem=$out/memory-freebsd.txt
echo "connections,command,round,ms" >"$raw"
echo "connections,tcpstats_ms,pcblist_ms,netstat_ms,sockstat_ms,tcpstats_port_ms,pcblist_port_ms,sockstat_port_ms,tcpstats_over_pcblist,tcpstats_over_netstat,port_over_full" >"$sum"
: >"$mem"

{
	echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -sr), $(sysctl -n hw.ncpu) CPUs, $(sysctl -n hw.model)"
	echo "# load average at start: $(sysctl -n vm.loadavg)"
} | tee -a "$mem"


# run_timed <connections> <name> <round> <command...>: time(1) -p writes
# "real <seconds>" to the file given by -o.
run_timed() {
	n=$1 name=$2 round=$3
	shift 3
	if ! /usr/bin/time -p -o "$work/time" "$@" >/dev/null 2>"$work/err"; then
		cat "$work/err" >&2
		die "$name at $n connections failed: $*"
	fi
	ms=$(awk '$1 == "real" { printf "%.3f", $2 * 1000 }' "$work/time")
	[ -n "$ms" ] || die "$name: time(1) gave no real time"
	echo "$n,$name,$round,$ms" >>"$raw"
}

all_cmds="tcpstats pcblist netstat sockstat tcpstats_port pcblist_port sockstat_port"
if [ "$sockstat" = 1 ]; then
	cmds=$all_cmds
else
	cmds="tcpstats pcblist netstat tcpstats_port pcblist_port"
fi
ncmds=$(echo "$cmds" | wc -w)

for n in $counts; do
	echo "== $n connections"
	rm -f "$work/gen.txt"
	jexec "$jail" "$bin/gen_conn" -q -n "$n" -o "$work/gen.txt" >/dev/null &
	gen_pid=$!
	gen_wait "$work/gen.txt" "$gen_pid" "$n" 600
	echo "gen_conn: $n connections up in $(gensum_key "$work/gen.txt" elapsed_ms) ms" | tee -a "$mem"
	jexec "$jail" "$bin/bench_read" -q -g "$work/gen.txt" -w memory -m module \
	    >"$work/memory" || { cat "$work/memory"; die "memory workload failed"; }
	tee -a "$mem" <"$work/memory"

	r=0
	while [ "$r" -lt "$rounds" ]; do
		k=0
		while [ "$k" -lt "$ncmds" ]; do
			idx=$(((k + r) % ncmds + 1))
			c=$(echo "$cmds" | awk -v i="$idx" '{ print $i }')
			case $c in
			tcpstats) run_timed "$n" "$c" "$r" jexec "$jail" \
			    "$bin/bench_read" -q -s -e "$sockets" ;;
			pcblist) run_timed "$n" "$c" "$r" jexec "$jail" \
			    "$bin/pcblist_dump" -q -e "$sockets" ;;
			netstat) run_timed "$n" "$c" "$r" jexec "$jail" \
			    netstat -an -p tcp ;;
			sockstat) run_timed "$n" "$c" "$r" jexec "$jail" \
			    sockstat -46 -P tcp ;;
			tcpstats_port) run_timed "$n" "$c" "$r" jexec "$jail" \
			    "$bin/bench_read" -q -s -f "local_port=$port" \
			    -e "$psel" ;;
			pcblist_port) run_timed "$n" "$c" "$r" jexec "$jail" \
			    "$bin/pcblist_dump" -q -p "$port" -e "$psel" ;;
			sockstat_port) run_timed "$n" "$c" "$r" jexec "$jail" \
			    sockstat -46 -P tcp -p "$port" ;;
			esac
			k=$((k + 1))
		done
		r=$((r + 1))
	done

	line=$n
	for c in $all_cmds; do
		m=$(awk -F, -v n="$n" -v c="$c" '$1 == n && $2 == c { print $4 }' "$raw" | median)
		line="$line,$m"
	done
	echo "$line" | awk -F, '{
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%.3f,%.3f,%.3f\n", $1, $2, $3,
		    $4, $5, $6, $7, $8, $2 / $3, $2 / $4, $6 / $2 }' >>"$sum"
	awk -F, -v n="$n" '$1 == n {
	    printf "median ms: tcpstats %s  pcblist_dump %s  netstat -an %s  sockstat %s\n", $2, $3, $4, $5;
	    printf "1%% port:   tcpstats %s  pcblist_dump %s  sockstat -p %s\n", $6, $7, $8;
	    printf "ratios:    tcpstats/pcblist_dump %s  tcpstats/netstat %s  filtered/full %s\n", $9, $10, $11 }' "$sum"

	kill -TERM "$gen_pid"
	wait "$gen_pid" || die "gen_conn did not exit cleanly"
	gen_pid=
done
echo "wrote $sum, $raw, $mem"
