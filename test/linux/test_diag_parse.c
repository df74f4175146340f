/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_diag_parse.c -- inet_diag replies built by hand, byte by byte, as
 * the kernel lays them out, parsed into struct tsd_diag.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>

#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

struct msgbuf {
	uint8_t		b[1024];
	size_t		len;
};

static void
put(struct msgbuf *m, size_t off, const void *p, size_t n)
{

	cr_assert(off + n <= sizeof(m->b), "test message too long");
	memcpy(m->b + off, p, n);
}

/*
 * Header (16) + inet_diag_msg (72): family, state, timer, retrans, ports,
 * addresses, cookie, expires, queues, uid, inode at their ABI offsets.
 */
static void
base_msg(struct msgbuf *m, uint8_t family, uint8_t state)
{
	uint32_t v32;
	uint16_t v16;

	memset(m, 0, sizeof(*m));
	m->len = 16 + 72;
	v16 = SOCK_DIAG_BY_FAMILY;
	put(m, 4, &v16, 2);
	m->b[16] = family;
	m->b[17] = state;
	m->b[18] = 1;			/* timer: retransmit */
	m->b[19] = 3;			/* retrans */
	v16 = htons(443);
	put(m, 20, &v16, 2);		/* sport */
	v16 = htons(51000);
	put(m, 22, &v16, 2);		/* dport */
	v32 = 1;
	put(m, 56, &v32, 4);		/* interface index */
	v32 = 0x11223344;
	put(m, 60, &v32, 4);		/* cookie[0] */
	v32 = 0x55667788;
	put(m, 64, &v32, 4);		/* cookie[1] */
	v32 = 180;
	put(m, 68, &v32, 4);		/* expires, ms */
	v32 = 100;
	put(m, 72, &v32, 4);		/* rqueue */
	v32 = 200;
	put(m, 76, &v32, 4);		/* wqueue */
	v32 = 1000;
	put(m, 80, &v32, 4);		/* uid */
	v32 = 424242;
	put(m, 84, &v32, 4);		/* inode */
}

static void
add_attr(struct msgbuf *m, uint16_t type, const void *p, uint16_t n)
{
	uint16_t len = (uint16_t)(4 + n);

	put(m, m->len, &len, 2);
	put(m, m->len + 2, &type, 2);
	put(m, m->len + 4, p, n);
	m->len += (4u + n + 3u) & ~3u;
}

static void
finish(struct msgbuf *m)
{
	uint32_t len = (uint32_t)m->len;

	put(m, 0, &len, 4);
}

Test(diag_parse, ipv4_message_fields)
{
	struct msgbuf m;
	struct tsd_diag d;
	uint8_t a[4] = { 192, 0, 2, 1 }, b[4] = { 198, 51, 100, 7 };

	base_msg(&m, AF_INET, 1);
	put(&m, 24, a, 4);
	put(&m, 40, b, 4);
	finish(&m);
	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0, "valid message "
	    "rejected");
	cr_expect_eq(d.td_family, AF_INET);
	cr_expect_eq(d.td_state, 1, "state: expected 1, got %u", d.td_state);
	cr_expect_eq(d.td_timer, 1);
	cr_expect_eq(d.td_retrans, 3);
	cr_expect_eq(d.td_sport, 443, "sport: expected 443, got %u",
	    d.td_sport);
	cr_expect_eq(d.td_dport, 51000, "dport: expected 51000, got %u",
	    d.td_dport);
	cr_expect_arr_eq(d.td_saddr, a, 4, "source address");
	cr_expect_arr_eq(d.td_daddr, b, 4, "destination address");
	cr_expect_eq(d.td_cookie, 0x5566778811223344ull, "cookie: got %#llx",
	    (unsigned long long)d.td_cookie);
	cr_expect_eq(d.td_expires_ms, 180);
	cr_expect_eq(d.td_rqueue, 100);
	cr_expect_eq(d.td_wqueue, 200);
	cr_expect_eq(d.td_uid, 1000);
	cr_expect_eq(d.td_inode, 424242);
	cr_expect_eq(d.td_infolen, 0, "no INET_DIAG_INFO, yet infolen %u",
	    d.td_infolen);
	cr_expect(!d.td_have_cc && !d.td_have_mem, "no attributes were sent");
}

Test(diag_parse, attributes_info_cong_meminfo)
{
	struct msgbuf m;
	struct tsd_diag d;
	struct tcp_info ti;
	uint32_t mem[SK_MEMINFO_VARS];
	uint8_t a6[16];

	base_msg(&m, AF_INET6, 10);
	inet_pton(AF_INET6, "2001:db8::1", a6);
	put(&m, 24, a6, 16);
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_rtt = 1234;
	add_attr(&m, INET_DIAG_INFO, &ti, (uint16_t)sizeof(ti));
	add_attr(&m, INET_DIAG_CONG, "cubic", 6);
	memset(mem, 0, sizeof(mem));
	mem[SK_MEMINFO_RCVBUF] = 131072;
	mem[SK_MEMINFO_SNDBUF] = 16384;
	add_attr(&m, INET_DIAG_SKMEMINFO, mem, (uint16_t)sizeof(mem));
	finish(&m);

	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0);
	cr_expect_arr_eq(d.td_saddr, a6, 16, "IPv6 source address");
	cr_expect_eq(d.td_infolen, sizeof(ti), "infolen: expected %zu, got %u",
	    sizeof(ti), d.td_infolen);
	memcpy(&ti, d.td_info, sizeof(ti));
	cr_expect_eq(ti.tcpi_snd_cwnd, 10);
	cr_expect_eq(ti.tcpi_rtt, 1234);
	cr_expect(d.td_have_cc, "INET_DIAG_CONG was sent");
	cr_expect_str_eq(d.td_cc, "cubic");
	cr_expect(d.td_have_mem, "INET_DIAG_SKMEMINFO was sent");
	cr_expect_eq(d.td_rcvbuf, 131072, "rcvbuf: got %u", d.td_rcvbuf);
	cr_expect_eq(d.td_sndbuf, 16384, "sndbuf: got %u", d.td_sndbuf);
}

Test(diag_parse, short_tcp_info_is_kept_short)
{
	struct msgbuf m;
	struct tsd_diag d;
	uint8_t info[104];

	base_msg(&m, AF_INET, 1);
	memset(info, 0x5a, sizeof(info));
	add_attr(&m, INET_DIAG_INFO, info, sizeof(info));
	finish(&m);
	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0);
	cr_expect_eq(d.td_infolen, 104, "an old kernel's 104-byte tcp_info "
	    "must stay 104 bytes, got %u", d.td_infolen);
}

Test(diag_parse, malformed_messages_are_rejected)
{
	struct msgbuf m;
	struct tsd_diag d;
	uint32_t bad;

	base_msg(&m, AF_INET, 1);
	finish(&m);
	cr_expect_eq(tsd_diag_parse(m.b, 40, &d), -1, "a truncated message "
	    "(40 of 88 bytes) must be rejected");
	bad = 50;
	put(&m, 0, &bad, 4);
	cr_expect_eq(tsd_diag_parse(m.b, m.len, &d), -1, "nlmsg_len 50 is "
	    "shorter than an inet_diag_msg");
	base_msg(&m, AF_UNIX, 1);
	finish(&m);
	cr_expect_eq(tsd_diag_parse(m.b, m.len, &d), -1, "family AF_UNIX "
	    "must be rejected");
}

Test(diag_parse, attribute_running_past_the_message_is_ignored)
{
	struct msgbuf m;
	struct tsd_diag d;
	uint16_t len = 400, type = INET_DIAG_CONG;

	base_msg(&m, AF_INET, 1);
	put(&m, m.len, &len, 2);
	put(&m, m.len + 2, &type, 2);
	put(&m, m.len + 4, "reno", 5);
	m.len += 12;
	finish(&m);
	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0);
	cr_expect(!d.td_have_cc, "an attribute claiming 400 bytes in a "
	    "12-byte tail must not be read");
}

Test(diag_parse, tcp_info_is_read_where_it_lies)
{
	struct msgbuf m;
	struct tsd_diag d;
	struct tcp_info ti;
	size_t at;

	base_msg(&m, AF_INET, 1);
	finish(&m);
	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0);
	cr_expect_null(d.td_info, "no INET_DIAG_INFO, yet td_info is set");

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 777;
	at = m.len + 4;		/* the attribute's payload */
	add_attr(&m, INET_DIAG_INFO, &ti, (uint16_t)sizeof(ti));
	finish(&m);
	cr_assert_eq(tsd_diag_parse(m.b, m.len, &d), 0);
	cr_expect_eq(d.td_info, m.b + at, "td_info should point at byte %zu "
	    "of the message, points at %td", at, d.td_info - m.b);
	cr_expect_eq(d.td_infolen, sizeof(ti), "infolen: expected %zu, got "
	    "%u", sizeof(ti), d.td_infolen);
}

Test(diag_parse, replies_to_both_request_forms_are_sockets)
{
	struct msgbuf m;
	struct tsd_diag d;
	uint16_t type;

	cr_expect(tsd_diag_is_reply(SOCK_DIAG_BY_FAMILY),
	    "SOCK_DIAG_BY_FAMILY (20) answers a one-family request");
	cr_expect(tsd_diag_is_reply(TCPDIAG_GETSOCK),
	    "TCPDIAG_GETSOCK (18) answers the both-families request");
	cr_expect_not(tsd_diag_is_reply(NLMSG_DONE), "NLMSG_DONE is no socket");
	cr_expect_not(tsd_diag_is_reply(NLMSG_ERROR),
	    "NLMSG_ERROR is no socket");

	base_msg(&m, AF_INET6, 1);
	type = TCPDIAG_GETSOCK;
	put(&m, 4, &type, 2);
	finish(&m);
	cr_expect_eq(tsd_diag_parse(m.b, m.len, &d), 0, "a TCPDIAG_GETSOCK "
	    "reply must parse");
	cr_expect_eq(d.td_family, AF_INET6, "family: expected %d, got %u",
	    AF_INET6, d.td_family);
	type = NLMSG_DONE;
	put(&m, 4, &type, 2);
	cr_expect_eq(tsd_diag_parse(m.b, m.len, &d), -1, "NLMSG_DONE parsed "
	    "as a socket");
}
