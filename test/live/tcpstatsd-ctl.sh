#!/bin/sh
# tcpstatsd-ctl.sh -- start or stop tcpstatsd on a private mountpoint for
# the live tests (the CTest fixture `tcpstatsd').
#
# usage: tcpstatsd-ctl.sh start|stop <tcpstatsd> <mountpoint> <state dir>
#
# start: runs `tcpstatsd -f -m <mountpoint>' in the background, output in
#        <state dir>/tcpstatsd.log, pid in <state dir>/tcpstatsd.pid, and
#        waits (10 s at most) until <mountpoint>/tcpstats exists.
# stop:  SIGTERM, waits (20 s at most) for the daemon to unmount and exit,
#        prints its log; fails if valgrind or a sanitizer reported errors.
# TCPSTATSD_WRAPPER, if set, is put in front of the daemon (for example
# "valgrind --leak-check=full --error-exitcode=99"); TCPSTATSD_FLAGS, if
# set, is added to its options (for example "-P": no kernel-side filtering).
#
# Exit status: 0 done, 1 failed, 77 cannot run here (not root, no FUSE).

SKIP=77

die() {
	echo "tcpstatsd-ctl: $*" >&2
	exit 1
}

[ $# -eq 4 ] || die "usage: tcpstatsd-ctl.sh start|stop <tcpstatsd> <mountpoint> <state dir>"
cmd=$1
bin=$2
mnt=$3
state=$4
pidfile=$state/tcpstatsd.pid
log=$state/tcpstatsd.log

is_mounted() {
	grep -q " $1 " /proc/self/mountinfo
}

start() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: tcpstatsd needs root (live tests run as root)"
		exit $SKIP
	fi
	if [ ! -c /dev/fuse ]; then
		echo "SKIP: /dev/fuse is missing (modprobe fuse)"
		exit $SKIP
	fi
	[ -x "$bin" ] || die "$bin: not built"
	mkdir -p "$mnt" "$state" || die "cannot create $mnt or $state"
	# A daemon left over from an interrupted run holds the mount.
	if [ -f "$pidfile" ]; then
		old=$(cat "$pidfile")
		kill -TERM "$old" 2>/dev/null
		sleep 1
		rm -f "$pidfile"
	fi
	if is_mounted "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" ||
		    die "$mnt is still mounted"
	fi
	# shellcheck disable=SC2086 # the wrapper is a command with arguments
	${TCPSTATSD_WRAPPER:-} "$bin" -f ${TCPSTATSD_FLAGS:-} -m "$mnt" </dev/null >"$log" 2>&1 &
	echo $! >"$pidfile"
	i=0
	while [ $i -lt 100 ]; do
		if [ -e "$mnt/tcpstats" ]; then
			echo "tcpstatsd running (pid $(cat "$pidfile")), device $mnt/tcpstats"
			exit 0
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			cat "$log" >&2
			die "tcpstatsd exited before the device appeared"
		fi
		sleep 0.1
		i=$((i + 1))
	done
	cat "$log" >&2
	die "$mnt/tcpstats did not appear within 10 s"
}

stop() {
	if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ]; then
		echo "SKIP: no tcpstatsd was started (not root or no /dev/fuse)"
		exit $SKIP
	fi
	if [ ! -f "$pidfile" ]; then
		echo "SKIP: no tcpstatsd was started (no $pidfile)"
		exit $SKIP
	fi
	pid=$(cat "$pidfile")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$pidfile"
	echo "--- tcpstatsd log ---"
	cat "$log"
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		umount -l "$mnt" 2>/dev/null
		die "tcpstatsd (pid $pid) did not stop on SIGTERM"
	fi
	if is_mounted "$mnt"; then
		umount -l "$mnt" 2>/dev/null
		die "tcpstatsd exited but left $mnt mounted"
	fi
	# Under valgrind or a sanitizer, a reported error fails the stop.
	if grep -q -e "ERROR SUMMARY: [1-9]" -e "ERROR: AddressSanitizer" \
	    -e "ERROR: LeakSanitizer" -e "runtime error:" "$log"; then
		die "tcpstatsd reported memory errors (log above)"
	fi
	echo "tcpstatsd stopped, $mnt unmounted"
}

case $cmd in
start)	start ;;
stop)	stop ;;
*)	die "unknown command '$cmd' (start or stop)" ;;
esac
