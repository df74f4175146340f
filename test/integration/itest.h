/*
 * itest.h -- the integration categories' shared fixture and checks.
 *
 * Every test runs in a process of its own (Criterion forks per test) and,
 * on Linux, in a network namespace of its own, so the fixture below is
 * the exact set of TCP sockets in its world.  Ports are fixed so that the
 * filters read plainly; the oracle (tsf_spec) is built from structured
 * values, never from the filter text.
 */

#ifndef ITEST_H
#define	ITEST_H

#include "tsf.h"

/* Listener ports of the standard fixture. */
#define	P_V4A	20001	/* 127.0.0.1 */
#define	P_V4B	20002	/* 127.0.0.2 */
#define	P_V6A	20003	/* ::1 */
#define	P_V6B	20004	/* fd00::2 */
#define	P_DUAL	20005	/* :: (dual stack) */
#define	P_TW	20006	/* 127.0.0.1, its pair in TIME_WAIT */
#define	P_CW	20007	/* ::1, its pair in CLOSE_WAIT / FIN_WAIT_2 */
#define	P_LOW	1	/* 127.0.0.1 */
#define	P_HIGH	65535	/* ::1 */
#define	P_UNUSED 20999	/* nobody listens or connects here */

extern struct tsf_fixture itest_fx;

/*
 * The standard fixture: 9 listeners, 10 established pairs (IPv4, IPv6,
 * IPv4 through a dual-stack listener, ports 1 and 65535), one pair driven
 * to TIME_WAIT and one to CLOSE_WAIT.  Set up as .init, torn down as .fini.
 */
void	itest_setup(void);
void	itest_teardown(void);

/* Oracle helpers. */
void	spec_lport(struct tsf_spec *sp, uint16_t lo, uint16_t hi);
void	spec_rport(struct tsf_spec *sp, uint16_t lo, uint16_t hi);
void	spec_laddr(struct tsf_spec *sp, const char *cidr);
void	spec_raddr(struct tsf_spec *sp, const char *cidr);
uint16_t state_bit(int st);

/*
 * Apply filter, read to the end, and assert that the records are exactly
 * the fixture sockets sp admits.  min_expected guards against a vacuous
 * test: the oracle must expect at least that many.
 */
void	itest_check(const char *filter, const struct tsf_spec *sp,
	    size_t min_expected);

/* Assert that the provider rejects filter with EINVAL and an error
 * message containing needle. */
void	itest_rejects(const char *filter, const char *needle);

#endif /* ITEST_H */
