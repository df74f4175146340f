/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_diag_req.c -- the dump request's bytes: nlmsghdr, inet_diag_req_v2
 * and the bytecode attribute, checked field by field against the values
 * the kernel's ABI defines (linux/netlink.h, linux/inet_diag.h).
 */

#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

/* Offsets of the ABI, written out: header 16 bytes, request 56 bytes. */
#define	OFF_REQ		16
#define	REQ_LEN		56
#define	OFF_ATTR	(OFF_REQ + REQ_LEN)

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return (v);
}

static uint16_t
get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return (v);
}

Test(diag_req, header_and_request_without_bytecode)
{
	uint8_t buf[256];
	size_t n;
	unsigned int i;

	memset(buf, 0xaa, sizeof(buf));
	n = tsd_diag_req_build(buf, sizeof(buf), AF_INET, 0x0fff, TSD_DIAG_EXT, 7,
	    NULL, 0);
	cr_assert_eq(n, 72, "expected 72 bytes (16 + 56), got %zu", n);
	cr_expect_eq(get32(buf + 0), 72, "nlmsg_len: expected 72, got %u",
	    get32(buf));
	cr_expect_eq(get16(buf + 4), 20, "nlmsg_type: expected 20 "
	    "(SOCK_DIAG_BY_FAMILY), got %u", get16(buf + 4));
	cr_expect_eq(get16(buf + 6), 0x301, "nlmsg_flags: expected 0x301 "
	    "(REQUEST|DUMP), got %#x", get16(buf + 6));
	cr_expect_eq(get32(buf + 8), 7, "nlmsg_seq: expected 7, got %u",
	    get32(buf + 8));
	cr_expect_eq(get32(buf + 12), 0, "nlmsg_pid: expected 0, got %u",
	    get32(buf + 12));
	cr_expect_eq(buf[OFF_REQ + 0], 2, "sdiag_family: expected 2, got %u",
	    buf[OFF_REQ]);
	cr_expect_eq(buf[OFF_REQ + 1], 6, "sdiag_protocol: expected 6 (TCP), "
	    "got %u", buf[OFF_REQ + 1]);
	/* INET_DIAG_INFO (2), CONG (4), SKMEMINFO (7): bits 1, 3, 6. */
	cr_expect_eq(buf[OFF_REQ + 2], 0x4a, "idiag_ext: expected 0x4a, got "
	    "%#x", buf[OFF_REQ + 2]);
	cr_expect_eq(buf[OFF_REQ + 3], 0, "pad: expected 0");
	cr_expect_eq(get32(buf + OFF_REQ + 4), 0x0fff, "idiag_states: "
	    "expected 0xfff, got %#x", get32(buf + OFF_REQ + 4));
	for (i = OFF_REQ + 8; i < 72; i++)
		cr_expect_eq(buf[i], 0, "socket id byte %u: expected 0, got "
		    "%#x", i - OFF_REQ - 8, buf[i]);
	cr_expect_eq(buf[72], 0xaa, "byte past the message was written");
}

Test(diag_req, bytecode_attribute_follows_the_request)
{
	uint8_t buf[256], bc[8] = { 2, 8, 20, 0, 0, 0, 22, 0 };
	size_t n;

	n = tsd_diag_req_build(buf, sizeof(buf), AF_INET6, 0x400, TSD_DIAG_EXT, 1,
	    bc, 8);
	cr_assert_eq(n, 84, "expected 84 bytes (72 + 4 + 8), got %zu", n);
	cr_expect_eq(get32(buf), 84, "nlmsg_len: expected 84, got %u",
	    get32(buf));
	cr_expect_eq(buf[OFF_REQ], 10, "sdiag_family: expected 10, got %u",
	    buf[OFF_REQ]);
	cr_expect_eq(get16(buf + OFF_ATTR), 12, "nla_len: expected 12, got "
	    "%u", get16(buf + OFF_ATTR));
	cr_expect_eq(get16(buf + OFF_ATTR + 2), 1, "nla_type: expected 1 "
	    "(INET_DIAG_REQ_BYTECODE), got %u", get16(buf + OFF_ATTR + 2));
	cr_expect_arr_eq(buf + OFF_ATTR + 4, bc, 8, "bytecode not copied "
	    "verbatim");
}

Test(diag_req, rejects_small_buffer_and_bad_family)
{
	uint8_t buf[256];

	cr_expect_eq(tsd_diag_req_build(buf, 71, AF_INET, 1, TSD_DIAG_EXT, 1,
	    NULL, 0), 0, "a 71-byte buffer must not hold a 72-byte request");
	cr_expect_eq(tsd_diag_req_build(buf, sizeof(buf), AF_UNIX, 1,
	    TSD_DIAG_EXT, 1, NULL, 0), 0, "AF_UNIX is not a TCP family");
	cr_expect_eq(tsd_diag_req_build(buf, sizeof(buf), AF_INET, 1,
	    TSD_DIAG_EXT, 1, buf, 6), 0,
	    "bytecode length must be a multiple of 4");
	cr_expect_eq(tsd_diag_req_build(buf, sizeof(buf), AF_INET, 1, 0x80, 1,
	    NULL, 0), 0, "an extension outside INFO/CONG/SKMEMINFO was sent");
}

Test(diag_req, extensions_follow_the_field_groups)
{
	static const struct {
		uint16_t	fields;
		uint8_t		ext;	/* idiag_ext bits, by hand */
	} t[] = {
		{ TCPSTATS_F_IDENTITY, 0x00 },
		{ TCPSTATS_F_IDENTITY | TCPSTATS_F_STATE, 0x02 },
		{ TCPSTATS_F_RTT, 0x02 },
		{ TCPSTATS_F_TIMERS, 0x02 },
		{ TCPSTATS_F_NAMES, 0x08 },
		{ TCPSTATS_F_BUFFERS, 0x40 },
		{ TCPSTATS_F_DEFAULT, 0x42 },
		{ TCPSTATS_F_ALL, 0x4a },
	};
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_expect_eq(tsd_diag_ext(t[i].fields), t[i].ext,
		    "fields %#x: expected idiag_ext %#x, got %#x", t[i].fields,
		    t[i].ext, tsd_diag_ext(t[i].fields));
		cr_assert_gt(tsd_diag_req_build(buf, sizeof(buf), AF_INET, 1,
		    t[i].ext, 1, NULL, 0), 0, "request with ext %#x refused",
		    t[i].ext);
		cr_expect_eq(buf[OFF_REQ + 2], t[i].ext, "idiag_ext on the wire: "
		    "expected %#x, got %#x", t[i].ext, buf[OFF_REQ + 2]);
	}
}

/*
 * Both families in one walk: the older request, TCPDIAG_GETSOCK (18) and
 * struct inet_diag_req (60 bytes: family, src_len, dst_len, ext, the
 * 48-byte socket id, states, dbs), family AF_UNSPEC.
 */
#define	CREQ_LEN	60

Test(diag_req, both_families_use_the_older_request)
{
	uint8_t buf[256], bc[8] = { 2, 8, 20, 0, 0, 0, 22, 0 };
	size_t n;
	unsigned int i;

	memset(buf, 0xaa, sizeof(buf));
	n = tsd_diag_req_build(buf, sizeof(buf), AF_UNSPEC, 0x0ffe,
	    TSD_EXT_INFO | TSD_EXT_SKMEM, 9, NULL, 0);
	cr_assert_eq(n, 16 + CREQ_LEN, "expected %d bytes (16 + %d), got %zu",
	    16 + CREQ_LEN, CREQ_LEN, n);
	cr_expect_eq(get32(buf), n, "nlmsg_len: expected %zu, got %u", n,
	    get32(buf));
	cr_expect_eq(get16(buf + 4), 18, "nlmsg_type: expected 18 "
	    "(TCPDIAG_GETSOCK), got %u", get16(buf + 4));
	cr_expect_eq(get16(buf + 6), 0x301, "nlmsg_flags: expected 0x301 "
	    "(REQUEST|DUMP), got %#x", get16(buf + 6));
	cr_expect_eq(get32(buf + 8), 9, "nlmsg_seq: expected 9, got %u",
	    get32(buf + 8));
	cr_expect_eq(buf[OFF_REQ + 0], 0, "idiag_family: expected 0 "
	    "(AF_UNSPEC), got %u", buf[OFF_REQ]);
	cr_expect_eq(buf[OFF_REQ + 1], 0, "idiag_src_len: expected 0");
	cr_expect_eq(buf[OFF_REQ + 2], 0, "idiag_dst_len: expected 0");
	cr_expect_eq(buf[OFF_REQ + 3], 0x42, "idiag_ext: expected 0x42 "
	    "(INFO, SKMEMINFO), got %#x", buf[OFF_REQ + 3]);
	for (i = OFF_REQ + 4; i < OFF_REQ + 52; i++)
		cr_expect_eq(buf[i], 0, "socket id byte %u: expected 0, got "
		    "%#x", i - OFF_REQ - 4, buf[i]);
	cr_expect_eq(get32(buf + OFF_REQ + 52), 0x0ffe, "idiag_states: "
	    "expected 0xffe, got %#x", get32(buf + OFF_REQ + 52));
	cr_expect_eq(get32(buf + OFF_REQ + 56), 0, "idiag_dbs: expected 0");
	cr_expect_eq(buf[16 + CREQ_LEN], 0xaa, "byte past the message was "
	    "written");

	/* The bytecode follows the shorter request. */
	n = tsd_diag_req_build(buf, sizeof(buf), AF_UNSPEC, 0x400,
	    TSD_EXT_INFO, 1, bc, 8);
	cr_assert_eq(n, 16 + CREQ_LEN + 12, "expected %d bytes, got %zu",
	    16 + CREQ_LEN + 12, n);
	cr_expect_eq(get16(buf + 16 + CREQ_LEN), 12, "nla_len: expected 12, "
	    "got %u", get16(buf + 16 + CREQ_LEN));
	cr_expect_eq(get16(buf + 16 + CREQ_LEN + 2), 1, "nla_type: expected "
	    "1 (INET_DIAG_REQ_BYTECODE), got %u",
	    get16(buf + 16 + CREQ_LEN + 2));
	cr_expect_arr_eq(buf + 16 + CREQ_LEN + 4, bc, 8, "bytecode not copied "
	    "verbatim");
	cr_expect_eq(tsd_diag_req_build(buf, 16 + CREQ_LEN - 1, AF_UNSPEC, 1,
	    TSD_EXT_INFO, 1, NULL, 0), 0, "a %d-byte buffer must not hold a "
	    "%d-byte request", 16 + CREQ_LEN - 1, 16 + CREQ_LEN);
}

/* The lone ports of a filter, or 0. */
static void
one_ports(const char *text, uint16_t *sport, uint16_t *dport)
{
	struct tcpstats_filter f;
	struct tcpstats_errinfo ei;

	cr_assert_eq(tcpstats_filter_parse(text, NULL, &f, &ei), 0,
	    "'%s' did not parse: %s", text, ei.tei_message);
	tsd_diag_one_ports(&f, sport, dport);
}

Test(diag_req, lone_ports_of_a_filter)
{
	static const struct {
		const char	*text;
		uint16_t	sport, dport;
	} t[] = {
		{ "", 0, 0 },
		{ "local_port=10000", 10000, 0 },
		{ "remote_port=443", 0, 443 },
		{ "local_port=22 remote_port=50000", 22, 50000 },
		{ "local_port=80,443", 0, 0 },
		{ "local_port=8000-8080", 0, 0 },
		{ "local_port=1 remote_port=1-2", 1, 0 },
		{ "include_state=listen local_port=65535", 65535, 0 },
	};
	uint16_t sport, dport;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		one_ports(t[i].text, &sport, &dport);
		cr_expect_eq(sport, t[i].sport, "'%s': local port %u, "
		    "expected %u", t[i].text, sport, t[i].sport);
		cr_expect_eq(dport, t[i].dport, "'%s': remote port %u, "
		    "expected %u", t[i].text, dport, t[i].dport);
	}
}

/*
 * The ports land in the socket id in network byte order, in both request
 * forms, and nothing else moves.
 */
Test(diag_req, lone_ports_go_in_the_socket_id)
{
	uint8_t buf[256], ref[256];
	size_t n, id;
	unsigned int form, i;

	for (form = 0; form < 2; form++) {
		memset(buf, 0, sizeof(buf));
		n = tsd_diag_req_build(buf, sizeof(buf),
		    form == 0 ? AF_INET : AF_UNSPEC, 0x0ffe, TSD_EXT_INFO, 3,
		    NULL, 0);
		cr_assert_gt(n, 0);
		memcpy(ref, buf, sizeof(ref));
		tsd_diag_req_ports(buf, 0x1234, 443);
		/* v2: family, protocol, ext, pad, states; old: 4 bytes. */
		id = OFF_REQ + (form == 0 ? 8 : 4);
		cr_expect_eq(buf[id], 0x12, "form %u: sport high byte %#x",
		    form, buf[id]);
		cr_expect_eq(buf[id + 1], 0x34, "form %u: sport low byte %#x",
		    form, buf[id + 1]);
		cr_expect_eq(buf[id + 2], 0x01, "form %u: dport high byte %#x",
		    form, buf[id + 2]);
		cr_expect_eq(buf[id + 3], 0xbb, "form %u: dport low byte %#x",
		    form, buf[id + 3]);
		for (i = 0; i < sizeof(buf); i++) {
			if (i >= id && i < id + 4)
				continue;
			cr_expect_eq(buf[i], ref[i], "form %u: byte %u changed",
			    form, i);
		}
	}
}
