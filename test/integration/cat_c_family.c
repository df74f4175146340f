/*
 * cat_c_family.c -- category C: ipv4_only and ipv6_only on IPv4, IPv6 and
 * dual-stack sockets; an IPv6 socket with an IPv4-mapped peer is IPv4.
 */

#include <string.h>

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_C	.init = itest_setup, .fini = itest_teardown

Test(cat_C, ipv4_only, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	itest_check("ipv4_only", &sp, 15);
}

Test(cat_C, ipv6_only, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	itest_check("ipv6_only", &sp, 17);
}

Test(cat_C, ipv4_only_dual_stack_accepts_mapped, CAT_C)
{
	struct tsf_spec sp;

	/* The [::] listener is IPv6; its IPv4 client's peer is mapped. */
	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	spec_lport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv4_only local_port=20005", &sp, 1);
}

Test(cat_C, ipv6_only_dual_stack, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	spec_lport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv6_only local_port=20005", &sp, 2);
}

Test(cat_C, ipv4_only_client_of_dual_stack, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	spec_rport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv4_only remote_port=20005", &sp, 1);
}

Test(cat_C, ipv6_only_client_of_dual_stack, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	spec_rport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv6_only remote_port=20005", &sp, 1);
}

Test(cat_C, ipv4_only_on_ipv6_listener_is_empty, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	spec_lport(&sp, P_V6A, P_V6A);
	itest_check("ipv4_only local_port=20003", &sp, 0);
}

Test(cat_C, ipv6_only_on_ipv6_listener, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	spec_lport(&sp, P_V6A, P_V6A);
	itest_check("ipv6_only local_port=20003", &sp, 3);
}

Test(cat_C, ipv4_only_listeners, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	itest_check("ipv4_only include_state=listen", &sp, 4);
}

Test(cat_C, ipv6_only_listeners, CAT_C)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	itest_check("ipv6_only include_state=listen", &sp, 5);
}

Test(cat_C, mapped_record_is_ipv4_and_flagged, CAT_C)
{
	struct tsf_records recs;
	const struct tcpstats_identity *id;
	const uint8_t lo[4] = { 127, 0, 0, 1 };
	size_t i, n;

	tsf_snapshot("local_port=20005 include_state=established", &recs);
	for (i = n = 0; i < recs.n; i++) {
		id = &recs.rec[i].tr_identity;
		if (id->tid_family != TCPSTATS_AF_INET)
			continue;
		n++;
		cr_expect(recs.raw_flags[i] & TCPSTATS_RF_MAPPED,
		    "accepted IPv4 client on [::] lacks TCPSTATS_RF_MAPPED");
		cr_expect(memcmp(id->tid_laddr, lo, 4) == 0 &&
		    memcmp(id->tid_raddr, lo, 4) == 0,
		    "mapped record does not carry 127.0.0.1 on both sides");
	}
	tsf_records_free(&recs);
	cr_assert_eq(n, 1, "expected 1 IPv4 record on port 20005, got %zu",
	    n);
}

Test(cat_C, both_families_rejected, CAT_C)
{
	itest_rejects("ipv4_only ipv6_only", "ipv");
}
