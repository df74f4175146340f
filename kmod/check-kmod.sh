#!/bin/sh
# check-kmod.sh -- build the tcpstats kernel module with -Werror and check
# the .ko: the `kmod` CTest label.
#
# usage: check-kmod.sh [-o objdir]
#
# On FreeBSD it runs the module's own make against SYSDIR (FREEBSD_SRC/sys
# if FREEBSD_SRC is set, else /usr/src/sys).  Elsewhere it cross-builds
# through the source tree's bsd.kmod.mk with bmake, clang and ld.lld; the
# tree comes from FREEBSD_SRC (a directory holding sys/ and share/mk).
#
# Environment:
#   FREEBSD_SRC           FreeBSD source tree (sys/ and share/mk)
#   TCPSTATS_KMOD_CC      compiler (default: clang)
#   TCPSTATS_KMOD_LD      linker (default: ld.lld beside the compiler)
#   TCPSTATS_KMOD_TARGET  target triple (default: x86_64-unknown-freebsd14.3)
#   TCPSTATS_KERNEL_SYMS  file of kernel symbols, one a line: every undefined
#                         symbol of the .ko must be in it
#
# Exit status: 0 built and checked, 1 failed, 77 skipped (reason on stderr).

set -eu

SKIP=77
here=$(cd "$(dirname "$0")" && pwd)
moddir=$here/tcpstats
objdir=

while getopts o: opt; do
	case $opt in
	o) objdir=$OPTARG ;;
	*) echo "usage: check-kmod.sh [-o objdir]" >&2; exit 1 ;;
	esac
done

skip() {
	echo "check-kmod: SKIP: $*" >&2
	exit "$SKIP"
}

fail() {
	echo "check-kmod: FAIL: $*" >&2
	exit 1
}

have() {
	command -v "$1" >/dev/null 2>&1
}

if [ -z "$objdir" ]; then
	objdir=${TMPDIR:-/tmp}/tcpstats-kmod.$$
	trap 'rm -rf "$objdir"' EXIT
fi
rm -rf "$objdir"
mkdir -p "$objdir"
objdir=$(cd "$objdir" && pwd)

# --- build ---------------------------------------------------------------

if [ "$(uname -s)" = FreeBSD ]; then
	src=${FREEBSD_SRC:-/usr/src}
	[ -f "$src/sys/conf/kmod.mk" ] ||
	    skip "no kernel source at $src/sys; install it (e.g. git clone" \
	    "-b releng/14.3 https://git.FreeBSD.org/src.git /usr/src) or" \
	    "set FREEBSD_SRC"
	echo "check-kmod: MAKEOBJDIR=$objdir make -C $moddir" \
	    "SYSDIR=$src/sys" >&2
	MAKEOBJDIR=$objdir make -C "$moddir" SYSDIR="$src/sys" ||
	    fail "the module does not build"
else
	src=${FREEBSD_SRC:-}
	[ -n "$src" ] ||
	    skip "no FreeBSD source tree: set FREEBSD_SRC (environment) or" \
	    "TCPSTATS_FREEBSD_SRC (CMake cache) to a tree with sys/ and" \
	    "share/mk, e.g. an extracted src.txz of FreeBSD 14"
	if [ ! -f "$src/sys/conf/kmod.mk" ] ||
	    [ ! -f "$src/share/mk/bsd.kmod.mk" ]; then
		skip "FREEBSD_SRC=$src lacks sys/conf/kmod.mk or" \
		    "share/mk/bsd.kmod.mk"
	fi
	have bmake || skip "bmake not found (Debian: apt-get install bmake)"
	cc=${TCPSTATS_KMOD_CC:-clang}
	have "$cc" || skip "compiler $cc not found"
	ld=${TCPSTATS_KMOD_LD:-}
	if [ -z "$ld" ]; then
		# clang-19 pairs with ld.lld-19; plain clang with ld.lld.
		ver=$(printf '%s' "$cc" |
		    sed -n 's/^clang-\([0-9][0-9]*\)$/\1/p')
		if [ -n "$ver" ] && have "ld.lld-$ver"; then
			ld=ld.lld-$ver
		else
			ld=ld.lld
		fi
	fi
	have "$ld" || skip "linker $ld not found (Debian: apt-get install lld)"
	# kmod_syms.awk needs a POSIX-precedence awk; mawk runs it forever.
	awk=
	for a in original-awk nawk-bsd gawk; do
		if have "$a"; then
			awk=$a
			break
		fi
	done
	[ -n "$awk" ] || skip "no BSD-compatible awk (Debian: apt-get" \
	    "install original-awk)"
	objcopy=llvm-objcopy
	have "$objcopy" || objcopy=objcopy
	have llvm-nm || skip "llvm-nm not found (Debian: apt-get install llvm)"
	target=${TCPSTATS_KMOD_TARGET:-x86_64-unknown-freebsd14.3}

	# kmod.mk pipes into BSD `xargs -J`; ours comes first in PATH.
	PATH=$here/tools:$PATH
	export PATH
	set -- -m "$src/share/mk" -C "$moddir" \
	    SYSDIR="$src/sys" MACHINE=amd64 MACHINE_ARCH=amd64 \
	    MACHINE_CPUARCH=amd64 CC="$cc -target $target" LD="$ld" \
	    AWK="$awk" OBJCOPY="$objcopy" NM=llvm-nm WITHOUT_CTF=yes
	echo "check-kmod: MAKEOBJDIR=$objdir bmake $*" >&2
	MAKEOBJDIR=$objdir bmake "$@" ||
	    fail "the module does not build with $cc"
fi
ko=$objdir/tcpstats.ko

[ -f "$ko" ] || fail "the build left no $ko"

# --- checks --------------------------------------------------------------

nm=llvm-nm
have "$nm" || nm="nm"

re=readelf
have "$re" || re=llvm-readelf
have "$re" || skip "no readelf to check $ko"

osabi=$("$re" -h "$ko" | sed -n 's/^ *OS\/ABI: *//p')
echo "check-kmod: OS/ABI: $osabi" >&2
case $osabi in
*FreeBSD*) ;;
*) fail "$ko has OS/ABI '$osabi', expected FreeBSD" ;;
esac

sections=$("$re" -SW "$ko")
for s in set_modmetadata_set set_sysinit_set set_sysuninit_set \
    set_sysctl_set set_sdt_providers_set set_sdt_probes_set \
    set_sdt_argtypes_set; do
	if printf '%s\n' "$sections" | grep -q " $s "; then
		echo "check-kmod: section $s present" >&2
	else
		fail "$ko has no section $s"
	fi
done

undef=$("$nm" -u "$ko" | awk '{ print $NF }' | sort -u)
echo "check-kmod: $(printf '%s\n' "$undef" | grep -c .) undefined" \
    "symbols" >&2
if [ -n "${TCPSTATS_KERNEL_SYMS:-}" ]; then
	[ -r "$TCPSTATS_KERNEL_SYMS" ] ||
	    fail "TCPSTATS_KERNEL_SYMS=$TCPSTATS_KERNEL_SYMS is not readable"
	missing=$(printf '%s\n' "$undef" | grep . |
	    grep -vxF -f "$TCPSTATS_KERNEL_SYMS" || true)
	[ -z "$missing" ] ||
	    fail "symbols the kernel does not export:" \
	    "$(printf '%s ' "$missing")"
	echo "check-kmod: every undefined symbol is in $TCPSTATS_KERNEL_SYMS" >&2
else
	echo "check-kmod: TCPSTATS_KERNEL_SYMS unset: undefined symbols" \
	    "not checked against a kernel" >&2
fi
echo "check-kmod: OK: $ko" >&2
exit 0
