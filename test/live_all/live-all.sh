#!/bin/sh
# live-all.sh -- live_all: the live targets in order, as one run.
#
# usage: live-all.sh <ctest> <build dir>
#
# 1. live_smoke: the provider is started (tcpstatsd fixture), checked and
#    stopped.
# 2. live_bench, live_stats, live_dtrace, live_dos: a fresh provider, and
#    the exporter started after it (tcpstats_exporter fixture).
# 3. every other live test (integration categories A-I, the cases, the
#    exporter's and the device files' live tests) on a fresh provider.
# Each phase is its own ctest run, so the provider is restarted between
# them.  Exit status: 0 if every phase passed, 1 otherwise; the summary
# names each phase's result.

set -u

[ $# -eq 2 ] || { echo "usage: live-all.sh <ctest> <build dir>" >&2; exit 2; }
ctest=$1
build=$2
status=0

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: live_all runs the live suite, which needs root"
	exit 77
fi
if grep -q " $build/mnt " /proc/self/mountinfo 2>/dev/null; then
	echo "SKIP: a provider is already mounted on $build/mnt (an enclosing" \
	    "run's fixture); run live_all on its own: ctest -L live_all"
	exit 77
fi
summary=

phase() {
	name=$1
	shift
	echo "==== live_all: $name"
	if "$ctest" --test-dir "$build" --output-on-failure "$@"; then
		summary="$summary
  $name: passed"
	else
		summary="$summary
  $name: FAILED"
		status=1
	fi
}

phase smoke -L live_smoke
phase "bench, stats, dtrace, dos" -L 'live_(bench|stats|dtrace|dos)'
phase "integration and the rest" -j2 -L live \
    -LE 'live_(smoke|bench|stats|dtrace|dos|all)'

echo "==== live_all summary:$summary"
exit "$status"
