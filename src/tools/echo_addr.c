/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * echo_addr.c -- tcp-echo's address arguments (see echo_addr.h).
 *
 * Syntax: an IPv4 address is a dotted quad as inet_pton(3) takes it; an
 * IPv6 address must be in brackets, since its colons would otherwise be
 * ambiguous with the port's.  Ports are decimal, 1..65535 (0 where the
 * caller allows it), without sign or leading zeros.  Zone ids are refused.
 */

#include <arpa/inet.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "echo_addr.h"

static int	ea_fail(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static int
ea_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

static int
ea_parse_port(const char *p, size_t n, int flags, const char *item,
    uint16_t *port, char *err, size_t errlen)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0)
		return (ea_fail(err, errlen, "'%s': missing port after ':'",
		    item));
	if (n > 5)
		return (ea_fail(err, errlen,
		    "'%s': port must be 0..65535", item));
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (ea_fail(err, errlen,
			    "'%s': port must be decimal digits", item));
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (n > 1 && p[0] == '0')
		return (ea_fail(err, errlen,
		    "'%s': port has a leading zero", item));
	if (v > 65535)
		return (ea_fail(err, errlen,
		    "'%s': port must be 0..65535", item));
	if (v == 0 && (flags & EA_PORT_ZERO_OK) == 0)
		return (ea_fail(err, errlen,
		    "'%s': port 0 is only allowed for listeners", item));
	*port = (uint16_t)v;
	return (0);
}

int
ea_parse_endpoint(const char *text, size_t len, int flags,
    struct ea_endpoint *out, char *err, size_t errlen)
{
	char item[128], host[INET6_ADDRSTRLEN + 1];
	struct sockaddr_in6 *sin6;
	struct sockaddr_in *sin;
	const char *colon, *hstart, *hend;
	uint16_t port;
	size_t hlen;
	bool v6;

	if (len == 0)
		return (ea_fail(err, errlen, "empty address"));
	if (len >= sizeof(item))
		return (ea_fail(err, errlen, "address of %zu bytes is too long",
		    len));
	memcpy(item, text, len);
	item[len] = '\0';

	v6 = (item[0] == '[');
	if (v6) {
		hstart = item + 1;
		hend = strchr(hstart, ']');
		if (hend == NULL)
			return (ea_fail(err, errlen, "'%s': missing ']'",
			    item));
		if (hend[1] != ':')
			return (ea_fail(err, errlen,
			    "'%s': expected ':PORT' after ']'", item));
		colon = hend + 1;
	} else {
		hstart = item;
		colon = strrchr(item, ':');
		if (colon == NULL)
			return (ea_fail(err, errlen,
			    "'%s': expected ADDR:PORT", item));
		if (memchr(item, ':', (size_t)(colon - item)) != NULL)
			return (ea_fail(err, errlen,
			    "'%s': IPv6 addresses go in brackets, "
			    "as [ADDR]:PORT", item));
		hend = colon;
	}
	hlen = (size_t)(hend - hstart);
	if (hlen == 0)
		return (ea_fail(err, errlen, "'%s': missing address", item));
	if (hlen >= sizeof(host))
		return (ea_fail(err, errlen, "'%s': address too long", item));
	memcpy(host, hstart, hlen);
	host[hlen] = '\0';
	if (strchr(host, '%') != NULL)
		return (ea_fail(err, errlen,
		    "'%s': zone ids are not supported", item));
	if (ea_parse_port(colon + 1, strlen(colon + 1), flags, item, &port,
	    err, errlen) != 0)
		return (-1);

	memset(out, 0, sizeof(*out));
	if (v6) {
		sin6 = (struct sockaddr_in6 *)&out->ee_addr;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return (ea_fail(err, errlen,
			    "'%s': '%s' is not an IPv6 address", item, host));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		out->ee_len = sizeof(*sin6);
	} else {
		sin = (struct sockaddr_in *)&out->ee_addr;
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return (ea_fail(err, errlen,
			    "'%s': '%s' is not an IPv4 address", item, host));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		out->ee_len = sizeof(*sin);
	}
#ifdef __FreeBSD__
	out->ee_addr.ss_len = (uint8_t)out->ee_len;
#endif
	return (0);
}

int
ea_parse_list(const char *text, int flags, struct ea_endpoint *out, int max,
    char *err, size_t errlen)
{
	const char *p, *comma;
	size_t n;
	int count = 0;

	if (text[0] == '\0')
		return (ea_fail(err, errlen, "empty address list"));
	for (p = text;; p = comma + 1) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0)
			return (ea_fail(err, errlen,
			    "empty item in address list '%s'", text));
		if (count == max)
			return (ea_fail(err, errlen,
			    "more than %d addresses in '%s'", max, text));
		if (ea_parse_endpoint(p, n, flags, &out[count], err,
		    errlen) != 0)
			return (-1);
		count++;
		if (comma == NULL)
			break;
	}
	return (count);
}

static int
ea_parse_v4(const char *s, size_t n, uint32_t *out, char *err, size_t errlen)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (n == 0 || n >= sizeof(buf))
		return (ea_fail(err, errlen, "'%.*s' is not an IPv4 address",
		    (int)n, s));
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return (ea_fail(err, errlen, "'%s' is not an IPv4 address",
		    buf));
	*out = ntohl(a.s_addr);
	return (0);
}

int
ea_parse_range(const char *text, uint32_t *first, uint32_t *last, char *err,
    size_t errlen)
{
	const char *dash;

	dash = strchr(text, '-');
	if (dash == NULL) {
		if (ea_parse_v4(text, strlen(text), first, err, errlen) != 0)
			return (-1);
		*last = *first;
		return (0);
	}
	if (ea_parse_v4(text, (size_t)(dash - text), first, err, errlen) != 0 ||
	    ea_parse_v4(dash + 1, strlen(dash + 1), last, err, errlen) != 0)
		return (-1);
	if (*first > *last)
		return (ea_fail(err, errlen,
		    "source range '%s' runs backwards", text));
	return (0);
}

int
ea_format(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;
	char a[INET6_ADDRSTRLEN];
	int n;

	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		n = snprintf(buf, len, "%s %u", a,
		    (unsigned int)ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		n = snprintf(buf, len, "%s %u", a,
		    (unsigned int)ntohs(sin6->sin6_port));
	} else
		n = snprintf(buf, len, "? 0");
	return ((n < 0 || (size_t)n >= len) ? -1 : n);
}
