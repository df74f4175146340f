/*
 * cat_b_states.c -- category B: include_state and exclude, single and
 * several states, aliases, case, everything excluded.
 */

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_B	.init = itest_setup, .fini = itest_teardown

static void
spec_states(struct tsf_spec *sp, uint16_t mask)
{
	tsf_spec_all(sp);
	sp->states = mask;
}

Test(cat_B, include_listen, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, state_bit(TCPSTATS_ST_LISTEN));
	itest_check("include_state=listen", &sp, 9);
}

Test(cat_B, include_established, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, state_bit(TCPSTATS_ST_ESTABLISHED));
	itest_check("include_state=established", &sp, 20);
}

Test(cat_B, include_time_wait, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, state_bit(TCPSTATS_ST_TIME_WAIT));
	itest_check("include_state=time_wait", &sp, 1);
}

Test(cat_B, exclude_time_wait, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_TIME_WAIT)));
	itest_check("exclude=time_wait", &sp, 31);
}

Test(cat_B, exclude_timewait_alias, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_TIME_WAIT)));
	itest_check("exclude=timewait", &sp, 31);
}

Test(cat_B, exclude_two_states, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_LISTEN) &
	    ~state_bit(TCPSTATS_ST_ESTABLISHED)));
	itest_check("exclude=listen,established", &sp, 3);
}

Test(cat_B, include_close_wait, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, state_bit(TCPSTATS_ST_CLOSE_WAIT));
	itest_check("include_state=close_wait", &sp, 1);
}

Test(cat_B, include_closewait_alias_and_fin_wait_2, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(state_bit(TCPSTATS_ST_CLOSE_WAIT) |
	    state_bit(TCPSTATS_ST_FIN_WAIT_2)));
	itest_check("include_state=fin_wait_2,closewait", &sp, 2);
}

Test(cat_B, exclude_every_state, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, 0);
	itest_check("exclude=closed,listen,syn_sent,syn_received,established,"
	    "close_wait,fin_wait_1,closing,last_ack,fin_wait_2,time_wait",
	    &sp, 0);
}

Test(cat_B, state_names_any_case, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(state_bit(TCPSTATS_ST_LISTEN) |
	    state_bit(TCPSTATS_ST_ESTABLISHED)));
	itest_check("INCLUDE_STATE=LISTEN,Established", &sp, 29);
}

Test(cat_B, exclude_repeated, CAT_B)
{
	struct tsf_spec sp;

	spec_states(&sp, (uint16_t)(TCPSTATS_ST_ALL &
	    ~state_bit(TCPSTATS_ST_LISTEN) &
	    ~state_bit(TCPSTATS_ST_TIME_WAIT)));
	itest_check("exclude=listen exclude=time_wait", &sp, 22);
}

Test(cat_B, include_with_exclude_rejected, CAT_B)
{
	itest_rejects("include_state=listen exclude=time_wait", "exclude");
}

Test(cat_B, unknown_state_suggests, CAT_B)
{
	itest_rejects("exclude=time_wiat", "time_wait");
}
