/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * unit_helpers.h -- shared utilities of the core unit tests: parse wrappers
 * that assert with readable messages, column oracles computed from the
 * input text, and builders for expected filters, CIDRs and connections.
 *
 * Expected values are built here from the test's own knowledge (libc's
 * inet_pton for addresses, hand-set structs for filters), never by calling
 * the code under test.
 */

#ifndef UNIT_HELPERS_H
#define	UNIT_HELPERS_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "tcpstats_filter.h"

/* Byte that fills output structs before a call that must not touch them. */
#define	UT_SENTINEL	0xa5

/* Buffer size for printable copies of filter texts in messages. */
#define	UT_SHOW_MAX	(4 * (TCPSTATS_FILTER_MAXLEN + 1) + 1)

/*
 * Printable copy of text for messages: control bytes and bytes >= 0x80 are
 * written as \xNN so a failing message shows exactly what was parsed.
 */
static inline const char *
ut_show(const char *text, char *buf, size_t len)
{
	size_t i, o;

	o = 0;
	buf[0] = '\0';
	if (text == NULL)
		return ("(null)");
	for (i = 0; text[i] != '\0' && o + 5 < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return (buf);
}

/*
 * 1-based column of the nth (1-based) occurrence of needle in text, moved
 * by off bytes.  The oracle for error columns: tests name the bad item by
 * its text instead of hard-coding a number.
 */
static inline unsigned int
ut_col(const char *text, const char *needle, unsigned int nth, int off)
{
	const char *p, *hit;
	unsigned int n;

	hit = NULL;
	p = text;
	for (n = 0; n < nth; n++) {
		hit = strstr(p, needle);
		cr_assert_not_null(hit, "test bug: '%s' occurs fewer than %u "
		    "times in \"%s\"", needle, nth, text);
		p = hit + 1;
	}
	return ((unsigned int)(hit - text) + 1u + (unsigned int)off);
}

/* 1-based column of the last occurrence of needle in text. */
static inline unsigned int
ut_col_last(const char *text, const char *needle)
{
	const char *p, *hit, *last;

	last = NULL;
	p = text;
	while ((hit = strstr(p, needle)) != NULL) {
		last = hit;
		p = hit + 1;
	}
	cr_assert_not_null(last, "test bug: '%s' not in \"%s\"", needle, text);
	return ((unsigned int)(last - text) + 1u);
}

/* Parse text that must be accepted. */
static inline void
ut_parse_ok(const char *text, const struct tcpstats_profiles *p,
    struct tcpstats_filter *f)
{
	struct tcpstats_errinfo err;
	char show[UT_SHOW_MAX];
	int rc;

	memset(&err, 0, sizeof(err));
	rc = tcpstats_filter_parse(text, p, f, &err);
	cr_assert_eq(rc, TCPSTATS_OK, "parse(\"%s\") returned %d at column "
	    "%u (%s): %s; expected success", ut_show(text, show, sizeof(show)),
	    rc, err.tei_column, err.tei_directive, err.tei_message);
}

/*
 * Parse text that must be rejected.  Also checks what every rejection
 * owes its caller: TCPSTATS_E_INVAL, *out untouched, tei_errno 0, a
 * non-empty NUL-terminated lower-case message without a trailing period,
 * a NUL-terminated directive, a column >= 1.
 */
static inline void
ut_parse_err(const char *text, const struct tcpstats_profiles *p,
    struct tcpstats_errinfo *err)
{
	struct tcpstats_filter out, sentinel;
	char show[UT_SHOW_MAX];
	int rc;

	memset(&out, UT_SENTINEL, sizeof(out));
	memset(&sentinel, UT_SENTINEL, sizeof(sentinel));
	memset(err, 0x5a, sizeof(*err));
	ut_show(text, show, sizeof(show));
	rc = tcpstats_filter_parse(text, p, &out, err);
	cr_assert_eq(rc, TCPSTATS_E_INVAL, "parse(\"%s\") returned %d; "
	    "expected TCPSTATS_E_INVAL (%d)", show, rc, TCPSTATS_E_INVAL);
	cr_assert_not_null(memchr(err->tei_message, '\0',
	    sizeof(err->tei_message)), "parse(\"%s\"): tei_message is not "
	    "NUL-terminated within %zu bytes", show,
	    sizeof(err->tei_message));
	cr_assert_not_null(memchr(err->tei_directive, '\0',
	    sizeof(err->tei_directive)), "parse(\"%s\"): tei_directive is not "
	    "NUL-terminated within %zu bytes", show,
	    sizeof(err->tei_directive));
	cr_expect_neq(err->tei_message[0], '\0',
	    "parse(\"%s\"): expected an error message, got none", show);
	cr_expect(err->tei_message[0] < 'A' || err->tei_message[0] > 'Z',
	    "parse(\"%s\"): expected a lower-case message, got '%s'", show,
	    err->tei_message);
	cr_expect(err->tei_message[0] == '\0' || err->tei_message[strlen(
	    err->tei_message) - 1] != '.', "parse(\"%s\"): expected no "
	    "trailing period, got '%s'", show, err->tei_message);
	cr_expect_eq(err->tei_errno, 0, "parse(\"%s\"): expected tei_errno 0 "
	    "(the provider fills it), got %d", show, err->tei_errno);
	cr_expect_geq(err->tei_column, 1u, "parse(\"%s\"): expected a column "
	    ">= 1, got %u", show, err->tei_column);
	cr_expect(memcmp(&out, &sentinel, sizeof(out)) == 0,
	    "parse(\"%s\") failed but modified *out; expected it untouched",
	    show);
}

/* Rejection at an exact column with a message containing msgpart. */
static inline void
ut_expect_reject(const char *text, const struct tcpstats_profiles *p,
    unsigned int column, const char *msgpart)
{
	struct tcpstats_errinfo err;
	char show[UT_SHOW_MAX];

	ut_parse_err(text, p, &err);
	ut_show(text, show, sizeof(show));
	cr_expect_eq(err.tei_column, column, "parse(\"%s\"): expected column "
	    "%u, got %u (%s)", show, column, err.tei_column, err.tei_message);
	if (msgpart != NULL && msgpart[0] != '\0')
		cr_expect_not_null(strstr(err.tei_message, msgpart),
		    "parse(\"%s\"): expected the message to contain '%s', "
		    "got '%s'", show, msgpart, err.tei_message);
}

/* An expected filter as parse("") must produce it, built by hand. */
static inline void
ut_filter_base(struct tcpstats_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->tf_states = TCPSTATS_ST_ALL;
	f->tf_fields = TCPSTATS_F_DEFAULT;
	f->tf_format = TCPSTATS_FMT_FULL;
}

/* Compare two filters byte for byte; on a difference say where. */
static inline void
ut_filter_eq(const struct tcpstats_filter *got,
    const struct tcpstats_filter *want, const char *what)
{
	const unsigned char *g = (const unsigned char *)got;
	const unsigned char *w = (const unsigned char *)want;
	size_t i;

	for (i = 0; i < sizeof(*got); i++)
		if (g[i] != w[i])
			break;
	cr_assert_eq(i, sizeof(*got), "%s: compiled filter differs from the "
	    "expected one at byte %zu (got 0x%02x, expected 0x%02x); flags "
	    "0x%x/0x%x states 0x%x/0x%x fields 0x%x/0x%x format %u/%u "
	    "nlport %u/%u nrport %u/%u nladdr %u/%u nraddr %u/%u", what, i,
	    i < sizeof(*got) ? g[i] : 0, i < sizeof(*got) ? w[i] : 0,
	    got->tf_flags, want->tf_flags, got->tf_states, want->tf_states,
	    got->tf_fields, want->tf_fields, got->tf_format, want->tf_format,
	    got->tf_nlport, want->tf_nlport, got->tf_nrport, want->tf_nrport,
	    got->tf_nladdr, want->tf_nladdr, got->tf_nraddr, want->tf_nraddr);
}

/*
 * An expected CIDR from an address in text (libc's inet_pton is the
 * oracle) and a prefix length.
 */
static inline void
ut_cidr(struct tcpstats_cidr *c, const char *addr, unsigned int plen)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (strchr(addr, ':') != NULL) {
		c->tci_family = TCPSTATS_AF_INET6;
		rc = inet_pton(AF_INET6, addr, c->tci_addr);
	} else {
		c->tci_family = TCPSTATS_AF_INET;
		rc = inet_pton(AF_INET, addr, c->tci_addr);
	}
	cr_assert_eq(rc, 1, "test bug: inet_pton rejects '%s'", addr);
	c->tci_plen = (uint8_t)plen;
}

/* A connection view built by hand; addresses through inet_pton. */
static inline void
ut_conn(struct tcpstats_conn *c, unsigned int family, unsigned int state,
    unsigned int lport, unsigned int rport, const char *laddr,
    const char *raddr)
{
	int af;

	memset(c, 0, sizeof(*c));
	c->tcn_family = (uint8_t)family;
	c->tcn_state = (uint8_t)state;
	c->tcn_lport = (uint16_t)lport;
	c->tcn_rport = (uint16_t)rport;
	af = family == TCPSTATS_AF_INET6 ? AF_INET6 : AF_INET;
	cr_assert_eq(inet_pton(af, laddr, c->tcn_laddr), 1,
	    "test bug: bad local address '%s'", laddr);
	cr_assert_eq(inet_pton(af, raddr, c->tcn_raddr), 1,
	    "test bug: bad remote address '%s'", raddr);
}

/* Name of a matcher verdict for messages. */
static inline const char *
ut_verdict(int v)
{
	static const char *const names[] = { "SKIP_GENCNT", "SKIP_CRED",
	    "SKIP_IPVER", "SKIP_STATE", "SKIP_PORT", "SKIP_ADDR", "?",
	    "MATCH" };

	if (v < 0 || v > TCPSTATS_MATCH)
		return ("out of range");
	return (names[v]);
}

#endif /* !UNIT_HELPERS_H */
