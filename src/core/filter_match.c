/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * filter_match.c -- decide whether one socket is reported.
 *
 * Runs once per socket in the read path, so it does the cheap tests
 * first and touches the lists only when the filter has them.  The first
 * failing test names the skip reason: ip version, state, port, address.
 */

#include "core_impl.h"

static const uint8_t ts_mapped_pfx[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* ::ffff:a.b.c.d, or the unspecified :: (a wildcard local address). */
static bool
ts_foldable(const uint8_t *a, bool *mapped)
{
	unsigned int i;

	*mapped = memcmp(a, ts_mapped_pfx, sizeof(ts_mapped_pfx)) == 0;
	if (*mapped)
		return (true);
	for (i = 0; i < 16; i++)
		if (a[i] != 0)
			return (false);
	return (true);
}

static void
ts_fold(uint8_t *a)
{

	a[0] = a[12];
	a[1] = a[13];
	a[2] = a[14];
	a[3] = a[15];
	memset(a + 4, 0, 12);
}

bool
tcpstats_conn_normalize(struct tcpstats_conn *c)
{
	bool lm, rm;

	if (c->tcn_family != TCPSTATS_AF_INET6)
		return (false);
	/*
	 * Both addresses of a v4-mapped socket are mapped, or one is the
	 * unspecified address of a wildcard bind; anything else is a real
	 * IPv6 socket and stays as it is.
	 */
	if (!ts_foldable(c->tcn_laddr, &lm) ||
	    !ts_foldable(c->tcn_raddr, &rm) || (!lm && !rm))
		return (false);
	ts_fold(c->tcn_laddr);
	ts_fold(c->tcn_raddr);
	c->tcn_family = TCPSTATS_AF_INET;
	return (true);
}

static bool
ts_port_in(const struct tcpstats_portrange *r, unsigned int n, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < n && i < TCPSTATS_MAX_PORTS; i++)
		if (port >= r[i].tpr_lo && port <= r[i].tpr_hi)
			return (true);
	return (false);
}

/* In one of the CIDRs of the socket's own family? */
static bool
ts_addr_in(const struct tcpstats_cidr *c, unsigned int n, uint8_t family,
    const uint8_t *a)
{
	unsigned int i, k, full, rest;

	for (i = 0; i < n && i < TCPSTATS_MAX_CIDRS; i++, c++) {
		if (c->tci_family != family)
			continue;
		full = c->tci_plen >> 3;
		rest = c->tci_plen & 7;
		if (full > 16 || (full == 16 && rest != 0))
			continue;
		for (k = 0; k < full; k++)
			if (a[k] != c->tci_addr[k])
				break;
		if (k < full)
			continue;
		if (rest == 0 ||
		    ((a[full] ^ c->tci_addr[full]) & (0xff00u >> rest) &
		    0xff) == 0)
			return (true);
	}
	return (false);
}

int
tcpstats_filter_match(const struct tcpstats_filter *f,
    const struct tcpstats_conn *c)
{
	uint32_t fl;

	fl = f->tf_flags;
	if ((fl & TCPSTATS_FF_IPV4_ONLY) != 0 &&
	    c->tcn_family != TCPSTATS_AF_INET)
		return (TCPSTATS_SKIP_IPVER);
	if ((fl & TCPSTATS_FF_IPV6_ONLY) != 0 &&
	    c->tcn_family != TCPSTATS_AF_INET6)
		return (TCPSTATS_SKIP_IPVER);

	/* A state no name can select passes only a filter without one. */
	if (c->tcn_state >= TCPSTATS_NSTATES) {
		if ((fl & (TCPSTATS_FF_INCLUDE | TCPSTATS_FF_EXCLUDE)) != 0)
			return (TCPSTATS_SKIP_STATE);
	} else if ((f->tf_states & (1u << c->tcn_state)) == 0)
		return (TCPSTATS_SKIP_STATE);

	if (f->tf_nlport != 0 &&
	    !ts_port_in(f->tf_lport, f->tf_nlport, c->tcn_lport))
		return (TCPSTATS_SKIP_PORT);
	if (f->tf_nrport != 0 &&
	    !ts_port_in(f->tf_rport, f->tf_nrport, c->tcn_rport))
		return (TCPSTATS_SKIP_PORT);

	if (f->tf_nladdr != 0 && !ts_addr_in(f->tf_laddr, f->tf_nladdr,
	    c->tcn_family, c->tcn_laddr))
		return (TCPSTATS_SKIP_ADDR);
	if (f->tf_nraddr != 0 && !ts_addr_in(f->tf_raddr, f->tf_nraddr,
	    c->tcn_family, c->tcn_raddr))
		return (TCPSTATS_SKIP_ADDR);
	return (TCPSTATS_MATCH);
}
