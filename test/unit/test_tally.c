/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_tally.c -- per-read tallies (visited == emitted + sum(skipped)),
 * folding reads into counters, and the skip reason names.
 */

#include "unit_helpers.h"

static uint64_t
skipped_sum(const struct tcpstats_tally *t)
{
	uint64_t s = 0;
	unsigned int i;

	for (i = 0; i < TCPSTATS_NSKIP; i++)
		s += t->tt_skipped[i];
	return (s);
}

Test(tally, zero_tally_is_consistent)
{
	struct tcpstats_tally t;

	memset(&t, 0, sizeof(t));
	cr_expect(tcpstats_tally_consistent(&t), "expected an empty tally to "
	    "be consistent");
}

Test(tally, match_counts_visited_and_emitted)
{
	struct tcpstats_tally t;

	memset(&t, 0, sizeof(t));
	tcpstats_tally_count(&t, TCPSTATS_MATCH);
	cr_expect_eq(t.tt_visited, 1u, "expected visited 1, got %llu",
	    (unsigned long long)t.tt_visited);
	cr_expect_eq(t.tt_emitted, 1u, "expected emitted 1, got %llu",
	    (unsigned long long)t.tt_emitted);
	cr_expect_eq(skipped_sum(&t), 0u, "expected nothing skipped");
}

Test(tally, each_reason_counts_under_itself)
{
	struct tcpstats_tally t;
	unsigned int r, i;

	for (r = 0; r < TCPSTATS_NSKIP; r++) {
		memset(&t, 0, sizeof(t));
		tcpstats_tally_count(&t, (int)r);
		cr_expect_eq(t.tt_visited, 1u, "reason %u: expected visited 1",
		    r);
		cr_expect_eq(t.tt_emitted, 0u, "reason %u: expected emitted 0",
		    r);
		for (i = 0; i < TCPSTATS_NSKIP; i++)
			cr_expect_eq(t.tt_skipped[i], i == r ? 1u : 0u,
			    "reason %u: expected skipped[%u] = %u, got %llu",
			    r, i, i == r, (unsigned long long)t.tt_skipped[i]);
	}
}

Test(tally, mixed_sequence_stays_consistent)
{
	static const int verdicts[] = { TCPSTATS_MATCH, TCPSTATS_SKIP_PORT,
	    TCPSTATS_MATCH, TCPSTATS_SKIP_STATE, TCPSTATS_SKIP_GENCNT,
	    TCPSTATS_SKIP_ADDR, TCPSTATS_SKIP_CRED, TCPSTATS_SKIP_IPVER,
	    TCPSTATS_SKIP_PORT, TCPSTATS_MATCH };
	struct tcpstats_tally t;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		tcpstats_tally_count(&t, verdicts[i]);
		cr_expect(tcpstats_tally_consistent(&t), "expected consistent "
		    "after %u verdicts", i + 1);
	}
	cr_expect_eq(t.tt_visited, 10u, "expected visited 10, got %llu",
	    (unsigned long long)t.tt_visited);
	cr_expect_eq(t.tt_emitted, 3u, "expected emitted 3, got %llu",
	    (unsigned long long)t.tt_emitted);
	cr_expect_eq(t.tt_skipped[TCPSTATS_SKIP_PORT], 2u, "expected 2 port "
	    "skips, got %llu",
	    (unsigned long long)t.tt_skipped[TCPSTATS_SKIP_PORT]);
}

Test(tally, visited_too_high_is_inconsistent)
{
	struct tcpstats_tally t;

	memset(&t, 0, sizeof(t));
	t.tt_visited = 5;
	t.tt_emitted = 2;
	t.tt_skipped[TCPSTATS_SKIP_ADDR] = 2;
	cr_expect(!tcpstats_tally_consistent(&t), "expected 5 != 2 + 2 to be "
	    "inconsistent");
}

Test(tally, visited_too_low_is_inconsistent)
{
	struct tcpstats_tally t;

	memset(&t, 0, sizeof(t));
	t.tt_visited = 3;
	t.tt_emitted = 2;
	t.tt_skipped[TCPSTATS_SKIP_GENCNT] = 1;
	t.tt_skipped[TCPSTATS_NSKIP - 1] = 1;
	cr_expect(!tcpstats_tally_consistent(&t), "expected 3 != 2 + 1 + 1 to "
	    "be inconsistent");
}

Test(tally, hand_built_consistent_tally)
{
	struct tcpstats_tally t;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	t.tt_emitted = 100;
	t.tt_visited = 100;
	for (i = 0; i < TCPSTATS_NSKIP; i++) {
		t.tt_skipped[i] = i + 1;
		t.tt_visited += i + 1;
	}
	cr_expect(tcpstats_tally_consistent(&t), "expected %llu == 100 + "
	    "1..6 to be consistent", (unsigned long long)t.tt_visited);
}

/* --- counters ----------------------------------------------------------- */

Test(counters, add_read_folds_the_tally)
{
	struct tcpstats_counters c;
	struct tcpstats_tally t;
	unsigned int i;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	t.tt_visited = 20;
	t.tt_emitted = 8;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		t.tt_skipped[i] = 2;
	tcpstats_counters_add_read(&c, &t, 1500, 0);
	cr_expect_eq(c.tsc_reads_total, 1u, "expected reads_total 1, got %llu",
	    (unsigned long long)c.tsc_reads_total);
	cr_expect_eq(c.tsc_sockets_visited, 20u, "expected visited 20, got "
	    "%llu", (unsigned long long)c.tsc_sockets_visited);
	cr_expect_eq(c.tsc_records_emitted, 8u, "expected emitted 8, got "
	    "%llu", (unsigned long long)c.tsc_records_emitted);
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		cr_expect_eq(c.tsc_skipped[i], 2u, "expected skipped[%u] 2, "
		    "got %llu", i, (unsigned long long)c.tsc_skipped[i]);
	cr_expect_eq(c.tsc_read_duration_ns_total, 1500u, "expected 1500 ns, "
	    "got %llu", (unsigned long long)c.tsc_read_duration_ns_total);
	cr_expect_eq(c.tsc_read_duration_ns_max, 1500u, "expected max 1500 "
	    "ns, got %llu", (unsigned long long)c.tsc_read_duration_ns_max);
	cr_expect_eq(c.tsc_reads_timed_out + c.tsc_reads_interrupted, 0u,
	    "expected no timeout or interruption counted");
}

Test(counters, add_read_keeps_max_and_sums)
{
	struct tcpstats_counters c;
	struct tcpstats_tally t;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	tcpstats_counters_add_read(&c, &t, 700, 0);
	tcpstats_counters_add_read(&c, &t, 300, 0);
	cr_expect_eq(c.tsc_read_duration_ns_total, 1000u, "expected 1000 ns "
	    "total, got %llu",
	    (unsigned long long)c.tsc_read_duration_ns_total);
	cr_expect_eq(c.tsc_read_duration_ns_max, 700u, "expected max 700 ns, "
	    "got %llu", (unsigned long long)c.tsc_read_duration_ns_max);
	cr_expect_eq(c.tsc_reads_total, 2u, "expected 2 reads, got %llu",
	    (unsigned long long)c.tsc_reads_total);
}

Test(counters, add_read_counts_timeouts_and_signals)
{
	struct tcpstats_counters c;
	struct tcpstats_tally t;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	tcpstats_counters_add_read(&c, &t, 1, TCPSTATS_READ_TIMED_OUT);
	tcpstats_counters_add_read(&c, &t, 1, TCPSTATS_READ_INTERRUPTED);
	tcpstats_counters_add_read(&c, &t, 1, TCPSTATS_READ_TIMED_OUT |
	    TCPSTATS_READ_INTERRUPTED);
	cr_expect_eq(c.tsc_reads_timed_out, 2u, "expected 2 timed out, got "
	    "%llu", (unsigned long long)c.tsc_reads_timed_out);
	cr_expect_eq(c.tsc_reads_interrupted, 2u, "expected 2 interrupted, "
	    "got %llu", (unsigned long long)c.tsc_reads_interrupted);
}

Test(counters, invariant_holds_across_reads)
{
	struct tcpstats_counters c;
	struct tcpstats_tally t;
	uint64_t skipped;
	unsigned int r, i;

	memset(&c, 0, sizeof(c));
	for (r = 0; r < 5; r++) {
		memset(&t, 0, sizeof(t));
		for (i = 0; i < 3 * r + 1; i++) {
			/* Cycle through every reason and a match. */
			int v = (int)((i + r) % (TCPSTATS_NSKIP + 1));

			tcpstats_tally_count(&t, v == TCPSTATS_NSKIP ?
			    TCPSTATS_MATCH : v);
		}
		tcpstats_counters_add_read(&c, &t, 10, r == 3 ?
		    TCPSTATS_READ_TIMED_OUT : 0);
	}
	skipped = 0;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		skipped += c.tsc_skipped[i];
	cr_expect_eq(c.tsc_sockets_visited, c.tsc_records_emitted + skipped,
	    "expected visited %llu == emitted %llu + skipped %llu",
	    (unsigned long long)c.tsc_sockets_visited,
	    (unsigned long long)c.tsc_records_emitted,
	    (unsigned long long)skipped);
	cr_expect_eq(c.tsc_sockets_visited, 1u + 4u + 7u + 10u + 13u,
	    "expected 35 visited over five reads, got %llu",
	    (unsigned long long)c.tsc_sockets_visited);
}

/* --- names -------------------------------------------------------------- */

Test(tally, skip_names)
{
	static const char *const want[TCPSTATS_NSKIP] = { "gencnt", "cred",
	    "ipver", "state", "port", "addr" };
	unsigned int i;
	const char *got;

	for (i = 0; i < TCPSTATS_NSKIP; i++) {
		got = tcpstats_skip_name(i);
		cr_assert_not_null(got, "skip_name(%u): expected '%s', got "
		    "NULL", i, want[i]);
		cr_expect_str_eq(got, want[i], "skip_name(%u): expected '%s', "
		    "got '%s'", i, want[i], got);
	}
	cr_expect_null(tcpstats_skip_name(TCPSTATS_NSKIP), "skip_name(%d): "
	    "expected NULL", TCPSTATS_NSKIP);
	cr_expect_null(tcpstats_skip_name(TCPSTATS_MATCH), "skip_name(MATCH): "
	    "expected NULL");
}
