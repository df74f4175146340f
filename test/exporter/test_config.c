/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_config.c -- tcpstats-exporter's command line and environment.
 */

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "exporter.h"

static struct exp_config cfg;
static char err[EXP_ERR_MAX];

/* Parse a NULL-terminated argument list (argv[0] included). */
static int
parse(const char *env_dev, const char *env_rate, char **argv)
{
	int argc;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	err[0] = '\0';
	return (exp_config_parse(argc, argv, env_dev, env_rate, &cfg, err,
	    sizeof(err)));
}

static uint16_t
port_of(const struct exp_config *c)
{

	if (c->ec_addr.ss_family == AF_INET6)
		return (ntohs(((const struct sockaddr_in6 *)
		    (const void *)&c->ec_addr)->sin6_port));
	return (ntohs(((const struct sockaddr_in *)
	    (const void *)&c->ec_addr)->sin_port));
}

Test(config, defaults_without_options_or_environment)
{
	char *argv[] = { "tcpstats-exporter", NULL };
	const struct sockaddr_in *sin;

	cr_assert_eq(parse(NULL, NULL, argv), 0, "defaults rejected: %s", err);
	cr_expect_str_eq(cfg.ec_device, "/dev/tcpstats",
	    "device: expected /dev/tcpstats, got %s", cfg.ec_device);
	cr_expect_str_eq(cfg.ec_filter, "", "filter: expected empty, got '%s'",
	    cfg.ec_filter);
	sin = (const struct sockaddr_in *)(const void *)&cfg.ec_addr;
	cr_expect_eq(sin->sin_family, AF_INET, "family: expected AF_INET");
	cr_expect_eq(ntohl(sin->sin_addr.s_addr), 0x7f000001u,
	    "address: expected 127.0.0.1, got %08x",
	    ntohl(sin->sin_addr.s_addr));
	cr_expect_eq(port_of(&cfg), 9814, "port: expected 9814, got %u",
	    port_of(&cfg));
	cr_expect_eq(cfg.ec_interval_ns, 500000000u,
	    "interval at rate 2: expected 500000000 ns, got %llu",
	    (unsigned long long)cfg.ec_interval_ns);
}

Test(config, tcpstats_dev_is_honoured)
{
	char *argv[] = { "tcpstats-exporter", NULL };

	cr_assert_eq(parse("/run/tcpstats/tcpstats", NULL, argv), 0, "%s",
	    err);
	cr_expect_str_eq(cfg.ec_device, "/run/tcpstats/tcpstats",
	    "expected the TCPSTATS_DEV path, got %s", cfg.ec_device);
}

Test(config, option_d_wins_over_tcpstats_dev)
{
	char *argv[] = { "tcpstats-exporter", "-d", "/tmp/dev", NULL };

	cr_assert_eq(parse("/run/tcpstats/tcpstats", NULL, argv), 0, "%s",
	    err);
	cr_expect_str_eq(cfg.ec_device, "/tmp/dev",
	    "expected -d's path, got %s", cfg.ec_device);
}

Test(config, filter_is_kept_as_given)
{
	char *argv[] = { "tcpstats-exporter", "-f", "exclude=listen ipv4_only",
	    NULL };

	cr_assert_eq(parse(NULL, NULL, argv), 0, "%s", err);
	cr_expect_str_eq(cfg.ec_filter, "exclude=listen ipv4_only",
	    "got '%s'", cfg.ec_filter);
}

Test(config, filter_longer_than_511_bytes_is_rejected)
{
	char text[600], *argv[] = { "tcpstats-exporter", "-f", text, NULL };

	memset(text, 'a', 512);
	text[512] = '\0';
	cr_expect_eq(parse(NULL, NULL, argv), -1, "a 512-byte filter passed");
	cr_expect(strstr(err, "filter") != NULL && strstr(err, "511") != NULL,
	    "message should name the filter and the limit, got '%s'", err);
}

Test(config, ipv6_listen_address_in_brackets)
{
	char *argv[] = { "tcpstats-exporter", "-l", "[::1]:9900", NULL };
	const struct sockaddr_in6 *sin6;

	cr_assert_eq(parse(NULL, NULL, argv), 0, "%s", err);
	sin6 = (const struct sockaddr_in6 *)(const void *)&cfg.ec_addr;
	cr_expect_eq(sin6->sin6_family, AF_INET6, "expected AF_INET6");
	cr_expect(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr), "expected ::1");
	cr_expect_eq(port_of(&cfg), 9900, "port: expected 9900, got %u",
	    port_of(&cfg));
	cr_expect_eq(cfg.ec_addrlen, sizeof(struct sockaddr_in6),
	    "address length: expected %zu, got %u",
	    sizeof(struct sockaddr_in6), (unsigned int)cfg.ec_addrlen);
}

/* Listen addresses that must fail, and a word the message must contain. */
struct bad_listen {
	char	text[40];
	char	needle[40];
};

static struct bad_listen bad_listens[] = {
	{ "::1:9814", "[addr]:port" },
	{ "127.0.0.1", "port" },
	{ "127.0.0.1:", "port 1..65535" },
	{ "127.0.0.1:0", "port 1..65535" },
	{ "127.0.0.1:65536", "port 1..65535" },
	{ "127.0.0.1:08080", "port 1..65535" },
	{ "127.0.0.1:80x", "port 1..65535" },
	{ "localhost:9814", "not a numeric IPv4" },
	{ "[::1]9814", "':port'" },
	{ "[::1:9814", "missing ']'" },
	{ "[127.0.0.1]:9814", "not a numeric IPv6" },
	{ ":9814", "numeric" },
};

ParameterizedTestParameters(config, bad_listen_address_is_rejected)
{
	return (cr_make_param_array(struct bad_listen, bad_listens,
	    sizeof(bad_listens) / sizeof(bad_listens[0])));
}

ParameterizedTest(struct bad_listen *b, config, bad_listen_address_is_rejected)
{
	char *argv[] = { "tcpstats-exporter", "-l", b->text, NULL };

	cr_expect_eq(parse(NULL, NULL, argv), -1, "'%s' was accepted",
	    b->text);
	cr_expect(strstr(err, b->needle) != NULL,
	    "'%s': message should contain \"%s\", got '%s'", b->text,
	    b->needle, err);
	cr_expect(strstr(err, b->text) != NULL,
	    "message should quote the address '%s', got '%s'", b->text, err);
}

struct bad_rate {
	char	text[24];
	char	needle[40];
};

static struct bad_rate bad_rates[] = {
	{ "0", "greater than 0" },
	{ "0.0", "greater than 0" },
	{ "-1", "positive number" },
	{ "-0.5", "positive number" },
	{ "abc", "positive number" },
	{ "2x", "positive number" },
	{ "", "empty" },
	{ " 2", "positive number" },
	{ "1e3", "positive number" },
	{ "inf", "positive number" },
	{ "nan", "positive number" },
	{ "0x10", "positive number" },
	{ "1.2.3", "positive number" },
	{ ".", "positive number" },
	{ "1001", "at most 1000" },
	{ "0.0001", "at least 0.001" },
};

ParameterizedTestParameters(config, bad_rate_is_rejected)
{
	return (cr_make_param_array(struct bad_rate, bad_rates,
	    sizeof(bad_rates) / sizeof(bad_rates[0])));
}

ParameterizedTest(struct bad_rate *b, config, bad_rate_is_rejected)
{
	char *argv[] = { "tcpstats-exporter", NULL };

	cr_expect_eq(parse(NULL, b->text, argv), -1,
	    "TCPSTATS_MAX_QUERY_RATE='%s' was accepted", b->text);
	cr_expect(strstr(err, "TCPSTATS_MAX_QUERY_RATE") != NULL,
	    "message should name the variable, got '%s'", err);
	cr_expect(strstr(err, b->needle) != NULL,
	    "'%s': message should contain \"%s\", got '%s'", b->text,
	    b->needle, err);
	cr_expect(strchr(err, '\n') == NULL, "message should be one line");
}

Test(config, fractional_rate_gives_longer_interval)
{
	char *argv[] = { "tcpstats-exporter", NULL };

	cr_assert_eq(parse(NULL, "0.5", argv), 0, "%s", err);
	cr_expect_eq(cfg.ec_interval_ns, 2000000000u,
	    "rate 0.5: expected 2 s, got %llu ns",
	    (unsigned long long)cfg.ec_interval_ns);
}

Test(config, highest_rate_is_accepted)
{
	char *argv[] = { "tcpstats-exporter", NULL };

	cr_assert_eq(parse(NULL, "1000", argv), 0, "%s", err);
	cr_expect_eq(cfg.ec_interval_ns, 1000000u,
	    "rate 1000: expected 1 ms, got %llu ns",
	    (unsigned long long)cfg.ec_interval_ns);
}

Test(config, unknown_option_is_named)
{
	char *argv[] = { "tcpstats-exporter", "-x", NULL };

	cr_expect_eq(parse(NULL, NULL, argv), -1, "-x was accepted");
	cr_expect(strstr(err, "-x") != NULL, "message should name -x, got "
	    "'%s'", err);
}

Test(config, option_without_value_is_named)
{
	char *argv[] = { "tcpstats-exporter", "-l", NULL };

	cr_expect_eq(parse(NULL, NULL, argv), -1, "-l without value passed");
	cr_expect(strstr(err, "-l") != NULL && strstr(err, "value") != NULL,
	    "message should say -l needs a value, got '%s'", err);
}

Test(config, stray_argument_is_rejected)
{
	char *argv[] = { "tcpstats-exporter", "metrics", NULL };

	cr_expect_eq(parse(NULL, NULL, argv), -1, "stray argument passed");
	cr_expect(strstr(err, "metrics") != NULL, "message should quote it, "
	    "got '%s'", err);
}

Test(config, empty_device_option_is_rejected)
{
	char *argv[] = { "tcpstats-exporter", "-d", "", NULL };

	cr_expect_eq(parse(NULL, NULL, argv), -1, "-d '' passed");
	cr_expect(strstr(err, "device") != NULL, "message should name the "
	    "device, got '%s'", err);
}
