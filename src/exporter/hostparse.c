/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * hostparse.c -- the host's TCP counters from /proc/net/snmp and
 * /proc/net/netstat text.
 *
 * Both files hold pairs of lines with the same leading tag: first the
 * counter names, then their values, in the same order.  "Tcp:" is in
 * snmp, "TcpExt:" in netstat.  Pure: the caller supplies the text.
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

/* Tcp: entries that are levels or constants, not event counts (RFC 4022). */
static const char *const host_gauges[] = {
	"RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "CurrEstab",
};

int
exp_snake_case(const char *in, char *out, size_t outlen)
{
	size_t i, o;
	char c, prev, next;

	o = 0;
	for (i = 0; in[i] != '\0'; i++) {
		c = in[i];
		prev = i > 0 ? in[i - 1] : '\0';
		next = in[i + 1];
		if (o + 2 >= outlen)
			return (-1);
		if (isupper((unsigned char)c)) {
			/* aB -> a_b, 5B -> 5_b, ABc -> a_bc */
			if (o > 0 && out[o - 1] != '_' &&
			    (islower((unsigned char)prev) ||
			    isdigit((unsigned char)prev) ||
			    (isupper((unsigned char)prev) &&
			    islower((unsigned char)next))))
				out[o++] = '_';
			out[o++] = (char)tolower((unsigned char)c);
		} else if (islower((unsigned char)c) ||
		    isdigit((unsigned char)c)) {
			out[o++] = c;
		} else if (o > 0 && out[o - 1] != '_') {
			out[o++] = '_';
		}
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	if (o == 0)
		return (-1);
	out[o] = '\0';
	return (0);
}

/* The line starting with tag at the start of a line, or NULL. */
static const char *
find_line(const char *text, const char *tag)
{
	const char *p;
	size_t n;

	n = strlen(tag);
	for (p = text; p != NULL && *p != '\0'; ) {
		if (strncmp(p, tag, n) == 0 && (p[n] == ' ' || p[n] == '\n' ||
		    p[n] == '\0'))
			return (p);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return (NULL);
}

/* Next blank-separated token of the line at *p; length or 0 at its end. */
static size_t
next_token(const char **p)
{
	const char *s;

	s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' &&
	    *s != '\r')
		s++;
	return ((size_t)(s - *p));
}

static bool
is_host_gauge(const char *tag, const char *name)
{
	size_t i;

	if (strcmp(tag, "Tcp:") != 0)
		return (false);
	for (i = 0; i < sizeof(host_gauges) / sizeof(host_gauges[0]); i++)
		if (strcmp(host_gauges[i], name) == 0)
			return (true);
	return (false);
}

static bool
host_has(const struct exp_host_tcp *out, unsigned int upto,
    const char *name)
{
	unsigned int i;

	for (i = 0; i < upto; i++)
		if (strcmp(out->ht_c[i].hc_name, name) == 0)
			return (true);
	return (false);
}

int
exp_host_parse(const char *text, const char *prefix, const char *name_prefix,
    struct exp_host_tcp *out, char *err, size_t errlen)
{
	char raw[EXP_HOST_NAME_MAX], snake[EXP_HOST_NAME_MAX];
	const char *names, *values, *np, *vp;
	struct exp_host_counter *hc;
	unsigned int start, added;
	size_t nl, vl, plen;
	char num[32], *end;

	names = find_line(text, prefix);
	if (names == NULL)
		return (exp_fail(err, errlen, "no '%s' line", prefix));
	values = strchr(names, '\n');
	if (values == NULL || find_line(values + 1, prefix) != values + 1)
		return (exp_fail(err, errlen, "'%s' names line is not followed by "
		    "a '%s' values line", prefix, prefix));
	values++;

	plen = strlen(prefix);
	np = names + plen;
	vp = values + plen;
	start = out->ht_count;
	added = 0;
	for (;;) {
		nl = next_token(&np);
		vl = next_token(&vp);
		if (nl == 0 && vl == 0)
			break;
		if (nl == 0 || vl == 0) {
			out->ht_count = start;
			return (exp_fail(err, errlen, "'%s' lines have different "
			    "numbers of names and values", prefix));
		}
		if (nl >= sizeof(raw) || vl >= sizeof(num)) {
			out->ht_count = start;
			return (exp_fail(err, errlen, "'%s': item %u too long",
			    prefix, added + 1));
		}
		memcpy(raw, np, nl);
		raw[nl] = '\0';
		memcpy(num, vp, vl);
		num[vl] = '\0';
		np += nl;
		vp += vl;

		if (snprintf(snake, sizeof(snake), "%s", name_prefix) >=
		    (int)sizeof(snake) || exp_snake_case(raw,
		    snake + strlen(snake), sizeof(snake) - strlen(snake)) != 0) {
			out->ht_count = start;
			return (exp_fail(err, errlen, "'%s': unusable counter name "
			    "'%s'", prefix, raw));
		}
		/* Two source names folding to one metric: keep the first. */
		if (host_has(out, out->ht_count, snake))
			continue;
		if (out->ht_count >= EXP_HOST_MAX) {
			out->ht_count = start;
			return (exp_fail(err, errlen, "more than %d host counters",
			    EXP_HOST_MAX));
		}
		hc = &out->ht_c[out->ht_count];
		memset(hc, 0, sizeof(*hc));
		memcpy(hc->hc_name, snake, strlen(snake) + 1);
		snprintf(hc->hc_source, sizeof(hc->hc_source), "%s %s",
		    prefix, raw);
		hc->hc_gauge = is_host_gauge(prefix, raw);
		errno = 0;
		if (hc->hc_gauge)
			hc->hc_ivalue = strtoll(num, &end, 10);
		else
			hc->hc_uvalue = (num[0] == '-') ? 0 :
			    strtoull(num, &end, 10);
		if (num[0] == '-' && !hc->hc_gauge)
			end = num;	/* a negative count is malformed */
		if (errno != 0 || end == num || *end != '\0') {
			out->ht_count = start;
			return (exp_fail(err, errlen, "'%s': value '%s' of %s is "
			    "not a number", prefix, num, raw));
		}
		out->ht_count++;
		added++;
	}
	if (added == 0)
		return (exp_fail(err, errlen, "'%s' lines are empty", prefix));
	return ((int)added);
}
