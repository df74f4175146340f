/*
 * test_ioctl_validate.c -- the ioctl argument checks both providers apply
 * (src/core/ioctl_validate.c), fed edge cases and random blocks.
 *
 * Every expected verdict comes from the small oracles below, written from
 * the contract in tcpstats_ioctl.h, not from the code under test.
 */

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tcpstats_ioctl.h"
#include "tcpstats_validate.h"

#define	RANDOM_ROUNDS	20000

/* xorshift64*: fixed seed, so a failure repeats. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{

	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dull);
}

/*
 * Random bytes, with NULs and name characters common enough that every
 * verdict occurs: density says one byte in how many is a NUL.
 */
static void
fill_random(void *p, size_t len, unsigned int density)
{
	static const char alphabet[] = "abcz09_AZ-:. \t\x80\xff";
	unsigned char *b = p;
	size_t i;
	uint64_t r;

	for (i = 0; i < len; i++) {
		r = rng();
		if (density != 0 && r % density == 0)
			b[i] = 0;
		else if ((r >> 8) % 2 == 0)
			b[i] = (unsigned char)alphabet[(r >> 16) %
			    (sizeof(alphabet) - 1)];
		else
			b[i] = (unsigned char)(r >> 24);
	}
}

/* --- oracles --------------------------------------------------------------- */

/* Index of the first NUL within len bytes, or -1. */
static long
oracle_nul(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\0')
			return ((long)i);
	return (-1);
}

static bool
oracle_name_ok(const char *name, size_t bufsize)
{
	long n, i;

	n = oracle_nul(name, bufsize);
	if (n < 1 || n > 32)
		return (false);
	for (i = 0; i < n; i++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", name[i]))
			return (false);
	}
	return (true);
}

static bool
oracle_filter_ok(const struct tcpstats_filter_arg *a)
{
	long n;

	n = oracle_nul(a->tfa_text, sizeof(a->tfa_text));
	return (n >= 0 && n <= 511);
}

/* --- version --------------------------------------------------------------- */

Test(ioctl_validate, version_accepts_zero_and_current_abi)
{
	struct tcpstats_version v;
	struct tcpstats_errinfo e;

	memset(&v, 0xa5, sizeof(v));
	v.tv_abi = 0;
	cr_expect_eq(tcpstats_validate_version(&v, &e), TCPSTATS_OK,
	    "tv_abi 0 with junk output fields: expected OK");
	v.tv_abi = TCPSTATS_ABI_VERSION;
	cr_expect_eq(tcpstats_validate_version(&v, &e), TCPSTATS_OK,
	    "tv_abi %d: expected OK", TCPSTATS_ABI_VERSION);
}

Test(ioctl_validate, version_rejects_other_abi_with_message)
{
	struct tcpstats_version v;
	struct tcpstats_errinfo e;

	memset(&v, 0, sizeof(v));
	v.tv_abi = 2;
	cr_assert_eq(tcpstats_validate_version(&v, &e), TCPSTATS_E_INVAL,
	    "tv_abi 2: expected TCPSTATS_E_INVAL");
	cr_expect_str_eq(e.tei_message,
	    "tv_abi 2 is not supported; expected 0 or 1",
	    "message: got '%s'", e.tei_message);
	v.tv_abi = UINT32_MAX;
	cr_expect_eq(tcpstats_validate_version(&v, &e), TCPSTATS_E_INVAL,
	    "tv_abi UINT32_MAX: expected TCPSTATS_E_INVAL");
	cr_expect_str_eq(e.tei_message,
	    "tv_abi 4294967295 is not supported; expected 0 or 1",
	    "message: got '%s'", e.tei_message);
}

Test(ioctl_validate, version_random_blocks)
{
	struct tcpstats_version v;
	struct tcpstats_errinfo e;
	int i, want;

	for (i = 0; i < RANDOM_ROUNDS; i++) {
		fill_random(&v, sizeof(v), 4);
		if (i % 3 == 0)
			v.tv_abi = (uint32_t)(rng() % 3);
		want = (v.tv_abi == 0 || v.tv_abi == 1) ? TCPSTATS_OK :
		    TCPSTATS_E_INVAL;
		cr_assert_eq(tcpstats_validate_version(&v, &e), want,
		    "round %d, tv_abi %u: expected %d", i, v.tv_abi, want);
	}
}

/* --- filter text ----------------------------------------------------------- */

Test(ioctl_validate, filter_length_edges)
{
	struct tcpstats_filter_arg a;
	struct tcpstats_errinfo e;

	memset(&a, 'x', sizeof(a));
	a.tfa_text[0] = '\0';
	cr_expect_eq(tcpstats_validate_filter(&a, &e), TCPSTATS_OK,
	    "empty text: expected OK");
	memset(&a, 'x', sizeof(a));
	a.tfa_text[511] = '\0';
	cr_expect_eq(tcpstats_validate_filter(&a, &e), TCPSTATS_OK,
	    "511 bytes: expected OK");
	memset(&a, 'x', sizeof(a));
	a.tfa_text[512] = '\0';
	cr_assert_eq(tcpstats_validate_filter(&a, &e), TCPSTATS_E_INVAL,
	    "512 bytes: expected TCPSTATS_E_INVAL");
	cr_expect_eq(e.tei_column, 512u, "column: expected 512, got %u",
	    e.tei_column);
	cr_expect_str_eq(e.tei_message,
	    "filter text is 512 bytes; the limit is 511",
	    "message: got '%s'", e.tei_message);
}

Test(ioctl_validate, filter_without_nul_is_rejected)
{
	struct tcpstats_filter_arg a;
	struct tcpstats_errinfo e;

	memset(&a, 'x', sizeof(a));
	cr_assert_eq(tcpstats_validate_filter(&a, &e), TCPSTATS_E_INVAL,
	    "no NUL in 1536 bytes: expected TCPSTATS_E_INVAL");
	cr_expect_str_eq(e.tei_message,
	    "filter text has no NUL within its 1536-byte buffer",
	    "message: got '%s'", e.tei_message);
}

Test(ioctl_validate, filter_random_blocks)
{
	struct tcpstats_filter_arg a;
	struct tcpstats_errinfo e;
	int i, want, got;

	for (i = 0; i < RANDOM_ROUNDS; i++) {
		/* Sparse NULs, so long and unterminated texts both occur. */
		fill_random(&a, sizeof(a), 1 + (unsigned int)(rng() % 1200));
		want = oracle_filter_ok(&a) ? TCPSTATS_OK : TCPSTATS_E_INVAL;
		got = tcpstats_validate_filter(&a, &e);
		cr_assert_eq(got, want, "round %d, first NUL at %ld: expected "
		    "%d, got %d", i, oracle_nul(a.tfa_text,
		    sizeof(a.tfa_text)), want, got);
		if (got != TCPSTATS_OK)
			cr_assert_neq(e.tei_message[0], '\0',
			    "round %d: a rejection needs a message", i);
	}
}

/* --- profile names and arguments ------------------------------------------- */

Test(ioctl_validate, profile_name_edges)
{
	static const struct {
		const char	*name;
		int		 want;
	} cases[] = {
		{ "a", TCPSTATS_OK },
		{ "web_80", TCPSTATS_OK },
		{ "abcdefghijklmnopqrstuvwxyz012345", TCPSTATS_OK },
		{ "abcdefghijklmnopqrstuvwxyz0123456", TCPSTATS_E_INVAL },
		{ "", TCPSTATS_E_INVAL },
		{ "Web", TCPSTATS_E_INVAL },
		{ "web-80", TCPSTATS_E_INVAL },
		{ "web 80", TCPSTATS_E_INVAL },
		{ "caf\xc3\xa9", TCPSTATS_E_INVAL },
	};
	struct tcpstats_errinfo e;
	char buf[TCPSTATS_NAME_BUF];
	size_t i;
	int got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, cases[i].name, strlen(cases[i].name));
		got = tcpstats_validate_profile_name(buf, sizeof(buf), &e);
		cr_expect_eq(got, cases[i].want, "name '%s': expected %d, "
		    "got %d", cases[i].name, cases[i].want, got);
	}
}

Test(ioctl_validate, profile_name_message_escapes_bytes)
{
	struct tcpstats_errinfo e;
	char buf[TCPSTATS_NAME_BUF] = "a\x01" "b";

	cr_assert_eq(tcpstats_validate_profile_name(buf, sizeof(buf), &e),
	    TCPSTATS_E_INVAL, "control byte in a name: expected INVAL");
	cr_expect_str_eq(e.tei_message, "profile names are lower-case: "
	    "letters a-z, digits and '_', got 'a\\x01b'",
	    "message: got '%s'", e.tei_message);
	cr_expect_eq(e.tei_column, 2u, "column: expected 2, got %u",
	    e.tei_column);
	cr_expect_str_eq(e.tei_directive, "profile", "directive: got '%s'",
	    e.tei_directive);
}

Test(ioctl_validate, profile_name_without_nul_is_rejected)
{
	struct tcpstats_errinfo e;
	char buf[TCPSTATS_NAME_BUF];

	memset(buf, 'a', sizeof(buf));
	cr_assert_eq(tcpstats_validate_profile_name(buf, sizeof(buf), &e),
	    TCPSTATS_E_INVAL, "no NUL in 40 bytes: expected INVAL");
	cr_expect_str_eq(e.tei_message,
	    "profile name has no NUL within its 40-byte buffer",
	    "message: got '%s'", e.tei_message);
	cr_expect_eq(e.tei_column, 0u, "column: expected 0, got %u",
	    e.tei_column);
}

/*
 * The name rule is the core's one rule: the parser gives the same reason,
 * and both point at the same byte (the parser counts "profile=" too).
 */
Test(ioctl_validate, profile_name_reason_matches_the_parser)
{
	static const struct {
		const char	*name;
		uint32_t	 col;	/* in the name; 0: the length is wrong */
	} cases[] = {
		{ "Web", 1 },
		{ "web-80", 4 },
		{ "abcdefghijklmnopqrstuvwxyz0123456", 0 },
	};
	struct tcpstats_errinfo e, pe;
	struct tcpstats_filter f;
	char buf[TCPSTATS_NAME_BUF], text[64];
	char want[sizeof(e.tei_message) + sizeof("profile: ")];
	uint32_t pcol;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, cases[i].name, strlen(cases[i].name));
		cr_assert_eq(tcpstats_validate_profile_name(buf, sizeof(buf),
		    &e), TCPSTATS_E_INVAL, "'%s': expected INVAL",
		    cases[i].name);
		cr_expect_eq(e.tei_column, cases[i].col, "'%s': expected "
		    "column %u, got %u", cases[i].name, cases[i].col,
		    e.tei_column);

		snprintf(text, sizeof(text), "profile=%s", cases[i].name);
		cr_assert_eq(tcpstats_filter_parse(text, NULL, &f, &pe),
		    TCPSTATS_E_INVAL, "parse(\"%s\"): expected INVAL", text);
		snprintf(want, sizeof(want), "profile: %s", e.tei_message);
		cr_expect_str_eq(pe.tei_message, want, "'%s': the parser says "
		    "'%s', the ioctl check '%s'", cases[i].name,
		    pe.tei_message, e.tei_message);
		pcol = cases[i].col != 0 ? 8 + cases[i].col : 9;
		cr_expect_eq(pe.tei_column, pcol, "parse(\"%s\"): expected "
		    "column %u, got %u", text, pcol, pe.tei_column);
	}
}

Test(ioctl_validate, profile_set_needs_terminated_text)
{
	struct tcpstats_profile_arg a;
	struct tcpstats_errinfo e;

	memset(&a, 0, sizeof(a));
	strcpy(a.tpa_name, "web");
	memset(a.tpa_text, 'x', sizeof(a.tpa_text));
	cr_expect_eq(tcpstats_validate_profile(&a, TCPSTATS_V_TEXT_IN, &e),
	    TCPSTATS_E_INVAL, "SET with unterminated text: expected INVAL");
	cr_expect_str_eq(e.tei_message, "profile text has no NUL within its "
	    "512-byte buffer (at most 511 bytes of text)", "message: got '%s'",
	    e.tei_message);
	cr_expect_eq(tcpstats_validate_profile(&a, TCPSTATS_V_TEXT_IGNORED,
	    &e), TCPSTATS_OK, "GET/DEL ignore tpa_text: expected OK");
	a.tpa_text[511] = '\0';
	cr_expect_eq(tcpstats_validate_profile(&a, TCPSTATS_V_TEXT_IN, &e),
	    TCPSTATS_OK, "SET with 511 bytes of text: expected OK");
}

Test(ioctl_validate, profile_random_blocks)
{
	struct tcpstats_profile_arg a;
	struct tcpstats_errinfo e;
	bool name_ok, text_ok;
	int i, want, got;

	for (i = 0; i < RANDOM_ROUNDS; i++) {
		fill_random(&a, sizeof(a), 1 + (unsigned int)(rng() % 40));
		if (i % 4 == 0) {
			/* A valid name now and then, so OK verdicts occur. */
			memset(a.tpa_name, 0, sizeof(a.tpa_name));
			memcpy(a.tpa_name, "p_", 2);
			a.tpa_name[2] = (char)('a' + rng() % 26);
		}
		name_ok = oracle_name_ok(a.tpa_name, sizeof(a.tpa_name));
		text_ok = oracle_nul(a.tpa_text, sizeof(a.tpa_text)) >= 0;
		want = name_ok && text_ok ? TCPSTATS_OK : TCPSTATS_E_INVAL;
		got = tcpstats_validate_profile(&a, TCPSTATS_V_TEXT_IN, &e);
		cr_assert_eq(got, want, "round %d SET (name ok %d, text ok "
		    "%d): expected %d, got %d", i, name_ok, text_ok, want, got);
		want = name_ok ? TCPSTATS_OK : TCPSTATS_E_INVAL;
		got = tcpstats_validate_profile(&a, TCPSTATS_V_TEXT_IGNORED,
		    &e);
		cr_assert_eq(got, want, "round %d DEL (name ok %d): expected "
		    "%d, got %d", i, name_ok, want, got);
	}
}

/* --- dispatch --------------------------------------------------------------- */

Test(ioctl_validate, dispatch_routes_each_command)
{
	union {
		struct tcpstats_version		v;
		struct tcpstats_filter_arg	f;
		struct tcpstats_profile_arg	p;
		struct tcpstats_profile_list	l;
		struct tcpstats_counters	c;
		struct tcpstats_errinfo		e;
	} arg;
	struct tcpstats_errinfo e;

	/* A block that every input check must reject. */
	memset(&arg, 0xff, sizeof(arg));
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_VERSION, &arg, &e),
	    TCPSTATS_E_INVAL, "VERSION with tv_abi 0xffffffff: INVAL");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_SETFILTER, &arg,
	    &e), TCPSTATS_E_INVAL, "SETFILTER without NUL: INVAL");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_PROFILE_SET, &arg,
	    &e), TCPSTATS_E_INVAL, "PROFILE_SET with a bad name: INVAL");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_PROFILE_GET, &arg,
	    &e), TCPSTATS_E_INVAL, "PROFILE_GET with a bad name: INVAL");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_PROFILE_DEL, &arg,
	    &e), TCPSTATS_E_INVAL, "PROFILE_DEL with a bad name: INVAL");

	/* Output-only commands take nothing in. */
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_GETFILTER, &arg,
	    &e), TCPSTATS_OK, "GETFILTER: OK");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_REWIND, NULL, &e),
	    TCPSTATS_OK, "REWIND: OK");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_READER_STATS, &arg,
	    &e), TCPSTATS_OK, "READER_STATS: OK");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_GLOBAL_STATS, &arg,
	    &e), TCPSTATS_OK, "GLOBAL_STATS: OK");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_LASTERR, &arg, &e),
	    TCPSTATS_OK, "LASTERR: OK");
	cr_expect_eq(tcpstats_validate_ioctl(TCPSTATS_IOC_PROFILE_LIST, &arg,
	    &e), TCPSTATS_OK, "PROFILE_LIST: OK");

	cr_expect_eq(tcpstats_validate_ioctl(_IO('T', 99), &arg, &e),
	    TCPSTATS_V_NOTTY, "unknown command: TCPSTATS_V_NOTTY");
	cr_expect_eq(tcpstats_validate_ioctl(_IOR('X', 1, int), &arg, &e),
	    TCPSTATS_V_NOTTY, "other group: TCPSTATS_V_NOTTY");
}

/*
 * fcntl(F_SETFL) sends FIONBIO and FIOASYNC to the device; the kernel
 * module answers them itself, before the validator, which must leave them
 * to it.  The values are FreeBSD's _IOW('f', 126 / 125, int) and Linux's
 * FIONBIO / FIOASYNC, written out as numbers.
 */
Test(ioctl_validate, generic_file_commands_are_not_the_devices)
{
	static const struct {
		unsigned long	cmd;
		const char	*name;
	} generic[] = {
		{ 0x8004667eul, "FreeBSD FIONBIO" },
		{ 0x8004667dul, "FreeBSD FIOASYNC" },
		{ 0x5421ul, "Linux FIONBIO" },
		{ 0x5452ul, "Linux FIOASYNC" },
	};
	struct tcpstats_errinfo e;
	size_t i;
	int on, rc;

	on = 1;
	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++) {
		rc = tcpstats_validate_ioctl(generic[i].cmd, &on, &e);
		cr_expect_eq(rc, TCPSTATS_V_NOTTY,
		    "%s (%#lx): expected TCPSTATS_V_NOTTY (%d), got %d",
		    generic[i].name, generic[i].cmd, TCPSTATS_V_NOTTY, rc);
	}
}
