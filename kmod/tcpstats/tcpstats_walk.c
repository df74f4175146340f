/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_walk.c -- the read path: walk the TCP pcbs of the reader's
 * VNET, judge each with the core's matcher, fill and encode the ones that
 * match, and copy them out in batches.
 *
 * The walk holds one pcb read lock at a time (inp_next with
 * INPLOOKUP_RLOCKPCB) and nothing else.  Records go to the reader's
 * staging buffer; before uiomove() the walk parks its cursor (a reference
 * on the last pcb it finished, no lock), because the copy may fault and
 * sleep.  V_tcbinfo's list is ordered newest first (in_pcballoc inserts at
 * the head with the next gencnt), which is what makes both the snapshot
 * rule and the cursor cheap:
 *  - a pcb whose gencnt is above the snapshot's was created after the
 *    snapshot began and is skipped (TCPSTATS_SKIP_GENCNT);
 *  - resuming after the parked pcb continues in O(1); if that pcb left the
 *    list meanwhile, the walk restarts at the head and passes over every
 *    pcb whose gencnt is not below the parked one's, without locking them.
 *
 * A read is all or nothing towards its caller: when uiomove() fails the
 * read returns that error and nothing of it reaches the caller as a count,
 * so the cursor goes back to where the read began and the read's tally is
 * dropped.  Hence records_emitted counts only records of reads that
 * returned them, and visited == emitted + sum(skipped) holds exactly: the
 * pcbs of a failed read are visited again, and counted, by the next read.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/jail.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/signalvar.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sx.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/ucred.h>
#include <sys/uio.h>

#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_systm.h>
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_timer.h>
#include <netinet/tcp_var.h>
#include <netinet/cc/cc.h>

#include "tcpstats_var.h"
#include "tcpstats_probes.h"

_Static_assert(TCPS_TIME_WAIT == TCPSTATS_ST_TIME_WAIT,
    "TCPSTATS_ST_* follow the kernel's TCPS_* numbering");
_Static_assert(TCPS_CLOSE_WAIT == TCPSTATS_ST_CLOSE_WAIT,
    "TCPSTATS_ST_* follow the kernel's TCPS_* numbering");
_Static_assert(TCP_NSTATES == TCPSTATS_NSTATES,
    "one TCPSTATS_ST_* per kernel state");
_Static_assert(TCPSTATS_STAGE_SIZE >= sizeof(struct tcpstats_record),
    "the staging buffer holds at least one full record");

/* The walk's match callback: pass over pcbs already done (see above). */
struct walk_ctx {
	uint64_t	wc_below;	/* 0, or visit only gencnt < this */
};

static bool
walk_match(const struct inpcb *inp, void *arg)
{
	const struct walk_ctx *wc = arg;

	return (wc->wc_below == 0 || inp->inp_gencnt < wc->wc_below);
}

/* --- one pcb -------------------------------------------------------------- */

/*
 * The matcher's view of a pcb.  Returns true when the socket is an IPv6
 * socket carrying IPv4 (v4-mapped) addresses.  Called with the pcb locked.
 */
static bool
walk_conn(struct inpcb *inp, struct tcpstats_conn *c)
{
	bool mapped;

	INP_LOCK_ASSERT(inp);
	memset(c, 0, sizeof(*c));
	mapped = false;
#ifdef INET6
	if ((inp->inp_vflag & INP_IPV6) != 0) {
		c->tcn_family = TCPSTATS_AF_INET6;
		memcpy(c->tcn_laddr, &inp->in6p_laddr, 16);
		memcpy(c->tcn_raddr, &inp->in6p_faddr, 16);
	} else
#endif
	{
		c->tcn_family = TCPSTATS_AF_INET;
		memcpy(c->tcn_laddr, &inp->inp_laddr, 4);
		memcpy(c->tcn_raddr, &inp->inp_faddr, 4);
		/* An AF_INET6 socket that connected to or accepted IPv4. */
		mapped = (inp->inp_vflag & INP_IPV6PROTO) != 0;
	}
	c->tcn_lport = ntohs(inp->inp_lport);
	c->tcn_rport = ntohs(inp->inp_fport);
	c->tcn_state = intotcpcb(inp)->t_state;
	if (tcpstats_conn_normalize(c))
		mapped = true;
	return (mapped);
}

/* ms until an absolute sbintime_t timer fires; 0 when it is off. */
static uint32_t
walk_timer_ms(sbintime_t when, sbintime_t now)
{

	if (when == SBT_MAX || when <= now)
		return (0);
	return ((uint32_t)MIN((when - now) / SBT_1MS, (sbintime_t)UINT32_MAX));
}

/*
 * Fill a full record from a locked pcb, using only tcpcb fields and
 * exported functions (tcp_fill_info() is static on 14).  What the tcpcb
 * does not keep is marked absent rather than made up.
 */
static void
walk_fill(struct inpcb *inp, const struct tcpstats_conn *c, bool mapped,
    struct tcpstats_record *r)
{
	struct tcpcb *tp;
	struct socket *so;
	uint64_t absent;
	sbintime_t now;
	bool ticks_rtt;

	INP_LOCK_ASSERT(inp);
	tp = intotcpcb(inp);
	memset(r, 0, sizeof(*r));
	absent = 0;
	r->tr_hdr.trh_flags = mapped ? TCPSTATS_RF_MAPPED : 0;

	/* Who is it? */
	r->tr_identity.tid_family = c->tcn_family;
	r->tr_identity.tid_lport = c->tcn_lport;
	r->tr_identity.tid_rport = c->tcn_rport;
	r->tr_identity.tid_uid = inp->inp_cred->cr_uid;
	memcpy(r->tr_identity.tid_laddr, c->tcn_laddr, 16);
	memcpy(r->tr_identity.tid_raddr, c->tcn_raddr, 16);
	r->tr_identity.tid_cookie = inp->inp_gencnt;

	/* What state, which options? */
	r->tr_state.tst_state = c->tcn_state;
	if ((tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
	    (TF_REQ_TSTMP | TF_RCVD_TSTMP))
		r->tr_state.tst_options |= TCPSTATS_OPT_TIMESTAMPS;
	if ((tp->t_flags & TF_SACK_PERMIT) != 0)
		r->tr_state.tst_options |= TCPSTATS_OPT_SACK;
	if ((tp->t_flags & (TF_REQ_SCALE | TF_RCVD_SCALE)) ==
	    (TF_REQ_SCALE | TF_RCVD_SCALE)) {
		r->tr_state.tst_options |= TCPSTATS_OPT_WSCALE;
		r->tr_state.tst_snd_wscale = tp->snd_scale;
		r->tr_state.tst_rcv_wscale = tp->rcv_scale;
	}
	if ((tp->t_flags2 & (TF2_ECN_PERMIT | TF2_ACE_PERMIT)) != 0)
		r->tr_state.tst_options |= TCPSTATS_OPT_ECN;
	if ((tp->t_flags & TF_FASTOPEN) != 0)
		r->tr_state.tst_options |= TCPSTATS_OPT_TFO;

	/* Windows, in bytes. */
	r->tr_congestion.tcg_snd_cwnd = tp->snd_cwnd;
	r->tr_congestion.tcg_snd_ssthresh = tp->snd_ssthresh;
	r->tr_congestion.tcg_snd_wnd = tp->snd_wnd;
	r->tr_congestion.tcg_rcv_wnd = tp->rcv_wnd;
	r->tr_congestion.tcg_snd_mss = tp->t_maxseg;
	absent |= TCPSTATS_A_RCV_MSS;		/* the tcpcb keeps one MSS */

	/*
	 * RTT.  The base stack keeps ticks, shifted; stacks with microsecond
	 * timers (RACK, BBR) keep microseconds.  tcp_get_srtt() converts the
	 * smoothed RTT either way; the rest is converted here where the unit
	 * is known and marked absent where it is not.
	 */
	ticks_rtt = tp->t_tmr_granularity != TCP_TMR_GRANULARITY_USEC;
	r->tr_rtt.trt_srtt_us = tcp_get_srtt(tp, TCP_TMR_GRANULARITY_USEC);
	if (ticks_rtt) {
		r->tr_rtt.trt_rttvar_us =
		    (uint32_t)(((uint64_t)tp->t_rttvar * tick) >>
		    TCP_RTTVAR_SHIFT);
		r->tr_rtt.trt_rto_us = (uint32_t)tp->t_rxtcur * tick;
		r->tr_rtt.trt_min_rtt_us = (uint32_t)tp->t_rttlow * tick;
	} else {
		r->tr_rtt.trt_rttvar_us = (uint32_t)tp->t_rttvar;
		absent |= TCPSTATS_A_RTO | TCPSTATS_A_MIN_RTT;
	}

	/* Sequence space. */
	r->tr_sequences.tsq_snd_una = tp->snd_una;
	r->tr_sequences.tsq_snd_nxt = tp->snd_nxt;
	r->tr_sequences.tsq_snd_max = tp->snd_max;
	r->tr_sequences.tsq_rcv_nxt = tp->rcv_nxt;
	r->tr_sequences.tsq_iss = tp->iss;
	r->tr_sequences.tsq_irs = tp->irs;

	/* Traffic: the tcpcb counts sends and retransmits, not receives. */
	r->tr_counters.tct_bytes_sent = tp->t_sndbytes;
	r->tr_counters.tct_rexmit_bytes = tp->t_snd_rxt_bytes;
	r->tr_counters.tct_rexmit_segs = (uint32_t)tp->t_sndrexmitpack;
	r->tr_counters.tct_ooo_segs = (uint32_t)tp->t_rcvoopack;
	r->tr_counters.tct_zerowin = (uint32_t)tp->t_sndzerowin;
	absent |= TCPSTATS_A_BYTES_RECEIVED | TCPSTATS_A_SEGS_SENT |
	    TCPSTATS_A_SEGS_RECEIVED;

	/* Timers, ms from now. */
	now = getsbinuptime();
	r->tr_timers.ttm_rexmt_ms = walk_timer_ms(tp->t_timers[TT_REXMT], now);
	r->tr_timers.ttm_persist_ms =
	    walk_timer_ms(tp->t_timers[TT_PERSIST], now);
	r->tr_timers.ttm_keep_ms = walk_timer_ms(tp->t_timers[TT_KEEP], now);
	r->tr_timers.ttm_2msl_ms = walk_timer_ms(tp->t_timers[TT_2MSL], now);
	r->tr_timers.ttm_delack_ms =
	    walk_timer_ms(tp->t_timers[TT_DELACK], now);
	r->tr_timers.ttm_idle_ms = (uint32_t)(((uint64_t)(u_int)(ticks -
	    (int)tp->t_rcvtime)) * 1000 / hz);

	/*
	 * Socket buffers.  A listening socket's buffers share storage with
	 * its listen queue, and a TIME_WAIT pcb may have lost its socket.
	 */
	so = inp->inp_socket;
	if (so != NULL && !SOLISTENING(so)) {
		r->tr_buffers.tbf_snd_cc = so->so_snd.sb_ccc;
		r->tr_buffers.tbf_snd_hiwat = so->so_snd.sb_hiwat;
		r->tr_buffers.tbf_rcv_cc = so->so_rcv.sb_ccc;
		r->tr_buffers.tbf_rcv_hiwat = so->so_rcv.sb_hiwat;
	} else
		absent |= TCPSTATS_A_GRP_BUFFERS;

	/* ECN. */
	if ((tp->t_flags2 & TF2_ECN_PERMIT) != 0)
		r->tr_ecn.tec_flags |= TCPSTATS_ECNF_PERMIT;
	if ((tp->t_flags2 & TF2_ACE_PERMIT) != 0)
		r->tr_ecn.tec_flags |= TCPSTATS_ECNF_ACCECN;
	r->tr_ecn.tec_ce_rcvd = tp->t_rcep;

	/* Names, truncated to the record's 15 characters. */
	if (CC_ALGO(tp) != NULL)
		strlcpy(r->tr_names.tnm_cc, CC_ALGO(tp)->name,
		    sizeof(r->tr_names.tnm_cc));
	else
		absent |= TCPSTATS_A_CC_NAME;
	if (tp->t_fb != NULL)
		strlcpy(r->tr_names.tnm_stack, tp->t_fb->tfb_tcp_block_name,
		    sizeof(r->tr_names.tnm_stack));
	else
		absent |= TCPSTATS_A_STACK_NAME;

	r->tr_hdr.trh_absent = absent;
}

/*
 * Judge one locked pcb and, if it matches, encode it at buf.  Returns the
 * bytes written (0 when skipped).
 */
static size_t
walk_visit(struct tcpstats_reader *tr, struct inpcb *inp,
    struct tcpstats_tally *tally, char *buf, size_t room)
{
	const struct tcpstats_filter *f = &tr->tr_filter;
	struct tcpstats_record r;
	struct tcpstats_conn c;
	size_t n;
	bool mapped;
	int verdict;

	INP_RLOCK_ASSERT(inp);
	mapped = walk_conn(inp, &c);
	if (inp->inp_gencnt > tr->tr_cursor.tc_snap)
		verdict = TCPSTATS_SKIP_GENCNT;
	else if (cr_canseeinpcb(tr->tr_cred, inp) != 0)
		verdict = TCPSTATS_SKIP_CRED;
	else
		verdict = tcpstats_filter_match(f, &c);
	tcpstats_tally_count(tally, verdict);
	if (verdict != TCPSTATS_MATCH) {
		TCPSTATS_PROBE_SKIP(tr->tr_id, verdict, c.tcn_lport,
		    c.tcn_rport);
		return (0);
	}
	TCPSTATS_PROBE_MATCH(tr->tr_id, c.tcn_lport, c.tcn_rport);
	walk_fill(inp, &c, mapped, &r);
	n = tcpstats_encode(&r, f->tf_fields, f->tf_format, buf, room);
	KASSERT(n != 0, ("tcpstats: no room for a record the walk made room "
	    "for"));
	TCPSTATS_PROBE_FILL(tr->tr_id, n);
	return (n);
}

/*
 * Start loading the pcb inp_next() will return after inp while this one
 * is judged and filled: its inpcb (flags, addresses, ports) and the line
 * of its tcpcb holding the state (a bit-field: the member just before it
 * is named).  The link is read outside the SMR section, so it may already be
 * stale; a prefetch is only a hint and never faults, and inp_next() reads
 * the link again under SMR.
 */
static __inline void
walk_prefetch(struct inpcb *inp)
{
	struct inpcb *next;

	next = CK_LIST_NEXT(inp, inp_list);
	if (next != NULL) {
		__builtin_prefetch(next);
		__builtin_prefetch(&intotcpcb(next)->t_in_hpts);
	}
}

/* --- the cursor ----------------------------------------------------------- */

/* Park the cursor on a locked pcb the walk has finished with; unlock it. */
static void
walk_park(struct tcpstats_cursor *tc, struct inpcb *inp)
{

	INP_RLOCK_ASSERT(inp);
	in_pcbref(inp);
	tc->tc_inp = inp;
	tc->tc_gen = inp->inp_gencnt;
	INP_RUNLOCK(inp);
}

/* Drop the parked pcb's reference; the cursor keeps its gencnt. */
static void
walk_unpark(struct tcpstats_cursor *tc)
{
	struct inpcb *inp;

	inp = tc->tc_inp;
	if (inp == NULL)
		return;
	tc->tc_inp = NULL;
	INP_RLOCK(inp);
	if (!in_pcbrele_rlocked(inp))
		INP_RUNLOCK(inp);
}

/*
 * Forget the snapshot: the next read starts a new one.  Needs no VNET: the
 * pcb's zone and lock do not depend on it, and the held credentials keep
 * the pcb's VNET alive.
 */
void
tcpstats_walk_reset(struct tcpstats_reader *tr)
{

	walk_unpark(&tr->tr_cursor);
	tr->tr_cursor.tc_gen = 0;
	tr->tr_cursor.tc_snap = 0;
	tr->tr_cursor.tc_state = TCPSTATS_SNAP_IDLE;
}

/*
 * Visit at most max pcbs after the cursor, encoding matches into buf
 * while a record still fits, and park the cursor again (or mark the
 * snapshot done).  Called with the reader's VNET set and no pcb locked.
 */
static size_t
walk_step(struct tcpstats_reader *tr, struct tcpstats_tally *tally,
    char *buf, size_t room, size_t recsize, u_int max)
{
	struct tcpstats_cursor *tc = &tr->tr_cursor;
	struct walk_ctx wc = { .wc_below = tc->tc_gen };
	struct inpcb_iterator ii = INP_ITERATOR(&V_tcbinfo,
	    INPLOOKUP_RLOCKPCB, walk_match, &wc);
	struct inpcb *inp;
	size_t used;
	u_int visits;

	TR_LOCK_ASSERT(tr);

	/* Where does this step start? */
	inp = tc->tc_inp;
	if (inp != NULL) {
		tc->tc_inp = NULL;
		INP_RLOCK(inp);
		/*
		 * INP_FREED is private to in_pcb.c; in_pcbfree() clears
		 * inp_socket under the same write lock, so a pcb with its
		 * socket is still listed and the walk resumes after it.
		 * XXX: a TIME_WAIT pcb whose socket was closed has no socket
		 * either (in_pcbdetach), so resuming after one takes the
		 * restart below: correct, but one unlocked pass over the
		 * newer pcbs.
		 */
		if (inp->inp_socket != NULL) {
			/* Still listed, so ours is not the last reference. */
			(void)in_pcbrele_rlocked(inp);
			ii.inp = inp;	/* inp_next() continues after it */
		} else if (!in_pcbrele_rlocked(inp))
			INP_RUNLOCK(inp);
		/* Gone: from the head, past every gencnt >= tc_gen. */
	}

	used = 0;
	visits = 0;
	while ((inp = inp_next(&ii)) != NULL) {
		walk_prefetch(inp);
		used += walk_visit(tr, inp, tally, buf + used, room - used);
		visits++;
		if (visits >= max || room - used < recsize) {
			walk_park(tc, inp);
			return (used);
		}
	}
	tc->tc_state = TCPSTATS_SNAP_DONE;
	return (used);
}

/*
 * Copy a batch out.  On failure count the fault; the caller then rewinds
 * the read (see the top of the file).
 */
static int
walk_copyout(struct tcpstats_reader *tr, size_t len, struct uio *uio)
{
	int error;

	error = uiomove(tr->tr_stage, len, uio);
	if (error != 0) {
		counter_u64_add(tcpstats_g.tsg_c[TCPSTATS_C_COPYOUT_ERRORS], 1);
		tr->tr_counters.tsc_copyout_errors++;
	}
	return (error);
}

/* --- read ----------------------------------------------------------------- */

/*
 * Serve one read(): continue the reader's snapshot into uio.  Tallies
 * every pcb visited into *tally and says in *how whether the time budget
 * or a signal cut the read.  Called with tr_lock held, no other lock.
 *
 * Returns 0, or with nothing copied: what sig_intr() said (EINTR, or
 * ERESTART when the handler has SA_RESTART) for a signal, or the error of
 * uiomove(), in which case *tally is zero and the cursor is back where the
 * read began.
 */
int
tcpstats_walk_read(struct tcpstats_reader *tr, struct uio *uio,
    struct tcpstats_tally *tally, unsigned int *how)
{
	struct tcpstats_cursor *tc = &tr->tr_cursor;
	struct tcpstats_cursor begin;
	sbintime_t start, budget;
	size_t recsize, avail, staged, copied;
	int error, sig;

	TR_LOCK_ASSERT(tr);
	recsize = tcpstats_record_size(tr->tr_filter.tf_fields,
	    tr->tr_filter.tf_format);
	budget = (sbintime_t)atomic_load_int(&tcpstats_g.tsg_tun[
	    TCPSTATS_TUN_MAX_READ_DURATION_MS]) * SBT_1MS;
	start = sbinuptime();
	staged = 0;
	copied = 0;
	error = 0;
	sig = 0;

	/* Where does the read begin?  Held so that a failed copy can return. */
	begin = *tc;
	if (begin.tc_inp != NULL)
		in_pcbref(begin.tc_inp);

	CURVNET_SET(tr->tr_cred->cr_prison->pr_vnet);

	/* Is a snapshot in progress, or does this read begin one? */
	if (tc->tc_state == TCPSTATS_SNAP_IDLE) {
		tc->tc_snap = atomic_load_64(&V_tcbinfo.ipi_gencnt);
		tc->tc_gen = 0;
		tc->tc_state = TCPSTATS_SNAP_RUNNING;
	}

	while (tc->tc_state == TCPSTATS_SNAP_RUNNING) {
		/* Does another record fit in this batch? */
		avail = MIN(TCPSTATS_STAGE_SIZE, (size_t)uio->uio_resid);
		if (avail - staged >= recsize)
			staged += walk_step(tr, tally, tr->tr_stage + staged,
			    avail - staged, recsize, TCPSTATS_CHECK_EVERY);

		/*
		 * Is the batch full (or the walk over)?  Copy it out now that
		 * no pcb is locked: the copy may fault and sleep.
		 */
		if (staged > 0 && (tc->tc_state != TCPSTATS_SNAP_RUNNING ||
		    avail - staged < recsize)) {
			error = walk_copyout(tr, staged, uio);
			if (error != 0)
				break;
			copied += staged;
			staged = 0;
		}
		if ((size_t)uio->uio_resid < recsize)
			break;

		/*
		 * Has the reader been signalled?  Keep sig_intr()'s answer:
		 * ERESTART lets an SA_RESTART handler restart the read.
		 */
		if (tc->tc_state == TCPSTATS_SNAP_RUNNING &&
		    (sig = sig_intr()) != 0) {
			*how |= TCPSTATS_READ_INTERRUPTED;
			break;
		}

		/*
		 * Is the time up?  Only a read that has something to return
		 * stops, so that 0 keeps meaning the end of the snapshot.
		 */
		if (copied + staged > 0 && sbinuptime() - start > budget) {
			*how |= TCPSTATS_READ_TIMED_OUT;
			break;
		}
	}

	/* Records already staged belong to the caller: the cursor is past. */
	if (error == 0 && staged > 0) {
		error = walk_copyout(tr, staged, uio);
		if (error == 0)
			copied += staged;
	}

	/*
	 * Did the copy fail?  The caller gets the error and no count, so the
	 * read is undone: back to where it began (the reference taken there
	 * moves into the cursor), nothing visited, nothing emitted.
	 */
	if (error != 0) {
		walk_unpark(tc);
		*tc = begin;
		memset(tally, 0, sizeof(*tally));
	} else {
		walk_unpark(&begin);
		/* A signal is an error only when nothing was copied. */
		if (copied == 0 && sig != 0)
			error = sig;
	}

	CURVNET_RESTORE();
	return (error);
}

/* Sockets in the reader's stack, for TCPSTATS_IOC_VERSION. */
uint32_t
tcpstats_walk_count_hint(struct tcpstats_reader *tr)
{
	uint32_t n;

	CURVNET_SET(tr->tr_cred->cr_prison->pr_vnet);
	n = atomic_load_int(&V_tcbinfo.ipi_count);
	CURVNET_RESTORE();
	return (n);
}
