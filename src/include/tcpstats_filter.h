/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_filter.h -- the portable core: filter parse / format / match,
 * record encoding and decoding, the profile table and read tallies.
 *
 * The core compiles into the FreeBSD kernel, into tcpstatsd and into the
 * tools.  It allocates nothing, uses no floating point, never recurses and
 * bounds every loop; callers own all storage and all locking.  Functions
 * return 0 on success and a TCPSTATS_E_* code otherwise; providers map the
 * codes to errno values.
 */

#ifndef _TCPSTATS_FILTER_H_
#define	_TCPSTATS_FILTER_H_

#include "tcpstats_abi.h"

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* Core result codes. */
#define	TCPSTATS_OK		0
#define	TCPSTATS_E_INVAL	1	/* malformed text or argument */
#define	TCPSTATS_E_NOSPC	2	/* profile table full */
#define	TCPSTATS_E_NOENT	3	/* no such profile */
#define	TCPSTATS_E_RANGE	4	/* output buffer too small */

struct tcpstats_portrange {
	uint16_t	tpr_lo;		/* 1..65535 */
	uint16_t	tpr_hi;		/* tpr_lo..65535; equal for one port */
};

struct tcpstats_cidr {
	uint8_t		tci_family;	/* TCPSTATS_AF_*; mapped are 4 */
	uint8_t		tci_plen;	/* prefix length, 0..32 or 0..128 */
	uint8_t		tci_pad[2];
	uint8_t		tci_addr[16];	/* IPv4 in bytes 0-3; host bits zero */
};

/* tf_flags */
#define	TCPSTATS_FF_IPV4_ONLY	0x0001
#define	TCPSTATS_FF_IPV6_ONLY	0x0002
#define	TCPSTATS_FF_INCLUDE	0x0004	/* tf_states from include_state= */
#define	TCPSTATS_FF_EXCLUDE	0x0008	/* tf_states from exclude= */

/*
 * A compiled filter.  Fully determined by its text: parse() zeroes it
 * first (padding included), so two filters compare equal with memcmp.
 * Lists keep the order they were written in.
 */
struct tcpstats_filter {
	uint32_t	tf_flags;	/* TCPSTATS_FF_* */
	uint16_t	tf_states;	/* bit (1 << TCPSTATS_ST_*) = report */
	uint16_t	tf_fields;	/* TCPSTATS_F_* groups */
	uint8_t		tf_format;	/* TCPSTATS_FMT_* */
	uint8_t		tf_nlport;	/* entries used in tf_lport */
	uint8_t		tf_nrport;
	uint8_t		tf_nladdr;
	uint8_t		tf_nraddr;
	uint8_t		tf_pad[3];
	struct tcpstats_portrange tf_lport[TCPSTATS_MAX_PORTS];
	struct tcpstats_portrange tf_rport[TCPSTATS_MAX_PORTS];
	struct tcpstats_cidr	tf_laddr[TCPSTATS_MAX_CIDRS];
	struct tcpstats_cidr	tf_raddr[TCPSTATS_MAX_CIDRS];
};

/* One stored profile; a free slot has tp_used == 0 and is all zero. */
struct tcpstats_profile {
	char		tp_name[TCPSTATS_NAME_BUF];
	char		tp_text[TCPSTATS_FILTER_MAXLEN + 1];
	uint8_t		tp_used;
};

struct tcpstats_profiles {
	struct tcpstats_profile	tps_slot[TCPSTATS_MAX_PROFILES];
	uint32_t	tps_count;	/* slots in use */
	uint32_t	tps_gen;	/* bumped by every change */
};

/*
 * The part of a socket the matcher looks at.  Providers fill it and call
 * tcpstats_conn_normalize() before matching, so an IPv6 socket with
 * IPv4-mapped addresses is IPv4 for every rule.
 */
struct tcpstats_conn {
	uint8_t		tcn_family;	/* TCPSTATS_AF_* */
	uint8_t		tcn_state;	/* TCPSTATS_ST_* */
	uint16_t	tcn_lport;	/* host byte order */
	uint16_t	tcn_rport;	/* host byte order; 0 for listeners */
	uint16_t	tcn_pad;
	uint8_t		tcn_laddr[16];	/* IPv4 in bytes 0-3, rest zero */
	uint8_t		tcn_raddr[16];
};

/* Per-read tally; see TCPSTATS_SKIP_*. */
struct tcpstats_tally {
	uint64_t	tt_visited;
	uint64_t	tt_emitted;
	uint64_t	tt_skipped[TCPSTATS_NSKIP];
};

/* --- filter text ------------------------------------------------------ */

/*
 * Compile the NUL-terminated text into *out.  profiles may be NULL (then
 * profile= is an error).  On failure *out is untouched and *err says
 * where and why (tei_errno is set to 0; the provider fills it).
 */
int	tcpstats_filter_parse(const char *text,
	    const struct tcpstats_profiles *profiles,
	    struct tcpstats_filter *out, struct tcpstats_errinfo *err);

/* The filter that matches everything with the default fields. */
void	tcpstats_filter_default(struct tcpstats_filter *f);

/*
 * Canonical text of *f into buf (NUL-terminated).  Returns the length
 * without the NUL, or 0 with buf = "" when len is too small; the empty
 * filter also formats as "" and returns 0.  TCPSTATS_CANON_MAX always
 * suffices.  parse(format(f)) == f.
 */
size_t	tcpstats_filter_format(const struct tcpstats_filter *f, char *buf,
	    size_t len);

/* --- matching ---------------------------------------------------------- */

/* Fold IPv4-mapped IPv6 addresses into IPv4; true if it did. */
bool	tcpstats_conn_normalize(struct tcpstats_conn *c);

/*
 * TCPSTATS_MATCH, or the first TCPSTATS_SKIP_* reason, checked in the order
 * ip version, state, port, address.
 */
int	tcpstats_filter_match(const struct tcpstats_filter *f,
	    const struct tcpstats_conn *c);

/* --- records ----------------------------------------------------------- */

/* Bytes of one record of the given groups and format. */
size_t	tcpstats_record_size(uint16_t fields, uint8_t format);

/* Bytes of one group (a single TCPSTATS_F_* bit), 0 for anything else. */
size_t	tcpstats_group_size(uint16_t group);

/*
 * Encode the full record *src as the reader asked (groups, format) into
 * dst.  Returns the bytes written, or 0 when dstlen is too small.  The
 * header is rewritten: version, length, fields, the compact flag, and the
 * absent bits of the selected groups only.
 */
size_t	tcpstats_encode(const struct tcpstats_record *src, uint16_t fields,
	    uint8_t format, void *dst, size_t dstlen);

/*
 * Decode one record at buf into the full layout *out (groups not carried
 * read zero).  Checks version, length against fields and format, and len.
 * Stores the record's length in *used.
 */
int	tcpstats_decode(const void *buf, size_t len,
	    struct tcpstats_record *out, size_t *used);

/* --- names ------------------------------------------------------------- */

/* "established" etc., or NULL for an unknown state number. */
const char *tcpstats_state_name(unsigned int state);

/* "identity" etc. for a single group bit, or NULL. */
const char *tcpstats_group_name(uint16_t group);

/* "gencnt", "cred", "ipver", "state", "port", "addr", or NULL. */
const char *tcpstats_skip_name(unsigned int reason);

/* --- profiles ---------------------------------------------------------- */

void	tcpstats_profiles_init(struct tcpstats_profiles *t);

/*
 * Names are [a-z0-9_]{1,32}; on failure err says why, its column at the
 * first byte a name cannot hold (0 when the length is wrong).
 */
int	tcpstats_profile_name_check(const char *name,
	    struct tcpstats_errinfo *err);

/*
 * Create or replace a profile.  The text must parse on its own (it cannot
 * name another profile).  *created says whether a new slot was taken.  On
 * failure the table is unchanged.
 */
int	tcpstats_profile_set(struct tcpstats_profiles *t, const char *name,
	    const char *text, bool *created, struct tcpstats_errinfo *err);

int	tcpstats_profile_delete(struct tcpstats_profiles *t,
	    const char *name);

/* The stored text, or NULL. */
const char *tcpstats_profile_lookup(const struct tcpstats_profiles *t,
	    const char *name);

/* Names in slot order into names[max]; returns how many. */
unsigned int tcpstats_profile_list(const struct tcpstats_profiles *t,
	    char names[][TCPSTATS_NAME_BUF], unsigned int max);

/* --- tallies and counters ---------------------------------------------- */

/* Count one visited socket under a verdict (TCPSTATS_MATCH = emitted). */
void	tcpstats_tally_count(struct tcpstats_tally *t, int verdict);

/* visited == emitted + sum(skipped) */
bool	tcpstats_tally_consistent(const struct tcpstats_tally *t);

/* TCPSTATS_READ_* for tcpstats_counters_add_read(). */
#define	TCPSTATS_READ_TIMED_OUT		0x01
#define	TCPSTATS_READ_INTERRUPTED	0x02

/* Fold one read's tally and duration into counters. */
void	tcpstats_counters_add_read(struct tcpstats_counters *c,
	    const struct tcpstats_tally *t, uint64_t duration_ns,
	    unsigned int how);

#endif /* !_TCPSTATS_FILTER_H_ */
