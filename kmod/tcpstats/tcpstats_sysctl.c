/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_sysctl.c -- dev.tcpstats: counters, tunables and profiles.
 *
 * The counters are counter(9) per-CPU counters, added once per read from
 * the read's own tally, so visited == emitted + sum(skipped) holds for
 * every read and therefore for the totals.  Profiles appear as string
 * nodes dev.tcpstats.profiles.<name>, created and destroyed with the
 * profile (each in a sysctl context of its own).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/sbuf.h>
#include <sys/sx.h>
#include <sys/sysctl.h>

#include "tcpstats_var.h"
#include "tcpstats_probes.h"

static int	tcpstats_sysctl_tunable(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_counter(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_active(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_profile(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_profile_set(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_profile_delete(SYSCTL_HANDLER_ARGS);

/* Bounds of the tunables, in tsg_tun[] order. */
static const struct {
	const char	*tb_name;
	int		 tb_min;
	int		 tb_max;
} tcpstats_tun_bounds[TCPSTATS_NTUN] = {
	[TCPSTATS_TUN_MAX_OPEN_FDS] =		{ "max_open_fds", 1, 65536 },
	[TCPSTATS_TUN_MAX_CONCURRENT_READERS] = {
					"max_concurrent_readers", 1, 4096 },
	[TCPSTATS_TUN_MAX_READ_DURATION_MS] =	{
					"max_read_duration_ms", 1, 3600000 },
	[TCPSTATS_TUN_MIN_READ_INTERVAL_MS] =	{
					"min_read_interval_ms", 0, 3600000 },
};

/* --- the tree ------------------------------------------------------------- */

SYSCTL_NODE(_dev, OID_AUTO, tcpstats, CTLFLAG_RW | CTLFLAG_MPSAFE, 0,
    "TCP connection statistics device (/dev/tcpstats)");
SYSCTL_NODE(_dev_tcpstats, OID_AUTO, profiles, CTLFLAG_RW | CTLFLAG_MPSAFE,
    0, "Named filter profiles, one string node each");

#define	TCPSTATS_TUNABLE(name, idx, descr)				\
	SYSCTL_PROC(_dev_tcpstats, OID_AUTO, name,			\
	    CTLTYPE_INT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, NULL, (idx),	\
	    tcpstats_sysctl_tunable, "I", descr)

TCPSTATS_TUNABLE(max_open_fds, TCPSTATS_TUN_MAX_OPEN_FDS,
    "Opens of /dev/tcpstats allowed at once (EMFILE past it)");
TCPSTATS_TUNABLE(max_concurrent_readers, TCPSTATS_TUN_MAX_CONCURRENT_READERS,
    "Reads allowed in progress at once (EBUSY past it)");
TCPSTATS_TUNABLE(max_read_duration_ms, TCPSTATS_TUN_MAX_READ_DURATION_MS,
    "Time budget of one read in ms; over it a read returns what it has");
TCPSTATS_TUNABLE(min_read_interval_ms, TCPSTATS_TUN_MIN_READ_INTERVAL_MS,
    "Least ms between the end of a read and the next read of the same "
    "open (0 = off; EBUSY)");

#define	TCPSTATS_COUNTER(name, idx, descr)				\
	SYSCTL_PROC(_dev_tcpstats, OID_AUTO, name,			\
	    CTLTYPE_U64 | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, (idx),	\
	    tcpstats_sysctl_counter, "QU", descr)

TCPSTATS_COUNTER(opens_total, TCPSTATS_C_OPENS, "Successful opens");
SYSCTL_PROC(_dev_tcpstats, OID_AUTO, active_fds,
    CTLTYPE_U64 | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, 0,
    tcpstats_sysctl_active, "QU", "Opens not yet closed");
TCPSTATS_COUNTER(reads_total, TCPSTATS_C_READS, "read() calls served");
TCPSTATS_COUNTER(sockets_visited, TCPSTATS_C_VISITED, "Sockets looked at");
TCPSTATS_COUNTER(records_emitted, TCPSTATS_C_EMITTED, "Records copied out");
TCPSTATS_COUNTER(sockets_skipped_gencnt,
    TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_GENCNT,
    "Sockets skipped: created after the snapshot began");
TCPSTATS_COUNTER(sockets_skipped_cred, TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_CRED,
    "Sockets skipped: not visible to the opener");
TCPSTATS_COUNTER(sockets_skipped_ipver,
    TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_IPVER,
    "Sockets skipped: ipv4_only / ipv6_only");
TCPSTATS_COUNTER(sockets_skipped_state,
    TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_STATE,
    "Sockets skipped: exclude / include_state");
TCPSTATS_COUNTER(sockets_skipped_port, TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_PORT,
    "Sockets skipped: local_port / remote_port");
TCPSTATS_COUNTER(sockets_skipped_addr, TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_ADDR,
    "Sockets skipped: local_addr / remote_addr");
TCPSTATS_COUNTER(reads_timed_out, TCPSTATS_C_TIMED_OUT,
    "Reads cut short by max_read_duration_ms");
TCPSTATS_COUNTER(reads_interrupted, TCPSTATS_C_INTERRUPTED,
    "Reads cut short by a signal");
TCPSTATS_COUNTER(read_duration_ns_total, TCPSTATS_C_DURATION_NS,
    "Time spent in read(), ns");
SYSCTL_U64(_dev_tcpstats, OID_AUTO, read_duration_ns_max,
    CTLFLAG_RD | CTLFLAG_MPSAFE, &tcpstats_g.tsg_duration_max, 0,
    "Longest read(), ns");
TCPSTATS_COUNTER(copyout_errors, TCPSTATS_C_COPYOUT_ERRORS,
    "Reads that faulted copying records out");
SYSCTL_S64(_dev_tcpstats, OID_AUTO, last_error,
    CTLFLAG_RD | CTLFLAG_MPSAFE, &tcpstats_g.tsg_last_error, 0,
    "errno of the last failed call, 0 = none yet");

SYSCTL_PROC(_dev_tcpstats, OID_AUTO, profile_set,
    CTLTYPE_STRING | CTLFLAG_WR | CTLFLAG_MPSAFE, NULL, 0,
    tcpstats_sysctl_profile_set, "A",
    "Create or replace a profile: \"name:filter text\"");
SYSCTL_PROC(_dev_tcpstats, OID_AUTO, profile_delete,
    CTLTYPE_STRING | CTLFLAG_WR | CTLFLAG_MPSAFE, NULL, 0,
    tcpstats_sysctl_profile_delete, "A", "Delete the profile of this name");

/* --- counters ------------------------------------------------------------- */

int
tcpstats_counters_init(void)
{
	int i;

	for (i = 0; i < TCPSTATS_NCOUNTERS; i++)
		tcpstats_g.tsg_c[i] = counter_u64_alloc(M_WAITOK);
	return (0);
}

void
tcpstats_counters_fini(void)
{
	int i;

	for (i = 0; i < TCPSTATS_NCOUNTERS; i++) {
		if (tcpstats_g.tsg_c[i] != NULL)
			counter_u64_free(tcpstats_g.tsg_c[i]);
		tcpstats_g.tsg_c[i] = NULL;
	}
}

/* Fold one read into the global counters. */
void
tcpstats_counters_fold(const struct tcpstats_tally *t, uint64_t duration_ns,
    unsigned int how)
{
	counter_u64_t *c = tcpstats_g.tsg_c;
	uint64_t old;
	int i;

	counter_u64_add(c[TCPSTATS_C_READS], 1);
	counter_u64_add(c[TCPSTATS_C_VISITED], t->tt_visited);
	counter_u64_add(c[TCPSTATS_C_EMITTED], t->tt_emitted);
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		counter_u64_add(c[TCPSTATS_C_SKIP0 + i], t->tt_skipped[i]);
	if ((how & TCPSTATS_READ_TIMED_OUT) != 0)
		counter_u64_add(c[TCPSTATS_C_TIMED_OUT], 1);
	if ((how & TCPSTATS_READ_INTERRUPTED) != 0)
		counter_u64_add(c[TCPSTATS_C_INTERRUPTED], 1);
	counter_u64_add(c[TCPSTATS_C_DURATION_NS], duration_ns);
	old = atomic_load_64(&tcpstats_g.tsg_duration_max);
	while (duration_ns > old &&
	    !atomic_fcmpset_64(&tcpstats_g.tsg_duration_max, &old,
	    duration_ns))
		continue;
}

/* The global counters as the ioctl returns them. */
void
tcpstats_counters_snapshot(struct tcpstats_counters *s)
{
	counter_u64_t *c = tcpstats_g.tsg_c;
	int i;

	memset(s, 0, sizeof(*s));
	s->tsc_opens_total = counter_u64_fetch(c[TCPSTATS_C_OPENS]);
	s->tsc_active_fds = atomic_load_int(&tcpstats_g.tsg_open);
	s->tsc_reads_total = counter_u64_fetch(c[TCPSTATS_C_READS]);
	s->tsc_sockets_visited = counter_u64_fetch(c[TCPSTATS_C_VISITED]);
	s->tsc_records_emitted = counter_u64_fetch(c[TCPSTATS_C_EMITTED]);
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		s->tsc_skipped[i] = counter_u64_fetch(c[TCPSTATS_C_SKIP0 + i]);
	s->tsc_reads_timed_out = counter_u64_fetch(c[TCPSTATS_C_TIMED_OUT]);
	s->tsc_reads_interrupted =
	    counter_u64_fetch(c[TCPSTATS_C_INTERRUPTED]);
	s->tsc_read_duration_ns_total =
	    counter_u64_fetch(c[TCPSTATS_C_DURATION_NS]);
	s->tsc_read_duration_ns_max =
	    atomic_load_64(&tcpstats_g.tsg_duration_max);
	s->tsc_copyout_errors =
	    counter_u64_fetch(c[TCPSTATS_C_COPYOUT_ERRORS]);
	s->tsc_last_error = (int64_t)atomic_load_64(
	    (uint64_t *)&tcpstats_g.tsg_last_error);
}

void
tcpstats_set_last_error(int error)
{

	atomic_store_64((uint64_t *)&tcpstats_g.tsg_last_error,
	    (uint64_t)(int64_t)error);
}

/* errno for a core result code. */
int
tcpstats_errno(int core_rc)
{

	switch (core_rc) {
	case TCPSTATS_OK:
		return (0);
	case TCPSTATS_E_NOSPC:
		return (ENOSPC);
	case TCPSTATS_E_NOENT:
		return (ENOENT);
	case TCPSTATS_E_RANGE:
		return (ERANGE);
	default:
		return (EINVAL);
	}
}

static int
tcpstats_sysctl_counter(SYSCTL_HANDLER_ARGS)
{
	uint64_t v;

	v = 0;
	if (arg2 >= 0 && arg2 < TCPSTATS_NCOUNTERS &&
	    tcpstats_g.tsg_c[arg2] != NULL)
		v = counter_u64_fetch(tcpstats_g.tsg_c[arg2]);
	return (sysctl_handle_64(oidp, &v, 0, req));
}

static int
tcpstats_sysctl_active(SYSCTL_HANDLER_ARGS)
{
	uint64_t v;

	v = atomic_load_int(&tcpstats_g.tsg_open);
	return (sysctl_handle_64(oidp, &v, 0, req));
}

/*
 * A tunable: the new value must lie within its bounds.  Runs before
 * MOD_LOAD too, when the loader's value is applied at registration, so it
 * touches nothing but the statically initialized tsg_tun[].
 */
static int
tcpstats_sysctl_tunable(SYSCTL_HANDLER_ARGS)
{
	int error, v;

	if (arg2 < 0 || arg2 >= TCPSTATS_NTUN)
		return (EINVAL);
	v = atomic_load_int(&tcpstats_g.tsg_tun[arg2]);
	error = sysctl_handle_int(oidp, &v, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (v < tcpstats_tun_bounds[arg2].tb_min ||
	    v > tcpstats_tun_bounds[arg2].tb_max) {
		tcpstats_set_last_error(EINVAL);
		return (EINVAL);
	}
	atomic_store_int(&tcpstats_g.tsg_tun[arg2], v);
	return (0);
}

/* --- profiles ------------------------------------------------------------- */

/* Slot of a stored profile, or -1. */
static int
tcpstats_profile_slot(const char *name)
{
	int i;

	sx_assert(&tcpstats_g.tsg_profile_lock, SA_LOCKED);
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		if (tcpstats_g.tsg_profiles.tps_slot[i].tp_used != 0 &&
		    strcmp(tcpstats_g.tsg_profiles.tps_slot[i].tp_name,
		    name) == 0)
			return (i);
	}
	return (-1);
}

/*
 * Create or replace a profile; a new one gets its sysctl node.  Node
 * changes are serialized by tsg_node_lock, never taken by the handler of
 * a profile node: removing a node waits for its running handlers, so
 * such a handler may only replace an existing profile (may_create false).
 */
int
tcpstats_profile_apply(const char *name, const char *text, bool may_create,
    struct tcpstats_errinfo *err)
{
	bool created;
	int rc, slot;

	if (may_create)
		TSG_NODE_XLOCK();
	TSG_PROF_XLOCK();
	if (!may_create && tcpstats_profile_slot(name) < 0) {
		TSG_PROF_XUNLOCK();
		return (ENOENT);
	}
	created = false;
	rc = tcpstats_profile_set(&tcpstats_g.tsg_profiles, name, text,
	    &created, err);
	slot = tcpstats_profile_slot(name);
	TSG_PROF_XUNLOCK();
	if (rc == TCPSTATS_OK && created) {
		KASSERT(may_create && slot >= 0,
		    ("tcpstats: profile %s created without a node", name));
		/* May sleep for memory: no profile lock held. */
		tcpstats_g.tsg_prof_oid[slot] = SYSCTL_ADD_PROC(NULL,
		    SYSCTL_STATIC_CHILDREN(_dev_tcpstats_profiles), OID_AUTO,
		    name, CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 0,
		    tcpstats_sysctl_profile, "A",
		    "Filter text of this profile");
		TCPSTATS_PROBE_PROFILE_CREATE(name);
	}
	if (may_create)
		TSG_NODE_XUNLOCK();
	return (tcpstats_errno(rc));
}

int
tcpstats_profile_remove(const char *name)
{
	struct sysctl_oid *oid;
	int slot;

	TSG_NODE_XLOCK();
	TSG_PROF_XLOCK();
	slot = tcpstats_profile_slot(name);
	if (slot < 0) {
		TSG_PROF_XUNLOCK();
		TSG_NODE_XUNLOCK();
		return (ENOENT);
	}
	TCPSTATS_PROBE_PROFILE_DESTROY(name);
	oid = tcpstats_g.tsg_prof_oid[slot];
	tcpstats_g.tsg_prof_oid[slot] = NULL;
	(void)tcpstats_profile_delete(&tcpstats_g.tsg_profiles, name);
	TSG_PROF_XUNLOCK();
	/* Waits for the node's running handlers; they find no entry. */
	if (oid != NULL)
		(void)sysctl_remove_oid(oid, 1, 0);
	TSG_NODE_XUNLOCK();
	return (0);
}

/* Unload: remove every profile node; the table goes with the module. */
void
tcpstats_profiles_fini(void)
{
	struct sysctl_oid *oid;
	int i;

	TSG_NODE_XLOCK();
	TSG_PROF_XLOCK();
	tcpstats_profiles_init(&tcpstats_g.tsg_profiles);
	TSG_PROF_XUNLOCK();
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		oid = tcpstats_g.tsg_prof_oid[i];
		tcpstats_g.tsg_prof_oid[i] = NULL;
		if (oid != NULL)
			(void)sysctl_remove_oid(oid, 1, 0);
	}
	TSG_NODE_XUNLOCK();
}

/*
 * Copy in a string written to a sysctl: at most len - 1 bytes, else
 * EINVAL.  Sets *isnew to false for a plain read.
 */
static int
tcpstats_sysctl_instr(struct sysctl_req *req, char *buf, size_t len,
    bool *isnew)
{
	size_t n;
	int error;

	*isnew = req->newptr != NULL;
	if (!*isnew)
		return (0);
	n = req->newlen - req->newidx;
	if (n >= len)
		return (EINVAL);
	error = SYSCTL_IN(req, buf, n);
	if (error != 0)
		return (error);
	buf[n] = '\0';
	/* sysctl(8) sends no NUL; other writers may. */
	if (strlen(buf) != n && n > 0 && buf[n - 1] != '\0')
		return (EINVAL);
	return (0);
}

/* dev.tcpstats.profiles.<name>: read the text, or replace it. */
static int
tcpstats_sysctl_profile(SYSCTL_HANDLER_ARGS)
{
	struct tcpstats_errinfo ei;
	const char *text;
	char *buf;
	bool isnew;
	int error;

	buf = malloc(TCPSTATS_FILTER_MAXLEN + 1, M_TCPSTATS,
	    M_WAITOK | M_ZERO);
	TSG_PROF_SLOCK();
	text = tcpstats_profile_lookup(&tcpstats_g.tsg_profiles,
	    oidp->oid_name);
	if (text != NULL)
		strlcpy(buf, text, TCPSTATS_FILTER_MAXLEN + 1);
	TSG_PROF_SUNLOCK();
	if (text == NULL) {
		error = ENOENT;
		goto done;
	}
	error = SYSCTL_OUT(req, buf, strlen(buf) + 1);
	if (error != 0)
		goto done;
	memset(buf, 0, TCPSTATS_FILTER_MAXLEN + 1);
	error = tcpstats_sysctl_instr(req, buf, TCPSTATS_FILTER_MAXLEN + 1,
	    &isnew);
	if (error != 0 || !isnew)
		goto done;
	memset(&ei, 0, sizeof(ei));
	error = tcpstats_profile_apply(oidp->oid_name, buf, false, &ei);
done:
	if (error != 0 && error != ENOMEM)
		tcpstats_set_last_error(error);
	free(buf, M_TCPSTATS);
	return (error);
}

/* dev.tcpstats.profile_set="name:text"; the name cannot contain ':'. */
static int
tcpstats_sysctl_profile_set(SYSCTL_HANDLER_ARGS)
{
	struct tcpstats_errinfo ei;
	char *buf, *text;
	size_t len;
	bool isnew;
	int error;

	len = TCPSTATS_NAME_BUF + 1 + TCPSTATS_FILTER_MAXLEN + 1;
	buf = malloc(len, M_TCPSTATS, M_WAITOK | M_ZERO);
	error = tcpstats_sysctl_instr(req, buf, len, &isnew);
	if (error != 0 || !isnew)
		goto done;
	text = strchr(buf, ':');
	if (text == NULL) {
		error = EINVAL;
		goto done;
	}
	*text++ = '\0';
	memset(&ei, 0, sizeof(ei));
	if (tcpstats_profile_name_check(buf, &ei) != TCPSTATS_OK ||
	    strlen(text) > TCPSTATS_FILTER_MAXLEN) {
		error = EINVAL;
		goto done;
	}
	error = tcpstats_profile_apply(buf, text, true, &ei);
done:
	if (error != 0)
		tcpstats_set_last_error(error);
	free(buf, M_TCPSTATS);
	return (error);
}

/* dev.tcpstats.profile_delete=name */
static int
tcpstats_sysctl_profile_delete(SYSCTL_HANDLER_ARGS)
{
	char buf[TCPSTATS_NAME_BUF];
	bool isnew;
	int error;

	memset(buf, 0, sizeof(buf));
	error = tcpstats_sysctl_instr(req, buf, sizeof(buf), &isnew);
	if (error == 0 && isnew)
		error = tcpstats_profile_remove(buf);
	if (error != 0)
		tcpstats_set_last_error(error);
	return (error);
}
