# shellcheck shell=bash
# common.sh -- shared by the remote stand-ins; the ssh stand-in exports
# FAKE_HOST (host name) and FAKE_HOST_ROOT (its fake root).
# shellcheck source=test/nix/standins/lib.sh
set -eu
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The working directory as the VM would show it.
remote_cwd()
{
	printf '%s' "${PWD#"$FAKE_HOST_ROOT"}"
}

# Log "<host>: <tool> <args> (in <cwd>)".
remote_log()
{
	fake_log "$FAKE_HOST: $* (in $(remote_cwd))"
}

# Does the space-separated list in $1 name this host?
host_in()
{
	case " ${1:-} " in
	*" $FAKE_HOST "*) return 0 ;;
	esac
	return 1
}

# Absolute remote path -> fake path.
fake_abs()
{
	case $1 in
	/*) printf '%s%s' "$FAKE_HOST_ROOT" "$1" ;;
	*) printf '%s' "$1" ;;
	esac
}
