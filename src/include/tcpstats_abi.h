/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_abi.h -- the binary layout shared by the providers and readers:
 * records, counters, error reports and the limits of the filter language.
 *
 * Everything here is fixed-size and free of pointers so that it crosses the
 * kernel boundary (FreeBSD ioctl/read) and the FUSE boundary (tcpstatsd)
 * unchanged.  Layout is pinned by _Static_assert at the bottom of the file;
 * a change to any size is an ABI change and bumps TCPSTATS_ABI_VERSION.
 */

#ifndef _TCPSTATS_ABI_H_
#define	_TCPSTATS_ABI_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stdint.h>
#endif

#define	TCPSTATS_ABI_VERSION	1	/* ioctl argument layout */
#define	TCPSTATS_REC_VERSION	1	/* record layout */

/* Limits of the filter language (docs/filter-language.md). */
#define	TCPSTATS_FILTER_MAXLEN	511	/* bytes of filter text, NUL excluded */
#define	TCPSTATS_CANON_MAX	1536	/* canonical text, profile merged */
#define	TCPSTATS_MAX_DIRECTIVES	16	/* per filter text */
#define	TCPSTATS_MAX_PORTS	8	/* items per port directive */
#define	TCPSTATS_MAX_CIDRS	8	/* items per address directive */
#define	TCPSTATS_MAX_PROFILES	16
#define	TCPSTATS_PROFILE_NAMELEN 32	/* [a-z0-9_]{1,32} */
#define	TCPSTATS_NAME_BUF	40	/* name buffers: 32 + NUL, padded */
#define	TCPSTATS_ERRMSG_MAX	160	/* error message buffer, NUL incl. */
#define	TCPSTATS_DIRECTIVE_MAX	32	/* directive name buffer, NUL incl. */

/*
 * Address families as they appear in records and connection views.  The
 * kernel's AF_INET6 differs between FreeBSD (28) and Linux (10), so the ABI
 * carries the IP version instead.
 */
#define	TCPSTATS_AF_INET	4
#define	TCPSTATS_AF_INET6	6

/*
 * TCP states, numbered as FreeBSD's TCPS_* (netinet/tcp_fsm.h).  The Linux
 * provider maps its own numbering onto these.
 */
#define	TCPSTATS_ST_CLOSED	0
#define	TCPSTATS_ST_LISTEN	1
#define	TCPSTATS_ST_SYN_SENT	2
#define	TCPSTATS_ST_SYN_RECEIVED 3
#define	TCPSTATS_ST_ESTABLISHED	4
#define	TCPSTATS_ST_CLOSE_WAIT	5
#define	TCPSTATS_ST_FIN_WAIT_1	6
#define	TCPSTATS_ST_CLOSING	7
#define	TCPSTATS_ST_LAST_ACK	8
#define	TCPSTATS_ST_FIN_WAIT_2	9
#define	TCPSTATS_ST_TIME_WAIT	10
#define	TCPSTATS_NSTATES	11
#define	TCPSTATS_ST_ALL		((1u << TCPSTATS_NSTATES) - 1)

/*
 * Field groups.  A record carries the groups its reader selected with
 * fields=; the bit order is also the order of the groups in a record.
 */
#define	TCPSTATS_F_IDENTITY	0x0001	/* family, addresses, ports, owner */
#define	TCPSTATS_F_STATE	0x0002	/* TCP state, options, window scale */
#define	TCPSTATS_F_CONGESTION	0x0004	/* cwnd, ssthresh, windows, MSS */
#define	TCPSTATS_F_RTT		0x0008	/* smoothed RTT, variance, RTO */
#define	TCPSTATS_F_SEQUENCES	0x0010	/* send and receive sequence space */
#define	TCPSTATS_F_COUNTERS	0x0020	/* bytes and segments, retransmits */
#define	TCPSTATS_F_TIMERS	0x0040	/* time left on each TCP timer */
#define	TCPSTATS_F_BUFFERS	0x0080	/* socket buffer use and limits */
#define	TCPSTATS_F_ECN		0x0100	/* ECN negotiation and CE marks */
#define	TCPSTATS_F_NAMES	0x0200	/* congestion control and stack */
#define	TCPSTATS_F_NGROUPS	10
#define	TCPSTATS_F_ALL		0x03ff
#define	TCPSTATS_F_DEFAULT	(TCPSTATS_F_IDENTITY | TCPSTATS_F_STATE | \
	TCPSTATS_F_CONGESTION | TCPSTATS_F_RTT | TCPSTATS_F_BUFFERS)

/* Record formats (format=). */
#define	TCPSTATS_FMT_FULL	0	/* every group slot; unselected zero */
#define	TCPSTATS_FMT_COMPACT	1	/* only the selected groups, packed */

/* Record header flags. */
#define	TCPSTATS_RF_COMPACT	0x0001	/* groups packed; see trh_fields */
#define	TCPSTATS_RF_MAPPED	0x0002	/* IPv6 socket with IPv4-mapped addrs,
					   reported as IPv4 */

/*
 * Every record starts with this header; trh_length covers the header and
 * everything after it, so a reader can step over groups it does not know.
 */
struct tcpstats_rec_hdr {
	uint16_t	trh_version;	/* TCPSTATS_REC_VERSION */
	uint16_t	trh_length;	/* bytes, header included */
	uint16_t	trh_fields;	/* TCPSTATS_F_* groups carried */
	uint16_t	trh_flags;	/* TCPSTATS_RF_* */
	uint64_t	trh_absent;	/* TCPSTATS_A_* the provider lacks */
};

struct tcpstats_identity {
	uint8_t		tid_family;	/* TCPSTATS_AF_* after v4-mapping */
	uint8_t		tid_pad0;
	uint16_t	tid_lport;	/* local port, host byte order */
	uint16_t	tid_rport;	/* remote port, host byte order */
	uint16_t	tid_pad1;
	uint32_t	tid_uid;	/* owner's effective uid */
	uint32_t	tid_pad2;
	uint8_t		tid_laddr[16];	/* IPv4 in bytes 0-3, rest zero */
	uint8_t		tid_raddr[16];	/* likewise */
	uint64_t	tid_cookie;	/* stable socket id: inp_gencnt on
					   FreeBSD, inet_diag cookie on Linux */
};

struct tcpstats_state {
	uint8_t		tst_state;	/* TCPSTATS_ST_* */
	uint8_t		tst_options;	/* TCPSTATS_OPT_* negotiated */
	uint8_t		tst_snd_wscale;	/* shift count */
	uint8_t		tst_rcv_wscale;	/* shift count */
	uint32_t	tst_pad;
};

#define	TCPSTATS_OPT_TIMESTAMPS	0x01
#define	TCPSTATS_OPT_SACK	0x02
#define	TCPSTATS_OPT_WSCALE	0x04
#define	TCPSTATS_OPT_ECN	0x08
#define	TCPSTATS_OPT_TFO	0x10

struct tcpstats_congestion {
	uint32_t	tcg_snd_cwnd;	/* bytes */
	uint32_t	tcg_snd_ssthresh; /* bytes */
	uint32_t	tcg_snd_wnd;	/* bytes, peer's advertised window */
	uint32_t	tcg_rcv_wnd;	/* bytes, our advertised window */
	uint32_t	tcg_snd_mss;	/* bytes */
	uint32_t	tcg_rcv_mss;	/* bytes */
};

struct tcpstats_rtt {
	uint32_t	trt_srtt_us;	/* smoothed RTT, microseconds */
	uint32_t	trt_rttvar_us;	/* RTT variance, microseconds */
	uint32_t	trt_rto_us;	/* retransmit timeout, microseconds */
	uint32_t	trt_min_rtt_us;	/* lowest RTT seen, microseconds */
};

struct tcpstats_sequences {
	uint32_t	tsq_snd_una;	/* oldest unacknowledged */
	uint32_t	tsq_snd_nxt;	/* next to send */
	uint32_t	tsq_snd_max;	/* highest sent */
	uint32_t	tsq_rcv_nxt;	/* next expected */
	uint32_t	tsq_iss;	/* initial send sequence */
	uint32_t	tsq_irs;	/* initial receive sequence */
};

struct tcpstats_counters_grp {
	uint64_t	tct_bytes_sent;	/* bytes, retransmits included */
	uint64_t	tct_bytes_received; /* bytes */
	uint64_t	tct_segs_sent;	/* segments */
	uint64_t	tct_segs_received; /* segments */
	uint64_t	tct_rexmit_segs; /* segments retransmitted */
	uint64_t	tct_rexmit_bytes; /* bytes retransmitted */
	uint32_t	tct_ooo_segs;	/* segments received out of order */
	uint32_t	tct_zerowin;	/* zero-window probes sent */
};

struct tcpstats_timers {
	uint32_t	ttm_rexmt_ms;	/* ms until retransmit, 0 = off */
	uint32_t	ttm_persist_ms;	/* ms until persist probe, 0 = off */
	uint32_t	ttm_keep_ms;	/* ms until keepalive, 0 = off */
	uint32_t	ttm_2msl_ms;	/* ms until TIME_WAIT ends, 0 = off */
	uint32_t	ttm_delack_ms;	/* ms until delayed ACK, 0 = off */
	uint32_t	ttm_idle_ms;	/* ms since the last segment arrived */
};

struct tcpstats_buffers {
	uint32_t	tbf_snd_cc;	/* bytes queued to send */
	uint32_t	tbf_snd_hiwat;	/* bytes, send buffer limit */
	uint32_t	tbf_rcv_cc;	/* bytes waiting to be read */
	uint32_t	tbf_rcv_hiwat;	/* bytes, receive buffer limit */
};

struct tcpstats_ecn {
	uint32_t	tec_flags;	/* TCPSTATS_ECNF_* */
	uint32_t	tec_ce_rcvd;	/* segments received with CE */
};

#define	TCPSTATS_ECNF_PERMIT	0x01	/* ECN negotiated */
#define	TCPSTATS_ECNF_ACCECN	0x02	/* accurate ECN negotiated */

struct tcpstats_names {
	char		tnm_cc[16];	/* congestion control, NUL-terminated */
	char		tnm_stack[16];	/* TCP stack, NUL-terminated */
};

/*
 * A record in full format.  Providers fill this layout and the encoder
 * (tcpstats_encode) produces the full or compact form a reader asked for.
 */
struct tcpstats_record {
	struct tcpstats_rec_hdr		tr_hdr;
	struct tcpstats_identity	tr_identity;
	struct tcpstats_state		tr_state;
	struct tcpstats_congestion	tr_congestion;
	struct tcpstats_rtt		tr_rtt;
	struct tcpstats_sequences	tr_sequences;
	struct tcpstats_counters_grp	tr_counters;
	struct tcpstats_timers		tr_timers;
	struct tcpstats_buffers		tr_buffers;
	struct tcpstats_ecn		tr_ecn;
	struct tcpstats_names		tr_names;
};

/*
 * Absent fields: a provider that cannot know a field sets its bit in
 * trh_absent instead of inventing a value (the field then reads zero).
 * Identity is always known and has no bits.
 */
#define	TCPSTATS_A_OPTIONS		(1ull << 0)
#define	TCPSTATS_A_WSCALE		(1ull << 1)
#define	TCPSTATS_A_SND_CWND		(1ull << 2)
#define	TCPSTATS_A_SND_SSTHRESH		(1ull << 3)
#define	TCPSTATS_A_SND_WND		(1ull << 4)
#define	TCPSTATS_A_RCV_WND		(1ull << 5)
#define	TCPSTATS_A_SND_MSS		(1ull << 6)
#define	TCPSTATS_A_RCV_MSS		(1ull << 7)
#define	TCPSTATS_A_SRTT			(1ull << 8)
#define	TCPSTATS_A_RTTVAR		(1ull << 9)
#define	TCPSTATS_A_RTO			(1ull << 10)
#define	TCPSTATS_A_MIN_RTT		(1ull << 11)
#define	TCPSTATS_A_SND_UNA		(1ull << 12)
#define	TCPSTATS_A_SND_NXT		(1ull << 13)
#define	TCPSTATS_A_SND_MAX		(1ull << 14)
#define	TCPSTATS_A_RCV_NXT		(1ull << 15)
#define	TCPSTATS_A_ISS			(1ull << 16)
#define	TCPSTATS_A_IRS			(1ull << 17)
#define	TCPSTATS_A_BYTES_SENT		(1ull << 18)
#define	TCPSTATS_A_BYTES_RECEIVED	(1ull << 19)
#define	TCPSTATS_A_SEGS_SENT		(1ull << 20)
#define	TCPSTATS_A_SEGS_RECEIVED	(1ull << 21)
#define	TCPSTATS_A_REXMIT_SEGS		(1ull << 22)
#define	TCPSTATS_A_REXMIT_BYTES		(1ull << 23)
#define	TCPSTATS_A_OOO_SEGS		(1ull << 24)
#define	TCPSTATS_A_ZEROWIN		(1ull << 25)
#define	TCPSTATS_A_T_REXMT		(1ull << 26)
#define	TCPSTATS_A_T_PERSIST		(1ull << 27)
#define	TCPSTATS_A_T_KEEP		(1ull << 28)
#define	TCPSTATS_A_T_2MSL		(1ull << 29)
#define	TCPSTATS_A_T_DELACK		(1ull << 30)
#define	TCPSTATS_A_T_IDLE		(1ull << 31)
#define	TCPSTATS_A_SND_CC		(1ull << 32)
#define	TCPSTATS_A_SND_HIWAT		(1ull << 33)
#define	TCPSTATS_A_RCV_CC		(1ull << 34)
#define	TCPSTATS_A_RCV_HIWAT		(1ull << 35)
#define	TCPSTATS_A_ECN_FLAGS		(1ull << 36)
#define	TCPSTATS_A_CE_RCVD		(1ull << 37)
#define	TCPSTATS_A_CC_NAME		(1ull << 38)
#define	TCPSTATS_A_STACK_NAME		(1ull << 39)

/* The absent bits that belong to each group. */
#define	TCPSTATS_A_GRP_STATE		(0x3ull << 0)
#define	TCPSTATS_A_GRP_CONGESTION	(0x3full << 2)
#define	TCPSTATS_A_GRP_RTT		(0xfull << 8)
#define	TCPSTATS_A_GRP_SEQUENCES	(0x3full << 12)
#define	TCPSTATS_A_GRP_COUNTERS		(0xffull << 18)
#define	TCPSTATS_A_GRP_TIMERS		(0x3full << 26)
#define	TCPSTATS_A_GRP_BUFFERS		(0xfull << 32)
#define	TCPSTATS_A_GRP_ECN		(0x3ull << 36)
#define	TCPSTATS_A_GRP_NAMES		(0x3ull << 38)

/*
 * Why a socket was not reported.  Providers count every visited socket
 * either as emitted or under exactly one of these reasons, so that
 * visited == emitted + sum(skipped) holds for every read.
 */
#define	TCPSTATS_SKIP_GENCNT	0	/* created after the snapshot began */
#define	TCPSTATS_SKIP_CRED	1	/* not visible to the opener */
#define	TCPSTATS_SKIP_IPVER	2	/* ipv4_only / ipv6_only */
#define	TCPSTATS_SKIP_STATE	3	/* exclude / include_state */
#define	TCPSTATS_SKIP_PORT	4	/* local_port / remote_port */
#define	TCPSTATS_SKIP_ADDR	5	/* local_addr / remote_addr */
#define	TCPSTATS_NSKIP		6
#define	TCPSTATS_MATCH		7	/* matcher verdict: report it */

/*
 * Counters, global (dev.tcpstats.*) or per reader.  For a reader,
 * tsc_opens_total and tsc_active_fds are 1.
 */
struct tcpstats_counters {
	uint64_t	tsc_opens_total;	/* successful opens */
	uint64_t	tsc_active_fds;		/* opens not yet closed */
	uint64_t	tsc_reads_total;	/* read() calls served */
	uint64_t	tsc_sockets_visited;	/* sockets looked at */
	uint64_t	tsc_records_emitted;	/* records copied out */
	uint64_t	tsc_skipped[TCPSTATS_NSKIP]; /* by TCPSTATS_SKIP_* */
	uint64_t	tsc_reads_timed_out;	/* reads cut by the budget */
	uint64_t	tsc_reads_interrupted;	/* reads cut by a signal */
	uint64_t	tsc_read_duration_ns_total; /* ns spent in read() */
	uint64_t	tsc_read_duration_ns_max; /* ns, longest read() */
	uint64_t	tsc_copyout_errors;	/* faults copying to the user */
	int64_t		tsc_last_error;		/* errno of the last failure */
};

/*
 * A rejected filter or profile: where and why.  tei_column is the 1-based
 * byte column in the text given (0 when no position applies).
 */
struct tcpstats_errinfo {
	int32_t		tei_errno;	/* errno the call returned, 0 = none */
	uint32_t	tei_column;	/* 1-based byte column, 0 = none */
	char		tei_directive[TCPSTATS_DIRECTIVE_MAX]; /* key, or "" */
	char		tei_message[TCPSTATS_ERRMSG_MAX]; /* NUL-terminated */
};

_Static_assert(sizeof(struct tcpstats_rec_hdr) == 16, "record header");
_Static_assert(sizeof(struct tcpstats_identity) == 56, "identity group");
_Static_assert(sizeof(struct tcpstats_state) == 8, "state group");
_Static_assert(sizeof(struct tcpstats_congestion) == 24, "congestion group");
_Static_assert(sizeof(struct tcpstats_rtt) == 16, "rtt group");
_Static_assert(sizeof(struct tcpstats_sequences) == 24, "sequences group");
_Static_assert(sizeof(struct tcpstats_counters_grp) == 56, "counters group");
_Static_assert(sizeof(struct tcpstats_timers) == 24, "timers group");
_Static_assert(sizeof(struct tcpstats_buffers) == 16, "buffers group");
_Static_assert(sizeof(struct tcpstats_ecn) == 8, "ecn group");
_Static_assert(sizeof(struct tcpstats_names) == 32, "names group");
_Static_assert(sizeof(struct tcpstats_record) == 280, "full record");
_Static_assert(sizeof(struct tcpstats_counters) == 136, "counters");
_Static_assert(sizeof(struct tcpstats_errinfo) == 200, "errinfo");

#endif /* !_TCPSTATS_ABI_H_ */
