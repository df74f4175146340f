/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_hostparse.c -- /proc/net/snmp and /proc/net/netstat parsing on
 * hand-written samples under data/.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "exporter.h"

static struct exp_host_tcp host;
static char err[EXP_ERR_MAX];

static char *
sample(const char *name)
{
	static char buf[16384];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/%s", EXP_TEST_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open sample %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static const struct exp_host_counter *
find(const char *name)
{
	unsigned int i;

	for (i = 0; i < host.ht_count; i++)
		if (strcmp(host.ht_c[i].hc_name, name) == 0)
			return (&host.ht_c[i]);
	return (NULL);
}

static void
reset(void)
{

	memset(&host, 0, sizeof(host));
	err[0] = '\0';
}

Test(hostparse, tcp_line_gives_fifteen_counters, .init = reset)
{
	int n;

	n = exp_host_parse(sample("linux-snmp.txt"), "Tcp:", "", &host, err,
	    sizeof(err));
	cr_expect_eq(n, 15, "expected the 15 Tcp: entries, got %d (%s)", n,
	    err);
	cr_expect_eq(host.ht_count, 15u, "ht_count: expected 15, got %u",
	    host.ht_count);
}

Test(hostparse, counters_take_their_values_in_order, .init = reset)
{
	const struct exp_host_counter *c;

	cr_assert_gt(exp_host_parse(sample("linux-snmp.txt"), "Tcp:", "",
	    &host, err, sizeof(err)), 0, "%s", err);
	c = find("active_opens");
	cr_assert_not_null(c, "active_opens missing");
	cr_expect(!c->hc_gauge, "ActiveOpens is a counter");
	cr_expect_eq(c->hc_uvalue, 7341u, "ActiveOpens: expected 7341, got "
	    "%llu", (unsigned long long)c->hc_uvalue);
	c = find("in_csum_errors");
	cr_assert_not_null(c, "in_csum_errors (last column) missing");
	cr_expect_eq(c->hc_uvalue, 0u, "InCsumErrors: expected 0");
	c = find("retrans_segs");
	cr_assert_not_null(c, "retrans_segs missing");
	cr_expect_eq(c->hc_uvalue, 1532u, "RetransSegs: expected 1532, got "
	    "%llu", (unsigned long long)c->hc_uvalue);
}

Test(hostparse, levels_are_gauges_and_may_be_negative, .init = reset)
{
	const struct exp_host_counter *c;

	cr_assert_gt(exp_host_parse(sample("linux-snmp.txt"), "Tcp:", "",
	    &host, err, sizeof(err)), 0, "%s", err);
	c = find("max_conn");
	cr_assert_not_null(c, "max_conn missing");
	cr_expect(c->hc_gauge, "MaxConn is a gauge");
	cr_expect_eq(c->hc_ivalue, -1, "MaxConn: expected -1, got %lld",
	    (long long)c->hc_ivalue);
	c = find("curr_estab");
	cr_assert_not_null(c, "curr_estab missing");
	cr_expect(c->hc_gauge && c->hc_ivalue == 19,
	    "CurrEstab: expected gauge 19, got %lld", (long long)c->hc_ivalue);
}

Test(hostparse, other_protocols_are_ignored, .init = reset)
{

	cr_assert_gt(exp_host_parse(sample("linux-snmp.txt"), "Tcp:", "",
	    &host, err, sizeof(err)), 0, "%s", err);
	cr_expect_null(find("in_datagrams"), "a Udp: entry leaked in");
	cr_expect_null(find("forwarding"), "an Ip: entry leaked in");
}

Test(hostparse, tcpext_appends_with_prefix, .init = reset)
{
	const struct exp_host_counter *c;
	int n;

	cr_assert_gt(exp_host_parse(sample("linux-snmp.txt"), "Tcp:", "",
	    &host, err, sizeof(err)), 0, "%s", err);
	n = exp_host_parse(sample("linux-netstat.txt"), "TcpExt:", "ext_",
	    &host, err, sizeof(err));
	cr_expect_eq(n, 32, "expected 32 TcpExt: entries, got %d (%s)", n,
	    err);
	cr_expect_eq(host.ht_count, 47u, "expected 15 + 32, got %u",
	    host.ht_count);
	c = find("ext_tcphp_hits");
	cr_assert_not_null(c, "ext_tcphp_hits missing");
	cr_expect_eq(c->hc_uvalue, 120331u, "TCPHPHits: expected 120331");
	c = find("ext_tw");
	cr_assert_not_null(c, "ext_tw missing");
	cr_expect_eq(c->hc_uvalue, 1804u, "TW: expected 1804");
	cr_expect(!c->hc_gauge, "TcpExt entries are counters");
	cr_expect_null(find("ext_in_octets"), "an IpExt: entry leaked in");
}

Test(hostparse, source_name_is_kept_for_help, .init = reset)
{
	const struct exp_host_counter *c;

	cr_assert_gt(exp_host_parse(sample("linux-netstat.txt"), "TcpExt:",
	    "ext_", &host, err, sizeof(err)), 0, "%s", err);
	c = find("ext_tcp_spurious_rt_os");
	cr_assert_not_null(c, "ext_tcp_spurious_rt_os missing");
	cr_expect_str_eq(c->hc_source, "TcpExt: TCPSpuriousRTOs",
	    "source: got '%s'", c->hc_source);
}

Test(hostparse, fewer_values_than_names_is_an_error, .init = reset)
{

	cr_expect_eq(exp_host_parse(sample("bad-count.txt"), "Tcp:", "", &host,
	    err, sizeof(err)), -1, "mismatched lines accepted");
	cr_expect_eq(host.ht_count, 0u, "a failed parse appended %u entries",
	    host.ht_count);
	cr_expect(strstr(err, "numbers of names and values") != NULL,
	    "got '%s'", err);
}

Test(hostparse, non_numeric_value_is_an_error, .init = reset)
{

	cr_expect_eq(exp_host_parse(sample("bad-value.txt"), "Tcp:", "", &host,
	    err, sizeof(err)), -1, "value 'x7' accepted");
	cr_expect_eq(host.ht_count, 0u, "a failed parse appended %u entries",
	    host.ht_count);
	cr_expect(strstr(err, "x7") != NULL && strstr(err, "ActiveOpens") !=
	    NULL, "message should name value and counter, got '%s'", err);
}

Test(hostparse, names_without_values_line_is_an_error, .init = reset)
{

	cr_expect_eq(exp_host_parse(sample("bad-pair.txt"), "Tcp:", "", &host,
	    err, sizeof(err)), -1, "names line alone accepted");
	cr_expect(strstr(err, "values line") != NULL, "got '%s'", err);
}

Test(hostparse, missing_tag_is_an_error, .init = reset)
{

	cr_expect_eq(exp_host_parse(sample("linux-snmp.txt"), "TcpExt:", "",
	    &host, err, sizeof(err)), -1, "TcpExt: found in snmp text");
	cr_expect(strstr(err, "TcpExt:") != NULL, "got '%s'", err);
}

struct snake {
	char	in[40];
	char	out[40];
};

static struct snake snakes[] = {
	{ "ActiveOpens", "active_opens" },
	{ "InCsumErrors", "in_csum_errors" },
	{ "RtoMin", "rto_min" },
	{ "TW", "tw" },
	{ "TWRecycled", "tw_recycled" },
	{ "PAWSEstab", "paws_estab" },
	{ "TCPHPHits", "tcphp_hits" },
	{ "TCPMD5Failure", "tcpmd5_failure" },
	{ "TCPSYNChallenge", "tcpsyn_challenge" },
	{ "DelayedACKLost", "delayed_ack_lost" },
	{ "x-y.z", "x_y_z" },
};

ParameterizedTestParameters(hostparse, snake_case_names)
{
	return (cr_make_param_array(struct snake, snakes,
	    sizeof(snakes) / sizeof(snakes[0])));
}

ParameterizedTest(struct snake *s, hostparse, snake_case_names)
{
	char got[64];

	cr_assert_eq(exp_snake_case(s->in, got, sizeof(got)), 0,
	    "'%s' refused", s->in);
	cr_expect_str_eq(got, s->out, "'%s': expected '%s', got '%s'", s->in,
	    s->out, got);
}

Test(hostparse, snake_case_of_punctuation_only_fails)
{
	char got[16];

	cr_expect_eq(exp_snake_case("--", got, sizeof(got)), -1,
	    "a name with no letters should be refused");
}
