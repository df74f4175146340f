/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * config.c -- command line and environment of tcpstats-exporter.
 *
 * Pure: the caller hands in argv and the environment values, and gets
 * back either a complete configuration or one line saying what was wrong.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exporter.h"

/* Format a message into err (when errlen > 0); always -1. */
int
exp_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

/* Decimal port 1..65535, digits only, no leading zero. */
static int
parse_port(const char *s, uint16_t *port)
{
	unsigned long v;
	size_t i, n;

	n = strlen(s);
	if (n == 0 || n > 5 || s[0] == '0')
		return (-1);
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (-1);
	v = strtoul(s, NULL, 10);
	if (v < 1 || v > 65535)
		return (-1);
	*port = (uint16_t)v;
	return (0);
}

int
exp_parse_listen(const char *text, struct sockaddr_storage *ss,
    socklen_t *sslen, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *hend, *hstart;
	struct sockaddr_in6 *sin6;
	struct sockaddr_in *sin;
	uint16_t port;
	size_t hlen;

	if (text[0] == '[') {
		/* [v6]:port */
		hstart = text + 1;
		hend = strchr(hstart, ']');
		if (hend == NULL)
			return (exp_fail(err, errlen, "listen address '%s': "
			    "missing ']' after the IPv6 address", text));
		if (hend[1] != ':')
			return (exp_fail(err, errlen, "listen address '%s': "
			    "expected ':port' after ']'", text));
		colon = hend + 1;
	} else {
		hstart = text;
		colon = strrchr(text, ':');
		if (colon == NULL)
			return (exp_fail(err, errlen, "listen address '%s': "
			    "expected addr:port or [v6addr]:port", text));
		if (memchr(text, ':', (size_t)(colon - text)) != NULL)
			return (exp_fail(err, errlen, "listen address '%s': "
			    "write IPv6 addresses as [addr]:port", text));
		hend = colon;
	}
	hlen = (size_t)(hend - hstart);
	if (hlen == 0 || hlen >= sizeof(host))
		return (exp_fail(err, errlen, "listen address '%s': "
		    "expected a numeric IPv4 or IPv6 address", text));
	memcpy(host, hstart, hlen);
	host[hlen] = '\0';
	if (parse_port(colon + 1, &port) != 0)
		return (exp_fail(err, errlen, "listen address '%s': expected a "
		    "port 1..65535 after ':', got '%s'", text, colon + 1));

	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		sin6 = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return (exp_fail(err, errlen, "listen address '%s': "
			    "'%s' is not a numeric IPv6 address", text, host));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*sslen = sizeof(*sin6);
	} else {
		sin = (struct sockaddr_in *)ss;
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return (exp_fail(err, errlen, "listen address '%s': "
			    "'%s' is not a numeric IPv4 address", text, host));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*sslen = sizeof(*sin);
	}
	return (0);
}

int
exp_parse_rate(const char *text, uint64_t *interval_ns, char *err,
    size_t errlen)
{
	const char *p;
	double rate;
	char *end;

	/* Plain decimal only: no sign, no hex, no exponent, no inf/nan. */
	if (text[0] == '\0')
		return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE is empty; "
		    "expected reads per second, e.g. 2 or 0.5"));
	for (p = text; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE="
			    "'%s': expected a positive number of reads per "
			    "second, e.g. 2 or 0.5", text));
	errno = 0;
	rate = strtod(text, &end);
	if (errno != 0 || *end != '\0' || !isfinite(rate))
		return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE='%s': "
		    "expected a positive number of reads per second, e.g. 2 "
		    "or 0.5", text));
	if (rate <= 0)
		return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE='%s': must "
		    "be greater than 0", text));
	if (rate > EXP_RATE_MAX)
		return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE='%s': at "
		    "most %d reads per second", text, EXP_RATE_MAX));
	if (rate < 0.001)
		return (exp_fail(err, errlen, "TCPSTATS_MAX_QUERY_RATE='%s': at "
		    "least 0.001 reads per second", text));
	*interval_ns = (uint64_t)(1e9 / rate);
	return (0);
}

static int
set_string(char *dst, size_t dstlen, const char *src, const char *what,
    char *err, size_t errlen)
{
	size_t n;

	n = strlen(src);
	if (n >= dstlen)
		return (exp_fail(err, errlen, "%s is %zu bytes; the limit is %zu",
		    what, n, dstlen - 1));
	memcpy(dst, src, n + 1);
	return (0);
}

int
exp_config_parse(int argc, char *const argv[], const char *env_dev,
    const char *env_rate, struct exp_config *cfg, char *err, size_t errlen)
{
	const char *opt_d;	/* -d: device path */
	const char *opt_f;	/* -f: filter text */
	const char *opt_l;	/* -l: listen address */
	int ch;

	memset(cfg, 0, sizeof(*cfg));
	opt_d = NULL;
	opt_f = "";
	opt_l = EXP_DEFAULT_LISTEN;

	optind = 1;
	opterr = 0;
	while ((ch = getopt(argc, argv, ":d:f:l:")) != -1) {
		switch (ch) {
		case 'd':
			opt_d = optarg;
			break;
		case 'f':
			opt_f = optarg;
			break;
		case 'l':
			opt_l = optarg;
			break;
		case ':':
			return (exp_fail(err, errlen, "option -%c needs a value",
			    optopt));
		default:
			return (exp_fail(err, errlen, "unknown option -%c",
			    optopt));
		}
	}
	if (optind < argc)
		return (exp_fail(err, errlen, "unexpected argument '%s'",
		    argv[optind]));

	/* -d wins over TCPSTATS_DEV, which wins over the default. */
	if (opt_d == NULL)
		opt_d = (env_dev != NULL && env_dev[0] != '\0') ? env_dev :
		    EXP_DEFAULT_DEVICE;
	if (opt_d[0] == '\0')
		return (exp_fail(err, errlen, "device path (-d) is empty"));
	if (set_string(cfg->ec_device, sizeof(cfg->ec_device), opt_d,
	    "device path", err, errlen) != 0)
		return (-1);
	if (set_string(cfg->ec_filter, sizeof(cfg->ec_filter), opt_f,
	    "filter (-f)", err, errlen) != 0)
		return (-1);
	if (set_string(cfg->ec_listen, sizeof(cfg->ec_listen), opt_l,
	    "listen address (-l)", err, errlen) != 0)
		return (-1);
	if (exp_parse_listen(opt_l, &cfg->ec_addr, &cfg->ec_addrlen, err,
	    errlen) != 0)
		return (-1);
	if (exp_parse_rate(env_rate != NULL ? env_rate : EXP_DEFAULT_RATE,
	    &cfg->ec_interval_ns, err, errlen) != 0)
		return (-1);
	return (0);
}
