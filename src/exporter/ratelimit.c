/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ratelimit.c -- at most one device read per interval, on the caller's
 * clock.  Not locked: main.c calls it under the collection lock.
 */

#include "exporter.h"

void
exp_ratelimit_init(struct exp_ratelimit *rl, uint64_t interval_ns)
{

	rl->rl_interval_ns = interval_ns;
	rl->rl_last_ns = 0;
	rl->rl_primed = false;
}

bool
exp_ratelimit_admit(struct exp_ratelimit *rl, uint64_t now_ns)
{

	/*
	 * A clock that went backwards (it should not: monotonic) admits,
	 * so a bad clock can cost an extra read but never stalls the cache.
	 */
	if (rl->rl_primed && now_ns >= rl->rl_last_ns &&
	    now_ns - rl->rl_last_ns < rl->rl_interval_ns)
		return (false);
	rl->rl_last_ns = now_ns;
	rl->rl_primed = true;
	return (true);
}
