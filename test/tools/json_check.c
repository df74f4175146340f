/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * json_check.c -- a strict JSON checker (see json_check.h).  Recursive
 * descent with a depth limit; strings must be valid UTF-8 with legal
 * escapes; numbers follow the grammar exactly.
 */

#include <string.h>

#include "json_check.h"

#define	JC_MAX_DEPTH	32

static const char *jc_value(const char *p, int depth);

static const char *
jc_ws(const char *p)
{

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return (p);
}

static int
jc_hex(char c)
{

	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/* Length of the UTF-8 sequence at p, or 0 if it is not valid. */
static size_t
jc_utf8(const unsigned char *p)
{
	size_t n, i;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return (0);
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return (0);
	return (n);
}

static const char *
jc_string(const char *p)
{
	size_t n;
	int i;

	if (*p++ != '"')
		return (NULL);
	for (;;) {
		if (*p == '"')
			return (p + 1);
		if ((unsigned char)*p < 0x20)
			return (NULL);	/* also the end of the text */
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (i = 1; i <= 4; i++)
					if (!jc_hex(p[i]))
						return (NULL);
				p += 5;
			} else if (*p != '\0' &&
			    strchr("\"\\/bfnrt", *p) != NULL)
				p++;
			else
				return (NULL);
			continue;
		}
		n = jc_utf8((const unsigned char *)p);
		if (n == 0)
			return (NULL);
		p += n;
	}
}

static const char *
jc_number(const char *p)
{

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return (NULL);
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return (NULL);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return (NULL);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return (p);
}

static const char *
jc_container(const char *p, int depth, char close, bool object)
{

	p = jc_ws(p + 1);
	if (*p == close)
		return (p + 1);
	for (;;) {
		if (object) {
			p = jc_string(p);
			if (p == NULL)
				return (NULL);
			p = jc_ws(p);
			if (*p++ != ':')
				return (NULL);
		}
		p = jc_value(p, depth + 1);
		if (p == NULL)
			return (NULL);
		p = jc_ws(p);
		if (*p == close)
			return (p + 1);
		if (*p++ != ',')
			return (NULL);
	}
}

static const char *
jc_value(const char *p, int depth)
{

	if (depth > JC_MAX_DEPTH)
		return (NULL);
	p = jc_ws(p);
	switch (*p) {
	case '{':
		return (jc_container(p, depth, '}', true));
	case '[':
		return (jc_container(p, depth, ']', false));
	case '"':
		return (jc_string(p));
	case 't':
		return (strncmp(p, "true", 4) == 0 ? p + 4 : NULL);
	case 'f':
		return (strncmp(p, "false", 5) == 0 ? p + 5 : NULL);
	case 'n':
		return (strncmp(p, "null", 4) == 0 ? p + 4 : NULL);
	default:
		return (jc_number(p));
	}
}

bool
json_valid(const char *text)
{
	const char *end;

	end = jc_value(text, 0);
	return (end != NULL && *jc_ws(end) == '\0');
}

bool
json_member(const char *text, const char *key, char *out, size_t outlen)
{
	const char *p, *kstart, *vstart, *vend;
	size_t klen, vlen;

	if (!json_valid(text))
		return (false);
	p = jc_ws(text);
	if (*p != '{')
		return (false);
	p = jc_ws(p + 1);
	while (*p == '"') {
		kstart = p + 1;
		p = jc_string(p);
		klen = (size_t)(p - 1 - kstart);
		p = jc_ws(p) + 1;	/* the ':' */
		vstart = jc_ws(p);
		vend = jc_value(vstart, 1);
		if (klen == strlen(key) && memcmp(kstart, key, klen) == 0) {
			vlen = (size_t)(vend - vstart);
			if (vlen >= outlen)
				return (false);
			memcpy(out, vstart, vlen);
			out[vlen] = '\0';
			return (true);
		}
		p = jc_ws(vend);
		if (*p == ',')
			p = jc_ws(p + 1);
	}
	return (false);
}
