/*
 * stats.c -- live_stats: the counter invariant.
 *
 * For every read, sockets_visited == records_emitted +
 * sum(sockets_skipped_*), through the reader's counters before and after
 * each read() (tsf_read_checked), and for the global totals; also for
 * reads cut short by the time budget and by a signal.  Each skip reason
 * is provoked and its count compared with what the oracle computes from
 * the fixture under the provider's definition of "visited"
 * (tsf_platform_prefilters): a provider that hands the filter to the
 * system's socket table never visits what it drops there.
 *
 * The fixture: listeners on 127.0.0.1, ::1 and [::], clients of each
 * (one IPv4 client of [::], so IPv4-mapped), a TIME_WAIT pair and a
 * CLOSE_WAIT pair.  On Linux the test's network namespace holds nothing
 * else, so counts over the whole stack are exact there.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

#define	SMALL_BUF	(3 * sizeof(struct tcpstats_record))
#define	BIG_BUF		(64u << 20)
#define	MASS_TW		20000	/* TIME_WAIT sockets for cut reads */
#define	SIGNAL_TRIES	40	/* snapshots tried under signals */

static struct tsf_fixture fx;
static size_t l4, l6, lds;	/* listener indexes */

static void
fixture_up(void)
{
	size_t c;

	tsf_live_begin();
	tsf_tunables_defaults();
	tsf_fixture_init(&fx);
	l4 = tsf_listen(&fx, "127.0.0.1", 0);
	l6 = tsf_listen(&fx, "::1", 0);
	lds = tsf_listen(&fx, "::", 0);
	(void)tsf_connect(&fx, l4, NULL, NULL);
	(void)tsf_connect(&fx, l4, NULL, NULL);
	(void)tsf_connect(&fx, l6, NULL, NULL);
	(void)tsf_connect(&fx, lds, NULL, "127.0.0.1");
	(void)tsf_connect(&fx, lds, NULL, "::1");
	c = tsf_connect(&fx, l4, NULL, NULL);
	tsf_pair_time_wait(&fx, c);
	c = tsf_connect(&fx, l6, NULL, NULL);
	tsf_pair_close_wait(&fx, c);
}

static void
fixture_down(void)
{
	tsf_fixture_close(&fx);
	tsf_tunables_restore();
}

TestSuite(live_stats, .init = fixture_up, .fini = fixture_down,
    .timeout = 120);

/* Sockets of the fixture that are still there. */
static size_t
fixture_live(const struct tsf_sock **out, size_t max)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < fx.n; i++)
		if (!fx.s[i].gone && n < max)
			out[n++] = &fx.s[i];
	return (n);
}

/* Fixture sockets with the given reported family (0 = any). */
static size_t
count_family(uint8_t family)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < fx.n; i++)
		if (!fx.s[i].gone && (family == 0 ||
		    fx.s[i].family == family))
			n++;
	return (n);
}

/* Open, filter, read to the end with per-read checks, close. */
static void
checked_snapshot(const char *filter, size_t bufsize, struct tsf_records *r,
    struct tsf_read_summary *sum)
{
	int fd;

	memset(sum, 0, sizeof(*sum));
	fd = tsf_open();
	tsf_must_filter(fd, filter);
	tsf_read_all_checked(fd, bufsize, r, sum, filter);
	close(fd);
}

static void
spec_port(struct tsf_spec *sp, bool local, uint16_t port)
{
	tsf_spec_all(sp);
	if (local) {
		sp->nlport = 1;
		sp->lport[0].lo = sp->lport[0].hi = port;
	} else {
		sp->nrport = 1;
		sp->rport[0].lo = sp->rport[0].hi = port;
	}
}

Test(live_stats, invariant_holds_for_every_read_of_many_filters)
{
	struct tsf_records r;
	struct tsf_read_summary sum;
	struct tsf_spec sp;
	char f[12][128];
	struct tsf_spec specs[12];
	size_t nf, i;

	/* The filters and, beside each, the oracle's view of it. */
	nf = 0;
	snprintf(f[nf], sizeof(f[0]), "%s", "");
	tsf_spec_all(&specs[nf++]);
	snprintf(f[nf], sizeof(f[0]), "ipv4_only");
	tsf_spec_all(&specs[nf]);
	specs[nf++].family = TCPSTATS_AF_INET;
	snprintf(f[nf], sizeof(f[0]), "ipv6_only");
	tsf_spec_all(&specs[nf]);
	specs[nf++].family = TCPSTATS_AF_INET6;
	snprintf(f[nf], sizeof(f[0]), "exclude=time_wait,listen");
	tsf_spec_all(&specs[nf]);
	specs[nf++].states &= (uint16_t)~((1u << TCPSTATS_ST_TIME_WAIT) |
	    (1u << TCPSTATS_ST_LISTEN));
	snprintf(f[nf], sizeof(f[0]), "include_state=established");
	tsf_spec_all(&specs[nf]);
	specs[nf++].states = 1u << TCPSTATS_ST_ESTABLISHED;
	snprintf(f[nf], sizeof(f[0]), "local_port=%u", fx.s[l4].lport);
	spec_port(&specs[nf++], true, fx.s[l4].lport);
	snprintf(f[nf], sizeof(f[0]), "remote_port=%u", fx.s[l6].lport);
	spec_port(&specs[nf++], false, fx.s[l6].lport);
	snprintf(f[nf], sizeof(f[0]), "local_addr=127.0.0.0/8");
	tsf_spec_all(&specs[nf]);
	specs[nf].nladdr = 1;
	tsf_spec_cidr(&specs[nf++].laddr[0], "127.0.0.0/8");
	snprintf(f[nf], sizeof(f[0]), "remote_addr=::1");
	tsf_spec_all(&specs[nf]);
	specs[nf].nraddr = 1;
	tsf_spec_cidr(&specs[nf++].raddr[0], "::1/128");
	snprintf(f[nf], sizeof(f[0]), "local_addr=0.0.0.0/0");
	tsf_spec_all(&specs[nf]);
	specs[nf].nladdr = 1;
	tsf_spec_cidr(&specs[nf++].laddr[0], "0.0.0.0/0");
	snprintf(f[nf], sizeof(f[0]), "ipv4_only exclude=listen "
	    "local_port=%u,%u", fx.s[l4].lport, fx.s[lds].lport);
	spec_port(&sp, true, fx.s[l4].lport);
	sp.family = TCPSTATS_AF_INET;
	sp.states &= (uint16_t)~(1u << TCPSTATS_ST_LISTEN);
	sp.nlport = 2;
	sp.lport[1].lo = sp.lport[1].hi = fx.s[lds].lport;
	specs[nf++] = sp;

	for (i = 0; i < nf; i++) {
		checked_snapshot(f[i], SMALL_BUF, &r, &sum);
		cr_log_info("filter \"%s\": %zu reads, visited %llu, emitted "
		    "%llu, skipped %llu", f[i], sum.reads,
		    (unsigned long long)sum.visited,
		    (unsigned long long)sum.emitted,
		    (unsigned long long)tsf_skipped_sum(sum.skipped));
		tsf_expect_exact(&r, &fx, &specs[i], f[i]);
		cr_expect(sum.reads >= 2, "filter \"%s\": %zu reads of a "
		    "%zu-byte buffer; expected at least the final 0", f[i],
		    sum.reads, SMALL_BUF);
		tsf_records_free(&r);
	}
}

/* --- global totals --------------------------------------------------------- */

Test(live_stats, global_totals_move_by_exactly_what_the_test_did)
{
	static const char *const filters[] = {
		"", "ipv4_only", "ipv6_only", "exclude=listen",
		"local_addr=0.0.0.0/0",
	};
	struct tcpstats_counters g0, g1;
	struct tsf_records r;
	struct tsf_read_summary sum, all;
	uint64_t dsk[TCPSTATS_NSKIP];
	size_t i, opens;
	int fd0, k;

	/* fd0 only reads the global counters; it is open throughout. */
	fd0 = tsf_open();
	tsf_global_stats(fd0, &g0);
	memset(&all, 0, sizeof(all));
	opens = 0;
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		checked_snapshot(filters[i], SMALL_BUF, &r, &sum);
		opens++;
		all.reads += sum.reads;
		all.visited += sum.visited;
		all.emitted += sum.emitted;
		for (k = 0; k < TCPSTATS_NSKIP; k++)
			all.skipped[k] += sum.skipped[k];
		tsf_records_free(&r);
	}
	/*
	 * On FUSE the daemon hears of a close(2) a moment after it returned
	 * (the release is sent asynchronously), so active_fds is given up
	 * to two seconds to come back.
	 */
	for (k = 0; k < 200; k++) {
		tsf_global_stats(fd0, &g1);
		if (g1.tsc_active_fds == g0.tsc_active_fds)
			break;
		usleep(10000);
	}
	close(fd0);

	for (k = 0; k < TCPSTATS_NSKIP; k++)
		dsk[k] = g1.tsc_skipped[k] - g0.tsc_skipped[k];
	cr_expect_eq(g1.tsc_opens_total - g0.tsc_opens_total, opens,
	    "global opens_total moved by %llu; the test opened %zu times",
	    (unsigned long long)(g1.tsc_opens_total - g0.tsc_opens_total),
	    opens);
	cr_expect_eq(g1.tsc_reads_total - g0.tsc_reads_total, all.reads,
	    "global reads_total moved by %llu; the test made %zu reads",
	    (unsigned long long)(g1.tsc_reads_total - g0.tsc_reads_total),
	    all.reads);
	cr_expect_eq(g1.tsc_active_fds, g0.tsc_active_fds, "active_fds was "
	    "%llu with only fd0 open and is %llu after every other fd closed",
	    (unsigned long long)g0.tsc_active_fds,
	    (unsigned long long)g1.tsc_active_fds);
	cr_expect_eq(g1.tsc_sockets_visited - g0.tsc_sockets_visited,
	    (g1.tsc_records_emitted - g0.tsc_records_emitted) +
	    tsf_skipped_sum(dsk), "global: sockets_visited moved by %llu, "
	    "records_emitted %llu + skipped %llu",
	    (unsigned long long)(g1.tsc_sockets_visited -
	    g0.tsc_sockets_visited),
	    (unsigned long long)(g1.tsc_records_emitted -
	    g0.tsc_records_emitted), (unsigned long long)tsf_skipped_sum(dsk));
	cr_expect_eq(g1.tsc_sockets_visited - g0.tsc_sockets_visited,
	    all.visited, "global sockets_visited moved by %llu; the "
	    "readers' own counters add up to %llu",
	    (unsigned long long)(g1.tsc_sockets_visited -
	    g0.tsc_sockets_visited), (unsigned long long)all.visited);
	cr_expect_eq(g1.tsc_records_emitted - g0.tsc_records_emitted,
	    all.emitted, "global records_emitted moved by %llu; the readers "
	    "got %llu", (unsigned long long)(g1.tsc_records_emitted -
	    g0.tsc_records_emitted), (unsigned long long)all.emitted);
	for (k = 0; k < TCPSTATS_NSKIP; k++)
		cr_expect_eq(dsk[k], all.skipped[k], "global "
		    "sockets_skipped_%s moved by %llu; the readers' counters "
		    "add up to %llu", tsf_skip_name(k),
		    (unsigned long long)dsk[k],
		    (unsigned long long)all.skipped[k]);
}

Test(live_stats, counter_files_agree_with_the_global_ioctl)
{
	static const char *const names[] = {
		"opens_total", "reads_total", "sockets_visited",
		"records_emitted", "sockets_skipped_ipver",
		"sockets_skipped_addr",
	};
	struct tcpstats_counters g;
	uint64_t file, ioc;
	size_t i;
	int fd;

	fd = tsf_open();
	tsf_must_filter(fd, "ipv4_only local_addr=0.0.0.0/0");
	{
		struct tsf_records r;
		struct tsf_read_summary sum;

		memset(&sum, 0, sizeof(sum));
		tsf_read_all_checked(fd, SMALL_BUF, &r, &sum, "ipv4_only");
		tsf_records_free(&r);
	}
	/* Nothing else reads while this test runs (RUN_SERIAL). */
	tsf_global_stats(fd, &g);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		file = tsf_counter(names[i]);
		switch (i) {
		case 0: ioc = g.tsc_opens_total; break;
		case 1: ioc = g.tsc_reads_total; break;
		case 2: ioc = g.tsc_sockets_visited; break;
		case 3: ioc = g.tsc_records_emitted; break;
		case 4: ioc = g.tsc_skipped[TCPSTATS_SKIP_IPVER]; break;
		default: ioc = g.tsc_skipped[TCPSTATS_SKIP_ADDR]; break;
		}
		cr_expect_eq(file, ioc, "counter %s reads %llu from the "
		    "counter tree but %llu from TCPSTATS_IOC_GLOBAL_STATS",
		    names[i], (unsigned long long)file,
		    (unsigned long long)ioc);
	}
	close(fd);
}

/* --- each skip reason ------------------------------------------------------ */

/*
 * Read with filter and check the count of reason against expected
 * (sockets the oracle says the filter drops for that reason), exactly on
 * a private stack, as a lower bound otherwise.  prefiltered: the provider
 * may drop these before visiting them (then the count is 0 and none of
 * them was visited).
 */
static void
expect_skips(const char *filter, int reason, uint64_t expected,
    bool may_prefilter)
{
	struct tsf_records r;
	struct tsf_read_summary sum;
	char why[256];
	bool pre, exact;

	pre = may_prefilter && tsf_platform_prefilters(why, sizeof(why));
	exact = tsf_platform_private_stack();
	checked_snapshot(filter, SMALL_BUF, &r, &sum);
	if (pre) {
		cr_log_info("%s", why);
		cr_expect_eq(sum.skipped[reason], 0, "filter \"%s\": "
		    "sockets_skipped_%s is %llu, expected 0: the provider "
		    "filters these in the socket table", filter,
		    tsf_skip_name(reason),
		    (unsigned long long)sum.skipped[reason]);
		if (exact)
			cr_expect_eq(sum.visited, sum.emitted, "filter \"%s\":"
			    " visited %llu but emitted %llu; sockets the "
			    "kernel dropped were visited", filter,
			    (unsigned long long)sum.visited,
			    (unsigned long long)sum.emitted);
	} else if (exact) {
		cr_expect_eq(sum.skipped[reason], expected, "filter \"%s\": "
		    "sockets_skipped_%s is %llu; the fixture has %llu "
		    "sockets it excludes for that reason", filter,
		    tsf_skip_name(reason),
		    (unsigned long long)sum.skipped[reason],
		    (unsigned long long)expected);
	} else {
		cr_expect_geq(sum.skipped[reason], expected, "filter \"%s\": "
		    "sockets_skipped_%s is %llu; the fixture alone has %llu "
		    "sockets it excludes for that reason", filter,
		    tsf_skip_name(reason),
		    (unsigned long long)sum.skipped[reason],
		    (unsigned long long)expected);
	}
	tsf_records_free(&r);
}

Test(live_stats, skip_ipver_counts_each_native_ipv6_socket_once)
{
	/* ipv4_only: native IPv6 sockets are visited and skipped. */
	expect_skips("ipv4_only", TCPSTATS_SKIP_IPVER,
	    count_family(TCPSTATS_AF_INET6), false);
}

Test(live_stats, skip_addr_counts_each_socket_outside_the_cidrs)
{
	/*
	 * A /0 prefix cannot be handed to the kernel, so every socket is
	 * visited; the IPv4-only list excludes each native IPv6 socket by
	 * address.
	 */
	expect_skips("local_addr=0.0.0.0/0", TCPSTATS_SKIP_ADDR,
	    count_family(TCPSTATS_AF_INET6), false);
}

/*
 * Turn kernel-side filtering off where the provider has it (tcpstatsd's
 * pushdown tunable), so every socket is visited and counted by reason;
 * restored by the suite's .fini.  Returns false where there is no such
 * tunable: the provider then visits every socket anyway (the kmod).
 */
static bool
pushdown_off(void)
{
	uint64_t v;

	if (tsf_platform_sysctl_get("pushdown", &v) != 0)
		return (false);
	tsf_tunable_set("pushdown", 0);
	return (true);
}

static uint64_t
count_listeners(void)
{
	const struct tsf_sock *s[TSF_MAX_SOCKS];
	size_t n, i, listen;

	n = fixture_live(s, TSF_MAX_SOCKS);
	for (i = listen = 0; i < n; i++)
		if (s[i]->state == TCPSTATS_ST_LISTEN)
			listen++;
	return (listen);
}

/* Sockets whose local port is not the IPv4 listener's; its filter text. */
static uint64_t
count_other_ports(char *filter, size_t len)
{
	const struct tsf_sock *s[TSF_MAX_SOCKS];
	size_t n, i, other;

	n = fixture_live(s, TSF_MAX_SOCKS);
	for (i = other = 0; i < n; i++)
		if (s[i]->lport != fx.s[l4].lport)
			other++;
	snprintf(filter, len, "local_port=%u", fx.s[l4].lport);
	return (other);
}

Test(live_stats, skip_state_counts_or_prefilters_excluded_states)
{
	expect_skips("exclude=listen", TCPSTATS_SKIP_STATE,
	    count_listeners(), true);
}

Test(live_stats, skip_state_counted_exactly_when_every_socket_is_visited)
{
	(void)pushdown_off();
	expect_skips("exclude=listen", TCPSTATS_SKIP_STATE,
	    count_listeners(), false);
}

Test(live_stats, skip_port_counts_or_prefilters_other_ports)
{
	char filter[64];
	uint64_t other;

	other = count_other_ports(filter, sizeof(filter));
	expect_skips(filter, TCPSTATS_SKIP_PORT, other, true);
}

Test(live_stats, skip_port_counted_exactly_when_every_socket_is_visited)
{
	char filter[64];
	uint64_t other;

	other = count_other_ports(filter, sizeof(filter));
	(void)pushdown_off();
	expect_skips(filter, TCPSTATS_SKIP_PORT, other, false);
}

Test(live_stats, skip_gencnt_sockets_made_after_the_snapshot_began)
{
	struct tsf_records r, rest;
	struct tsf_read_summary sum;
	struct tsf_fixture late;
	unsigned char *buf;
	size_t i, ll, nlate, seen;
	char why[256];
	ssize_t got;
	int fd;

	if (!tsf_platform_tracks_age(why, sizeof(why)))
		cr_skip_test("%s", why);

	/*
	 * DESIGN: sockets created after the snapshot began are not
	 * reported.  The first read returns one record and so begins the
	 * snapshot; the sockets made next must not appear in it, whether
	 * the provider never visits them or counts them under gencnt.
	 */
	memset(&sum, 0, sizeof(sum));
	memset(&r, 0, sizeof(r));
	fd = tsf_open();
	tsf_must_filter(fd, "");
	buf = malloc(sizeof(struct tcpstats_record));
	cr_assert(buf != NULL);
	got = tsf_read_checked(fd, buf, sizeof(struct tcpstats_record), &r,
	    &sum, "first read");
	cr_assert(got > 0, "the first read returned %zd; the fixture has %zu "
	    "sockets", got, fx.n);
	free(buf);

	tsf_fixture_init(&late);
	ll = tsf_listen(&late, "::1", 0);
	for (i = 0; i < 8; i++)
		(void)tsf_connect(&late, ll, NULL, NULL);
	ll = tsf_listen(&late, "127.0.0.1", 0);
	for (i = 0; i < 8; i++)
		(void)tsf_connect(&late, ll, NULL, NULL);
	nlate = late.n;

	tsf_read_all_checked(fd, 64 * 1024, &rest, &sum, "after new sockets");
	seen = tsf_count_ours(&rest, &late);
	cr_log_info("snapshot: %llu visited, %llu emitted, gencnt %llu; "
	    "%zu of the %zu late sockets reported",
	    (unsigned long long)sum.visited, (unsigned long long)sum.emitted,
	    (unsigned long long)sum.skipped[TCPSTATS_SKIP_GENCNT], seen,
	    nlate);
	cr_expect_eq(seen, 0, "filter \"\": %zu of the %zu sockets created "
	    "after the snapshot began were reported; expected none "
	    "(DESIGN: not reported)", seen, nlate);
	tsf_records_free(&r);
	tsf_records_free(&rest);
	tsf_fixture_close(&late);
	close(fd);
}

/* --- reads cut short ------------------------------------------------------ */

Test(live_stats, invariant_holds_for_reads_cut_by_the_time_budget)
{
	struct tsf_mass m;
	struct tsf_records r;
	struct tsf_read_summary sum;
	int fd;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_time_wait(&m, MASS_TW);
	tsf_tunable_set("max_read_duration_ms", 1);

	/*
	 * Compact identity and state records (80 bytes): a 1 MiB provider
	 * request holds over 13,000 of them, several times what a 1 ms
	 * budget can visit, so the budget and not the request size cuts
	 * the reads.
	 */
	memset(&sum, 0, sizeof(sum));
	fd = tsf_open();
	tsf_must_filter(fd, "include_state=time_wait fields=identity,state "
	    "format=compact");
	tsf_read_all_checked(fd, BIG_BUF, &r, &sum, "include_state=time_wait"
	    " fields=identity,state format=compact under a 1 ms budget");
	close(fd);
	cr_log_info("%d TIME_WAIT sockets, budget 1 ms: %zu reads, %llu "
	    "timed out", MASS_TW, sum.reads,
	    (unsigned long long)sum.timed_out);
	cr_expect_geq(sum.timed_out, 1, "no read of %d sockets into a %u-"
	    "byte buffer was cut by a 1 ms budget (%zu reads)", MASS_TW,
	    BIG_BUF, sum.reads);
	(void)tsf_mass_expect_all(&m, &r, "include_state=time_wait, budget "
	    "1 ms");
	tsf_records_free(&r);
	tsf_mass_free(&m);
}

Test(live_stats, invariant_holds_for_reads_cut_by_a_signal)
{
	struct tsf_mass m;
	struct tsf_records r;
	struct tsf_read_summary sum;
	struct tsf_pester p;
	unsigned long hits;
	int fd, try;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_time_wait(&m, MASS_TW);
	tsf_tunable_set("max_read_duration_ms", 60000);


	memset(&sum, 0, sizeof(sum));
	fd = tsf_open();
	tsf_must_filter(fd, "include_state=time_wait");
	tsf_pester_start(&p, 2000);
	for (try = 0; try < SIGNAL_TRIES && sum.interrupted == 0; try++) {
		cr_assert(ioctl(fd, TCPSTATS_IOC_REWIND) == 0,
		    "TCPSTATS_IOC_REWIND: %s", strerror(errno));
		tsf_read_all_checked(fd, BIG_BUF, &r, &sum,
		    "include_state=time_wait under signals");
		tsf_records_free(&r);
	}
	hits = tsf_pester_stop(&p);

	/* The last snapshot, undisturbed, is still whole. */
	cr_assert(ioctl(fd, TCPSTATS_IOC_REWIND) == 0);
	tsf_read_all_checked(fd, BIG_BUF, &r, &sum, "after the signals");
	close(fd);
	cr_log_info("%lu signals, %d snapshots, %zu reads, %zu EINTR, %llu "
	    "interrupted", hits, try, sum.reads, sum.eintr,
	    (unsigned long long)sum.interrupted);
	cr_expect_geq(sum.interrupted, 1, "%lu signals during %d full reads "
	    "of %d sockets: reads_interrupted never moved (is the read "
	    "interruptible?)", hits, try, MASS_TW);
	cr_expect_leq(sum.eintr, sum.interrupted, "%zu reads failed with "
	    "EINTR but reads_interrupted moved by %llu", sum.eintr,
	    (unsigned long long)sum.interrupted);
	(void)tsf_mass_expect_all(&m, &r, "after the signals");
	tsf_records_free(&r);
	tsf_mass_free(&m);
}

/* --- the exporter beside the device --------------------------------------- */

Test(live_stats, exporter_socket_total_within_ten_percent_of_a_read)
{
	struct tsf_exporter e;
	struct tsf_metrics mt;
	struct tsf_records r;
	struct tsf_mass m;
	double total, diff;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_established(&m, 1000);
	if (!tsf_exporter_start(&e, 9814, 100))
		cr_skip_test("tcpstats-exporter could not be started here "
		    "(logged above)");
	if (tsf_exporter_scrape(&e, &mt) != 0 ||
	    !tsf_metrics_get(&mt, "tcpstats_sockets", &total)) {
		tsf_exporter_stop(&e);
		cr_skip_test("the exporter gave no tcpstats_sockets sample "
		    "(logged above)");
	}
	tsf_snapshot("", &r);
	diff = total > (double)r.n ? total - (double)r.n :
	    (double)r.n - total;
	cr_log_info("exporter tcpstats_sockets %.0f, direct read %zu",
	    total, r.n);
	cr_expect(diff * 10.0 <= (double)r.n, "exporter reports %.0f "
	    "sockets, a direct read with filter \"\" returned %zu: more "
	    "than 10%% apart", total, r.n);
	tsf_metrics_free(&mt);
	tsf_records_free(&r);
	tsf_exporter_stop(&e);
	tsf_mass_free(&m);
}
