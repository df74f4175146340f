/*
 * cat_h_concurrent.c -- category H: several readers at once, with the
 * same and with different filters, each getting its exact set.
 */

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_H	.init = itest_setup, .fini = itest_teardown

struct reader {
	pthread_t		thr;
	const char		*filter;
	int			fd;
	struct tsf_records	recs;
};

static pthread_barrier_t start;

static void *
reader_main(void *arg)
{
	struct reader *r = arg;

	/* All readers filter first, then read at the same moment. */
	pthread_barrier_wait(&start);
	tsf_read_all(r->fd, 4096, &r->recs);
	return (NULL);
}

static void
run_readers(struct reader *rd, int n, const struct tsf_spec *sp)
{
	int i;

	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		rd[i].fd = tsf_open();
		tsf_must_filter(rd[i].fd, rd[i].filter);
	}
	for (i = 0; i < n; i++)
		cr_assert(pthread_create(&rd[i].thr, NULL, reader_main,
		    &rd[i]) == 0, "pthread_create");
	for (i = 0; i < n; i++)
		pthread_join(rd[i].thr, NULL);
	for (i = 0; i < n; i++) {
		tsf_expect_exact(&rd[i].recs, &itest_fx, &sp[i],
		    rd[i].filter);
		tsf_records_free(&rd[i].recs);
		close(rd[i].fd);
	}
	pthread_barrier_destroy(&start);
}

Test(cat_H, four_readers_same_filter, CAT_H)
{
	struct reader rd[4];
	struct tsf_spec sp[4];
	int i;

	memset(rd, 0, sizeof(rd));
	for (i = 0; i < 4; i++) {
		rd[i].filter = "local_port=20001-20005";
		tsf_spec_all(&sp[i]);
		spec_lport(&sp[i], P_V4A, P_DUAL);
	}
	run_readers(rd, 4, sp);
}

Test(cat_H, eight_readers_different_filters, CAT_H)
{
	static const char *filters[8] = {
		"ipv4_only", "ipv6_only", "include_state=listen",
		"exclude=listen", "local_port=20001", "remote_port=20003",
		"local_addr=127.0.0.2", "include_state=time_wait",
	};
	struct reader rd[8];
	struct tsf_spec sp[8];
	int i;

	memset(rd, 0, sizeof(rd));
	for (i = 0; i < 8; i++) {
		rd[i].filter = filters[i];
		tsf_spec_all(&sp[i]);
	}
	sp[0].family = TCPSTATS_AF_INET;
	sp[1].family = TCPSTATS_AF_INET6;
	sp[2].states = state_bit(TCPSTATS_ST_LISTEN);
	sp[3].states = (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_LISTEN));
	spec_lport(&sp[4], P_V4A, P_V4A);
	spec_rport(&sp[5], P_V6A, P_V6A);
	spec_laddr(&sp[6], "127.0.0.2");
	sp[7].states = state_bit(TCPSTATS_ST_TIME_WAIT);
	run_readers(rd, 8, sp);
}

Test(cat_H, sequential_readers_never_busy, CAT_H)
{
	struct tsf_records recs;
	struct tsf_spec sp;
	int i;

	/* More opens in a row than the concurrent-reader limit allows. */
	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	for (i = 0; i < 40; i++) {
		tsf_snapshot("local_port=20001", &recs);
		tsf_expect_exact(&recs, &itest_fx, &sp, "local_port=20001");
		tsf_records_free(&recs);
	}
}
