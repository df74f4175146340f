/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_ratelimit.c -- the device read limiter on a fake clock.
 */

#include <criterion/criterion.h>

#include "exporter.h"

#define	MS	1000000ull	/* ns per ms */

static struct exp_ratelimit rl;

static void
setup_half_second(void)
{

	exp_ratelimit_init(&rl, 500 * MS);
}

Test(ratelimit, first_call_admits_at_any_time, .init = setup_half_second)
{

	cr_expect(exp_ratelimit_admit(&rl, 0), "first call at t=0 refused");
}

Test(ratelimit, first_call_admits_late_clock, .init = setup_half_second)
{

	cr_expect(exp_ratelimit_admit(&rl, 9000000 * MS),
	    "first call at a large time refused");
}

Test(ratelimit, calls_inside_the_window_are_refused,
    .init = setup_half_second)
{
	uint64_t t;

	cr_assert(exp_ratelimit_admit(&rl, 1000 * MS), "first call refused");
	for (t = 1000; t < 1500; t += 50)
		cr_expect(!exp_ratelimit_admit(&rl, t * MS),
		    "call at +%llu ms admitted inside a 500 ms window",
		    (unsigned long long)(t - 1000));
	cr_expect(!exp_ratelimit_admit(&rl, 1500 * MS - 1),
	    "call 1 ns before the window ends admitted");
}

Test(ratelimit, window_end_admits, .init = setup_half_second)
{

	cr_assert(exp_ratelimit_admit(&rl, 1000 * MS), "first call refused");
	cr_expect(exp_ratelimit_admit(&rl, 1500 * MS),
	    "call exactly one interval later refused");
}

Test(ratelimit, refusals_do_not_extend_the_window, .init = setup_half_second)
{

	cr_assert(exp_ratelimit_admit(&rl, 1000 * MS), "first call refused");
	cr_assert(!exp_ratelimit_admit(&rl, 1400 * MS), "+400 ms admitted");
	cr_expect(exp_ratelimit_admit(&rl, 1500 * MS),
	    "+500 ms refused: a refusal moved the window");
}

Test(ratelimit, admits_count_over_ten_seconds, .init = setup_half_second)
{
	unsigned int admitted;
	uint64_t t;

	/* A scrape every 10 ms for 10 s: rate 2/s allows 20 reads. */
	admitted = 0;
	for (t = 0; t < 10000; t += 10)
		if (exp_ratelimit_admit(&rl, t * MS))
			admitted++;
	cr_expect_eq(admitted, 20, "expected 20 reads in 10 s, got %u",
	    admitted);
}

Test(ratelimit, clock_going_backwards_admits, .init = setup_half_second)
{

	cr_assert(exp_ratelimit_admit(&rl, 5000 * MS), "first call refused");
	cr_expect(exp_ratelimit_admit(&rl, 4000 * MS),
	    "a clock that went back must not freeze the cache");
	cr_expect(!exp_ratelimit_admit(&rl, 4100 * MS),
	    "window should restart at the new time");
}
