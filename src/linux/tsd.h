/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tsd.h -- tcpstatsd internals.
 *
 * The daemon is split into pure parts, which touch no socket and no FUSE
 * state and are unit-tested on their own, and glue:
 *
 *	diag_req.c	the inet_diag dump request
 *	diag_bytecode.c	filter pushdown as inet_diag bytecode
 *	diag_parse.c	one inet_diag message into struct tsd_diag
 *	fill.c		Linux states and tcp_info into the record layout;
 *			one message through the read path (tsd_visit)
 *	readahead.c	a dump's datagrams received by a helper thread ahead
 *			of the reader (readahead.h; needs only a socket)
 *	tunables.c	the sysctl/ files: names, values, parsing; text
 *			written to sysctl/ and profiles/ files
 *	netns.c		namespaces and the per-reader netlink socket
 *	dev.c		the device: readers, ioctls, the streaming read
 *	fuse_main.c	the file tree, FUSE callbacks, main()
 */

#ifndef _TSD_H_
#define	_TSD_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpstats_abi.h"
#include "tcpstats_filter.h"

/*
 * Netlink alignment without the sign-mixing kernel macros: headers and
 * attributes are padded to 4 bytes; a message header is 16 bytes and an
 * attribute header 4 (both already aligned).
 */
#define	TSD_ALIGN4(x)	(((size_t)(x) + 3u) & ~(size_t)3u)
#define	TSD_NLMSG_HDRLEN 16u
#define	TSD_NLA_HDRLEN	4u

/* --- dump requests (diag_req.c) ------------------------------------------- */

/* Linux TCP states, include/net/tcp_states.h (not exported to userland). */
#define	TSD_TCP_ESTABLISHED	1
#define	TSD_TCP_SYN_SENT	2
#define	TSD_TCP_SYN_RECV	3
#define	TSD_TCP_FIN_WAIT1	4
#define	TSD_TCP_FIN_WAIT2	5
#define	TSD_TCP_TIME_WAIT	6
#define	TSD_TCP_CLOSE		7
#define	TSD_TCP_CLOSE_WAIT	8
#define	TSD_TCP_LAST_ACK	9
#define	TSD_TCP_LISTEN		10
#define	TSD_TCP_CLOSING		11
#define	TSD_TCP_NEW_SYN_RECV	12
#define	TSD_TCP_BOUND_INACTIVE	13	/* bound, idle; Linux 6.5+ */
#define	TSD_TCP_NSTATES		14

/*
 * Extensions a dump can ask for (idiag_ext bits): INET_DIAG_INFO (2),
 * INET_DIAG_CONG (4), INET_DIAG_SKMEMINFO (7).  Each costs the kernel a
 * lookup and the reader bytes per socket, so a dump asks only for those
 * the reader's field groups need (tsd_diag_ext).
 */
#define	TSD_EXT_INFO	(1u << (2 - 1))
#define	TSD_EXT_CONG	(1u << (4 - 1))
#define	TSD_EXT_SKMEM	(1u << (7 - 1))
#define	TSD_DIAG_EXT	(TSD_EXT_INFO | TSD_EXT_CONG | TSD_EXT_SKMEM)

/* The idiag_ext bits that fill the groups in fields (TCPSTATS_F_*). */
uint8_t	tsd_diag_ext(uint16_t fields);

/*
 * Build one dump request asking for the extensions ext (TSD_EXT_*) into
 * buf.  family AF_INET or AF_INET6: nlmsghdr of type SOCK_DIAG_BY_FAMILY
 * and inet_diag_req_v2, one family; AF_UNSPEC: type TCPDIAG_GETSOCK and
 * inet_diag_req, both families in one walk of the kernel's tables (replies
 * then have type TCPDIAG_GETSOCK).  Either way, when bclen > 0, an
 * INET_DIAG_REQ_BYTECODE attribute follows.  Returns the message length,
 * or 0 when buf is too small or an argument is out of range.
 */
size_t	tsd_diag_req_build(void *buf, size_t len, uint8_t family,
	    uint32_t states, uint8_t ext, uint32_t seq, const void *bc,
	    size_t bclen);

/*
 * The single local and remote port a filter selects, each 0 unless its
 * list is exactly one port (not a range, not several).
 */
void	tsd_diag_one_ports(const struct tcpstats_filter *f, uint16_t *sport,
	    uint16_t *dport);

/*
 * Put sport and dport (host byte order, 0 = any) in the socket id of the
 * request tsd_diag_req_build() left in buf.  The kernel compares them
 * before it runs the bytecode, or builds anything, for each socket it
 * walks: a cheaper first test, never a different answer, since the
 * bytecode tests the same ports.
 */
void	tsd_diag_req_ports(void *buf, uint16_t sport, uint16_t dport);

/* --- bytecode (diag_bytecode.c) ------------------------------------------- */

#define	TSD_BC_MAX	2048	/* bytes; the largest needs < 1 KiB */

/*
 * Translate the filter's ports and addresses into inet_diag bytecode that
 * accepts every socket the filter could match (a superset; the core
 * matcher decides).  Returns the bytecode length, 0 when nothing needs
 * pushing down, or 0 when len is too small.
 */
size_t	tsd_bc_build(const struct tcpstats_filter *f, void *buf,
	    size_t len);

/* --- parsed messages (diag_parse.c) --------------------------------------- */

#define	TSD_INFO_MAX	512	/* bytes of tcp_info read, at most */

struct tsd_diag {
	uint8_t		td_family;	/* AF_INET or AF_INET6 */
	uint8_t		td_state;	/* Linux TCP_* */
	uint8_t		td_timer;	/* 0, 1 rexmt, 2 keep, 3 tw, 4 probe */
	uint8_t		td_retrans;
	uint16_t	td_sport;	/* host byte order */
	uint16_t	td_dport;	/* host byte order */
	uint8_t		td_saddr[16];	/* IPv4 in bytes 0-3 */
	uint8_t		td_daddr[16];
	uint32_t	td_expires_ms;	/* ms until td_timer fires */
	uint32_t	td_rqueue;	/* bytes (listeners: accept queue) */
	uint32_t	td_wqueue;	/* bytes (listeners: backlog) */
	uint32_t	td_uid;
	uint32_t	td_inode;
	uint64_t	td_cookie;
	bool		td_have_mem;	/* td_sndbuf/td_rcvbuf valid */
	bool		td_have_cc;	/* td_cc valid */
	uint32_t	td_sndbuf;	/* bytes, SO_SNDBUF */
	uint32_t	td_rcvbuf;	/* bytes, SO_RCVBUF */
	char		td_cc[16];	/* NUL-terminated */
	uint16_t	td_infolen;	/* bytes of tcp_info at td_info */
	const uint8_t	*td_info;	/* in the message; NULL: none sent */
};

/* A dump reply: SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for AF_UNSPEC. */
bool	tsd_diag_is_reply(uint16_t nlmsg_type);

/*
 * Parse one dump reply (header included).  tcp_info is not copied:
 * td_info points into msg, unaligned, and is valid as long as msg is.
 * Returns 0, or -1 when the message is malformed (too short, bad family).
 */
int	tsd_diag_parse(const void *msg, size_t len, struct tsd_diag *d);

/* --- records (fill.c) ----------------------------------------------------- */

/* TCPSTATS_ST_* for a Linux TCP_* state, -1 for one we do not know. */
int	tsd_state_map(unsigned int linux_state);

/* Linux state mask (idiag_states) for a mask of TCPSTATS_ST_* bits. */
uint32_t tsd_states_pushdown(uint16_t tf_states);

/*
 * The matcher's view of the socket, v4-mapped addresses folded.
 * Returns false when the state is unknown (conn not usable).
 */
bool	tsd_conn_from_diag(const struct tsd_diag *d,
	    struct tcpstats_conn *c, bool *mapped);

/* The full record for the socket; c from tsd_conn_from_diag(). */
void	tsd_fill_record(const struct tsd_diag *d,
	    const struct tcpstats_conn *c, bool mapped,
	    struct tcpstats_record *r);

/*
 * One dump message through the read path: parse, judge with f, and when
 * it matches, fill and encode its record at out (room bytes, at least one
 * record).  Returns false when msg is not a socket (nothing to count);
 * else true, with *verdict (TCPSTATS_MATCH or the TCPSTATS_SKIP_* reason),
 * the socket's ports for the probes and *len, the bytes written (0 unless
 * it matched).
 */
bool	tsd_visit(const struct tcpstats_filter *f, const void *msg,
	    size_t msglen, char *out, size_t room, int *verdict,
	    uint16_t *lport, uint16_t *rport, size_t *len);

/* --- sysctl files (tunables.c) -------------------------------------------- */

enum tsd_tun {
	TSD_TUN_MAX_OPEN_FDS,
	TSD_TUN_MAX_CONCURRENT_READERS,
	TSD_TUN_MAX_READ_DURATION_MS,
	TSD_TUN_MIN_READ_INTERVAL_MS,
	TSD_TUN_PUSHDOWN,		/* Linux only: 0 = matcher alone */
	TSD_TUN_READAHEAD,		/* Linux only: 0 = no helper thread */
	TSD_TUN_READAHEAD_SPIN_US,	/* Linux only: 0 = sleep at once */
	TSD_TUN_UNSPEC_DUMP,		/* Linux only: 0 = a dump per family */
	TSD_NTUN
};

struct tsd_tunable_desc {
	const char	*tt_name;
	uint32_t	tt_default;
	uint32_t	tt_min;
	uint32_t	tt_max;
};

extern const struct tsd_tunable_desc tsd_tunables[TSD_NTUN];

/* Index of the counter file name in the counters (0..17) or -1. */
int	tsd_counter_index(const char *name);
/* Name of counter file i, NULL past the end. */
const char *tsd_counter_name(unsigned int i);
#define	TSD_NCOUNTERS	18
/* Value of counter file i from the counter block. */
int64_t	tsd_counter_value(const struct tcpstats_counters *c,
	    unsigned int i);

/* Index of the tunable file name, or -1. */
int	tsd_tunable_index(const char *name);

/*
 * Parse a value written to tunable t: decimal digits, an optional single
 * trailing newline, within the tunable's range.  Returns 0 and *out, or
 * -1 with a message in why (NUL-terminated, at most whylen).
 */
int	tsd_tunable_parse(enum tsd_tun t, const char *buf, size_t len,
	    uint32_t *out, char *why, size_t whylen);

/*
 * Text written to a sysctl/ or profiles/ file is collected, piece by
 * piece (one piece per write(2)), and applied when the file is closed,
 * so that a value written in several pieces is taken whole and a
 * rejected piece applies nothing.
 */
#define	TSD_TUN_TEXT_MAX	32	/* bytes collected for a tunable */
/* A profile: its text and one trailing newline. */
#define	TSD_PROF_TEXT_MAX	(TCPSTATS_FILTER_MAXLEN + 1)

/*
 * Append the piece buf[0..len) to the text acc[0..*acclen) collected for
 * tunable t, acc having room for cap bytes.  The piece is taken only if
 * the text can still become a valid value: digits (at most 10, the value
 * not past the maximum), then at most one newline and nothing after it;
 * once the newline is there, the value must be within the range.  Without
 * the newline the minimum is left to tsd_tunable_parse() at the end,
 * since more digits may follow.  Returns 0, -EFBIG when the text
 * would pass cap bytes, -EINVAL when it can no longer be valid; on
 * failure acc and *acclen are unchanged and why says what was wrong.
 */
int	tsd_tunable_feed(enum tsd_tun t, char *acc, size_t *acclen,
	    size_t cap, const char *buf, size_t len, char *why,
	    size_t whylen);

/*
 * Append the piece buf[0..len) to the profile text acc[0..*acclen), acc
 * having room for cap bytes: cap - 1 bytes of text and a newline.
 * Returns 0, -EFBIG when the text would pass cap bytes or its last byte
 * is not a newline, -EINVAL for a NUL byte; on failure nothing is
 * appended and why says what was wrong.  The text itself is parsed when
 * it is stored.
 */
int	tsd_profile_feed(char *acc, size_t *acclen, size_t cap,
	    const char *buf, size_t len, char *why, size_t whylen);

/*
 * The profile text collected in acc[0..acclen) as a C string in out
 * (outlen bytes): one trailing newline dropped.  Returns 0, or -1 when
 * it does not fit.
 */
int	tsd_profile_text(const char *acc, size_t acclen, char *out,
	    size_t outlen);

#endif /* !_TSD_H_ */
