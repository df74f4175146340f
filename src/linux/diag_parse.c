/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * diag_parse.c -- one inet_diag dump reply into struct tsd_diag.
 *
 * The message is trusted no further than its lengths: every attribute is
 * bounds-checked against the message, tcp_info is located and its length
 * kept as the kernel sent it (older kernels send less, the record marks
 * the rest absent), and strings are cut at their buffer.  This runs once
 * per socket of every snapshot, so it copies nothing it need not: tcp_info
 * stays in the message, read where it lies by fill.c.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <arpa/inet.h>
#include <string.h>

#include "tsd.h"

static void
parse_attr(struct tsd_diag *d, unsigned int type, const uint8_t *p,
    size_t plen)
{
	size_t n;

	switch (type) {
	case INET_DIAG_INFO:
		n = plen < TSD_INFO_MAX ? plen : TSD_INFO_MAX;
		d->td_info = p;
		d->td_infolen = (uint16_t)n;
		break;
	case INET_DIAG_CONG:
		n = strnlen((const char *)p, plen);
		if (n >= sizeof(d->td_cc))
			n = sizeof(d->td_cc) - 1;
		memcpy(d->td_cc, p, n);
		d->td_cc[n] = '\0';
		d->td_have_cc = n > 0;
		break;
	case INET_DIAG_SKMEMINFO:
		/* An array of u32, SK_MEMINFO_* indexing it. */
		if (plen < (SK_MEMINFO_SNDBUF + 1) * sizeof(uint32_t) ||
		    plen < (SK_MEMINFO_RCVBUF + 1) * sizeof(uint32_t))
			break;
		memcpy(&d->td_rcvbuf, p + SK_MEMINFO_RCVBUF *
		    sizeof(uint32_t), sizeof(uint32_t));
		memcpy(&d->td_sndbuf, p + SK_MEMINFO_SNDBUF *
		    sizeof(uint32_t), sizeof(uint32_t));
		d->td_have_mem = true;
		break;
	default:
		break;
	}
}

bool
tsd_diag_is_reply(uint16_t nlmsg_type)
{

	return (nlmsg_type == SOCK_DIAG_BY_FAMILY ||
	    nlmsg_type == TCPDIAG_GETSOCK);
}

int
tsd_diag_parse(const void *msg, size_t len, struct tsd_diag *d)
{
	const struct nlmsghdr *nlh;
	struct inet_diag_msg m;
	const uint8_t *p, *end;
	struct nlattr nla;
	size_t off;

	memset(d, 0, sizeof(*d));
	nlh = msg;
	if (len < TSD_NLMSG_HDRLEN || nlh->nlmsg_len < TSD_NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len)
		return (-1);
	if (!tsd_diag_is_reply(nlh->nlmsg_type))
		return (-1);
	if (nlh->nlmsg_len < TSD_NLMSG_HDRLEN + sizeof(m))
		return (-1);
	memcpy(&m, (const uint8_t *)msg + TSD_NLMSG_HDRLEN, sizeof(m));
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return (-1);

	d->td_family = m.idiag_family;
	d->td_state = m.idiag_state;
	d->td_timer = m.idiag_timer;
	d->td_retrans = m.idiag_retrans;
	d->td_sport = ntohs(m.id.idiag_sport);
	d->td_dport = ntohs(m.id.idiag_dport);
	if (m.idiag_family == AF_INET) {
		memcpy(d->td_saddr, m.id.idiag_src, 4);
		memcpy(d->td_daddr, m.id.idiag_dst, 4);
	} else {
		memcpy(d->td_saddr, m.id.idiag_src, 16);
		memcpy(d->td_daddr, m.id.idiag_dst, 16);
	}
	d->td_expires_ms = m.idiag_expires;
	d->td_rqueue = m.idiag_rqueue;
	d->td_wqueue = m.idiag_wqueue;
	d->td_uid = m.idiag_uid;
	d->td_inode = m.idiag_inode;
	d->td_cookie = (uint64_t)m.id.idiag_cookie[0] |
	    ((uint64_t)m.id.idiag_cookie[1] << 32);

	/* Attributes follow the aligned inet_diag_msg. */
	off = TSD_NLMSG_HDRLEN + TSD_ALIGN4(sizeof(m));
	p = (const uint8_t *)msg + off;
	end = (const uint8_t *)msg + nlh->nlmsg_len;
	while (p < end && (size_t)(end - p) >= TSD_NLA_HDRLEN) {
		memcpy(&nla, p, sizeof(nla));
		if (nla.nla_len < TSD_NLA_HDRLEN ||
		    (size_t)nla.nla_len > (size_t)(end - p))
			break;
		parse_attr(d, nla.nla_type & 0x3fffu, p + TSD_NLA_HDRLEN,
		    nla.nla_len - TSD_NLA_HDRLEN);
		if ((size_t)(end - p) < TSD_ALIGN4(nla.nla_len))
			break;
		p += TSD_ALIGN4(nla.nla_len);
	}
	return (0);
}
