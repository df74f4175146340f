#!/bin/sh
# exporter-ctl.sh -- start or stop the tcpstats-exporter that a live run
# hands to the bench, stats, dtrace and dos tests (CTest fixture
# `tcpstats_exporter').
#
# usage: exporter-ctl.sh start|stop <exporter> <device> <addr:port> <state dir>
#
# start: waits (10 s at most) for the provider's device, runs the exporter
#        in the background (log and pid in <state dir>) and waits (10 s at
#        most) until it listens.  The tests scrape it; a failing scrape is
#        logged by them, never fatal.
# stop:  SIGTERM, waits (10 s at most), prints the log.
#
# Exit status: 0 done, 1 failed, 77 cannot run here (not root, no device).

SKIP=77

die() {
	echo "exporter-ctl: $*" >&2
	exit 1
}

[ $# -eq 5 ] || die "usage: exporter-ctl.sh start|stop <exporter> <device> <addr:port> <state dir>"
cmd=$1
bin=$2
dev=$3
addr=$4
state=$5
pidfile=$state/exporter.pid
log=$state/exporter.log
port=${addr##*:}

listening() {
	# /proc/net/tcp: local address and port in hex, state 0A = LISTEN.
	hex=$(printf '%04X' "$port")
	grep -q ":$hex 00000000:0000 0A" /proc/net/tcp 2>/dev/null
}

start() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: the live exporter needs root (live tests run as root)"
		exit $SKIP
	fi
	[ -x "$bin" ] || die "$bin: not built"
	mkdir -p "$state" || die "cannot create $state"
	if [ -f "$pidfile" ]; then
		kill -TERM "$(cat "$pidfile")" 2>/dev/null
		sleep 0.5
		rm -f "$pidfile"
	fi
	i=0
	while [ ! -e "$dev" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -e "$dev" ]; then
		echo "SKIP: no provider device at $dev"
		exit $SKIP
	fi
	"$bin" -l "$addr" -d "$dev" </dev/null >"$log" 2>&1 &
	echo $! >"$pidfile"
	i=0
	while [ $i -lt 100 ]; do
		if listening; then
			echo "tcpstats-exporter running (pid $(cat "$pidfile")) on $addr, device $dev"
			exit 0
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			cat "$log" >&2
			rm -f "$pidfile"
			die "the exporter exited at start"
		fi
		sleep 0.1
		i=$((i + 1))
	done
	cat "$log" >&2
	die "the exporter does not listen on $addr after 10 s"
}

stop() {
	if [ ! -f "$pidfile" ]; then
		echo "SKIP: no exporter was started (no $pidfile)"
		exit $SKIP
	fi
	pid=$(cat "$pidfile")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$pidfile"
	echo "--- tcpstats-exporter log ---"
	cat "$log"
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		die "the exporter (pid $pid) did not stop on SIGTERM"
	fi
	echo "tcpstats-exporter stopped"
}

case $cmd in
start)	start ;;
stop)	stop ;;
*)	die "unknown command '$cmd' (start or stop)" ;;
esac
