# shellcheck shell=sh
# compare-common.sh -- what compare.sh and compare-freebsd.sh share: the
# checks of their -c and -r arguments, the median of a column of timings,
# the gen_conn summary's keys, and waiting for gen_conn to be up.  POSIX sh, sourced; the sourcing script
# defines die().

# check_counts_rounds "<counts>" <rounds>: each count and the rounds are
# whole numbers.
check_counts_rounds() {
	case $2 in
	'' | *[!0-9]*) die "-r $2: expected a number of rounds" ;;
	esac
	for n in $1; do
		case $n in
		'' | *[!0-9]*) die "-c: '$n' is not a connection count" ;;
		esac
	done
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# gensum_key <file> <key>: a value of gen_conn's -o summary.
gensum_key() {
	sed -n "s/^$2=//p" "$1"
}

# gen_wait <summary> <gen_conn pid> <count> <seconds>: wait until gen_conn
# has written its summary (dying if it exits or takes longer), then set
# sockets, port (the first listener's) and psel (the sockets a filter on
# that port selects: the accepted ends and the IPv4 listener).
gen_wait() {
	i=0
	while ! grep -q '^elapsed_ms=' "$1" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || die "gen_conn -n $3 failed"
		[ "$i" -lt $(($4 * 10)) ] || die "gen_conn -n $3: not up within $4 s"
		sleep 0.1
		i=$((i + 1))
	done
	# shellcheck disable=SC2034 # set for the sourcing script
	sockets=$(gensum_key "$1" sockets)
	# shellcheck disable=SC2034
	port=$(gensum_key "$1" port_base)
	# shellcheck disable=SC2034
	psel=$(($(gensum_key "$1" port0_connections) + 1))
}
