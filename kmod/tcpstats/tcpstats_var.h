/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_var.h -- state shared by the files of the tcpstats module:
 * the reader (one per open), the module-wide state, lock rules and the
 * functions each file offers the others.
 *
 * Locks, outermost first:
 *	tr_lock (sx, per reader)   serializes read() and ioctl() of one open
 *	tsg_node_lock (sx)         adding and removing profile sysctl nodes,
 *	                           tsg_sysctl_closing
 *	tsg_profile_lock (sx)      the profile table
 *	tsg_lock (mtx)             open/read counts, last_error
 *	inpcb read lock            one pcb at a time, only in the walk
 * No lock but tr_lock is held across uiomove().
 */

#ifndef _TCPSTATS_VAR_H_
#define	_TCPSTATS_VAR_H_

#include "tcpstats_ioctl.h"
#include "tcpstats_filter.h"

MALLOC_DECLARE(M_TCPSTATS);

/* Staging buffer of a reader: records are encoded here, then copied out. */
#define	TCPSTATS_STAGE_SIZE	(16 * 1024)

/* The walk looks for pending signals and the clock this often, in pcbs. */
#define	TCPSTATS_CHECK_EVERY	256

/* Where a reader's snapshot stands. */
enum tcpstats_snap {
	TCPSTATS_SNAP_IDLE = 0,		/* none; the next read starts one */
	TCPSTATS_SNAP_RUNNING,		/* a cursor is parked in the list */
	TCPSTATS_SNAP_DONE		/* walked to the end; read returns 0 */
};

/*
 * The cursor: where the next read resumes.  tc_inp is the last pcb the
 * walk finished with, held by a reference (in_pcbref) and no lock, so it
 * cannot be freed under us but may leave the list (in_pcbfree) meanwhile.
 * tc_gen is its generation count, noted while it was still listed: the
 * list is ordered by decreasing gencnt, so "every pcb with a gencnt below
 * tc_gen" is exactly the rest of the walk even when tc_inp is gone.
 */
struct tcpstats_cursor {
	struct inpcb	*tc_inp;	/* referenced, unlocked; or NULL */
	uint64_t	 tc_gen;	/* tc_inp's gencnt; 0 = from the head */
	uint64_t	 tc_snap;	/* pcbs above this gencnt are newer */
	enum tcpstats_snap tc_state;
};

/* One open of /dev/tcpstats. */
struct tcpstats_reader {
	struct sx	 tr_lock;
	uint64_t	 tr_id;		/* for probes, unique per load */
	struct ucred	*tr_cred;	/* opener's credentials (held) */
	struct tcpstats_filter tr_filter;
	struct tcpstats_cursor tr_cursor;
	char		*tr_stage;	/* TCPSTATS_STAGE_SIZE bytes */
	sbintime_t	 tr_last_end;	/* uptime at the end of the last read */
	struct tcpstats_counters tr_counters;
	struct tcpstats_errinfo tr_lasterr;
};

#define	TR_LOCK(tr)		sx_xlock(&(tr)->tr_lock)
#define	TR_UNLOCK(tr)		sx_xunlock(&(tr)->tr_lock)
#define	TR_LOCK_ASSERT(tr)	sx_assert(&(tr)->tr_lock, SA_XLOCKED)

/* Tunables, indexes into tsg_tun[]. */
enum {
	TCPSTATS_TUN_MAX_OPEN_FDS = 0,
	TCPSTATS_TUN_MAX_CONCURRENT_READERS,
	TCPSTATS_TUN_MAX_READ_DURATION_MS,
	TCPSTATS_TUN_MIN_READ_INTERVAL_MS,
	TCPSTATS_NTUN
};

/* Global counters kept per CPU; the rest of tcpstats_counters is below. */
enum {
	TCPSTATS_C_OPENS = 0,
	TCPSTATS_C_READS,
	TCPSTATS_C_VISITED,
	TCPSTATS_C_EMITTED,
	TCPSTATS_C_SKIP0,		/* TCPSTATS_NSKIP counters follow */
	TCPSTATS_C_TIMED_OUT = TCPSTATS_C_SKIP0 + TCPSTATS_NSKIP,
	TCPSTATS_C_INTERRUPTED,
	TCPSTATS_C_DURATION_NS,
	TCPSTATS_C_COPYOUT_ERRORS,
	TCPSTATS_NCOUNTERS
};

struct tcpstats_global {
	struct mtx	 tsg_lock;
	struct sx	 tsg_node_lock;
	struct sx	 tsg_profile_lock;
	struct cdev	*tsg_dev;
	counter_u64_t	 tsg_c[TCPSTATS_NCOUNTERS];
	uint64_t	 tsg_duration_max;	/* ns; atomic */
	int64_t		 tsg_last_error;	/* errno; atomic */
	u_int		 tsg_open;		/* (l) readers open; read
						   atomically */
	u_int		 tsg_reading;		/* (l) reads in progress */
	uint64_t	 tsg_next_id;		/* (l) */
	bool		 tsg_unloading;		/* (l) no new opens */
	int		 tsg_tun[TCPSTATS_NTUN]; /* atomic */
	struct tcpstats_profiles tsg_profiles;	/* (p) */
	struct sysctl_ctx_list tsg_sysctl_ctx;	/* everything below
						   dev.tcpstats */
	struct sysctl_oid *tsg_prof_node;	/* dev.tcpstats.profiles */
	struct sysctl_oid *tsg_prof_oid[TCPSTATS_MAX_PROFILES]; /* (n) */
	bool		 tsg_sysctl_closing;	/* (n) tree being removed */
};

extern struct tcpstats_global tcpstats_g;

#define	TSG_LOCK()		mtx_lock(&tcpstats_g.tsg_lock)
#define	TSG_UNLOCK()		mtx_unlock(&tcpstats_g.tsg_lock)
#define	TSG_LOCK_ASSERT()	mtx_assert(&tcpstats_g.tsg_lock, MA_OWNED)
#define	TSG_NODE_XLOCK()	sx_xlock(&tcpstats_g.tsg_node_lock)
#define	TSG_NODE_XUNLOCK()	sx_xunlock(&tcpstats_g.tsg_node_lock)
#define	TSG_NODE_LOCK_ASSERT()	sx_assert(&tcpstats_g.tsg_node_lock, SA_XLOCKED)
#define	TSG_PROF_XLOCK()	sx_xlock(&tcpstats_g.tsg_profile_lock)
#define	TSG_PROF_XUNLOCK()	sx_xunlock(&tcpstats_g.tsg_profile_lock)
#define	TSG_PROF_SLOCK()	sx_slock(&tcpstats_g.tsg_profile_lock)
#define	TSG_PROF_SUNLOCK()	sx_sunlock(&tcpstats_g.tsg_profile_lock)
#define	TSG_PROF_LOCK_ASSERT()	\
	sx_assert(&tcpstats_g.tsg_profile_lock, SA_XLOCKED)

/* tcpstats_walk.c */
int	tcpstats_walk_read(struct tcpstats_reader *tr, struct uio *uio,
	    struct tcpstats_tally *tally, unsigned int *how);
void	tcpstats_walk_reset(struct tcpstats_reader *tr);
uint32_t tcpstats_walk_count_hint(struct tcpstats_reader *tr);

/* tcpstats_sysctl.c */
int	tcpstats_sysctl_init(void);
int	tcpstats_sysctl_fini(void);
int	tcpstats_counters_init(void);
void	tcpstats_counters_fini(void);
void	tcpstats_counters_fold(const struct tcpstats_tally *t,
	    uint64_t duration_ns, unsigned int how);
void	tcpstats_counters_snapshot(struct tcpstats_counters *c);
void	tcpstats_set_last_error(int error);
int	tcpstats_profile_apply(const char *name, const char *text,
	    bool may_create, struct tcpstats_errinfo *err);
int	tcpstats_profile_remove(const char *name);
void	tcpstats_profiles_fini(void);
int	tcpstats_errno(int core_rc);

#endif /* !_TCPSTATS_VAR_H_ */
