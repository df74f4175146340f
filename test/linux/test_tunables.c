/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_tunables.c -- values written to sysctl/ files: what is accepted,
 * what is rejected and why, and the counter file names.
 */

#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

static int
parse(enum tsd_tun t, const char *s, uint32_t *v, char *why, size_t wl)
{

	return (tsd_tunable_parse(t, s, strlen(s), v, why, wl));
}

Test(tunables, defaults_match_the_design)
{

	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_OPEN_FDS].tt_default, 16);
	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_CONCURRENT_READERS].tt_default,
	    32);
	cr_expect_eq(tsd_tunables[TSD_TUN_MAX_READ_DURATION_MS].tt_default,
	    5000);
	cr_expect_eq(tsd_tunables[TSD_TUN_MIN_READ_INTERVAL_MS].tt_default,
	    0);
}

Test(tunables, decimal_with_and_without_newline)
{
	char why[160];
	uint32_t v;

	cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, "4\n", &v, why, sizeof(why)),
	    0, "'4\\n' rejected: %s", why);
	cr_expect_eq(v, 4, "expected 4, got %u", v);
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "250", &v, why,
	    sizeof(why)), 0, "'250' rejected: %s", why);
	cr_expect_eq(v, 250, "expected 250, got %u", v);
	cr_expect_eq(parse(TSD_TUN_MIN_READ_INTERVAL_MS, "0\n", &v, why,
	    sizeof(why)), 0, "'0' is a valid interval (off): %s", why);
	cr_expect_eq(v, 0);
}

Test(tunables, bad_text_is_rejected_with_a_reason)
{
	static const char *const bad[] = { "", "\n", "-1", "+1", " 4", "4 ",
	    "0x10", "abc", "4\n\n", "1e3", "12345678901", "99999999999" };
	char why[160];
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		v = 12345;
		cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, bad[i], &v, why,
		    sizeof(why)), -1, "'%s' must be rejected", bad[i]);
		cr_expect_eq(v, 12345, "'%s': output written on failure",
		    bad[i]);
		cr_expect(strstr(why, "max_open_fds") != NULL,
		    "'%s': reason does not name the tunable: '%s'", bad[i],
		    why);
	}
}

Test(tunables, out_of_range_is_rejected)
{
	char why[160];
	uint32_t v;

	cr_expect_eq(parse(TSD_TUN_MAX_OPEN_FDS, "0", &v, why, sizeof(why)),
	    -1, "max_open_fds 0 would refuse every open");
	cr_expect(strstr(why, "out of range") != NULL, "reason: '%s'", why);
	cr_expect_eq(parse(TSD_TUN_MAX_CONCURRENT_READERS, "0", &v, why,
	    sizeof(why)), -1, "max_concurrent_readers 0 refused");
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "0", &v, why,
	    sizeof(why)), -1, "a zero read budget refused");
	cr_expect_eq(parse(TSD_TUN_MAX_READ_DURATION_MS, "86400001", &v, why,
	    sizeof(why)), -1, "more than a day refused");
}

Test(tunables, counter_names_match_the_design)
{
	static const char *const names[] = { "opens_total", "active_fds",
	    "reads_total", "sockets_visited", "records_emitted",
	    "sockets_skipped_gencnt", "sockets_skipped_cred",
	    "sockets_skipped_ipver", "sockets_skipped_state",
	    "sockets_skipped_port", "sockets_skipped_addr",
	    "reads_timed_out", "reads_interrupted",
	    "read_duration_ns_total", "read_duration_ns_max",
	    "copyout_errors", "last_error" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_expect_geq(tsd_counter_index(names[i]), 0,
		    "counter '%s' has no file", names[i]);
	cr_expect_eq(tsd_counter_name(sizeof(names) / sizeof(names[0])),
	    NULL, "more counter files than the design lists");
	cr_expect_eq(tsd_counter_index("max_open_fds"), -1,
	    "a tunable is not a counter");
	cr_expect_eq(tsd_tunable_index("max_open_fds"),
	    TSD_TUN_MAX_OPEN_FDS);
}

Test(tunables, counter_values_come_from_their_fields)
{
	struct tcpstats_counters c;

	memset(&c, 0, sizeof(c));
	c.tsc_skipped[TCPSTATS_SKIP_PORT] = 42;
	c.tsc_last_error = -3;
	c.tsc_read_duration_ns_max = 1000;
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("sockets_skipped_port")), 42);
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("last_error")), -3);
	cr_expect_eq(tsd_counter_value(&c,
	    (unsigned int)tsd_counter_index("read_duration_ns_max")), 1000);
}
