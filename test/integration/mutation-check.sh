#!/bin/sh
# mutation-check.sh -- show that the integration categories fail when the
# matcher is wrong.  For each mutation below, a scratch copy of the tree
# gets one deliberate bug in src/core/filter_match.c, tcpstatsd and the
# categories are rebuilt, and `ctest -L live_integration` runs twice: with
# tcpstatsd's kernel-side filtering (as deployed) and with -P, where the
# core matcher decides alone.  The script prints how many tests each bug
# turns red in each mode.  Needs root (the live suite).
#
# usage: test/integration/mutation-check.sh [scratch dir]

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/tcpstats-mutation}
file=src/core/filter_match.c

# name|sed expression applied to $file
mutations='
ports-upper-bound|s/port <= r->tpr_hi/port < r->tpr_hi/
ports-remote-ignored|s/f->tf_nrport != 0 \&\&/f->tf_nrport == 99 \&\&/
states-listen-always|s/(1u << c->tcn_state)) == 0)/(1u << c->tcn_state)) == 0 \&\& c->tcn_state != TCPSTATS_ST_LISTEN)/
family-ipv6-only-ignored|s/c->tcn_family != TCPSTATS_AF_INET6)/c->tcn_family == 0)/
family-no-v4-mapping|s/c->tcn_family = TCPSTATS_AF_INET;/c->tcn_family = TCPSTATS_AF_INET6;/
cidr-family-ignored|s/if (c->tci_family != family || bits > 128)/if (bits > 128)/
cidr-whole-words-ignored|s/if (ts_load32(a + k) != ts_load32(c->tci_addr + k))/if (0)/
cidr-partial-word-ignored|s/if (bits == 0 || ((ts_load32(a + k) ^/if (1 || ((ts_load32(a + k) ^/
'

# "N of M" from a ctest log.
red() {
	n=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 of \2/p' "$1")
	echo "${n:-no result}"
}

[ "$(id -u)" -eq 0 ] || { echo "mutation-check: needs root" >&2; exit 77; }
mkdir -p "$work"
printf '%-28s %-16s %s\n' mutation "red, pushdown" "red, matcher only (-P)"
echo "$mutations" | while IFS='|' read -r name expr; do
	[ -n "$name" ] || continue
	src=$work/src-$name
	bld=$work/build-$name
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && tar --exclude='./build*' --exclude=./.git -cf - .) |
	    (cd "$src" && tar -xf -)
	sed -i "$expr" "$src/$file"
	if cmp -s "$top/$file" "$src/$file"; then
		echo "mutation-check: $name changed nothing" >&2
		exit 1
	fi
	cmake -S "$src" -B "$bld" -G Ninja -DTCPSTATS_FUZZ=OFF \
	    -DTCPSTATS_SANITIZER_TESTS=OFF -DTCPSTATS_BENCH=OFF \
	    >"$work/$name.cfg.log" 2>&1
	cmake --build "$bld" --target tcpstatsd cat_a_ports cat_b_states \
	    cat_c_family cat_d_addr cat_e_combined cat_f_fields \
	    cat_g_profiles cat_h_concurrent cat_i_combinations \
	    >"$work/$name.build.log" 2>&1
	TCPSTATSD_FLAGS='' ctest --test-dir "$bld" -L live_integration -j2 \
	    >"$work/$name.pushdown.log" 2>&1 || true
	TCPSTATSD_FLAGS=-P ctest --test-dir "$bld" -L live_integration -j2 \
	    >"$work/$name.matcher.log" 2>&1 || true
	printf '%-28s %-16s %s\n' "$name" "$(red "$work/$name.pushdown.log")" \
	    "$(red "$work/$name.matcher.log")"
	rm -rf "$src" "$bld"
done
