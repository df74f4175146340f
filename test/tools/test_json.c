/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_json.c -- read_tcpstats -j: every object is valid JSON (checked by
 * json_check.c, independent of the formatter), carried groups appear,
 * others do not, absent fields are null, strings are escaped.
 */

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "format.h"
#include "json_check.h"
#include "tools_test.h"

static void
render(const struct tcpstats_record *r, char *buf, size_t len)
{
	int n;

	n = format_json(r, buf, len);
	cr_assert_geq(n, 0, "format_json failed for a %zu-byte buffer", len);
	cr_assert(json_valid(buf), "not valid JSON: %s", buf);
}

static void
expect_member(const char *json, const char *key, const char *value)
{
	char got[256];

	cr_assert(json_member(json, key, got, sizeof(got)),
	    "expected member \"%s\" in %s", key, json);
	cr_expect_str_eq(got, value, "member \"%s\": expected %s, got %s",
	    key, value, got);
}

static void
expect_no_member(const char *json, const char *key)
{
	char got[256];

	cr_expect_not(json_member(json, key, got, sizeof(got)),
	    "expected no member \"%s\", got %s", key, got);
}

Test(json, full_record_is_valid_with_every_field)
{
	static const char *const keys[] = { "mapped", "proto", "family",
	    "local_addr", "local_port", "remote_addr", "remote_port", "uid",
	    "cookie", "state", "options", "snd_wscale", "rcv_wscale",
	    "snd_cwnd", "snd_ssthresh", "snd_wnd", "rcv_wnd", "snd_mss",
	    "rcv_mss", "srtt_us", "rttvar_us", "rto_us", "min_rtt_us",
	    "snd_una", "snd_nxt", "snd_max", "rcv_nxt", "iss", "irs",
	    "bytes_sent", "bytes_received", "segs_sent", "segs_received",
	    "rexmit_segs", "rexmit_bytes", "ooo_segs", "zerowin",
	    "timer_rexmt_ms", "timer_persist_ms", "timer_keep_ms",
	    "timer_2msl_ms", "timer_delack_ms", "idle_ms", "snd_cc",
	    "snd_hiwat", "rcv_cc", "rcv_hiwat", "ecn_flags", "ce_rcvd", "cc",
	    "stack" };
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX], v[256];
	size_t i;

	tt_record_v4(&r);
	render(&r, buf, sizeof(buf));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_expect(json_member(buf, keys[i], v, sizeof(v)),
		    "expected member \"%s\" in %s", keys[i], buf);
}

Test(json, identity_values)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	render(&r, buf, sizeof(buf));
	expect_member(buf, "proto", "\"tcp4\"");
	expect_member(buf, "family", "4");
	expect_member(buf, "local_addr", "\"127.0.0.1\"");
	expect_member(buf, "local_port", "8080");
	expect_member(buf, "remote_port", "40000");
	expect_member(buf, "uid", "1001");
	expect_member(buf, "mapped", "false");
}

Test(json, ipv6_address_without_brackets)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v6_listen(&r);
	render(&r, buf, sizeof(buf));
	expect_member(buf, "local_addr", "\"2001:db8::33:99\"");
	expect_member(buf, "remote_addr", "\"::\"");
	expect_member(buf, "remote_port", "0");
	expect_member(buf, "state", "\"listen\"");
}

Test(json, cookie_is_an_exact_string)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_identity.tid_cookie = (1ull << 63) + 5;	/* beyond 2^53 */
	render(&r, buf, sizeof(buf));
	expect_member(buf, "cookie", "\"9223372036854775813\"");
}

Test(json, large_counters_are_exact)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	render(&r, buf, sizeof(buf));
	expect_member(buf, "bytes_sent", "123456789012");
	expect_member(buf, "iss", "4000000000");
	expect_member(buf, "timer_keep_ms", "7200000");
}

Test(json, state_options_and_ecn_as_arrays)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	render(&r, buf, sizeof(buf));
	expect_member(buf, "state", "\"established\"");
	expect_member(buf, "options", "[\"timestamps\",\"sack\"]");
	expect_member(buf, "snd_wscale", "7");
	expect_member(buf, "rcv_wscale", "9");
	expect_member(buf, "ecn_flags", "[\"permit\"]");
}

Test(json, no_options_is_empty_array)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_state.tst_options = 0;
	render(&r, buf, sizeof(buf));
	expect_member(buf, "options", "[]");
}

Test(json, absent_fields_are_null)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_hdr.trh_absent = TCPSTATS_A_SRTT | TCPSTATS_A_OPTIONS |
	    TCPSTATS_A_WSCALE | TCPSTATS_A_CC_NAME | TCPSTATS_A_ECN_FLAGS |
	    TCPSTATS_A_T_IDLE;
	render(&r, buf, sizeof(buf));
	expect_member(buf, "srtt_us", "null");
	expect_member(buf, "options", "null");
	expect_member(buf, "snd_wscale", "null");
	expect_member(buf, "rcv_wscale", "null");
	expect_member(buf, "cc", "null");
	expect_member(buf, "ecn_flags", "null");
	expect_member(buf, "idle_ms", "null");
	expect_member(buf, "rto_us", "201000");
	expect_member(buf, "stack", "\"freebsd\"");
}

Test(json, groups_not_carried_are_left_out)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_hdr.trh_fields = TCPSTATS_F_IDENTITY | TCPSTATS_F_RTT;
	render(&r, buf, sizeof(buf));
	expect_member(buf, "srtt_us", "1500");
	expect_no_member(buf, "state");
	expect_no_member(buf, "snd_cwnd");
	expect_no_member(buf, "snd_cc");
	expect_no_member(buf, "cc");
	expect_no_member(buf, "iss");
}

Test(json, mapped_flag)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_hdr.trh_flags = TCPSTATS_RF_MAPPED;
	render(&r, buf, sizeof(buf));
	expect_member(buf, "mapped", "true");
}

Test(json, names_escape_quotes_controls_and_high_bytes)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	memcpy(r.tr_names.tnm_cc, "a\"b\\c\x01\n\xff", 9);
	r.tr_names.tnm_cc[9] = '\0';
	render(&r, buf, sizeof(buf));
	expect_member(buf, "cc", "\"a\\\"b\\\\c\\u0001\\n\\u00ff\"");
}

Test(json, names_without_nul_stay_within_field)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	memset(r.tr_names.tnm_cc, 'x', sizeof(r.tr_names.tnm_cc));
	strcpy(r.tr_names.tnm_stack, "rack");
	render(&r, buf, sizeof(buf));
	expect_member(buf, "cc", "\"xxxxxxxxxxxxxxxx\"");
	expect_member(buf, "stack", "\"rack\"");
}

Test(json, unknown_state_is_its_number)
{
	struct tcpstats_record r;
	char buf[FMT_JSON_MAX];

	tt_record_v4(&r);
	r.tr_state.tst_state = 200;
	render(&r, buf, sizeof(buf));
	expect_member(buf, "state", "200");
}

Test(json, string_helper_empty_and_tab)
{
	char buf[32];

	format_json_string("", 8, buf, sizeof(buf));
	cr_expect_str_eq(buf, "\"\"", "expected \"\" quoted, got %s", buf);
	format_json_string("a\tb", 8, buf, sizeof(buf));
	cr_expect_str_eq(buf, "\"a\\tb\"", "expected a\\tb quoted, got %s",
	    buf);
}

Test(json, buffer_too_small_fails)
{
	struct tcpstats_record r;
	char buf[64];
	int n;

	tt_record_v4(&r);
	n = format_json(&r, buf, sizeof(buf));
	cr_expect_eq(n, -1, "expected -1 for a 64-byte buffer, got %d", n);
}

Test(json, counters_object_is_valid)
{
	struct tcpstats_counters c;
	char buf[4096];

	memset(&c, 0, sizeof(c));
	c.tsc_sockets_visited = 10;
	c.tsc_records_emitted = 4;
	c.tsc_skipped[TCPSTATS_SKIP_ADDR] = 6;
	c.tsc_last_error = -22;
	cr_assert_geq(format_counters_json(&c, buf, sizeof(buf)), 0);
	cr_assert(json_valid(buf), "not valid JSON: %s", buf);
	expect_member(buf, "sockets_visited", "10");
	expect_member(buf, "records_emitted", "4");
	expect_member(buf, "sockets_skipped_addr", "6");
	expect_member(buf, "sockets_skipped_gencnt", "0");
	expect_member(buf, "last_error", "-22");
}

Test(json, counters_text_uses_sysctl_names)
{
	struct tcpstats_counters c;
	char buf[4096];

	memset(&c, 0, sizeof(c));
	c.tsc_opens_total = 3;
	c.tsc_skipped[TCPSTATS_SKIP_STATE] = 9;
	cr_assert_geq(format_counters(&c, buf, sizeof(buf)), 0);
	cr_expect(strstr(buf, "opens_total 3\n") == buf,
	    "expected the text to start with \"opens_total 3\", got:\n%s",
	    buf);
	cr_expect(strstr(buf, "\nsockets_skipped_state 9\n") != NULL,
	    "expected a line \"sockets_skipped_state 9\" in:\n%s", buf);
	cr_expect(strstr(buf, "\nlast_error 0") != NULL,
	    "expected a last line \"last_error 0\" in:\n%s", buf);
}
