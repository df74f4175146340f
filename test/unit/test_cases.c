/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_cases.c -- the public-report cases of cases/README.md that the core
 * alone can show (P1-P9; P10 and P11 need a live provider).  Each test is
 * named after its case.
 */

#include "unit_helpers.h"

/* --- P1: port lists ----------------------------------------------------- */

Test(cases, p1_bad_port_items_rejected_with_column)
{
	static const char *const bad[] = { "22-21", "-1", "65536",
	    "22-65536", "foo", "0" };
	char text[64];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "exclude=listen local_port=80,%s",
		    bad[i]);
		ut_expect_reject(text, NULL, ut_col_last(text, bad[i]), NULL);
	}
}

Test(cases, p1_port_22_22_accepted_as_22)
{
	struct tcpstats_filter f;
	char buf[TCPSTATS_CANON_MAX];

	ut_parse_ok("local_port=22-22", NULL, &f);
	cr_assert_eq(f.tf_nlport, 1, "expected one item, got %u",
	    f.tf_nlport);
	cr_expect(f.tf_lport[0].tpr_lo == 22 && f.tf_lport[0].tpr_hi == 22,
	    "expected 22-22 stored as 22, got %u-%u", f.tf_lport[0].tpr_lo,
	    f.tf_lport[0].tpr_hi);
	tcpstats_filter_format(&f, buf, sizeof(buf));
	cr_expect_str_eq(buf, "local_port=22", "expected canonical "
	    "\"local_port=22\", got \"%s\"", buf);
}

/* --- P2: /0 of one family never matches the other ----------------------- */

Test(cases, p2_v4_any_skips_v6_sockets)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok("local_addr=0.0.0.0/0", NULL, &f);
	ut_conn(&c, TCPSTATS_AF_INET6, TCPSTATS_ST_LISTEN, 22, 0, "::", "::");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_ADDR, "0.0.0.0/0 on an IPv6 listener: "
	    "expected SKIP_ADDR, got %s", ut_verdict(v));
	ut_conn(&c, TCPSTATS_AF_INET, TCPSTATS_ST_LISTEN, 22, 0, "0.0.0.0",
	    "0.0.0.0");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "0.0.0.0/0 on an IPv4 listener: "
	    "expected MATCH, got %s", ut_verdict(v));
}

Test(cases, p2_v6_any_skips_v4_sockets)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok("local_addr=::/0", NULL, &f);
	ut_conn(&c, TCPSTATS_AF_INET, TCPSTATS_ST_ESTABLISHED, 22, 5000,
	    "127.0.0.1", "127.0.0.1");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_ADDR, "::/0 on an IPv4 socket: expected "
	    "SKIP_ADDR, got %s", ut_verdict(v));
	ut_conn(&c, TCPSTATS_AF_INET6, TCPSTATS_ST_ESTABLISHED, 22, 5000,
	    "::1", "::1");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "::/0 on an IPv6 socket: expected "
	    "MATCH, got %s", ut_verdict(v));
}

Test(cases, p2_mapped_socket_counts_as_v4)
{
	struct tcpstats_filter v4any, v6any;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok("local_addr=0.0.0.0/0", NULL, &v4any);
	ut_parse_ok("local_addr=::/0", NULL, &v6any);
	ut_conn(&c, TCPSTATS_AF_INET6, TCPSTATS_ST_ESTABLISHED, 80, 40000,
	    "::ffff:192.0.2.1", "::ffff:192.0.2.2");
	cr_assert(tcpstats_conn_normalize(&c), "expected the mapped socket "
	    "to be folded");
	v = tcpstats_filter_match(&v4any, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "0.0.0.0/0 on a mapped socket: "
	    "expected MATCH, got %s", ut_verdict(v));
	v = tcpstats_filter_match(&v6any, &c);
	cr_expect_eq(v, TCPSTATS_SKIP_ADDR, "::/0 on a mapped socket: "
	    "expected SKIP_ADDR, got %s", ut_verdict(v));
}

Test(cases, p2_ipv4_only_keeps_mapped_socket)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok("ipv4_only", NULL, &f);
	ut_conn(&c, TCPSTATS_AF_INET6, TCPSTATS_ST_ESTABLISHED, 80, 40000,
	    "::ffff:192.0.2.1", "::ffff:192.0.2.2");
	tcpstats_conn_normalize(&c);
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "ipv4_only on a mapped socket: "
	    "expected MATCH, got %s", ut_verdict(v));
}

/* --- P3: [::] listener, IPv4 client ------------------------------------- */

Test(cases, p3_accepted_mapped_socket_matches_v4_remote)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	int v;

	ut_parse_ok("remote_addr=127.0.0.0/8", NULL, &f);
	ut_conn(&c, TCPSTATS_AF_INET6, TCPSTATS_ST_ESTABLISHED, 8080, 51000,
	    "::ffff:127.0.0.1", "::ffff:127.0.0.1");
	tcpstats_conn_normalize(&c);
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "remote_addr=127.0.0.0/8 on a socket "
	    "accepted by [::] from 127.0.0.1: expected MATCH, got %s",
	    ut_verdict(v));
}

Test(cases, p3_record_of_mapped_socket_reports_v4)
{
	struct tcpstats_record src, dec;
	unsigned char buf[sizeof(struct tcpstats_record)];
	size_t n, used;
	int rc;

	/* What a provider fills for the folded socket. */
	memset(&src, 0, sizeof(src));
	src.tr_hdr.trh_flags = TCPSTATS_RF_MAPPED;
	src.tr_identity.tid_family = TCPSTATS_AF_INET;
	src.tr_identity.tid_lport = 8080;
	src.tr_identity.tid_rport = 51000;
	inet_pton(AF_INET, "127.0.0.1", src.tr_identity.tid_laddr);
	inet_pton(AF_INET, "127.0.0.1", src.tr_identity.tid_raddr);
	n = tcpstats_encode(&src, TCPSTATS_F_IDENTITY, TCPSTATS_FMT_COMPACT,
	    buf, sizeof(buf));
	cr_assert_gt(n, 0u, "encode failed");
	rc = tcpstats_decode(buf, n, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "decode failed with %d", rc);
	cr_expect_eq(dec.tr_identity.tid_family, TCPSTATS_AF_INET,
	    "expected family 4 in the record, got %u",
	    dec.tr_identity.tid_family);
	cr_expect(dec.tr_hdr.trh_flags & TCPSTATS_RF_MAPPED, "expected the "
	    "MAPPED flag kept, got flags 0x%x", dec.tr_hdr.trh_flags);
	cr_expect(memcmp(dec.tr_identity.tid_raddr, "\x7f\0\0\x01", 4) == 0,
	    "expected remote 127.0.0.1 in bytes 0-3");
}

/* --- P4: time_wait ------------------------------------------------------ */

Test(cases, p4_exclude_time_wait_removes_exactly_time_wait)
{
	static const char *const spellings[] = { "exclude=time_wait",
	    "exclude=timewait", "EXCLUDE=TimeWait" };
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	unsigned int i, s;
	int v, want;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		ut_parse_ok(spellings[i], NULL, &f);
		for (s = 0; s < TCPSTATS_NSTATES; s++) {
			ut_conn(&c, TCPSTATS_AF_INET, s, 1, 2, "127.0.0.1",
			    "127.0.0.1");
			v = tcpstats_filter_match(&f, &c);
			want = s == TCPSTATS_ST_TIME_WAIT ?
			    TCPSTATS_SKIP_STATE : TCPSTATS_MATCH;
			cr_expect_eq(v, want, "\"%s\" on state %u: "
			    "expected %s, got %s", spellings[i], s,
			    ut_verdict(want), ut_verdict(v));
		}
	}
}

Test(cases, p4_time_wait_is_named_time_wait)
{
	const char *n = tcpstats_state_name(TCPSTATS_ST_TIME_WAIT);

	cr_assert_not_null(n, "expected a name for state 10");
	cr_expect_str_eq(n, "time_wait", "expected 'time_wait', got '%s'", n);
}

/* --- P5: close_wait ----------------------------------------------------- */

Test(cases, p5_close_wait_is_state_5_and_selectable)
{
	struct tcpstats_filter f;
	struct tcpstats_conn c;
	const char *n;
	int v;

	n = tcpstats_state_name(5);
	cr_assert_not_null(n, "expected a name for state 5");
	cr_expect_str_eq(n, "close_wait", "state 5: expected 'close_wait', "
	    "got '%s'", n);
	ut_parse_ok("include_state=closewait", NULL, &f);
	ut_conn(&c, TCPSTATS_AF_INET, TCPSTATS_ST_CLOSE_WAIT, 1, 2,
	    "127.0.0.1", "127.0.0.1");
	v = tcpstats_filter_match(&f, &c);
	cr_expect_eq(v, TCPSTATS_MATCH, "include_state=closewait on a "
	    "CLOSE_WAIT socket: expected MATCH, got %s", ut_verdict(v));
}

/* --- P6: BSD numbering -------------------------------------------------- */

Test(cases, p6_state_numbers_are_bsd)
{
	cr_expect_eq(TCPSTATS_ST_CLOSE_WAIT, 5, "CLOSE_WAIT must be 5");
	cr_expect_str_eq(tcpstats_state_name(1), "listen", "state 1 must be "
	    "listen");
	cr_expect_str_eq(tcpstats_state_name(3), "syn_received", "state 3 "
	    "must be syn_received");
	cr_expect_str_eq(tcpstats_state_name(9), "fin_wait_2", "state 9 must "
	    "be fin_wait_2");
}

/* --- P7: case and aliases ----------------------------------------------- */

Test(cases, p7_case_and_aliases_accepted)
{
	struct tcpstats_filter f;
	uint16_t want;

	want = (uint16_t)((1u << TCPSTATS_ST_LISTEN) |
	    (1u << TCPSTATS_ST_ESTABLISHED) |
	    (1u << TCPSTATS_ST_SYN_RECEIVED));
	ut_parse_ok("include_state=LISTEN,Established,syn_rcvd", NULL, &f);
	cr_expect_eq(f.tf_states, want, "expected mask 0x%x, got 0x%x", want,
	    f.tf_states);
}

Test(cases, p7_unknown_state_gets_did_you_mean)
{
	struct tcpstats_errinfo err;
	const char *text = "include_state=LISTEN,Establisehd";

	ut_parse_err(text, NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "did you mean "
	    "'established'"), "expected a suggestion of 'established', got "
	    "'%s'", err.tei_message);
	cr_expect_eq(err.tei_column, ut_col(text, "Establisehd", 1, 0),
	    "expected the column of the bad name, got %u", err.tei_column);
}

/* --- P8: all-digit last group ------------------------------------------- */

Test(cases, p8_all_digit_last_group_is_an_address)
{
	struct tcpstats_filter f;
	struct tcpstats_cidr want;
	char buf[TCPSTATS_CANON_MAX];

	ut_parse_ok("remote_addr=2001:db8::33:99", NULL, &f);
	ut_cidr(&want, "2001:db8::33:99", 128);
	cr_assert_eq(f.tf_nraddr, 1, "expected 1 CIDR, got %u", f.tf_nraddr);
	cr_expect(memcmp(&f.tf_raddr[0], &want, sizeof(want)) == 0,
	    "expected 2001:db8::33:99/128");
	cr_expect_eq(f.tf_nrport, 0, "expected no port taken from the "
	    "address, got %u", f.tf_nrport);
	tcpstats_filter_format(&f, buf, sizeof(buf));
	cr_expect_str_eq(buf, "remote_addr=2001:db8::33:99", "expected the "
	    "address back unchanged, got \"%s\"", buf);
}

/* --- P9: zone ids ------------------------------------------------------- */

Test(cases, p9_zone_id_rejected)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_addr=fe80::1%lo0", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "zone ids"), "expected a "
	    "message about zone ids, got '%s'", err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, "not supported"),
	    "expected 'not supported', got '%s'", err.tei_message);
}
