# shellcheck shell=sh
# compare-common.sh -- what compare.sh and compare-freebsd.sh share: the
# checks of their -c and -r arguments, the median of a column of timings,
# and the gen_conn summary's keys.  POSIX sh, sourced; the sourcing script
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
