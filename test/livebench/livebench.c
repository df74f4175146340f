/*
 * livebench.c -- live_bench: the read path at 1K, 10K and 100K
 * connections, held by tcp-echo processes in the test's namespace.
 * Full and filtered reads are timed and printed beside the exporter's
 * diffs, and the same connections are read by bench_read, the read-path
 * benchmark tool, in a process of its own; what is asserted is correctness
 * only: every generated connection (both of its sockets) reported exactly
 * once at each scale, and bench_read's snapshots complete, decoded and
 * without a socket twice.
 */

#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

static struct tsf_exporter ex;
static struct tsf_metrics ex_prev;

static void
bench_up(void)
{
	tsf_live_begin();
	tsf_tunables_defaults();
	/* A long budget: the bench measures whole reads, never cut ones. */
	tsf_tunable_set("max_read_duration_ms", 120000);
	memset(&ex_prev, 0, sizeof(ex_prev));
	(void)tsf_exporter_attach(&ex);
	tsf_exporter_snapshot(&ex, "before", &ex_prev);
}

static void
bench_down(void)
{
	tsf_tunables_restore();
	tsf_exporter_snapshot(&ex, "after", &ex_prev);
	tsf_metrics_free(&ex_prev);
	tsf_exporter_stop(&ex);
}

TestSuite(live_bench, .init = bench_up, .fini = bench_down,
    .timeout = 300);

static void
timed_read(const struct tsf_mass *m, const char *filter, size_t n,
    bool all)
{
	struct tsf_records r;
	struct tsf_read_summary sum;
	uint64_t t0, dt;
	size_t ours;
	int fd;

	fd = tsf_open();
	tsf_must_filter(fd, filter);
	memset(&sum, 0, sizeof(sum));
	t0 = tsf_now_ns();
	tsf_read_all_checked(fd, 4u << 20, &r, &sum, filter);
	dt = tsf_now_ns() - t0;
	close(fd);
	ours = all ? tsf_mass_expect_all(m, &r, filter) :
	    tsf_mass_count(m, &r);
	cr_log_info("bench %zu connections, filter \"%s\": %zu records "
	    "(%zu ours), %zu reads, %llu.%03llu ms, %llu ns/socket visited",
	    n, filter, r.n, ours, sum.reads,
	    (unsigned long long)(dt / 1000000),
	    (unsigned long long)(dt / 1000 % 1000),
	    (unsigned long long)(sum.visited > 0 ? dt / sum.visited : 0));
	tsf_records_free(&r);
}

/*
 * bench_read over the connections: a warm-up snapshot with every record
 * decoded, then one timed, each checked for repeated socket cookies (exit
 * 1).  Its record count must hold all of ours; the rest of the
 * namespace's sockets are the test's helpers (the exporter's), a few.
 */
#define	HELPER_SOCKETS_MAX	16

static void
bench_read_run(const struct tsf_mass *m)
{
#ifdef TSF_BENCH_READ_BIN
	struct tsf_proc p;
	char bin[] = TSF_BENCH_READ_BIN, quiet[] = "-q", iter[] = "-n";
	char one[] = "1", dflag[] = "-d", dev[512];
	char *argv[] = { bin, quiet, iter, one, dflag, dev, NULL };
	char line[512], *at;
	unsigned long long rec;
	FILE *fp;
	int rc;

	snprintf(dev, sizeof(dev), "%s", tsf_device_path());
	tsf_spawn(&p, argv);
	rc = tsf_wait(&p, 240000);
	if (rc < 0)
		tsf_stop(&p, 1000);
	rec = 0;
	line[0] = '\0';
	if ((fp = fopen(p.log, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if ((at = strstr(line, " rec ")) != NULL &&
			    sscanf(at, " rec %llu", &rec) == 1)
				break;
		fclose(fp);
	}
	cr_assert_eq(rc, 0, "bench_read exited %d (see %s): %s", rc, p.log,
	    line);
	cr_log_info("bench_read: %s", line);
	cr_expect(rec >= m->n && rec <= m->n + HELPER_SOCKETS_MAX,
	    "bench_read saw %llu records; the namespace holds the %zu "
	    "sockets made and at most %d of the test's helpers", rec, m->n,
	    HELPER_SOCKETS_MAX);
	(void)unlink(p.log);
#else
	(void)m;
	cr_log_info("bench_read not built: its run is left out");
#endif
}

static void
bench_scale(size_t n)
{
	struct tsf_mass m;
	char why[512], filter[64];
	uint64_t t0;

	memset(&m, 0, sizeof(m));
	tsf_mass_prepare();
	t0 = tsf_now_ms();
	if (tsf_mass_echo(&m, n, why, sizeof(why)) != 0) {
		tsf_mass_free(&m);
		cr_assert_fail("%zu connections could not be made: %s", n,
		    why);
	}
	cr_log_info("bench: %zu connections (%zu sockets) up in %llu ms "
	    "with %d tcp-echo processes", n, m.n,
	    (unsigned long long)(tsf_now_ms() - t0), m.nprocs);
	tsf_exporter_snapshot(&ex, "connections up", &ex_prev);

	timed_read(&m, "", n, true);
	timed_read(&m, "include_state=established", n, true);
	snprintf(filter, sizeof(filter), "ipv6_only");
	timed_read(&m, filter, n, false);
	bench_read_run(&m);
	tsf_exporter_snapshot(&ex, "after the reads", &ex_prev);
	tsf_mass_free(&m);
}

Test(live_bench, read_path_at_1k_connections)
{
	bench_scale(1000);
}

Test(live_bench, read_path_at_10k_connections)
{
	bench_scale(10000);
}

Test(live_bench, read_path_at_100k_connections)
{
	struct rlimit rl;

	/*
	 * 200000 sockets: tcp-echo processes of ~10000 connections each
	 * (the descriptor hard limit); the machine must allow them.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < 1024)
		cr_skip_test("descriptor hard limit %llu is too low for "
		    "100000 connections", (unsigned long long)rl.rlim_max);
	bench_scale(100000);
}
