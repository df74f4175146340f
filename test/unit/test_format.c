/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_format.c -- canonical text: directive order, aliases and case
 * canonicalised, one-port ranges folded, RFC 5952 IPv6, host routes without
 * a prefix, defaults omitted; parse(format(f)) == f; buffer limits.
 */

#include "unit_helpers.h"

/* Format f into buf, asserting the return value agrees with the text. */
static size_t
format_ok(const struct tcpstats_filter *f, char *buf, size_t len,
    const char *what)
{
	size_t n;

	memset(buf, 'X', len);
	n = tcpstats_filter_format(f, buf, len);
	cr_assert_not_null(memchr(buf, '\0', len), "%s: format() left the "
	    "buffer without a NUL", what);
	cr_assert_eq(n, strlen(buf), "%s: format() returned %zu but wrote "
	    "\"%s\" (%zu bytes)", what, n, buf, strlen(buf));
	return (n);
}

/* --- canonical forms ---------------------------------------------------- */

struct canon {
	char		name[44];
	char		text[256];
	char		canon[256];
};

ParameterizedTestParameters(format, canonical_text)
{
	static struct canon params[] = {
		{ "empty", "", "" },
		{ "blanks only", "  \t ", "" },
		{ "one port", "local_port=22", "local_port=22" },
		{ "one-port range folds", "LOCAL_PORT=22-22", "local_port=22" },
		{ "ports in written order", "local_port=8080,22,1024-2047",
		    "local_port=8080,22,1024-2047" },
		{ "high then low", "remote_port=65535,1",
		    "remote_port=65535,1" },
		{ "sides in canonical order", "remote_port=443 local_port=80",
		    "local_port=80 remote_port=443" },
		{ "flag first", "local_addr=10.0.0.0/8 ipv4_only",
		    "ipv4_only local_addr=10.0.0.0/8" },
		{ "ipv6_only first", "local_port=22 IPV6_ONLY",
		    "ipv6_only local_port=22" },
		{ "excludes merge in state order",
		    "exclude=time_wait exclude=listen",
		    "exclude=listen,time_wait" },
		{ "alias timewait", "exclude=timewait", "exclude=time_wait" },
		{ "alias closewait", "include_state=closewait",
		    "include_state=close_wait" },
		{ "include in state order",
		    "include_state=Established,LISTEN,syn_rcvd",
		    "include_state=listen,syn_received,established" },
		{ "every state excluded", "exclude=time_wait,fin_wait_2,"
		    "last_ack,closing,fin_wait_1,close_wait,established,"
		    "syn_received,syn_sent,listen,closed", "exclude=closed,"
		    "listen,syn_sent,syn_received,established,close_wait,"
		    "fin_wait_1,closing,last_ack,fin_wait_2,time_wait" },
		{ "v4 host route drops /32", "local_addr=192.0.2.1/32",
		    "local_addr=192.0.2.1" },
		{ "v4 /0", "remote_addr=0.0.0.0/0", "remote_addr=0.0.0.0/0" },
		{ "v6 full form compressed",
		    "local_addr=2001:0DB8:0000:0000:0000:0000:0000:0001/128",
		    "local_addr=2001:db8::1" },
		{ "v6 first of equal runs",
		    "remote_addr=2001:db8:0:0:1:0:0:1",
		    "remote_addr=2001:db8::1:0:0:1" },
		{ "v6 longest run wins",
		    "remote_addr=2001:db8:0:1:0:0:0:1",
		    "remote_addr=2001:db8:0:1::1" },
		{ "v6 later longer run wins", "local_addr=1:0:0:2:0:0:0:3",
		    "local_addr=1:0:0:2::3" },
		{ "v6 single zero not compressed",
		    "local_addr=2001:db8:0:1:1:1:1:1",
		    "local_addr=2001:db8:0:1:1:1:1:1" },
		{ "v6 :: for one group expanded", "local_addr=::2:3:4:5:6:7:8",
		    "local_addr=0:2:3:4:5:6:7:8" },
		{ "v6 rfc5952 example", "local_addr=2001:db8:0:0:0:0:2:1",
		    "local_addr=2001:db8::2:1" },
		{ "v6 leading zeros dropped", "local_addr=2001:db8:00aa::0001",
		    "local_addr=2001:db8:aa::1" },
		{ "v6 all zero /0", "remote_addr=0:0:0:0:0:0:0:0/0",
		    "remote_addr=::/0" },
		{ "v6 loopback", "local_addr=0:0:0:0:0:0:0:1",
		    "local_addr=::1" },
		{ "v6 trailing zeros", "local_addr=1:0:0:0:0:0:0:0/16",
		    "local_addr=1::/16" },
		{ "v6 embedded v4 tail as hex",
		    "local_addr=1:2:3:4:5:6:1.2.3.4",
		    "local_addr=1:2:3:4:5:6:102:304" },
		{ "v6 prefix kept", "local_addr=FE80::/10",
		    "local_addr=fe80::/10" },
		{ "mapped host to v4", "local_addr=::ffff:127.0.0.1",
		    "local_addr=127.0.0.1" },
		{ "mapped /104 to v4 /8", "local_addr=::ffff:10.0.0.0/104",
		    "local_addr=10.0.0.0/8" },
		{ "mapped /96 to v4 /0", "local_addr=::ffff:0:0/96",
		    "local_addr=0.0.0.0/0" },
		{ "last group all digits", "remote_addr=2001:db8::33:99",
		    "remote_addr=2001:db8::33:99" },
		{ "mixed CIDR list order kept",
		    "local_addr=2001:db8::/32,10.0.0.0/8",
		    "local_addr=2001:db8::/32,10.0.0.0/8" },
		{ "fields in bit order", "fields=buffers,identity",
		    "fields=identity,buffers" },
		{ "fields all", "fields=ALL", "fields=all" },
		{ "every group is all", "fields=identity,state,congestion,rtt,"
		    "sequences,counters,timers,buffers,ecn,names",
		    "fields=all" },
		{ "default fields omitted", "fields=rtt,buffers,state,"
		    "congestion,identity", "" },
		{ "format full omitted", "format=FULL", "" },
		{ "format compact", "format=Compact", "format=compact" },
		{ "all kinds", "format=compact fields=rtt exclude=closed "
		    "remote_addr=192.0.2.0/24 ipv4_only remote_port=3,1-2 "
		    "local_addr=10.0.0.0/8 local_port=5", "ipv4_only "
		    "local_port=5 remote_port=3,1-2 local_addr=10.0.0.0/8 "
		    "remote_addr=192.0.2.0/24 exclude=closed fields=rtt "
		    "format=compact" },
	};

	return (cr_make_param_array(struct canon, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct canon *p, format, canonical_text)
{
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];

	ut_parse_ok(p->text, NULL, &f);
	format_ok(&f, buf, sizeof(buf), p->name);
	cr_expect_str_eq(buf, p->canon, "%s: format(parse(\"%s\")) expected "
	    "\"%s\", got \"%s\"", p->name, p->text, p->canon, buf);
}

/* --- round trips -------------------------------------------------------- */

struct trip {
	char		name[40];
	char		text[300];
};

ParameterizedTestParameters(format, round_trip)
{
	static struct trip params[] = {
		{ "empty", "" },
		{ "ports both sides", "local_port=1,65535,2-3 remote_port=22" },
		{ "eight ranges", "local_port=1-2,3-4,5-6,7-8,9-10,11-12,"
		    "13-14,15-65535" },
		{ "include", "include_state=listen,established,time_wait" },
		{ "exclude all", "exclude=closed,listen,syn_sent,syn_received,"
		    "established,close_wait,fin_wait_1,closing,last_ack,"
		    "fin_wait_2,time_wait" },
		{ "aliases", "exclude=timewait,closewait,syn_rcvd" },
		{ "ipv4_only with mapped", "ipv4_only "
		    "local_addr=::ffff:10.0.0.0/104" },
		{ "ipv6_only", "ipv6_only remote_addr=fe80::/10,::1" },
		{ "v4 edges", "local_addr=0.0.0.0/0,255.255.255.255,"
		    "128.0.0.0/1,192.168.1.2/31" },
		{ "v6 edges", "remote_addr=::/0,::,1::,8000::/1,"
		    "2001:db8::2/127,1:2:3:4:5:6:7:8,::fffe:0:0/95,"
		    "0:0:1::/48" },
		{ "v6 compat tail", "local_addr=::1.2.3.4" },
		{ "v6 zero runs", "local_addr=1:0:0:2:0:0:0:3,"
		    "2001:db8:0:0:1:0:0:1,0:0:0:1:0:0:0:0" },
		{ "fields subsets", "fields=ecn,names,counters" },
		{ "fields all compact", "fields=all format=compact" },
		{ "fields default written", "fields=identity,state,congestion,"
		    "rtt,buffers" },
		{ "everything", "ipv6_only local_port=443,8443 "
		    "remote_port=1024-65535 local_addr=2001:db8::/32 "
		    "remote_addr=::/0 exclude=listen,time_wait "
		    "fields=identity,timers format=compact" },
		{ "eight v6 CIDRs", "remote_addr=1::,2::,3::,4::,5::,6::,7::,"
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127" },
	};

	return (cr_make_param_array(struct trip, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct trip *p, format, round_trip)
{
	struct tcpstats_filter a, b;
	char buf[TCPSTATS_CANON_MAX], again[TCPSTATS_CANON_MAX];

	ut_parse_ok(p->text, NULL, &a);
	format_ok(&a, buf, sizeof(buf), p->name);
	ut_parse_ok(buf, NULL, &b);
	ut_filter_eq(&b, &a, p->name);
	format_ok(&b, again, sizeof(again), p->name);
	cr_expect_str_eq(again, buf, "%s: canonical text not stable: \"%s\" "
	    "then \"%s\"", p->name, buf, again);
}

/* --- single behaviours -------------------------------------------------- */

Test(format, default_filter_formats_empty)
{
	struct tcpstats_filter f;
	char buf[16];
	size_t n;

	ut_filter_base(&f);
	memset(buf, 'X', sizeof(buf));
	n = tcpstats_filter_format(&f, buf, sizeof(buf));
	cr_expect_eq(n, 0u, "expected 0 for the empty filter, got %zu", n);
	cr_expect_str_eq(buf, "", "expected \"\", got \"%s\"", buf);
}

Test(format, exact_size_buffer_suffices)
{
	struct tcpstats_filter f;
	const char *want = "local_port=22 exclude=listen";
	char buf[64];
	size_t n;

	ut_parse_ok(want, NULL, &f);
	n = tcpstats_filter_format(&f, buf, strlen(want) + 1);
	cr_expect_eq(n, strlen(want), "expected %zu with a buffer of %zu, got "
	    "%zu", strlen(want), strlen(want) + 1, n);
	cr_expect_str_eq(buf, want, "expected \"%s\", got \"%s\"", want, buf);
}

Test(format, one_byte_short_returns_zero_and_empty)
{
	struct tcpstats_filter f;
	const char *text = "local_port=22 exclude=listen";
	char buf[64];
	size_t n;

	ut_parse_ok(text, NULL, &f);
	memset(buf, 'X', sizeof(buf));
	n = tcpstats_filter_format(&f, buf, strlen(text));
	cr_expect_eq(n, 0u, "expected 0 when the NUL does not fit, got %zu",
	    n);
	cr_expect_eq(buf[0], '\0', "expected buf = \"\" when too small, got "
	    "first byte 0x%02x", (unsigned char)buf[0]);
	cr_expect_eq(buf[strlen(text)], 'X', "expected no write past len");
}

Test(format, tiny_buffer_returns_zero_and_empty)
{
	struct tcpstats_filter f;
	char buf[2] = { 'X', 'X' };
	size_t n;

	ut_parse_ok("ipv4_only", NULL, &f);
	n = tcpstats_filter_format(&f, buf, 1);
	cr_expect_eq(n, 0u, "expected 0 with a 1-byte buffer, got %zu", n);
	cr_expect_eq(buf[0], '\0', "expected buf = \"\"");
	cr_expect_eq(buf[1], 'X', "expected no write past len");
}

/* The longest filter the structure can hold fits TCPSTATS_CANON_MAX. */
Test(format, largest_filter_fits_canon_max)
{
	static const char *const six[] = {
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffe0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffd0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffc0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffb0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffa0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff90",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff80" };
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];
	unsigned int i;
	size_t n;

	ut_filter_base(&f);
	f.tf_flags = TCPSTATS_FF_IPV6_ONLY | TCPSTATS_FF_EXCLUDE;
	f.tf_states = 0;
	f.tf_fields = TCPSTATS_F_IDENTITY | TCPSTATS_F_STATE |
	    TCPSTATS_F_CONGESTION | TCPSTATS_F_SEQUENCES |
	    TCPSTATS_F_COUNTERS | TCPSTATS_F_TIMERS | TCPSTATS_F_BUFFERS |
	    TCPSTATS_F_ECN | TCPSTATS_F_NAMES;
	f.tf_format = TCPSTATS_FMT_COMPACT;
	f.tf_nlport = f.tf_nrport = TCPSTATS_MAX_PORTS;
	f.tf_nladdr = f.tf_nraddr = TCPSTATS_MAX_CIDRS;
	for (i = 0; i < TCPSTATS_MAX_PORTS; i++) {
		f.tf_lport[i].tpr_lo = f.tf_rport[i].tpr_lo =
		    (uint16_t)(10000 + 1000 * i);
		f.tf_lport[i].tpr_hi = f.tf_rport[i].tpr_hi =
		    (uint16_t)(10999 + 1000 * i);
	}
	for (i = 0; i < TCPSTATS_MAX_CIDRS; i++) {
		ut_cidr(&f.tf_laddr[i], six[i], 124);
		ut_cidr(&f.tf_raddr[i], six[i], 124);
	}
	n = format_ok(&f, buf, sizeof(buf), "largest filter");
	cr_expect_gt(n, 0u, "expected the largest filter to format into %d "
	    "bytes, got 0", TCPSTATS_CANON_MAX);
	cr_expect_not_null(strstr(buf, "exclude=closed,listen"), "expected "
	    "the full exclude list, got \"%s\"", buf);
	cr_expect_not_null(strstr(buf, "format=compact"), "expected the text "
	    "to end with format=compact, got \"%s\"", buf);
}

Test(format, single_blanks_between_directives)
{
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];
	size_t n;

	ut_parse_ok("ipv4_only\t\tlocal_port=1   exclude=listen", NULL, &f);
	n = format_ok(&f, buf, sizeof(buf), "blanks");
	cr_assert_gt(n, 0u, "expected text");
	cr_expect_null(strstr(buf, "  "), "expected single blanks, got \"%s\"",
	    buf);
	cr_expect_neq(buf[0], ' ', "expected no leading blank, got \"%s\"",
	    buf);
	cr_expect_neq(buf[n - 1], ' ', "expected no trailing blank, got "
	    "\"%s\"", buf);
}
