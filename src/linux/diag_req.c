/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * diag_req.c -- the inet_diag dump request.
 *
 * Two forms, laid out on the wire in host byte order except the socket
 * id, zero but for the local and remote port a filter names alone (which
 * the kernel tests before the bytecode):
 *
 *	one family	struct nlmsghdr		SOCK_DIAG_BY_FAMILY, REQUEST|DUMP
 *			struct inet_diag_req_v2	family, IPPROTO_TCP, ext, states
 *	both families	struct nlmsghdr		TCPDIAG_GETSOCK, REQUEST|DUMP
 *			struct inet_diag_req	AF_UNSPEC, ext, states
 *	either		struct nlattr		INET_DIAG_REQ_BYTECODE (optional)
 *			bytecode		4-byte aligned by construction
 *
 * Why two: TCP keeps IPv4 and IPv6 sockets in one established hash, and a
 * dump walks all of it, whatever the family asked for, rejecting the
 * other family's sockets one by one.  A v2 request names exactly one
 * family, so a snapshot of both would walk the table twice; the older
 * TCPDIAG_GETSOCK request dumps with AF_UNSPEC, both families in one walk,
 * with the same states, extensions and bytecode.  Its replies carry the
 * request's type, TCPDIAG_GETSOCK, instead of SOCK_DIAG_BY_FAMILY.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <string.h>

#include "tsd.h"

/*
 * tcp_info carries the state group's options and window scales and all of
 * congestion, rtt, sequences, counters, timers and ecn; the congestion
 * control's name comes with INET_DIAG_CONG, the socket buffers' limits
 * with INET_DIAG_SKMEMINFO.  Identity needs only the base message.
 */
uint8_t
tsd_diag_ext(uint16_t fields)
{
	uint8_t ext;

	ext = 0;
	if ((fields & (TCPSTATS_F_STATE | TCPSTATS_F_CONGESTION |
	    TCPSTATS_F_RTT | TCPSTATS_F_SEQUENCES | TCPSTATS_F_COUNTERS |
	    TCPSTATS_F_TIMERS | TCPSTATS_F_ECN)) != 0)
		ext |= TSD_EXT_INFO;
	if ((fields & TCPSTATS_F_NAMES) != 0)
		ext |= TSD_EXT_CONG;
	if ((fields & TCPSTATS_F_BUFFERS) != 0)
		ext |= TSD_EXT_SKMEM;
	return (ext);
}

size_t
tsd_diag_req_build(void *buf, size_t len, uint8_t family, uint32_t states,
    uint8_t ext, uint32_t seq, const void *bc, size_t bclen)
{
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	struct inet_diag_req *creq;
	struct nlattr *nla;
	size_t need, reqlen;

	if (family != AF_INET && family != AF_INET6 && family != AF_UNSPEC)
		return (0);
	if ((ext & ~TSD_DIAG_EXT) != 0)
		return (0);
	if (bclen > TSD_BC_MAX || (bclen & 3) != 0 ||
	    (bclen > 0 && bc == NULL))
		return (0);
	reqlen = family == AF_UNSPEC ? sizeof(*creq) : sizeof(*req);
	need = TSD_NLMSG_HDRLEN + TSD_ALIGN4(reqlen);
	if (bclen > 0)
		need += TSD_NLA_HDRLEN + TSD_ALIGN4(bclen);
	if (buf == NULL || len < need)
		return (0);

	memset(buf, 0, need);
	nlh = buf;
	nlh->nlmsg_len = (uint32_t)need;
	nlh->nlmsg_type = family == AF_UNSPEC ? TCPDIAG_GETSOCK :
	    SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;

	if (family == AF_UNSPEC) {
		/* The protocol is the message type's. */
		creq = (struct inet_diag_req *)((char *)buf +
		    TSD_NLMSG_HDRLEN);
		creq->idiag_family = AF_UNSPEC;
		creq->idiag_ext = ext;
		creq->idiag_states = states;
	} else {
		req = (struct inet_diag_req_v2 *)((char *)buf +
		    TSD_NLMSG_HDRLEN);
		req->sdiag_family = family;
		req->sdiag_protocol = IPPROTO_TCP;
		req->idiag_ext = ext;
		req->idiag_states = states;
	}

	if (bclen > 0) {
		nla = (struct nlattr *)((char *)buf + TSD_NLMSG_HDRLEN +
		    TSD_ALIGN4(reqlen));
		nla->nla_type = INET_DIAG_REQ_BYTECODE;
		nla->nla_len = (uint16_t)(TSD_NLA_HDRLEN + bclen);
		memcpy((char *)nla + TSD_NLA_HDRLEN, bc, bclen);
	}
	return (need);
}

void
tsd_diag_one_ports(const struct tcpstats_filter *f, uint16_t *sport,
    uint16_t *dport)
{

	*sport = 0;
	*dport = 0;
	if (f->tf_nlport == 1 && f->tf_lport[0].tpr_lo == f->tf_lport[0].tpr_hi)
		*sport = f->tf_lport[0].tpr_lo;
	if (f->tf_nrport == 1 && f->tf_rport[0].tpr_lo == f->tf_rport[0].tpr_hi)
		*dport = f->tf_rport[0].tpr_lo;
}

void
tsd_diag_req_ports(void *buf, uint16_t sport, uint16_t dport)
{
	struct nlmsghdr *nlh;
	struct inet_diag_sockid *id;

	nlh = buf;
	if (nlh->nlmsg_type == TCPDIAG_GETSOCK)
		id = &((struct inet_diag_req *)((char *)buf +
		    TSD_NLMSG_HDRLEN))->id;
	else
		id = &((struct inet_diag_req_v2 *)((char *)buf +
		    TSD_NLMSG_HDRLEN))->id;
	id->idiag_sport = htons(sport);
	id->idiag_dport = htons(dport);
}
