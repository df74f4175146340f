/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tools_test.h -- records with known values for the formatting tests.
 */

#ifndef _TCPSTATS_TEST_TOOLS_H_
#define	_TCPSTATS_TEST_TOOLS_H_

#include <string.h>

#include "tcpstats_abi.h"

/*
 * 127.0.0.1:8080 -> 127.0.0.1:40000, established, srtt 1500 us, cwnd
 * 14480 bytes, 2048 bytes queued to send, 0 to read; every group carried.
 */
static inline void
tt_record_v4(struct tcpstats_record *r)
{

	memset(r, 0, sizeof(*r));
	r->tr_hdr.trh_version = TCPSTATS_REC_VERSION;
	r->tr_hdr.trh_length = sizeof(*r);
	r->tr_hdr.trh_fields = TCPSTATS_F_ALL;
	r->tr_identity.tid_family = TCPSTATS_AF_INET;
	r->tr_identity.tid_lport = 8080;
	r->tr_identity.tid_rport = 40000;
	r->tr_identity.tid_uid = 1001;
	r->tr_identity.tid_laddr[0] = 127;
	r->tr_identity.tid_laddr[3] = 1;
	r->tr_identity.tid_raddr[0] = 127;
	r->tr_identity.tid_raddr[3] = 1;
	r->tr_identity.tid_cookie = 77;
	r->tr_state.tst_state = TCPSTATS_ST_ESTABLISHED;
	r->tr_state.tst_options = TCPSTATS_OPT_TIMESTAMPS | TCPSTATS_OPT_SACK;
	r->tr_state.tst_snd_wscale = 7;
	r->tr_state.tst_rcv_wscale = 9;
	r->tr_congestion.tcg_snd_cwnd = 14480;
	r->tr_congestion.tcg_snd_mss = 1448;
	r->tr_rtt.trt_srtt_us = 1500;
	r->tr_rtt.trt_rto_us = 201000;
	r->tr_sequences.tsq_iss = 4000000000u;
	r->tr_counters.tct_bytes_sent = 123456789012ull;
	r->tr_timers.ttm_keep_ms = 7200000;
	r->tr_buffers.tbf_snd_cc = 2048;
	r->tr_buffers.tbf_snd_hiwat = 65536;
	r->tr_buffers.tbf_rcv_cc = 0;
	r->tr_ecn.tec_flags = TCPSTATS_ECNF_PERMIT;
	r->tr_ecn.tec_ce_rcvd = 3;
	strcpy(r->tr_names.tnm_cc, "cubic");
	strcpy(r->tr_names.tnm_stack, "freebsd");
}

/* [2001:db8::33:99]:443 listening; every group carried. */
static inline void
tt_record_v6_listen(struct tcpstats_record *r)
{
	static const unsigned char a[16] = { 0x20, 0x01, 0x0d, 0xb8,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x33, 0, 0x99 };

	tt_record_v4(r);
	r->tr_identity.tid_family = TCPSTATS_AF_INET6;
	memcpy(r->tr_identity.tid_laddr, a, sizeof(a));
	memset(r->tr_identity.tid_raddr, 0, sizeof(r->tr_identity.tid_raddr));
	r->tr_identity.tid_lport = 443;
	r->tr_identity.tid_rport = 0;
	r->tr_state.tst_state = TCPSTATS_ST_LISTEN;
}

#endif /* !_TCPSTATS_TEST_TOOLS_H_ */
