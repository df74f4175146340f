/*
 * cat_d_addr.c -- category D: IPv4 and IPv6 CIDRs, local and remote: host
 * routes, /8, /16, /0, several CIDRs, CIDRs that match nothing, an IPv4
 * list against IPv6 sockets, IPv4-mapped forms.
 */

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_D	.init = itest_setup, .fini = itest_teardown

/* One address directive per side; NULL for none. */
static void
addr_case(const char *filter, const char *l1, const char *l2,
    const char *r1, const char *r2, size_t min)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	if (l1 != NULL)
		spec_laddr(&sp, l1);
	if (l2 != NULL)
		spec_laddr(&sp, l2);
	if (r1 != NULL)
		spec_raddr(&sp, r1);
	if (r2 != NULL)
		spec_raddr(&sp, r2);
	itest_check(filter, &sp, min);
}

Test(cat_D, local_v4_host_route, CAT_D)
{
	addr_case("local_addr=127.0.0.1", "127.0.0.1", NULL, NULL, NULL, 8);
}

Test(cat_D, local_v4_slash8, CAT_D)
{
	addr_case("local_addr=127.0.0.0/8", "127.0.0.0/8", NULL, NULL, NULL,
	    15);
}

Test(cat_D, local_v4_other_host, CAT_D)
{
	addr_case("local_addr=127.0.0.2", "127.0.0.2", NULL, NULL, NULL, 2);
}

Test(cat_D, remote_v4_host_route, CAT_D)
{
	addr_case("remote_addr=127.0.0.3", NULL, NULL, "127.0.0.3", NULL, 1);
}

Test(cat_D, remote_v4_slash16, CAT_D)
{
	addr_case("remote_addr=127.0.0.0/16", NULL, NULL, "127.0.0.0/16",
	    NULL, 11);
}

Test(cat_D, local_v6_host_route, CAT_D)
{
	addr_case("local_addr=::1", "::1", NULL, NULL, NULL, 10);
}

Test(cat_D, local_v6_slash16, CAT_D)
{
	addr_case("local_addr=fd00::/16", "fd00::/16", NULL, NULL, NULL, 3);
}

Test(cat_D, remote_v6_host_route, CAT_D)
{
	addr_case("remote_addr=fd00::2", NULL, NULL, "fd00::2", NULL, 2);
}

Test(cat_D, local_v6_any_matches_only_ipv6, CAT_D)
{
	addr_case("local_addr=::/0", "::/0", NULL, NULL, NULL, 17);
}

Test(cat_D, local_v4_any_matches_only_ipv4, CAT_D)
{
	addr_case("local_addr=0.0.0.0/0", "0.0.0.0/0", NULL, NULL, NULL, 15);
}

Test(cat_D, remote_v6_any, CAT_D)
{
	addr_case("remote_addr=::/0", NULL, NULL, "::/0", NULL, 17);
}

Test(cat_D, local_mixed_list, CAT_D)
{
	addr_case("local_addr=127.0.0.2,::1", "127.0.0.2", "::1", NULL, NULL,
	    12);
}

Test(cat_D, local_matches_nothing, CAT_D)
{
	addr_case("local_addr=10.0.0.0/8", "10.0.0.0/8", NULL, NULL, NULL, 0);
}

Test(cat_D, local_v6_host_nobody_has, CAT_D)
{
	addr_case("local_addr=::2", "::2", NULL, NULL, NULL, 0);
}

Test(cat_D, remote_v4_on_dual_stack_mapped_peer, CAT_D)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_DUAL, P_DUAL);
	spec_raddr(&sp, "127.0.0.0/8");
	itest_check("local_port=20005 remote_addr=127.0.0.0/8", &sp, 1);
}

Test(cat_D, mapped_prefix_in_filter_is_ipv4, CAT_D)
{
	addr_case("local_addr=::ffff:127.0.0.0/104", "127.0.0.0/8", NULL,
	    NULL, NULL, 15);
}

Test(cat_D, both_sides, CAT_D)
{
	addr_case("local_addr=fd00::2,127.0.0.2 remote_addr=::1",
	    "fd00::2", "127.0.0.2", "::1", NULL, 2);
}

Test(cat_D, remote_mixed_slash8, CAT_D)
{
	addr_case("remote_addr=127.0.0.0/8,fd00::/8", NULL, NULL,
	    "127.0.0.0/8", "fd00::/8", 12);
}

Test(cat_D, ipv4_list_never_matches_ipv6, CAT_D)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	spec_laddr(&sp, "127.0.0.0/8");
	spec_lport(&sp, P_V6A, P_V6A);
	itest_check("local_addr=127.0.0.0/8 local_port=20003 "
	    "include_state=listen", &sp, 0);
}

Test(cat_D, contradiction_rejected, CAT_D)
{
	itest_rejects("ipv4_only local_addr=::1", "ipv4_only");
}

Test(cat_D, host_bits_rejected, CAT_D)
{
	itest_rejects("local_addr=127.0.0.1/8", "127.0.0.0/8");
}

Test(cat_D, zone_id_rejected, CAT_D)
{
	itest_rejects("local_addr=fe80::1%lo", "zone");
}
