/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_fill.c -- Linux states to FreeBSD-named states (case P6), the
 * pushdown state mask, and records filled from a hand-built tcp_info:
 * units, absent fields, IPv4-mapped folding (case P3), TIME_WAIT (P4).
 */

#include <sys/socket.h>

#include <linux/tcp.h>
#include <netinet/in.h>

#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tsd.h"

/*
 * The oracle: Linux's include/net/tcp_states.h numbering beside the
 * FreeBSD name each one means.
 */
static const struct {
	unsigned int	linux_state;
	const char	*linux_name;
	int		want;
} states[] = {
	{ 1, "ESTABLISHED", TCPSTATS_ST_ESTABLISHED },
	{ 2, "SYN_SENT", TCPSTATS_ST_SYN_SENT },
	{ 3, "SYN_RECV", TCPSTATS_ST_SYN_RECEIVED },
	{ 4, "FIN_WAIT1", TCPSTATS_ST_FIN_WAIT_1 },
	{ 5, "FIN_WAIT2", TCPSTATS_ST_FIN_WAIT_2 },
	{ 6, "TIME_WAIT", TCPSTATS_ST_TIME_WAIT },
	{ 7, "CLOSE", TCPSTATS_ST_CLOSED },
	{ 8, "CLOSE_WAIT", TCPSTATS_ST_CLOSE_WAIT },
	{ 9, "LAST_ACK", TCPSTATS_ST_LAST_ACK },
	{ 10, "LISTEN", TCPSTATS_ST_LISTEN },
	{ 11, "CLOSING", TCPSTATS_ST_CLOSING },
	{ 12, "NEW_SYN_RECV", TCPSTATS_ST_SYN_RECEIVED },
	{ 13, "BOUND_INACTIVE", TCPSTATS_ST_CLOSED },
};

Test(state_map, every_linux_state_maps_to_its_freebsd_name)
{
	size_t i;
	int got;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		got = tsd_state_map(states[i].linux_state);
		cr_expect_eq(got, states[i].want, "Linux %s (%u): expected "
		    "TCPSTATS state %d, got %d", states[i].linux_name,
		    states[i].linux_state, states[i].want, got);
	}
}

Test(state_map, unknown_states_are_refused)
{

	cr_expect_eq(tsd_state_map(0), -1, "state 0 is not a TCP state");
	cr_expect_eq(tsd_state_map(14), -1, "state 14 does not exist");
	cr_expect_eq(tsd_state_map(255), -1, "state 255 does not exist");
}

Test(state_map, pushdown_mask_of_one_state)
{

	cr_expect_eq(tsd_states_pushdown(1u << TCPSTATS_ST_CLOSE_WAIT),
	    1u << 8, "close_wait is Linux state 8");
	cr_expect_eq(tsd_states_pushdown(1u << TCPSTATS_ST_SYN_RECEIVED),
	    (1u << 3) | (1u << 12), "syn_received is SYN_RECV and "
	    "NEW_SYN_RECV");
	cr_expect_eq(tsd_states_pushdown(1u << TCPSTATS_ST_TIME_WAIT),
	    1u << 6, "time_wait is Linux state 6");
}

Test(state_map, pushdown_mask_of_all_and_none)
{

	cr_expect_eq(tsd_states_pushdown(TCPSTATS_ST_ALL), 0x3ffe,
	    "every state: Linux states 1..13, got %#x",
	    tsd_states_pushdown(TCPSTATS_ST_ALL));
	cr_expect_eq(tsd_states_pushdown(0), 0, "no state: empty mask");
}

/* --- records -------------------------------------------------------------- */

static void
diag_v4(struct tsd_diag *d, uint8_t state)
{

	memset(d, 0, sizeof(*d));
	d->td_family = AF_INET;
	d->td_state = state;
	d->td_sport = 8080;
	d->td_dport = 40000;
	d->td_saddr[0] = 127;
	d->td_saddr[3] = 1;
	d->td_daddr[0] = 127;
	d->td_daddr[3] = 2;
	d->td_uid = 33;
	d->td_cookie = 77;
	d->td_rqueue = 5;
	d->td_wqueue = 9;
}

/* As diag_parse.c does: td_info points at tcp_info where it lies. */
static void
set_info(struct tsd_diag *d, const struct tcp_info *ti, size_t len)
{

	d->td_info = (const uint8_t *)ti;
	d->td_infolen = (uint16_t)len;
}

static void
fill(const struct tsd_diag *d, struct tcpstats_record *r)
{
	struct tcpstats_conn c;
	bool mapped;

	cr_assert(tsd_conn_from_diag(d, &c, &mapped), "state %u refused",
	    d->td_state);
	tsd_fill_record(d, &c, mapped, r);
}

Test(fill, units_from_tcp_info)
{
	struct tsd_diag d;
	struct tcp_info ti;
	struct tcpstats_record r;

	diag_v4(&d, TSD_TCP_ESTABLISHED);
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_snd_cwnd = 10;		/* segments */
	ti.tcpi_snd_mss = 1448;		/* bytes */
	ti.tcpi_rcv_mss = 536;
	ti.tcpi_snd_ssthresh = 20;	/* segments */
	ti.tcpi_rtt = 1234;		/* us */
	ti.tcpi_rttvar = 567;
	ti.tcpi_rto = 204000;		/* us */
	ti.tcpi_min_rtt = 99;
	ti.tcpi_options = TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK |
	    TCPI_OPT_WSCALE;
	ti.tcpi_snd_wscale = 7;
	ti.tcpi_rcv_wscale = 9;
	ti.tcpi_bytes_sent = 5000;
	ti.tcpi_bytes_retrans = 1000;
	ti.tcpi_bytes_received = 3000;
	ti.tcpi_segs_out = 12;
	ti.tcpi_segs_in = 11;
	ti.tcpi_total_retrans = 2;
	ti.tcpi_snd_wnd = 65535;
	ti.tcpi_last_data_recv = 40;
	ti.tcpi_last_ack_recv = 30;
	set_info(&d, &ti, sizeof(ti));
	fill(&d, &r);

	cr_expect_eq(r.tr_congestion.tcg_snd_cwnd, 14480, "cwnd: 10 segs * "
	    "1448 = 14480 bytes, got %u", r.tr_congestion.tcg_snd_cwnd);
	cr_expect_eq(r.tr_congestion.tcg_snd_ssthresh, 28960, "ssthresh: "
	    "20 * 1448 = 28960 bytes, got %u",
	    r.tr_congestion.tcg_snd_ssthresh);
	cr_expect_eq(r.tr_congestion.tcg_snd_mss, 1448);
	cr_expect_eq(r.tr_congestion.tcg_rcv_mss, 536);
	cr_expect_eq(r.tr_congestion.tcg_snd_wnd, 65535);
	cr_expect_eq(r.tr_rtt.trt_srtt_us, 1234, "srtt us: got %u",
	    r.tr_rtt.trt_srtt_us);
	cr_expect_eq(r.tr_rtt.trt_rttvar_us, 567);
	cr_expect_eq(r.tr_rtt.trt_rto_us, 204000, "rto us: got %u",
	    r.tr_rtt.trt_rto_us);
	cr_expect_eq(r.tr_rtt.trt_min_rtt_us, 99);
	cr_expect_eq(r.tr_state.tst_options, TCPSTATS_OPT_TIMESTAMPS |
	    TCPSTATS_OPT_SACK | TCPSTATS_OPT_WSCALE, "options: got %#x",
	    r.tr_state.tst_options);
	cr_expect_eq(r.tr_state.tst_snd_wscale, 7);
	cr_expect_eq(r.tr_state.tst_rcv_wscale, 9);
	cr_expect_eq(r.tr_counters.tct_bytes_sent, 5000);
	cr_expect_eq(r.tr_counters.tct_rexmit_bytes, 1000);
	cr_expect_eq(r.tr_counters.tct_bytes_received, 3000);
	cr_expect_eq(r.tr_counters.tct_segs_sent, 12);
	cr_expect_eq(r.tr_counters.tct_segs_received, 11);
	cr_expect_eq(r.tr_counters.tct_rexmit_segs, 2);
	cr_expect_eq(r.tr_timers.ttm_idle_ms, 30, "idle: the later of last "
	    "data (40 ms ago) and last ack (30 ms ago), got %u",
	    r.tr_timers.ttm_idle_ms);
	cr_expect_eq(r.tr_buffers.tbf_rcv_cc, 5);
	cr_expect_eq(r.tr_buffers.tbf_snd_cc, 9);
	cr_expect_eq(r.tr_identity.tid_uid, 33);
	cr_expect_eq(r.tr_identity.tid_cookie, 77);
	cr_expect_eq(r.tr_state.tst_state, TCPSTATS_ST_ESTABLISHED);
}

Test(fill, fields_linux_lacks_are_absent)
{
	struct tsd_diag d;
	struct tcp_info ti;
	struct tcpstats_record r;
	uint64_t a;

	diag_v4(&d, TSD_TCP_ESTABLISHED);
	memset(&ti, 0, sizeof(ti));
	set_info(&d, &ti, sizeof(ti));
	fill(&d, &r);
	a = r.tr_hdr.trh_absent;
	cr_expect_eq(a & TCPSTATS_A_GRP_SEQUENCES, TCPSTATS_A_GRP_SEQUENCES,
	    "Linux has no sequence numbers in tcp_info");
	cr_expect(a & TCPSTATS_A_ZEROWIN, "no zero-window probe count");
	cr_expect(a & TCPSTATS_A_T_DELACK, "no delayed-ACK timer");
	cr_expect(a & TCPSTATS_A_CE_RCVD, "no CE-received count");
	cr_expect(a & TCPSTATS_A_STACK_NAME, "one stack, no name");
	cr_expect(a & TCPSTATS_A_CC_NAME, "no INET_DIAG_CONG: cc absent");
	cr_expect(a & TCPSTATS_A_SND_HIWAT, "no SKMEMINFO: hiwat absent");
	cr_expect(!(a & TCPSTATS_A_SRTT), "srtt came with tcp_info");
	cr_expect(!(a & TCPSTATS_A_SND_CWND), "cwnd came with tcp_info");
	cr_expect(!(a & TCPSTATS_A_T_REXMT), "the rexmt timer is known");
}

Test(fill, short_tcp_info_marks_newer_fields_absent)
{
	struct tsd_diag d;
	struct tcp_info ti;
	struct tcpstats_record r;
	uint64_t a;

	diag_v4(&d, TSD_TCP_ESTABLISHED);
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 10;
	/* A kernel that stops after tcpi_total_retrans (Linux 3.x). */
	set_info(&d, &ti, offsetof(struct tcp_info, tcpi_pacing_rate));
	fill(&d, &r);
	a = r.tr_hdr.trh_absent;
	cr_expect(!(a & TCPSTATS_A_SRTT), "srtt is within the short info");
	cr_expect(a & TCPSTATS_A_MIN_RTT, "min_rtt is past the short info");
	cr_expect(a & TCPSTATS_A_BYTES_SENT, "bytes_sent is past it");
	cr_expect(a & TCPSTATS_A_SND_WND, "snd_wnd is past it");
	cr_expect(a & TCPSTATS_A_SEGS_SENT, "segs_out is past it");
}

Test(fill, time_wait_without_tcp_info)
{
	struct tsd_diag d;
	struct tcpstats_record r;
	uint64_t a;

	diag_v4(&d, TSD_TCP_TIME_WAIT);
	d.td_timer = 3;
	d.td_expires_ms = 59000;
	d.td_rqueue = d.td_wqueue = 0;
	fill(&d, &r);
	a = r.tr_hdr.trh_absent;
	cr_expect_eq(r.tr_state.tst_state, TCPSTATS_ST_TIME_WAIT,
	    "state: expected time_wait, got %u", r.tr_state.tst_state);
	cr_expect_eq(r.tr_timers.ttm_2msl_ms, 59000, "2msl: expected 59000 "
	    "ms, got %u", r.tr_timers.ttm_2msl_ms);
	cr_expect(!(a & TCPSTATS_A_T_2MSL), "2msl is known");
	cr_expect_eq(a & TCPSTATS_A_GRP_RTT, TCPSTATS_A_GRP_RTT,
	    "no tcp_info: every rtt field absent");
	cr_expect_eq(a & TCPSTATS_A_GRP_CONGESTION,
	    TCPSTATS_A_GRP_CONGESTION, "no tcp_info: congestion absent");
	cr_expect(a & TCPSTATS_A_OPTIONS, "no tcp_info: options absent");
}

Test(fill, ipv4_mapped_socket_is_reported_as_ipv4)
{
	struct tsd_diag d;
	struct tcpstats_conn c;
	struct tcpstats_record r;
	bool mapped;
	static const uint8_t want_l[16] = { 127, 0, 0, 1 };
	static const uint8_t want_r[16] = { 127, 0, 0, 9 };

	memset(&d, 0, sizeof(d));
	d.td_family = AF_INET6;
	d.td_state = TSD_TCP_ESTABLISHED;
	d.td_saddr[10] = d.td_saddr[11] = 0xff;
	d.td_saddr[12] = 127;
	d.td_saddr[15] = 1;
	d.td_daddr[10] = d.td_daddr[11] = 0xff;
	d.td_daddr[12] = 127;
	d.td_daddr[15] = 9;
	cr_assert(tsd_conn_from_diag(&d, &c, &mapped));
	cr_expect(mapped, "::ffff:127.0.0.1 is IPv4-mapped");
	cr_expect_eq(c.tcn_family, TCPSTATS_AF_INET, "family: expected 4, "
	    "got %u", c.tcn_family);
	tsd_fill_record(&d, &c, mapped, &r);
	cr_expect_eq(r.tr_identity.tid_family, TCPSTATS_AF_INET);
	cr_expect(r.tr_hdr.trh_flags & TCPSTATS_RF_MAPPED, "RF_MAPPED unset");
	cr_expect_arr_eq(r.tr_identity.tid_laddr, want_l, 16,
	    "local address: expected 127.0.0.1 in bytes 0-3, rest zero");
	cr_expect_arr_eq(r.tr_identity.tid_raddr, want_r, 16,
	    "remote address: expected 127.0.0.9 in bytes 0-3, rest zero");
}

Test(fill, listener_queues_read_zero)
{
	struct tsd_diag d;
	struct tcpstats_record r;

	diag_v4(&d, TSD_TCP_LISTEN);
	d.td_rqueue = 3;		/* accept queue length */
	d.td_wqueue = 128;		/* backlog */
	fill(&d, &r);
	cr_expect_eq(r.tr_buffers.tbf_rcv_cc, 0, "a listener buffers no "
	    "data; got %u", r.tr_buffers.tbf_rcv_cc);
	cr_expect_eq(r.tr_buffers.tbf_snd_cc, 0, "a listener buffers no "
	    "data; got %u", r.tr_buffers.tbf_snd_cc);
}

Test(fill, infinite_ssthresh_saturates)
{
	struct tsd_diag d;
	struct tcp_info ti;
	struct tcpstats_record r;

	diag_v4(&d, TSD_TCP_ESTABLISHED);
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_snd_ssthresh = 0x7fffffff;	/* TCP_INFINITE_SSTHRESH */
	ti.tcpi_snd_mss = 1448;
	set_info(&d, &ti, sizeof(ti));
	fill(&d, &r);
	cr_expect_eq(r.tr_congestion.tcg_snd_ssthresh, UINT32_MAX,
	    "ssthresh: expected saturation at %u, got %u", UINT32_MAX,
	    r.tr_congestion.tcg_snd_ssthresh);
}
