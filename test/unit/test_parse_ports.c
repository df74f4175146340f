/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_parse_ports.c -- local_port= and remote_port=: items, ranges,
 * limits, duplicates and overlaps, one directive per side, error columns.
 */

#include "unit_helpers.h"

/* --- accepted lists ----------------------------------------------------- */

struct port_ok {
	char		name[40];
	char		text[200];
	int		remote;		/* 1: remote_port, 0: local_port */
	unsigned int	n;
	unsigned int	lo[TCPSTATS_MAX_PORTS];
	unsigned int	hi[TCPSTATS_MAX_PORTS];
};

ParameterizedTestParameters(ports, accepted_lists)
{
	static struct port_ok params[] = {
		{ "one port", "local_port=22", 0, 1, { 22 }, { 22 } },
		{ "lowest port", "local_port=1", 0, 1, { 1 }, { 1 } },
		{ "highest port", "local_port=65535", 0, 1, { 65535 },
		    { 65535 } },
		{ "full range", "local_port=1-65535", 0, 1, { 1 }, { 65535 } },
		{ "one-port range folds", "local_port=22-22", 0, 1, { 22 },
		    { 22 } },
		{ "top one-port range", "remote_port=65535-65535", 1, 1,
		    { 65535 }, { 65535 } },
		{ "remote side", "remote_port=443", 1, 1, { 443 }, { 443 } },
		{ "written order kept", "local_port=8080,22,1024-2047", 0, 3,
		    { 8080, 22, 1024 }, { 8080, 22, 2047 } },
		{ "adjacent ranges", "local_port=20-30,31-40", 0, 2,
		    { 20, 31 }, { 30, 40 } },
		{ "eight items", "local_port=1,2,3,4,5,6,7,8", 0, 8,
		    { 1, 2, 3, 4, 5, 6, 7, 8 }, { 1, 2, 3, 4, 5, 6, 7, 8 } },
		{ "eight ranges", "remote_port=1-2,3-4,5-6,7-8,9-10,11-12,"
		    "13-14,15-65535", 1, 8, { 1, 3, 5, 7, 9, 11, 13, 15 },
		    { 2, 4, 6, 8, 10, 12, 14, 65535 } },
		{ "key in upper case", "LOCAL_PORT=80", 0, 1, { 80 },
		    { 80 } },
		{ "key in mixed case", "Remote_Port=80", 1, 1, { 80 },
		    { 80 } },
	};

	return (cr_make_param_array(struct port_ok, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct port_ok *p, ports, accepted_lists)
{
	struct tcpstats_filter got, want;
	struct tcpstats_portrange *r;
	unsigned int i;

	ut_filter_base(&want);
	r = p->remote ? want.tf_rport : want.tf_lport;
	for (i = 0; i < p->n; i++) {
		r[i].tpr_lo = (uint16_t)p->lo[i];
		r[i].tpr_hi = (uint16_t)p->hi[i];
	}
	if (p->remote)
		want.tf_nrport = (uint8_t)p->n;
	else
		want.tf_nlport = (uint8_t)p->n;
	ut_parse_ok(p->text, NULL, &got);
	ut_filter_eq(&got, &want, p->name);
}

/* --- rejected items ----------------------------------------------------- */

/*
 * Each rejected text names its bad item by a needle: the expected column
 * is where the nth occurrence of the needle starts, plus off.
 */
struct port_bad {
	char		name[40];
	char		text[200];
	char		needle[40];
	unsigned int	nth;
	int		off;
	char		msg[40];	/* the message must contain this */
};

ParameterizedTestParameters(ports, rejected_items)
{
	static struct port_bad params[] = {
		{ "reversed range", "local_port=22-21", "22-21", 1, 0,
		    "22-21" },
		{ "negative port", "local_port=-1", "-1", 1, 0, "-1" },
		{ "port 65536", "local_port=65536", "65536", 1, 0, "65536" },
		{ "range end 65536", "local_port=22-65536", "22-", 1, 0,
		    "22-65536" },
		{ "not a number", "local_port=foo", "foo", 1, 0, "foo" },
		{ "port 0", "local_port=0", "0", 1, 0, "" },
		{ "range from 0", "local_port=0-5", "0-5", 1, 0, "" },
		{ "range to 0", "local_port=5-0", "5-0", 1, 0, "" },
		{ "leading zero", "local_port=080", "080", 1, 0, "080" },
		{ "double zero", "local_port=00", "00", 1, 0, "" },
		{ "plus sign", "local_port=+22", "+22", 1, 0, "+22" },
		{ "hex", "local_port=0x16", "0x16", 1, 0, "" },
		{ "exponent", "local_port=1e3", "1e3", 1, 0, "" },
		{ "huge number", "local_port=4294967318", "4294967318", 1, 0,
		    "" },
		{ "dash only", "local_port=-", "-", 1, 0, "" },
		{ "open range", "local_port=22-", "22-", 1, 0, "" },
		{ "double dash", "local_port=22--23", "22--23", 1, 0, "" },
		{ "three-part range", "local_port=22-23-24", "22-23-24", 1, 0,
		    "" },
		{ "empty middle item", "local_port=22,,23", ",,", 1, 1, "" },
		{ "empty last item", "local_port=22,", "22,", 1, 3, "" },
		{ "empty first item", "local_port=,22", ",22", 1, 0, "" },
		{ "bad second item", "remote_port=22,foo,23", "foo", 1, 0,
		    "foo" },
		{ "bad item after range", "remote_port=1-1023,70000",
		    "70000", 1, 0, "70000" },
		{ "equals in value", "local_port==22", "=22", 1, 0, "" },
		{ "ninth item", "local_port=1,2,3,4,5,6,7,8,9", ",9", 1, 1,
		    "" },
		{ "ninth range", "remote_port=1-2,3-4,5-6,7-8,9-10,11-12,"
		    "13-14,15-16,17-18", "17-18", 1, 0, "" },
		{ "same port twice", "local_port=80,80", "80", 2, 0, "twice" },
		{ "same range twice", "local_port=80-90,80-90", "80-90", 2, 0,
		    "" },
		{ "port inside earlier range", "local_port=80-90,85", "85", 1,
		    0, "overlaps" },
		{ "range around earlier port", "local_port=85,80-90", "80-90",
		    1, 0, "overlaps" },
		{ "ranges overlapping", "local_port=20-30,25-35", "25-35", 1,
		    0, "overlaps" },
		{ "ranges touching at one port", "local_port=20-30,30-40",
		    "30-40", 1, 0, "overlaps" },
		{ "one-port range duplicates port", "local_port=22,22-22",
		    "22-22", 1, 0, "" },
	};

	return (cr_make_param_array(struct port_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct port_bad *p, ports, rejected_items)
{
	struct tcpstats_errinfo err;
	unsigned int col;

	col = ut_col(p->text, p->needle, p->nth, p->off);
	ut_parse_err(p->text, NULL, &err);
	cr_expect_eq(err.tei_column, col, "%s: parse(\"%s\") expected column "
	    "%u, got %u (%s)", p->name, p->text, col, err.tei_column,
	    err.tei_message);
	cr_expect_str_eq(err.tei_directive, strncmp(p->text, "remote", 6) ==
	    0 ? "remote_port" : "local_port", "%s: parse(\"%s\") expected "
	    "tei_directive naming the key, got '%s'", p->name, p->text,
	    err.tei_directive);
	if (p->msg[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, p->msg),
		    "%s: parse(\"%s\") expected the message to contain '%s', "
		    "got '%s'", p->name, p->text, p->msg, err.tei_message);
}

/* --- single behaviours -------------------------------------------------- */

Test(ports, range_22_22_is_stored_as_one_port)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_port=22-22", NULL, &f);
	cr_assert_eq(f.tf_nlport, 1, "expected 1 item, got %u", f.tf_nlport);
	cr_expect_eq(f.tf_lport[0].tpr_lo, 22, "expected lo 22, got %u",
	    f.tf_lport[0].tpr_lo);
	cr_expect_eq(f.tf_lport[0].tpr_hi, 22, "expected hi 22, got %u",
	    f.tf_lport[0].tpr_hi);
}

Test(ports, range_22_22_equals_plain_22)
{
	struct tcpstats_filter a, b;

	ut_parse_ok("local_port=22-22", NULL, &a);
	ut_parse_ok("local_port=22", NULL, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0,
	    "expected local_port=22-22 to compile exactly like local_port=22");
}

Test(ports, eight_items_is_the_limit)
{
	struct tcpstats_filter f;

	ut_parse_ok("remote_port=10,20,30,40,50,60,70,80", NULL, &f);
	cr_expect_eq(f.tf_nrport, TCPSTATS_MAX_PORTS, "expected %d items, "
	    "got %u", TCPSTATS_MAX_PORTS, f.tf_nrport);
}

Test(ports, ninth_item_rejected_at_its_column)
{
	const char *text = "remote_port=10,20,30,40,50,60,70,80,90";

	ut_expect_reject(text, NULL, ut_col(text, "90", 1, 0), NULL);
}

Test(ports, local_port_twice_rejected_on_second)
{
	const char *text = "local_port=22 local_port=80";

	ut_expect_reject(text, NULL, ut_col(text, "local_port", 2, 0),
	    "twice");
}

Test(ports, remote_port_twice_rejected_on_second)
{
	const char *text = "remote_port=22 exclude=listen REMOTE_PORT=80";

	ut_expect_reject(text, NULL, ut_col(text, "REMOTE_PORT", 1, 0),
	    NULL);
}

Test(ports, same_port_on_both_sides_accepted)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_port=22 remote_port=22", NULL, &f);
	cr_expect_eq(f.tf_nlport, 1, "expected 1 local item, got %u",
	    f.tf_nlport);
	cr_expect_eq(f.tf_nrport, 1, "expected 1 remote item, got %u",
	    f.tf_nrport);
}

Test(ports, empty_value_expects_a_value)
{
	const char *text = "exclude=listen local_port=";

	ut_expect_reject(text, NULL, ut_col(text, "local_port", 1, 0),
	    "expects a value");
}

Test(ports, bare_key_needs_a_value)
{
	const char *text = "remote_port";

	ut_expect_reject(text, NULL, 1, "needs a value");
}

Test(ports, message_names_the_bad_port_and_the_range)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_port=65536", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "'65536'"),
	    "expected the message to quote '65536', got '%s'",
	    err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "65535"),
	    "expected the message to state the limit 65535, got '%s'",
	    err.tei_message);
}

Test(ports, duplicate_message_names_the_port)
{
	const char *text = "local_port=443,80,443";
	struct tcpstats_errinfo err;

	ut_parse_err(text, NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "443"),
	    "expected the message to name port 443, got '%s'",
	    err.tei_message);
	cr_expect_eq(err.tei_column, ut_col_last(text, "443"), "expected the "
	    "column of the second 443, got %u", err.tei_column);
}

Test(ports, overlap_message_names_both_items)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_port=80-90,85", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "80-90"),
	    "expected the message to name 80-90, got '%s'", err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "85"),
	    "expected the message to name 85, got '%s'", err.tei_message);
}
