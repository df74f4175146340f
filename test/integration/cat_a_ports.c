/*
 * cat_a_ports.c -- category A: local and remote ports, lists, ranges, the
 * edge ports 1 and 65535, a port nobody uses, both sides together.
 */

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_A	.init = itest_setup, .fini = itest_teardown

Test(cat_A, local_port_single, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	itest_check("local_port=20001", &sp, 3);
}

Test(cat_A, remote_port_single, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_rport(&sp, P_V4A, P_V4A);
	itest_check("remote_port=20001", &sp, 2);
}

Test(cat_A, local_port_two_items, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	spec_lport(&sp, P_V6A, P_V6A);
	itest_check("local_port=20001,20003", &sp, 6);
}

Test(cat_A, local_port_range, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_DUAL);
	itest_check("local_port=20001-20005", &sp, 13);
}

Test(cat_A, local_port_degenerate_range, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	itest_check("local_port=20001-20001", &sp, 3);
}

Test(cat_A, local_port_one, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, 1, 1);
	itest_check("local_port=1", &sp, 2);
}

Test(cat_A, local_port_65535, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, 65535, 65535);
	itest_check("local_port=65535", &sp, 2);
}

Test(cat_A, remote_port_one, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_rport(&sp, 1, 1);
	itest_check("remote_port=1", &sp, 1);
}

Test(cat_A, remote_port_65535, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_rport(&sp, 65535, 65535);
	itest_check("remote_port=65535", &sp, 1);
}

Test(cat_A, port_nobody_uses, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_UNUSED, P_UNUSED);
	itest_check("local_port=20999", &sp, 0);
}

Test(cat_A, local_and_remote_same_port_disjoint, CAT_A)
{
	struct tsf_spec sp;

	/* No socket has 20001 on both sides: the result is empty. */
	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	spec_rport(&sp, P_V4A, P_V4A);
	itest_check("local_port=20001 remote_port=20001", &sp, 0);
}

Test(cat_A, local_and_remote_together, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	spec_rport(&sp, 1024, 65535);
	itest_check("local_port=20001 remote_port=1024-65535", &sp, 2);
}

Test(cat_A, remote_port_mixed_list, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_rport(&sp, P_V4A, P_V6A);
	spec_rport(&sp, P_DUAL, P_DUAL);
	itest_check("remote_port=20001-20003,20005", &sp, 7);
}

Test(cat_A, privileged_range, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_lport(&sp, 1, 1023);
	itest_check("local_port=1-1023", &sp, 2);
}

Test(cat_A, remote_port_of_time_wait, CAT_A)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	spec_rport(&sp, P_TW, P_TW);
	itest_check("remote_port=20006", &sp, 1);
}

Test(cat_A, bad_port_lists_rejected, CAT_A)
{
	itest_rejects("local_port=22-21", "local_port");
	itest_rejects("local_port=0", "local_port");
	itest_rejects("remote_port=65536", "remote_port");
	itest_rejects("local_port=22-65536", "local_port");
	itest_rejects("local_port=foo", "local_port");
	itest_rejects("local_port=-1", "local_port");
}
