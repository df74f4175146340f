/*
 * cat_e_combined.c -- category E: port, state and family together.
 */

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_E	.init = itest_setup, .fini = itest_teardown

Test(cat_E, v4_listener_by_port, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	spec_lport(&sp, P_V4A, P_V4A);
	itest_check("local_port=20001 include_state=listen ipv4_only", &sp, 1);
}

Test(cat_E, v6_clients_not_listening, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_LISTEN));
	spec_rport(&sp, P_V6A, P_V6A);
	itest_check("remote_port=20003 ipv6_only exclude=listen", &sp, 2);
}

Test(cat_E, mapped_established_on_dual_stack, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	sp.states = state_bit(TCPSTATS_ST_ESTABLISHED);
	spec_lport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv4_only include_state=established local_port=20005",
	    &sp, 1);
}

Test(cat_E, v6_listeners_in_range, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	spec_lport(&sp, P_V4A, P_CW);
	itest_check("local_port=20001-20007 include_state=listen ipv6_only",
	    &sp, 4);
}

Test(cat_E, closing_sockets_by_remote_port, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.states = (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_ESTABLISHED));
	spec_rport(&sp, P_TW, P_TW);
	spec_rport(&sp, P_CW, P_CW);
	itest_check("remote_port=20006,20007 exclude=established", &sp, 2);
}

Test(cat_E, close_wait_by_port_and_family, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = state_bit(TCPSTATS_ST_CLOSE_WAIT);
	spec_lport(&sp, P_CW, P_CW);
	itest_check("local_port=20007 include_state=close_wait ipv6_only",
	    &sp, 1);
}

Test(cat_E, edge_ports_ipv4, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET;
	spec_lport(&sp, 1, 1);
	spec_lport(&sp, 65535, 65535);
	itest_check("local_port=1,65535 ipv4_only", &sp, 2);
}

Test(cat_E, client_by_port_address_state, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.states = state_bit(TCPSTATS_ST_ESTABLISHED);
	spec_rport(&sp, P_V4A, P_V4A);
	spec_laddr(&sp, "127.0.0.3");
	itest_check("remote_port=20001 local_addr=127.0.0.3 "
	    "include_state=established", &sp, 1);
}

Test(cat_E, v6_client_of_dual_stack_not_time_wait, CAT_E)
{
	struct tsf_spec sp;

	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_TIME_WAIT));
	spec_rport(&sp, P_DUAL, P_DUAL);
	itest_check("ipv6_only remote_port=20005 exclude=time_wait", &sp, 1);
}
