/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * filter_parse.c -- filter text to struct tcpstats_filter.
 *
 * One pass over the text: blanks separate directives, and each directive
 * is compiled straight into a filter on the stack.  Two paths do that: a
 * fast one that reads each byte once and knows only well-formed text, and
 * the checking path, which splits the directive and its lists first and
 * says exactly what is wrong; a directive the fast path does not accept
 * goes to the checking path (see "the fast path" below).  Only a text
 * that parses completely is copied to the caller, so a rejected filter
 * changes nothing.  A profile= reference is remembered and its stored
 * text parsed afterwards into the same state (a second pass, not a
 * recursive call); errors found there point at the profile= directive.
 */

#include "core_impl.h"

#define	TS_NOPOS	UINT32_MAX
#define	TS_BIT(k)	(1u << (k))
#define	TS_ONCE_KEYS	(TS_BIT(TS_K_LPORT) | TS_BIT(TS_K_RPORT) | \
	TS_BIT(TS_K_INCLUDE) | TS_BIT(TS_K_IPV4) | TS_BIT(TS_K_IPV6) | \
	TS_BIT(TS_K_LADDR) | TS_BIT(TS_K_RADDR) | TS_BIT(TS_K_FIELDS) | \
	TS_BIT(TS_K_FORMAT) | TS_BIT(TS_K_PROFILE))

/* Bytes of a filter before its address lists, which end it. */
#define	TS_FILTER_HEAD	offsetof(struct tcpstats_filter, tf_laddr)
_Static_assert((sizeof(struct tcpstats_filter) - TS_FILTER_HEAD) % 64 == 0,
    "the address lists are zeroed 64 bytes at a time");
_Static_assert(offsetof(struct tcpstats_filter, tf_raddr) ==
    TS_FILTER_HEAD + sizeof(((struct tcpstats_filter *)0)->tf_laddr) &&
    sizeof(struct tcpstats_filter) == offsetof(struct tcpstats_filter,
    tf_raddr) + sizeof(((struct tcpstats_filter *)0)->tf_raddr),
    "the address lists end the filter, one after the other");

/* Parser state; lives on the stack of tcpstats_filter_parse(). */
struct ts_parse {
	struct tcpstats_filter	p_f;		/* filter being built */
	struct tcpstats_errinfo	*p_err;		/* caller's, or a dummy */
	struct ts_wbuf		p_msg;		/* into p_err->tei_message */
	const struct tcpstats_profiles *p_profiles;
	const struct tcpstats_profile *p_ref;	/* profile= target */
	uint32_t		p_refcol;	/* its column in the main */
	bool			p_inprof;	/* second pass: p_ref's text */
	unsigned int		p_flags;	/* TS_PARSE_* */
	uint32_t		p_seen;		/* TS_BIT(TS_K_*) given */
	uint16_t		p_named;	/* states named so far */
};

/* What each value-taking directive expects, for "needs a value". */
static const char *const ts_expects[TS_NKEYS] = {
	[TS_K_LPORT] =	 "a port 1..65535 or a range lo-hi",
	[TS_K_RPORT] =	 "a port 1..65535 or a range lo-hi",
	[TS_K_EXCLUDE] = "TCP state names",
	[TS_K_INCLUDE] = "TCP state names",
	[TS_K_LADDR] =	 "IPv4 or IPv6 addresses or CIDRs",
	[TS_K_RADDR] =	 "IPv4 or IPv6 addresses or CIDRs",
	[TS_K_FIELDS] =	 "field group names",
	[TS_K_FORMAT] =	 "full or compact",
	[TS_K_PROFILE] = "a profile name",
};

/* --- error reports ---------------------------------------------------- */

/*
 * Start an error report at a 1-based column, naming a key (or none with
 * key < 0).  In the profile pass the column and directive are those of
 * the profile= directive and the message says which profile.
 */
static void
ts_fail(struct ts_parse *p, uint32_t col, int key)
{
	struct tcpstats_errinfo *e;

	e = p->p_err;
	e->tei_errno = 0;
	ts_wb_init(&p->p_msg, e->tei_message, sizeof(e->tei_message));
	if (p->p_inprof) {
		e->tei_column = p->p_refcol;
		ts_strlcpy(e->tei_directive, "profile",
		    sizeof(e->tei_directive));
		ts_wb_str(&p->p_msg, "in profile '");
		ts_wb_str(&p->p_msg, p->p_ref->tp_name);
		ts_wb_str(&p->p_msg, "': ");
		return;
	}
	e->tei_column = col;
	if (key >= 0)
		ts_strlcpy(e->tei_directive, ts_key_names[key].tn_name,
		    sizeof(e->tei_directive));
	else
		e->tei_directive[0] = '\0';
}

static void
ts_say(struct ts_parse *p, const char *s)
{

	ts_wb_str(&p->p_msg, s);
}

static void
ts_sayq(struct ts_parse *p, const char *s, size_t n)
{

	ts_wb_quote(&p->p_msg, s, n);
}

static void
ts_sayu(struct ts_parse *p, uint32_t v)
{

	ts_wb_uint(&p->p_msg, v);
}

/* "<key>: " opening most value errors. */
static void
ts_fail_key(struct ts_parse *p, uint32_t col, int key)
{

	ts_fail(p, col, key);
	ts_say(p, ts_key_names[key].tn_name);
	ts_say(p, ": ");
}

/* Text longer than the limit; n is its length, up to CANON_MAX. */
static int
ts_fail_length(struct ts_parse *p, size_t n)
{

	ts_fail(p, TCPSTATS_FILTER_MAXLEN + 1, -1);
	ts_say(p, "filter text is ");
	ts_sayu(p, (uint32_t)n);
	ts_say(p, n >= TCPSTATS_CANON_MAX ? " bytes or more; the limit is " :
	    " bytes; the limit is ");
	ts_sayu(p, TCPSTATS_FILTER_MAXLEN);
	return (TCPSTATS_E_INVAL);
}

/* --- ports ------------------------------------------------------------ */

/* How one side of a port item went. */
#define	TS_PORT_OK	0
#define	TS_PORT_BAD	1	/* not a number 1..65535 */
#define	TS_PORT_LZERO	2	/* leading zero */
#define	TS_PORT_ZERO	3	/* port 0 */

/* A port: decimal digits only, no leading zero, 1..65535. */
static int
ts_port(const char *s, size_t n, uint32_t *out)
{
	uint32_t v;
	size_t i;

	if (n == 0)
		return (TS_PORT_BAD);
	v = 0;
	for (i = 0; i < n; i++) {
		if (!ts_isdigit((unsigned char)s[i]))
			return (TS_PORT_BAD);
		if (v <= 65535)
			v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (s[0] == '0')
		return (n == 1 ? TS_PORT_ZERO : TS_PORT_LZERO);
	if (v > 65535)
		return (TS_PORT_BAD);
	*out = v;
	return (TS_PORT_OK);
}

static void
ts_say_range(struct ts_parse *p, const struct tcpstats_portrange *r)
{

	ts_sayu(p, r->tpr_lo);
	if (r->tpr_hi != r->tpr_lo) {
		ts_say(p, "-");
		ts_sayu(p, r->tpr_hi);
	}
}

static int
ts_parse_ports(struct ts_parse *p, int key, const char *v, size_t vlen,
    uint32_t vcol)
{
	struct tcpstats_portrange *tab, r;
	uint8_t *np;
	const char *it;
	size_t s, e, dash, n;
	uint32_t lo, hi;
	unsigned int k;
	int why;

	if (key == TS_K_LPORT) {
		tab = p->p_f.tf_lport;
		np = &p->p_f.tf_nlport;
	} else {
		tab = p->p_f.tf_rport;
		np = &p->p_f.tf_nrport;
	}
	for (s = 0; s <= vlen; s = e + 1) {
		/* One item: s..e, dash at the first '-' if any. */
		dash = TS_NOPOS;
		for (e = s; e < vlen && v[e] != ','; e++)
			if (v[e] == '-' && dash == TS_NOPOS)
				dash = e;
		it = v + s;
		n = e - s;
		if (n == 0) {
			ts_fail_key(p, vcol + (uint32_t)s, key);
			ts_say(p, "empty item in the list; expected ");
			ts_say(p, ts_expects[key]);
			return (TCPSTATS_E_INVAL);
		}
		if (*np == TCPSTATS_MAX_PORTS) {
			ts_fail_key(p, vcol + (uint32_t)s, key);
			ts_say(p, "at most 8 ports or ranges, got more at ");
			ts_sayq(p, it, n);
			return (TCPSTATS_E_INVAL);
		}
		lo = hi = 0;
		if (dash == TS_NOPOS) {
			why = ts_port(it, n, &lo);
			hi = lo;
		} else {
			why = ts_port(it, dash - s, &lo);
			if (why == TS_PORT_OK)
				why = ts_port(v + dash + 1, e - dash - 1, &hi);
		}
		if (why != TS_PORT_OK) {
			ts_fail_key(p, vcol + (uint32_t)s, key);
			if (why == TS_PORT_LZERO)
				ts_say(p,
				    "leading zeros are not allowed, got ");
			else if (why == TS_PORT_ZERO)
				ts_say(p, "port 0 is not a valid port; "
				    "expected 1..65535, got ");
			else {
				ts_say(p, "expected ");
				ts_say(p, ts_expects[key]);
				ts_say(p, ", got ");
			}
			ts_sayq(p, it, n);
			return (TCPSTATS_E_INVAL);
		}
		if (lo > hi) {
			ts_fail_key(p, vcol + (uint32_t)s, key);
			ts_say(p, "range ");
			ts_sayq(p, it, n);
			ts_say(p, " is reversed; expected lo-hi with lo <= hi");
			return (TCPSTATS_E_INVAL);
		}
		r.tpr_lo = (uint16_t)lo;
		r.tpr_hi = (uint16_t)hi;
		for (k = 0; k < *np; k++) {
			if (lo > tab[k].tpr_hi || tab[k].tpr_lo > hi)
				continue;
			ts_fail_key(p, vcol + (uint32_t)s, key);
			if (lo == hi && tab[k].tpr_lo == lo &&
			    tab[k].tpr_hi == hi) {
				ts_say(p, "port ");
				ts_sayu(p, lo);
				ts_say(p, " listed twice");
			} else if (lo == tab[k].tpr_lo &&
			    hi == tab[k].tpr_hi) {
				ts_say(p, "range ");
				ts_say_range(p, &r);
				ts_say(p, " listed twice");
			} else {
				ts_say_range(p, &r);
				ts_say(p, " overlaps ");
				ts_say_range(p, &tab[k]);
			}
			return (TCPSTATS_E_INVAL);
		}
		tab[(*np)++] = r;
	}
	return (0);
}

/* --- states ----------------------------------------------------------- */

/*
 * One item of a comma list of names, starting at v[*sp]: its end goes to
 * *ep, and the result is its index in tab.  An empty item is an error
 * asking for an item (e.g. "a TCP state name"); an unknown one is named
 * as what ("state", "group") with a did-you-mean or, failing that,
 * expected; then -1.
 */
static int
ts_list_name(struct ts_parse *p, int key, const char *v, size_t vlen,
    uint32_t vcol, size_t s, size_t *ep, const struct ts_name *tab,
    int ntab, const char *item, const char *what, const char *expected)
{
	const char *it;
	size_t e, n;
	int i;

	for (e = s; e < vlen && v[e] != ','; e++)
		continue;
	*ep = e;
	it = v + s;
	n = e - s;
	if (n == 0) {
		ts_fail_key(p, vcol + (uint32_t)s, key);
		ts_say(p, "empty item in the list; expected ");
		ts_say(p, item);
		return (-1);
	}
	i = ts_name_find(tab, ntab, it, n);
	if (i >= 0)
		return (i);
	ts_fail_key(p, vcol + (uint32_t)s, key);
	ts_say(p, "unknown ");
	ts_say(p, what);
	ts_say(p, " ");
	ts_sayq(p, it, n);
	i = ts_suggest(tab, ntab, it, n);
	if (i >= 0) {
		ts_say(p, "; did you mean '");
		ts_say(p, tab[i].tn_name);
		ts_say(p, "'?");
	} else {
		ts_say(p, "; expected ");
		ts_say(p, expected);
	}
	return (-1);
}

static int
ts_parse_states(struct ts_parse *p, int key, const char *v, size_t vlen,
    uint32_t vcol)
{
	size_t s, e;
	uint16_t mask, bit;
	int i;

	mask = 0;
	for (s = 0; s <= vlen; s = e + 1) {
		i = ts_list_name(p, key, v, vlen, vcol, s, &e, ts_state_names,
		    TS_NSTATE_NAMES, "a TCP state name", "state",
		    "a TCP state such as listen, established or time_wait");
		if (i < 0)
			return (TCPSTATS_E_INVAL);
		bit = (uint16_t)(1u << ts_state_names[i].tn_val);
		if ((p->p_named & bit) != 0) {
			ts_fail_key(p, vcol + (uint32_t)s, key);
			ts_say(p, "state ");
			ts_say(p,
			    tcpstats_state_name(ts_state_names[i].tn_val));
			ts_say(p, " named twice");
			return (TCPSTATS_E_INVAL);
		}
		p->p_named |= bit;
		mask |= bit;
	}
	if (key == TS_K_INCLUDE) {
		p->p_f.tf_states = mask;
		p->p_f.tf_flags |= TCPSTATS_FF_INCLUDE;
	} else {
		p->p_f.tf_states &= (uint16_t)~mask;
		p->p_f.tf_flags |= TCPSTATS_FF_EXCLUDE;
	}
	return (0);
}

/* --- addresses -------------------------------------------------------- */

static const uint8_t ts_mapped_pfx[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The first CIDR of a family in either list, or NULL. */
static const struct tcpstats_cidr *
ts_find_family(const struct tcpstats_filter *f, uint8_t family, int *key)
{
	unsigned int i;

	for (i = 0; i < f->tf_nladdr; i++)
		if (f->tf_laddr[i].tci_family == family) {
			*key = TS_K_LADDR;
			return (&f->tf_laddr[i]);
		}
	for (i = 0; i < f->tf_nraddr; i++)
		if (f->tf_raddr[i].tci_family == family) {
			*key = TS_K_RADDR;
			return (&f->tf_raddr[i]);
		}
	return (NULL);
}

/* Clear the bits past plen; true if any was set. */
static bool
ts_mask_host(uint8_t *a, unsigned int plen, unsigned int alen)
{
	unsigned int i;
	uint8_t m, any;

	any = 0;
	for (i = plen / 8; i < alen; i++) {
		m = (uint8_t)(i == plen / 8 ? 0xffu >> (plen % 8) : 0xffu);
		any |= (uint8_t)(a[i] & m);
		a[i] &= (uint8_t)~m;
	}
	return (any != 0);
}

static int
ts_parse_cidr(struct ts_parse *p, int key, const char *it, size_t n,
    uint32_t col, struct tcpstats_cidr *c)
{
	const char *why;
	size_t i, slash, pct, alen;
	uint32_t plen, max;
	bool colon;

	slash = pct = TS_NOPOS;
	colon = false;
	for (i = 0; i < n; i++) {
		if (it[i] == ':')
			colon = true;
		else if (it[i] == '%' && pct == TS_NOPOS)
			pct = i;
		else if (it[i] == '/' && slash == TS_NOPOS)
			slash = i;
	}
	if (pct != TS_NOPOS) {
		ts_fail_key(p, col, key);
		ts_say(p, "zone ids (");
		ts_wb_mem(&p->p_msg, it + pct,
		    (slash != TS_NOPOS && slash > pct ? slash : n) - pct);
		ts_say(p, ") are not supported; give the address alone");
		return (TCPSTATS_E_INVAL);
	}
	alen = slash == TS_NOPOS ? n : slash;

	memset(c, 0, sizeof(*c));
	if (colon) {
		c->tci_family = TCPSTATS_AF_INET6;
		why = ts_inet6_parse(it, alen, c->tci_addr);
		max = 128;
	} else if (alen > 0 && ts_isdigit((unsigned char)it[0])) {
		c->tci_family = TCPSTATS_AF_INET;
		why = ts_inet4_parse(it, alen, c->tci_addr);
		max = 32;
	} else {
		ts_fail_key(p, col, key);
		ts_say(p, "expected an IPv4 or IPv6 address or CIDR, got ");
		ts_sayq(p, it, n);
		return (TCPSTATS_E_INVAL);
	}
	if (why != NULL) {
		ts_fail_key(p, col, key);
		ts_say(p, colon ? "invalid IPv6 address " :
		    "invalid IPv4 address ");
		ts_sayq(p, it, alen);
		ts_say(p, ": ");
		ts_say(p, why);
		return (TCPSTATS_E_INVAL);
	}

	/* Prefix length: decimal, no leading zero, 0..max. */
	plen = max;
	if (slash != TS_NOPOS) {
		plen = 0;
		for (i = slash + 1; i < n && i - slash <= 3 &&
		    ts_isdigit((unsigned char)it[i]); i++)
			plen = plen * 10 + (uint32_t)(it[i] - '0');
		if (i != n || i == slash + 1 || plen > max ||
		    (it[slash + 1] == '0' && n - slash > 2)) {
			ts_fail_key(p, col, key);
			ts_say(p, "invalid prefix length ");
			ts_sayq(p, it + slash, n - slash);
			ts_say(p, max == 32 ? "; expected /0 to /32" :
			    "; expected /0 to /128");
			ts_say(p, " after ");
			ts_sayq(p, it, slash);
			return (TCPSTATS_E_INVAL);
		}
	}
	c->tci_plen = (uint8_t)plen;
	if (ts_mask_host(c->tci_addr, plen, max / 8)) {
		ts_fail_key(p, col, key);
		ts_say(p, "host bits set in ");
		ts_wb_mem(&p->p_msg, it, n);
		ts_say(p, "; did you mean ");
		ts_cidr_format(&p->p_msg, c);
		ts_say(p, "?");
		return (TCPSTATS_E_INVAL);
	}

	/* IPv4-mapped prefixes are IPv4 for every rule. */
	if (c->tci_family == TCPSTATS_AF_INET6 && plen >= 96 &&
	    memcmp(c->tci_addr, ts_mapped_pfx, sizeof(ts_mapped_pfx)) == 0) {
		c->tci_family = TCPSTATS_AF_INET;
		c->tci_plen = (uint8_t)(plen - 96);
		memcpy(c->tci_addr, c->tci_addr + 12, 4);
		memset(c->tci_addr + 4, 0, 12);
	}
	return (0);
}

static int
ts_parse_addrs(struct ts_parse *p, int key, const char *v, size_t vlen,
    uint32_t vcol)
{
	struct tcpstats_cidr *tab, c;
	uint8_t *np;
	size_t s, e;
	uint32_t col;
	unsigned int k;
	int error;

	if (key == TS_K_LADDR) {
		tab = p->p_f.tf_laddr;
		np = &p->p_f.tf_nladdr;
	} else {
		tab = p->p_f.tf_raddr;
		np = &p->p_f.tf_nraddr;
	}
	for (s = 0; s <= vlen; s = e + 1) {
		for (e = s; e < vlen && v[e] != ','; e++)
			continue;
		col = vcol + (uint32_t)s;
		if (e == s) {
			ts_fail_key(p, col, key);
			ts_say(p, "empty item in the list; expected an IPv4 "
			    "or IPv6 address or CIDR");
			return (TCPSTATS_E_INVAL);
		}
		if (*np == TCPSTATS_MAX_CIDRS) {
			ts_fail_key(p, col, key);
			ts_say(p, "at most 8 addresses or CIDRs, got more at ");
			ts_sayq(p, v + s, e - s);
			return (TCPSTATS_E_INVAL);
		}
		error = ts_parse_cidr(p, key, v + s, e - s, col, &c);
		if (error != 0)
			return (error);
		if ((c.tci_family == TCPSTATS_AF_INET6 &&
		    (p->p_f.tf_flags & TCPSTATS_FF_IPV4_ONLY) != 0) ||
		    (c.tci_family == TCPSTATS_AF_INET &&
		    (p->p_f.tf_flags & TCPSTATS_FF_IPV6_ONLY) != 0)) {
			ts_fail_key(p, col, key);
			ts_say(p, c.tci_family == TCPSTATS_AF_INET ?
			    "IPv4 prefix " : "IPv6 prefix ");
			ts_cidr_format(&p->p_msg, &c);
			ts_say(p, c.tci_family == TCPSTATS_AF_INET ?
			    " contradicts ipv6_only" :
			    " contradicts ipv4_only");
			return (TCPSTATS_E_INVAL);
		}
		for (k = 0; k < *np; k++) {
			if (memcmp(&tab[k], &c, sizeof(c)) != 0)
				continue;
			ts_fail_key(p, col, key);
			ts_cidr_format(&p->p_msg, &c);
			ts_say(p, " listed twice");
			return (TCPSTATS_E_INVAL);
		}
		tab[(*np)++] = c;
	}
	return (0);
}

/* --- families, fields, format, profile -------------------------------- */

static int
ts_parse_family(struct ts_parse *p, int key, uint32_t col)
{
	const struct tcpstats_cidr *c;
	uint8_t other;
	int where;

	if ((p->p_seen & TS_BIT(key == TS_K_IPV4 ? TS_K_IPV6 : TS_K_IPV4))
	    != 0) {
		ts_fail(p, col, key);
		ts_say(p, "ipv4_only and ipv6_only contradict each other; "
		    "give at most one");
		return (TCPSTATS_E_INVAL);
	}
	other = key == TS_K_IPV4 ? TCPSTATS_AF_INET6 : TCPSTATS_AF_INET;
	c = ts_find_family(&p->p_f, other, &where);
	if (c != NULL) {
		ts_fail(p, col, key);
		ts_say(p, ts_key_names[key].tn_name);
		ts_say(p, " contradicts the ");
		ts_say(p, other == TCPSTATS_AF_INET ? "IPv4" : "IPv6");
		ts_say(p, " prefix ");
		ts_cidr_format(&p->p_msg, c);
		ts_say(p, " in ");
		ts_say(p, ts_key_names[where].tn_name);
		return (TCPSTATS_E_INVAL);
	}
	p->p_f.tf_flags |= key == TS_K_IPV4 ? TCPSTATS_FF_IPV4_ONLY :
	    TCPSTATS_FF_IPV6_ONLY;
	return (0);
}

static int
ts_parse_fields(struct ts_parse *p, const char *v, size_t vlen,
    uint32_t vcol)
{
	size_t s, e;
	uint16_t set, g;
	bool all;
	int i;

	set = 0;
	all = false;
	for (s = 0; s <= vlen; s = e + 1) {
		i = ts_list_name(p, TS_K_FIELDS, v, vlen, vcol, s, &e,
		    ts_group_names, TS_NGROUP_NAMES, "a field group name",
		    "group", "identity, state, congestion, rtt, sequences, "
		    "counters, timers, buffers, ecn, names or all");
		if (i < 0)
			return (TCPSTATS_E_INVAL);
		g = ts_group_names[i].tn_val;
		if ((g == TCPSTATS_F_ALL && set != 0) || (all && g != 0)) {
			ts_fail_key(p, vcol + (uint32_t)s, TS_K_FIELDS);
			ts_say(p, all && g == TCPSTATS_F_ALL ?
			    "group all listed twice" :
			    "'all' cannot be combined with other groups");
			return (TCPSTATS_E_INVAL);
		}
		if ((set & g) != 0) {
			ts_fail_key(p, vcol + (uint32_t)s, TS_K_FIELDS);
			ts_say(p, "group ");
			ts_say(p, ts_group_names[i].tn_name);
			ts_say(p, " listed twice");
			return (TCPSTATS_E_INVAL);
		}
		all = (g == TCPSTATS_F_ALL);
		set |= g;
	}
	p->p_f.tf_fields = set;
	return (0);
}

static int
ts_parse_format(struct ts_parse *p, const char *v, size_t vlen,
    uint32_t vcol)
{
	int i;

	i = ts_name_find(ts_format_names, TS_NFORMAT_NAMES, v, vlen);
	if (i < 0) {
		ts_fail_key(p, vcol, TS_K_FORMAT);
		ts_say(p, "expected full or compact, got ");
		ts_sayq(p, v, vlen);
		return (TCPSTATS_E_INVAL);
	}
	p->p_f.tf_format = (uint8_t)ts_format_names[i].tn_val;
	return (0);
}

static int
ts_parse_profile(struct ts_parse *p, const char *v, size_t vlen,
    uint32_t vcol, uint32_t col)
{
	const struct tcpstats_profiles *t;
	const struct tcpstats_profile *tp;
	const char *why;
	unsigned int i, d, bestd;
	uint32_t pos;
	int best;

	if ((p->p_flags & TS_PARSE_STORING) != 0 || p->p_inprof) {
		ts_fail(p, col, TS_K_PROFILE);
		ts_say(p, "a profile cannot name another profile");
		return (TCPSTATS_E_INVAL);
	}
	why = ts_profile_name_why(v, vlen, &pos);
	if (why != NULL) {
		/* At the byte a name cannot hold, else at the name. */
		ts_fail_key(p, pos != 0 ? vcol + pos - 1 : vcol,
		    TS_K_PROFILE);
		ts_say(p, why);
		ts_say(p, ", got ");
		ts_sayq(p, v, vlen);
		return (TCPSTATS_E_INVAL);
	}
	t = p->p_profiles;
	best = -1;
	bestd = 3;
	for (i = 0; t != NULL && i < TCPSTATS_MAX_PROFILES; i++) {
		tp = &t->tps_slot[i];
		if (tp->tp_used == 0)
			continue;
		if (strlen(tp->tp_name) == vlen &&
		    memcmp(tp->tp_name, v, vlen) == 0) {
			p->p_ref = tp;
			p->p_refcol = col;
			return (0);
		}
		d = ts_distance(v, vlen, tp->tp_name,
		    ts_strnlen(tp->tp_name, TCPSTATS_NAME_BUF));
		if (d < bestd) {
			bestd = d;
			best = (int)i;
		}
	}
	ts_fail_key(p, vcol, TS_K_PROFILE);
	ts_say(p, "no profile named ");
	ts_sayq(p, v, vlen);
	if (best >= 0) {
		ts_say(p, "; did you mean '");
		ts_say(p, t->tps_slot[best].tp_name);
		ts_say(p, "'?");
	}
	return (TCPSTATS_E_INVAL);
}

/* --- directives ------------------------------------------------------- */

/*
 * One directive: tok[0..len), '=' at eq (TS_NOPOS if none), starting at
 * column col.  The bytes are already known to be printable ASCII.
 */
static int
ts_directive(struct ts_parse *p, const char *tok, size_t len, size_t eq,
    uint32_t col)
{
	const char *v;
	size_t klen, vlen;
	uint32_t vcol;
	int i, key;
	bool flag;

	klen = eq == TS_NOPOS ? len : eq;
	if (klen == 0) {
		ts_fail(p, col, -1);
		ts_say(p, "expected a directive name before '='");
		return (TCPSTATS_E_INVAL);
	}
	i = ts_name_find(ts_key_names, TS_NKEYS, tok, klen);
	if (i < 0) {
		ts_fail(p, col, -1);
		if (!p->p_inprof)
			ts_strlcpy(p->p_err->tei_directive, tok,
			    klen + 1 < TCPSTATS_DIRECTIVE_MAX ? klen + 1 :
			    TCPSTATS_DIRECTIVE_MAX);
		ts_say(p, "unknown directive ");
		ts_sayq(p, tok, klen);
		i = ts_suggest(ts_key_names, TS_NKEYS, tok, klen);
		if (i >= 0) {
			ts_say(p, "; did you mean '");
			ts_say(p, ts_key_names[i].tn_name);
			ts_say(p, "'?");
		}
		return (TCPSTATS_E_INVAL);
	}
	key = ts_key_names[i].tn_val;
	flag = (key == TS_K_IPV4 || key == TS_K_IPV6);

	if (flag && eq != TS_NOPOS) {
		ts_fail(p, col, key);
		ts_say(p, ts_key_names[key].tn_name);
		ts_say(p, " is a flag and takes no value");
		return (TCPSTATS_E_INVAL);
	}
	if (!flag && eq == TS_NOPOS) {
		ts_fail(p, col, key);
		ts_say(p, ts_key_names[key].tn_name);
		ts_say(p, " needs a value: ");
		ts_say(p, ts_expects[key]);
		return (TCPSTATS_E_INVAL);
	}
	if (!flag && eq + 1 == len) {
		ts_fail(p, col, key);
		ts_say(p, ts_key_names[key].tn_name);
		ts_say(p, "= expects a value: ");
		ts_say(p, ts_expects[key]);
		return (TCPSTATS_E_INVAL);
	}
	if ((p->p_seen & TS_BIT(key) & TS_ONCE_KEYS) != 0) {
		ts_fail(p, col, key);
		ts_say(p, ts_key_names[key].tn_name);
		ts_say(p, " given twice; give it once");
		if (key == TS_K_LPORT || key == TS_K_RPORT ||
		    key == TS_K_LADDR || key == TS_K_RADDR ||
		    key == TS_K_INCLUDE || key == TS_K_FIELDS)
			ts_say(p, " with a comma-separated list");
		return (TCPSTATS_E_INVAL);
	}
	if ((key == TS_K_EXCLUDE && (p->p_seen & TS_BIT(TS_K_INCLUDE))) ||
	    (key == TS_K_INCLUDE && (p->p_seen & TS_BIT(TS_K_EXCLUDE)))) {
		ts_fail(p, col, key);
		ts_say(p, key == TS_K_INCLUDE ?
		    "include_state contradicts exclude" :
		    "exclude contradicts include_state");
		ts_say(p, "; use one or the other");
		return (TCPSTATS_E_INVAL);
	}

	/* A flag has no value: point past the directive, not past eq. */
	if (eq == TS_NOPOS) {
		v = tok + len;
		vlen = 0;
		vcol = col + (uint32_t)len;
	} else {
		v = tok + eq + 1;
		vlen = len - eq - 1;
		vcol = col + (uint32_t)eq + 1;
	}
	switch (key) {
	case TS_K_LPORT:
	case TS_K_RPORT:
		i = ts_parse_ports(p, key, v, vlen, vcol);
		break;
	case TS_K_EXCLUDE:
	case TS_K_INCLUDE:
		i = ts_parse_states(p, key, v, vlen, vcol);
		break;
	case TS_K_IPV4:
	case TS_K_IPV6:
		i = ts_parse_family(p, key, col);
		break;
	case TS_K_LADDR:
	case TS_K_RADDR:
		i = ts_parse_addrs(p, key, v, vlen, vcol);
		break;
	case TS_K_FIELDS:
		i = ts_parse_fields(p, v, vlen, vcol);
		break;
	case TS_K_FORMAT:
		i = ts_parse_format(p, v, vlen, vcol);
		break;
	default:
		i = ts_parse_profile(p, v, vlen, vcol, col);
		break;
	}
	if (i == 0)
		p->p_seen |= TS_BIT(key);
	return (i);
}

/* --- the fast path ---------------------------------------------------- */

/*
 * Most texts are well formed, and for them the checks above cost more than
 * the compiling: every byte is looked at by the tokenizer, again by the
 * list splitter and again by the item parser.  The fast path reads each
 * byte once and compiles each item as it goes, with names found by length
 * and one telling byte.  It accepts a subset of what the checking path
 * accepts (no IPv4 tail in an IPv6 address, for one) and builds the same
 * filter from it.  Anything else, error or not, goes back to the checking
 * path from the start of the directive, so every message and every column
 * still comes from one place.  A directive that fails here leaves the
 * parser state as it found it, but for list entries past the count, which
 * nothing reads (port entries are cleared again, as the ports are copied
 * out whole).
 *
 * The fast path stops at the first byte it does not expect and never at
 * the 511-byte limit; NUL is never expected, and each item has a bounded
 * length, so it reads no further than the terminating NUL.  The caller
 * sends a directive that ran past the limit to the checking path, which
 * reports the length.
 */

/* Byte classes. */
#define	TS_C_DIGIT	0x01	/* 0-9 */
#define	TS_C_HEX	0x02	/* 0-9 A-F a-f */
#define	TS_C_NAME	0x04	/* A-Z a-z 0-9 _: keys, states, groups */
#define	TS_C_LNAME	0x08	/* a-z 0-9 _: profile names */
#define	TS_C_END	0x10	/* NUL, space, tab: the end of a directive */

#define	C_D	(TS_C_DIGIT | TS_C_HEX | TS_C_NAME | TS_C_LNAME)
#define	C_UH	(TS_C_HEX | TS_C_NAME)
#define	C_U	TS_C_NAME
#define	C_LH	(TS_C_HEX | TS_C_NAME | TS_C_LNAME)
#define	C_L	(TS_C_NAME | TS_C_LNAME)
#define	C_E	TS_C_END

static const uint8_t ts_cc[256] = {
	C_E,  0,    0,    0,    0,    0,    0,    0,	/* 0x00 */
	0,    C_E,  0,    0,    0,    0,    0,    0,
	0,    0,    0,    0,    0,    0,    0,    0,	/* 0x10 */
	0,    0,    0,    0,    0,    0,    0,    0,
	C_E,  0,    0,    0,    0,    0,    0,    0,	/* 0x20 */
	0,    0,    0,    0,    0,    0,    0,    0,
	C_D,  C_D,  C_D,  C_D,  C_D,  C_D,  C_D,  C_D,	/* 0x30 */
	C_D,  C_D,  0,    0,    0,    0,    0,    0,
	0,    C_UH, C_UH, C_UH, C_UH, C_UH, C_UH, C_U,	/* 0x40 */
	C_U,  C_U,  C_U,  C_U,  C_U,  C_U,  C_U,  C_U,
	C_U,  C_U,  C_U,  C_U,  C_U,  C_U,  C_U,  C_U,	/* 0x50 */
	C_U,  C_U,  C_U,  0,    0,    0,    0,    C_L,
	0,    C_LH, C_LH, C_LH, C_LH, C_LH, C_LH, C_L,	/* 0x60 */
	C_L,  C_L,  C_L,  C_L,  C_L,  C_L,  C_L,  C_L,
	C_L,  C_L,  C_L,  C_L,  C_L,  C_L,  C_L,  C_L,	/* 0x70 */
	C_L,  C_L,  C_L,  0,    0,    0,    0,    0,
};

#undef C_D
#undef C_UH
#undef C_U
#undef C_LH
#undef C_L
#undef C_E

#define	TS_IS(c, cls)	((ts_cc[(unsigned char)(c)] & (cls)) != 0)
#define	TS_FOLD32	0x20202020u		/* c | 0x20 in each byte */
#define	TS_FOLD64	0x2020202020202020ull

static inline uint64_t
ts_load64(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return (v);
}

/*
 * Does s[0..len), made of TS_C_NAME bytes, spell the entry's name in any
 * case?  c | 0x20 folds letters and leaves digits alone; '_' becomes DEL
 * on both sides.  Lengths of 4 and more compare two words that may
 * overlap, and read nothing outside either name.
 */
static bool
ts_name_is(const struct ts_name *tn, const char *s, size_t len)
{
	const char *name;
	size_t k;

	if (tn->tn_len != len)
		return (false);
	name = tn->tn_name;
	if (len >= 8)
		return ((((ts_load64(s) ^ ts_load64(name)) |
		    (ts_load64(s + len - 8) ^ ts_load64(name + len - 8))) &
		    ~TS_FOLD64) == 0);
	if (len >= 4)
		return ((((ts_load32(s) ^ ts_load32(name)) |
		    (ts_load32(s + len - 4) ^ ts_load32(name + len - 4))) &
		    ~TS_FOLD32) == 0);
	for (k = 0; k < len; k++)
		if (((s[k] ^ name[k]) & ~0x20) != 0)
			return (false);
	return (true);
}

/*
 * The one table entry that s[0..len) can be, or -1: names of one length
 * differ at the byte looked at.  ts_name_is() then checks the whole name.
 */
static int
ts_key_pick(const char *s, size_t len)
{

	switch (len) {
	case 6:
		return ((s[1] | 0x20) == 'i' ? TS_K_FIELDS : TS_K_FORMAT);
	case 7:
		return ((s[0] | 0x20) == 'e' ? TS_K_EXCLUDE : TS_K_PROFILE);
	case 9:
		return (s[3] == '4' ? TS_K_IPV4 : TS_K_IPV6);
	case 10:
		return ((s[6] | 0x20) == 'p' ? TS_K_LPORT : TS_K_LADDR);
	case 11:
		return ((s[7] | 0x20) == 'p' ? TS_K_RPORT : TS_K_RADDR);
	case 13:
		return (TS_K_INCLUDE);
	default:
		return (-1);
	}
}

/* Indexes into ts_state_names: states by number, then the aliases. */
static int
ts_state_pick(const char *s, size_t len)
{

	switch (len) {
	case 6:		/* closed, listen */
		return ((s[0] | 0x20) == 'c' ? 0 : 1);
	case 7:		/* closing */
		return (7);
	case 8:		/* syn_sent, last_ack, timewait, syn_rcvd */
		switch (s[4] | 0x20) {
		case 's':
			return (2);
		case 'w':
			return (11);
		case 'r':
			return (13);
		default:	/* '_' */
			return (8);
		}
	case 9:		/* time_wait, closewait */
		return ((s[0] | 0x20) == 't' ? 10 : 12);
	case 10:	/* close_wait, fin_wait_1, fin_wait_2 */
		return (s[9] == '1' ? 6 : s[9] == '2' ? 9 : 5);
	case 11:	/* established */
		return (4);
	case 12:	/* syn_received */
		return (3);
	default:
		return (-1);
	}
}

/* Indexes into ts_group_names: groups in bit order, then "all". */
static int
ts_group_pick(const char *s, size_t len)
{

	switch (len) {
	case 3:		/* rtt, ecn, all */
		return ((s[0] | 0x20) == 'r' ? 3 : (s[0] | 0x20) == 'e' ? 8 :
		    10);
	case 5:		/* state, names */
		return ((s[0] | 0x20) == 's' ? 1 : 9);
	case 6:		/* timers */
		return (6);
	case 7:		/* buffers */
		return (7);
	case 8:		/* identity, counters */
		return ((s[0] | 0x20) == 'i' ? 0 : 5);
	case 9:		/* sequences */
		return (4);
	case 10:	/* congestion */
		return (2);
	default:
		return (-1);
	}
}

_Static_assert(TS_NSTATE_NAMES == 14 && TS_NGROUP_NAMES == 11 &&
    TS_NFORMAT_NAMES == 2, "the pick functions know every name");

/*
 * Bytes of the name at s: TS_C_NAME bytes, at most 16 (more than any
 * name has).  Four per round: each byte is read only once the one before
 * it is known not to be the NUL.
 */
static inline size_t
ts_fast_name_len(const char *s)
{
	size_t k;

	for (k = 0; k < 16; k += 4) {
		if (!TS_IS(s[k], TS_C_NAME))
			return (k);
		if (!TS_IS(s[k + 1], TS_C_NAME))
			return (k + 1);
		if (!TS_IS(s[k + 2], TS_C_NAME))
			return (k + 2);
		if (!TS_IS(s[k + 3], TS_C_NAME))
			return (k + 3);
	}
	return (k);
}

/* tab[i] if it is the name s[0..len), else NULL. */
static inline const struct ts_name *
ts_fast_entry(const struct ts_name *tab, int i, const char *s, size_t len)
{

	if (i < 0 || !ts_name_is(&tab[i], s, len))
		return (NULL);
	return (&tab[i]);
}

static int
ts_format_pick(size_t len)
{

	return (len == 4 ? 0 : len == 7 ? 1 : -1);
}

/* A port 1..65535 without leading zero at s: the byte after it, or NULL. */
static const char *
ts_fast_port(const char *s, unsigned int *out)
{
	unsigned int v, k;

	if ((unsigned char)(*s - '1') > 8)
		return (NULL);
	v = (unsigned int)(*s++ - '0');
	for (k = 1; k < 5 && TS_IS(*s, TS_C_DIGIT); k++)
		v = v * 10 + (unsigned int)(*s++ - '0');
	if (TS_IS(*s, TS_C_DIGIT) || v > 65535)
		return (NULL);
	*out = v;
	return (s);
}

static const char *
ts_fast_ports(struct ts_parse *p, int key, const char *s)
{
	struct tcpstats_portrange *tab;
	uint8_t *np;
	unsigned int n, k, lo, hi;

	if (key == TS_K_LPORT) {
		tab = p->p_f.tf_lport;
		np = &p->p_f.tf_nlport;
	} else {
		tab = p->p_f.tf_rport;
		np = &p->p_f.tf_nrport;
	}
	for (n = *np; n < TCPSTATS_MAX_PORTS; n++) {
		if ((s = ts_fast_port(s, &lo)) == NULL)
			break;
		hi = lo;
		if (*s == '-' && (s = ts_fast_port(s + 1, &hi)) == NULL)
			break;
		if (lo > hi || (*s != ',' && !TS_IS(*s, TS_C_END)))
			break;
		for (k = 0; k < n; k++)
			if (lo <= tab[k].tpr_hi && tab[k].tpr_lo <= hi)
				break;
		if (k < n)
			break;
		tab[n].tpr_lo = (uint16_t)lo;
		tab[n].tpr_hi = (uint16_t)hi;
		if (*s != ',') {
			*np = (uint8_t)(n + 1);
			return (s);
		}
		s++;
	}
	memset(&tab[*np], 0, (n - *np) * sizeof(*tab));
	return (NULL);
}

static const char *
ts_fast_states(struct ts_parse *p, int key, const char *s)
{
	const struct ts_name *tn;
	size_t len;
	uint16_t mask, named, bit;
	unsigned int k;

	mask = 0;
	named = p->p_named;
	/* Each state once, so there are at most NSTATES items. */
	for (k = 0; k < TCPSTATS_NSTATES; k++) {
		len = ts_fast_name_len(s);
		tn = ts_fast_entry(ts_state_names, ts_state_pick(s, len), s,
		    len);
		if (tn == NULL)
			return (NULL);
		s += len;
		bit = (uint16_t)(1u << tn->tn_val);
		if ((named & bit) != 0)
			return (NULL);
		named |= bit;
		mask |= bit;
		if (*s == ',') {
			s++;
			continue;
		}
		if (!TS_IS(*s, TS_C_END))
			return (NULL);
		p->p_named = named;
		if (key == TS_K_INCLUDE) {
			p->p_f.tf_states = mask;
			p->p_f.tf_flags |= TCPSTATS_FF_INCLUDE;
		} else {
			p->p_f.tf_states &= (uint16_t)~mask;
			p->p_f.tf_flags |= TCPSTATS_FF_EXCLUDE;
		}
		return (s);
	}
	return (NULL);
}

static const char *
ts_fast_fields(struct ts_parse *p, const char *s)
{
	const struct ts_name *tn;
	size_t len;
	uint16_t set, g;
	unsigned int k;

	set = 0;
	/* Each group once, or "all" alone. */
	for (k = 0; k < TCPSTATS_F_NGROUPS; k++) {
		len = ts_fast_name_len(s);
		tn = ts_fast_entry(ts_group_names, ts_group_pick(s, len), s,
		    len);
		if (tn == NULL)
			return (NULL);
		s += len;
		g = tn->tn_val;
		if ((set & g) != 0 || (set != 0 && g == TCPSTATS_F_ALL))
			return (NULL);
		set |= g;
		if (*s == ',') {
			s++;
			continue;
		}
		if (!TS_IS(*s, TS_C_END))
			return (NULL);
		p->p_f.tf_fields = set;
		return (s);
	}
	return (NULL);
}

/* A dotted quad at s into a[4]: the byte after it, or NULL. */
static const char *
ts_fast_inet4(const char *s, uint8_t *a)
{
	unsigned int part, v, k;

	for (part = 0; part < 4; part++) {
		if (part > 0 && *s++ != '.')
			return (NULL);
		v = 0;
		for (k = 0; k < 3 && TS_IS(*s, TS_C_DIGIT); k++)
			v = v * 10 + (unsigned int)(*s++ - '0');
		if (k == 0 || TS_IS(*s, TS_C_DIGIT) || v > 255 ||
		    (k > 1 && s[-(int)k] == '0'))
			return (NULL);
		a[part] = (uint8_t)v;
	}
	return (s);
}

/*
 * Hex groups at s, at most one "::", no IPv4 tail, into a[16]: the byte
 * after them, or NULL.
 */
static const char *
ts_fast_inet6(const char *s, uint8_t *a)
{
	uint16_t w[8];
	unsigned int nw, v, k, j;
	int dc;
	unsigned char c;

	nw = 0;
	dc = -1;		/* group index where "::" stands, if any */
	if (s[0] == ':') {
		if (s[1] != ':')
			return (NULL);
		dc = 0;
		s += 2;
		if (!TS_IS(*s, TS_C_HEX))
			goto done;
	}
	for (;;) {
		v = 0;
		for (k = 0; k < 4 && TS_IS(c = (unsigned char)*s, TS_C_HEX);
		    k++, s++)
			v = v << 4 | ((c & 0xfu) + (c >> 6) * 9u);
		if (k == 0 || TS_IS(*s, TS_C_HEX) || nw == 8)
			return (NULL);
		w[nw++] = (uint16_t)v;
		if (*s != ':')
			break;
		if (*++s == ':') {
			if (dc >= 0)
				return (NULL);
			dc = (int)nw;
			if (!TS_IS(*++s, TS_C_HEX))
				break;
		}
	}
done:
	if (dc < 0 ? nw != 8 : nw > 7)
		return (NULL);
	memset(a, 0, 16);
	for (k = 0; k < nw; k++) {
		/* Groups after "::" move to the end. */
		j = dc >= 0 && k >= (unsigned int)dc ? k + 8 - nw : k;
		a[2 * j] = (uint8_t)(w[k] >> 8);
		a[2 * j + 1] = (uint8_t)w[k];
	}
	return (s);
}

/*
 * One address or CIDR at s into *c, folded and checked as ts_parse_cidr()
 * does: the byte after it (',' or the end of the directive), or NULL.
 */
static const char *
ts_fast_cidr(const char *s, struct tcpstats_cidr *c)
{
	const char *g;
	unsigned int plen, max, k;

	memset(c, 0, sizeof(*c));
	for (g = s; g < s + 4 && TS_IS(*g, TS_C_HEX); g++)
		continue;
	if (*g == '.' && g > s) {
		c->tci_family = TCPSTATS_AF_INET;
		s = ts_fast_inet4(s, c->tci_addr);
		max = 32;
	} else if (*g == ':') {
		c->tci_family = TCPSTATS_AF_INET6;
		s = ts_fast_inet6(s, c->tci_addr);
		max = 128;
	} else
		return (NULL);
	if (s == NULL)
		return (NULL);

	/* Prefix length: decimal, no leading zero, 0..max. */
	plen = max;
	if (*s == '/') {
		s++;
		plen = 0;
		for (k = 0; k < 3 && TS_IS(*s, TS_C_DIGIT); k++)
			plen = plen * 10 + (unsigned int)(*s++ - '0');
		if (k == 0 || TS_IS(*s, TS_C_DIGIT) || plen > max ||
		    (k > 1 && s[-(int)k] == '0'))
			return (NULL);
	}
	if (*s != ',' && !TS_IS(*s, TS_C_END))
		return (NULL);
	c->tci_plen = (uint8_t)plen;

	/* No host bits: the words past the prefix are zero under the mask. */
	for (k = plen / 32 * 4; k < max / 8; k += 4)
		if ((ts_load32(c->tci_addr + k) &
		    ~ts_load32(ts_pfx_mask[plen > k * 8 ? plen - k * 8 : 0]))
		    != 0)
			return (NULL);

	/* IPv4-mapped prefixes are IPv4 for every rule. */
	if (max == 128 && plen >= 96 &&
	    memcmp(c->tci_addr, ts_mapped_pfx, sizeof(ts_mapped_pfx)) == 0) {
		c->tci_family = TCPSTATS_AF_INET;
		c->tci_plen = (uint8_t)(plen - 96);
		memcpy(c->tci_addr, c->tci_addr + 12, 4);
		memset(c->tci_addr + 4, 0, 12);
	}
	return (s);
}

static const char *
ts_fast_addrs(struct ts_parse *p, int key, const char *s)
{
	struct tcpstats_cidr *tab;
	uint8_t *np;
	uint8_t wrong;
	unsigned int n, k;

	if (key == TS_K_LADDR) {
		tab = p->p_f.tf_laddr;
		np = &p->p_f.tf_nladdr;
	} else {
		tab = p->p_f.tf_raddr;
		np = &p->p_f.tf_nraddr;
	}
	wrong = (p->p_f.tf_flags & TCPSTATS_FF_IPV4_ONLY) != 0 ?
	    TCPSTATS_AF_INET6 : (p->p_f.tf_flags & TCPSTATS_FF_IPV6_ONLY) != 0 ?
	    TCPSTATS_AF_INET : 0;
	for (n = *np; n < TCPSTATS_MAX_CIDRS; n++) {
		if ((s = ts_fast_cidr(s, &tab[n])) == NULL ||
		    tab[n].tci_family == wrong)
			break;
		for (k = 0; k < n; k++)
			if (memcmp(&tab[k], &tab[n], sizeof(tab[n])) == 0)
				break;
		if (k < n)
			break;
		if (*s != ',') {
			*np = (uint8_t)(n + 1);
			return (s);
		}
		s++;
	}
	return (NULL);
}

static const char *
ts_fast_profile(struct ts_parse *p, const char *s)
{
	const struct tcpstats_profiles *t;
	const struct tcpstats_profile *tp;
	const char *e;
	size_t len;
	unsigned int i;

	t = p->p_profiles;
	if (t == NULL || (p->p_flags & TS_PARSE_STORING) != 0 || p->p_inprof)
		return (NULL);
	for (e = s; e <= s + TCPSTATS_PROFILE_NAMELEN && TS_IS(*e, TS_C_LNAME);
	    e++)
		continue;
	len = (size_t)(e - s);
	if (len > TCPSTATS_PROFILE_NAMELEN || !TS_IS(*e, TS_C_END))
		return (NULL);
	/* Stored names are NUL-terminated within their buffer. */
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		tp = &t->tps_slot[i];
		if (tp->tp_used != 0 && tp->tp_name[0] == s[0] &&
		    tp->tp_name[len] == '\0' &&
		    memcmp(tp->tp_name, s, len) == 0) {
			p->p_ref = tp;
			return (e);
		}
	}
	return (NULL);
}

/*
 * One directive at text[*ip]: 0 with *ip at the byte that ends it, or -1
 * with the parser state unchanged.
 */
static int
ts_fast_directive(struct ts_parse *p, const char *text, size_t *ip,
    uint32_t col)
{
	const struct ts_name *tn;
	const char *s, *v;
	size_t len;
	uint32_t bit;
	int key, where;

	s = text + *ip;
	len = ts_fast_name_len(s);
	tn = ts_fast_entry(ts_key_names, ts_key_pick(s, len), s, len);
	if (tn == NULL)
		return (-1);
	v = s + len;
	key = tn->tn_val;
	bit = TS_BIT(key);
	if ((p->p_seen & bit & TS_ONCE_KEYS) != 0)
		return (-1);
	if (key == TS_K_IPV4) {
		if (!TS_IS(*v, TS_C_END) ||
		    (p->p_seen & TS_BIT(TS_K_IPV6)) != 0 ||
		    ts_find_family(&p->p_f, TCPSTATS_AF_INET6, &where) != NULL)
			return (-1);
		p->p_f.tf_flags |= TCPSTATS_FF_IPV4_ONLY;
		goto done;
	}
	if (key == TS_K_IPV6) {
		if (!TS_IS(*v, TS_C_END) ||
		    (p->p_seen & TS_BIT(TS_K_IPV4)) != 0 ||
		    ts_find_family(&p->p_f, TCPSTATS_AF_INET, &where) != NULL)
			return (-1);
		p->p_f.tf_flags |= TCPSTATS_FF_IPV6_ONLY;
		goto done;
	}
	if (*v != '=' || TS_IS(v[1], TS_C_END))
		return (-1);
	v++;
	switch (key) {
	case TS_K_LPORT:
	case TS_K_RPORT:
		v = ts_fast_ports(p, key, v);
		break;
	case TS_K_EXCLUDE:
	case TS_K_INCLUDE:
		if ((p->p_seen & (TS_BIT(TS_K_EXCLUDE) | TS_BIT(TS_K_INCLUDE)) &
		    ~bit) != 0)
			return (-1);
		v = ts_fast_states(p, key, v);
		break;
	case TS_K_LADDR:
	case TS_K_RADDR:
		v = ts_fast_addrs(p, key, v);
		break;
	case TS_K_FIELDS:
		v = ts_fast_fields(p, v);
		break;
	case TS_K_FORMAT:
		len = ts_fast_name_len(v);
		tn = ts_fast_entry(ts_format_names, ts_format_pick(len), v,
		    len);
		if (tn == NULL || !TS_IS(v[len], TS_C_END))
			return (-1);
		v += len;
		p->p_f.tf_format = (uint8_t)tn->tn_val;
		break;
	default:
		v = ts_fast_profile(p, v);
		if (v != NULL)
			p->p_refcol = col;
		break;
	}
	if (v == NULL)
		return (-1);
done:
	p->p_seen |= bit;
	*ip = (size_t)(v - text);
	return (0);
}

/* --- texts ------------------------------------------------------------ */

/*
 * Walk one text: blanks, then a directive up to the next blank or the
 * end.  A directive goes the fast path if it can; otherwise, or when it
 * ran past the limit, the checking path reads it again, and reports the
 * length, a stray byte or the first thing wrong with it.  (Past the limit
 * the fast path may have compiled the directive already; the checking
 * path finds the length first and does not look at what was compiled.)
 * Every loop of the checking path stops at the 511-byte limit.
 */
static int
ts_parse_text(struct ts_parse *p, const char *text)
{
	size_t i, start, eq;
	unsigned int ndir;
	unsigned char c;

	ndir = 0;
	i = 0;
	for (;;) {
		while (i < TCPSTATS_FILTER_MAXLEN &&
		    (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (text[i] == '\0')
			return (0);
		if (i >= TCPSTATS_FILTER_MAXLEN)
			return (ts_fail_length(p, ts_strnlen(text,
			    TCPSTATS_CANON_MAX)));

		start = i;
		if (ndir < TCPSTATS_MAX_DIRECTIVES &&
		    ts_fast_directive(p, text, &i, (uint32_t)start + 1) == 0 &&
		    (i < TCPSTATS_FILTER_MAXLEN ||
		    (i == TCPSTATS_FILTER_MAXLEN && text[i] == '\0'))) {
			ndir++;
			continue;
		}
		i = start;

		/*
		 * Printable ASCII other than space (0x21..0x7e): the key up
		 * to the first '=', then the value.
		 */
		eq = TS_NOPOS;
		for (; i < TCPSTATS_FILTER_MAXLEN; i++) {
			c = (unsigned char)text[i];
			if ((unsigned char)(c - 0x21) >= 0x5e)
				break;
			if (c == '=') {
				eq = i - start;
				i++;
				break;
			}
		}
		if (eq != TS_NOPOS)
			for (; i < TCPSTATS_FILTER_MAXLEN; i++)
				if ((unsigned char)(text[i] - 0x21) >= 0x5e)
					break;
		c = (unsigned char)text[i];
		if (c != '\0' && i >= TCPSTATS_FILTER_MAXLEN)
			return (ts_fail_length(p, ts_strnlen(text,
			    TCPSTATS_CANON_MAX)));
		if (c != '\0' && c != ' ' && c != '\t') {
			ts_fail(p, (uint32_t)i + 1, -1);
			ts_say(p, "unexpected byte 0x");
			ts_wb_char(&p->p_msg, "0123456789abcdef"[c >> 4]);
			ts_wb_char(&p->p_msg, "0123456789abcdef"[c & 0xf]);
			ts_say(p, "; directives are printable ASCII "
			    "separated by spaces or tabs");
			return (TCPSTATS_E_INVAL);
		}
		if (++ndir > TCPSTATS_MAX_DIRECTIVES) {
			ts_fail(p, (uint32_t)start + 1, -1);
			ts_say(p, "too many directives: at most 16 per "
			    "filter text");
			return (TCPSTATS_E_INVAL);
		}
		if (ts_directive(p, text + start, i - start, eq,
		    (uint32_t)start + 1) != 0)
			return (TCPSTATS_E_INVAL);
	}
}

int
ts_filter_parse(const char *text, const struct tcpstats_profiles *profiles,
    struct tcpstats_filter *out, struct tcpstats_errinfo *err,
    unsigned int flags)
{
	struct tcpstats_errinfo dummy;
	struct ts_parse p;
	size_t n;
	int error;

	if (err == NULL)
		err = &dummy;
	/*
	 * The address lists are most of the filter and most filters have
	 * none: only the entries in use are ever written or read.
	 */
	memset(&p.p_f, 0, TS_FILTER_HEAD);
	p.p_f.tf_states = TCPSTATS_ST_ALL;
	p.p_f.tf_fields = TCPSTATS_F_DEFAULT;
	p.p_f.tf_format = TCPSTATS_FMT_FULL;
	p.p_err = err;
	p.p_profiles = profiles;
	p.p_ref = NULL;
	p.p_refcol = 0;
	p.p_inprof = false;
	p.p_flags = flags;
	p.p_seen = 0;
	p.p_named = 0;

	if (text == NULL || out == NULL) {
		ts_fail(&p, 0, -1);
		ts_say(&p, text == NULL ? "no filter text given" :
		    "no place to store the filter");
		return (TCPSTATS_E_INVAL);
	}
	error = ts_parse_text(&p, text);
	if (error == 0 && p.p_ref != NULL) {
		/* Second pass: the profile's text, as if written here. */
		p.p_inprof = true;
		error = ts_parse_text(&p, p.p_ref->tp_text);
		p.p_inprof = false;
	}
	if (error != 0) {
		/* Over-long text is reported as such, whatever came first. */
		if (err->tei_column != TCPSTATS_FILTER_MAXLEN + 1 &&
		    (n = ts_strnlen(text, TCPSTATS_CANON_MAX)) >
		    TCPSTATS_FILTER_MAXLEN)
			(void)ts_fail_length(&p, n);
		return (error);
	}

	memcpy(out, &p.p_f, TS_FILTER_HEAD);
	/* In 64-byte pieces: compilers store those with vector moves. */
	for (n = TS_FILTER_HEAD; n < sizeof(*out); n += 64)
		memset((char *)out + n, 0, 64);
	if (p.p_f.tf_nladdr != 0)
		memcpy(out->tf_laddr, p.p_f.tf_laddr,
		    p.p_f.tf_nladdr * sizeof(out->tf_laddr[0]));
	if (p.p_f.tf_nraddr != 0)
		memcpy(out->tf_raddr, p.p_f.tf_raddr,
		    p.p_f.tf_nraddr * sizeof(out->tf_raddr[0]));
	err->tei_errno = 0;
	err->tei_column = 0;
	err->tei_directive[0] = '\0';
	err->tei_message[0] = '\0';
	return (0);
}

int
tcpstats_filter_parse(const char *text,
    const struct tcpstats_profiles *profiles, struct tcpstats_filter *out,
    struct tcpstats_errinfo *err)
{

	return (ts_filter_parse(text, profiles, out, err, 0));
}

void
tcpstats_filter_default(struct tcpstats_filter *f)
{

	memset(f, 0, sizeof(*f));
	f->tf_states = TCPSTATS_ST_ALL;
	f->tf_fields = TCPSTATS_F_DEFAULT;
	f->tf_format = TCPSTATS_FMT_FULL;
}
