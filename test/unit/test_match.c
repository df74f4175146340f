/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_match.c -- the matcher: each skip reason, the order they are
 * checked in (family, state, port, address), family rules for address
 * lists, IPv4-mapped sockets (P2, P3) and tcpstats_conn_normalize().
 * Connections are built by hand; verdicts come from the semantics.
 */

#include "unit_helpers.h"

#define	V4	TCPSTATS_AF_INET
#define	V6	TCPSTATS_AF_INET6
#define	EST	TCPSTATS_ST_ESTABLISHED
#define	LSN	TCPSTATS_ST_LISTEN
#define	TW	TCPSTATS_ST_TIME_WAIT

struct match_case {
	char		name[48];
	char		filter[160];
	unsigned int	family;
	unsigned int	state;
	unsigned int	lport;
	unsigned int	rport;
	char		laddr[48];
	char		raddr[48];
	int		verdict;
};

ParameterizedTestParameters(match, verdicts)
{
	static struct match_case params[] = {
		/* The empty filter reports everything. */
		{ "empty v4", "", V4, EST, 22, 5000, "10.0.0.1", "10.0.0.2",
		    TCPSTATS_MATCH },
		{ "empty v6 listener", "", V6, LSN, 22, 0, "::", "::",
		    TCPSTATS_MATCH },
		/* Families. */
		{ "ipv4_only v4", "ipv4_only", V4, EST, 1, 2, "1.1.1.1",
		    "2.2.2.2", TCPSTATS_MATCH },
		{ "ipv4_only v6", "ipv4_only", V6, EST, 1, 2, "::1", "::1",
		    TCPSTATS_SKIP_IPVER },
		{ "ipv6_only v6", "ipv6_only", V6, EST, 1, 2, "::1", "::1",
		    TCPSTATS_MATCH },
		{ "ipv6_only v4", "ipv6_only", V4, EST, 1, 2, "1.1.1.1",
		    "2.2.2.2", TCPSTATS_SKIP_IPVER },
		/* States. */
		{ "exclude hits", "exclude=time_wait", V4, TW, 1, 2,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_STATE },
		{ "exclude misses", "exclude=time_wait", V4, EST, 1, 2,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		{ "include hits", "include_state=listen,established", V4, LSN,
		    1, 0, "1.1.1.1", "0.0.0.0", TCPSTATS_MATCH },
		{ "include misses", "include_state=listen,established", V4, TW,
		    1, 2, "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_STATE },
		{ "closed state", "include_state=closed", V4,
		    TCPSTATS_ST_CLOSED, 1, 2, "1.1.1.1", "2.2.2.2",
		    TCPSTATS_MATCH },
		{ "everything excluded", "exclude=closed,listen,syn_sent,"
		    "syn_received,established,close_wait,fin_wait_1,closing,"
		    "last_ack,fin_wait_2,time_wait", V6, EST, 1, 2, "::1",
		    "::1", TCPSTATS_SKIP_STATE },
		/* Ports. */
		{ "local port equal", "local_port=22", V4, EST, 22, 40000,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		{ "local port differs", "local_port=22", V4, EST, 23, 40000,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "range below", "local_port=1000-2000", V4, EST, 999, 1,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "range low end", "local_port=1000-2000", V4, EST, 1000, 1,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		{ "range high end", "local_port=1000-2000", V4, EST, 2000, 1,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		{ "range above", "local_port=1000-2000", V4, EST, 2001, 1,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "second item", "local_port=80,443,8000-8100", V6, EST, 8050,
		    1, "::1", "::1", TCPSTATS_MATCH },
		{ "port 65535", "remote_port=65535", V4, EST, 1, 65535,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		{ "remote port differs", "remote_port=443", V4, EST, 443, 444,
		    "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "listener has no remote port", "remote_port=1-65535", V4,
		    LSN, 22, 0, "0.0.0.0", "0.0.0.0", TCPSTATS_SKIP_PORT },
		{ "local ok remote not", "local_port=22 remote_port=80", V4,
		    EST, 22, 81, "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "both ports ok", "local_port=22 remote_port=80", V4, EST, 22,
		    80, "1.1.1.1", "2.2.2.2", TCPSTATS_MATCH },
		/* Addresses. */
		{ "v4 in /8", "local_addr=10.0.0.0/8", V4, EST, 1, 2,
		    "10.255.1.2", "1.1.1.1", TCPSTATS_MATCH },
		{ "v4 outside /8", "local_addr=10.0.0.0/8", V4, EST, 1, 2,
		    "11.0.0.0", "1.1.1.1", TCPSTATS_SKIP_ADDR },
		{ "v4 /31 low", "local_addr=192.168.1.2/31", V4, EST, 1, 2,
		    "192.168.1.2", "1.1.1.1", TCPSTATS_MATCH },
		{ "v4 /31 high", "local_addr=192.168.1.2/31", V4, EST, 1, 2,
		    "192.168.1.3", "1.1.1.1", TCPSTATS_MATCH },
		{ "v4 /31 below", "local_addr=192.168.1.2/31", V4, EST, 1, 2,
		    "192.168.1.1", "1.1.1.1", TCPSTATS_SKIP_ADDR },
		{ "v4 /31 above", "local_addr=192.168.1.2/31", V4, EST, 1, 2,
		    "192.168.1.4", "1.1.1.1", TCPSTATS_SKIP_ADDR },
		{ "v4 host route", "remote_addr=192.0.2.7", V4, EST, 1, 2,
		    "1.1.1.1", "192.0.2.7", TCPSTATS_MATCH },
		{ "v4 host route neighbour", "remote_addr=192.0.2.7", V4, EST,
		    1, 2, "1.1.1.1", "192.0.2.6", TCPSTATS_SKIP_ADDR },
		{ "v4 /0 any v4", "local_addr=0.0.0.0/0", V4, EST, 1, 2,
		    "203.0.113.9", "1.1.1.1", TCPSTATS_MATCH },
		{ "v4 /0 unspecified", "local_addr=0.0.0.0/0", V4, LSN, 1, 0,
		    "0.0.0.0", "0.0.0.0", TCPSTATS_MATCH },
		{ "v4 /0 never v6", "local_addr=0.0.0.0/0", V6, EST, 1, 2,
		    "2001:db8::1", "::1", TCPSTATS_SKIP_ADDR },
		{ "v6 /0 any v6", "local_addr=::/0", V6, EST, 1, 2,
		    "2001:db8::1", "::1", TCPSTATS_MATCH },
		{ "v6 /0 never v4", "local_addr=::/0", V4, EST, 1, 2,
		    "10.0.0.1", "1.1.1.1", TCPSTATS_SKIP_ADDR },
		{ "v6 /32 inside", "remote_addr=2001:db8::/32", V6, EST, 1, 2,
		    "::1", "2001:db8:ffff::1", TCPSTATS_MATCH },
		{ "v6 /32 outside", "remote_addr=2001:db8::/32", V6, EST, 1, 2,
		    "::1", "2001:db9::1", TCPSTATS_SKIP_ADDR },
		{ "v6 /127 pair", "local_addr=2001:db8::2/127", V6, EST, 1, 2,
		    "2001:db8::3", "::1", TCPSTATS_MATCH },
		{ "v6 /127 neighbour", "local_addr=2001:db8::2/127", V6, EST, 1,
		    2, "2001:db8::4", "::1", TCPSTATS_SKIP_ADDR },
		{ "v6 host route", "local_addr=2001:db8::33:99", V6, EST, 1, 2,
		    "2001:db8::33:99", "::1", TCPSTATS_MATCH },
		{ "v6 odd prefix /13", "local_addr=fff8::/13", V6, EST, 1, 2,
		    "fffc::1", "::1", TCPSTATS_MATCH },
		{ "v6 odd prefix /13 outside", "local_addr=fff8::/13", V6, EST,
		    1, 2, "fff0::1", "::1", TCPSTATS_SKIP_ADDR },
		{ "mixed list v4 socket", "local_addr=2001:db8::/32,10.0.0.0/8",
		    V4, EST, 1, 2, "10.1.1.1", "1.1.1.1", TCPSTATS_MATCH },
		{ "mixed list v6 socket", "local_addr=10.0.0.0/8,2001:db8::/32",
		    V6, EST, 1, 2, "2001:db8::5", "::1", TCPSTATS_MATCH },
		{ "v4 list v6 socket with same bytes",
		    "local_addr=10.0.0.0/8", V6, EST, 1, 2, "a00::1", "::1",
		    TCPSTATS_SKIP_ADDR },
		{ "mapped CIDR v4 socket", "local_addr=::ffff:10.0.0.0/104",
		    V4, EST, 1, 2, "10.9.9.9", "1.1.1.1", TCPSTATS_MATCH },
		{ "local ok remote not", "local_addr=10.0.0.0/8 "
		    "remote_addr=192.0.2.0/24", V4, EST, 1, 2, "10.0.0.1",
		    "198.51.100.1", TCPSTATS_SKIP_ADDR },
		{ "both addresses ok", "local_addr=10.0.0.0/8 "
		    "remote_addr=192.0.2.0/24", V4, EST, 1, 2, "10.0.0.1",
		    "192.0.2.200", TCPSTATS_MATCH },
		/* Order of the checks. */
		{ "family before state", "ipv4_only exclude=established", V6,
		    EST, 1, 2, "::1", "::1", TCPSTATS_SKIP_IPVER },
		{ "family before port and addr", "ipv6_only local_port=9 "
		    "local_addr=::1", V4, EST, 1, 2, "1.1.1.1", "1.1.1.1",
		    TCPSTATS_SKIP_IPVER },
		{ "state before port", "local_port=9 exclude=established", V4,
		    EST, 1, 2, "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_STATE },
		{ "state before addr", "local_addr=10.0.0.0/8 "
		    "include_state=listen", V4, EST, 1, 2, "1.1.1.1", "2.2.2.2",
		    TCPSTATS_SKIP_STATE },
		{ "port before addr", "local_addr=10.0.0.0/8 local_port=22",
		    V4, EST, 23, 2, "1.1.1.1", "2.2.2.2", TCPSTATS_SKIP_PORT },
		{ "remote port before local addr", "local_addr=10.0.0.0/8 "
		    "remote_port=22", V4, EST, 1, 23, "1.1.1.1", "2.2.2.2",
		    TCPSTATS_SKIP_PORT },
		{ "all dimensions pass", "ipv4_only local_port=22 "
		    "remote_port=1024-65535 local_addr=10.0.0.0/8 "
		    "remote_addr=0.0.0.0/0 exclude=time_wait", V4, EST, 22,
		    50000, "10.0.0.1", "203.0.113.5", TCPSTATS_MATCH },
	};

	return (cr_make_param_array(struct match_case, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct match_case *p, match, verdicts)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok(p->filter, NULL, &f);
	ut_conn(&c, p->family, p->state, p->lport, p->rport, p->laddr,
	    p->raddr);
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, p->verdict, "%s: filter \"%s\" on IPv%u %s:%u -> "
	    "%s:%u state %u: expected %s, got %s (%d)", p->name, p->filter,
	    p->family, p->laddr, p->lport, p->raddr, p->rport, p->state,
	    ut_verdict(p->verdict), ut_verdict(v), v);
}

/* --- a hand-built filter, independent of the parser --------------------- */

Test(match, hand_built_filter_checks_every_dimension)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_filter_base(&f);
	f.tf_flags = TCPSTATS_FF_IPV4_ONLY | TCPSTATS_FF_INCLUDE;
	f.tf_states = 1u << EST;
	f.tf_nlport = 1;
	f.tf_lport[0].tpr_lo = 8000;
	f.tf_lport[0].tpr_hi = 8999;
	f.tf_nraddr = 1;
	ut_cidr(&f.tf_raddr[0], "127.0.0.0", 8);

	ut_conn(&c, V4, EST, 8080, 40000, "127.0.0.1", "127.0.0.2");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "expected MATCH, got %s",
	    ut_verdict(v));
	c.tcn_raddr[0] = 128;
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_ADDR, "expected SKIP_ADDR for remote "
	    "128.0.0.2, got %s", ut_verdict(v));
	c.tcn_lport = 9000;
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_PORT, "expected SKIP_PORT for local "
	    "port 9000, got %s", ut_verdict(v));
	c.tcn_state = TW;
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_STATE, "expected SKIP_STATE for "
	    "time_wait, got %s", ut_verdict(v));
	c.tcn_family = V6;
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_IPVER, "expected SKIP_IPVER for IPv6, "
	    "got %s", ut_verdict(v));
}

Test(match, every_state_bit_is_honoured)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	unsigned int s, only;
	int v, want;

	for (only = 0; only < TCPSTATS_NSTATES; only++) {
		ut_filter_base(&f);
		f.tf_flags = TCPSTATS_FF_INCLUDE;
		f.tf_states = (uint16_t)(1u << only);
		for (s = 0; s < TCPSTATS_NSTATES; s++) {
			ut_conn(&c, V4, s, 1, 2, "1.1.1.1", "2.2.2.2");
			v = tcpstats_filter_match(&f, &c);
			want = s == only ? TCPSTATS_MATCH : TCPSTATS_SKIP_STATE;
			cr_expect_eq(v, want, "states mask 0x%x, socket state "
			    "%u: expected %s, got %s", f.tf_states, s,
			    ut_verdict(want), ut_verdict(v));
		}
	}
}

/* --- normalize ---------------------------------------------------------- */

Test(normalize, mapped_pair_becomes_v4)
{
	struct tcpstats_conn c, want;
	bool r;

	ut_conn(&c, V6, EST, 5000, 22, "::ffff:127.0.0.1",
	    "::ffff:192.0.2.9");
	ut_conn(&want, V4, EST, 5000, 22, "127.0.0.1", "192.0.2.9");
	r = tcpstats_conn_normalize(&c);
	cr_expect(r, "expected normalize() to report a fold");
	cr_expect(memcmp(&c, &want, sizeof(c)) == 0, "expected IPv4 "
	    "127.0.0.1:5000 -> 192.0.2.9:22 after folding; got family %u",
	    c.tcn_family);
}

Test(normalize, mapped_local_with_unspecified_remote)
{
	struct tcpstats_conn c, want;
	bool r;

	ut_conn(&c, V6, LSN, 80, 0, "::ffff:10.0.0.1", "::");
	ut_conn(&want, V4, LSN, 80, 0, "10.0.0.1", "0.0.0.0");
	r = tcpstats_conn_normalize(&c);
	cr_expect(r, "expected normalize() to report a fold");
	cr_expect(memcmp(&c, &want, sizeof(c)) == 0, "expected IPv4 "
	    "10.0.0.1 and 0.0.0.0; got family %u", c.tcn_family);
}

Test(normalize, unspecified_local_with_mapped_remote)
{
	struct tcpstats_conn c, want;
	bool r;

	ut_conn(&c, V6, TCPSTATS_ST_SYN_SENT, 40000, 443, "::",
	    "::ffff:203.0.113.1");
	ut_conn(&want, V4, TCPSTATS_ST_SYN_SENT, 40000, 443, "0.0.0.0",
	    "203.0.113.1");
	r = tcpstats_conn_normalize(&c);
	cr_expect(r, "expected normalize() to report a fold");
	cr_expect(memcmp(&c, &want, sizeof(c)) == 0, "expected IPv4 0.0.0.0 "
	    "and 203.0.113.1; got family %u", c.tcn_family);
}

Test(normalize, plain_v6_untouched)
{
	struct tcpstats_conn c, before;
	bool r;

	ut_conn(&c, V6, EST, 1, 2, "2001:db8::1", "::1");
	before = c;
	r = tcpstats_conn_normalize(&c);
	cr_expect(!r, "expected no fold for 2001:db8::1 / ::1");
	cr_expect(memcmp(&c, &before, sizeof(c)) == 0, "expected the "
	    "connection untouched");
}

Test(normalize, compat_v4_is_not_mapped)
{
	struct tcpstats_conn c, before;
	bool r;

	ut_conn(&c, V6, EST, 1, 2, "::1.2.3.4", "::5.6.7.8");
	before = c;
	r = tcpstats_conn_normalize(&c);
	cr_expect(!r, "expected ::1.2.3.4 (not ::ffff:) to stay IPv6");
	cr_expect(memcmp(&c, &before, sizeof(c)) == 0, "expected the "
	    "connection untouched");
}

Test(normalize, v4_untouched)
{
	struct tcpstats_conn c, before;
	bool r;

	ut_conn(&c, V4, EST, 1, 2, "10.0.0.1", "10.0.0.2");
	before = c;
	r = tcpstats_conn_normalize(&c);
	cr_expect(!r, "expected no fold for an IPv4 connection");
	cr_expect(memcmp(&c, &before, sizeof(c)) == 0, "expected the "
	    "connection untouched");
}
