/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_sysctl.c -- dev.tcpstats: counters, tunables and profiles.
 *
 * The counters are counter(9) per-CPU counters, added once per read from
 * the read's own tally, so visited == emitted + sum(skipped) holds for
 * every read and therefore for the totals.  Profiles appear as string
 * nodes dev.tcpstats.profiles.<name>, created and destroyed with the
 * profile.
 *
 * Only the bare dev.tcpstats node is static: it has no handler and no
 * data.  Everything under it is added at MOD_LOAD into tsg_sysctl_ctx and
 * removed first thing at MOD_UNLOAD.  Static leaves would stay reachable
 * until the linker unregisters them, which it does only after MOD_UNLOAD
 * has freed the counters and destroyed the locks their handlers use;
 * removing a dynamic node instead waits for its running handlers
 * (sysctl_remove_oid_locked sleeps on oid_running).
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
static int	tcpstats_sysctl_profile(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_profile_set(SYSCTL_HANDLER_ARGS);
static int	tcpstats_sysctl_profile_delete(SYSCTL_HANDLER_ARGS);

/* --- the tree ------------------------------------------------------------- */

SYSCTL_NODE(_dev, OID_AUTO, tcpstats, CTLFLAG_RW | CTLFLAG_MPSAFE, 0,
    "TCP connection statistics device (/dev/tcpstats)");

/*
 * Tunables, in tsg_tun[] order, with their bounds.  CTLFLAG_RWTUN on a
 * dynamic node still fetches the loader.conf value when the node is
 * added, through the handler, so the bounds apply to it too.
 */
static const struct {
	const char	*tn_name;
	int		 tn_min;
	int		 tn_max;
	const char	*tn_descr;
} tcpstats_tunables[TCPSTATS_NTUN] = {
	[TCPSTATS_TUN_MAX_OPEN_FDS] = {
	    "max_open_fds", 1, 65536,
	    "Opens of /dev/tcpstats allowed at once (EMFILE past it)"
	},
	[TCPSTATS_TUN_MAX_CONCURRENT_READERS] = {
	    "max_concurrent_readers", 1, 4096,
	    "Reads allowed in progress at once (EBUSY past it)"
	},
	[TCPSTATS_TUN_MAX_READ_DURATION_MS] = {
	    "max_read_duration_ms", 1, 3600000,
	    "Time budget of one read in ms; over it a read returns what it has"
	},
	[TCPSTATS_TUN_MIN_READ_INTERVAL_MS] = {
	    "min_read_interval_ms", 0, 3600000,
	    "Least ms between the end of a read and the next read of the same "
	    "open (0 = off; EBUSY)"
	},
};

/*
 * Read-only unsigned 64-bit nodes, in the order they are listed.  Most are
 * counter(9) counters; two are plain values with an index of their own.
 */
#define	TCPSTATS_V_ACTIVE	(-1)	/* active_fds: tsg_open */
#define	TCPSTATS_V_DURATION_MAX	(-2)	/* read_duration_ns_max */

static const struct {
	const char	*tc_name;
	int		 tc_idx;	/* TCPSTATS_C_* or TCPSTATS_V_* */
	const char	*tc_descr;
} tcpstats_counter_nodes[] = {
	{ "opens_total", TCPSTATS_C_OPENS, "Successful opens" },
	{ "active_fds", TCPSTATS_V_ACTIVE, "Opens not yet closed" },
	{ "reads_total", TCPSTATS_C_READS, "read() calls served" },
	{ "sockets_visited", TCPSTATS_C_VISITED, "Sockets looked at" },
	{ "records_emitted", TCPSTATS_C_EMITTED, "Records copied out" },
	{ "sockets_skipped_gencnt", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_GENCNT,
	    "Sockets skipped: created after the snapshot began" },
	{ "sockets_skipped_cred", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_CRED,
	    "Sockets skipped: not visible to the opener" },
	{ "sockets_skipped_ipver", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_IPVER,
	    "Sockets skipped: ipv4_only / ipv6_only" },
	{ "sockets_skipped_state", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_STATE,
	    "Sockets skipped: exclude / include_state" },
	{ "sockets_skipped_port", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_PORT,
	    "Sockets skipped: local_port / remote_port" },
	{ "sockets_skipped_addr", TCPSTATS_C_SKIP0 + TCPSTATS_SKIP_ADDR,
	    "Sockets skipped: local_addr / remote_addr" },
	{ "reads_timed_out", TCPSTATS_C_TIMED_OUT,
	    "Reads cut short by max_read_duration_ms" },
	{ "reads_interrupted", TCPSTATS_C_INTERRUPTED,
	    "Reads cut short by a signal" },
	{ "read_duration_ns_total", TCPSTATS_C_DURATION_NS,
	    "Time spent in read(), ns" },
	{ "read_duration_ns_max", TCPSTATS_V_DURATION_MAX,
	    "Longest read(), ns" },
	{ "copyout_errors", TCPSTATS_C_COPYOUT_ERRORS,
	    "Reads that faulted copying records out" },
};

/*
 * Build dev.tcpstats below the static node: tunables, counters, profile
 * controls and the profiles node.  Called at MOD_LOAD once the counters
 * exist and the locks are initialized, since the handlers may run as soon
 * as a node is added.  EEXIST, with nothing added, if the profiles node
 * cannot be made (a leaf of that name is in the way).
 */
int
tcpstats_sysctl_init(void)
{
	struct sysctl_ctx_list *ctx = &tcpstats_g.tsg_sysctl_ctx;
	struct sysctl_oid_list *top = SYSCTL_STATIC_CHILDREN(_dev_tcpstats);
	u_int i;

	sysctl_ctx_init(ctx);
	tcpstats_g.tsg_sysctl_closing = false;

	for (i = 0; i < TCPSTATS_NTUN; i++)
		SYSCTL_ADD_PROC(ctx, top, OID_AUTO,
		    tcpstats_tunables[i].tn_name,
		    CTLTYPE_INT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, NULL, i,
		    tcpstats_sysctl_tunable, "I",
		    tcpstats_tunables[i].tn_descr);

	for (i = 0; i < nitems(tcpstats_counter_nodes); i++)
		SYSCTL_ADD_PROC(ctx, top, OID_AUTO,
		    tcpstats_counter_nodes[i].tc_name,
		    CTLTYPE_U64 | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL,
		    tcpstats_counter_nodes[i].tc_idx, tcpstats_sysctl_counter,
		    "QU", tcpstats_counter_nodes[i].tc_descr);
	SYSCTL_ADD_S64(ctx, top, OID_AUTO, "last_error",
	    CTLFLAG_RD | CTLFLAG_MPSAFE, &tcpstats_g.tsg_last_error, 0,
	    "errno of the last failed call, 0 = none yet");

	/*
	 * Write-only: reading them yields nothing, so listings skip them
	 * (CTLFLAG_SKIP); they are still found by their full names.
	 */
	SYSCTL_ADD_PROC(ctx, top, OID_AUTO, "profile_set",
	    CTLTYPE_STRING | CTLFLAG_WR | CTLFLAG_SKIP | CTLFLAG_MPSAFE, NULL,
	    0, tcpstats_sysctl_profile_set, "A",
	    "Create or replace a profile: \"name:filter text\"");
	SYSCTL_ADD_PROC(ctx, top, OID_AUTO, "profile_delete",
	    CTLTYPE_STRING | CTLFLAG_WR | CTLFLAG_SKIP | CTLFLAG_MPSAFE, NULL,
	    0, tcpstats_sysctl_profile_delete, "A",
	    "Delete the profile of this name");
	tcpstats_g.tsg_prof_node = SYSCTL_ADD_NODE(ctx, top, OID_AUTO,
	    "profiles", CTLFLAG_RW | CTLFLAG_MPSAFE, NULL,
	    "Named filter profiles, one string node each");
	if (tcpstats_g.tsg_prof_node == NULL) {
		(void)sysctl_ctx_free(ctx);
		return (EEXIST);
	}
	return (0);
}

/*
 * Remove everything tcpstats_sysctl_init() and the profiles added, waiting
 * for handlers still running.  Afterwards no handler of ours can run.
 * EBUSY, with the tree left whole, if the kernel refuses (a node someone
 * else hung below ours).
 */
int
tcpstats_sysctl_fini(void)
{
	int error;

	/*
	 * No profile node may come or go from here on: a profile_set or
	 * profile_delete handler changes the context's list, which
	 * sysctl_ctx_free() walks while it sleeps waiting for handlers.
	 * Taking tsg_node_lock waits out one already changing it.
	 */
	TSG_NODE_XLOCK();
	tcpstats_g.tsg_sysctl_closing = true;
	TSG_NODE_XUNLOCK();

	/* Not under tsg_node_lock: the handlers it waits for may take it. */
	error = sysctl_ctx_free(&tcpstats_g.tsg_sysctl_ctx);
	if (error != 0) {
		TSG_NODE_XLOCK();
		tcpstats_g.tsg_sysctl_closing = false;
		TSG_NODE_XUNLOCK();
		return (error);
	}
	TSG_NODE_XLOCK();
	tcpstats_g.tsg_prof_node = NULL;
	memset(tcpstats_g.tsg_prof_oid, 0, sizeof(tcpstats_g.tsg_prof_oid));
	TSG_NODE_XUNLOCK();
	return (0);
}

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

/* A read-only node of tcpstats_counter_nodes[]; arg2 is its tc_idx. */
static int
tcpstats_sysctl_counter(SYSCTL_HANDLER_ARGS)
{
	uint64_t v;

	switch (arg2) {
	case TCPSTATS_V_ACTIVE:
		v = atomic_load_int(&tcpstats_g.tsg_open);
		break;
	case TCPSTATS_V_DURATION_MAX:
		v = atomic_load_64(&tcpstats_g.tsg_duration_max);
		break;
	default:
		if (arg2 < 0 || arg2 >= TCPSTATS_NCOUNTERS)
			return (EINVAL);
		v = counter_u64_fetch(tcpstats_g.tsg_c[arg2]);
		break;
	}
	return (sysctl_handle_64(oidp, &v, 0, req));
}

/*
 * A tunable: the new value must lie within its bounds.  Also runs when the
 * node is added at MOD_LOAD, with the loader.conf value if there is one.
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
	if (v < tcpstats_tunables[arg2].tn_min ||
	    v > tcpstats_tunables[arg2].tn_max) {
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
 * Create or replace a profile; a new one gets its sysctl node, in the
 * tree's context.  Node changes are serialized by tsg_node_lock, never
 * taken by the handler of a profile node: removing a node waits for its
 * running handlers, so such a handler may only replace an existing
 * profile (may_create false).  Once the tree is being torn down
 * (tsg_sysctl_closing) no profile is created: ENXIO.
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
	if (tcpstats_profile_slot(name) < 0) {
		if (!may_create) {
			TSG_PROF_XUNLOCK();
			return (ENOENT);
		}
		if (tcpstats_g.tsg_sysctl_closing) {
			TSG_PROF_XUNLOCK();
			TSG_NODE_XUNLOCK();
			return (ENXIO);
		}
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
		tcpstats_g.tsg_prof_oid[slot] = SYSCTL_ADD_PROC(
		    &tcpstats_g.tsg_sysctl_ctx,
		    SYSCTL_CHILDREN(tcpstats_g.tsg_prof_node), OID_AUTO, name,
		    CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 0,
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
	/* The teardown owns the context's list now; see sysctl_fini. */
	if (tcpstats_g.tsg_sysctl_closing) {
		TSG_NODE_XUNLOCK();
		return (ENXIO);
	}
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
	if (oid != NULL) {
		(void)sysctl_ctx_entry_del(&tcpstats_g.tsg_sysctl_ctx, oid);
		(void)sysctl_remove_oid(oid, 1, 0);
	}
	TSG_NODE_XUNLOCK();
	return (0);
}

/*
 * Unload, after tcpstats_sysctl_fini() removed the profile nodes with the
 * rest of the tree: empty the table, one profile:destroy per profile.
 */
void
tcpstats_profiles_fini(void)
{
	struct tcpstats_profile *p;
	int i;

	TSG_PROF_XLOCK();
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		p = &tcpstats_g.tsg_profiles.tps_slot[i];
		if (p->tp_used != 0)
			TCPSTATS_PROBE_PROFILE_DESTROY(p->tp_name);
	}
	tcpstats_profiles_init(&tcpstats_g.tsg_profiles);
	TSG_PROF_XUNLOCK();
}

/*
 * Copy in a string written to a sysctl: at most len - 1 bytes, with no
 * NUL but an optional last one, else EINVAL.  Sets *isnew to false for a
 * plain read.
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
	/*
	 * sysctl(8) sends no NUL; other writers may end the text with one.
	 * A NUL anywhere else would cut the text short without a word.
	 */
	if (strlen(buf) != n && strlen(buf) + 1 != n)
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
