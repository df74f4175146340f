/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_rt_args.c -- read_tcpstats' command line: what each option sets
 * and the message each bad combination gets.
 */

#include <criterion/criterion.h>

#include <stdarg.h>
#include <string.h>

#include "rt_args.h"

#define	MAXARGS	16

struct argv_buf {
	char	 store[MAXARGS][600];
	char	*argv[MAXARGS + 1];
	int	 argc;
};

static struct argv_buf ab;
static struct rt_opts opts;
static char why[256];

/* Parse "read_tcpstats" followed by the NULL-terminated arguments. */
static int
parse(const char *env, ...)
{
	const char *a;
	va_list ap;

	memset(&ab, 0, sizeof(ab));
	strcpy(ab.store[0], "read_tcpstats");
	ab.argv[0] = ab.store[0];
	ab.argc = 1;
	va_start(ap, env);
	while ((a = va_arg(ap, const char *)) != NULL) {
		cr_assert_lt(ab.argc, MAXARGS, "too many arguments in a test");
		strcpy(ab.store[ab.argc], a);
		ab.argv[ab.argc] = ab.store[ab.argc];
		ab.argc++;
	}
	va_end(ap);
	return (rt_parse_args(ab.argc, ab.argv, env, &opts, why,
	    sizeof(why)));
}

static void
expect_error(int rc, const char *fragment)
{

	cr_expect_eq(rc, -1, "expected a usage error, got %d", rc);
	cr_expect(strstr(why, fragment) != NULL,
	    "expected the message to contain \"%s\", got \"%s\"", fragment,
	    why);
}

Test(rt_args, defaults)
{

	cr_assert_eq(parse(NULL, NULL), 0, "no arguments: %s", why);
	cr_expect_str_eq(opts.ro_device, "/dev/tcpstats");
	cr_expect_eq(opts.ro_mode, RT_MODE_READ);
	cr_expect_eq(opts.ro_output, RT_OUT_TABLE);
	cr_expect_str_eq(opts.ro_apply, "", "expected no filter, got \"%s\"",
	    opts.ro_apply);
}

Test(rt_args, environment_names_device)
{

	cr_assert_eq(parse("/run/tcpstats/tcpstats", NULL), 0);
	cr_expect_str_eq(opts.ro_device, "/run/tcpstats/tcpstats");
}

Test(rt_args, empty_environment_is_ignored)
{

	cr_assert_eq(parse("", NULL), 0);
	cr_expect_str_eq(opts.ro_device, "/dev/tcpstats");
}

Test(rt_args, flag_overrides_environment)
{

	cr_assert_eq(parse("/env/dev", "-d", "/flag/dev", NULL), 0);
	cr_expect_str_eq(opts.ro_device, "/flag/dev");
}

Test(rt_args, filter_is_applied_as_given)
{

	cr_assert_eq(parse(NULL, "-f", "local_port=22 exclude=listen", NULL),
	    0, "%s", why);
	cr_expect_str_eq(opts.ro_apply, "local_port=22 exclude=listen");
}

Test(rt_args, profile_becomes_profile_directive)
{

	cr_assert_eq(parse(NULL, "-p", "web", NULL), 0, "%s", why);
	cr_expect_str_eq(opts.ro_apply, "profile=web",
	    "expected \"profile=web\", got \"%s\"", opts.ro_apply);
}

Test(rt_args, json_and_count_outputs)
{

	cr_assert_eq(parse(NULL, "-j", NULL), 0);
	cr_expect_eq(opts.ro_output, RT_OUT_JSON);
	cr_assert_eq(parse(NULL, "-c", NULL), 0);
	cr_expect_eq(opts.ro_output, RT_OUT_COUNT);
}

Test(rt_args, set_profile_with_equals)
{

	cr_assert_eq(parse(NULL, "-P", "web=local_port=80,443", NULL), 0,
	    "%s", why);
	cr_expect_eq(opts.ro_mode, RT_MODE_SET);
	cr_expect_str_eq(opts.ro_name, "web");
	cr_expect_str_eq(opts.ro_text, "local_port=80,443");
}

Test(rt_args, set_profile_with_f)
{

	cr_assert_eq(parse(NULL, "-P", "web", "-f", "exclude=listen", NULL), 0,
	    "%s", why);
	cr_expect_str_eq(opts.ro_name, "web");
	cr_expect_str_eq(opts.ro_text, "exclude=listen");
}

Test(rt_args, set_profile_with_empty_text)
{

	cr_assert_eq(parse(NULL, "-P", "all=", NULL), 0, "%s", why);
	cr_expect_str_eq(opts.ro_name, "all");
	cr_expect_str_eq(opts.ro_text, "");
}

Test(rt_args, set_profile_without_text)
{

	expect_error(parse(NULL, "-P", "web", NULL), "missing text");
}

Test(rt_args, set_profile_text_twice)
{

	expect_error(parse(NULL, "-P", "web=a", "-f", "b", NULL), "not both");
}

Test(rt_args, show_list_delete_stats_modes)
{

	cr_assert_eq(parse(NULL, "-S", "web", NULL), 0);
	cr_expect_eq(opts.ro_mode, RT_MODE_SHOW);
	cr_assert_eq(parse(NULL, "-D", "web", NULL), 0);
	cr_expect_eq(opts.ro_mode, RT_MODE_DELETE);
	cr_assert_eq(parse(NULL, "-L", NULL), 0);
	cr_expect_eq(opts.ro_mode, RT_MODE_LIST);
	cr_assert_eq(parse(NULL, "-s", "-j", NULL), 0, "-s -j: %s", why);
	cr_expect_eq(opts.ro_mode, RT_MODE_STATS);
}

Test(rt_args, two_modes_conflict)
{

	expect_error(parse(NULL, "-L", "-s", NULL),
	    "options -L and -s cannot be combined");
}

Test(rt_args, filter_and_profile_conflict)
{

	expect_error(parse(NULL, "-f", "ipv4_only", "-p", "web", NULL),
	    "-f and -p cannot be combined");
}

Test(rt_args, count_and_json_conflict)
{

	expect_error(parse(NULL, "-c", "-j", NULL),
	    "-c and -j cannot be combined");
}

Test(rt_args, count_with_profile_list_conflicts)
{

	expect_error(parse(NULL, "-L", "-c", NULL), "only apply when reading");
}

Test(rt_args, json_with_list_conflicts)
{

	expect_error(parse(NULL, "-L", "-j", NULL),
	    "-j cannot be combined with -L");
}

Test(rt_args, filter_with_delete_conflicts)
{

	expect_error(parse(NULL, "-D", "web", "-f", "x", NULL),
	    "-f cannot be combined with -D");
}

Test(rt_args, unknown_option)
{

	expect_error(parse(NULL, "-x", NULL), "unknown option -x");
}

Test(rt_args, missing_option_argument)
{

	expect_error(parse(NULL, "-d", NULL), "option -d needs an argument");
}

Test(rt_args, stray_operand)
{

	expect_error(parse(NULL, "-c", "extra", NULL),
	    "unexpected argument 'extra'");
}

Test(rt_args, filter_over_limit)
{
	char text[513];

	memset(text, 'a', 512);
	text[512] = '\0';
	expect_error(parse(NULL, "-f", text, NULL),
	    "filter is 512 bytes; the limit is 511");
}

Test(rt_args, filter_at_limit_is_accepted)
{
	char text[512];

	memset(text, 'a', 511);
	text[511] = '\0';
	cr_expect_eq(parse(NULL, "-f", text, NULL), 0, "511 bytes: %s", why);
}

Test(rt_args, profile_name_over_limit)
{

	expect_error(parse(NULL, "-S", "abcdefghijklmnopqrstuvwxyz0123456",
	    NULL), "profile name is 33 bytes; the limit is 32");
}

Test(rt_args, empty_profile_name)
{

	expect_error(parse(NULL, "-P", "=exclude=listen", NULL),
	    "empty profile name");
}

Test(rt_args, empty_device)
{

	expect_error(parse(NULL, "-d", "", NULL), "empty device path");
}

Test(rt_args, parse_twice_in_one_process)
{

	expect_error(parse(NULL, "-x", NULL), "unknown option");
	cr_expect_eq(parse(NULL, "-c", NULL), 0,
	    "second parse after an error: %s", why);
	cr_expect_eq(opts.ro_output, RT_OUT_COUNT);
}
