/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_dev.c -- /dev/tcpstats: open, read, ioctl, close, and the
 * module's load and unload.
 *
 * One open is one reader (struct tcpstats_reader, attached with
 * devfs_set_cdevpriv and freed by its destructor on the last close).  The
 * device contract is src/include/tcpstats_ioctl.h; every ioctl argument
 * is checked by the core's tcpstats_validate_ioctl() before anything acts
 * on it, except the generic FIONBIO and FIOASYNC that fcntl(2) sends.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/counter.h>
#include <sys/fcntl.h>
#include <sys/filio.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/ucred.h>
#include <sys/uio.h>

#include "tcpstats_var.h"
#include "tcpstats_validate.h"
#include "tcpstats_probes.h"

/* The "network" group of FreeBSD's /etc/group; sys/conf.h has no name. */
#define	TCPSTATS_GID_NETWORK	69
#define	TCPSTATS_MODE		0440

static d_open_t		tcpstats_open;
static d_read_t		tcpstats_read;
static d_ioctl_t	tcpstats_ioctl;

static struct cdevsw tcpstats_cdevsw = {
	.d_version =	D_VERSION,
	.d_open =	tcpstats_open,
	.d_read =	tcpstats_read,
	.d_ioctl =	tcpstats_ioctl,
	.d_name =	"tcpstats",
};

MALLOC_DEFINE(M_TCPSTATS, "tcpstats", "tcpstats readers and buffers");

struct tcpstats_global tcpstats_g = {
	.tsg_tun = {
		[TCPSTATS_TUN_MAX_OPEN_FDS] = 16,
		[TCPSTATS_TUN_MAX_CONCURRENT_READERS] = 32,
		[TCPSTATS_TUN_MAX_READ_DURATION_MS] = 5000,
		[TCPSTATS_TUN_MIN_READ_INTERVAL_MS] = 0,
	},
};

/* --- errors --------------------------------------------------------------- */

/*
 * Record a failure for TCPSTATS_IOC_LASTERR and last_error; returns the
 * errno.  ei may be NULL for a failure with a plain message.
 */
static int
tcpstats_fail(struct tcpstats_reader *tr, int error,
    const struct tcpstats_errinfo *ei, const char *msg)
{

	TR_LOCK_ASSERT(tr);
	if (ei != NULL && ei->tei_message[0] != '\0')
		tr->tr_lasterr = *ei;
	else {
		memset(&tr->tr_lasterr, 0, sizeof(tr->tr_lasterr));
		strlcpy(tr->tr_lasterr.tei_message, msg,
		    sizeof(tr->tr_lasterr.tei_message));
	}
	tr->tr_lasterr.tei_errno = error;
	tr->tr_counters.tsc_last_error = error;
	tcpstats_set_last_error(error);
	return (error);
}

/* --- open and close ------------------------------------------------------- */

static void
tcpstats_dtor(void *arg)
{
	struct tcpstats_reader *tr = arg;

	tcpstats_walk_reset(tr);
	crfree(tr->tr_cred);
	free(tr->tr_stage, M_TCPSTATS);
	sx_destroy(&tr->tr_lock);
	free(tr, M_TCPSTATS);

	TSG_LOCK();
	KASSERT(tcpstats_g.tsg_open > 0, ("tcpstats: close without open"));
	tcpstats_g.tsg_open--;
	TSG_UNLOCK();
}

static int
tcpstats_open(struct cdev *dev, int oflags, int devtype, struct thread *td)
{
	struct tcpstats_reader *tr;
	uint64_t id;
	int error;

	/* Reading only: the device has nothing to write. */
	if ((oflags & FWRITE) != 0) {
		tcpstats_set_last_error(EPERM);
		return (EPERM);
	}

	/* Is there room for another open? */
	TSG_LOCK();
	if (tcpstats_g.tsg_unloading) {
		TSG_UNLOCK();
		return (ENXIO);
	}
	if (tcpstats_g.tsg_open >= (u_int)atomic_load_int(
	    &tcpstats_g.tsg_tun[TCPSTATS_TUN_MAX_OPEN_FDS])) {
		TSG_UNLOCK();
		tcpstats_set_last_error(EMFILE);
		return (EMFILE);
	}
	tcpstats_g.tsg_open++;
	id = ++tcpstats_g.tsg_next_id;
	TSG_UNLOCK();

	tr = malloc(sizeof(*tr), M_TCPSTATS, M_WAITOK | M_ZERO);
	tr->tr_stage = malloc(TCPSTATS_STAGE_SIZE, M_TCPSTATS, M_WAITOK);
	sx_init(&tr->tr_lock, "tcpstats reader");
	tr->tr_id = id;
	tr->tr_cred = crhold(td->td_ucred);
	tcpstats_filter_default(&tr->tr_filter);
	tr->tr_cursor.tc_state = TCPSTATS_SNAP_IDLE;
	tr->tr_counters.tsc_opens_total = 1;
	tr->tr_counters.tsc_active_fds = 1;

	error = devfs_set_cdevpriv(tr, tcpstats_dtor);
	if (error != 0) {
		tcpstats_dtor(tr);
		tcpstats_set_last_error(error);
		return (error);
	}
	counter_u64_add(tcpstats_g.tsg_c[TCPSTATS_C_OPENS], 1);
	return (0);
}

/* --- read ----------------------------------------------------------------- */

static int
tcpstats_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	struct tcpstats_reader *tr;
	struct tcpstats_tally tally;
	sbintime_t start, end, interval;
	ssize_t resid0;
	size_t recsize;
	unsigned int how;
	uint64_t dur;
	int error;

	error = devfs_get_cdevpriv((void **)&tr);
	if (error != 0)
		return (error);
	TR_LOCK(tr);
	resid0 = uio->uio_resid;
	TCPSTATS_PROBE_READ_ENTRY(tr->tr_id, resid0);

	/* Does one whole record fit?  If not, consume nothing. */
	recsize = tcpstats_record_size(tr->tr_filter.tf_fields,
	    tr->tr_filter.tf_format);
	if ((size_t)resid0 < recsize) {
		error = tcpstats_fail(tr, EINVAL, NULL,
		    "read buffer is smaller than one record");
		goto done;
	}

	/* May this reader read now, and is there a free reading slot? */
	start = sbinuptime();
	interval = (sbintime_t)atomic_load_int(&tcpstats_g.tsg_tun[
	    TCPSTATS_TUN_MIN_READ_INTERVAL_MS]) * SBT_1MS;
	if (interval > 0 && tr->tr_last_end != 0 &&
	    start - tr->tr_last_end < interval) {
		error = tcpstats_fail(tr, EBUSY, NULL,
		    "read again within min_read_interval_ms");
		goto done;
	}
	TSG_LOCK();
	if (tcpstats_g.tsg_reading >= (u_int)atomic_load_int(
	    &tcpstats_g.tsg_tun[TCPSTATS_TUN_MAX_CONCURRENT_READERS])) {
		TSG_UNLOCK();
		error = tcpstats_fail(tr, EBUSY, NULL,
		    "max_concurrent_readers reads already in progress");
		goto done;
	}
	tcpstats_g.tsg_reading++;
	TSG_UNLOCK();

	/* Walk, then account for the read whatever its outcome. */
	memset(&tally, 0, sizeof(tally));
	how = 0;
	error = tcpstats_walk_read(tr, uio, &tally, &how);
	end = sbinuptime();
	/* A restarted read is the same call: not limited as a new one. */
	if (error != ERESTART)
		tr->tr_last_end = end;
	dur = (uint64_t)sbttons(end - start);
	tcpstats_counters_add_read(&tr->tr_counters, &tally, dur, how);
	tcpstats_counters_fold(&tally, dur, how);
	TSG_LOCK();
	tcpstats_g.tsg_reading--;
	TSG_UNLOCK();
	KASSERT(tcpstats_tally_consistent(&tally),
	    ("tcpstats: read tally does not add up"));
	switch (error) {
	case 0:
	case ERESTART:		/* the kernel restarts the call (SA_RESTART) */
		break;
	case EINTR:
		(void)tcpstats_fail(tr, error, NULL,
		    "read interrupted by a signal");
		break;
	default:
		(void)tcpstats_fail(tr, error, NULL,
		    "copying records to the caller failed");
		break;
	}
	TCPSTATS_PROBE_READ_DONE(tr->tr_id, tally.tt_emitted,
	    (size_t)(resid0 - uio->uio_resid), error);
	TR_UNLOCK(tr);
	return (error);

done:
	TCPSTATS_PROBE_READ_DONE(tr->tr_id, 0, 0, error);
	TR_UNLOCK(tr);
	return (error);
}

/* --- ioctl ---------------------------------------------------------------- */

static void
tcpstats_ioc_version(struct tcpstats_reader *tr, struct tcpstats_version *v)
{
	uint32_t hint;

	hint = tcpstats_walk_count_hint(tr);
	memset(v, 0, sizeof(*v));
	v->tv_abi = TCPSTATS_ABI_VERSION;
	v->tv_rec_version = TCPSTATS_REC_VERSION;
	v->tv_hdr_size = sizeof(struct tcpstats_rec_hdr);
	v->tv_full_size = sizeof(struct tcpstats_record);
	v->tv_rec_size = (uint32_t)tcpstats_record_size(
	    tr->tr_filter.tf_fields, tr->tr_filter.tf_format);
	v->tv_count_hint = hint;
	v->tv_provider = TCPSTATS_PROVIDER_KMOD;
}

static int
tcpstats_ioc_setfilter(struct tcpstats_reader *tr,
    const struct tcpstats_filter_arg *a)
{
	struct tcpstats_filter nf;
	struct tcpstats_errinfo ei;
	int rc;

	memset(&ei, 0, sizeof(ei));
	TSG_PROF_SLOCK();
	rc = tcpstats_filter_parse(a->tfa_text, &tcpstats_g.tsg_profiles, &nf,
	    &ei);
	TSG_PROF_SUNLOCK();
	if (rc != TCPSTATS_OK)
		return (tcpstats_fail(tr, EINVAL, &ei, "filter rejected"));
	/* A new filter begins a new snapshot. */
	tr->tr_filter = nf;
	tcpstats_walk_reset(tr);
	return (0);
}

static int
tcpstats_ioc_profile(struct tcpstats_reader *tr, u_long cmd,
    struct tcpstats_profile_arg *pa)
{
	struct tcpstats_errinfo ei;
	const char *text;
	int error;

	memset(&ei, 0, sizeof(ei));
	switch (cmd) {
	case TCPSTATS_IOC_PROFILE_SET:
		error = tcpstats_profile_apply(pa->tpa_name, pa->tpa_text, true,
		    &ei);
		if (error != 0)
			return (tcpstats_fail(tr, error, &ei, error == ENOSPC ?
			    "profile table full" : "profile rejected"));
		return (0);
	case TCPSTATS_IOC_PROFILE_GET:
		TSG_PROF_SLOCK();
		text = tcpstats_profile_lookup(&tcpstats_g.tsg_profiles,
		    pa->tpa_name);
		memset(pa->tpa_text, 0, sizeof(pa->tpa_text));
		if (text != NULL)
			strlcpy(pa->tpa_text, text, sizeof(pa->tpa_text));
		TSG_PROF_SUNLOCK();
		if (text == NULL)
			return (tcpstats_fail(tr, ENOENT, NULL,
			    "no profile of that name"));
		return (0);
	case TCPSTATS_IOC_PROFILE_DEL:
		error = tcpstats_profile_remove(pa->tpa_name);
		if (error != 0)
			return (tcpstats_fail(tr, error, NULL,
			    "no profile of that name"));
		return (0);
	default:
		return (ENOTTY);
	}
}

static int
tcpstats_ioctl(struct cdev *dev, u_long cmd, caddr_t data, int fflag,
    struct thread *td)
{
	struct tcpstats_reader *tr;
	struct tcpstats_profile_list *pl;
	struct tcpstats_errinfo ei;
	int error, rc;

	/*
	 * Is it one of the generic commands fcntl(F_SETFL) sends?  Reads
	 * never block, so O_NONBLOCK changes nothing; there is no SIGIO to
	 * deliver, so O_ASYNC is refused with EINVAL as null(4) and
	 * tcp_log_dev do.  They are FreeBSD's, not the device contract's,
	 * so they are answered before the shared validator.
	 */
	switch (cmd) {
	case FIONBIO:
		return (0);
	case FIOASYNC:
		return (*(int *)data != 0 ? EINVAL : 0);
	}

	error = devfs_get_cdevpriv((void **)&tr);
	if (error != 0)
		return (error);
	TR_LOCK(tr);

	/* Is the argument well formed?  Nothing acts before this says so. */
	memset(&ei, 0, sizeof(ei));
	rc = tcpstats_validate_ioctl(cmd, data, &ei);
	if (rc == TCPSTATS_V_NOTTY) {
		error = ENOTTY;
		goto done;
	}
	if (rc != TCPSTATS_OK) {
		error = tcpstats_fail(tr, EINVAL, &ei, "invalid argument");
		goto done;
	}

	switch (cmd) {
	case TCPSTATS_IOC_VERSION:
		tcpstats_ioc_version(tr, (struct tcpstats_version *)data);
		break;
	case TCPSTATS_IOC_SETFILTER:
		error = tcpstats_ioc_setfilter(tr,
		    (const struct tcpstats_filter_arg *)data);
		break;
	case TCPSTATS_IOC_GETFILTER:
		memset(data, 0, sizeof(struct tcpstats_filter_arg));
		(void)tcpstats_filter_format(&tr->tr_filter, data,
		    sizeof(struct tcpstats_filter_arg));
		break;
	case TCPSTATS_IOC_REWIND:
		tcpstats_walk_reset(tr);
		break;
	case TCPSTATS_IOC_READER_STATS:
		memcpy(data, &tr->tr_counters, sizeof(tr->tr_counters));
		break;
	case TCPSTATS_IOC_GLOBAL_STATS:
		tcpstats_counters_snapshot((struct tcpstats_counters *)data);
		break;
	case TCPSTATS_IOC_LASTERR:
		memcpy(data, &tr->tr_lasterr, sizeof(tr->tr_lasterr));
		break;
	case TCPSTATS_IOC_PROFILE_SET:
	case TCPSTATS_IOC_PROFILE_GET:
	case TCPSTATS_IOC_PROFILE_DEL:
		error = tcpstats_ioc_profile(tr, cmd,
		    (struct tcpstats_profile_arg *)data);
		break;
	case TCPSTATS_IOC_PROFILE_LIST:
		pl = (struct tcpstats_profile_list *)data;
		memset(pl, 0, sizeof(*pl));
		TSG_PROF_SLOCK();
		pl->tpl_count = tcpstats_profile_list(&tcpstats_g.tsg_profiles,
		    pl->tpl_names, TCPSTATS_MAX_PROFILES);
		TSG_PROF_SUNLOCK();
		break;
	default:
		error = ENOTTY;
		break;
	}
done:
	TR_UNLOCK(tr);
	return (error);
}

/* --- module glue ---------------------------------------------------------- */

static int
tcpstats_load(void)
{
	struct make_dev_args args;
	int error;

	mtx_init(&tcpstats_g.tsg_lock, "tcpstats", NULL, MTX_DEF);
	sx_init(&tcpstats_g.tsg_node_lock, "tcpstats profile nodes");
	sx_init(&tcpstats_g.tsg_profile_lock, "tcpstats profiles");
	tcpstats_profiles_init(&tcpstats_g.tsg_profiles);
	tcpstats_counters_init();
	/* After the counters and locks: handlers may run from here on. */
	error = tcpstats_sysctl_init();
	if (error != 0)
		goto fail;

	make_dev_args_init(&args);
	args.mda_devsw = &tcpstats_cdevsw;
	args.mda_flags = MAKEDEV_CHECKNAME | MAKEDEV_WAITOK;
	args.mda_uid = UID_ROOT;
	args.mda_gid = TCPSTATS_GID_NETWORK;
	args.mda_mode = TCPSTATS_MODE;
	error = make_dev_s(&args, &tcpstats_g.tsg_dev, "tcpstats");
	if (error == 0)
		return (0);

	/*
	 * XXX: should sysctl_ctx_free() refuse (someone hung a node below
	 * ours within this instant), our nodes would outlive the module.
	 */
	(void)tcpstats_sysctl_fini();
	tcpstats_profiles_fini();
fail:
	tcpstats_counters_fini();
	sx_destroy(&tcpstats_g.tsg_profile_lock);
	sx_destroy(&tcpstats_g.tsg_node_lock);
	mtx_destroy(&tcpstats_g.tsg_lock);
	return (error);
}

/*
 * Unload is refused while any reader is open: a reader may hold a pcb
 * reference and its credentials, and draining it would mean failing
 * reads that are in progress.  Closing every descriptor lets it succeed.
 */
static int
tcpstats_quiesce(void)
{

	TSG_LOCK();
	if (tcpstats_g.tsg_open > 0) {
		TSG_UNLOCK();
		return (EBUSY);
	}
	TSG_UNLOCK();
	return (0);
}

static int
tcpstats_unload(void)
{
	int error;

	TSG_LOCK();
	if (tcpstats_g.tsg_open > 0) {
		TSG_UNLOCK();
		return (EBUSY);
	}
	tcpstats_g.tsg_unloading = true;
	TSG_UNLOCK();

	/*
	 * The sysctl tree goes first, while everything its handlers use
	 * still exists; it waits for handlers in progress.  The linker
	 * would only remove static nodes after this returns.
	 */
	error = tcpstats_sysctl_fini();
	if (error != 0) {
		TSG_LOCK();
		tcpstats_g.tsg_unloading = false;
		TSG_UNLOCK();
		return (error);
	}

	/* Waits for threads still in our methods; runs leftover dtors. */
	destroy_dev(tcpstats_g.tsg_dev);
	tcpstats_g.tsg_dev = NULL;
	tcpstats_profiles_fini();
	tcpstats_counters_fini();
	sx_destroy(&tcpstats_g.tsg_profile_lock);
	sx_destroy(&tcpstats_g.tsg_node_lock);
	mtx_destroy(&tcpstats_g.tsg_lock);
	return (0);
}

static int
tcpstats_modevent(module_t mod, int type, void *data)
{

	switch (type) {
	case MOD_LOAD:
		return (tcpstats_load());
	case MOD_QUIESCE:
		return (tcpstats_quiesce());
	case MOD_UNLOAD:
		return (tcpstats_unload());
	case MOD_SHUTDOWN:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

DEV_MODULE(tcpstats, tcpstats_modevent, NULL);
MODULE_VERSION(tcpstats, 1);
