# shellcheck shell=bash
# lib.sh -- shared by the stand-ins: the call log and the fake remote roots
#
# FAKE_REMOTE  directory holding one root per host: $FAKE_REMOTE/<host>/...
# FAKE_LOG     file every stand-in appends one line per call to
# FAKE_HOSTS   space-separated host names the stand-ins answer for; any
#              other host fails as unresolvable (exit 255), so a test can
#              never reach a real machine by mistake
# FAKE_UNREACHABLE  hosts that fail as refused (exit 255)

fake_log()
{
	printf '%s\n' "$*" >>"${FAKE_LOG:?FAKE_LOG unset}"
}

# Strip user@ from an ssh target.
fake_host_name()
{
	printf '%s' "${1#*@}"
}

# Is this host one the test declared and left reachable? Prints ssh's
# own words and returns 255 otherwise.
fake_check_host()
{
	local h

	h=$(fake_host_name "$1")
	case " ${FAKE_HOSTS:-} " in
	*" $h "*) ;;
	*)
		echo "ssh: Could not resolve hostname $h: Name or service not known" >&2
		return 255
		;;
	esac
	case " ${FAKE_UNREACHABLE:-} " in
	*" $h "*)
		echo "ssh: connect to host $h port 22: Connection refused" >&2
		return 255
		;;
	esac
	return 0
}

# Map a remote path of a host to its place under the fake root; relative
# paths are relative to the remote home, /root.
fake_remote_path()
{
	local root

	root="${FAKE_REMOTE:?FAKE_REMOTE unset}/$(fake_host_name "$1")"
	case $2 in
	/*) printf '%s%s' "$root" "$2" ;;
	*) printf '%s/root/%s' "$root" "$2" ;;
	esac
}
