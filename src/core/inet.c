/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * inet.c -- strict IPv4 and IPv6 address text, in and out.
 *
 * In: dotted quads with exactly four decimal parts and no leading zeros;
 * the IPv6 text forms of RFC 4291 section 2.2 (groups of 1..4 hex digits,
 * at most one "::", an optional dotted-quad tail in the last 32 bits).
 * Out: dotted quads and the RFC 5952 form.  Nothing here looks at zone
 * ids or prefixes; the parser strips those first.
 */

#include "core_impl.h"

/* Bits 0..32; see core_impl.h. */
const uint8_t ts_pfx_mask[33][4] = {
	{ 0x00, 0x00, 0x00, 0x00 }, { 0x80, 0x00, 0x00, 0x00 },	/* 0-1 */
	{ 0xc0, 0x00, 0x00, 0x00 }, { 0xe0, 0x00, 0x00, 0x00 },	/* 2-3 */
	{ 0xf0, 0x00, 0x00, 0x00 }, { 0xf8, 0x00, 0x00, 0x00 },	/* 4-5 */
	{ 0xfc, 0x00, 0x00, 0x00 }, { 0xfe, 0x00, 0x00, 0x00 },	/* 6-7 */
	{ 0xff, 0x00, 0x00, 0x00 }, { 0xff, 0x80, 0x00, 0x00 },	/* 8-9 */
	{ 0xff, 0xc0, 0x00, 0x00 }, { 0xff, 0xe0, 0x00, 0x00 },	/* 10-11 */
	{ 0xff, 0xf0, 0x00, 0x00 }, { 0xff, 0xf8, 0x00, 0x00 },	/* 12-13 */
	{ 0xff, 0xfc, 0x00, 0x00 }, { 0xff, 0xfe, 0x00, 0x00 },	/* 14-15 */
	{ 0xff, 0xff, 0x00, 0x00 }, { 0xff, 0xff, 0x80, 0x00 },	/* 16-17 */
	{ 0xff, 0xff, 0xc0, 0x00 }, { 0xff, 0xff, 0xe0, 0x00 },	/* 18-19 */
	{ 0xff, 0xff, 0xf0, 0x00 }, { 0xff, 0xff, 0xf8, 0x00 },	/* 20-21 */
	{ 0xff, 0xff, 0xfc, 0x00 }, { 0xff, 0xff, 0xfe, 0x00 },	/* 22-23 */
	{ 0xff, 0xff, 0xff, 0x00 }, { 0xff, 0xff, 0xff, 0x80 },	/* 24-25 */
	{ 0xff, 0xff, 0xff, 0xc0 }, { 0xff, 0xff, 0xff, 0xe0 },	/* 26-27 */
	{ 0xff, 0xff, 0xff, 0xf0 }, { 0xff, 0xff, 0xff, 0xf8 },	/* 28-29 */
	{ 0xff, 0xff, 0xff, 0xfc }, { 0xff, 0xff, 0xff, 0xfe },	/* 30-31 */
	{ 0xff, 0xff, 0xff, 0xff },	/* 32 */
};

static int
ts_hexval(unsigned char c)
{

	if (ts_isdigit(c))
		return (c - '0');
	c = ts_tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

const char *
ts_inet4_parse(const char *s, size_t n, uint8_t out[4])
{
	unsigned int part, v;
	size_t i, start;

	i = 0;
	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i == n)
				return ("expected 4 parts a.b.c.d");
			if (s[i] != '.')
				return ("expected decimal digits and dots");
			i++;
		}
		start = i;
		v = 0;
		while (i < n && ts_isdigit((unsigned char)s[i]) &&
		    i - start < 4) {
			v = v * 10 + (unsigned int)(s[i] - '0');
			i++;
		}
		if (i == start) {
			if (i == n || s[i] == '.')
				return ("empty part");
			return ("expected decimal digits and dots");
		}
		if (i - start > 3 || v > 255)
			return ("a part is above 255");
		if (s[start] == '0' && i - start > 1)
			return ("leading zeros are not allowed");
		out[part] = (uint8_t)v;
	}
	if (i != n) {
		if (s[i] == '.')
			return ("expected 4 parts a.b.c.d");
		return ("expected decimal digits and dots");
	}
	return (NULL);
}

const char *
ts_inet6_parse(const char *s, size_t n, uint8_t out[16])
{
	uint16_t w[8];
	uint8_t v4[4];
	size_t i, j, k;
	int dc, nw, h;
	unsigned int v;

	if (n == 0)
		return ("empty address");
	nw = 0;
	dc = -1;		/* group index where "::" stands, if any */
	i = 0;
	if (s[0] == ':') {
		if (n < 2 || s[1] != ':')
			return ("leading single ':'");
		if (n > 2 && s[2] == ':')
			return ("':::' is not allowed");
		dc = 0;
		i = 2;
	}
	while (i < n) {
		/* One group of hex digits, or a dotted-quad tail. */
		v = 0;
		for (j = i; j < n && (h = ts_hexval((unsigned char)s[j])) >= 0;
		    j++)
			if (j - i < 4)
				v = (v << 4) | (unsigned int)h;
		if (j < n && s[j] == '.') {
			for (k = j; k < n; k++)
				if (s[k] == ':')
					return ("an IPv4 tail must be the "
					    "last 32 bits");
			if (nw > 6 || (dc >= 0 && nw > 5))
				return ("too many groups before the IPv4 "
				    "tail");
			if (ts_inet4_parse(s + i, n - i, v4) != NULL)
				return ("invalid IPv4 tail");
			w[nw++] = (uint16_t)(v4[0] << 8 | v4[1]);
			w[nw++] = (uint16_t)(v4[2] << 8 | v4[3]);
			i = n;
			break;
		}
		if (j == i)
			return ("expected hex digits, ':' or an IPv4 tail");
		if (j - i > 4)
			return ("a group has more than 4 hex digits");
		if (nw == 8)
			return ("more than 8 groups");
		w[nw++] = (uint16_t)v;
		i = j;
		if (i == n)
			break;
		if (s[i] != ':')
			return ("expected hex digits, ':' or an IPv4 tail");
		i++;
		if (i == n)
			return ("trailing single ':'");
		if (s[i] == ':') {
			if (dc >= 0)
				return ("'::' may appear only once");
			if (i + 1 < n && s[i + 1] == ':')
				return ("':::' is not allowed");
			dc = nw;
			i++;
		}
	}
	if (dc < 0 && nw != 8)
		return (nw > 8 ? "more than 8 groups" :
		    "fewer than 8 groups and no '::'");
	if (dc >= 0 && nw > 7)
		return ("'::' must stand for at least one group");

	memset(out, 0, 16);
	for (k = 0; k < (size_t)nw; k++) {
		/* Groups after "::" move to the end. */
		j = (dc >= 0 && (int)k >= dc) ? k + (size_t)(8 - nw) : k;
		out[2 * j] = (uint8_t)(w[k] >> 8);
		out[2 * j + 1] = (uint8_t)w[k];
	}
	return (NULL);
}

static void
ts_inet4_format(struct ts_wbuf *wb, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			ts_wb_char(wb, '.');
		ts_wb_uint(wb, a[i]);
	}
}

static void
ts_hex16(struct ts_wbuf *wb, unsigned int v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[4];
	size_t i;

	i = sizeof(tmp);
	do {
		tmp[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v != 0);
	ts_wb_mem(wb, tmp + i, sizeof(tmp) - i);
}

void
ts_inet_format(struct ts_wbuf *wb, uint8_t family, const uint8_t *a)
{
	static const uint8_t mapped[12] = {
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned int w[8];
	int i, run, best, bestlen;

	if (family == TCPSTATS_AF_INET) {
		ts_inet4_format(wb, a);
		return;
	}
	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		ts_wb_str(wb, "::ffff:");
		ts_inet4_format(wb, a + 12);
		return;
	}
	for (i = 0; i < 8; i++)
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];

	/* The first longest run of two or more zero groups becomes "::". */
	best = -1;
	bestlen = 1;
	for (i = 0; i < 8; i += run > 0 ? run : 1) {
		for (run = 0; i + run < 8 && w[i + run] == 0; run++)
			continue;
		if (run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			ts_wb_str(wb, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			ts_wb_char(wb, ':');
		ts_hex16(wb, w[i]);
	}
}

void
ts_cidr_format(struct ts_wbuf *wb, const struct tcpstats_cidr *c)
{

	ts_inet_format(wb, c->tci_family, c->tci_addr);
	if (c->tci_plen != (c->tci_family == TCPSTATS_AF_INET ? 32 : 128)) {
		ts_wb_char(wb, '/');
		ts_wb_uint(wb, c->tci_plen);
	}
}
