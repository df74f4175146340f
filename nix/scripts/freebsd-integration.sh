#!/usr/bin/env bash
# freebsd-integration.sh -- run the tcpstats CTest suite on FreeBSD VMs over SSH
#
# For every VM, in parallel, output prefixed with [<vm>]:
#   reach     ssh answers at all (BatchMode: no password prompts)
#   bootstrap rsync, cmake and ninja present, FREEBSD_DIR exists
#   sync      rsync of the source tree (no .git, build dirs or results)
#   setup     cmake -P cmake/setup.cmake (installs what is missing)
#   build     cmake configure + build
#   kmod      (live targets) build the module, unload any loaded copy,
#             load the new one, raise the open-file limits
#   ctest     ctest -L <label> with JUnit output
#             (target compare: bench/read/compare-freebsd.sh instead)
#   collect   JUnit XML and the CTest log copied to ./test-output/<vm>/
#             (compare: the CSV files and the memory figures)
#   unload    (live targets) kldunload, even when ctest failed
# then one summary line per VM; the exit status is 0 only if every VM passed.
#
# Configuration is read from the environment. The Nix wrapper sets
# TCPSTATS_VMS and the defaults from nix/constants.nix; run directly, every
# TCPSTATS_* setting below must be given. docs/nix-runner.md lists them all.

set -euo pipefail

prog=${TCPSTATS_PROG:-freebsd-integration}

usage()
{
	cat <<EOF
usage: $prog [CATEGORY[,CATEGORY...]...]

Runs ctest on FreeBSD VMs over SSH; CATEGORY is a letter A-I and selects the
live_integration tests labelled cat_<letter>.

environment:
  INTEGRATION_TARGET    what to run (default $default_target_text):
                        live_integration, live_smoke, live_bench, live_stats,
                        live_dtrace, live_dos, live_all (label live),
                        all (label compile), pkg_setup (set-up only),
                        compare (the read-path comparison,
                        bench/read/compare-freebsd.sh), or one of unit,
                        memcheck, asan, ubsan, bench, callgrind, fuzz, kmod
  COMPARE_COUNTS        connection counts for compare (default
                        "1000 10000 100000")
  COMPARE_ROUNDS        rounds per count for compare (default 5)
  FREEBSD_HOST          ssh target replacing the configured one(s)
  FREEBSD_DIR           directory on the VM (default $default_dir_text)
  TCPSTATS_KEEP_LOADED  1: leave the module loaded after the run
  TCPSTATS_OUTPUT_DIR   where results go (default ./test-output)
EOF
}

# Usage errors exit 2 before any host is contacted.
die()
{
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 2
}

# Quote one word for the remote /bin/sh.
shq()
{
	local s=$1

	printf "'%s'" "${s//\'/\'\\\'\'}"
}

# Copy stdin to stdout with every line prefixed by "[<vm>] ".
prefix_lines()
{
	local line

	while IFS= read -r line || [ -n "$line" ]; do
		printf '[%s] %s\n' "$1" "$line"
	done
}

require_number()
{
	case ${!1:-} in
	'' | *[!0-9]*)
		die "$1 must be a whole number of seconds or a count (got '${!1:-}')"
		;;
	esac
}

# ---- configuration ----------------------------------------------------

default_target_text=${TCPSTATS_DEFAULT_TARGET:-live_integration}
default_dir_text=${TCPSTATS_DEFAULT_DIR:-/root/tcpstats}

for arg in "$@"; do
	case $arg in
	-h | --help)
		usage
		exit 0
		;;
	-*)
		usage >&2
		die "unknown option '$arg'"
		;;
	esac
done

target=${INTEGRATION_TARGET:-${TCPSTATS_DEFAULT_TARGET:-}}
[ -n "$target" ] || die "INTEGRATION_TARGET is unset and no default is configured"
dir=${FREEBSD_DIR:-${TCPSTATS_DEFAULT_DIR:-}}
[ -n "$dir" ] || die "FREEBSD_DIR is unset and no default is configured"
case $dir in
/*) ;;
*) die "FREEBSD_DIR must be an absolute path (got '$dir')" ;;
esac
case $dir in
*[!A-Za-z0-9/._-]*)
	die "FREEBSD_DIR may hold only letters, digits and / . _ - (got '$dir')"
	;;
esac
[ "$dir" != / ] || die "FREEBSD_DIR must not be / (rsync --delete runs there)"

build_dir=${TCPSTATS_BUILD_DIR:-}
[ -n "$build_dir" ] || die "TCPSTATS_BUILD_DIR is unset (the Nix wrapper sets it)"
vms=${TCPSTATS_VMS:-}
[ -n "$vms" ] || die "TCPSTATS_VMS is unset: run through 'nix run .#integration-test-freebsd' or set it to 'name,host,release ...'"
bootstrap=${TCPSTATS_BOOTSTRAP:-}
[ -n "$bootstrap" ] || die "TCPSTATS_BOOTSTRAP is unset (the Nix wrapper sets it)"
device=${TCPSTATS_DEVICE:-}
[ -n "$device" ] || die "TCPSTATS_DEVICE is unset (the Nix wrapper sets it)"
for v in TCPSTATS_CONNECT_TIMEOUT TCPSTATS_STEP_TIMEOUT TCPSTATS_TEST_TIMEOUT \
    TCPSTATS_FD_LIMIT; do
	require_number "$v"
done
connect_timeout=$TCPSTATS_CONNECT_TIMEOUT
step_timeout=$TCPSTATS_STEP_TIMEOUT
test_timeout=$TCPSTATS_TEST_TIMEOUT
fd_limit=$TCPSTATS_FD_LIMIT
keep_loaded=${TCPSTATS_KEEP_LOADED:-0}
outdir=${TCPSTATS_OUTPUT_DIR:-test-output}
src=${TCPSTATS_SRC:-$PWD}

# Which label does the target run, and does it need the module loaded?
needs_kmod=0
setup_only=0
compare=0
case $target in
live_integration | live_smoke | live_bench | live_stats | live_dtrace | live_dos)
	label=$target
	needs_kmod=1
	;;
live_all)
	label=live
	needs_kmod=1
	;;
all)
	label=compile
	;;
pkg_setup)
	label=
	setup_only=1
	;;
compare)
	label=
	needs_kmod=1
	compare=1
	;;
unit | memcheck | asan | ubsan | bench | callgrind | fuzz | kmod)
	label=$target
	;;
*)
	die "unknown INTEGRATION_TARGET '$target' (try --help for the list)"
	;;
esac

# Which categories? "A,B D" selects cat_A, cat_B and cat_D.
cats=()
for arg in "$@"; do
	IFS=', ' read -r -a words <<<"$arg"
	for w in "${words[@]}"; do
		[ -n "$w" ] || continue
		w=${w^^}
		case $w in
		[A-I]) ;;
		*) die "unknown category '$w': categories are the letters A to I" ;;
		esac
		case " ${cats[*]-} " in
		*" cat_$w "*) ;;
		*) cats+=("cat_$w") ;;
		esac
	done
done
cat_regex=
if [ "${#cats[@]}" -gt 0 ]; then
	[ "$target" = live_integration ] ||
	    die "categories select live_integration tests; INTEGRATION_TARGET is '$target'"
	cat_regex=$(
		IFS='|'
		printf '^(%s)$' "${cats[*]}"
	)
fi

compare_counts=${COMPARE_COUNTS:-1000 10000 100000}
compare_rounds=${COMPARE_ROUNDS:-5}
case $compare_counts in
'' | *[!0-9\ ]*)
	die "COMPARE_COUNTS must be connection counts separated by spaces (got '$compare_counts')"
	;;
esac
case $compare_rounds in
'' | *[!0-9]* | 0) die "COMPARE_ROUNDS must be a positive count (got '$compare_rounds')" ;;
esac

if [ ! -f "$src/CMakeLists.txt" ] || [ ! -d "$src/kmod/tcpstats" ]; then
	die "run from the tcpstats source tree ($src has no CMakeLists.txt and kmod/tcpstats)"
fi

# Which VMs? FREEBSD_HOST replaces the host; with several configured VMs it
# makes one run named after the host.
names=()
hosts=()
releases=()
for entry in $vms; do
	IFS=, read -r n h r <<<"$entry"
	if [ -z "$n" ] || [ -z "$h" ]; then
		die "bad TCPSTATS_VMS entry '$entry' (want name,host,release)"
	fi
	names+=("$n")
	hosts+=("$h")
	releases+=("${r:-?}")
done
if [ -n "${FREEBSD_HOST:-}" ]; then
	case $FREEBSD_HOST in
	-* | *[!A-Za-z0-9@._:-]*)
		die "FREEBSD_HOST '$FREEBSD_HOST' is not a host name or user@host"
		;;
	esac
	if [ "${#names[@]}" -ne 1 ]; then
		names=("${FREEBSD_HOST//[^A-Za-z0-9._-]/_}")
		releases=("?")
	fi
	hosts=("$FREEBSD_HOST")
fi

ssh_opts=(-o BatchMode=yes -o "ConnectTimeout=$connect_timeout"
    -o ServerAliveInterval=30 -o ServerAliveCountMax=4)

# ---- one VM -----------------------------------------------------------

# Run a POSIX sh script on the VM. The script travels on stdin so the
# login shell of the remote user (sh or csh) does not matter; the body is
# one group so commands in it cannot read the rest of the script.
remote()
{
	local host=$1 body=$2

	printf 'set -e\n{\n%s\n} </dev/null\n' "$body" |
	    timeout "$step_timeout" ssh "${ssh_opts[@]}" "$host" /bin/sh -s
}

# Same, inside FREEBSD_DIR.
remote_in_dir()
{
	remote "$1" "cd $(shq "$dir")
$2"
}

# Remember why this VM ended; the summary reads it back.
record()
{
	printf '%s\n' "$1" >"$vm_out/result"
}

# Explain a failed step: timeout gets its own words.
step_failed()
{
	local step=$1 rc=$2

	if [ "$rc" -eq 124 ]; then
		echo "step '$step' timed out after ${step_timeout}s"
		record "FAIL $step (timed out after ${step_timeout}s)"
	else
		echo "step '$step' failed (exit $rc)"
		record "FAIL $step (exit $rc)"
	fi
}

unload_module()
{
	local host=$1 rc=0

	if [ "$keep_loaded" = 1 ]; then
		echo "==> unload: skipped, module left loaded (TCPSTATS_KEEP_LOADED=1)"
		return 0
	fi
	echo "==> unload"
	remote "$host" 'if kldstat -q -n tcpstats; then kldunload tcpstats; fi' ||
	    rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "kldunload failed (exit $rc): the module may still be loaded"
	fi
	return "$rc"
}

# The outcome of a VM whose last steps all ran: the first of the main
# step (ctest or compare), collect and unload that failed, else a pass.
finish_vm()
{
	local step=$1 step_rc=$2 collect_rc=$3 unload_rc=$4

	if [ "$step_rc" -ne 0 ]; then
		step_failed "$step" "$step_rc"
		return 1
	fi
	if [ "$collect_rc" -ne 0 ]; then
		step_failed collect "$collect_rc"
		return 1
	fi
	if [ "$unload_rc" -ne 0 ]; then
		step_failed unload "$unload_rc"
		return 1
	fi
	record "PASS $target"
	return 0
}

# The read-path comparison on a VM whose module is loaded: the script,
# its results copied back, the module unloaded, the outcome recorded.
run_compare()
{
	local host=$1 rc=0 collect_rc=0 unload_rc=0 f
	local outrel="$build_dir/compare-out"

	echo "==> compare"
	remote_in_dir "$host" "ulimit -n $fd_limit 2>/dev/null || true
sh bench/read/compare-freebsd.sh -b $(shq "$build_dir/bench/read") \\
    -o $(shq "$outrel") -c $(shq "$compare_counts") -r $(shq "$compare_rounds")" ||
	    rc=$?

	echo "==> collect"
	for f in compare-freebsd.csv compare-freebsd-raw.csv memory-freebsd.txt; do
		scp -q -o BatchMode=yes -o "ConnectTimeout=$connect_timeout" \
		    "$host:$dir/$outrel/$f" "$vm_out/" || collect_rc=$?
	done
	if [ "$collect_rc" -ne 0 ]; then
		echo "could not copy the comparison's results back (exit $collect_rc)"
	fi

	unload_module "$host" || unload_rc=$?
	finish_vm compare "$rc" "$collect_rc" "$unload_rc"
}

run_vm()
{
	local name=$1 host=$2 release=$3 rc=0 ctest_rc=0 collect_rc=0
	local junit="junit-$target.xml" qlabel="" qcats=""
	local missing_script

	echo "==> $name: FreeBSD $release via ssh '$host', directory $dir," \
	    "target $target${label:+ (ctest -L $label${cat_regex:+ -L $cat_regex})}"

	echo "==> reach"
	timeout "$((connect_timeout + 5))" ssh "${ssh_opts[@]}" "$host" true || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "cannot reach '$host' over ssh (exit $rc): check that" \
		    "'ssh $host true' works without a password prompt (host names" \
		    "come from ~/.ssh/config) and that the VM is running"
		record "UNREACHABLE (ssh exit $rc)"
		return 1
	fi

	echo "==> bootstrap"
	missing_script="missing=
for c in $bootstrap; do
	command -v \"\$c\" >/dev/null 2>&1 || missing=\"\$missing \$c\"
done
if [ -n \"\$missing\" ]; then
	echo \"installing:\$missing\"
	env ASSUME_ALWAYS_YES=yes pkg install -y \$missing
fi
mkdir -p $(shq "$dir")"
	remote "$host" "$missing_script" || rc=$?
	[ "$rc" -eq 0 ] || { step_failed bootstrap "$rc"; return 1; }

	echo "==> sync"
	timeout "$step_timeout" rsync -az --delete \
	    -e "ssh ${ssh_opts[*]}" \
	    --exclude=/.git --exclude='/build*/' --exclude=/test-output/ \
	    --exclude='/result*' --exclude=/.cache/ \
	    "$src/" "$host:$dir/" || rc=$?
	[ "$rc" -eq 0 ] || { step_failed sync "$rc"; return 1; }

	echo "==> setup"
	remote_in_dir "$host" 'cmake -P cmake/setup.cmake' || rc=$?
	[ "$rc" -eq 0 ] || { step_failed setup "$rc"; return 1; }
	if [ "$setup_only" = 1 ]; then
		record "PASS $target"
		return 0
	fi

	echo "==> build"
	remote_in_dir "$host" "cmake -S . -B $(shq "$build_dir") -G Ninja
cmake --build $(shq "$build_dir")" || rc=$?
	[ "$rc" -eq 0 ] || { step_failed build "$rc"; return 1; }

	if [ "$needs_kmod" = 1 ]; then
		echo "==> kmod"
		remote_in_dir "$host" "make -C kmod/tcpstats
if kldstat -q -n tcpstats; then
	echo 'unloading the copy already loaded'
	kldunload tcpstats
fi
kldload $(shq "$dir/kmod/tcpstats/tcpstats.ko")
for s in kern.maxfiles kern.maxfilesperproc; do
	if [ \"\$(sysctl -n \$s)\" -lt $fd_limit ]; then
		sysctl \$s=$fd_limit
	fi
done" || rc=$?
		if [ "$rc" -ne 0 ]; then
			step_failed kmod "$rc"
			unload_module "$host" || true
			return 1
		fi
	fi

	if [ "$compare" = 1 ]; then
		run_compare "$host"
		return
	fi

	echo "==> ctest"
	qlabel=$(shq "$label")
	[ -z "$cat_regex" ] || qcats=" -L $(shq "$cat_regex")"
	remote_in_dir "$host" "ulimit -n $fd_limit 2>/dev/null || true
TCPSTATS_DEV=$(shq "$device")
export TCPSTATS_DEV
ctest --test-dir $(shq "$build_dir") -L $qlabel$qcats \\
    --output-junit $(shq "$junit") --output-on-failure \\
    --timeout $test_timeout" || ctest_rc=$?

	echo "==> collect"
	scp -q -o BatchMode=yes -o "ConnectTimeout=$connect_timeout" \
	    "$host:$dir/$build_dir/$junit" \
	    "$host:$dir/$build_dir/Testing/Temporary/LastTest.log" \
	    "$vm_out/" || collect_rc=$?
	if [ "$collect_rc" -ne 0 ]; then
		echo "could not copy the JUnit XML and CTest log back (exit $collect_rc)"
	fi

	rc=0
	if [ "$needs_kmod" = 1 ]; then
		unload_module "$host" || rc=$?
	fi
	finish_vm ctest "$ctest_rc" "$collect_rc" "$rc"
}

# ---- all VMs ----------------------------------------------------------

mkdir -p "$outdir"
pids=()
for i in "${!names[@]}"; do
	vm_out=$outdir/${names[i]}
	rm -rf "$vm_out"
	mkdir -p "$vm_out"
	{
		run_vm "${names[i]}" "${hosts[i]}" "${releases[i]}" 2>&1 || true
		[ -s "$vm_out/result" ] || record "FAIL (runner stopped early)"
	} | tee "$vm_out/run.log" | prefix_lines "${names[i]}" &
	pids+=("$!")
done
for pid in "${pids[@]}"; do
	wait "$pid" || true
done

echo
echo "summary ($target${cat_regex:+, categories ${cats[*]}}):"
failed=0
for i in "${!names[@]}"; do
	result=$(cat "$outdir/${names[i]}/result" 2>/dev/null || echo "FAIL (no result)")
	case $result in
	PASS*) ;;
	*) failed=$((failed + 1)) ;;
	esac
	printf '[%s] %s  (%s, results in %s/%s/)\n' "${names[i]}" "$result" \
	    "${hosts[i]}" "$outdir" "${names[i]}"
done
if [ "$failed" -ne 0 ]; then
	echo "$failed of ${#names[@]} VM(s) failed"
	exit 1
fi
echo "all ${#names[@]} VM(s) passed"
