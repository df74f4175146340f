#!/usr/bin/env bash
# run-tests.sh -- tests of the Nix runner, the flake and the scripts it renders
#
# usage: run-tests.sh SCENARIO     run one scenario (CTest runs each alone)
#        run-tests.sh --list       list the scenarios
#
# Runner scenarios execute nix/scripts/freebsd-integration.sh (direct_*) or
# the text the flake renders through the stub nixpkgs (rendered_*) with the
# stand-ins of test/nix/standins first in PATH: ssh, rsync and scp log every
# call and play the VMs in a scratch directory, so no host is contacted.
# Exit status: 0 all checks passed, 1 a check failed, 77 skipped (reason
# printed).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
standins=$here/standins
runner=$root/nix/scripts/freebsd-integration.sh
SKIP=77

# ---- assertions ---------------------------------------------------------

passed=0
failed=0

ok()
{
	passed=$((passed + 1))
	printf 'ok - %s\n' "$1"
}

not_ok()
{
	failed=$((failed + 1))
	printf 'not ok - %s\n' "$1"
	shift
	[ "$#" -eq 0 ] || printf '#   %s\n' "$@"
}

skip()
{
	printf 'skip: %s\n' "$1"
	exit "$SKIP"
}

expect_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "got:      $3"
	fi
}

# expect_out DESC FIXED-STRING: the runner's output contains it.
expect_out()
{
	if grep -qF -- "$2" "$scratch/out"; then
		ok "$1"
	else
		not_ok "$1" "expected output to contain: $2" \
		    "output was:" "$(sed 's/^/    /' "$scratch/out")"
	fi
}

expect_no_out()
{
	if grep -qF -- "$2" "$scratch/out"; then
		not_ok "$1" "expected output not to contain: $2" \
		    "but found: $(grep -F -- "$2" "$scratch/out" | head -3)"
	else
		ok "$1"
	fi
}

# Lines of the call log made for one host.
host_log()
{
	grep -F -- "$1: " "$scratch/calls.log" 2>/dev/null || true
}

expect_call()
{
	if host_log "$2" | grep -qF -- "$3"; then
		ok "$1"
	else
		not_ok "$1" "expected a call on $2 containing: $3" \
		    "calls on $2:" "$(host_log "$2" | sed 's/^/    /')"
	fi
}

expect_no_call()
{
	if host_log "$2" | grep -qF -- "$3"; then
		not_ok "$1" "expected no call on $2 containing: $3" \
		    "but found: $(host_log "$2" | grep -F -- "$3" | head -3)"
	else
		ok "$1"
	fi
}

# expect_order DESC HOST PATTERN...: calls on HOST contain the patterns in
# this order (other calls may sit between them).
expect_order()
{
	local desc=$1 host=$2 line want i=0
	local -a pats

	shift 2
	pats=("$@")
	while IFS= read -r line; do
		[ "$i" -lt "${#pats[@]}" ] || break
		want=${pats[i]}
		case $line in
		*"$want"*) i=$((i + 1)) ;;
		esac
	done < <(host_log "$host")
	if [ "$i" -eq "${#pats[@]}" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected on $host, in order: ${pats[*]}" \
		    "step $((i + 1)) never came: ${pats[i]}" \
		    "calls on $host:" "$(host_log "$host" | sed 's/^/    /')"
	fi
}

expect_file()
{
	if [ -f "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected file $2"
	fi
}

expect_no_file()
{
	if [ -e "$2" ]; then
		not_ok "$1" "expected no $2"
	else
		ok "$1"
	fi
}

# ---- fixture ------------------------------------------------------------

# Clear whatever the caller's shell sets for the runner.
unset INTEGRATION_TARGET FREEBSD_HOST FREEBSD_DIR TCPSTATS_KEEP_LOADED \
    TCPSTATS_OUTPUT_DIR TCPSTATS_SRC FAKE_CTEST_FAIL FAKE_MAKE_FAIL \
    FAKE_BUILD_FAIL FAKE_UNREACHABLE FAKE_BARRIER FAKE_COMPARE_FAIL \
    COMPARE_COUNTS COMPARE_ROUNDS

direct_vms="alpha,host-alpha,15.0 beta,host-beta,14.4 gamma,host-gamma,14.3"
all_hosts="host-alpha host-beta host-gamma other-host freebsd150 freebsd144 freebsd143"

setup_scratch()
{
	local t

	scratch=$(mktemp -d "${TMPDIR:-/tmp}/tcpstats-nix-test.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT

	# A source tree with things rsync must leave behind.
	src=$scratch/src
	mkdir -p "$src/cmake" "$src/kmod/tcpstats" "$src/src/include" \
	    "$src/.git" "$src/build-local" "$src/test-output/old"
	echo 'project(tcpstats C)' >"$src/CMakeLists.txt"
	echo '# set-up' >"$src/cmake/setup.cmake"
	echo 'KMOD= tcpstats' >"$src/kmod/tcpstats/Makefile"
	echo 'ref: refs/heads/main' >"$src/.git/HEAD"
	echo junk >"$src/build-local/junk"

	# The comparison script, played: it logs its arguments, needs the
	# module loaded and writes its three result files under -o.
	mkdir -p "$src/bench/read"
	cat >"$src/bench/read/compare-freebsd.sh" <<'FAKE'
#!/bin/sh
printf '%s: compare-freebsd.sh %s (in %s)\n' "$FAKE_HOST" "$*" \
    "${PWD#"$FAKE_HOST_ROOT"}" >>"$FAKE_LOG"
[ -f "$FAKE_HOST_ROOT/.kld/tcpstats" ] || { echo "module not loaded" >&2; exit 1; }
case " ${FAKE_COMPARE_FAIL:-} " in
*" $FAKE_HOST "*) echo "compare-freebsd.sh: tcpstats at 1000 connections failed" >&2; exit 1 ;;
esac
while getopts b:c:o:r: o; do
	[ "$o" = o ] && out=$OPTARG
done
mkdir -p "$out"
for f in compare-freebsd.csv compare-freebsd-raw.csv memory-freebsd.txt; do
	echo "results of $FAKE_HOST" >"$out/$f"
done
FAKE

	# The commands a VM offers besides the stand-ins.
	export FAKE_REMOTE=$scratch/remote
	mkdir -p "$FAKE_REMOTE/.basebin"
	for t in bash sh env cat mkdir rm ln cp touch mv ls dirname basename \
	    readlink seq sleep; do
		ln -s "$(command -v "$t")" "$FAKE_REMOTE/.basebin/$t"
	done

	export FAKE_LOG=$scratch/calls.log
	export FAKE_HOSTS=$all_hosts
	export FAKE_REAL_PATH=$PATH
	: >"$FAKE_LOG"
}

# A host with rsync, cmake and ninja already installed.
provision()
{
	local h p

	for h in "$@"; do
		mkdir -p "$FAKE_REMOTE/$h/usr/local/bin" "$FAKE_REMOTE/$h/root"
		for p in rsync cmake ninja ctest; do
			ln -sf "$standins/pkg/$p" "$FAKE_REMOTE/$h/usr/local/bin/$p"
		done
	done
}

# The settings the Nix wrapper gives the script.
direct_env()
{
	export TCPSTATS_VMS=$direct_vms
	export TCPSTATS_DEFAULT_TARGET=live_integration
	export TCPSTATS_DEFAULT_DIR=/root/tcpstats
	export TCPSTATS_BUILD_DIR=build
	export TCPSTATS_BOOTSTRAP="rsync cmake ninja"
	export TCPSTATS_DEVICE=/dev/tcpstats
	export TCPSTATS_CONNECT_TIMEOUT=5
	export TCPSTATS_STEP_TIMEOUT=60
	export TCPSTATS_TEST_TIMEOUT=30
	export TCPSTATS_FD_LIMIT=262144
}

# run_script FILE ARGS...: run it from the source tree, stand-ins first in
# PATH, 120 s at most; sets $rc, output in $scratch/out.
run_script()
{
	local file=$1

	shift
	rc=0
	(cd "$src" && PATH="$standins/bin:$PATH" timeout 120 bash "$file" "$@") \
	    >"$scratch/out" 2>&1 || rc=$?
}

run_direct()
{
	run_script "$runner" "$@"
}

fake_root()
{
	printf '%s/%s' "$FAKE_REMOTE" "$1"
}

# The checks every successful live run of one VM must pass.
expect_live_run()
{
	local vm=$1 host=$2 label=$3 target=$4 dir=${5:-/root/tcpstats}

	expect_order "$vm: steps in order" "$host" \
	    "ssh true" "ssh /bin/sh -s" "rsync" "cmake -P cmake/setup.cmake (in $dir)" \
	    "cmake -S . -B build -G Ninja (in $dir)" "cmake --build build" \
	    "make -C kmod/tcpstats" "kldload $dir/kmod/tcpstats/tcpstats.ko" \
	    "sysctl kern.maxfiles=262144" \
	    "ctest --test-dir build -L $label" "scp" "kldunload tcpstats"
	expect_call "$vm: ctest sees the module and the device" "$host" \
	    "[TCPSTATS_DEV=/dev/tcpstats module=yes]"
	expect_call "$vm: JUnit named after the target" "$host" \
	    "--output-junit junit-$target.xml"
	expect_no_file "$vm: module unloaded at the end" \
	    "$(fake_root "$host")/.kld/tcpstats"
	expect_file "$vm: JUnit copied back" \
	    "$src/test-output/$vm/junit-$target.xml"
	expect_file "$vm: CTest log copied back" \
	    "$src/test-output/$vm/LastTest.log"
	expect_file "$vm: run log kept" "$src/test-output/$vm/run.log"
	expect_out "$vm: summary line says PASS" "[$vm] PASS $target"
}

# ---- scenarios: the runner script --------------------------------------

t_direct_default_target()
{
	provision host-alpha host-beta host-gamma
	direct_env
	run_direct
	expect_eq "exit status 0 when every VM passes" 0 "$rc"
	expect_live_run alpha host-alpha live_integration live_integration
	expect_live_run beta host-beta live_integration live_integration
	expect_live_run gamma host-gamma live_integration live_integration
	expect_out "output prefixed per VM" "[beta] ==> ctest"
	expect_out "closing line" "all 3 VM(s) passed"
	expect_file "tree copied to the VM" \
	    "$(fake_root host-alpha)/root/tcpstats/CMakeLists.txt"
	expect_no_file ".git not copied" "$(fake_root host-alpha)/root/tcpstats/.git"
	expect_no_file "build dirs not copied" \
	    "$(fake_root host-alpha)/root/tcpstats/build-local"
	expect_no_file "old results not copied" \
	    "$(fake_root host-alpha)/root/tcpstats/test-output"
	expect_no_call "no package install on provisioned VMs" host-alpha "pkg install"
	expect_no_call "no category filter without arguments" host-alpha "cat_"
}

t_direct_parallel()
{
	provision host-alpha host-beta host-gamma
	direct_env
	export FAKE_BARRIER="host-alpha host-beta host-gamma"
	run_direct
	expect_eq "the three reachability checks met at the barrier" 0 "$rc"
	expect_no_out "no VM waited alone" "runs are not parallel"
}

t_direct_target_live_all()
{
	provision host-alpha host-beta host-gamma
	direct_env
	INTEGRATION_TARGET=live_all run_direct
	expect_eq "exit status" 0 "$rc"
	expect_live_run alpha host-alpha "live --output-junit" live_all
	expect_no_call "not the integration label" host-alpha "-L live_integration"
}

t_direct_target_all()
{
	provision host-alpha host-beta host-gamma
	direct_env
	INTEGRATION_TARGET=all run_direct
	expect_eq "exit status" 0 "$rc"
	expect_order "configure, build, ctest -L compile" host-beta \
	    "cmake -P cmake/setup.cmake" "cmake --build build" \
	    "ctest --test-dir build -L compile --output-junit junit-all.xml"
	expect_no_call "no module built" host-beta "make -C kmod/tcpstats"
	expect_no_call "no module loaded" host-beta "kldload"
	expect_no_call "nothing unloaded" host-beta "kldunload"
	expect_call "ctest runs without the module" host-beta "module=no"
	expect_file "JUnit copied back" "$src/test-output/beta/junit-all.xml"
	expect_out "summary" "[beta] PASS all"
}

t_direct_target_pkg_setup()
{
	provision host-alpha host-beta host-gamma
	direct_env
	INTEGRATION_TARGET=pkg_setup run_direct
	expect_eq "exit status" 0 "$rc"
	expect_order "sync then set-up" host-gamma "rsync" "cmake -P cmake/setup.cmake"
	expect_no_call "no configure" host-gamma "cmake -S"
	expect_no_call "no ctest" host-gamma "ctest"
	expect_no_call "no module" host-gamma "kldload"
	expect_out "summary" "[gamma] PASS pkg_setup"
}

t_direct_single_live_targets()
{
	local t

	provision host-alpha host-beta host-gamma
	direct_env
	for t in live_smoke live_bench live_stats live_dtrace live_dos; do
		: >"$FAKE_LOG"
		rm -rf "$(fake_root host-alpha)/.sysctl"
		INTEGRATION_TARGET=$t run_direct
		expect_eq "$t: exit status" 0 "$rc"
		expect_live_run alpha host-alpha "$t --output-junit" "$t"
	done
}

t_direct_target_compare()
{
	provision host-alpha host-beta host-gamma
	direct_env
	INTEGRATION_TARGET=compare COMPARE_COUNTS="1000 10000" COMPARE_ROUNDS=3 \
	    run_direct
	expect_eq "exit status 0 when every VM passes" 0 "$rc"
	expect_order "build, load, compare, collect, unload" host-alpha \
	    "cmake --build build" "make -C kmod/tcpstats" \
	    "kldload /root/tcpstats/kmod/tcpstats/tcpstats.ko" \
	    "sysctl kern.maxfiles=262144" \
	    "compare-freebsd.sh -b build/bench/read -o build/compare-out -c 1000 10000 -r 3 (in /root/tcpstats)" \
	    "scp" "kldunload tcpstats"
	expect_no_call "no ctest" host-alpha "ctest"
	expect_file "CSV copied back" "$src/test-output/alpha/compare-freebsd.csv"
	expect_file "raw timings copied back" \
	    "$src/test-output/beta/compare-freebsd-raw.csv"
	expect_file "memory figures copied back" \
	    "$src/test-output/gamma/memory-freebsd.txt"
	expect_eq "each VM's own results" "results of host-gamma" \
	    "$(cat "$src/test-output/gamma/compare-freebsd.csv")"
	expect_no_file "module unloaded at the end" \
	    "$(fake_root host-alpha)/.kld/tcpstats"
	expect_out "summary line says PASS" "[beta] PASS compare"

	: >"$FAKE_LOG"
	INTEGRATION_TARGET=compare run_direct
	expect_call "default counts and rounds" host-beta \
	    "-c 1000 10000 100000 -r 5"
}

t_direct_compare_failure()
{
	provision host-alpha host-beta host-gamma
	direct_env
	FAKE_COMPARE_FAIL=host-beta INTEGRATION_TARGET=compare run_direct
	expect_eq "exit status 1 when a VM fails" 1 "$rc"
	expect_out "the failing step is named" "[beta] FAIL compare (exit 1)"
	expect_out "its message is shown" "tcpstats at 1000 connections failed"
	expect_out "the others pass" "[alpha] PASS compare"
	expect_call "unloaded after the failure" host-beta "kldunload tcpstats"
	expect_no_file "no module left behind" \
	    "$(fake_root host-beta)/.kld/tcpstats"

	: >"$FAKE_LOG"
	INTEGRATION_TARGET=compare COMPARE_COUNTS="1000 lots" run_direct
	expect_eq "bad COMPARE_COUNTS: exit 2" 2 "$rc"
	expect_out "says why" "COMPARE_COUNTS must be connection counts"
	INTEGRATION_TARGET=compare COMPARE_ROUNDS=0 run_direct
	expect_eq "zero COMPARE_ROUNDS: exit 2" 2 "$rc"
	expect_eq "no host contacted on bad input" "" "$(cat "$FAKE_LOG")"
}

t_direct_categories()
{
	provision host-alpha host-beta host-gamma
	direct_env
	run_direct A,B,D
	expect_eq "exit status" 0 "$rc"
	expect_call "A,B,D becomes one anchored label regex" host-alpha \
	    "-L live_integration -L ^(cat_A|cat_B|cat_D)\$ --output-junit"
	expect_live_run alpha host-alpha live_integration live_integration

	: >"$FAKE_LOG"
	run_direct d "a, b" A
	expect_eq "lower case, spaces, repeats: exit status" 0 "$rc"
	expect_call "same regex, in first-seen order, no repeat" host-beta \
	    "-L ^(cat_D|cat_A|cat_B)\$"
}

t_direct_bad_input()
{
	direct_env
	run_direct A,Z
	expect_eq "unknown category: exit 2" 2 "$rc"
	expect_out "names the bad category" "unknown category 'Z'"
	INTEGRATION_TARGET=all run_direct A
	expect_eq "categories with target all: exit 2" 2 "$rc"
	expect_out "says why" "categories select live_integration tests"
	INTEGRATION_TARGET=live_everything run_direct
	expect_eq "unknown target: exit 2" 2 "$rc"
	expect_out "names the bad target" "unknown INTEGRATION_TARGET 'live_everything'"
	FREEBSD_DIR=relative/dir run_direct
	expect_eq "relative FREEBSD_DIR: exit 2" 2 "$rc"
	expect_out "says why" "FREEBSD_DIR must be an absolute path"
	FREEBSD_HOST='-oProxyCommand=x' run_direct
	expect_eq "option-like FREEBSD_HOST: exit 2" 2 "$rc"
	run_direct --frobnicate
	expect_eq "unknown option: exit 2" 2 "$rc"
	expect_eq "no host contacted on bad input" "" "$(cat "$FAKE_LOG")"

	unset TCPSTATS_VMS
	run_direct
	expect_eq "no VM list: exit 2" 2 "$rc"
	expect_out "points to the Nix app" "TCPSTATS_VMS is unset"

	direct_env
	rm "$src/CMakeLists.txt"
	run_direct
	expect_eq "outside the source tree: exit 2" 2 "$rc"
	expect_out "says where to run" "run from the tcpstats source tree"
	expect_eq "still nothing contacted" "" "$(cat "$FAKE_LOG")"
}

t_direct_help()
{
	direct_env
	run_direct --help
	expect_eq "exit status" 0 "$rc"
	expect_out "lists the variables" "TCPSTATS_KEEP_LOADED"
	expect_out "lists the targets" "pkg_setup (set-up only)"
}

t_direct_host_override()
{
	provision other-host host-alpha
	direct_env
	FREEBSD_HOST=other-host run_direct
	expect_eq "several VMs + FREEBSD_HOST: exit status" 0 "$rc"
	expect_live_run other-host other-host live_integration live_integration
	expect_eq "configured hosts not contacted" "" \
	    "$(host_log host-alpha)$(host_log host-beta)$(host_log host-gamma)"

	: >"$FAKE_LOG"
	export TCPSTATS_VMS="alpha,host-alpha,15.0"
	FREEBSD_HOST=root@other-host run_direct
	expect_eq "one VM + FREEBSD_HOST: exit status" 0 "$rc"
	expect_call "ssh goes to the override" other-host "ssh true"
	expect_out "keeps the VM's name" "[alpha] PASS live_integration"
	expect_file "results under the VM's name" \
	    "$src/test-output/alpha/junit-live_integration.xml"
	expect_eq "configured host not contacted" "" "$(host_log host-alpha)"
}

t_direct_dir_override()
{
	provision host-alpha host-beta host-gamma
	direct_env
	FREEBSD_DIR=/var/tmp/ts run_direct
	expect_eq "exit status" 0 "$rc"
	expect_live_run beta host-beta live_integration live_integration /var/tmp/ts
	expect_call "rsync into the directory" host-beta "host-beta:/var/tmp/ts/"
	expect_file "tree where asked" "$(fake_root host-beta)/var/tmp/ts/CMakeLists.txt"
	expect_no_file "nothing in the default directory" \
	    "$(fake_root host-beta)/root/tcpstats"
}

t_direct_vm_fails()
{
	provision host-alpha host-beta host-gamma
	direct_env
	FAKE_CTEST_FAIL=host-beta run_direct
	expect_eq "exit status 1 when one VM fails" 1 "$rc"
	expect_out "failing VM's summary" "[beta] FAIL ctest (exit 8)"
	expect_out "others pass" "[alpha] PASS live_integration"
	expect_out "others pass" "[gamma] PASS live_integration"
	expect_out "count" "1 of 3 VM(s) failed"
	expect_order "module unloaded after the failing ctest" host-beta \
	    "ctest" "scp" "kldunload tcpstats"
	expect_no_file "module not left loaded" "$(fake_root host-beta)/.kld/tcpstats"
	expect_file "failing JUnit copied back" \
	    "$src/test-output/beta/junit-live_integration.xml"
	if grep -q '<failure' "$src/test-output/beta/junit-live_integration.xml"; then
		ok "copied JUnit is the failing one"
	else
		not_ok "copied JUnit is the failing one"
	fi
}

t_direct_unreachable()
{
	provision host-alpha host-beta host-gamma
	direct_env
	FAKE_UNREACHABLE=host-beta run_direct
	expect_eq "exit status 1" 1 "$rc"
	expect_out "clear message" \
	    "[beta] cannot reach 'host-beta' over ssh (exit 255)"
	expect_out "summary" "[beta] UNREACHABLE (ssh exit 255)"
	expect_no_call "nothing synced to it" local "host-beta:"
	expect_live_run alpha host-alpha live_integration live_integration
	expect_live_run gamma host-gamma live_integration live_integration
}

t_direct_keep_loaded()
{
	provision host-alpha host-beta host-gamma
	direct_env
	TCPSTATS_KEEP_LOADED=1 run_direct
	expect_eq "exit status" 0 "$rc"
	expect_no_call "no kldunload" host-alpha "kldunload"
	expect_file "module still loaded" "$(fake_root host-alpha)/.kld/tcpstats"
	expect_out "says so" "module left loaded (TCPSTATS_KEEP_LOADED=1)"
}

t_direct_reload()
{
	provision host-alpha host-beta host-gamma
	direct_env
	mkdir -p "$(fake_root host-gamma)/.kld"
	echo old >"$(fake_root host-gamma)/.kld/tcpstats"
	run_direct
	expect_eq "exit status" 0 "$rc"
	expect_order "old copy unloaded before the new load" host-gamma \
	    "make -C kmod/tcpstats" "kldunload tcpstats" "kldload" "ctest" \
	    "kldunload tcpstats"
	expect_no_file "unloaded at the end" "$(fake_root host-gamma)/.kld/tcpstats"
}

t_direct_bootstrap()
{
	direct_env
	run_direct
	expect_eq "bare VMs: exit status" 0 "$rc"
	expect_call "missing tools installed" host-alpha "pkg install -y rsync cmake ninja"
	: >"$FAKE_LOG"
	run_direct
	expect_eq "second run: exit status" 0 "$rc"
	expect_no_call "second run installs nothing" host-alpha "pkg install"
}

t_direct_kmod_build_fails()
{
	provision host-alpha host-beta host-gamma
	direct_env
	FAKE_MAKE_FAIL=host-alpha run_direct
	expect_eq "exit status" 1 "$rc"
	expect_out "summary names the step" "[alpha] FAIL kmod (exit 2)"
	expect_no_call "no ctest without a module" host-alpha "ctest"
	expect_call "unload still checked" host-alpha "kldstat -q -n tcpstats"
	expect_out "other VMs unaffected" "[beta] PASS live_integration"
}

# ---- scenarios: Nix -----------------------------------------------------

need_nix()
{
	command -v nix-instantiate >/dev/null 2>&1 ||
	    skip "nix-instantiate not installed (Debian: apt-get install nix-bin)"
	command -v jq >/dev/null 2>&1 || skip "jq not installed"
	export NIX_STATE_DIR=$scratch/nix-state NIX_LOG_DIR=$scratch/nix-log
}

# Evaluate test/nix/eval.nix for SYSTEM; JSON in $scratch/eval.json.
nix_eval()
{
	nix-instantiate --eval --strict --json "$here/eval.nix" \
	    --arg root "/. + \"$root\"" --argstr standins "$standins" \
	    --argstr system "${1:-x86_64-linux}" >"$scratch/eval.json"
}

# The text the flake would install as bin/NAME, to a file.
render()
{
	jq -r --arg n "$1" '.texts[$n]' "$scratch/eval.json" >"$scratch/$1"
}

t_nix_parse()
{
	local f n=0 err

	need_nix
	while IFS= read -r f; do
		n=$((n + 1))
		if err=$(nix-instantiate --parse "$f" 2>&1 >/dev/null); then
			ok "parses: ${f#"$root"/}"
		else
			not_ok "parses: ${f#"$root"/}" "$err"
		fi
	done < <(find "$root" -name '*.nix' -not -path '*/.git/*' \
	    -not -path '*/build*/*' | sort)
	for f in flake.nix nix/constants.nix nix/freebsd-integration.nix \
	    nix/kmod-tests.nix nix/devshell.nix test/nix/stub-nixpkgs.nix \
	    test/nix/eval.nix; do
		expect_file "$f is among them" "$root/$f"
	done
	[ "$n" -ge 7 ] || not_ok "found the .nix files" "expected at least 7, got $n"
}

t_nix_flake_outputs()
{
	local vm want

	need_nix
	nix_eval x86_64-linux
	for vm in $(jq -r '.constants.vms[].name' "$scratch/eval.json"); do
		want="integration-test-$vm"
		expect_eq "app for $vm" "/nix/store/00000000000000000000000000000000-$want/bin/$want" \
		    "$(jq -r --arg n "$want" '.apps[$n].program' "$scratch/eval.json")"
	done
	expect_eq "VMs in constants.nix" "freebsd150 freebsd144 freebsd143" \
	    "$(jq -r '[.constants.vms[].name] | join(" ")' "$scratch/eval.json")"
	expect_eq "releases in constants.nix" "15.0 14.4 14.3" \
	    "$(jq -r '[.constants.vms[].release] | join(" ")' "$scratch/eval.json")"
	expect_eq "Linux packages" \
	    "integration-test-freebsd integration-test-freebsd143 integration-test-freebsd144 integration-test-freebsd150 kmod-test-all kmod-test-asan kmod-test-bench kmod-test-callgrind kmod-test-fuzz kmod-test-memcheck kmod-test-ubsan kmod-test-unit" \
	    "$(jq -r '.packages | join(" ")' "$scratch/eval.json")"
	expect_eq "every package is an app" \
	    "$(jq -r '.packages | join(" ")' "$scratch/eval.json")" \
	    "$(jq -r '.apps | keys | join(" ")' "$scratch/eval.json")"
	expect_eq "systems" "aarch64-darwin aarch64-linux x86_64-darwin x86_64-linux" \
	    "$(jq -r '.systems | join(" ")' "$scratch/eval.json")"
	for want in cmake ninja criterion shellcheck actionlint rsync openssh fuse3 valgrind; do
		if jq -e --arg p "$want" '.devShell | index($p)' "$scratch/eval.json" >/dev/null; then
			ok "dev shell has $want"
		else
			not_ok "dev shell has $want" "got: $(jq -c .devShell "$scratch/eval.json")"
		fi
	done

	nix_eval aarch64-darwin
	expect_eq "macOS gets the runner only" \
	    "integration-test-freebsd integration-test-freebsd143 integration-test-freebsd144 integration-test-freebsd150" \
	    "$(jq -r '.packages | join(" ")' "$scratch/eval.json")"
}

t_nix_rendered_shellcheck()
{
	local n

	need_nix
	command -v shellcheck >/dev/null 2>&1 || skip "shellcheck not installed"
	nix_eval
	for n in $(jq -r '.texts | keys[]' "$scratch/eval.json"); do
		render "$n"
		# writeShellApplication runs the same check when it builds.
		if out=$(shellcheck -s bash "$scratch/$n" 2>&1); then
			ok "$n is shellcheck-clean"
		else
			not_ok "$n is shellcheck-clean" "$out"
		fi
	done
}

t_rendered_runner_all()
{
	local vm

	need_nix
	nix_eval
	render integration-test-freebsd
	if grep -qF "export PATH=\"$standins/bin:" "$scratch/integration-test-freebsd"; then
		ok "runtimeInputs put ssh and rsync on PATH"
	else
		not_ok "runtimeInputs put ssh and rsync on PATH" \
		    "$(grep 'export PATH' "$scratch/integration-test-freebsd")"
	fi
	provision freebsd150 freebsd144 freebsd143
	run_script "$scratch/integration-test-freebsd"
	expect_eq "exit status" 0 "$rc"
	for vm in freebsd150 freebsd144 freebsd143; do
		expect_live_run "$vm" "$vm" live_integration live_integration
	done
	expect_call "constants' timeouts used" freebsd150 "--timeout 1800"
	expect_call "constants' connect timeout used" freebsd150 "ConnectTimeout=10"

	: >"$FAKE_LOG"
	FAKE_CTEST_FAIL=freebsd144 FAKE_UNREACHABLE=freebsd143 \
	    run_script "$scratch/integration-test-freebsd" B
	expect_eq "failure + unreachable: exit status" 1 "$rc"
	expect_out "failing VM" "[freebsd144] FAIL ctest (exit 8)"
	expect_out "unreachable VM" "[freebsd143] UNREACHABLE (ssh exit 255)"
	expect_out "passing VM" "[freebsd150] PASS live_integration"
	expect_call "category B" freebsd150 "-L ^(cat_B)\$"
	expect_order "unloaded after failing ctest" freebsd144 "ctest" "kldunload tcpstats"
}

t_rendered_runner_single()
{
	need_nix
	nix_eval
	render integration-test-freebsd143
	provision freebsd150 freebsd144 freebsd143
	INTEGRATION_TARGET=all run_script "$scratch/integration-test-freebsd143"
	expect_eq "exit status" 0 "$rc"
	expect_call "its VM runs" freebsd143 "ctest --test-dir build -L compile"
	expect_eq "no other VM contacted" "" "$(host_log freebsd150)$(host_log freebsd144)"
	expect_out "summary" "[freebsd143] PASS all"
}

# cmake and ctest in DIR that only log their arguments; cmake exits with
# FAKE_CMAKE_RC.
logging_tools()
{
	mkdir -p "$1"
	cat >"$1/cmake" <<'EOF'
#!/bin/sh
echo "local: $(basename "$0") $*" >>"$FAKE_LOG"
exit "${FAKE_CMAKE_RC:-0}"
EOF
	cat >"$1/ctest" <<'EOF'
#!/bin/sh
echo "local: $(basename "$0") $*" >>"$FAKE_LOG"
EOF
	chmod +x "$1/cmake" "$1/ctest"
}

t_rendered_kmod_tests()
{
	local part label fake=$scratch/localbin

	need_nix
	nix_eval
	logging_tools "$fake"
	for part in unit memcheck asan ubsan bench callgrind fuzz all; do
		label=$part
		[ "$part" != all ] || label=compile
		render "kmod-test-$part"
		: >"$FAKE_LOG"
		rc=0
		(cd "$src" && PATH="$fake:$PATH" timeout 60 bash "$scratch/kmod-test-$part") \
		    >"$scratch/out" 2>&1 || rc=$?
		expect_eq "kmod-test-$part: exit status" 0 "$rc"
		expect_order "kmod-test-$part: configure, build, ctest -L $label" local \
		    "cmake -S . -B build-nix -G Ninja" "cmake --build build-nix" \
		    "ctest --test-dir build-nix -L ^$label\$ --output-on-failure --output-junit junit-$label.xml"
	done
}

# ---- scenarios: the other scripts --------------------------------------

t_ctest_label_script()
{
	local fake=$scratch/localbin

	logging_tools "$fake"
	rc=0
	(cd "$src" && PATH="$fake:$PATH" TCPSTATS_BUILD_DIR=b bash \
	    "$root/nix/scripts/ctest-label.sh" memcheck) >"$scratch/out" 2>&1 || rc=$?
	expect_eq "exit status" 0 "$rc"
	expect_call "build dir from TCPSTATS_BUILD_DIR" local "ctest --test-dir b -L ^memcheck\$"
	rc=0
	(cd "$src" && PATH="$fake:$PATH" FAKE_CMAKE_RC=1 bash \
	    "$root/nix/scripts/ctest-label.sh" unit) >"$scratch/out" 2>&1 || rc=$?
	expect_eq "configure failure stops it" 1 "$rc"
	rc=0
	(cd "$src" && bash "$root/nix/scripts/ctest-label.sh" 'a|b') \
	    >"$scratch/out" 2>&1 || rc=$?
	expect_eq "a label with regex characters: exit 2" 2 "$rc"
}

t_shellcheck_scripts()
{
	local f out

	command -v shellcheck >/dev/null 2>&1 || skip "shellcheck not installed"
	for f in "$root"/nix/scripts/*.sh "$here"/run-tests.sh "$here"/*.sh \
	    "$standins"/lib.sh "$standins"/bin/* "$standins"/remote/* "$standins"/pkg/*; do
		[ -f "$f" ] || continue
		if out=$(cd "$root" && shellcheck -x "$f" 2>&1); then
			ok "shellcheck ${f#"$root"/}"
		else
			not_ok "shellcheck ${f#"$root"/}" "$out"
		fi
	done
}

# ---- main ---------------------------------------------------------------

scenarios()
{
	declare -F | sed -n 's/^declare -f t_//p'
}

case ${1:-} in
--list)
	scenarios
	exit 0
	;;
'' | -*)
	echo "usage: $0 SCENARIO | --list" >&2
	exit 2
	;;
esac
declare -F "t_$1" >/dev/null || { echo "no scenario '$1' (try --list)" >&2; exit 2; }

setup_scratch
"t_$1"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
