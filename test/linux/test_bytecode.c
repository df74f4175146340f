/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_bytecode.c -- filter pushdown bytecode: exact bytes for filters
 * worked out by hand, and every program checked against the kernel's audit
 * rules and run, as the kernel runs it, over sample sockets.
 *
 * The audit and the interpreter below are written from the rules of
 * net/ipv4/inet_diag.c as documented: offsets are multiples of 4, at least
 * the op's size, at most 4 bytes past the end; a conditional jump lands on
 * an op boundary, at the end (accept) or 4 past it (reject).
 */

#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

/* --- oracle: the kernel's audit ------------------------------------------- */

static int
op_min_len(const uint8_t *op, int len, bool *ok)
{
	int min;

	*ok = true;
	switch (op[0]) {
	case INET_DIAG_BC_S_COND:
	case INET_DIAG_BC_D_COND: {
		int alen;

		if (len < 4 + 8) {
			*ok = false;
			return (0);
		}
		alen = op[4] == AF_INET ? 4 : op[4] == AF_INET6 ? 16 :
		    op[4] == AF_UNSPEC ? 0 : -1;
		if (alen < 0 || len < 12 + alen || op[5] > 8 * alen)
			*ok = false;
		return (12 + alen);
	}
	case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE:
		min = 8;
		if (len < min)
			*ok = false;
		return (min);
	case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_NOP:
		return (4);
	default:
		*ok = false;
		return (4);
	}
}

static bool
lands_on_op(const uint8_t *bc, int total, int target)
{
	int pos;

	for (pos = 0; pos < total; pos += bc[pos + 1]) {
		if (pos == target)
			return (true);
		if (bc[pos + 1] < 4 || (bc[pos + 1] & 3) != 0)
			return (false);
	}
	return (pos == target);
}

static bool
audit(const uint8_t *bc, int total)
{
	int pos, len, min;
	uint16_t no;
	bool ok;

	for (pos = 0; pos < total; pos += bc[pos + 1]) {
		len = total - pos;
		min = op_min_len(bc + pos, len, &ok);
		if (!ok)
			return (false);
		memcpy(&no, bc + pos + 2, 2);
		if (bc[pos] != INET_DIAG_BC_NOP) {
			if (no < min || no > len + 4 || (no & 3) != 0)
				return (false);
			if (no < len && !lands_on_op(bc, total, pos + no))
				return (false);
		}
		if (bc[pos + 1] < min || bc[pos + 1] > len + 4 ||
		    (bc[pos + 1] & 3) != 0)
			return (false);
	}
	return (pos == total);
}

/* --- oracle: the kernel's interpreter ------------------------------------- */

struct entry {
	int		family;
	uint16_t	sport, dport;
	uint8_t		saddr[16], daddr[16];
};

static bool
prefix_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	int i;

	for (i = 0; i < bits / 8; i++)
		if (a[i] != b[i])
			return (false);
	if (bits % 8 != 0) {
		uint8_t m = (uint8_t)(0xff << (8 - bits % 8));

		if ((a[i] & m) != (b[i] & m))
			return (false);
	}
	return (true);
}

static bool
run(const uint8_t *bc, int total, const struct entry *e)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const uint8_t *op, *addr;
	uint16_t no, v;
	int len, steps, port;
	bool yes;

	op = bc;
	len = total;
	for (steps = 0; len > 0 && steps < 1000; steps++) {
		yes = true;
		memcpy(&no, op + 2, 2);
		switch (op[0]) {
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_GE:
			memcpy(&v, op + 6, 2);
			yes = e->sport >= v;
			break;
		case INET_DIAG_BC_S_LE:
			memcpy(&v, op + 6, 2);
			yes = e->sport <= v;
			break;
		case INET_DIAG_BC_D_GE:
			memcpy(&v, op + 6, 2);
			yes = e->dport >= v;
			break;
		case INET_DIAG_BC_D_LE:
			memcpy(&v, op + 6, 2);
			yes = e->dport <= v;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			memcpy(&port, op + 8, 4);
			if (port != -1 &&
			    port != (op[0] == INET_DIAG_BC_S_COND ?
			    e->sport : e->dport)) {
				yes = false;
				break;
			}
			if (op[5] == 0)
				break;
			addr = op[0] == INET_DIAG_BC_S_COND ? e->saddr :
			    e->daddr;
			if (op[4] != e->family) {
				yes = e->family == AF_INET6 &&
				    op[4] == AF_INET &&
				    memcmp(addr, mapped, 12) == 0 &&
				    prefix_eq(addr + 12, op + 12, op[5]);
				break;
			}
			yes = prefix_eq(addr, op + 12, op[5]);
			break;
		default:
			break;
		}
		if (yes) {
			len -= op[1];
			op += op[1];
		} else {
			len -= no;
			op += no;
		}
	}
	return (len == 0);
}

/* --- helpers -------------------------------------------------------------- */

static struct tcpstats_filter
filter_ports(const uint16_t (*l)[2], int nl, const uint16_t (*r)[2], int nr)
{
	struct tcpstats_filter f;
	int i;

	memset(&f, 0, sizeof(f));
	f.tf_states = TCPSTATS_ST_ALL;
	f.tf_fields = TCPSTATS_F_DEFAULT;
	for (i = 0; i < nl; i++) {
		f.tf_lport[i].tpr_lo = l[i][0];
		f.tf_lport[i].tpr_hi = l[i][1];
	}
	for (i = 0; i < nr; i++) {
		f.tf_rport[i].tpr_lo = r[i][0];
		f.tf_rport[i].tpr_hi = r[i][1];
	}
	f.tf_nlport = (uint8_t)nl;
	f.tf_nrport = (uint8_t)nr;
	return (f);
}

static void
add_cidr4(struct tcpstats_cidr *c, uint8_t a, uint8_t b, uint8_t cc,
    uint8_t d, uint8_t plen)
{

	memset(c, 0, sizeof(*c));
	c->tci_family = TCPSTATS_AF_INET;
	c->tci_plen = plen;
	c->tci_addr[0] = a;
	c->tci_addr[1] = b;
	c->tci_addr[2] = cc;
	c->tci_addr[3] = d;
}

static void
expect_bytes(const uint8_t *got, size_t n, const uint8_t *want, size_t wn)
{
	size_t i;

	cr_assert_eq(n, wn, "bytecode length: expected %zu, got %zu", wn, n);
	for (i = 0; i < n; i++)
		cr_expect_eq(got[i], want[i], "byte %zu (op %zu, byte %zu): "
		    "expected %#04x, got %#04x", i, i / 4, i % 4, want[i],
		    got[i]);
}

/* --- exact programs ------------------------------------------------------- */

Test(bytecode, one_local_port)
{
	static const uint16_t l[][2] = { { 22, 22 } };
	static const uint8_t want[] = {
		/* S_GE 22, S_LE 22; failing either rejects */
		2, 8, 20, 0,	0, 0, 22, 0,
		3, 8, 12, 0,	0, 0, 22, 0,
	};
	struct tcpstats_filter f = filter_ports(l, 1, NULL, 0);
	uint8_t bc[TSD_BC_MAX];
	size_t n;

	n = tsd_bc_build(&f, bc, sizeof(bc));
	expect_bytes(bc, n, want, sizeof(want));
	cr_expect(audit(bc, (int)n), "program fails the kernel's audit");
}

Test(bytecode, two_local_ports_jump_over_the_second)
{
	static const uint16_t l[][2] = { { 22, 22 }, { 80, 90 } };
	static const uint8_t want[] = {
		/* >= 22, <= 22; failing either goes to the next item */
		2, 8, 20, 0,	0, 0, 22, 0,
		3, 8, 12, 0,	0, 0, 22, 0,
		1, 4, 20, 0,			/* matched: to the end */
		2, 8, 20, 0,	0, 0, 80, 0,	/* >= 80, else reject */
		3, 8, 12, 0,	0, 0, 90, 0,	/* <= 90, else reject */
	};
	struct tcpstats_filter f = filter_ports(l, 2, NULL, 0);
	uint8_t bc[TSD_BC_MAX];
	size_t n;

	n = tsd_bc_build(&f, bc, sizeof(bc));
	expect_bytes(bc, n, want, sizeof(want));
	cr_expect(audit(bc, (int)n), "program fails the kernel's audit");
}

Test(bytecode, remote_ipv4_cidr)
{
	static const uint8_t want[] = {
		8, 16, 20, 0,			/* D_COND, else reject */
		2, 8, 0, 0,	0xff, 0xff, 0xff, 0xff, /* AF_INET /8 any */
		10, 0, 0, 0,
	};
	struct tcpstats_filter f = filter_ports(NULL, 0, NULL, 0);
	uint8_t bc[TSD_BC_MAX];
	size_t n;

	add_cidr4(&f.tf_raddr[0], 10, 0, 0, 0, 8);
	f.tf_nraddr = 1;
	n = tsd_bc_build(&f, bc, sizeof(bc));
	expect_bytes(bc, n, want, sizeof(want));
	cr_expect(audit(bc, (int)n), "program fails the kernel's audit");
}

Test(bytecode, cidr_holding_0_0_0_0_also_accepts_unspecified_ipv6)
{
	static const uint16_t l[][2] = { { 22, 22 } };
	static const uint8_t want[] = {
		/* clause 1: local port 22; failing rejects (68 = 64 + 4) */
		2, 8, 68, 0,	0, 0, 22, 0,
		3, 8, 60, 0,	0, 0, 22, 0,
		/* clause 2, item 1 at 16: 0.0.0.0/8, else item 2 at 36 */
		8, 16, 20, 0,	2, 8, 0, 0,	0xff, 0xff, 0xff, 0xff,
		0, 0, 0, 0,
		1, 4, 32, 0,			/* at 32: to the end (64) */
		/* item 2 at 36: ::/128, else reject (68 - 36 = 32) */
		8, 28, 32, 0,	10, 128, 0, 0,
		0xff, 0xff, 0xff, 0xff,
		0, 0, 0, 0,	0, 0, 0, 0,
		0, 0, 0, 0,	0, 0, 0, 0,
	};
	struct tcpstats_filter f = filter_ports(l, 1, NULL, 0);
	uint8_t bc[TSD_BC_MAX];
	size_t n;

	add_cidr4(&f.tf_raddr[0], 0, 0, 0, 0, 8);
	f.tf_nraddr = 1;
	n = tsd_bc_build(&f, bc, sizeof(bc));
	expect_bytes(bc, n, want, sizeof(want));
	cr_expect(audit(bc, (int)n), "program fails the kernel's audit");
}

Test(bytecode, zero_prefix_and_empty_filter_push_nothing)
{
	struct tcpstats_filter f = filter_ports(NULL, 0, NULL, 0);
	uint8_t bc[TSD_BC_MAX];

	cr_expect_eq(tsd_bc_build(&f, bc, sizeof(bc)), 0,
	    "an empty filter needs no program");
	add_cidr4(&f.tf_laddr[0], 0, 0, 0, 0, 0);
	f.tf_nladdr = 1;
	cr_expect_eq(tsd_bc_build(&f, bc, sizeof(bc)), 0,
	    "0.0.0.0/0 matches every family in the kernel: no clause");
}

Test(bytecode, too_small_buffer_gives_no_program)
{
	static const uint16_t l[][2] = { { 22, 22 } };
	struct tcpstats_filter f = filter_ports(l, 1, NULL, 0);
	uint8_t bc[16];

	cr_expect_eq(tsd_bc_build(&f, bc, 15), 0,
	    "a 16-byte program must not be written into 15 bytes");
}

/* --- audit and behaviour of larger programs ------------------------------- */

Test(bytecode, eight_ports_each_side_and_eight_cidrs_pass_the_audit)
{
	uint16_t l[8][2], r[8][2];
	struct tcpstats_filter f;
	uint8_t bc[TSD_BC_MAX];
	size_t n;
	int i;

	for (i = 0; i < 8; i++) {
		l[i][0] = (uint16_t)(100 * i + 1);
		l[i][1] = (uint16_t)(100 * i + 50);
		r[i][0] = r[i][1] = (uint16_t)(1000 + i);
	}
	f = filter_ports((const uint16_t (*)[2])l, 8,
	    (const uint16_t (*)[2])r, 8);
	for (i = 0; i < 8; i++) {
		memset(&f.tf_laddr[i], 0, sizeof(f.tf_laddr[i]));
		f.tf_laddr[i].tci_family = TCPSTATS_AF_INET6;
		f.tf_laddr[i].tci_plen = 64;
		f.tf_laddr[i].tci_addr[0] = 0x20;
		f.tf_laddr[i].tci_addr[1] = 0x01;
		f.tf_laddr[i].tci_addr[7] = (uint8_t)i;
		add_cidr4(&f.tf_raddr[i], 10, (uint8_t)i, 0, 0, 16);
	}
	f.tf_nladdr = f.tf_nraddr = 8;
	n = tsd_bc_build(&f, bc, sizeof(bc));
	/* 2 * (8 * 16 + 7 * 4) + (8 * 28 + 7 * 4) + (8 * 16 + 7 * 4) */
	cr_assert_eq(n, 312 + 252 + 156, "expected 720 bytes, got %zu", n);
	cr_expect(audit(bc, (int)n), "program fails the kernel's audit");
}

Test(bytecode, port_program_accepts_exactly_the_listed_ports)
{
	static const uint16_t l[][2] = { { 22, 22 }, { 80, 90 },
	    { 65535, 65535 } };
	static const uint16_t r[][2] = { { 1, 1023 } };
	struct tcpstats_filter f = filter_ports(l, 3, r, 1);
	struct entry e;
	uint8_t bc[TSD_BC_MAX];
	size_t n;
	unsigned int sp, dp;
	bool want, got;

	n = tsd_bc_build(&f, bc, sizeof(bc));
	cr_assert(n > 0 && audit(bc, (int)n), "program missing or invalid");
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	for (sp = 0; sp <= 65535; sp += 7) {
		for (dp = 0; dp < 1100; dp += 13) {
			e.sport = (uint16_t)sp;
			e.dport = (uint16_t)dp;
			want = (sp == 22 || (sp >= 80 && sp <= 90) ||
			    sp == 65535) && dp >= 1 && dp <= 1023;
			got = run(bc, (int)n, &e);
			if (got != want)
				cr_assert_fail("sport %u dport %u: expected "
				    "%s, got %s", sp, dp, want ? "accept" :
				    "reject", got ? "accept" : "reject");
		}
	}
}

Test(bytecode, address_program_keeps_every_matching_socket)
{
	struct tcpstats_filter f = filter_ports(NULL, 0, NULL, 0);
	struct entry v4, mapped, v6any, other;
	uint8_t bc[TSD_BC_MAX];
	size_t n;

	add_cidr4(&f.tf_raddr[0], 127, 0, 0, 0, 8);
	add_cidr4(&f.tf_raddr[1], 0, 0, 0, 0, 8);
	f.tf_nraddr = 2;
	n = tsd_bc_build(&f, bc, sizeof(bc));
	cr_assert(n > 0 && audit(bc, (int)n), "program missing or invalid");

	memset(&v4, 0, sizeof(v4));
	v4.family = AF_INET;
	v4.daddr[0] = 127;
	v4.daddr[3] = 1;
	cr_expect(run(bc, (int)n, &v4), "127.0.0.1 must be accepted");

	/* An IPv6 socket with a mapped peer is IPv4 (case P3). */
	memset(&mapped, 0, sizeof(mapped));
	mapped.family = AF_INET6;
	mapped.daddr[10] = mapped.daddr[11] = 0xff;
	mapped.daddr[12] = 127;
	mapped.daddr[15] = 1;
	cr_expect(run(bc, (int)n, &mapped), "::ffff:127.0.0.1 must be "
	    "accepted");

	/* A listener's :: peer becomes 0.0.0.0 when the local is mapped. */
	memset(&v6any, 0, sizeof(v6any));
	v6any.family = AF_INET6;
	cr_expect(run(bc, (int)n, &v6any), ":: must be accepted (0.0.0.0 "
	    "after folding)");

	memset(&other, 0, sizeof(other));
	other.family = AF_INET;
	other.daddr[0] = 10;
	cr_expect(!run(bc, (int)n, &other), "10.0.0.0 must be rejected");
}
