/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fill.c -- Linux sockets in the record layout: state numbering, the
 * matcher's view, the full record, and the three in a row for one dump
 * message (tsd_visit, the read path's inner loop).
 *
 * Every field Linux does not provide is marked in trh_absent rather than
 * invented; docs/tcpstatsd.md has the whole mapping table.  tcp_info is
 * read only as far as the kernel sent it, so a field newer than the
 * running kernel is absent too.
 */

#include <sys/socket.h>

#include <linux/tcp.h>
#include <netinet/in.h>

#include <stddef.h>
#include <string.h>

#include "tsd.h"

/* Linux TCP_* -> TCPSTATS_ST_* (FreeBSD's numbering). */
static const int8_t state_map[TSD_TCP_NSTATES] = {
	[0] = -1,
	[TSD_TCP_ESTABLISHED] = TCPSTATS_ST_ESTABLISHED,
	[TSD_TCP_SYN_SENT] = TCPSTATS_ST_SYN_SENT,
	[TSD_TCP_SYN_RECV] = TCPSTATS_ST_SYN_RECEIVED,
	[TSD_TCP_FIN_WAIT1] = TCPSTATS_ST_FIN_WAIT_1,
	[TSD_TCP_FIN_WAIT2] = TCPSTATS_ST_FIN_WAIT_2,
	[TSD_TCP_TIME_WAIT] = TCPSTATS_ST_TIME_WAIT,
	[TSD_TCP_CLOSE] = TCPSTATS_ST_CLOSED,
	[TSD_TCP_CLOSE_WAIT] = TCPSTATS_ST_CLOSE_WAIT,
	[TSD_TCP_LAST_ACK] = TCPSTATS_ST_LAST_ACK,
	[TSD_TCP_LISTEN] = TCPSTATS_ST_LISTEN,
	[TSD_TCP_CLOSING] = TCPSTATS_ST_CLOSING,
	[TSD_TCP_NEW_SYN_RECV] = TCPSTATS_ST_SYN_RECEIVED,
	[TSD_TCP_BOUND_INACTIVE] = TCPSTATS_ST_CLOSED,
};

int
tsd_state_map(unsigned int linux_state)
{

	if (linux_state >= TSD_TCP_NSTATES)
		return (-1);
	return (state_map[linux_state]);
}

uint32_t
tsd_states_pushdown(uint16_t tf_states)
{
	uint32_t mask;
	unsigned int l;
	int s;

	mask = 0;
	for (l = 0; l < TSD_TCP_NSTATES; l++) {
		s = tsd_state_map(l);
		if (s >= 0 && (tf_states & (1u << s)) != 0)
			mask |= 1u << l;
	}
	return (mask);
}

bool
tsd_conn_from_diag(const struct tsd_diag *d, struct tcpstats_conn *c,
    bool *mapped)
{
	int s;

	memset(c, 0, sizeof(*c));
	*mapped = false;
	s = tsd_state_map(d->td_state);
	if (s < 0)
		return (false);
	c->tcn_state = (uint8_t)s;
	c->tcn_lport = d->td_sport;
	c->tcn_rport = d->td_dport;
	if (d->td_family == AF_INET) {
		c->tcn_family = TCPSTATS_AF_INET;
		memcpy(c->tcn_laddr, d->td_saddr, 4);
		memcpy(c->tcn_raddr, d->td_daddr, 4);
	} else {
		c->tcn_family = TCPSTATS_AF_INET6;
		memcpy(c->tcn_laddr, d->td_saddr, 16);
		memcpy(c->tcn_raddr, d->td_daddr, 16);
		*mapped = tcpstats_conn_normalize(c);
	}
	return (true);
}

/* The tcp_info field f arrived whole. */
#define	HAVE(d, f)	(offsetof(struct tcp_info, f) +		\
	sizeof(((struct tcp_info *)0)->f) <= (d)->td_infolen)

/*
 * tcpi_rcv_wnd (our advertised window, Linux 6.2+) follows tcpi_snd_wnd;
 * older headers do not declare it, so it is read by offset.
 */
#define	RCV_WND_OFF	(offsetof(struct tcp_info, tcpi_snd_wnd) + 4)

static uint32_t
mul_sat(uint32_t a, uint32_t b)
{
	uint64_t p;

	p = (uint64_t)a * b;
	return (p > UINT32_MAX ? UINT32_MAX : (uint32_t)p);
}

static void
fill_from_info(const struct tsd_diag *d, struct tcpstats_record *r,
    uint64_t *absent)
{
	struct tcp_info ti;
	size_t n;
	uint32_t v;

	/* Aligned, and zero past what an older kernel sent. */
	n = d->td_infolen < sizeof(ti) ? d->td_infolen : sizeof(ti);
	if (n < sizeof(ti))
		memset(&ti, 0, sizeof(ti));
	memcpy(&ti, d->td_info, n);

	if (HAVE(d, tcpi_rcv_mss)) {
		if (ti.tcpi_options & TCPI_OPT_TIMESTAMPS)
			r->tr_state.tst_options |= TCPSTATS_OPT_TIMESTAMPS;
		if (ti.tcpi_options & TCPI_OPT_SACK)
			r->tr_state.tst_options |= TCPSTATS_OPT_SACK;
		if (ti.tcpi_options & TCPI_OPT_WSCALE) {
			r->tr_state.tst_options |= TCPSTATS_OPT_WSCALE;
			r->tr_state.tst_snd_wscale = ti.tcpi_snd_wscale;
			r->tr_state.tst_rcv_wscale = ti.tcpi_rcv_wscale;
		}
		if (ti.tcpi_options & TCPI_OPT_ECN) {
			r->tr_state.tst_options |= TCPSTATS_OPT_ECN;
			r->tr_ecn.tec_flags |= TCPSTATS_ECNF_PERMIT;
		}
		if (ti.tcpi_options & TCPI_OPT_SYN_DATA)
			r->tr_state.tst_options |= TCPSTATS_OPT_TFO;
		r->tr_congestion.tcg_snd_mss = ti.tcpi_snd_mss;
		r->tr_congestion.tcg_rcv_mss = ti.tcpi_rcv_mss;
		r->tr_rtt.trt_rto_us = ti.tcpi_rto;
		*absent &= ~(TCPSTATS_A_OPTIONS | TCPSTATS_A_WSCALE |
		    TCPSTATS_A_ECN_FLAGS | TCPSTATS_A_SND_MSS |
		    TCPSTATS_A_RCV_MSS | TCPSTATS_A_RTO);
	}
	if (HAVE(d, tcpi_last_ack_recv)) {
		v = ti.tcpi_last_data_recv < ti.tcpi_last_ack_recv ?
		    ti.tcpi_last_data_recv : ti.tcpi_last_ack_recv;
		r->tr_timers.ttm_idle_ms = v;
		*absent &= ~TCPSTATS_A_T_IDLE;
	}
	if (HAVE(d, tcpi_snd_cwnd)) {
		r->tr_rtt.trt_srtt_us = ti.tcpi_rtt;
		r->tr_rtt.trt_rttvar_us = ti.tcpi_rttvar;
		r->tr_congestion.tcg_snd_cwnd = mul_sat(ti.tcpi_snd_cwnd,
		    ti.tcpi_snd_mss);
		r->tr_congestion.tcg_snd_ssthresh =
		    mul_sat(ti.tcpi_snd_ssthresh, ti.tcpi_snd_mss);
		*absent &= ~(TCPSTATS_A_SRTT | TCPSTATS_A_RTTVAR |
		    TCPSTATS_A_SND_CWND | TCPSTATS_A_SND_SSTHRESH);
	}
	if (HAVE(d, tcpi_total_retrans)) {
		r->tr_counters.tct_rexmit_segs = ti.tcpi_total_retrans;
		*absent &= ~TCPSTATS_A_REXMIT_SEGS;
	}
	if (HAVE(d, tcpi_bytes_received)) {
		r->tr_counters.tct_bytes_received = ti.tcpi_bytes_received;
		*absent &= ~TCPSTATS_A_BYTES_RECEIVED;
	}
	if (HAVE(d, tcpi_segs_in)) {
		r->tr_counters.tct_segs_sent = ti.tcpi_segs_out;
		r->tr_counters.tct_segs_received = ti.tcpi_segs_in;
		*absent &= ~(TCPSTATS_A_SEGS_SENT | TCPSTATS_A_SEGS_RECEIVED);
	}
	if (HAVE(d, tcpi_min_rtt)) {
		r->tr_rtt.trt_min_rtt_us = ti.tcpi_min_rtt;
		*absent &= ~TCPSTATS_A_MIN_RTT;
	}
	if (HAVE(d, tcpi_bytes_retrans)) {
		r->tr_counters.tct_bytes_sent = ti.tcpi_bytes_sent;
		r->tr_counters.tct_rexmit_bytes = ti.tcpi_bytes_retrans;
		*absent &= ~(TCPSTATS_A_BYTES_SENT | TCPSTATS_A_REXMIT_BYTES);
	}
	if (HAVE(d, tcpi_rcv_ooopack)) {
		r->tr_counters.tct_ooo_segs = ti.tcpi_rcv_ooopack;
		*absent &= ~TCPSTATS_A_OOO_SEGS;
	}
	if (HAVE(d, tcpi_snd_wnd)) {
		r->tr_congestion.tcg_snd_wnd = ti.tcpi_snd_wnd;
		*absent &= ~TCPSTATS_A_SND_WND;
	}
	if (RCV_WND_OFF + 4 <= d->td_infolen) {
		memcpy(&v, d->td_info + RCV_WND_OFF, 4);
		r->tr_congestion.tcg_rcv_wnd = v;
		*absent &= ~TCPSTATS_A_RCV_WND;
	}
}

/*
 * inet_diag reports one timer: the retransmit/probe timer has priority
 * over keepalive, so when it is pending the keepalive timer is unknown.
 */
static void
fill_timers(const struct tsd_diag *d, struct tcpstats_record *r,
    uint64_t *absent)
{
	struct tcpstats_timers *t = &r->tr_timers;

	*absent &= ~(TCPSTATS_A_T_REXMT | TCPSTATS_A_T_PERSIST |
	    TCPSTATS_A_T_KEEP | TCPSTATS_A_T_2MSL);
	switch (d->td_timer) {
	case 1:
		t->ttm_rexmt_ms = d->td_expires_ms;
		*absent |= TCPSTATS_A_T_KEEP;
		break;
	case 2:
		t->ttm_keep_ms = d->td_expires_ms;
		break;
	case 3:
		t->ttm_2msl_ms = d->td_expires_ms;
		break;
	case 4:
		t->ttm_persist_ms = d->td_expires_ms;
		*absent |= TCPSTATS_A_T_KEEP;
		break;
	default:
		break;
	}
}

void
tsd_fill_record(const struct tsd_diag *d, const struct tcpstats_conn *c,
    bool mapped, struct tcpstats_record *r)
{
	uint64_t absent;

	memset(r, 0, sizeof(*r));
	/* Start from "nothing known" and clear what Linux tells us. */
	absent = TCPSTATS_A_GRP_STATE | TCPSTATS_A_GRP_CONGESTION |
	    TCPSTATS_A_GRP_RTT | TCPSTATS_A_GRP_SEQUENCES |
	    TCPSTATS_A_GRP_COUNTERS | TCPSTATS_A_GRP_TIMERS |
	    TCPSTATS_A_GRP_BUFFERS | TCPSTATS_A_GRP_ECN |
	    TCPSTATS_A_GRP_NAMES;

	r->tr_identity.tid_family = c->tcn_family;
	r->tr_identity.tid_lport = c->tcn_lport;
	r->tr_identity.tid_rport = c->tcn_rport;
	r->tr_identity.tid_uid = d->td_uid;
	memcpy(r->tr_identity.tid_laddr, c->tcn_laddr, 16);
	memcpy(r->tr_identity.tid_raddr, c->tcn_raddr, 16);
	r->tr_identity.tid_cookie = d->td_cookie;
	r->tr_state.tst_state = c->tcn_state;

	if (d->td_infolen > 0)
		fill_from_info(d, r, &absent);
	fill_timers(d, r, &absent);

	/*
	 * Queues: listeners report accept-queue lengths there, and their
	 * socket buffers hold no data, so they read 0.
	 */
	if (d->td_state != TSD_TCP_LISTEN) {
		r->tr_buffers.tbf_snd_cc = d->td_wqueue;
		r->tr_buffers.tbf_rcv_cc = d->td_rqueue;
	}
	absent &= ~(TCPSTATS_A_SND_CC | TCPSTATS_A_RCV_CC);
	if (d->td_have_mem) {
		r->tr_buffers.tbf_snd_hiwat = d->td_sndbuf;
		r->tr_buffers.tbf_rcv_hiwat = d->td_rcvbuf;
		absent &= ~(TCPSTATS_A_SND_HIWAT | TCPSTATS_A_RCV_HIWAT);
	}
	if (d->td_have_cc) {
		memcpy(r->tr_names.tnm_cc, d->td_cc,
		    sizeof(r->tr_names.tnm_cc));
		r->tr_names.tnm_cc[sizeof(r->tr_names.tnm_cc) - 1] = '\0';
		absent &= ~TCPSTATS_A_CC_NAME;
	}

	r->tr_hdr.trh_version = TCPSTATS_REC_VERSION;
	r->tr_hdr.trh_length = sizeof(*r);
	r->tr_hdr.trh_fields = TCPSTATS_F_ALL;
	r->tr_hdr.trh_flags = mapped ? TCPSTATS_RF_MAPPED : 0;
	r->tr_hdr.trh_absent = absent;
}

bool
tsd_visit(const struct tcpstats_filter *f, const void *msg, size_t msglen,
    char *out, size_t room, int *verdict, uint16_t *lport, uint16_t *rport,
    size_t *len)
{
	struct tsd_diag d;
	struct tcpstats_conn c;
	struct tcpstats_record r;
	bool mapped;

	*len = 0;
	if (tsd_diag_parse(msg, msglen, &d) != 0)
		return (false);
	*lport = d.td_sport;
	*rport = d.td_dport;
	/* A state this build does not know cannot be filtered. */
	if (!tsd_conn_from_diag(&d, &c, &mapped))
		*verdict = TCPSTATS_SKIP_STATE;
	else
		*verdict = tcpstats_filter_match(f, &c);
	if (*verdict != TCPSTATS_MATCH)
		return (true);
	tsd_fill_record(&d, &c, mapped, &r);
	*len = tcpstats_encode(&r, f->tf_fields, f->tf_format, out, room);
	return (true);
}
