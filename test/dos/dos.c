/*
 * dos.c -- live_dos: the limits that keep one reader from hurting the
 * host.  Open cap (EMFILE), concurrent readers and the read interval
 * (EBUSY), the read time budget (a partial read that succeeds), tens of
 * thousands of TIME_WAIT sockets (P11), and signals during a long read
 * (EINTR or a short count, nothing lost).
 *
 * Each test sets the limits it relies on and restores them in .fini;
 * an exporter snapshot (the run's, when there is one) is printed before
 * and after each test.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

#define	MASS_TW		20000	/* TIME_WAIT sockets for long reads */
#define	P11_TW		40000	/* tens of thousands, case P11 */
#define	BIG_BUF		(64u << 20)
#define	EBUSY_TRIES	5000

static struct tsf_exporter ex;
static struct tsf_metrics ex_prev;

static void
dos_up(void)
{
	tsf_live_begin();
	tsf_tunables_defaults();
	memset(&ex_prev, 0, sizeof(ex_prev));
	(void)tsf_exporter_attach(&ex);
	tsf_exporter_snapshot(&ex, "before", &ex_prev);
}

static void
dos_down(void)
{
	tsf_tunables_restore();
	tsf_exporter_snapshot(&ex, "after", &ex_prev);
	tsf_metrics_free(&ex_prev);
	tsf_exporter_stop(&ex);
}

TestSuite(live_dos, .init = dos_up, .fini = dos_down, .timeout = 180);

/* --- open cap ---------------------------------------------------------------- */

/*
 * Readers other than this test (the run's exporter between scrapes holds
 * none) would take slots; the cap is set relative to what is open.
 */
static uint64_t
cap_four_more(void)
{
	uint64_t active;

	active = tsf_counter("active_fds");
	cr_log_info("active_fds before the test: %llu",
	    (unsigned long long)active);
	tsf_tunable_set("max_open_fds", active + 4);
	return (active);
}

Test(live_dos, open_cap_refuses_the_fifth_open_with_emfile)
{
	int fd[5], i, err;
	uint64_t before;

	before = cap_four_more();
	for (i = 0; i < 4; i++) {
		fd[i] = open(tsf_device_path(), O_RDONLY);
		cr_assert(fd[i] >= 0, "open %d of 4 under max_open_fds=%llu: "
		    "%s", i + 1, (unsigned long long)before + 4,
		    strerror(errno));
	}
	fd[4] = open(tsf_device_path(), O_RDONLY);
	err = errno;
	cr_expect(fd[4] < 0 && err == EMFILE, "the fifth open under "
	    "max_open_fds=%llu returned %d (%s); expected EMFILE",
	    (unsigned long long)before + 4, fd[4],
	    fd[4] < 0 ? strerror(err) : "success");
	for (i = 0; i < 5; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

Test(live_dos, open_cap_close_frees_a_slot)
{
	int fd[5], i, again;

	(void)cap_four_more();
	for (i = 0; i < 4; i++)
		fd[i] = tsf_open();
	fd[4] = open(tsf_device_path(), O_RDONLY);
	cr_assert(fd[4] < 0, "the fifth open succeeded; the cap is not "
	    "enforced (see open_cap_refuses_the_fifth_open_with_emfile)");
	close(fd[0]);
	again = open(tsf_device_path(), O_RDONLY);
	cr_expect(again >= 0, "after closing one of 4 fds at the cap, open "
	    "failed: %s; expected the freed slot", strerror(errno));
	if (again >= 0)
		close(again);
	for (i = 1; i < 4; i++)
		close(fd[i]);
}

/* --- EBUSY ------------------------------------------------------------------- */

struct spinner {
	int		fd;
	volatile int	stop;
	unsigned int	reads;
};

/* Read the whole large snapshot again and again until told to stop. */
static void *
spin_reads(void *arg)
{
	struct spinner *sp = arg;
	char *buf;
	unsigned int i;

	buf = malloc(BIG_BUF);
	if (buf == NULL)
		return (NULL);
	for (i = 0; i < 100000 && !sp->stop; i++) {
		(void)ioctl(sp->fd, TCPSTATS_IOC_REWIND);
		while (!sp->stop && read(sp->fd, buf, BIG_BUF) > 0)
			sp->reads++;
	}
	free(buf);
	return (NULL);
}

Test(live_dos, concurrent_reader_past_the_cap_gets_ebusy)
{
	struct tsf_mass m;
	struct spinner sp;
	struct tcpstats_errinfo ei;
	pthread_t th;
	char buf[4096];
	int fd, i, busy, err;
	ssize_t got;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_time_wait(&m, MASS_TW);
	tsf_tunable_set("max_concurrent_readers", 1);
	tsf_tunable_set("max_read_duration_ms", 60000);

	sp.fd = tsf_open();
	sp.stop = 0;
	sp.reads = 0;
	fd = tsf_open();
	tsf_must_filter(fd, "include_state=listen");
	cr_assert(pthread_create(&th, NULL, spin_reads, &sp) == 0);

	/*
	 * One long read runs at almost every moment; a second reader must
	 * meet EBUSY.  Bounded by attempts, not by time.
	 */
	busy = 0;
	err = 0;
	for (i = 0; i < EBUSY_TRIES && busy == 0; i++) {
		(void)ioctl(fd, TCPSTATS_IOC_REWIND);
		got = read(fd, buf, sizeof(buf));
		if (got < 0) {
			err = errno;
			if (err == EBUSY)
				busy = 1;
			else
				break;
		}
		usleep(200);
	}
	sp.stop = 1;
	(void)pthread_join(th, NULL);
	cr_assert_neq(err != 0 && err != EBUSY, 1, "a read beside a long "
	    "one failed with %s; expected EBUSY or success", strerror(err));
	cr_expect_eq(busy, 1, "max_concurrent_readers=1: %d reads beside a "
	    "reader busy with %d sockets (%u reads) never got EBUSY", i,
	    MASS_TW, sp.reads);
	if (busy) {
		memset(&ei, 0, sizeof(ei));
		cr_expect(ioctl(fd, TCPSTATS_IOC_LASTERR, &ei) == 0 &&
		    ei.tei_errno == EBUSY, "LASTERR after EBUSY: errno %d "
		    "(%s)", ei.tei_errno, ei.tei_message);
	}
	close(fd);
	close(sp.fd);
	tsf_mass_free(&m);
}

Test(live_dos, read_inside_min_read_interval_gets_ebusy)
{
	struct tsf_records r;
	char buf[4096];
	ssize_t got;
	int fd, err;

	tsf_tunable_set("min_read_interval_ms", 600000);
	fd = tsf_open();
	tsf_must_filter(fd, "");
	tsf_read_all(fd, sizeof(buf), &r);	/* ends with a read of 0 */
	tsf_records_free(&r);
	got = read(fd, buf, sizeof(buf));
	err = errno;
	cr_expect(got < 0 && err == EBUSY, "a read right after another "
	    "under min_read_interval_ms=600000 returned %zd (%s); expected "
	    "EBUSY", got, got < 0 ? strerror(err) : "success");

	/* With the limit off, the same reader reads again. */
	tsf_tunable_set("min_read_interval_ms", 0);
	got = read(fd, buf, sizeof(buf));
	cr_expect(got >= 0, "with min_read_interval_ms=0 the read failed: "
	    "%s", strerror(errno));
	close(fd);
}

/* --- time budget and P11 ---------------------------------------------------- */

Test(live_dos, time_budget_cuts_a_read_that_still_succeeds)
{
	struct tsf_mass m;
	struct tcpstats_counters a, b;
	struct tsf_records r;
	struct tsf_read_summary sum;
	char *buf;
	ssize_t got;
	size_t first;
	int fd;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_time_wait(&m, MASS_TW);
	tsf_tunable_set("max_read_duration_ms", 1);

	/*
	 * State-only compact records (24 bytes): all of them fit in one
	 * provider request (1 MiB on Linux), so only the budget can cut the
	 * first read short, and visiting every socket takes several times
	 * the 1 ms it is given.
	 */
	fd = tsf_open();
	tsf_must_filter(fd, "include_state=time_wait fields=state "
	    "format=compact");
	buf = malloc(BIG_BUF);
	cr_assert(buf != NULL);
	tsf_reader_stats(fd, &a);
	got = read(fd, buf, BIG_BUF);
	cr_assert(got > 0, "the first read of %d TIME_WAIT sockets under a "
	    "1 ms budget returned %zd (%s); expected a partial success",
	    MASS_TW, got, got < 0 ? strerror(errno) : "end");
	tsf_reader_stats(fd, &b);
	first = b.tsc_records_emitted - a.tsc_records_emitted;
	free(buf);
	cr_log_info("first read: %zu of %d records, timed out %llu", first,
	    MASS_TW, (unsigned long long)(b.tsc_reads_timed_out -
	    a.tsc_reads_timed_out));
	cr_expect_lt(first, (size_t)MASS_TW, "a 1 ms budget and a %u-byte "
	    "buffer: the first read returned all %zu records", BIG_BUF,
	    first);
	cr_expect_eq(b.tsc_reads_timed_out - a.tsc_reads_timed_out, 1,
	    "reads_timed_out moved by %llu for a read cut by the budget",
	    (unsigned long long)(b.tsc_reads_timed_out -
	    a.tsc_reads_timed_out));

	/*
	 * Under the same budget, reads that are cut still add up to every
	 * socket once (full records, which the oracle can identify).
	 */
	tsf_must_filter(fd, "include_state=time_wait");
	memset(&sum, 0, sizeof(sum));
	tsf_read_all_checked(fd, BIG_BUF, &r, &sum, "include_state=time_wait"
	    ", 1 ms budget");
	(void)tsf_mass_expect_all(&m, &r, "include_state=time_wait, 1 ms "
	    "budget");
	tsf_records_free(&r);
	close(fd);
	tsf_mass_free(&m);
}

Test(live_dos, tens_of_thousands_of_time_wait_sockets_read_completely)
{
	struct tsf_mass m;
	struct tsf_records r;
	struct tsf_read_summary sum;
	uint64_t t0;
	int fd;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	t0 = tsf_now_ms();
	tsf_mass_time_wait(&m, P11_TW);
	cr_log_info("%d TIME_WAIT sockets made in %llu ms", P11_TW,
	    (unsigned long long)(tsf_now_ms() - t0));
	fd = tsf_open();
	tsf_must_filter(fd, "");
	memset(&sum, 0, sizeof(sum));
	t0 = tsf_now_ms();
	tsf_read_all_checked(fd, 1u << 20, &r, &sum, "\"\" over TIME_WAIT");
	cr_log_info("read in %llu ms: %zu reads, %zu records, %llu timed out",
	    (unsigned long long)(tsf_now_ms() - t0), sum.reads, r.n,
	    (unsigned long long)sum.timed_out);
	(void)tsf_mass_expect_all(&m, &r, "filter \"\" over TIME_WAIT");
	tsf_records_free(&r);
	close(fd);
	tsf_mass_free(&m);
}

/* --- signals --------------------------------------------------------------- */

Test(live_dos, signal_during_a_long_read_gives_eintr_or_a_short_count)
{
	struct tsf_mass m;
	struct tsf_records r;
	struct tsf_read_summary sum;
	struct tsf_pester p;
	unsigned long hits;
	int fd;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	tsf_mass_time_wait(&m, MASS_TW);
	tsf_tunable_set("max_read_duration_ms", 60000);

	/*
	 * One snapshot read under a stream of signals: each read ends with
	 * EINTR (nothing copied) or a short count, and the union of what
	 * came is every socket exactly once.  The loop is bounded by reads
	 * (tsf_read_all_checked), so a hang fails by the test's timeout.
	 */
	fd = tsf_open();
	tsf_must_filter(fd, "include_state=time_wait");
	tsf_pester_start(&p, 3000);
	memset(&sum, 0, sizeof(sum));
	tsf_read_all_checked(fd, BIG_BUF, &r, &sum, "include_state=time_wait"
	    " under signals");
	hits = tsf_pester_stop(&p);
	cr_log_info("%lu signals: %zu reads, %zu EINTR, %llu interrupted",
	    hits, sum.reads, sum.eintr,
	    (unsigned long long)sum.interrupted);
	(void)tsf_mass_expect_all(&m, &r, "under signals");
	cr_expect_leq(sum.eintr, sum.interrupted, "%zu reads failed with "
	    "EINTR but reads_interrupted moved by %llu", sum.eintr,
	    (unsigned long long)sum.interrupted);
	tsf_records_free(&r);
	close(fd);
	tsf_mass_free(&m);
}
