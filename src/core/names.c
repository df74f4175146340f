/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * names.c -- the names of the filter language (directives, states, field
 * groups, formats, skip reasons), their lookup and the did-you-mean
 * distance used when a name is misspelt.
 */

#include "core_impl.h"

#define	N(s, v)	{ s, (uint8_t)(sizeof(s) - 1), (uint16_t)(v) }

const struct ts_name ts_key_names[TS_NKEYS] = {
	N("local_port",		TS_K_LPORT),
	N("remote_port",	TS_K_RPORT),
	N("exclude",		TS_K_EXCLUDE),
	N("include_state",	TS_K_INCLUDE),
	N("ipv4_only",		TS_K_IPV4),
	N("ipv6_only",		TS_K_IPV6),
	N("local_addr",		TS_K_LADDR),
	N("remote_addr",	TS_K_RADDR),
	N("fields",		TS_K_FIELDS),
	N("format",		TS_K_FORMAT),
	N("profile",		TS_K_PROFILE),
};

/* Canonical names first, indexed by state number; aliases after. */
const struct ts_name ts_state_names[TS_NSTATE_NAMES] = {
	N("closed",		TCPSTATS_ST_CLOSED),
	N("listen",		TCPSTATS_ST_LISTEN),
	N("syn_sent",		TCPSTATS_ST_SYN_SENT),
	N("syn_received",	TCPSTATS_ST_SYN_RECEIVED),
	N("established",	TCPSTATS_ST_ESTABLISHED),
	N("close_wait",		TCPSTATS_ST_CLOSE_WAIT),
	N("fin_wait_1",		TCPSTATS_ST_FIN_WAIT_1),
	N("closing",		TCPSTATS_ST_CLOSING),
	N("last_ack",		TCPSTATS_ST_LAST_ACK),
	N("fin_wait_2",		TCPSTATS_ST_FIN_WAIT_2),
	N("time_wait",		TCPSTATS_ST_TIME_WAIT),
	N("timewait",		TCPSTATS_ST_TIME_WAIT),
	N("closewait",		TCPSTATS_ST_CLOSE_WAIT),
	N("syn_rcvd",		TCPSTATS_ST_SYN_RECEIVED),
};

/* Groups in bit order, then "all". */
const struct ts_name ts_group_names[TS_NGROUP_NAMES] = {
	N("identity",		TCPSTATS_F_IDENTITY),
	N("state",		TCPSTATS_F_STATE),
	N("congestion",		TCPSTATS_F_CONGESTION),
	N("rtt",		TCPSTATS_F_RTT),
	N("sequences",		TCPSTATS_F_SEQUENCES),
	N("counters",		TCPSTATS_F_COUNTERS),
	N("timers",		TCPSTATS_F_TIMERS),
	N("buffers",		TCPSTATS_F_BUFFERS),
	N("ecn",		TCPSTATS_F_ECN),
	N("names",		TCPSTATS_F_NAMES),
	N("all",		TCPSTATS_F_ALL),
};

const struct ts_name ts_format_names[TS_NFORMAT_NAMES] = {
	N("full",		TCPSTATS_FMT_FULL),
	N("compact",		TCPSTATS_FMT_COMPACT),
};

#undef N

static const char *const ts_skip_names[TCPSTATS_NSKIP] = {
	"gencnt", "cred", "ipver", "state", "port", "addr",
};

_Static_assert(TCPSTATS_NSKIP == 6, "skip reason names");
_Static_assert(TCPSTATS_F_NGROUPS == 10, "group names");

const char *
tcpstats_state_name(unsigned int state)
{

	if (state >= TCPSTATS_NSTATES)
		return (NULL);
	return (ts_state_names[state].tn_name);
}

const char *
tcpstats_group_name(uint16_t group)
{
	unsigned int i;

	/* Exactly one known bit. */
	if (group == 0 || (group & (group - 1)) != 0 ||
	    (group & ~TCPSTATS_F_ALL) != 0)
		return (NULL);
	for (i = 0; (group >> i) != 1; i++)
		continue;
	return (ts_group_names[i].tn_name);
}

const char *
tcpstats_skip_name(unsigned int reason)
{

	if (reason >= TCPSTATS_NSKIP)
		return (NULL);
	return (ts_skip_names[reason]);
}

#define	TS_FOLD8	0x2020202020202020ull	/* c | 0x20 in each byte */

int
ts_name_find(const struct ts_name *tab, int n, const char *s, size_t len)
{
	const char *name;
	uint64_t w1, w2;
	size_t k;
	char c0;
	int i;

	if (len == 0 || len >= TS_NAME_MAX)
		return (-1);
	c0 = (char)(s[0] | 0x20);
	for (i = 0; i < n; i++) {
		if (tab[i].tn_len != len || (tab[i].tn_name[0] | 0x20) != c0)
			continue;
		/* Eight bytes at a time while both sides have them. */
		name = tab[i].tn_name;
		for (k = 0; k + 8 <= len; k += 8) {
			memcpy(&w1, s + k, 8);
			memcpy(&w2, name + k, 8);
			if ((w1 | TS_FOLD8) != (w2 | TS_FOLD8))
				break;
		}
		if (k + 8 <= len)
			continue;
		for (; k < len; k++)
			if ((s[k] | 0x20) != (name[k] | 0x20))
				break;
		if (k == len)
			return (i);
	}
	return (-1);
}

#define	TS_DIST_MAXNAME	32	/* longest name we compare against */

unsigned int
ts_distance(const char *s, size_t slen, const char *name, size_t nlen)
{
	uint8_t row[TS_DIST_MAXNAME + 1];
	uint8_t diag, up, best, v;
	size_t i, j;

	/* Two edits cannot bridge a larger length gap. */
	if (nlen > TS_DIST_MAXNAME ||
	    (slen > nlen ? slen - nlen : nlen - slen) > 2)
		return (3);

	/* One row of the edit matrix, over name; s is at most nlen + 2. */
	for (j = 0; j <= nlen; j++)
		row[j] = (uint8_t)j;
	for (i = 1; i <= slen; i++) {
		diag = row[0];
		row[0] = (uint8_t)(i > 255 ? 255 : i);
		best = row[0];
		for (j = 1; j <= nlen; j++) {
			up = row[j];
			v = diag;
			if (ts_tolower((unsigned char)s[i - 1]) !=
			    (unsigned char)name[j - 1])
				v++;
			if (up + 1 < v)
				v = (uint8_t)(up + 1);
			if (row[j - 1] + 1 < v)
				v = (uint8_t)(row[j - 1] + 1);
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		/* Every later row is at least this row's minimum. */
		if (best > 2)
			return (3);
	}
	return (row[nlen] > 3 ? 3 : row[nlen]);
}

int
ts_suggest(const struct ts_name *tab, int n, const char *s, size_t len)
{
	unsigned int d, bestd;
	int i, best;

	best = -1;
	bestd = 3;
	for (i = 0; i < n; i++) {
		d = ts_distance(s, len, tab[i].tn_name, tab[i].tn_len);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (best);
}
