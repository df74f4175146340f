#!/usr/bin/env bash
# ctest-label.sh -- configure, build and run one CTest label on this host
#
# The kmod-test-* packages of the flake are this script with LABEL fixed;
# the tests themselves are defined once, in CMake. Run it from the source
# tree. TCPSTATS_BUILD_DIR picks the build directory (default build-nix);
# the JUnit XML lands in it as junit-<label>.xml.

set -euo pipefail

prog=${TCPSTATS_PROG:-ctest-label}

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	printf 'usage: %s LABEL\n' "$prog" >&2
	exit 2
fi
label=$1
case $label in
*[!A-Za-z0-9_]*)
	printf '%s: label must be letters, digits and _ (got %s)\n' \
	    "$prog" "$label" >&2
	exit 2
	;;
esac
if [ ! -f CMakeLists.txt ] || [ ! -d src/include ]; then
	printf '%s: run from the tcpstats source tree (%s has no CMakeLists.txt and src/include)\n' \
	    "$prog" "$PWD" >&2
	exit 2
fi

build=${TCPSTATS_BUILD_DIR:-build-nix}

echo "==> configure ($build)"
cmake -S . -B "$build" -G Ninja
echo "==> build"
cmake --build "$build"
echo "==> ctest -L $label"
exec ctest --test-dir "$build" -L "^${label}\$" --output-on-failure \
    --output-junit "junit-$label.xml"
