/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_units.c -- read_tcpstats' human units: binary sizes and times.
 * Expected strings are worked out by hand from the rules in format.c's
 * header: K = 1024, truncated, one decimal below 10 of a unit.
 */

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdint.h>
#include <string.h>

#include "format.h"

struct unit_case {
	uint64_t	value;
	char		expect[16];
};

ParameterizedTestParameters(units, bytes_table)
{
	static struct unit_case cases[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ 1023, "1023" },
		{ 1024, "1.0K" },
		{ 1535, "1.4K" },		/* 1.499 truncates */
		{ 1536, "1.5K" },
		{ 10239, "9.9K" },
		{ 10240, "10K" },
		{ 1048575, "1023K" },		/* just under 1 MiB */
		{ 1048576, "1.0M" },
		{ 1073741824, "1.0G" },
		{ UINT64_C(1) << 40, "1.0T" },
		{ UINT64_C(1) << 50, "1.0P" },
		{ UINT64_C(1) << 60, "1.0E" },
		{ UINT64_MAX, "15E" },		/* 15.99 EiB, no bigger unit */
	};

	return (cr_make_param_array(struct unit_case, cases,
	    sizeof(cases) / sizeof(cases[0])));
}

ParameterizedTest(struct unit_case *c, units, bytes_table)
{
	char buf[32];
	int n;

	n = fmt_bytes(c->value, buf, sizeof(buf));
	cr_expect_eq(n, (int)strlen(c->expect),
	    "fmt_bytes(%llu): expected length %zu, got %d",
	    (unsigned long long)c->value, strlen(c->expect), n);
	cr_expect_str_eq(buf, c->expect, "fmt_bytes(%llu): expected '%s', "
	    "got '%s'", (unsigned long long)c->value, c->expect, buf);
}

ParameterizedTestParameters(units, usec_table)
{
	static struct unit_case cases[] = {
		{ 0, "0us" },
		{ 999, "999us" },
		{ 1000, "1.0ms" },
		{ 1500, "1.5ms" },
		{ 999999, "999.9ms" },
		{ 1000000, "1.0s" },
		{ 2500000, "2.5s" },
		{ UINT32_MAX, "4294.9s" },	/* largest srtt_us */
	};

	return (cr_make_param_array(struct unit_case, cases,
	    sizeof(cases) / sizeof(cases[0])));
}

ParameterizedTest(struct unit_case *c, units, usec_table)
{
	char buf[32];

	fmt_usec(c->value, buf, sizeof(buf));
	cr_expect_str_eq(buf, c->expect, "fmt_usec(%llu): expected '%s', "
	    "got '%s'", (unsigned long long)c->value, c->expect, buf);
}

Test(units, bytes_buffer_too_small_fails_terminated)
{
	char buf[4];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = fmt_bytes(1536, buf, sizeof(buf));	/* "1.5K" needs 5 bytes */
	cr_expect_eq(n, -1, "expected -1 for a 4-byte buffer, got %d", n);
	cr_expect(memchr(buf, '\0', sizeof(buf)) != NULL,
	    "expected a NUL-terminated buffer after overflow");
}

Test(units, bytes_exact_fit_succeeds)
{
	char buf[5];
	int n;

	n = fmt_bytes(1536, buf, sizeof(buf));
	cr_expect_eq(n, 4, "expected 4 for \"1.5K\" in 5 bytes, got %d", n);
	cr_expect_str_eq(buf, "1.5K");
}
