/*
 * itest.c -- the standard fixture of the integration categories and the
 * check every test ends with.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "itest.h"

struct tsf_fixture itest_fx;

void
itest_setup(void)
{
	struct tsf_fixture *fx = &itest_fx;
	size_t v4a, v4b, v6a, v6b, dual, tw, cw, low, high, c;

	tsf_live_begin();
	tsf_loopback_alias("127.0.0.2");
	tsf_loopback_alias("127.0.0.3");
	tsf_loopback_alias("fd00::2");
	tsf_fixture_init(fx);

	v4a = tsf_listen(fx, "127.0.0.1", P_V4A);
	v4b = tsf_listen(fx, "127.0.0.2", P_V4B);
	v6a = tsf_listen(fx, "::1", P_V6A);
	v6b = tsf_listen(fx, "fd00::2", P_V6B);
	dual = tsf_listen(fx, "::", P_DUAL);
	tw = tsf_listen(fx, "127.0.0.1", P_TW);
	cw = tsf_listen(fx, "::1", P_CW);
	low = tsf_listen(fx, "127.0.0.1", P_LOW);
	high = tsf_listen(fx, "::1", P_HIGH);

	(void)tsf_connect(fx, v4a, "127.0.0.1", NULL);
	(void)tsf_connect(fx, v4a, "127.0.0.3", NULL);
	(void)tsf_connect(fx, v4b, "127.0.0.1", NULL);
	(void)tsf_connect(fx, v6a, "::1", NULL);
	(void)tsf_connect(fx, v6a, "fd00::2", NULL);
	(void)tsf_connect(fx, v6b, "::1", NULL);
	(void)tsf_connect(fx, dual, "127.0.0.1", "127.0.0.1");
	(void)tsf_connect(fx, dual, "::1", "::1");
	(void)tsf_connect(fx, low, "127.0.0.1", NULL);
	(void)tsf_connect(fx, high, "::1", NULL);
	c = tsf_connect(fx, tw, "127.0.0.1", NULL);
	tsf_pair_time_wait(fx, c);
	c = tsf_connect(fx, cw, "::1", NULL);
	tsf_pair_close_wait(fx, c);
}

void
itest_teardown(void)
{
	tsf_fixture_close(&itest_fx);
	tsf_tunables_restore();
}

void
spec_lport(struct tsf_spec *sp, uint16_t lo, uint16_t hi)
{
	sp->lport[sp->nlport].lo = lo;
	sp->lport[sp->nlport].hi = hi;
	sp->nlport++;
}

void
spec_rport(struct tsf_spec *sp, uint16_t lo, uint16_t hi)
{
	sp->rport[sp->nrport].lo = lo;
	sp->rport[sp->nrport].hi = hi;
	sp->nrport++;
}

void
spec_laddr(struct tsf_spec *sp, const char *cidr)
{
	tsf_spec_cidr(&sp->laddr[sp->nladdr++], cidr);
}

void
spec_raddr(struct tsf_spec *sp, const char *cidr)
{
	tsf_spec_cidr(&sp->raddr[sp->nraddr++], cidr);
}

uint16_t
state_bit(int st)
{
	return ((uint16_t)(1u << st));
}

void
itest_check(const char *filter, const struct tsf_spec *sp,
    size_t min_expected)
{
	struct tsf_records recs;
	size_t expected;

	expected = tsf_expected_count(&itest_fx, sp);
	cr_assert(expected >= min_expected, "test defect: the oracle expects "
	    "%zu sockets for \"%s\", the test needs at least %zu", expected,
	    filter, min_expected);
	tsf_snapshot(filter, &recs);
	tsf_expect_exact(&recs, &itest_fx, sp, filter);
	tsf_records_free(&recs);
}

void
itest_rejects(const char *filter, const char *needle)
{
	struct tcpstats_errinfo ei;
	int fd, error;

	fd = tsf_open();
	error = tsf_set_filter(fd, filter, &ei);
	close(fd);
	cr_assert(error == EINVAL, "filter \"%s\": expected EINVAL, got %s",
	    filter, error == 0 ? "success" : strerror(error));
	cr_expect(strstr(ei.tei_message, needle) != NULL,
	    "filter \"%s\": error \"%s\" does not mention \"%s\"", filter,
	    ei.tei_message, needle);
}
