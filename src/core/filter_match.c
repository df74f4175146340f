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

/* Is port in one of the ranges?  Inlined: it runs once per socket. */
static inline bool
ts_port_in(const struct tcpstats_portrange *r, unsigned int n, uint16_t port)
{

	if (n > TCPSTATS_MAX_PORTS)
		n = TCPSTATS_MAX_PORTS;
	for (; n > 0; n--, r++)
		if (port >= r->tpr_lo && port <= r->tpr_hi)
			return (true);
	return (false);
}

/*
 * In one of the CIDRs of the socket's own family?  The prefix is compared
 * four bytes at a time: whole words first, then the masked rest.
 */
static inline bool
ts_addr_in(const struct tcpstats_cidr *c, unsigned int n, uint8_t family,
    const uint8_t *a)
{
	unsigned int k, bits;

	if (n > TCPSTATS_MAX_CIDRS)
		n = TCPSTATS_MAX_CIDRS;
	for (; n > 0; n--, c++) {
		bits = c->tci_plen;
		if (c->tci_family != family || bits > 128)
			continue;
		for (k = 0; bits >= 32; k += 4, bits -= 32)
			if (ts_load32(a + k) != ts_load32(c->tci_addr + k))
				break;
		if (bits >= 32)
			continue;
		if (bits == 0 || ((ts_load32(a + k) ^
		    ts_load32(c->tci_addr + k)) &
		    ts_load32(ts_pfx_mask[bits])) == 0)
			return (true);
	}
	return (false);
}

/* The four list counts are adjacent bytes: one load says "no lists". */
_Static_assert(offsetof(struct tcpstats_filter, tf_nrport) ==
    offsetof(struct tcpstats_filter, tf_nlport) + 1 &&
    offsetof(struct tcpstats_filter, tf_nladdr) ==
    offsetof(struct tcpstats_filter, tf_nlport) + 2 &&
    offsetof(struct tcpstats_filter, tf_nraddr) ==
    offsetof(struct tcpstats_filter, tf_nlport) + 3,
    "tf_nlport, tf_nrport, tf_nladdr, tf_nraddr must be adjacent");

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

	/* Most filters have no lists. */
	if (ts_load32((const uint8_t *)f +
	    offsetof(struct tcpstats_filter, tf_nlport)) == 0)
		return (TCPSTATS_MATCH);
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
