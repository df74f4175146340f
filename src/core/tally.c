/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tally.c -- per-read tallies and their fold into the counters.
 *
 * Every visited socket is counted exactly once, as emitted or under one
 * skip reason, so visited == emitted + sum(skipped) holds for each read
 * and therefore for the totals.
 */

#include "core_impl.h"

void
tcpstats_tally_count(struct tcpstats_tally *t, int verdict)
{

	/* A verdict that is no reason would break the sum; ignore it. */
	if (verdict == TCPSTATS_MATCH)
		t->tt_emitted++;
	else if (verdict >= 0 && verdict < TCPSTATS_NSKIP)
		t->tt_skipped[verdict]++;
	else
		return;
	t->tt_visited++;
}

bool
tcpstats_tally_consistent(const struct tcpstats_tally *t)
{
	uint64_t sum;
	unsigned int i;

	sum = t->tt_emitted;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		sum += t->tt_skipped[i];
	return (sum == t->tt_visited);
}

void
tcpstats_counters_add_read(struct tcpstats_counters *c,
    const struct tcpstats_tally *t, uint64_t duration_ns, unsigned int how)
{
	unsigned int i;

	c->tsc_reads_total++;
	c->tsc_sockets_visited += t->tt_visited;
	c->tsc_records_emitted += t->tt_emitted;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		c->tsc_skipped[i] += t->tt_skipped[i];
	if ((how & TCPSTATS_READ_TIMED_OUT) != 0)
		c->tsc_reads_timed_out++;
	if ((how & TCPSTATS_READ_INTERRUPTED) != 0)
		c->tsc_reads_interrupted++;
	c->tsc_read_duration_ns_total += duration_ns;
	if (duration_ns > c->tsc_read_duration_ns_max)
		c->tsc_read_duration_ns_max = duration_ns;
}
