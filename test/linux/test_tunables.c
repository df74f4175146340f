/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_tunables.c -- values written to sysctl/ files: what is accepted,
 * what is rejected and why, text written in several pieces, and the
 * counter file names.
 */

#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

static int
parse(enum tsd_tun t, const char *s, uint32_t *v, char *why, size_t wl)
{

	return (tsd_tunable_parse(t, s, strlen(s), v, why, wl));
}

Test(tunables, defaults_match_the_design)
{

	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_OPEN_FDS].tt_default, 16);
	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_CONCURRENT_READERS].tt_default,
	    32);
	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_READ_DURATION_MS].tt_default,
	    5000);
	cr_expect_eq(tsd_tunables[TSD_TUN_MIN_READ_INTERVAL_MS].tt_default,
	    0);
}

Test(tunables, decimal_with_and_without_newline)
{
	char why[160];
	uint32_t v;

	cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, "4\n", &v, why, sizeof(why)),
	    0, "'4\\n' rejected: %s", why);
	cr_expect_eq(v, 4, "expected 4, got %u", v);
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "250", &v, why,
	    sizeof(why)), 0, "'250' rejected: %s", why);
	cr_expect_eq(v, 250, "expected 250, got %u", v);
	cr_expect_eq(parse(TSD_TUN_MIN_READ_INTERVAL_MS, "0\n", &v, why,
	    sizeof(why)), 0, "'0' is a valid interval (off): %s", why);
	cr_expect_eq(v, 0);
}

Test(tunables, bad_text_is_rejected_with_a_reason)
{
	static const char *const bad[] = { "", "\n", "-1", "+1", " 4", "4 ",
	    "0x10", "abc", "4\n\n", "1e3", "12345678901", "99999999999" };
	char why[160];
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		v = 12345;
		cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, bad[i], &v, why,
		    sizeof(why)), -1, "'%s' must be rejected", bad[i]);
		cr_expect_eq(v, 12345, "'%s': output written on failure",
		    bad[i]);
		cr_expect(strstr(why, "max_open_fds") != NULL,
		    "'%s': reason does not name the tunable: '%s'", bad[i],
		    why);
	}
}

Test(tunables, out_of_range_is_rejected)
{
	char why[160];
	uint32_t v;

	cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, "0", &v, why, sizeof(why)),
	    -1, "max_open_fds 0 would refuse every open");
	cr_expect(strstr(why, "out of range") != NULL, "reason: '%s'", why);
	cr_expect_eq(parse(TSD_TUN_MAX_CONCURRENT_READERS, "0", &v, why,
	    sizeof(why)), -1, "max_concurrent_readers 0 refused");
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "0", &v, why,
	    sizeof(why)), -1, "a zero read budget refused");
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "86400001", &v, why,
	    sizeof(why)), -1, "more than a day refused");
}

Test(tunables, counter_names_match_the_design)
{
	static const char *const names[] = { "opens_total", "active_fds",
	    "reads_total", "sockets_visited", "records_emitted",
	    "sockets_skipped_gencnt", "sockets_skipped_cred",
	    "sockets_skipped_ipver", "sockets_skipped_state",
	    "sockets_skipped_port", "sockets_skipped_addr",
	    "reads_timed_out", "reads_interrupted",
	    "read_duration_ns_total", "read_duration_ns_max",
	    "copyout_errors", "last_error" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_expect_geq(tsd_counter_index(names[i]), 0,
		    "counter '%s' has no file", names[i]);
	cr_expect_eq(tsd_counter_name(sizeof(names) / sizeof(names[0])),
	    NULL, "more counter files than the design lists");
	cr_expect_eq(tsd_counter_index("max_open_fds"), -1,
	    "a tunable is not a counter");
	cr_expect_eq(tsd_tunable_index("max_open_fds"),
	    TSD_TUN_MAX_OPEN_FDS);
}

Test(tunables, counter_values_come_from_their_fields)
{
	struct tcpstats_counters c;

	memset(&c, 0, sizeof(c));
	c.tsc_skipped[TCPSTATS_SKIP_PORT] = 42;
	c.tsc_last_error = -3;
	c.tsc_read_duration_ns_max = 1000;
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("sockets_skipped_port")), 42);
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("last_error")), -3);
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("read_duration_ns_max")), 1000);
}

/*
 * Text written in pieces (one per write(2)): each piece is checked when it
 * arrives, the whole is parsed at close.
 */

/* Feed the pieces in turn; returns the index of the first refused, or -1. */
static int
feed_all(enum tsd_tun t, const char *const *pieces, size_t npieces,
    char *acc, size_t *acclen, int *err, char *why, size_t wl)
{
	size_t i;
	int rc;

	*acclen = 0;
	*err = 0;
	for (i = 0; i < npieces; i++) {
		rc = tsd_tunable_feed(t, acc, acclen, TSD_TUN_TEXT_MAX,
		    pieces[i], strlen(pieces[i]), why, wl);
		if (rc != 0) {
			*err = rc;
			return ((int)i);
		}
	}
	return (-1);
}

Test(tunable_pieces, two_pieces_make_one_value)
{
	static const char *const p[] = { "3", "2" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	uint32_t v;
	int err;

	cr_assert_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, p, 2, acc, &n, &err, why,
	    sizeof(why)), -1, "'3' then '2' refused: %s", why);
	cr_assert_eq(n, 2, "expected 2 bytes collected, got %zu", n);
	cr_assert_eq(tsd_tunable_parse(TSD_TUN_MAX_OPEN_FDS, acc, n, &v, why,
	    sizeof(why)), 0, "'32' rejected at the end: %s", why);
	cr_expect_eq(v, 32, "expected 32, got %u", v);
}

Test(tunable_pieces, bad_second_piece_is_refused_and_not_kept)
{
	static const char *const p[] = { "3", "x" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	int err;

	why[0] = '\0';
	cr_assert_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, p, 2, acc, &n, &err, why,
	    sizeof(why)), 1, "expected 'x' (piece 1) refused");
	cr_expect_eq(err, -EINVAL, "expected -EINVAL (%d), got %d", -EINVAL,
	    err);
	cr_expect_eq(n, 1, "the refused piece was kept: %zu bytes", n);
	cr_expect(strstr(why, "max_open_fds") != NULL &&
	    strstr(why, "0x78") != NULL, "reason should name the tunable and "
	    "the byte 0x78, got '%s'", why);
}

Test(tunable_pieces, value_past_the_maximum_is_refused_early)
{
	static const char *const whole[] = { "99999999" };
	static const char *const split[] = { "1048", "57", "7" };
	static const char *const at_max[] = { "1048", "576" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	int err;

	/* max_open_fds is at most 1048576 (DESIGN.md). */
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, whole, 1, acc, &n, &err,
	    why, sizeof(why)), 0, "'99999999' must be refused at once");
	cr_expect_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_expect(strstr(why, "out of range") != NULL, "reason: '%s'", why);
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, split, 3, acc, &n, &err,
	    why, sizeof(why)), 2, "'1048577' must be refused at its last "
	    "piece");
	cr_expect_eq(n, 6, "expected the 6 bytes before it kept, got %zu", n);
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, at_max, 2, acc, &n, &err,
	    why, sizeof(why)), -1, "'1048576' is the maximum, refused: %s",
	    why);
}

Test(tunable_pieces, one_trailing_newline_only)
{
	static const char *const ok1[] = { "4\n" };
	static const char *const ok2[] = { "4", "\n" };
	static const char *const bad1[] = { "4\n\n" };
	static const char *const bad2[] = { "4\n", "\n" };
	static const char *const bad3[] = { "4\n", "5" };
	static const char *const bad4[] = { "\n" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	uint32_t v;
	int err;

	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, ok1, 1, acc, &n, &err,
	    why, sizeof(why)), -1, "'4\\n' refused: %s", why);
	cr_expect_eq(tsd_tunable_parse(TSD_TUN_MAX_OPEN_FDS, acc, n, &v, why,
	    sizeof(why)), 0, "'4\\n' rejected at the end: %s", why);
	cr_expect_eq(v, 4, "expected 4, got %u", v);
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, ok2, 2, acc, &n, &err,
	    why, sizeof(why)), -1, "'4' then '\\n' refused: %s", why);
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, bad1, 1, acc, &n, &err,
	    why, sizeof(why)), 0, "'4\\n\\n' must be refused");
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, bad2, 2, acc, &n, &err,
	    why, sizeof(why)), 1, "a second newline must be refused");
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, bad3, 2, acc, &n, &err,
	    why, sizeof(why)), 1, "a digit after the newline must be "
	    "refused");
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, bad4, 1, acc, &n, &err,
	    why, sizeof(why)), 0, "a newline with no digits must be refused");
}

Test(tunable_pieces, below_minimum_with_newline_is_refused_at_once)
{
	static const char *const p[] = { "0", "\n" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	int err;

	/* The newline ends the value: 0 is below max_open_fds' minimum 1. */
	why[0] = '\0';
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, p, 2, acc, &n, &err, why,
	    sizeof(why)), 1, "'0' then '\n' must be refused at the newline");
	cr_expect_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_expect(strstr(why, "out of range") != NULL, "reason: '%s'", why);
	cr_expect_eq(feed_all(TSD_TUN_MIN_READ_INTERVAL_MS, p, 2, acc, &n,
	    &err, why, sizeof(why)), -1, "min_read_interval_ms 0 is valid, "
	    "refused: %s", why);
}

Test(tunable_pieces, below_minimum_waits_for_the_end)
{
	static const char *const zero[] = { "0" };
	static const char *const five[] = { "0", "5" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	uint32_t v;
	int err;

	/* '0' may still become '05' (leading zeros are accepted). */
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, zero, 1, acc, &n, &err,
	    why, sizeof(why)), -1, "'0' refused before the end: %s", why);
	cr_expect_eq(tsd_tunable_parse(TSD_TUN_MAX_OPEN_FDS, acc, n, &v, why,
	    sizeof(why)), -1, "max_open_fds 0 must be rejected at the end");
	cr_expect_eq(feed_all(TSD_TUN_MAX_OPEN_FDS, five, 2, acc, &n, &err,
	    why, sizeof(why)), -1, "'0' then '5' refused: %s", why);
	cr_expect_eq(tsd_tunable_parse(TSD_TUN_MAX_OPEN_FDS, acc, n, &v, why,
	    sizeof(why)), 0, "'05' rejected: %s", why);
	cr_expect_eq(v, 5, "expected 5, got %u", v);
}

Test(tunable_pieces, more_than_ten_digits_is_refused)
{
	static const char *const p[] = { "00000", "00000", "1" };
	char acc[TSD_TUN_TEXT_MAX], why[160];
	size_t n;
	int err;

	cr_expect_eq(feed_all(TSD_TUN_MAX_READ_DURATION_MS, p, 3, acc, &n,
	    &err, why, sizeof(why)), 2, "an 11th digit must be refused");
	cr_expect_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
}

Test(tunable_pieces, text_past_the_buffer_is_efbig)
{
	char acc[TSD_TUN_TEXT_MAX], big[TSD_TUN_TEXT_MAX + 1], why[160];
	size_t n;
	int rc;

	memset(big, '0', sizeof(big));
	n = 0;
	rc = tsd_tunable_feed(TSD_TUN_MAX_OPEN_FDS, acc, &n, sizeof(acc), big,
	    sizeof(big), why, sizeof(why));
	cr_expect_eq(rc, -EFBIG, "expected -EFBIG (%d) for %zu bytes, got %d",
	    -EFBIG, sizeof(big), rc);
	cr_expect_eq(n, 0, "nothing may be collected, got %zu bytes", n);
}

Test(profile_pieces, pieces_are_joined_and_one_newline_dropped)
{
	char acc[TSD_PROF_TEXT_MAX], text[TSD_PROF_TEXT_MAX], why[160];
	size_t n;

	n = 0;
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), "local_port=",
	    11, why, sizeof(why)), 0, "first piece refused: %s", why);
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), "80,443\n", 7,
	    why, sizeof(why)), 0, "second piece refused: %s", why);
	cr_assert_eq(tsd_profile_text(acc, n, text, sizeof(text)), 0);
	cr_expect_str_eq(text, "local_port=80,443");
	cr_assert_eq(tsd_profile_text("a\n\n", 3, text, sizeof(text)), 0);
	cr_expect_str_eq(text, "a\n", "only one newline is dropped");
}

Test(profile_pieces, at_most_511_bytes_and_a_newline)
{
	char acc[TSD_PROF_TEXT_MAX], text[TSD_PROF_TEXT_MAX], why[160];
	char piece[300];
	size_t n;
	int rc;

	/* 511 bytes of text and a newline fit; one more byte does not. */
	memset(piece, 'a', sizeof(piece));
	n = 0;
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), piece, 300, why,
	    sizeof(why)), 0);
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), piece, 211, why,
	    sizeof(why)), 0, "511 bytes refused: %s", why);
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), "\n", 1, why,
	    sizeof(why)), 0, "the newline after 511 bytes refused: %s", why);
	rc = tsd_profile_feed(acc, &n, sizeof(acc), "b", 1, why, sizeof(why));
	cr_expect_eq(rc, -EFBIG, "expected -EFBIG at byte 513, got %d", rc);
	cr_expect_eq(n, 512, "expected 512 bytes kept, got %zu", n);
	cr_assert_eq(tsd_profile_text(acc, n, text, sizeof(text)), 0);
	cr_expect_eq(strlen(text), 511, "expected 511 bytes of text, got %zu",
	    strlen(text));
}

Test(profile_pieces, byte_512_must_be_the_newline)
{
	char acc[TSD_PROF_TEXT_MAX], piece[512], why[160];
	size_t n;
	int rc;

	/* 512 bytes of text: too long, whatever would follow. */
	memset(piece, 'a', sizeof(piece));
	n = 0;
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), piece, 511, why,
	    sizeof(why)), 0, "511 bytes refused: %s", why);
	rc = tsd_profile_feed(acc, &n, sizeof(acc), "b", 1, why, sizeof(why));
	cr_expect_eq(rc, -EFBIG, "expected -EFBIG for byte 512 'b', got %d",
	    rc);
	cr_expect_eq(n, 511, "expected 511 bytes kept, got %zu", n);
	n = 0;
	rc = tsd_profile_feed(acc, &n, sizeof(acc), piece, sizeof(piece), why,
	    sizeof(why));
	cr_expect_eq(rc, -EFBIG, "expected -EFBIG for 512 bytes in one piece, "
	    "got %d", rc);
	cr_expect_eq(n, 0, "expected nothing kept, got %zu", n);
}

Test(profile_pieces, nul_byte_is_refused)
{
	char acc[TSD_PROF_TEXT_MAX], why[160];
	size_t n;
	int rc;

	n = 0;
	cr_assert_eq(tsd_profile_feed(acc, &n, sizeof(acc), "ipv4", 4, why,
	    sizeof(why)), 0);
	rc = tsd_profile_feed(acc, &n, sizeof(acc), "_o\0nly", 6, why,
	    sizeof(why));
	cr_expect_eq(rc, -EINVAL, "expected -EINVAL for a NUL, got %d", rc);
	cr_expect_eq(n, 4, "the refused piece was kept: %zu bytes", n);
	cr_expect(strstr(why, "offset 6") != NULL, "reason should give offset "
	    "6, got '%s'", why);
}
