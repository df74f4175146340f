/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_profile.c -- the profile table (names, create, replace, delete,
 * list, limits, table untouched on failure) and profile= in the parser
 * (merging, conflicts reported at the profile= column, did-you-mean).
 */

#include "unit_helpers.h"

static struct tcpstats_profiles table;

static void
table_init(void)
{
	memset(&table, UT_SENTINEL, sizeof(table));
	tcpstats_profiles_init(&table);
}

/* Store a profile that must be accepted. */
static void
put(const char *name, const char *text, bool want_created)
{
	struct tcpstats_errinfo err;
	bool created;
	int rc;

	memset(&err, 0, sizeof(err));
	created = !want_created;
	rc = tcpstats_profile_set(&table, name, text, &created, &err);
	cr_assert_eq(rc, TCPSTATS_OK, "profile_set('%s', \"%s\"): expected OK, "
	    "got %d at column %u: %s", name, text, rc, err.tei_column,
	    err.tei_message);
	cr_expect_eq(created, want_created, "profile_set('%s'): expected "
	    "created=%d, got %d", name, want_created, created);
}

/* Store must fail with rc and leave the table byte-for-byte unchanged. */
static void
put_fails(const char *name, const char *text, int want_rc,
    struct tcpstats_errinfo *err)
{
	struct tcpstats_profiles before;
	bool created = false;
	int rc;

	memcpy(&before, &table, sizeof(before));
	memset(err, 0, sizeof(*err));
	rc = tcpstats_profile_set(&table, name, text, &created, err);
	cr_assert_eq(rc, want_rc, "profile_set('%s', \"%s\"): expected %d, got "
	    "%d (%s)", name, text, want_rc, rc, err->tei_message);
	cr_expect(memcmp(&before, &table, sizeof(table)) == 0,
	    "profile_set('%s', \"%s\") failed but changed the table", name,
	    text);
}

/* --- names -------------------------------------------------------------- */

struct pname {
	char		name[48];
	char		candidate[48];
	int		ok;
};

ParameterizedTestParameters(profile, name_check)
{
	static struct pname params[] = {
		{ "one letter", "a", 1 },
		{ "one digit", "7", 1 },
		{ "underscore only", "_", 1 },
		{ "mixed", "web_80_443", 1 },
		{ "32 chars", "abcdefghijklmnopqrstuvwxyz012345", 1 },
		{ "33 chars", "abcdefghijklmnopqrstuvwxyz0123456", 0 },
		{ "empty", "", 0 },
		{ "upper case", "Web", 0 },
		{ "dash", "a-b", 0 },
		{ "dot", "a.b", 0 },
		{ "blank", "a b", 0 },
		{ "slash", "a/b", 0 },
		{ "equals", "a=b", 0 },
		{ "high byte", "caf\xc3\xa9", 0 },
	};

	return (cr_make_param_array(struct pname, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct pname *p, profile, name_check)
{
	struct tcpstats_errinfo err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = tcpstats_profile_name_check(p->candidate, &err);
	if (p->ok) {
		cr_expect_eq(rc, TCPSTATS_OK, "%s: name_check('%s'): expected "
		    "OK, got %d (%s)", p->name, p->candidate, rc,
		    err.tei_message);
	} else {
		cr_expect_eq(rc, TCPSTATS_E_INVAL, "%s: name_check('%s'): "
		    "expected TCPSTATS_E_INVAL, got %d", p->name, p->candidate,
		    rc);
		cr_expect_neq(err.tei_message[0], '\0', "%s: expected a "
		    "message", p->name);
	}
}

/* --- table -------------------------------------------------------------- */

Test(profile, init_empties_the_table, .init = table_init)
{
	struct tcpstats_profiles zero;
	unsigned int i;

	memset(&zero, 0, sizeof(zero));
	cr_expect_eq(table.tps_count, 0u, "expected count 0, got %u",
	    table.tps_count);
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++)
		cr_expect(memcmp(&table.tps_slot[i], &zero.tps_slot[i],
		    sizeof(zero.tps_slot[i])) == 0, "expected slot %u all "
		    "zero", i);
}

Test(profile, set_creates_and_lookup_finds, .init = table_init)
{
	const char *got;
	uint32_t gen;

	gen = table.tps_gen;
	put("web", "local_port=80,443", true);
	cr_expect_eq(table.tps_count, 1u, "expected count 1, got %u",
	    table.tps_count);
	cr_expect_eq(table.tps_gen, gen + 1, "expected gen %u, got %u",
	    gen + 1, table.tps_gen);
	got = tcpstats_profile_lookup(&table, "web");
	cr_assert_not_null(got, "expected lookup('web') to find it");
	cr_expect_str_eq(got, "local_port=80,443", "expected the stored "
	    "text, got \"%s\"", got);
}

Test(profile, text_stored_as_given, .init = table_init)
{
	const char *text = "  LOCAL_PORT=22-22\texclude=timewait ";
	const char *got;

	put("ssh", text, true);
	got = tcpstats_profile_lookup(&table, "ssh");
	cr_assert_not_null(got, "expected lookup('ssh') to find it");
	cr_expect_str_eq(got, text, "expected the text byte for byte, got "
	    "\"%s\"", got);
}

Test(profile, set_replaces_in_place, .init = table_init)
{
	char names[TCPSTATS_MAX_PROFILES][TCPSTATS_NAME_BUF];
	const char *got;
	unsigned int n;
	uint32_t gen;

	put("a", "local_port=1", true);
	put("b", "local_port=2", true);
	gen = table.tps_gen;
	put("a", "local_port=3", false);
	cr_expect_eq(table.tps_count, 2u, "expected count 2, got %u",
	    table.tps_count);
	cr_expect_eq(table.tps_gen, gen + 1, "expected gen bumped to %u, got "
	    "%u", gen + 1, table.tps_gen);
	got = tcpstats_profile_lookup(&table, "a");
	cr_assert_not_null(got, "expected 'a' to exist");
	cr_expect_str_eq(got, "local_port=3", "expected the new text, got "
	    "\"%s\"", got);
	n = tcpstats_profile_list(&table, names, TCPSTATS_MAX_PROFILES);
	cr_assert_eq(n, 2u, "expected 2 names, got %u", n);
	cr_expect_str_eq(names[0], "a", "expected 'a' still first, got '%s'",
	    names[0]);
}

Test(profile, sixteen_fit_seventeenth_is_nospc, .init = table_init)
{
	struct tcpstats_errinfo err;
	char name[8];
	unsigned int i;

	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		put(name, "ipv4_only", true);
	}
	cr_expect_eq(table.tps_count, (uint32_t)TCPSTATS_MAX_PROFILES,
	    "expected %d profiles, got %u", TCPSTATS_MAX_PROFILES,
	    table.tps_count);
	put_fails("p16", "ipv4_only", TCPSTATS_E_NOSPC, &err);
}

Test(profile, replace_works_when_full, .init = table_init)
{
	char name[8];
	unsigned int i;

	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		put(name, "ipv4_only", true);
	}
	put("p7", "ipv6_only", false);
	cr_expect_str_eq(tcpstats_profile_lookup(&table, "p7"), "ipv6_only",
	    "expected p7 replaced");
}

Test(profile, invalid_text_rejected_table_unchanged, .init = table_init)
{
	struct tcpstats_errinfo err;
	const char *text = "local_port=22 exclude=bogus";

	put("keep", "ipv4_only", true);
	put_fails("web", text, TCPSTATS_E_INVAL, &err);
	cr_expect_eq(err.tei_column, ut_col(text, "bogus", 1, 0), "expected "
	    "the column of 'bogus' in the profile text, got %u",
	    err.tei_column);
}

Test(profile, invalid_replacement_keeps_old_text, .init = table_init)
{
	struct tcpstats_errinfo err;

	put("web", "local_port=80", true);
	put_fails("web", "local_port=0", TCPSTATS_E_INVAL, &err);
	cr_expect_str_eq(tcpstats_profile_lookup(&table, "web"),
	    "local_port=80", "expected the old text kept");
}

Test(profile, text_naming_a_profile_rejected, .init = table_init)
{
	const char *text = "local_port=1 profile=inner";
	struct tcpstats_errinfo err;

	put("inner", "ipv4_only", true);
	put_fails("outer", text, TCPSTATS_E_INVAL, &err);
	cr_expect_not_null(strstr(err.tei_message, "a profile cannot name "
	    "another profile"), "expected the no-nesting message, got '%s'",
	    err.tei_message);
	cr_expect_eq(err.tei_column, ut_col(text, "profile", 1, 0), "expected "
	    "the column of profile=, got %u", err.tei_column);
}

Test(profile, bad_name_rejected_table_unchanged, .init = table_init)
{
	struct tcpstats_errinfo err;

	put_fails("Web", "ipv4_only", TCPSTATS_E_INVAL, &err);
	put_fails("abcdefghijklmnopqrstuvwxyz0123456", "ipv4_only",
	    TCPSTATS_E_INVAL, &err);
	put_fails("", "ipv4_only", TCPSTATS_E_INVAL, &err);
}

Test(profile, text_too_long_rejected, .init = table_init)
{
	char text[TCPSTATS_FILTER_MAXLEN + 2];
	struct tcpstats_errinfo err;

	memset(text, ' ', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	put_fails("long", text, TCPSTATS_E_INVAL, &err);
	cr_expect_eq(err.tei_column, 512u, "expected column 512, got %u",
	    err.tei_column);
}

Test(profile, empty_text_accepted, .init = table_init)
{
	put("all", "", true);
	cr_expect_str_eq(tcpstats_profile_lookup(&table, "all"), "",
	    "expected the empty text stored");
}

Test(profile, delete_absent_is_noent, .init = table_init)
{
	struct tcpstats_profiles before;
	int rc;

	put("a", "ipv4_only", true);
	memcpy(&before, &table, sizeof(before));
	rc = tcpstats_profile_delete(&table, "b");
	cr_expect_eq(rc, TCPSTATS_E_NOENT, "delete('b'): expected "
	    "TCPSTATS_E_NOENT, got %d", rc);
	cr_expect(memcmp(&before, &table, sizeof(table)) == 0, "expected the "
	    "table unchanged");
}

Test(profile, delete_frees_the_slot, .init = table_init)
{
	struct tcpstats_profile zero;
	uint32_t gen;
	int rc;

	put("a", "ipv4_only", true);
	put("b", "ipv6_only", true);
	gen = table.tps_gen;
	rc = tcpstats_profile_delete(&table, "a");
	cr_assert_eq(rc, TCPSTATS_OK, "delete('a'): expected OK, got %d", rc);
	cr_expect_eq(table.tps_count, 1u, "expected count 1, got %u",
	    table.tps_count);
	cr_expect_eq(table.tps_gen, gen + 1, "expected gen %u, got %u",
	    gen + 1, table.tps_gen);
	cr_expect_null(tcpstats_profile_lookup(&table, "a"), "expected 'a' "
	    "gone");
	memset(&zero, 0, sizeof(zero));
	cr_expect(memcmp(&table.tps_slot[0], &zero, sizeof(zero)) == 0,
	    "expected the freed slot 0 all zero");
}

Test(profile, new_profile_takes_first_free_slot, .init = table_init)
{
	char names[TCPSTATS_MAX_PROFILES][TCPSTATS_NAME_BUF];
	unsigned int n;

	put("a", "ipv4_only", true);
	put("b", "ipv4_only", true);
	put("c", "ipv4_only", true);
	cr_assert_eq(tcpstats_profile_delete(&table, "b"), TCPSTATS_OK,
	    "delete('b') failed");
	put("d", "ipv4_only", true);
	n = tcpstats_profile_list(&table, names, TCPSTATS_MAX_PROFILES);
	cr_assert_eq(n, 3u, "expected 3 names, got %u", n);
	cr_expect_str_eq(names[0], "a", "slot order: expected 'a', got '%s'",
	    names[0]);
	cr_expect_str_eq(names[1], "d", "slot order: expected 'd' in b's "
	    "slot, got '%s'", names[1]);
	cr_expect_str_eq(names[2], "c", "slot order: expected 'c', got '%s'",
	    names[2]);
}

Test(profile, list_stops_at_max, .init = table_init)
{
	char names[2][TCPSTATS_NAME_BUF];
	unsigned int n;

	put("a", "ipv4_only", true);
	put("b", "ipv4_only", true);
	put("c", "ipv4_only", true);
	n = tcpstats_profile_list(&table, names, 2);
	cr_expect_eq(n, 2u, "expected 2 names with max 2, got %u", n);
	cr_expect_str_eq(names[1], "b", "expected 'b', got '%s'", names[1]);
}

Test(profile, lookup_absent_is_null, .init = table_init)
{
	put("web", "ipv4_only", true);
	cr_expect_null(tcpstats_profile_lookup(&table, "we"), "expected NULL "
	    "for a prefix of a name");
	cr_expect_null(tcpstats_profile_lookup(&table, "webb"), "expected NULL "
	    "for a longer name");
}

/* --- profile= in the parser --------------------------------------------- */

Test(profile, reference_equals_text_in_place, .init = table_init)
{
	struct tcpstats_filter a, b;

	put("web", "local_port=80,443 exclude=time_wait", true);
	ut_parse_ok("profile=web", &table, &a);
	ut_parse_ok("local_port=80,443 exclude=time_wait", NULL, &b);
	ut_filter_eq(&a, &b, "profile=web");
}

Test(profile, reference_merges_with_main_text, .init = table_init)
{
	struct tcpstats_filter a, b;

	put("web", "local_port=80,443 exclude=time_wait", true);
	ut_parse_ok("remote_port=1024-65535 exclude=listen PROFILE=web",
	    &table, &a);
	ut_parse_ok("remote_port=1024-65535 exclude=listen local_port=80,443 "
	    "exclude=time_wait", NULL, &b);
	ut_filter_eq(&a, &b, "profile merged with main text");
}

Test(profile, merged_canonical_text, .init = table_init)
{
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];
	const char *want = "local_port=80,443 remote_port=1 exclude=time_wait";

	put("web", "exclude=timewait local_port=80,443", true);
	ut_parse_ok("profile=web remote_port=1", &table, &f);
	tcpstats_filter_format(&f, buf, sizeof(buf));
	cr_expect_str_eq(buf, want, "expected \"%s\", got \"%s\"", want, buf);
}

Test(profile, compiled_filter_forgets_the_name, .init = table_init)
{
	struct tcpstats_filter a, b;

	put("one", "local_port=22", true);
	put("two", "local_port=22", true);
	ut_parse_ok("profile=one", &table, &a);
	ut_parse_ok("profile=two", &table, &b);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "expected profiles with the "
	    "same text to compile identically");
}

Test(profile, updated_text_used_by_later_parse, .init = table_init)
{
	struct tcpstats_filter f;

	put("web", "local_port=80", true);
	put("web", "local_port=8080", false);
	ut_parse_ok("profile=web", &table, &f);
	cr_expect_eq(f.tf_lport[0].tpr_lo, 8080, "expected port 8080 from the "
	    "updated profile, got %u", f.tf_lport[0].tpr_lo);
}

struct merge_bad {
	char		name[40];
	char		profile[96];
	char		text[96];
	char		msg[48];
};

ParameterizedTestParameters(profile, merge_conflicts)
{
	static struct merge_bad params[] = {
		{ "port given twice", "local_port=80", "local_port=22 "
		    "profile=web", "local_port given twice" },
		{ "port given twice, main after", "local_port=80",
		    "ipv4_only profile=web local_port=22", "" },
		{ "state named twice", "exclude=time_wait",
		    "exclude=timewait profile=web", "" },
		{ "include vs exclude", "exclude=listen",
		    "include_state=established profile=web", "" },
		{ "exclude vs include", "include_state=listen",
		    "exclude=established profile=web", "" },
		{ "ipv6_only vs v4 CIDR", "local_addr=10.0.0.0/8",
		    "ipv6_only profile=web", "" },
		{ "v6 CIDR vs ipv4_only", "ipv4_only",
		    "remote_addr=::1 profile=web", "" },
		{ "both family flags", "ipv4_only", "ipv6_only profile=web",
		    "" },
		{ "fields twice", "fields=rtt", "profile=web fields=ecn", "" },
		{ "format twice", "format=compact", "format=full profile=web",
		    "" },
		{ "address twice", "remote_addr=::1",
		    "remote_addr=::2 profile=web", "" },
	};

	return (cr_make_param_array(struct merge_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct merge_bad *p, profile, merge_conflicts,
    .init = table_init)
{
	struct tcpstats_errinfo err;
	unsigned int col;

	put("web", p->profile, true);
	col = ut_col(p->text, "profile=", 1, 0);
	ut_parse_err(p->text, &table, &err);
	cr_expect_eq(err.tei_column, col, "%s: parse(\"%s\") with web = "
	    "\"%s\": expected column %u (profile=), got %u (%s)", p->name,
	    p->text, p->profile, col, err.tei_column, err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "in profile 'web'"),
	    "%s: expected the message to name the profile, got '%s'",
	    p->name, err.tei_message);
	if (p->msg[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, p->msg),
		    "%s: expected '%s' in the message, got '%s'", p->name,
		    p->msg, err.tei_message);
}

Test(profile, merge_message_matches_semantics_example, .init = table_init)
{
	struct tcpstats_errinfo err;

	put("web", "local_port=80", true);
	ut_parse_err("local_port=22 profile=web", &table, &err);
	cr_expect_not_null(strstr(err.tei_message, "in profile 'web': "
	    "local_port given twice"), "expected the documented message, got "
	    "'%s'", err.tei_message);
}

Test(profile, unknown_profile_rejected, .init = table_init)
{
	const char *text = "local_port=22 profile=nope";
	struct tcpstats_errinfo err;

	put("web", "ipv4_only", true);
	ut_parse_err(text, &table, &err);
	cr_expect_not_null(strstr(err.tei_message, "no profile named 'nope'"),
	    "expected \"no profile named 'nope'\", got '%s'", err.tei_message);
	cr_expect_str_eq(err.tei_directive, "profile", "expected directive "
	    "'profile', got '%s'", err.tei_directive);
	cr_expect_eq(err.tei_column, ut_col(text, "nope", 1, 0), "expected "
	    "the column of the name, got %u", err.tei_column);
}

Test(profile, unknown_profile_suggests_stored_name, .init = table_init)
{
	struct tcpstats_errinfo err;

	put("web", "ipv4_only", true);
	put("database", "ipv6_only", true);
	ut_parse_err("profile=webb", &table, &err);
	cr_expect_not_null(strstr(err.tei_message, "did you mean 'web'"),
	    "expected a suggestion of 'web', got '%s'", err.tei_message);
}

Test(profile, null_table_means_no_profile)
{
	struct tcpstats_errinfo err;

	ut_parse_err("profile=web", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "no profile named 'web'"),
	    "expected \"no profile named 'web'\", got '%s'", err.tei_message);
}

Test(profile, upper_case_reference_rejected, .init = table_init)
{
	struct tcpstats_errinfo err;

	put("web", "ipv4_only", true);
	ut_parse_err("profile=Web", &table, &err);
	cr_expect_not_null(strstr(err.tei_message, "lower-case"), "expected "
	    "the message to say names are lower-case, got '%s'",
	    err.tei_message);
	cr_expect_eq(err.tei_column, 9u, "expected column 9 (the name), got "
	    "%u", err.tei_column);
}

Test(profile, name_of_33_chars_rejected, .init = table_init)
{
	struct tcpstats_errinfo err;

	ut_parse_err("profile=abcdefghijklmnopqrstuvwxyz0123456", &table, &err);
	cr_expect_eq(err.tei_column, 9u, "expected column 9 (the name), got "
	    "%u (%s)", err.tei_column, err.tei_message);
}

Test(profile, bad_byte_in_reference_rejected_at_its_column,
    .init = table_init)
{
	struct tcpstats_errinfo err;

	put("web_80", "ipv4_only", true);
	ut_parse_err("profile=web-80", &table, &err);
	cr_expect_eq(err.tei_column, 12u, "expected column 12 (the '-'), got "
	    "%u", err.tei_column);
	cr_expect_str_eq(err.tei_directive, "profile", "expected directive "
	    "'profile', got '%s'", err.tei_directive);
	cr_expect_str_eq(err.tei_message, "profile: profile names are "
	    "lower-case: letters a-z, digits and '_', got 'web-80'",
	    "got '%s'", err.tei_message);
}

Test(profile, name_check_points_at_the_bad_byte)
{
	struct tcpstats_errinfo err;

	memset(&err, 0x5a, sizeof(err));
	cr_assert_eq(tcpstats_profile_name_check("web_8.0", &err),
	    TCPSTATS_E_INVAL, "name_check('web_8.0'): expected INVAL");
	cr_expect_eq(err.tei_column, 6u, "expected column 6 (the '.'), got "
	    "%u", err.tei_column);
	cr_expect_eq(err.tei_errno, 0, "expected tei_errno 0, got %d",
	    err.tei_errno);
	cr_expect_str_eq(err.tei_directive, "profile", "expected directive "
	    "'profile', got '%s'", err.tei_directive);
	cr_expect_str_eq(err.tei_message, "profile names are lower-case: "
	    "letters a-z, digits and '_', got 'web_8.0'", "got '%s'",
	    err.tei_message);
}

Test(profile, name_check_says_empty)
{
	struct tcpstats_errinfo err;

	memset(&err, 0x5a, sizeof(err));
	cr_assert_eq(tcpstats_profile_name_check("", &err), TCPSTATS_E_INVAL,
	    "name_check(''): expected INVAL");
	cr_expect_eq(err.tei_column, 0u, "expected column 0, got %u",
	    err.tei_column);
	cr_expect_str_eq(err.tei_message, "a profile name cannot be empty",
	    "got '%s'", err.tei_message);
}

Test(profile, name_check_says_too_long)
{
	struct tcpstats_errinfo err;

	memset(&err, 0x5a, sizeof(err));
	cr_assert_eq(tcpstats_profile_name_check(
	    "abcdefghijklmnopqrstuvwxyz0123456", &err), TCPSTATS_E_INVAL,
	    "name_check(33 chars): expected INVAL");
	cr_expect_eq(err.tei_column, 0u, "expected column 0, got %u",
	    err.tei_column);
	cr_expect_str_eq(err.tei_message, "a profile name has at most 32 "
	    "bytes, got 'abcdefghijklmnopqrstuvwxyz0123456'", "got '%s'",
	    err.tei_message);
}

Test(profile, name_of_32_chars_accepted, .init = table_init)
{
	struct tcpstats_filter f;

	put("abcdefghijklmnopqrstuvwxyz012345", "remote_port=7", true);
	ut_parse_ok("profile=abcdefghijklmnopqrstuvwxyz012345", &table, &f);
	cr_expect_eq(f.tf_nrport, 1, "expected the profile applied");
}

Test(profile, reference_given_twice_rejected, .init = table_init)
{
	const char *text = "profile=a profile=b";

	put("a", "local_port=1", true);
	put("b", "remote_port=1", true);
	ut_expect_reject(text, &table, ut_col(text, "profile", 2, 0), NULL);
}

Test(profile, directive_limit_applies_per_text, .init = table_init)
{
	struct tcpstats_filter f;

	/* 16 directives in the main text, 3 more in the profile. */
	put("rest", "exclude=last_ack exclude=fin_wait_2 exclude=time_wait",
	    true);
	ut_parse_ok("local_port=1 remote_port=2 local_addr=10.0.0.0/8 "
	    "remote_addr=10.0.0.0/8 fields=rtt format=compact ipv4_only "
	    "profile=rest exclude=closed exclude=listen exclude=syn_sent "
	    "exclude=syn_received exclude=established exclude=close_wait "
	    "exclude=fin_wait_1 exclude=closing", &table, &f);
	cr_expect_eq(f.tf_states, 0, "expected every state excluded, got "
	    "0x%x", f.tf_states);
}

Test(profile, text_with_17_directives_rejected, .init = table_init)
{
	const char *text = "exclude=closed exclude=listen exclude=syn_sent "
	    "exclude=syn_received exclude=established exclude=close_wait "
	    "exclude=fin_wait_1 exclude=closing exclude=last_ack "
	    "exclude=fin_wait_2 exclude=time_wait local_port=1 remote_port=2 "
	    "fields=rtt format=compact ipv4_only local_addr=10.0.0.0/8";
	struct tcpstats_errinfo err;

	put_fails("big", text, TCPSTATS_E_INVAL, &err);
	cr_expect_eq(err.tei_column, ut_col(text, "local_addr", 1, 0),
	    "expected the column of the 17th directive, got %u (%s)",
	    err.tei_column, err.tei_message);
}

Test(profile, merged_canonical_text_may_exceed_511, .init = table_init)
{
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];
	size_t n;

	/* Each text stays under 511 bytes; together they do not. */
	put("wide", "remote_addr=ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffe0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffd0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffc0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffb0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffa0/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff90/124,"
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff80/124", true);
	ut_parse_ok("profile=wide local_addr="
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ffe0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ffd0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ffc0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ffb0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ffa0/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ff90/124,"
	    "eeee:ffff:ffff:ffff:ffff:ffff:ffff:ff80/124", &table, &f);
	memset(buf, 'X', sizeof(buf));
	n = tcpstats_filter_format(&f, buf, sizeof(buf));
	cr_expect_gt(n, (size_t)TCPSTATS_FILTER_MAXLEN, "expected merged text "
	    "longer than %d bytes, got %zu", TCPSTATS_FILTER_MAXLEN, n);
	cr_expect_eq(n, strlen(buf), "expected return %zu to equal the text "
	    "length", strlen(buf));
	cr_expect_not_null(strstr(buf, "ff80/124 remote_addr=ffff:"),
	    "expected local then remote addresses, got \"%s\"", buf);
}
