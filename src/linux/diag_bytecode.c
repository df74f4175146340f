/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * diag_bytecode.c -- filter pushdown: ports and addresses as inet_diag
 * bytecode (INET_DIAG_REQ_BYTECODE).
 *
 * The kernel runs the program once per socket.  Each op is 4 bytes
 * { code, yes, no }: when the op's condition holds the program moves on by
 * `yes' bytes, otherwise by `no' bytes; reaching the end exactly accepts
 * the socket, jumping past it rejects.  The kernel's audit requires every
 * offset to be a multiple of 4, at least the op's own size, and to land on
 * an op boundary, exactly at the end, or 4 bytes past it (reject).
 *
 * A filter is an AND of clauses (local ports, remote ports, local
 * addresses, remote addresses), each an OR of items.  A clause compiles to
 *
 *	item_1  JMP(end of clause)  item_2  JMP(end of clause) ... item_n
 *
 * where an item's failing op jumps to the next item, and the last item's
 * failing op jumps past the program (reject).
 *
 * The program accepts a superset of what the filter matches; the core
 * matcher decides every socket the kernel returns.  Differences with the
 * matcher are all on the accepting side:
 *   - a prefix of length 0 matches every family in the kernel: such a
 *     clause is left out (it would accept everything anyway);
 *   - an IPv6 socket whose other address is IPv4-mapped is IPv4 for the
 *     matcher, and its unspecified address (::) becomes 0.0.0.0; so an IPv4
 *     CIDR that contains 0.0.0.0 also gets an item for ::/128;
 *   - IPv6 CIDRs may match an IPv4-mapped address in the kernel, never in
 *     the matcher.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <linux/inet_diag.h>

#include <string.h>

#include "tsd.h"

#define	BC_OP		4	/* struct inet_diag_bc_op */
#define	BC_HOSTCOND	8	/* struct inet_diag_hostcond */

enum bc_kind { BC_PORT, BC_COND4, BC_COND6 };

struct bc_item {
	enum bc_kind	bi_kind;
	uint16_t	bi_lo;		/* BC_PORT */
	uint16_t	bi_hi;
	uint8_t		bi_plen;	/* BC_COND* */
	uint8_t		bi_addr[16];
};

struct bc_clause {
	uint8_t		bcl_ge;		/* INET_DIAG_BC_[SD]_GE */
	uint8_t		bcl_le;
	uint8_t		bcl_cond;	/* INET_DIAG_BC_[SD]_COND */
	unsigned int	bcl_n;
	struct bc_item	bcl_item[TCPSTATS_MAX_CIDRS + 1];
};

static size_t
bc_item_size(const struct bc_item *it)
{

	switch (it->bi_kind) {
	case BC_PORT:
		return (4 * BC_OP);		/* GE, value, LE, value */
	case BC_COND4:
		return (BC_OP + BC_HOSTCOND + 4);
	default:
		return (BC_OP + BC_HOSTCOND + 16);
	}
}

static size_t
bc_clause_size(const struct bc_clause *c)
{
	size_t sz;
	unsigned int i;

	sz = 0;
	for (i = 0; i < c->bcl_n; i++)
		sz += bc_item_size(&c->bcl_item[i]);
	return (sz + (c->bcl_n - 1) * BC_OP);
}

static void
bc_port_clause(struct bc_clause *c, const struct tcpstats_portrange *p,
    unsigned int n, bool src)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->bcl_ge = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
	c->bcl_le = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;
	for (i = 0; i < n && i < TCPSTATS_MAX_PORTS; i++) {
		c->bcl_item[i].bi_kind = BC_PORT;
		c->bcl_item[i].bi_lo = p[i].tpr_lo;
		c->bcl_item[i].bi_hi = p[i].tpr_hi;
	}
	c->bcl_n = i;
}

/* Returns false when the clause would accept everything (a /0 prefix). */
static bool
bc_addr_clause(struct bc_clause *c, const struct tcpstats_cidr *a,
    unsigned int n, bool src)
{
	static const uint8_t zero[16];
	bool any_zero;
	unsigned int i, nbytes;

	memset(c, 0, sizeof(*c));
	c->bcl_cond = src ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND;
	any_zero = false;
	for (i = 0; i < n && i < TCPSTATS_MAX_CIDRS; i++) {
		if (a[i].tci_plen == 0)
			return (false);
		c->bcl_item[i].bi_kind = a[i].tci_family == TCPSTATS_AF_INET ?
		    BC_COND4 : BC_COND6;
		c->bcl_item[i].bi_plen = a[i].tci_plen;
		nbytes = a[i].tci_family == TCPSTATS_AF_INET ? 4 : 16;
		memcpy(c->bcl_item[i].bi_addr, a[i].tci_addr, nbytes);
		/* Host bits are zero, so the prefix holds 0.0.0.0 iff zero. */
		if (a[i].tci_family == TCPSTATS_AF_INET &&
		    memcmp(a[i].tci_addr, zero, 4) == 0)
			any_zero = true;
	}
	c->bcl_n = i;
	if (any_zero) {
		c->bcl_item[i].bi_kind = BC_COND6;
		c->bcl_item[i].bi_plen = 128;
		c->bcl_n++;
	}
	return (true);
}

static void
bc_put_op(uint8_t *p, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op;

	op.code = code;
	op.yes = yes;
	op.no = no;
	memcpy(p, &op, sizeof(op));
}

/*
 * Emit item it at out + pos; a failing test jumps to absolute offset fail.
 */
static void
bc_put_item(uint8_t *out, size_t pos, const struct bc_clause *c,
    const struct bc_item *it, size_t fail)
{
	struct inet_diag_hostcond hc;
	size_t sz;

	sz = bc_item_size(it);
	if (it->bi_kind == BC_PORT) {
		bc_put_op(out + pos, c->bcl_ge, 2 * BC_OP,
		    (uint16_t)(fail - pos));
		bc_put_op(out + pos + BC_OP, 0, 0, it->bi_lo);
		bc_put_op(out + pos + 2 * BC_OP, c->bcl_le, 2 * BC_OP,
		    (uint16_t)(fail - pos - 2 * BC_OP));
		bc_put_op(out + pos + 3 * BC_OP, 0, 0, it->bi_hi);
		return;
	}
	bc_put_op(out + pos, c->bcl_cond, (uint8_t)sz, (uint16_t)(fail - pos));
	memset(&hc, 0, sizeof(hc));
	hc.family = it->bi_kind == BC_COND4 ? AF_INET : AF_INET6;
	hc.prefix_len = it->bi_plen;
	hc.port = -1;
	memcpy(out + pos + BC_OP, &hc, BC_HOSTCOND);
	memcpy(out + pos + BC_OP + BC_HOSTCOND, it->bi_addr,
	    sz - BC_OP - BC_HOSTCOND);
}

size_t
tsd_bc_build(const struct tcpstats_filter *f, void *buf, size_t len)
{
	struct bc_clause cl[4];
	uint8_t *out;
	size_t total, pos, cend, next;
	unsigned int ncl, k, i;

	ncl = 0;
	if (f->tf_nlport > 0)
		bc_port_clause(&cl[ncl++], f->tf_lport, f->tf_nlport, true);
	if (f->tf_nrport > 0)
		bc_port_clause(&cl[ncl++], f->tf_rport, f->tf_nrport, false);
	if (f->tf_nladdr > 0 &&
	    bc_addr_clause(&cl[ncl], f->tf_laddr, f->tf_nladdr, true))
		ncl++;
	if (f->tf_nraddr > 0 &&
	    bc_addr_clause(&cl[ncl], f->tf_raddr, f->tf_nraddr, false))
		ncl++;
	if (ncl == 0)
		return (0);

	total = 0;
	for (k = 0; k < ncl; k++)
		total += bc_clause_size(&cl[k]);
	if (buf == NULL || total > len || total > TSD_BC_MAX)
		return (0);

	out = buf;
	memset(out, 0, total);
	pos = 0;
	for (k = 0; k < ncl; k++) {
		cend = pos + bc_clause_size(&cl[k]);
		for (i = 0; i < cl[k].bcl_n; i++) {
			const struct bc_item *it = &cl[k].bcl_item[i];
			bool last = (i + 1 == cl[k].bcl_n);

			next = pos + bc_item_size(it);
			/* A failing last item rejects: 4 bytes past the end. */
			bc_put_item(out, pos, &cl[k], it,
			    last ? total + BC_OP : next + BC_OP);
			pos = next;
			if (!last) {
				bc_put_op(out + pos, INET_DIAG_BC_JMP, BC_OP,
				    (uint16_t)(cend - pos));
				pos += BC_OP;
			}
		}
	}
	return (total);
}
