/*
 * tsf_oracle.c -- what a filter should return, computed from the
 * fixture's own socket list with a deliberately plain model of the filter
 * semantics.  Nothing here calls the core parser or matcher.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tsf.h"

void
tsf_spec_all(struct tsf_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->states = (uint16_t)TCPSTATS_ST_ALL;
}

void
tsf_spec_cidr(struct tsf_cidr *c, const char *text)
{
	char buf[64];
	char *slash;
	int maxlen;

	cr_assert(strlen(text) < sizeof(buf), "CIDR text too long: %s", text);
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	memset(c, 0, sizeof(*c));
	cr_assert(tsf_addr_parse(buf, &c->family, c->addr),
	    "oracle: bad address in '%s'", text);
	maxlen = c->family == TCPSTATS_AF_INET ? 32 : 128;
	c->plen = (uint8_t)(slash != NULL ? atoi(slash + 1) : maxlen);
	/* An IPv4-mapped prefix of /96 or longer is an IPv4 prefix. */
	if (c->family == TCPSTATS_AF_INET6 && c->plen >= 96 &&
	    memcmp(c->addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(c->addr, c->addr + 12, 4);
		memset(c->addr + 4, 0, 12);
		c->family = TCPSTATS_AF_INET;
		c->plen = (uint8_t)(c->plen - 96);
	}
}

static bool
in_ranges(uint16_t port, const struct tsf_range *r, int n)
{
	int i;

	if (n == 0)
		return (true);
	for (i = 0; i < n; i++)
		if (port >= r[i].lo && port <= r[i].hi)
			return (true);
	return (false);
}

/* Bit-by-bit prefix comparison: slow and obviously right. */
static bool
in_prefix(const uint8_t *addr, const struct tsf_cidr *c)
{
	int bit;

	for (bit = 0; bit < c->plen; bit++) {
		int byte = bit / 8, shift = 7 - bit % 8;

		if (((addr[byte] >> shift) & 1) !=
		    ((c->addr[byte] >> shift) & 1))
			return (false);
	}
	return (true);
}

static bool
in_cidrs(uint8_t family, const uint8_t *addr, const struct tsf_cidr *c,
    int n)
{
	int i;

	if (n == 0)
		return (true);
	for (i = 0; i < n; i++)
		if (c[i].family == family && in_prefix(addr, &c[i]))
			return (true);
	return (false);
}

bool
tsf_spec_admits(const struct tsf_spec *sp, const struct tsf_sock *s)
{
	if (s->gone)
		return (false);
	if (sp->family != 0 && sp->family != s->family)
		return (false);
	if ((sp->states & (1u << s->state)) == 0)
		return (false);
	if (!in_ranges(s->lport, sp->lport, sp->nlport))
		return (false);
	if (!in_ranges(s->rport, sp->rport, sp->nrport))
		return (false);
	if (!in_cidrs(s->family, s->laddr, sp->laddr, sp->nladdr))
		return (false);
	if (!in_cidrs(s->family, s->raddr, sp->raddr, sp->nraddr))
		return (false);
	return (true);
}

size_t
tsf_expected_count(const struct tsf_fixture *fx, const struct tsf_spec *sp)
{
	size_t i, n;

	for (i = n = 0; i < fx->n; i++)
		if (tsf_spec_admits(sp, &fx->s[i]))
			n++;
	return (n);
}

/* A record is the fixture's if one of its ports is a fixture listener's. */
static bool
record_is_ours(const struct tcpstats_record *r, const struct tsf_fixture *fx)
{
	size_t i;

	for (i = 0; i < fx->n; i++) {
		if (fx->s[i].role != TSF_LISTENER)
			continue;
		if (r->tr_identity.tid_lport == fx->s[i].lport ||
		    r->tr_identity.tid_rport == fx->s[i].lport)
			return (true);
	}
	return (false);
}

size_t
tsf_count_ours(const struct tsf_records *recs, const struct tsf_fixture *fx)
{
	size_t i, n;

	for (i = n = 0; i < recs->n; i++)
		if (record_is_ours(&recs->rec[i], fx))
			n++;
	return (n);
}

static bool
same_socket(const struct tcpstats_record *r, const struct tsf_sock *s)
{
	const struct tcpstats_identity *id = &r->tr_identity;
	size_t alen;

	alen = s->family == TCPSTATS_AF_INET ? 4 : 16;
	return (id->tid_family == s->family && id->tid_lport == s->lport &&
	    id->tid_rport == s->rport &&
	    memcmp(id->tid_laddr, s->laddr, alen) == 0 &&
	    memcmp(id->tid_raddr, s->raddr, alen) == 0);
}

void
tsf_expect_exact(const struct tsf_records *recs, const struct tsf_fixture *fx,
    const struct tsf_spec *sp, const char *what)
{
	char b[200], msg[4096];
	bool *used;
	size_t i, j, expected, ours, bad;
	int off;

	used = calloc(recs->n + 1, sizeof(*used));
	cr_assert(used != NULL, "calloc");
	off = 0;
	bad = 0;
	expected = tsf_expected_count(fx, sp);
	ours = tsf_count_ours(recs, fx);

	/* Every expected socket is reported exactly once, in its state. */
	for (i = 0; i < fx->n; i++) {
		const struct tsf_sock *s = &fx->s[i];
		size_t hits = 0;

		if (!tsf_spec_admits(sp, s))
			continue;
		for (j = 0; j < recs->n; j++) {
			if (used[j] || !same_socket(&recs->rec[j], s))
				continue;
			used[j] = true;
			hits++;
			if ((recs->raw_fields[j] & TCPSTATS_F_STATE) != 0 &&
			    recs->rec[j].tr_state.tst_state != s->state) {
				tsf_format_sock(s, b, sizeof(b));
				off += snprintf(msg + off, sizeof(msg) -
				    (size_t)off, "\n  wrong state %u for %s",
				    recs->rec[j].tr_state.tst_state, b);
				bad++;
			}
		}
		if (hits != 1) {
			tsf_format_sock(s, b, sizeof(b));
			off += snprintf(msg + off, sizeof(msg) - (size_t)off,
			    "\n  %s reported %zu times, expected once",
			    b, hits);
			bad++;
		}
		if (off > (int)sizeof(msg) - 300)
			break;
	}
	/* Nothing of ours that the filter should have dropped. */
	for (j = 0; j < recs->n && off < (int)sizeof(msg) - 300; j++) {
		if (used[j] || !record_is_ours(&recs->rec[j], fx))
			continue;
		tsf_format_record(&recs->rec[j], b, sizeof(b));
		off += snprintf(msg + off, sizeof(msg) - (size_t)off,
		    "\n  unexpected record %s", b);
		bad++;
	}
	free(used);
	cr_assert(bad == 0, "filter \"%s\": expected %zu of the fixture's "
	    "%zu sockets, got %zu records of ours (%zu in all):%s", what,
	    expected, fx->n, ours, recs->n, msg);
}
