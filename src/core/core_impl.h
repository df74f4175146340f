/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * core_impl.h -- declarations shared between the files of the portable
 * core and nowhere else: name tables, the bounded text writer and the
 * address text routines.
 */

#ifndef _TS_CORE_IMPL_H_
#define	_TS_CORE_IMPL_H_

#include "ts_compat.h"
#include "tcpstats_filter.h"

/* Directive keys, in the order of the key table (did-you-mean ties). */
#define	TS_K_LPORT	0
#define	TS_K_RPORT	1
#define	TS_K_EXCLUDE	2
#define	TS_K_INCLUDE	3
#define	TS_K_IPV4	4
#define	TS_K_IPV6	5
#define	TS_K_LADDR	6
#define	TS_K_RADDR	7
#define	TS_K_FIELDS	8
#define	TS_K_FORMAT	9
#define	TS_K_PROFILE	10
#define	TS_NKEYS	11

/*
 * One entry of a name table.  Names are [a-z0-9_], stored inline so a
 * lookup touches one cache line per entry.  tn_val is the key number,
 * state number, field group bit or format.
 */
#define	TS_NAME_MAX	14	/* longest name ("include_state") + NUL */

struct ts_name {
	char		tn_name[TS_NAME_MAX];
	uint8_t		tn_len;
	uint16_t	tn_val;
};

#define	TS_NSTATE_NAMES	(TCPSTATS_NSTATES + 3)	/* three aliases */
#define	TS_NGROUP_NAMES	(TCPSTATS_F_NGROUPS + 1) /* and "all" */
#define	TS_NFORMAT_NAMES 2

extern const struct ts_name ts_key_names[TS_NKEYS];
extern const struct ts_name ts_state_names[TS_NSTATE_NAMES];
extern const struct ts_name ts_group_names[TS_NGROUP_NAMES];
extern const struct ts_name ts_format_names[TS_NFORMAT_NAMES];

/*
 * Index of s[0..len) in the table, ASCII case folded, or -1.  s must be
 * printable ASCII (the tokenizer guarantees it): the fold is c | 0x20,
 * exact for letters, digits and '_' once control bytes and DEL are gone.
 */
int	ts_name_find(const struct ts_name *tab, int n, const char *s,
	    size_t len);

/* Levenshtein distance, s case folded; 3 means "3 or more". */
unsigned int ts_distance(const char *s, size_t slen, const char *name,
	    size_t nlen);

/* Closest table entry within distance 2 (ties: table order), or -1. */
int	ts_suggest(const struct ts_name *tab, int n, const char *s,
	    size_t len);

/*
 * A bounded writer: always NUL-terminated, never past wb_cap bytes
 * (terminator included); wb_full records that something was cut.
 */
struct ts_wbuf {
	char	*wb_buf;
	size_t	 wb_cap;
	size_t	 wb_len;
	bool	 wb_full;
};

void	ts_wb_init(struct ts_wbuf *wb, char *buf, size_t cap);
void	ts_wb_mem(struct ts_wbuf *wb, const char *s, size_t n);
void	ts_wb_str(struct ts_wbuf *wb, const char *s);
void	ts_wb_char(struct ts_wbuf *wb, char c);
void	ts_wb_uint(struct ts_wbuf *wb, uint32_t v);

/*
 * A quoted excerpt of user text: 'text', cut to 48 bytes with "...";
 * bytes outside printable ASCII appear as \xHH.
 */
void	ts_wb_quote(struct ts_wbuf *wb, const char *s, size_t n);

/*
 * The profile name rule, [a-z0-9_]{1,32}, for s[0..n): NULL if it holds,
 * else why not, to be followed by the quoted name, if any.  *pos is the
 * 1-based position of the first byte a name cannot hold, or 0 when the
 * length is wrong.  Everything that takes a name applies this.
 */
const char *ts_profile_name_why(const char *s, size_t n, uint32_t *pos);

/*
 * Address text.  The parsers return NULL on success or a reason that
 * reads after "invalid IPv4 address 'x': ".
 */
const char *ts_inet4_parse(const char *s, size_t n, uint8_t out[4]);
const char *ts_inet6_parse(const char *s, size_t n, uint8_t out[16]);

/*
 * ts_pfx_mask[r]: the first r bits of a 32-bit word in memory order, for
 * testing four address bytes at a time in either byte order.
 */
extern const uint8_t ts_pfx_mask[33][4];

static inline uint32_t
ts_load32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

/* Dotted quad, or RFC 5952 text (mapped addresses as ::ffff:a.b.c.d). */
void	ts_inet_format(struct ts_wbuf *wb, uint8_t family,
	    const uint8_t *addr);

/* Address, and "/plen" unless it is a host route. */
void	ts_cidr_format(struct ts_wbuf *wb, const struct tcpstats_cidr *c);

/* Parse flags (tcpstats_filter_parse is ts_filter_parse with 0). */
#define	TS_PARSE_STORING	0x01	/* text of a profile being stored */

int	ts_filter_parse(const char *text,
	    const struct tcpstats_profiles *profiles,
	    struct tcpstats_filter *out, struct tcpstats_errinfo *err,
	    unsigned int flags);

#endif /* !_TS_CORE_IMPL_H_ */
