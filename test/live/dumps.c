/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dumps.c -- tcpstatsd's ways of reading the kernel give the same records:
 * both families in one dump (unspec_dump=1) or one dump per family, as on
 * a kernel without the AF_UNSPEC request (unspec_dump=0); datagrams
 * received ahead on a helper thread (readahead=1) or by the reader itself
 * (readahead=0).  Each way is checked against the fixture, an IPv4, an
 * IPv6 and a dual-stack listener with their connections, one of them
 * IPv4-mapped, and pairs in TIME_WAIT and CLOSE_WAIT, unfiltered and
 * through filters that the dump forms treat differently (families,
 * states, ports).
 *
 * The tunables exist on tcpstatsd only; elsewhere the tests skip.  They
 * are global, so the tests run alone (RUN_SERIAL) and .fini restores them.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

static struct tsf_fixture fx;
static size_t l4;		/* the IPv4 listener */

static void
setup(void)
{
	uint64_t v;
	size_t l6, ld, c;

	tsf_live_begin();
	if (tsf_platform_sysctl_get("unspec_dump", &v) != 0 ||
	    tsf_platform_sysctl_get("readahead", &v) != 0)
		cr_skip_test("no unspec_dump / readahead tunables: these "
		    "dump forms are tcpstatsd's");
	tsf_fixture_init(&fx);
	l4 = tsf_listen(&fx, "127.0.0.1", 0);
	(void)tsf_connect(&fx, l4, NULL, NULL);
	c = tsf_connect(&fx, l4, NULL, NULL);
	tsf_pair_time_wait(&fx, c);
	l6 = tsf_listen(&fx, "::1", 0);
	(void)tsf_connect(&fx, l6, NULL, NULL);
	c = tsf_connect(&fx, l6, NULL, NULL);
	tsf_pair_close_wait(&fx, c);
	/* A dual-stack listener; its IPv4 client's peer is IPv4-mapped. */
	ld = tsf_listen(&fx, "::", 0);
	(void)tsf_connect(&fx, ld, NULL, "127.0.0.1");
}

static void
teardown(void)
{

	tsf_fixture_close(&fx);
	tsf_tunables_restore();
}

TestSuite(live_dumps, .init = setup, .fini = teardown, .timeout = 60);

static void
expect(const char *filter, const struct tsf_spec *sp)
{
	struct tsf_records recs;

	tsf_snapshot(filter, &recs);
	tsf_expect_exact(&recs, &fx, sp, filter);
	tsf_records_free(&recs);
}

/* The fixture through each filter, in the dump form set by the caller. */
static void
expect_every_filter(void)
{
	struct tsf_spec sp;
	char text[64];

	tsf_spec_all(&sp);
	cr_assert_geq(tsf_expected_count(&fx, &sp), 12, "test defect: the "
	    "fixture has %zu sockets", tsf_expected_count(&fx, &sp));
	expect("", &sp);

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	expect("ipv4_only", &sp);

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	expect("ipv6_only", &sp);

	tsf_spec_all(&sp);
	sp.states &= (uint16_t)~((1u << TCPSTATS_ST_TIME_WAIT) |
	    (1u << TCPSTATS_ST_LISTEN));
	expect("exclude=time_wait,listen", &sp);

	tsf_spec_all(&sp);
	sp.nlport = 1;
	sp.lport[0].lo = sp.lport[0].hi = fx.s[l4].lport;
	snprintf(text, sizeof(text), "local_port=%u", fx.s[l4].lport);
	expect(text, &sp);
}

Test(live_dumps, one_dump_of_both_families_with_readahead)
{

	tsf_tunable_set("unspec_dump", 1);
	tsf_tunable_set("readahead", 1);
	expect_every_filter();
}

Test(live_dumps, one_dump_per_family_with_readahead)
{

	tsf_tunable_set("unspec_dump", 0);
	tsf_tunable_set("readahead", 1);
	expect_every_filter();
}

Test(live_dumps, one_dump_of_both_families_received_by_the_reader)
{

	tsf_tunable_set("unspec_dump", 1);
	tsf_tunable_set("readahead", 0);
	expect_every_filter();
}

Test(live_dumps, one_dump_per_family_received_by_the_reader)
{

	tsf_tunable_set("unspec_dump", 0);
	tsf_tunable_set("readahead", 0);
	expect_every_filter();
}

Test(live_dumps, small_reads_resume_across_datagrams)
{
	struct tsf_records recs;
	struct tsf_spec sp;
	int fd;

	/* One record per read: every message is left mid-datagram once. */
	tsf_tunable_set("unspec_dump", 1);
	tsf_tunable_set("readahead", 1);
	fd = tsf_open();
	tsf_read_all(fd, sizeof(struct tcpstats_record), &recs);
	close(fd);
	tsf_spec_all(&sp);
	tsf_expect_exact(&recs, &fx, &sp, "(none, one record per read)");
	tsf_records_free(&recs);
}
