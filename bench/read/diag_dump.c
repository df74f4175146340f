/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * diag_dump -- the least a Linux program can do to list every TCP socket
 * with its tcp_info: a dump on a bare netlink socket, each message's
 * identity read and its INET_DIAG_INFO attribute located.  No formatting,
 * no filtering in userland.  It is the floor any Linux provider (tcpstatsd
 * included) is measured against.
 *
 * By default it makes the cheapest request there is for both families:
 * TCPDIAG_GETSOCK with AF_UNSPEC, one walk of the kernel's socket table.
 * -2 makes one SOCK_DIAG_BY_FAMILY dump per family instead (AF_INET, then
 * AF_INET6), two walks, as ss(8) does.  -m asks for INET_DIAG_SKMEMINFO
 * too, the extensions of tcpstatsd's default fields; -a for that and
 * INET_DIAG_CONG, those of fields=all.
 *
 * -p PORT pushes "local port == PORT" down as inet_diag bytecode, as
 * `ss 'sport = :PORT'' does, so the selective case has a floor too.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define	DUMP_BUF	32768	/* the kernel's cap on one dump datagram */

/*
 * Netlink lengths without the kernel macros, which mix signed and
 * unsigned: messages and attributes are padded to 4 bytes; the message
 * header is 16 bytes, an attribute header 4.
 */
#define	DD_ALIGN4(x)	(((size_t)(x) + 3u) & ~(size_t)3u)
#define	DD_MSGHDR	DD_ALIGN4(sizeof(struct nlmsghdr))
#define	DD_ATTRHDR	DD_ALIGN4(sizeof(struct nlattr))
#define	DD_MSGLEN(n)	(DD_MSGHDR + (size_t)(n))
#define	DD_DATA(nlh)	((const void *)((const uint8_t *)(nlh) + DD_MSGHDR))
#define	MAX_ITER	100000

static struct {
	bool		all_ext;	/* -a */
	bool		per_family;	/* -2 */
	bool		mem_ext;	/* -m */
	long long	expected;	/* -e; -1 = not checked */
	const char	*netns;		/* -N */
	unsigned int	iter;		/* -n */
	unsigned int	port;		/* -p; 0 = no filter */
	bool		quiet;		/* -q */
} opt = { .expected = -1, .iter = 1 };

/* What one dump saw. */
struct tally {
	uint64_t	socks;
	uint64_t	bytes;		/* netlink payload received */
	uint64_t	full;		/* full sockets (not TIME_WAIT, SYN_RECV) */
	uint64_t	with_info;	/* of which carrying tcp_info */
	uint64_t	rtt_sum;	/* keeps the tcp_info reads honest */
};

static void __attribute__((__noreturn__))
usage(FILE *fp, int rc)
{

	fprintf(fp,
	    "usage: diag_dump [-2ahmq] [-e count] [-N netns] [-n iterations] "
	    "[-p port]\n"
	    "  -2         one dump per family (two walks), not one AF_UNSPEC "
	    "dump\n"
	    "  -a         ask for info, cong and skmeminfo (tcpstatsd with "
	    "fields=all)\n"
	    "  -e count   exit 1 unless every dump saw exactly count "
	    "sockets\n"
	    "  -h         this help\n"
	    "  -m         ask for info and skmeminfo (tcpstatsd's default "
	    "fields)\n"
	    "  -N netns   dump /run/netns/<netns>\n"
	    "  -n iter    dumps to run (default 1); prints median/min/max\n"
	    "  -p port    only sockets with this local port (bytecode "
	    "pushdown)\n"
	    "  -q         print nothing but errors\n");
	exit(rc);
}

/*
 * One dump request: for AF_UNSPEC the older inet_diag_req, type
 * TCPDIAG_GETSOCK (the protocol is the type's), else inet_diag_req_v2 for
 * the family.  The bytecode, if any, follows either.
 */
static size_t
request(uint8_t *buf, size_t len, uint8_t family, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	struct inet_diag_req *creq;
	struct nlattr *nla;
	struct inet_diag_bc_op *op;
	size_t n, reqlen;
	uint8_t ext;

	reqlen = family == AF_UNSPEC ? sizeof(*creq) : sizeof(*req);
	n = DD_MSGLEN(reqlen);
	if (opt.port != 0)
		n += DD_ATTRHDR + 2 * sizeof(*op);
	if (n > len)
		errx(1, "request buffer too small");
	memset(buf, 0, n);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = (uint32_t)n;
	nlh->nlmsg_type = family == AF_UNSPEC ? TCPDIAG_GETSOCK :
	    SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ext = 1u << (INET_DIAG_INFO - 1);
	if (opt.all_ext || opt.mem_ext)
		ext |= 1u << (INET_DIAG_SKMEMINFO - 1);
	if (opt.all_ext)
		ext |= 1u << (INET_DIAG_CONG - 1);
	if (family == AF_UNSPEC) {
		creq = (struct inet_diag_req *)(buf + DD_MSGHDR);
		creq->idiag_family = AF_UNSPEC;
		creq->idiag_states = ~0u;
		creq->idiag_ext = ext;
	} else {
		req = (struct inet_diag_req_v2 *)(buf + DD_MSGHDR);
		req->sdiag_family = family;
		req->sdiag_protocol = IPPROTO_TCP;
		req->idiag_states = ~0u;
		req->idiag_ext = ext;
	}
	if (opt.port != 0) {
		/* One test: yes runs off the end (accept), no past it. */
		nla = (struct nlattr *)(buf + DD_MSGLEN(reqlen));
		nla->nla_type = INET_DIAG_REQ_BYTECODE;
		nla->nla_len = (uint16_t)(DD_ATTRHDR + 2 * sizeof(*op));
		op = (struct inet_diag_bc_op *)((uint8_t *)nla + DD_ATTRHDR);
		op[0].code = INET_DIAG_BC_S_EQ;
		op[0].yes = 2 * sizeof(*op);
		op[0].no = 3 * sizeof(*op);
		op[1].no = (uint16_t)opt.port;
	}
	return (n);
}

/* One socket's message: identity, then find tcp_info among the attrs. */
static void
visit(const struct nlmsghdr *nlh, struct tally *t)
{
	const struct inet_diag_msg *m = DD_DATA(nlh);
	const struct nlattr *a;
	const struct tcp_info *ti;
	size_t off, end;

	if (nlh->nlmsg_len < DD_MSGLEN(sizeof(*m)))
		errx(1, "short inet_diag message (%u bytes)",
		    nlh->nlmsg_len);
	t->socks++;
	/* Linux TCP_TIME_WAIT (6) and TCP_NEW_SYN_RECV (12) have no info. */
	if (m->idiag_state != 6 && m->idiag_state != 12)
		t->full++;
	end = nlh->nlmsg_len;
	off = DD_MSGLEN(sizeof(*m));
	off = DD_ALIGN4(off);
	while (off + DD_ATTRHDR <= end) {
		a = (const struct nlattr *)((const uint8_t *)nlh + off);
		if (a->nla_len < DD_ATTRHDR || off + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == INET_DIAG_INFO &&
		    a->nla_len >= DD_ATTRHDR + offsetof(struct tcp_info,
		    tcpi_rtt) + sizeof(ti->tcpi_rtt)) {
			ti = (const struct tcp_info *)((const uint8_t *)a +
			    DD_ATTRHDR);
			t->rtt_sum += ti->tcpi_rtt + m->id.idiag_sport +
			    m->idiag_state;
			t->with_info++;
		}
		off += DD_ALIGN4(a->nla_len);
	}
}

/* Dump one family into t. */
static void
dump(int s, uint8_t *buf, uint8_t family, uint32_t seq, struct tally *t)
{
	uint8_t req[256];
	const struct nlmsghdr *nlh;
	const struct nlmsgerr *e;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	size_t len, off;
	ssize_t n;

	len = request(req, sizeof(req), family, seq);
	if (sendto(s, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		err(1, "sendto(NETLINK_SOCK_DIAG)");
	for (;;) {
		n = recv(s, buf, DUMP_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(1, "recv(NETLINK_SOCK_DIAG)");
		if (n == 0)
			errx(1, "netlink socket closed mid-dump");
		t->bytes += (uint64_t)n;
		for (off = 0; off + DD_MSGHDR <= (size_t)n;
		    off += DD_ALIGN4(nlh->nlmsg_len)) {
			nlh = (const struct nlmsghdr *)(buf + off);
			if (nlh->nlmsg_len < DD_MSGHDR ||
			    nlh->nlmsg_len > (size_t)n - off)
				errx(1, "malformed netlink message at byte %zu",
				    off);
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				e = DD_DATA(nlh);
				errno = -e->error;
				err(1, "inet_diag dump (family %u)", family);
			}
			if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY ||
			    nlh->nlmsg_type == TCPDIAG_GETSOCK)
				visit(nlh, t);
		}
	}
}


int
main(int argc, char **argv)
{
	struct tally t;
	double *ms, med, lo, hi;
	uint64_t t0;
	uint8_t *buf;
	unsigned int i;
	int ch, s, rc;

	while ((ch = getopt(argc, argv, "2ae:hmN:n:p:q")) != -1) {
		switch (ch) {
		case '2':
			opt.per_family = true;
			break;
		case 'a':
			opt.all_ext = true;
			break;
		case 'e':
			opt.expected = (long long)bu_num_arg(ch, optarg, 0,
			    100000000);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'm':
			opt.mem_ext = true;
			break;
		case 'N':
			opt.netns = optarg;
			break;
		case 'n':
			opt.iter = (unsigned int)bu_num_arg(ch, optarg, 1,
			    MAX_ITER);
			break;
		case 'p':
			opt.port = (unsigned int)bu_num_arg(ch, optarg, 1,
			    65535);
			break;
		case 'q':
			opt.quiet = true;
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		errx(1, "unexpected argument '%s' (see diag_dump -h)",
		    argv[optind]);
	if (opt.netns != NULL)
		bu_netns_enter(opt.netns);

	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s < 0)
		err(1, "socket(NETLINK_SOCK_DIAG)");
	buf = malloc(DUMP_BUF);
	ms = calloc(opt.iter, sizeof(*ms));
	if (buf == NULL || ms == NULL)
		err(1, "malloc");

	rc = 0;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < opt.iter; i++) {
		memset(&t, 0, sizeof(t));
		t0 = bu_now_ns();
		if (opt.per_family) {
			dump(s, buf, AF_INET, 2 * i + 1, &t);
			dump(s, buf, AF_INET6, 2 * i + 2, &t);
		} else {
			dump(s, buf, AF_UNSPEC, 2 * i + 1, &t);
		}
		ms[i] = (double)(bu_now_ns() - t0) / 1e6;
		if (opt.expected >= 0 && t.socks != (uint64_t)opt.expected) {
			warnx("dump %u saw %ju sockets, expected %lld", i,
			    (uintmax_t)t.socks, opt.expected);
			rc = 1;
		}
		if (t.with_info < t.full) {
			warnx("dump %u: %ju of %ju full sockets came without "
			    "tcp_info", i, (uintmax_t)(t.full - t.with_info),
			    (uintmax_t)t.full);
			rc = 1;
		}
	}
	if (!opt.quiet) {
		bu_spread(ms, opt.iter, &med, &lo, &hi);
		printf("diag_dump: %ju sockets, %ju bytes, median %.3f ms "
		    "(min %.3f, max %.3f) over %u dump(s), %.0f sockets/s\n",
		    (uintmax_t)t.socks, (uintmax_t)t.bytes, med, lo, hi,
		    opt.iter, med > 0 ? (double)t.socks / med * 1e3 : 0.0);
	}
	free(ms);
	free(buf);
	close(s);
	return (rc);
}
