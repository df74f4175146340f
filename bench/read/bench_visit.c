/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_visit -- tcpstatsd's per-socket cost: one inet_diag message
 * parsed, judged, filled and encoded (tsd_visit), without a kernel, FUSE or
 * netlink socket.
 *
 * The messages are built here the way Linux 6.x lays out a TCP dump reply
 * for a request with INET_DIAG_INFO and INET_DIAG_SKMEMINFO (tcpstatsd's
 * default fields) or with INET_DIAG_CONG too (fields=all): the header, the
 * inet_diag_msg, the attributes every reply carries (shutdown, tos or
 * tclass, cgroup id, sockopt) and the requested ones.  The set mixes IPv4,
 * IPv6 and IPv4-mapped sockets and TIME_WAIT entries, which carry no
 * tcp_info.  For each workload (a filter), n messages go through
 * tsd_visit() into a 1 MiB buffer, flushed as a read would when full; the
 * records are then decoded once and checked, so a workload that encodes
 * the wrong thing fails (exit 1).  No time is asserted.
 *
 * Under Callgrind each workload's loop is bracketed by client requests and
 * dumped as "visit <workload>": cmake/scripts/callgrind_report.cmake turns
 * the dumps into instructions per message, a figure the load does not
 * move.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>

#include <err.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef TCPSTATS_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define	CALLGRIND_ZERO_STATS
#define	CALLGRIND_DUMP_STATS_AT(name)	((void)(name))
#endif

#include "tcpstats_abi.h"
#include "tcpstats_filter.h"
#include "tsd.h"

#include "bench_util.h"

#define	ITERATIONS_DEFAULT 1000000UL	/* a multiple of 16 */
#define	NMSGS		64		/* a power of two: i & (NMSGS - 1) */
#define	MSG_MAX		1024		/* bytes of one built message */
#define	OUTBUF		(1024u * 1024u)	/* the reader's buffer */

/* The sockets of the message set, by index modulo 16. */
enum kind { K_V4, K_V6, K_MAPPED, K_TIMEWAIT };

static const enum kind set_kinds[16] = {
	K_V4, K_V4, K_V4, K_V4, K_V4, K_V4, K_V4, K_V4,
	K_V4, K_V4, K_V4, K_V6, K_V6, K_MAPPED, K_TIMEWAIT, K_V4,
};

struct workload {
	const char	*w_name;
	const char	*w_filter;
	bool		w_cong;		/* asks for INET_DIAG_CONG */
	unsigned int	w_match;	/* of every 16 messages, matching */
};

static const struct workload workloads[] = {
	{ "default", "", false, 16 },
	{ "all", "fields=all", true, 16 },
	{ "compact_state", "fields=identity,state format=compact", false,
	    16 },
	{ "established", "include_state=established", false, 15 },
	{ "port_miss", "local_port=9", false, 0 },
	{ "ipv6_only", "ipv6_only", false, 3 },
};
#define	NWORKLOADS	(sizeof(workloads) / sizeof(workloads[0]))

struct msg {
	uint8_t		m_b[MSG_MAX];
	size_t		m_len;
};

static struct msg msgs[NMSGS];
static uint8_t outbuf[OUTBUF];

static void __attribute__((__noreturn__))
usage(FILE *fp, int rc)
{

	fprintf(fp,
	    "usage: bench_visit [-hl] [-n iterations] [-w workload]\n"
	    "  -h         this help\n"
	    "  -l         list the workloads\n"
	    "  -n iter    messages per workload (default %lu)\n"
	    "  -w name    run only this workload\n", ITERATIONS_DEFAULT);
	exit(rc);
}

/* Append one attribute at *off; the message must have room. */
static void
put_attr(struct msg *m, uint16_t type, const void *p, size_t len)
{
	struct nlattr a;
	size_t total;

	total = TSD_ALIGN4(TSD_NLA_HDRLEN + len);
	if (m->m_len + total > sizeof(m->m_b))
		errx(1, "bench message over %d bytes", MSG_MAX);
	a.nla_len = (uint16_t)(TSD_NLA_HDRLEN + len);
	a.nla_type = type;
	memcpy(m->m_b + m->m_len, &a, sizeof(a));
	memcpy(m->m_b + m->m_len + TSD_NLA_HDRLEN, p, len);
	memset(m->m_b + m->m_len + TSD_NLA_HDRLEN + len, 0,
	    total - TSD_NLA_HDRLEN - len);
	m->m_len += total;
}

/* Message i of the set, as the kernel would send it. */
static void
build_msg(struct msg *m, unsigned int i, bool cong)
{
	struct nlmsghdr nlh;
	struct inet_diag_msg dm;
	struct tcp_info ti;
	uint32_t mem[SK_MEMINFO_VARS];
	uint64_t cgroup;
	uint16_t sockopt;
	uint8_t shutdown_, tos;
	enum kind k;

	k = set_kinds[i % 16];
	memset(m, 0, sizeof(*m));
	memset(&dm, 0, sizeof(dm));
	dm.idiag_family = k == K_V4 ? AF_INET : AF_INET6;
	dm.idiag_state = k == K_TIMEWAIT ? TSD_TCP_TIME_WAIT :
	    TSD_TCP_ESTABLISHED;
	dm.idiag_timer = k == K_TIMEWAIT ? 3 : 2;
	dm.idiag_expires = 7000 + i;
	dm.id.idiag_sport = htons((uint16_t)(10000 + i % 50));
	dm.id.idiag_dport = htons((uint16_t)(20000 + i));
	dm.id.idiag_cookie[0] = 0x1000u + i;
	dm.id.idiag_cookie[1] = 0;
	switch (k) {
	case K_V4:
		dm.id.idiag_src[0] = htonl(0x7f000001u);
		dm.id.idiag_dst[0] = htonl(0x7f010001u + i);
		break;
	case K_MAPPED:
		dm.id.idiag_src[2] = htonl(0xffffu);
		dm.id.idiag_src[3] = htonl(0x7f000001u);
		dm.id.idiag_dst[2] = htonl(0xffffu);
		dm.id.idiag_dst[3] = htonl(0x7f010001u + i);
		break;
	case K_V6:
	case K_TIMEWAIT:
		dm.id.idiag_src[3] = htonl(1);
		dm.id.idiag_dst[3] = htonl(1);
		break;
	}
	dm.idiag_rqueue = 0;
	dm.idiag_wqueue = 40u * i;
	dm.idiag_uid = 1000;
	dm.idiag_inode = 500000u + i;
	m->m_len = TSD_NLMSG_HDRLEN + TSD_ALIGN4(sizeof(dm));
	memcpy(m->m_b + TSD_NLMSG_HDRLEN, &dm, sizeof(dm));

	if (k != K_TIMEWAIT) {
		/* What inet_diag_msg_attrs_fill() adds to every full socket. */
		shutdown_ = 0;
		put_attr(m, INET_DIAG_SHUTDOWN, &shutdown_, 1);
		tos = 0;
		put_attr(m, dm.idiag_family == AF_INET ? INET_DIAG_TOS :
		    INET_DIAG_TCLASS, &tos, 1);
		cgroup = 4242;
		put_attr(m, INET_DIAG_CGROUP_ID, &cgroup, sizeof(cgroup));
		sockopt = 0x0001;
		put_attr(m, INET_DIAG_SOCKOPT, &sockopt, sizeof(sockopt));
		memset(mem, 0, sizeof(mem));
		mem[SK_MEMINFO_RCVBUF] = 131072;
		mem[SK_MEMINFO_SNDBUF] = 16384 + i;
		put_attr(m, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
		memset(&ti, 0, sizeof(ti));
		ti.tcpi_state = TSD_TCP_ESTABLISHED;
		ti.tcpi_options = TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK |
		    TCPI_OPT_WSCALE;
		ti.tcpi_snd_wscale = 7;
		ti.tcpi_rcv_wscale = 7;
		ti.tcpi_rto = 204000;
		ti.tcpi_snd_mss = 32768;
		ti.tcpi_rcv_mss = 536;
		ti.tcpi_rtt = 30 + i;
		ti.tcpi_rttvar = 15;
		ti.tcpi_snd_cwnd = 10;
		ti.tcpi_snd_ssthresh = 0x7fffffff;
		ti.tcpi_segs_out = 3 + i;
		ti.tcpi_segs_in = 2 + i;
		ti.tcpi_min_rtt = 20;
		ti.tcpi_bytes_sent = 100u * i;
		ti.tcpi_snd_wnd = 65535;
		put_attr(m, INET_DIAG_INFO, &ti, sizeof(ti));
		if (cong)
			put_attr(m, INET_DIAG_CONG, "cubic", 6);
	}

	memset(&nlh, 0, sizeof(nlh));
	nlh.nlmsg_len = (uint32_t)m->m_len;
	nlh.nlmsg_type = TCPDIAG_GETSOCK;
	nlh.nlmsg_flags = NLM_F_MULTI;
	nlh.nlmsg_seq = 1;
	memcpy(m->m_b, &nlh, sizeof(nlh));
}

/*
 * Decode the records in outbuf[0..len) and check them against the message
 * set: each must decode, carry the fields asked for and the cookie of a
 * message that matches.  Returns the records seen.
 */
static uint64_t
check_records(const struct workload *w, const struct tcpstats_filter *f,
    size_t len)
{
	struct tcpstats_record r;
	uint64_t n;
	size_t off, used;

	n = 0;
	for (off = 0; off < len; off += used) {
		if (tcpstats_decode(outbuf + off, len - off, &r, &used) != 0)
			errx(1, "%s: record at byte %zu does not decode",
			    w->w_name, off);
		if (r.tr_hdr.trh_fields != (f->tf_fields & TCPSTATS_F_ALL))
			errx(1, "%s: record with fields %#x, expected %#x",
			    w->w_name, r.tr_hdr.trh_fields, f->tf_fields);
		if (r.tr_identity.tid_cookie < 0x1000u ||
		    r.tr_identity.tid_cookie >= 0x1000u + NMSGS)
			errx(1, "%s: record with cookie %#" PRIx64 ", not one "
			    "of the set's", w->w_name,
			    r.tr_identity.tid_cookie);
		n++;
	}
	return (n);
}

static void
run_workload(const struct workload *w, unsigned long n)
{
	struct tcpstats_filter f;
	struct tcpstats_errinfo e;
	uint64_t t0, t1, matched, records, per_mille;
	uint16_t lport, rport;
	unsigned long i;
	size_t off, len, recsize;
	char dump[64];
	int verdict;

	if (tcpstats_filter_parse(w->w_filter, NULL, &f, &e) != 0)
		errx(1, "workload %s: filter '%s' rejected at column %u: %s",
		    w->w_name, w->w_filter, (unsigned)e.tei_column,
		    e.tei_message);
	for (i = 0; i < NMSGS; i++)
		build_msg(&msgs[i], (unsigned int)i, w->w_cong);
	recsize = tcpstats_record_size(f.tf_fields, f.tf_format);

	matched = 0;
	off = 0;
	snprintf(dump, sizeof(dump), "visit %s", w->w_name);
	CALLGRIND_ZERO_STATS;
	t0 = bu_now_ns();
	for (i = 0; i < n; i++) {
		/* A full buffer goes to the reader, as a read() would. */
		if (OUTBUF - off < recsize)
			off = 0;
		if (!tsd_visit(&f, msgs[i & (NMSGS - 1)].m_b,
		    msgs[i & (NMSGS - 1)].m_len, (char *)outbuf + off,
		    OUTBUF - off, &verdict, &lport, &rport, &len))
			errx(1, "%s: message %lu is not a socket", w->w_name,
			    i & (NMSGS - 1));
		off += len;
		matched += verdict == TCPSTATS_MATCH;
	}
	t1 = bu_now_ns();
	CALLGRIND_DUMP_STATS_AT(dump);

	/* Did every message do what the set says it should? */
	if (matched != (uint64_t)(n / 16) * w->w_match)
		errx(1, "%s: %" PRIu64 " of %lu messages matched, expected "
		    "%lu", w->w_name, matched, n, n / 16 * w->w_match);
	off = 0;
	for (i = 0; i < NMSGS; i++) {
		if (!tsd_visit(&f, msgs[i].m_b, msgs[i].m_len,
		    (char *)outbuf + off, OUTBUF - off, &verdict, &lport,
		    &rport, &len))
			errx(1, "%s: message %lu is not a socket", w->w_name,
			    i);
		off += len;
	}
	records = check_records(w, &f, off);
	if (records != (uint64_t)NMSGS / 16 * w->w_match)
		errx(1, "%s: %" PRIu64 " records from the %d messages, "
		    "expected %u", w->w_name, records, NMSGS,
		    NMSGS / 16 * w->w_match);

	per_mille = (t1 - t0) * 1000u / n;
	printf("%-14s %-40s %6zu B/rec %5" PRIu64 ".%03" PRIu64
	    " ns/msg %10.0f msg/s  verified\n", w->w_name,
	    w->w_filter[0] == '\0' ? "(none)" : w->w_filter, recsize,
	    per_mille / 1000, per_mille % 1000,
	    t1 > t0 ? (double)n * 1e9 / (double)(t1 - t0) : 0.0);
}

int
main(int argc, char **argv)
{
	const char *only;
	unsigned long n;
	size_t i;
	char *end;
	bool list;
	int ch, ran;

	n = ITERATIONS_DEFAULT;
	only = NULL;
	list = false;
	while ((ch = getopt(argc, argv, "hln:w:")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, 0);
			break;
		case 'l':
			list = true;
			break;
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' ||
			    *end != '\0' || n == 0 || n % 16 != 0)
				errx(1, "-n %s: expected a positive multiple "
				    "of 16", optarg);
			break;
		case 'w':
			only = optarg;
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		errx(1, "unexpected argument '%s' (see bench_visit -h)",
		    argv[optind]);

	if (list) {
		for (i = 0; i < NWORKLOADS; i++)
			printf("%s\n", workloads[i].w_name);
		return (0);
	}
	printf("bench_visit: %lu messages per workload, a set of %d "
	    "(tcp_info %zu bytes)\n", n, NMSGS, sizeof(struct tcp_info));
	ran = 0;
	for (i = 0; i < NWORKLOADS; i++) {
		if (only != NULL && strcmp(only, workloads[i].w_name) != 0)
			continue;
		run_workload(&workloads[i], n);
		ran++;
	}
	if (ran == 0)
		errx(1, "-w %s: no such workload (see -l)", only);
	return (0);
}
