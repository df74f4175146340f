/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_parse_misc.c -- the filter text as a whole: blanks, stray bytes,
 * length and directive limits, keys and their case, flags, fields= and
 * format=, did-you-mean for keys, error reports, and *out left untouched
 * by every rejection.
 */

#include "unit_helpers.h"

/* Text of n bytes: head, then blanks. */
static void
pad_text(char *buf, size_t n, const char *head)
{
	size_t h;

	h = strlen(head);
	cr_assert_leq(h, n, "test bug: head longer than %zu", n);
	memcpy(buf, head, h);
	memset(buf + h, ' ', n - h);
	buf[n] = '\0';
}

/* --- empty text, blanks ------------------------------------------------- */

Test(text, empty_text_is_the_default_filter)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	ut_parse_ok("", NULL, &got);
	ut_filter_eq(&got, &want, "parse(\"\")");
}

Test(text, blanks_only_is_the_default_filter)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	ut_parse_ok(" \t  \t", NULL, &got);
	ut_filter_eq(&got, &want, "parse(\" \\t  \\t\")");
}

Test(text, filter_default_matches_empty_parse)
{
	struct tcpstats_filter got, want;

	memset(&got, UT_SENTINEL, sizeof(got));
	tcpstats_filter_default(&got);
	ut_filter_base(&want);
	ut_filter_eq(&got, &want, "tcpstats_filter_default()");
}

Test(text, runs_of_blanks_separate_directives)
{
	struct tcpstats_filter a, b;

	ut_parse_ok("  local_port=22 \t\t exclude=listen\t", NULL, &a);
	ut_parse_ok("local_port=22 exclude=listen", NULL, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "expected blank runs, tabs "
	    "and leading/trailing blanks not to change the filter");
}

Test(text, parse_zeroes_padding_of_reused_output)
{
	struct tcpstats_filter got, want;

	memset(&got, 0xff, sizeof(got));
	ut_filter_base(&want);
	want.tf_nlport = 1;
	want.tf_lport[0].tpr_lo = 22;
	want.tf_lport[0].tpr_hi = 22;
	ut_parse_ok("local_port=22", NULL, &got);
	ut_filter_eq(&got, &want, "local_port=22 into a 0xff-filled struct");
}

/* --- stray bytes -------------------------------------------------------- */

struct stray {
	char		name[32];
	char		text[64];
	unsigned int	column;
	char		msg[24];
};

ParameterizedTestParameters(text, stray_bytes_rejected)
{
	static struct stray params[] = {
		{ "newline", "local_port=22\nexclude=listen", 14, "0x0a" },
		{ "carriage return", "local_port=22\r", 14, "0x0d" },
		{ "vertical tab", "exclude=listen\vlocal_port=1", 15, "0x0b" },
		{ "form feed", "\flocal_port=22", 1, "0x0c" },
		{ "byte 0x01", "local_port=2\x01" "2", 13, "0x01" },
		{ "byte 0x1f", "ipv4_only \x1f", 11, "0x1f" },
		{ "byte 0x7f", "ipv4_only \x7f", 11, "" },
		{ "byte 0x80", "exclude=listen \x80", 16, "0x80" },
		{ "utf-8 letter", "local_port=22 exclude=\xc3\xa9tabli", 23,
		    "0xc3" },
		{ "byte 0xff", "\xff", 1, "0xff" },
	};

	return (cr_make_param_array(struct stray, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct stray *p, text, stray_bytes_rejected)
{
	struct tcpstats_errinfo err;

	ut_parse_err(p->text, NULL, &err);
	cr_expect_eq(err.tei_column, p->column, "%s: expected column %u, got "
	    "%u (%s)", p->name, p->column, err.tei_column, err.tei_message);
	if (p->msg[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, p->msg),
		    "%s: expected the message to name byte %s, got '%s'",
		    p->name, p->msg, err.tei_message);
}

/* --- length limit ------------------------------------------------------- */

Test(text, length_511_accepted)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_filter f;

	pad_text(text, TCPSTATS_FILTER_MAXLEN, "local_port=22");
	ut_parse_ok(text, NULL, &f);
	cr_expect_eq(f.tf_nlport, 1, "expected the 511-byte text to compile "
	    "local_port=22, got %u items", f.tf_nlport);
}

Test(text, length_511_with_directive_at_the_end_accepted)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_filter f;

	memset(text, ' ', TCPSTATS_FILTER_MAXLEN);
	memcpy(text + TCPSTATS_FILTER_MAXLEN - 9, "ipv6_only", 9);
	text[TCPSTATS_FILTER_MAXLEN] = '\0';
	ut_parse_ok(text, NULL, &f);
	cr_expect_eq(f.tf_flags, TCPSTATS_FF_IPV6_ONLY, "expected ipv6_only "
	    "ending at byte 511 to be read, got flags 0x%x", f.tf_flags);
}

Test(text, length_512_rejected_at_column_512)
{
	char text[TCPSTATS_FILTER_MAXLEN + 2];
	struct tcpstats_errinfo err;

	pad_text(text, TCPSTATS_FILTER_MAXLEN + 1, "local_port=22");
	ut_parse_err(text, NULL, &err);
	cr_expect_eq(err.tei_column, 512u, "expected column 512, got %u",
	    err.tei_column);
	cr_expect_not_null(strstr(err.tei_message, "512"), "expected the "
	    "message to give the length 512, got '%s'", err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "511"), "expected the "
	    "message to give the limit 511, got '%s'", err.tei_message);
	cr_expect_str_eq(err.tei_directive, "", "expected no directive for "
	    "a length error, got '%s'", err.tei_directive);
}

Test(text, length_far_past_limit_rejected_at_column_512)
{
	char text[2048];
	struct tcpstats_errinfo err;

	pad_text(text, sizeof(text) - 1, "bogus_key=1");
	ut_parse_err(text, NULL, &err);
	cr_expect_eq(err.tei_column, 512u, "expected column 512 before any "
	    "other check, got %u (%s)", err.tei_column, err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "511"), "expected the "
	    "message to give the limit 511, got '%s'", err.tei_message);
}

/* --- directive count ---------------------------------------------------- */

/* Sixteen directives that do not conflict. */
static const char *const sixteen[] = {
	"local_port=1", "remote_port=2", "local_addr=10.0.0.0/8",
	"remote_addr=10.0.0.0/8", "fields=rtt", "format=compact",
	"ipv4_only", "exclude=closed", "exclude=listen", "exclude=syn_sent",
	"exclude=syn_received", "exclude=established", "exclude=close_wait",
	"exclude=fin_wait_1", "exclude=closing", "exclude=last_ack",
};

static unsigned int
join(char *buf, size_t len, unsigned int n, const char *extra)
{
	unsigned int i, col;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, sixteen[i], len - strlen(buf) - 1);
	}
	col = (unsigned int)strlen(buf) + 2;
	if (extra != NULL) {
		strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, extra, len - strlen(buf) - 1);
	}
	return (col);
}

Test(text, sixteen_directives_accepted)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_filter f;

	join(text, sizeof(text), 16, NULL);
	ut_parse_ok(text, NULL, &f);
	cr_expect_eq(f.tf_format, TCPSTATS_FMT_COMPACT, "expected all 16 "
	    "directives applied (format=compact), got format %u",
	    f.tf_format);
}

Test(text, seventeenth_directive_rejected_at_its_column)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	unsigned int col;

	col = join(text, sizeof(text), 16, "exclude=fin_wait_2");
	ut_expect_reject(text, NULL, col, "16");
}

Test(text, count_error_points_at_17th_not_later_ones)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	unsigned int col;

	col = join(text, sizeof(text), 16,
	    "exclude=fin_wait_2 exclude=time_wait bogus=1");
	ut_expect_reject(text, NULL, col, NULL);
}

Test(text, blanks_do_not_count_as_directives)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	char spaced[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_filter a, b;
	unsigned int i;

	join(text, sizeof(text), 16, NULL);
	/* Same sixteen directives with every blank doubled. */
	spaced[0] = '\0';
	for (i = 0; text[i] != '\0'; i++) {
		size_t o = strlen(spaced);

		spaced[o] = text[i];
		spaced[o + 1] = '\0';
		if (text[i] == ' ')
			strcat(spaced, "\t");
	}
	ut_parse_ok(text, NULL, &a);
	ut_parse_ok(spaced, NULL, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "expected doubled blanks "
	    "not to change the 16-directive filter");
}

/* --- keys, values, flags ------------------------------------------------ */

struct key_bad {
	char		name[40];
	char		text[96];
	char		needle[32];
	unsigned int	nth;
	char		directive[32];
	char		msg[40];
};

ParameterizedTestParameters(keys, rejected)
{
	static struct key_bad params[] = {
		{ "flag with value", "ipv4_only=1", "ipv4_only", 1,
		    "ipv4_only", "is a flag and takes no value" },
		{ "flag with empty value", "local_port=22 ipv6_only=",
		    "ipv6_only", 1, "ipv6_only",
		    "is a flag and takes no value" },
		{ "upper-case flag with value", "IPV4_ONLY=yes", "IPV4_ONLY",
		    1, "ipv4_only", "is a flag and takes no value" },
		{ "bare fields", "fields", "fields", 1, "fields",
		    "needs a value" },
		{ "bare format", "ipv4_only format", "format", 1, "format",
		    "needs a value" },
		{ "bare local_addr", "local_addr", "local_addr", 1,
		    "local_addr", "needs a value" },
		{ "bare profile", "profile", "profile", 1, "profile",
		    "needs a value" },
		{ "empty fields", "fields=", "fields", 1, "fields",
		    "expects a value" },
		{ "empty format", "FORMAT=", "FORMAT", 1, "format",
		    "expects a value" },
		{ "empty remote_addr", "remote_addr=", "remote_addr", 1,
		    "remote_addr", "expects a value" },
		{ "empty profile", "profile=", "profile", 1, "profile",
		    "expects a value" },
		{ "both families", "ipv4_only ipv6_only", "ipv6_only", 1,
		    "ipv6_only", "" },
		{ "both families reversed", "ipv6_only local_port=1 ipv4_only",
		    "ipv4_only", 1, "ipv4_only", "" },
		{ "ipv4_only twice", "ipv4_only Ipv4_Only", "Ipv4_Only", 1,
		    "ipv4_only", "" },
		{ "ipv6_only twice", "ipv6_only ipv6_only", "ipv6_only", 2,
		    "ipv6_only", "" },
		{ "unknown key", "local_port=22 bogus=1", "bogus", 1, "bogus",
		    "unknown directive" },
		{ "unknown bare word", "exclude=listen frobnicate",
		    "frobnicate", 1, "frobnicate", "unknown directive" },
		{ "unknown key keeps case", "BogusKey", "BogusKey", 1,
		    "BogusKey", "" },
		{ "blank before equals", "local_port =22", "local_port", 1,
		    "local_port", "needs a value" },
		{ "fields unknown group", "fields=identity,bogus", "bogus", 1,
		    "fields", "bogus" },
		{ "fields duplicate", "fields=rtt,state,rtt", "rtt", 2,
		    "fields", "" },
		{ "fields duplicate by case", "fields=rtt,RTT", "RTT", 1,
		    "fields", "" },
		{ "fields all then group", "fields=all,rtt", "rtt", 1,
		    "fields", "" },
		{ "fields group then all", "fields=rtt,all", "all", 1,
		    "fields", "" },
		{ "fields all twice", "fields=all,all", "all", 2, "fields",
		    "" },
		{ "fields twice", "fields=rtt fields=ecn", "fields", 2,
		    "fields", "" },
		{ "fields empty item", "fields=rtt,,ecn", ",ecn", 1, "fields",
		    "" },
		{ "format unknown", "format=binary", "binary", 1, "format",
		    "binary" },
		{ "format twice", "format=full format=compact", "format", 2,
		    "format", "" },
		{ "format list", "format=full,compact", "full,compact", 1,
		    "format", "" },
	};

	return (cr_make_param_array(struct key_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct key_bad *p, keys, rejected)
{
	struct tcpstats_errinfo err;
	unsigned int col;

	col = ut_col(p->text, p->needle, p->nth, 0);
	ut_parse_err(p->text, NULL, &err);
	cr_expect_eq(err.tei_column, col, "%s: parse(\"%s\") expected column "
	    "%u, got %u (%s)", p->name, p->text, col, err.tei_column,
	    err.tei_message);
	if (p->directive[0] != '\0')
		cr_expect_str_eq(err.tei_directive, p->directive, "%s: parse("
		    "\"%s\") expected tei_directive '%s', got '%s'", p->name,
		    p->text, p->directive, err.tei_directive);
	if (p->msg[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, p->msg),
		    "%s: parse(\"%s\") expected the message to contain '%s', "
		    "got '%s'", p->name, p->text, p->msg, err.tei_message);
}

Test(keys, keys_are_case_insensitive)
{
	struct tcpstats_filter a, b;

	ut_parse_ok("IPV4_ONLY Local_Port=22 REMOTE_ADDR=10.0.0.0/8 "
	    "Fields=RTT FORMAT=Compact", NULL, &a);
	ut_parse_ok("ipv4_only local_port=22 remote_addr=10.0.0.0/8 "
	    "fields=rtt format=compact", NULL, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "expected keys and values "
	    "in any case to compile like their lower-case form");
}

Test(keys, ipv4_only_sets_flag)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_flags = TCPSTATS_FF_IPV4_ONLY;
	ut_parse_ok("ipv4_only", NULL, &got);
	ut_filter_eq(&got, &want, "ipv4_only");
}

Test(keys, ipv6_only_sets_flag)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_flags = TCPSTATS_FF_IPV6_ONLY;
	ut_parse_ok("ipv6_only", NULL, &got);
	ut_filter_eq(&got, &want, "ipv6_only");
}

Test(keys, unknown_directive_name_truncated_to_31)
{
	const char *text = "abcdefghijklmnopqrstuvwxyz0123456789abcd";
	struct tcpstats_errinfo err;

	ut_parse_err(text, NULL, &err);
	cr_expect_eq(strlen(err.tei_directive), 31u, "expected the raw token "
	    "truncated to 31 bytes, got %zu ('%s')", strlen(err.tei_directive),
	    err.tei_directive);
	cr_expect_eq(strncmp(err.tei_directive, text, 31), 0, "expected the "
	    "first 31 bytes of the token, got '%s'", err.tei_directive);
}

Test(keys, long_token_message_stays_bounded)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_errinfo err;

	memset(text, 'q', TCPSTATS_FILTER_MAXLEN);
	text[TCPSTATS_FILTER_MAXLEN] = '\0';
	ut_parse_err(text, NULL, &err);
	cr_expect_lt(strlen(err.tei_message), (size_t)TCPSTATS_ERRMSG_MAX,
	    "expected a message under %d bytes, got %zu", TCPSTATS_ERRMSG_MAX,
	    strlen(err.tei_message));
	cr_expect_eq(err.tei_column, 1u, "expected column 1, got %u",
	    err.tei_column);
}

/* --- fields= and format= ------------------------------------------------ */

struct fields_ok {
	char		name[32];
	char		text[128];
	unsigned int	fields;
};

ParameterizedTestParameters(fields, accepted)
{
	static struct fields_ok params[] = {
		{ "identity", "fields=identity", TCPSTATS_F_IDENTITY },
		{ "state", "fields=state", TCPSTATS_F_STATE },
		{ "congestion", "fields=congestion", TCPSTATS_F_CONGESTION },
		{ "rtt", "fields=rtt", TCPSTATS_F_RTT },
		{ "sequences", "fields=sequences", TCPSTATS_F_SEQUENCES },
		{ "counters", "fields=counters", TCPSTATS_F_COUNTERS },
		{ "timers", "fields=timers", TCPSTATS_F_TIMERS },
		{ "buffers", "fields=buffers", TCPSTATS_F_BUFFERS },
		{ "ecn", "fields=ecn", TCPSTATS_F_ECN },
		{ "names", "fields=names", TCPSTATS_F_NAMES },
		{ "all", "fields=all", TCPSTATS_F_ALL },
		{ "ALL", "FIELDS=ALL", TCPSTATS_F_ALL },
		{ "two in any order", "fields=buffers,Identity",
		    TCPSTATS_F_BUFFERS | TCPSTATS_F_IDENTITY },
		{ "every group by name", "fields=names,ecn,buffers,timers,"
		    "counters,sequences,rtt,congestion,state,identity",
		    TCPSTATS_F_ALL },
		{ "default written out", "fields=identity,state,congestion,"
		    "rtt,buffers", TCPSTATS_F_DEFAULT },
	};

	return (cr_make_param_array(struct fields_ok, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct fields_ok *p, fields, accepted)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_fields = (uint16_t)p->fields;
	ut_parse_ok(p->text, NULL, &got);
	ut_filter_eq(&got, &want, p->name);
}

Test(fields, format_compact_sets_format)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_format = TCPSTATS_FMT_COMPACT;
	ut_parse_ok("format=COMPACT", NULL, &got);
	ut_filter_eq(&got, &want, "format=COMPACT");
}

Test(fields, format_full_is_the_default)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	ut_parse_ok("format=Full", NULL, &got);
	ut_filter_eq(&got, &want, "format=Full");
}

/* --- did-you-mean for keys ---------------------------------------------- */

struct key_dym {
	char		name[32];
	char		text[48];
	char		token[24];
	char		suggestion[24];
};

ParameterizedTestParameters(keys, unknown_key_suggests)
{
	static struct key_dym params[] = {
		{ "swapped letters", "local_prot=22", "local_prot",
		    "local_port" },
		{ "upper case", "LOCAL_PROT=22", "LOCAL_PROT", "local_port" },
		{ "missing letter", "remote_adr=::1", "remote_adr",
		    "remote_addr" },
		{ "truncated", "exclud=listen", "exclud", "exclude" },
		{ "bare flag typo", "ipv4only", "ipv4only", "ipv4_only" },
		{ "plural", "include_states=listen", "include_states",
		    "include_state" },
		{ "fields typo", "feilds=rtt", "feilds", "fields" },
		{ "format typo", "fromat=full", "fromat", "format" },
		{ "profile typo", "profil=web", "profil", "profile" },
	};

	return (cr_make_param_array(struct key_dym, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct key_dym *p, keys, unknown_key_suggests)
{
	struct tcpstats_errinfo err;
	char want[96];

	snprintf(want, sizeof(want), "did you mean '%s'?", p->suggestion);
	ut_parse_err(p->text, NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, want), "%s: parse(\"%s\") "
	    "expected \"%s\" in the message, got '%s'", p->name, p->text, want,
	    err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, p->token), "%s: parse("
	    "\"%s\") expected the message to quote '%s', got '%s'", p->name,
	    p->text, p->token, err.tei_message);
	cr_expect_eq(err.tei_column, 1u, "%s: expected column 1, got %u",
	    p->name, err.tei_column);
}

Test(keys, unknown_key_message_matches_semantics_example)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_prot=22", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "unknown directive "
	    "'local_prot'; did you mean 'local_port'?"), "expected the "
	    "documented message, got '%s'", err.tei_message);
}

Test(keys, far_key_gets_no_suggestion)
{
	struct tcpstats_errinfo err;

	ut_parse_err("xyzzy=1", NULL, &err);
	cr_expect_null(strstr(err.tei_message, "did you mean"), "expected no "
	    "suggestion for 'xyzzy', got '%s'", err.tei_message);
}

Test(keys, distance_three_gets_no_suggestion)
{
	struct tcpstats_errinfo err;

	/* "lcl_prt" is three edits from local_port. */
	ut_parse_err("lcl_prt=22", NULL, &err);
	cr_expect_null(strstr(err.tei_message, "did you mean"), "expected no "
	    "suggestion beyond distance 2, got '%s'", err.tei_message);
}

/* --- columns and reports ------------------------------------------------ */

Test(report, column_counts_bytes_from_one)
{
	const char *text = "\t local_port=22 remote_port=99999";

	ut_expect_reject(text, NULL, ut_col(text, "99999", 1, 0), "99999");
}

Test(report, directive_is_canonical_lower_case)
{
	struct tcpstats_errinfo err;

	ut_parse_err("LOCAL_PORT=0", NULL, &err);
	cr_expect_str_eq(err.tei_directive, "local_port", "expected "
	    "'local_port', got '%s'", err.tei_directive);
}

Test(report, stray_byte_has_no_directive)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_port=22\n", NULL, &err);
	cr_expect_str_eq(err.tei_directive, "", "expected no directive for a "
	    "stray byte, got '%s'", err.tei_directive);
}

Test(report, message_is_lower_case_without_period)
{
	struct tcpstats_errinfo err;
	size_t n;

	ut_parse_err("local_port=65536", NULL, &err);
	n = strlen(err.tei_message);
	cr_assert_gt(n, 0u, "expected a message");
	cr_expect(err.tei_message[0] < 'A' || err.tei_message[0] > 'Z',
	    "expected a lower-case start, got '%s'", err.tei_message);
	cr_expect_neq(err.tei_message[n - 1], '.', "expected no trailing "
	    "period, got '%s'", err.tei_message);
}

/* --- output untouched on error ------------------------------------------ */

struct untouched {
	char		name[40];
	char		text[128];
};

ParameterizedTestParameters(report, output_untouched_on_error)
{
	static struct untouched params[] = {
		{ "late bad format", "local_port=22 exclude=time_wait "
		    "local_addr=10.0.0.0/8 format=bogus" },
		{ "late bad port", "ipv4_only fields=all remote_port=1,2,0" },
		{ "late contradiction", "exclude=listen include_state=closed" },
		{ "late family clash", "local_addr=10.0.0.0/8 ipv6_only" },
		{ "duplicate CIDR", "remote_addr=::1,::1" },
		{ "unknown key last", "local_port=22 nope" },
		{ "stray byte last", "local_port=22 \x01" },
		{ "host bits", "local_addr=10.0.0.1/8" },
		{ "profile without table", "local_port=22 profile=web" },
	};

	return (cr_make_param_array(struct untouched, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct untouched *p, report, output_untouched_on_error)
{
	struct tcpstats_filter out, sentinel;
	struct tcpstats_errinfo err;
	int rc;

	memset(&out, UT_SENTINEL, sizeof(out));
	memset(&sentinel, UT_SENTINEL, sizeof(sentinel));
	memset(&err, 0, sizeof(err));
	rc = tcpstats_filter_parse(p->text, NULL, &out, &err);
	cr_assert_neq(rc, TCPSTATS_OK, "%s: parse(\"%s\") expected failure",
	    p->name, p->text);
	cr_expect(memcmp(&out, &sentinel, sizeof(out)) == 0, "%s: parse(\"%s\")"
	    " failed (%s) but wrote to *out; expected it untouched", p->name,
	    p->text, err.tei_message);
}

Test(keys, tie_goes_to_table_order)
{
	struct tcpstats_errinfo err;

	/* One edit from both ipv4_only and ipv6_only; ipv4_only comes first. */
	ut_parse_err("ipv5_only", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "did you mean 'ipv4_only'"),
	    "expected the first key of the table on a tie, got '%s'",
	    err.tei_message);
}
