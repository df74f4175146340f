/*
 * cat_i_combinations.c -- category I: combinations of the filter
 * dimensions (local/remote port, local/remote address, states, family,
 * fields/format), two to seven at a time.
 *
 * The rows form a covering array: the first rows are chosen greedily until
 * every pair of values of every two dimensions appears in some row; the
 * rest combine exactly k dimensions for k = 2..7 in turn.  The choice is
 * deterministic (a fixed linear congruential sequence), so row n is the
 * same filter on every run and every host.
 *
 * Each row is its own Test() rather than a parameter set of one
 * ParameterizedTest: CTest runs single Criterion tests through --filter,
 * which cannot select one parameter set, and every combination must be
 * listed and runnable alone.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "itest.h"

#define	NDIM	7
#define	NVAL	4
#define	NROWS	110

enum { D_LPORT, D_RPORT, D_LADDR, D_RADDR, D_STATE, D_FAMILY, D_FIELDS };

static const int nvals[NDIM] = { 4, 4, 4, 4, 4, 3, 3 };

static const char *const text[NDIM][NVAL] = {
	{ "", "local_port=20001", "local_port=20001-20005",
	    "local_port=1,20003,65535" },
	{ "", "remote_port=20001", "remote_port=20003-20005",
	    "remote_port=1024-65535" },
	{ "", "local_addr=127.0.0.0/8", "local_addr=::1",
	    "local_addr=127.0.0.1,fd00::/16" },
	{ "", "remote_addr=127.0.0.1", "remote_addr=::/0",
	    "remote_addr=127.0.0.3,::1" },
	{ "", "include_state=established", "exclude=listen",
	    "exclude=time_wait,close_wait" },
	{ "", "ipv4_only", "ipv6_only", "" },
	{ "", "fields=all format=compact",
	    "fields=identity,state format=compact", "" },
};

/* Which address values carry an IPv4 / IPv6 CIDR (for contradictions). */
static const bool addr_has_v4[NVAL] = { false, true, false, true };
static const bool laddr_has_v6[NVAL] = { false, false, true, true };
static const bool raddr_has_v6[NVAL] = { false, false, true, true };

struct row {
	int	v[NDIM];
};

static struct row rows[NROWS];

static uint32_t lcg = 20261204u;

static int
next_rand(int n)
{
	lcg = lcg * 1103515245u + 12345u;
	return ((int)((lcg >> 16) % (uint32_t)n));
}

static bool covered[NDIM][NVAL][NDIM][NVAL];

static int
gain(const struct row *r)
{
	int a, b, g;

	g = 0;
	for (a = 0; a < NDIM; a++)
		for (b = a + 1; b < NDIM; b++)
			if (!covered[a][r->v[a]][b][r->v[b]])
				g++;
	return (g);
}

static void
cover(const struct row *r)
{
	int a, b;

	for (a = 0; a < NDIM; a++)
		for (b = a + 1; b < NDIM; b++)
			covered[a][r->v[a]][b][r->v[b]] = true;
}

static void
build_rows(void)
{
	struct row cand, best;
	int n, i, d, g, bestg, k, active;

	memset(covered, 0, sizeof(covered));
	n = 0;
	/* Pairwise cover, greedily. */
	for (; n < NROWS; n++) {
		bestg = 0;
		for (i = 0; i < 64; i++) {
			for (d = 0; d < NDIM; d++)
				cand.v[d] = next_rand(nvals[d]);
			g = gain(&cand);
			if (g > bestg) {
				bestg = g;
				best = cand;
			}
		}
		if (bestg == 0)
			break;
		rows[n] = best;
		cover(&best);
	}
	/* Then rows with exactly k active dimensions, k = 2..7 in turn. */
	for (k = 2; n < NROWS; n++, k = k == NDIM ? 2 : k + 1) {
		memset(&cand, 0, sizeof(cand));
		for (active = 0; active < k; ) {
			d = next_rand(NDIM);
			if (cand.v[d] != 0)
				continue;
			cand.v[d] = 1 + next_rand(nvals[d] - 1);
			active++;
		}
		rows[n] = cand;
	}
}

static void
row_filter(const struct row *r, char *buf, size_t len)
{
	size_t off;
	int d;

	off = 0;
	buf[0] = '\0';
	for (d = 0; d < NDIM; d++) {
		if (text[d][r->v[d]][0] == '\0')
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    off > 0 ? " " : "", text[d][r->v[d]]);
	}
}

static bool
row_contradicts(const struct row *r)
{
	int fam = r->v[D_FAMILY];

	if (fam == 1)
		return (laddr_has_v6[r->v[D_LADDR]] ||
		    raddr_has_v6[r->v[D_RADDR]]);
	if (fam == 2)
		return (addr_has_v4[r->v[D_LADDR]] ||
		    addr_has_v4[r->v[D_RADDR]]);
	return (false);
}

static void
row_spec(const struct row *r, struct tsf_spec *sp)
{
	tsf_spec_all(sp);
	switch (r->v[D_LPORT]) {
	case 1:
		spec_lport(sp, P_V4A, P_V4A);
		break;
	case 2:
		spec_lport(sp, P_V4A, P_DUAL);
		break;
	case 3:
		spec_lport(sp, 1, 1);
		spec_lport(sp, P_V6A, P_V6A);
		spec_lport(sp, 65535, 65535);
		break;
	}
	switch (r->v[D_RPORT]) {
	case 1:
		spec_rport(sp, P_V4A, P_V4A);
		break;
	case 2:
		spec_rport(sp, P_V6A, P_DUAL);
		break;
	case 3:
		spec_rport(sp, 1024, 65535);
		break;
	}
	switch (r->v[D_LADDR]) {
	case 1:
		spec_laddr(sp, "127.0.0.0/8");
		break;
	case 2:
		spec_laddr(sp, "::1");
		break;
	case 3:
		spec_laddr(sp, "127.0.0.1");
		spec_laddr(sp, "fd00::/16");
		break;
	}
	switch (r->v[D_RADDR]) {
	case 1:
		spec_raddr(sp, "127.0.0.1");
		break;
	case 2:
		spec_raddr(sp, "::/0");
		break;
	case 3:
		spec_raddr(sp, "127.0.0.3");
		spec_raddr(sp, "::1");
		break;
	}
	switch (r->v[D_STATE]) {
	case 1:
		sp->states = state_bit(TCPSTATS_ST_ESTABLISHED);
		break;
	case 2:
		sp->states &= (uint16_t)~state_bit(TCPSTATS_ST_LISTEN);
		break;
	case 3:
		sp->states &= (uint16_t)~(state_bit(TCPSTATS_ST_TIME_WAIT) |
		    state_bit(TCPSTATS_ST_CLOSE_WAIT));
		break;
	}
	if (r->v[D_FAMILY] == 1)
		sp->family = TCPSTATS_AF_INET;
	else if (r->v[D_FAMILY] == 2)
		sp->family = TCPSTATS_AF_INET6;
}

static void
run_row(int n)
{
	struct tcpstats_errinfo ei;
	struct tsf_spec sp;
	char filter[TCPSTATS_FILTER_MAXLEN + 1];
	int fd, error;

	build_rows();
	row_filter(&rows[n], filter, sizeof(filter));
	cr_log_info("row %d: \"%s\"", n, filter);
	if (row_contradicts(&rows[n])) {
		fd = tsf_open();
		error = tsf_set_filter(fd, filter, &ei);
		close(fd);
		cr_assert_eq(error, EINVAL, "contradictory filter \"%s\" was "
		    "not rejected with EINVAL (got %d)", filter, error);
		cr_expect(strstr(ei.tei_message, "only") != NULL,
		    "\"%s\": error \"%s\" does not name the family flag",
		    filter, ei.tei_message);
		return;
	}
	row_spec(&rows[n], &sp);
	itest_check(filter, &sp, 0);
}

#define	CAT_I	.init = itest_setup, .fini = itest_teardown
#define	ROW(n)	Test(cat_I, combo_##n, CAT_I) { run_row(1##n - 1000); }
#define	ROWS10(t) ROW(t##0) ROW(t##1) ROW(t##2) ROW(t##3) ROW(t##4) \
	ROW(t##5) ROW(t##6) ROW(t##7) ROW(t##8) ROW(t##9)

ROWS10(00)
ROWS10(01)
ROWS10(02)
ROWS10(03)
ROWS10(04)
ROWS10(05)
ROWS10(06)
ROWS10(07)
ROWS10(08)
ROWS10(09)
ROWS10(10)

_Static_assert(NROWS == 110, "one ROWS10 line per ten rows");
