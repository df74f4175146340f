/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_parse_states.c -- exclude= and include_state=: names, aliases,
 * case, the compiled mask and flags, repeats, contradictions, did-you-mean.
 */

#include "unit_helpers.h"

/* --- every name and alias ----------------------------------------------- */

struct state_name {
	char		name[24];	/* as written in the filter */
	unsigned int	state;		/* TCPSTATS_ST_* it must select */
};

ParameterizedTestParameters(states, each_name_selects_its_state)
{
	static struct state_name params[] = {
		{ "closed", TCPSTATS_ST_CLOSED },
		{ "listen", TCPSTATS_ST_LISTEN },
		{ "syn_sent", TCPSTATS_ST_SYN_SENT },
		{ "syn_received", TCPSTATS_ST_SYN_RECEIVED },
		{ "established", TCPSTATS_ST_ESTABLISHED },
		{ "close_wait", TCPSTATS_ST_CLOSE_WAIT },
		{ "fin_wait_1", TCPSTATS_ST_FIN_WAIT_1 },
		{ "closing", TCPSTATS_ST_CLOSING },
		{ "last_ack", TCPSTATS_ST_LAST_ACK },
		{ "fin_wait_2", TCPSTATS_ST_FIN_WAIT_2 },
		{ "time_wait", TCPSTATS_ST_TIME_WAIT },
		{ "timewait", TCPSTATS_ST_TIME_WAIT },
		{ "closewait", TCPSTATS_ST_CLOSE_WAIT },
		{ "syn_rcvd", TCPSTATS_ST_SYN_RECEIVED },
		{ "LISTEN", TCPSTATS_ST_LISTEN },
		{ "Established", TCPSTATS_ST_ESTABLISHED },
		{ "SYN_RCVD", TCPSTATS_ST_SYN_RECEIVED },
		{ "TimeWait", TCPSTATS_ST_TIME_WAIT },
	};

	return (cr_make_param_array(struct state_name, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct state_name *p, states, each_name_selects_its_state)
{
	struct tcpstats_filter got, want;
	char text[64];

	snprintf(text, sizeof(text), "include_state=%s", p->name);
	ut_filter_base(&want);
	want.tf_flags = TCPSTATS_FF_INCLUDE;
	want.tf_states = (uint16_t)(1u << p->state);
	ut_parse_ok(text, NULL, &got);
	ut_filter_eq(&got, &want, text);

	snprintf(text, sizeof(text), "exclude=%s", p->name);
	want.tf_flags = TCPSTATS_FF_EXCLUDE;
	want.tf_states = (uint16_t)(TCPSTATS_ST_ALL & ~(1u << p->state));
	ut_parse_ok(text, NULL, &got);
	ut_filter_eq(&got, &want, text);
}

/* --- rejections --------------------------------------------------------- */

struct state_bad {
	char		name[44];
	char		text[200];
	char		needle[32];
	unsigned int	nth;
	int		off;
	char		directive[16];
	char		msg[40];
};

ParameterizedTestParameters(states, rejected)
{
	static struct state_bad params[] = {
		{ "unknown name", "exclude=bogus", "bogus", 1, 0, "exclude",
		    "bogus" },
		{ "unknown second name", "include_state=listen,estab",
		    "estab", 1, 0, "include_state", "estab" },
		{ "same name twice", "exclude=listen,listen", "listen", 2, 0,
		    "exclude", "" },
		{ "name and its alias", "exclude=time_wait,timewait",
		    "timewait", 1, 0, "exclude", "" },
		{ "alias and its name", "include_state=syn_rcvd,syn_received",
		    "syn_received", 1, 0, "include_state", "" },
		{ "same name in two excludes",
		    "exclude=listen exclude=closed,listen", "listen", 2, 0,
		    "exclude", "" },
		{ "alias across excludes",
		    "exclude=closewait exclude=CLOSE_WAIT", "CLOSE_WAIT", 1, 0,
		    "exclude", "" },
		{ "include_state twice",
		    "include_state=listen include_state=established",
		    "include_state", 2, 0, "include_state", "" },
		{ "include after exclude",
		    "exclude=listen include_state=established",
		    "include_state", 1, 0, "include_state", "" },
		{ "exclude after include",
		    "include_state=established local_port=22 exclude=listen",
		    "exclude", 1, 0, "exclude", "" },
		{ "empty exclude", "exclude=", "exclude", 1, 0, "exclude",
		    "expects a value" },
		{ "empty include_state", "include_state=", "include_state", 1,
		    0, "include_state", "expects a value" },
		{ "bare exclude", "exclude", "exclude", 1, 0, "exclude",
		    "needs a value" },
		{ "empty first item", "exclude=,listen", "=", 1, 1, "exclude",
		    "" },
		{ "empty middle item", "exclude=listen,,closed", ",,", 1, 1,
		    "exclude", "" },
		{ "empty last item", "exclude=listen,", "listen,", 1, 7,
		    "exclude", "" },
		{ "state number", "exclude=4", "4", 1, 0, "exclude", "" },
	};

	return (cr_make_param_array(struct state_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct state_bad *p, states, rejected)
{
	struct tcpstats_errinfo err;
	unsigned int col;

	col = ut_col(p->text, p->needle, p->nth, p->off);
	ut_parse_err(p->text, NULL, &err);
	cr_expect_eq(err.tei_column, col, "%s: parse(\"%s\") expected column "
	    "%u, got %u (%s)", p->name, p->text, col, err.tei_column,
	    err.tei_message);
	cr_expect_str_eq(err.tei_directive, p->directive, "%s: parse(\"%s\") "
	    "expected tei_directive '%s', got '%s'", p->name, p->text,
	    p->directive, err.tei_directive);
	if (p->msg[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, p->msg),
		    "%s: parse(\"%s\") expected the message to contain '%s', "
		    "got '%s'", p->name, p->text, p->msg, err.tei_message);
}

/* --- did-you-mean ------------------------------------------------------- */

struct state_dym {
	char		name[32];
	char		text[64];
	char		suggestion[24];
};

ParameterizedTestParameters(states, unknown_name_suggests)
{
	static struct state_dym params[] = {
		{ "swapped letters", "exclude=time_wiat", "'time_wait'" },
		{ "missing letter", "include_state=establised",
		    "'established'" },
		{ "ie for ei", "exclude=syn_recieved", "'syn_received'" },
		{ "upper case typo", "exclude=LISTN", "'listen'" },
		{ "alias typo", "exclude=timewiat", "'timewait'" },
		{ "wrong digit", "exclude=fin_wait_3", "'fin_wait_" },
		{ "second item", "exclude=listen,closd", "'closed'" },
	};

	return (cr_make_param_array(struct state_dym, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct state_dym *p, states, unknown_name_suggests)
{
	struct tcpstats_errinfo err;

	ut_parse_err(p->text, NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "did you mean"),
	    "%s: parse(\"%s\") expected a did-you-mean, got '%s'", p->name,
	    p->text, err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, p->suggestion),
	    "%s: parse(\"%s\") expected the suggestion %s, got '%s'", p->name,
	    p->text, p->suggestion, err.tei_message);
}

Test(states, far_name_gets_no_suggestion)
{
	struct tcpstats_errinfo err;

	ut_parse_err("exclude=zzzzzzzz", NULL, &err);
	cr_expect_null(strstr(err.tei_message, "did you mean"),
	    "expected no did-you-mean for 'zzzzzzzz' (no name within "
	    "distance 2), got '%s'", err.tei_message);
}

/* --- compiled forms ----------------------------------------------------- */

Test(states, no_state_directive_reports_all_without_flags)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_port=22", NULL, &f);
	cr_expect_eq(f.tf_states, TCPSTATS_ST_ALL, "expected states 0x%x, "
	    "got 0x%x", TCPSTATS_ST_ALL, f.tf_states);
	cr_expect_eq(f.tf_flags & (TCPSTATS_FF_INCLUDE | TCPSTATS_FF_EXCLUDE),
	    0u, "expected neither INCLUDE nor EXCLUDE, got flags 0x%x",
	    f.tf_flags);
}

Test(states, excludes_accumulate)
{
	struct tcpstats_filter f;
	uint16_t want;

	want = (uint16_t)(TCPSTATS_ST_ALL & ~((1u << TCPSTATS_ST_LISTEN) |
	    (1u << TCPSTATS_ST_TIME_WAIT) | (1u << TCPSTATS_ST_CLOSED)));
	ut_parse_ok("exclude=listen exclude=time_wait,closed", NULL, &f);
	cr_expect_eq(f.tf_states, want, "expected states 0x%x, got 0x%x",
	    want, f.tf_states);
	cr_expect_eq(f.tf_flags, TCPSTATS_FF_EXCLUDE, "expected flags 0x%x, "
	    "got 0x%x", TCPSTATS_FF_EXCLUDE, f.tf_flags);
}

Test(states, include_lists_union)
{
	struct tcpstats_filter f;
	uint16_t want;

	want = (uint16_t)((1u << TCPSTATS_ST_LISTEN) |
	    (1u << TCPSTATS_ST_ESTABLISHED) | (1u << TCPSTATS_ST_FIN_WAIT_2));
	ut_parse_ok("include_state=fin_wait_2,LISTEN,Established", NULL, &f);
	cr_expect_eq(f.tf_states, want, "expected states 0x%x, got 0x%x",
	    want, f.tf_states);
	cr_expect_eq(f.tf_flags, TCPSTATS_FF_INCLUDE, "expected flags 0x%x, "
	    "got 0x%x", TCPSTATS_FF_INCLUDE, f.tf_flags);
}

Test(states, excluding_every_state_is_allowed)
{
	struct tcpstats_filter f;

	ut_parse_ok("exclude=closed,listen,syn_sent,syn_received,established,"
	    "close_wait,fin_wait_1,closing,last_ack exclude=fin_wait_2 "
	    "exclude=time_wait", NULL, &f);
	cr_expect_eq(f.tf_states, 0, "expected an empty state mask, got "
	    "0x%x", f.tf_states);
	cr_expect_eq(f.tf_flags, TCPSTATS_FF_EXCLUDE, "expected flags 0x%x, "
	    "got 0x%x", TCPSTATS_FF_EXCLUDE, f.tf_flags);
}

Test(states, including_every_state_keeps_include_flag)
{
	struct tcpstats_filter f;

	ut_parse_ok("include_state=closed,listen,syn_sent,syn_received,"
	    "established,close_wait,fin_wait_1,closing,last_ack,fin_wait_2,"
	    "time_wait", NULL, &f);
	cr_expect_eq(f.tf_states, TCPSTATS_ST_ALL, "expected 0x%x, got 0x%x",
	    TCPSTATS_ST_ALL, f.tf_states);
	cr_expect_eq(f.tf_flags, TCPSTATS_FF_INCLUDE, "expected flags 0x%x, "
	    "got 0x%x", TCPSTATS_FF_INCLUDE, f.tf_flags);
}

Test(states, exclude_key_case_insensitive)
{
	struct tcpstats_filter a, b;

	ut_parse_ok("EXCLUDE=TIME_WAIT", NULL, &a);
	ut_parse_ok("exclude=time_wait", NULL, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "expected EXCLUDE=TIME_WAIT "
	    "to compile like exclude=time_wait");
}

/* --- state names -------------------------------------------------------- */

Test(states, state_name_table_uses_bsd_numbering)
{
	static const char *const want[TCPSTATS_NSTATES] = { "closed",
	    "listen", "syn_sent", "syn_received", "established",
	    "close_wait", "fin_wait_1", "closing", "last_ack", "fin_wait_2",
	    "time_wait" };
	const char *got;
	unsigned int i;

	for (i = 0; i < TCPSTATS_NSTATES; i++) {
		got = tcpstats_state_name(i);
		cr_assert_not_null(got, "state_name(%u): expected '%s', got "
		    "NULL", i, want[i]);
		cr_expect_str_eq(got, want[i], "state_name(%u): expected '%s', "
		    "got '%s'", i, want[i], got);
	}
}

Test(states, state_name_unknown_number_is_null)
{
	cr_expect_null(tcpstats_state_name(TCPSTATS_NSTATES),
	    "state_name(%d): expected NULL", TCPSTATS_NSTATES);
	cr_expect_null(tcpstats_state_name(255), "state_name(255): expected "
	    "NULL");
	cr_expect_null(tcpstats_state_name(~0u), "state_name(~0): expected "
	    "NULL");
}
