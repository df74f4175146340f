/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dev.c -- the device: one reader per open, its ioctls and the streaming
 * read over a NETLINK_SOCK_DIAG dump.
 *
 * A reader owns a netlink socket created in its opener's network namespace
 * and a read-ahead ring of datagrams (readahead.c), filled by a helper
 * thread while a dump is in flight.  A snapshot is one dump of both
 * families (AF_UNSPEC, see diag_req.c: one walk of the kernel's hash
 * tables), or of AF_INET6 alone for ipv6_only, or, on a kernel that refuses
 * the AF_UNSPEC request, a dump per family (AF_INET, then AF_INET6).  A
 * read takes messages from the ring's datagrams until the caller's buffer
 * cannot hold another record.  An unread message stays in its datagram for
 * the next read, so memory per reader is bounded whatever the socket
 * count.
 *
 * Locking: G_LOCK protects the global counters, tunables, the profile
 * table and the count of reads in progress; RD_LOCK serialises the calls
 * on one reader.  Order: RD_LOCK before G_LOCK.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tcpstats_ioctl.h"
#include "tcpstats_validate.h"
#include "dev.h"
#include "probes.h"
#include "readahead.h"

#define	G_LOCK()	pthread_mutex_lock(&g.g_lock)
#define	G_UNLOCK()	pthread_mutex_unlock(&g.g_lock)
#define	RD_LOCK(rd)	pthread_mutex_lock(&(rd)->rd_lock)
#define	RD_UNLOCK(rd)	pthread_mutex_unlock(&(rd)->rd_lock)

enum snap { SNAP_IDLE, SNAP_DUMPING, SNAP_DONE };

struct tsd_reader {
	pthread_mutex_t	rd_lock;
	uint64_t	rd_id;		/* probes: reader id */
	int		rd_nsfd;	/* opener's network namespace */
	struct mnl_socket *rd_nl;	/* NULL until needed again */
	bool		rd_nl_busy;	/* a dump is half read */
	struct tcpstats_filter rd_filter;
	struct tcpstats_errinfo rd_lasterr;
	struct tcpstats_counters rd_counters;

	/* The snapshot in progress. */
	enum snap	rd_snap;
	uint8_t		rd_fams[2];	/* families to dump (AF_UNSPEC: both) */
	unsigned int	rd_nfams;
	unsigned int	rd_fam;		/* rd_fams index dumping */
	uint32_t	rd_states;	/* idiag_states pushed down */
	uint32_t	rd_seq;
	bool		rd_replied;	/* the request in flight has answers */
	bool		rd_bc_on;	/* bytecode attached to requests */
	size_t		rd_bclen;
	uint8_t		rd_bc[TSD_BC_MAX];
	const uint8_t	*rd_cur;	/* the datagram being read, in rd_ra */
	size_t		rd_len;		/* bytes at rd_cur */
	size_t		rd_pos;		/* next unread message */
	uint64_t	rd_last_end_ns;	/* last read's end, monotonic */
	struct tsd_ra	rd_ra;		/* datagrams received ahead */
};

static struct {
	pthread_mutex_t	g_lock;
	struct tcpstats_counters g_counters;
	uint32_t	g_tun[TSD_NTUN];
	struct tcpstats_profiles g_profiles;
	unsigned int	g_reading;	/* reads in progress */
	uint64_t	g_next_id;
} g = { .g_lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * The kernel refused the both-families request once (no TCPDIAG_GETSOCK):
 * from then on every snapshot dumps one family at a time.
 */
static atomic_bool unspec_refused;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

void
tsd_dev_init(void)
{
	unsigned int i;

	G_LOCK();
	memset(&g.g_counters, 0, sizeof(g.g_counters));
	for (i = 0; i < TSD_NTUN; i++)
		g.g_tun[i] = tsd_tunables[i].tt_default;
	if (tsd_no_pushdown)
		g.g_tun[TSD_TUN_PUSHDOWN] = 0;
	tcpstats_profiles_init(&g.g_profiles);
	g.g_reading = 0;
	g.g_next_id = 1;
	G_UNLOCK();
}

void
tsd_dev_fini(void)
{
}

static int	rd_fail(struct tsd_reader *rd, int error, const char *directive,
		    const char *fmt, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

/* Record a failure for TCPSTATS_IOC_LASTERR and last_error. */
static int
rd_fail(struct tsd_reader *rd, int error, const char *directive,
    const char *fmt, ...)
{
	va_list ap;

	memset(&rd->rd_lasterr, 0, sizeof(rd->rd_lasterr));
	rd->rd_lasterr.tei_errno = error;
	if (directive != NULL)
		snprintf(rd->rd_lasterr.tei_directive,
		    sizeof(rd->rd_lasterr.tei_directive), "%s", directive);
	va_start(ap, fmt);
	vsnprintf(rd->rd_lasterr.tei_message,
	    sizeof(rd->rd_lasterr.tei_message), fmt, ap);
	va_end(ap);
	rd->rd_counters.tsc_last_error = error;
	G_LOCK();
	g.g_counters.tsc_last_error = error;
	G_UNLOCK();
	return (-error);
}

/* Keep the core's report, stamped with the errno returned. */
static int
rd_fail_err(struct tsd_reader *rd, int error,
    const struct tcpstats_errinfo *ei)
{

	rd->rd_lasterr = *ei;
	rd->rd_lasterr.tei_errno = error;
	rd->rd_counters.tsc_last_error = error;
	G_LOCK();
	g.g_counters.tsc_last_error = error;
	G_UNLOCK();
	return (-error);
}

/* --- open and close ------------------------------------------------------- */

int
tsd_dev_open(pid_t pid, int flags, struct tsd_reader **out)
{
	struct tsd_reader *rd;
	int error, nsfd;

	*out = NULL;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return (-EPERM);

	/* Is there room for another open? */
	G_LOCK();
	if (g.g_counters.tsc_active_fds >= g.g_tun[TSD_TUN_MAX_OPEN_FDS]) {
		g.g_counters.tsc_last_error = EMFILE;
		G_UNLOCK();
		return (-EMFILE);
	}
	g.g_counters.tsc_active_fds++;
	G_UNLOCK();

	rd = calloc(1, sizeof(*rd));
	nsfd = -1;
	if (rd == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	error = tsd_ra_init(&rd->rd_ra);
	if (error != 0) {
		free(rd);
		rd = NULL;
		goto fail;
	}
	nsfd = tsd_netns_open_pid(pid);
	if (nsfd < 0) {
		error = nsfd;
		tsd_log(LOG_NOTICE, "open by pid %ld: cannot open its network "
		    "namespace: %s", (long)pid, strerror(-error));
		nsfd = -1;
		goto fail;
	}
	error = tsd_netns_socket(nsfd, &rd->rd_nl, NULL);
	if (error != 0) {
		tsd_log(LOG_NOTICE, "open by pid %ld: cannot make a "
		    "sock_diag socket in its network namespace: %s",
		    (long)pid, strerror(-error));
		goto fail;
	}
	pthread_mutex_init(&rd->rd_lock, NULL);
	rd->rd_nsfd = nsfd;
	tcpstats_filter_default(&rd->rd_filter);
	rd->rd_snap = SNAP_IDLE;
	rd->rd_counters.tsc_opens_total = 1;
	rd->rd_counters.tsc_active_fds = 1;

	G_LOCK();
	rd->rd_id = g.g_next_id++;
	g.g_counters.tsc_opens_total++;
	G_UNLOCK();
	*out = rd;
	return (0);

fail:
	if (nsfd >= 0)
		close(nsfd);
	if (rd != NULL)
		tsd_ra_fini(&rd->rd_ra);
	free(rd);
	G_LOCK();
	g.g_counters.tsc_active_fds--;
	g.g_counters.tsc_last_error = -error;
	G_UNLOCK();
	return (error);
}

void
tsd_dev_release(struct tsd_reader *rd)
{

	if (rd == NULL)
		return;
	tsd_ra_fini(&rd->rd_ra);
	if (rd->rd_nl != NULL)
		mnl_socket_close(rd->rd_nl);
	close(rd->rd_nsfd);
	pthread_mutex_destroy(&rd->rd_lock);
	free(rd);
	G_LOCK();
	g.g_counters.tsc_active_fds--;
	G_UNLOCK();
}

/* --- snapshots ------------------------------------------------------------ */

/*
 * May this daemon overlap the kernel's work and its own?  Only with a
 * second CPU to run on (the calling thread's affinity, which the helper
 * inherits, and which taskset(1) or a cgroup may have narrowed): on one, a
 * helper thread and a polling reader would only take turns with the
 * kernel.
 */
static bool
ra_cpus_ok(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return (true);
	return (CPU_COUNT(&set) >= 2);
}

/*
 * Forget the snapshot in progress.  A half-read dump cannot be abandoned
 * on its socket, so the socket is dropped and remade at the next start.
 */
static void
snap_reset(struct tsd_reader *rd)
{

	tsd_ra_stop(&rd->rd_ra);
	rd->rd_cur = NULL;
	if (rd->rd_nl_busy && rd->rd_nl != NULL) {
		mnl_socket_close(rd->rd_nl);
		rd->rd_nl = NULL;
	}
	rd->rd_nl_busy = false;
	rd->rd_snap = SNAP_IDLE;
	rd->rd_len = 0;
	rd->rd_pos = 0;
}

static int
snap_request(struct tsd_reader *rd)
{
	uint8_t req[TSD_NLMSG_HDRLEN + 128 + TSD_NLA_HDRLEN + TSD_BC_MAX];
	uint16_t sport, dport;
	size_t len;

	rd->rd_seq++;
	len = tsd_diag_req_build(req, sizeof(req), rd->rd_fams[rd->rd_fam],
	    rd->rd_states, tsd_diag_ext(rd->rd_filter.tf_fields), rd->rd_seq,
	    rd->rd_bc_on ? rd->rd_bc : NULL, rd->rd_bc_on ? rd->rd_bclen : 0);
	if (len == 0)
		return (-EINVAL);
	/* With the bytecode, a lone port goes in the id too. */
	if (rd->rd_bc_on) {
		tsd_diag_one_ports(&rd->rd_filter, &sport, &dport);
		tsd_diag_req_ports(req, sport, dport);
	}
	/* The previous answer has ended: its helper goes first. */
	tsd_ra_stop(&rd->rd_ra);
	rd->rd_cur = NULL;
	rd->rd_len = 0;
	rd->rd_pos = 0;
	if (mnl_socket_sendto(rd->rd_nl, req, len) < 0)
		return (-errno);
	rd->rd_nl_busy = true;
	rd->rd_replied = false;
	tsd_ra_start(&rd->rd_ra, mnl_socket_get_fd(rd->rd_nl), rd->rd_seq,
	    tsd_sysctl_tunable(TSD_TUN_READAHEAD) != 0 && ra_cpus_ok(),
	    tsd_sysctl_tunable(TSD_TUN_READAHEAD_SPIN_US));
	return (0);
}

/* Begin a snapshot: choose families, push the filter down, send. */
static int
snap_start(struct tsd_reader *rd)
{
	const struct tcpstats_filter *f = &rd->rd_filter;
	bool pushdown;
	int error;

	pushdown = tsd_sysctl_tunable(TSD_TUN_PUSHDOWN) != 0;
	snap_reset(rd);
	if (rd->rd_nl == NULL) {
		error = tsd_netns_socket(rd->rd_nsfd, &rd->rd_nl, NULL);
		if (error != 0)
			return (error);
	}
	/*
	 * Pushdown.  IPv6 sockets may carry IPv4-mapped addresses, which
	 * are IPv4 for the filter, so ipv4_only still dumps both families;
	 * ipv6_only needs AF_INET6 alone.
	 */
	rd->rd_nfams = 0;
	if ((f->tf_flags & TCPSTATS_FF_IPV6_ONLY) != 0 && pushdown) {
		rd->rd_fams[rd->rd_nfams++] = AF_INET6;
	} else if (tsd_sysctl_tunable(TSD_TUN_UNSPEC_DUMP) != 0 &&
	    !atomic_load(&unspec_refused)) {
		rd->rd_fams[rd->rd_nfams++] = AF_UNSPEC;
	} else {
		rd->rd_fams[rd->rd_nfams++] = AF_INET;
		rd->rd_fams[rd->rd_nfams++] = AF_INET6;
	}
	rd->rd_fam = 0;
	if (!pushdown) {
		rd->rd_states = tsd_states_pushdown(TCPSTATS_ST_ALL);
		rd->rd_bclen = 0;
	} else {
		rd->rd_states = tsd_states_pushdown(f->tf_states);
		rd->rd_bclen = tsd_bc_build(f, rd->rd_bc, sizeof(rd->rd_bc));
	}
	rd->rd_bc_on = rd->rd_bclen > 0;
	if (rd->rd_states == 0) {
		/* Every state excluded: nothing can match. */
		rd->rd_snap = SNAP_DONE;
		return (0);
	}
	rd->rd_snap = SNAP_DUMPING;
	return (snap_request(rd));
}

/*
 * The next message of the dump, taking the next datagram from the ring
 * when this one is used up.  Returns 0 and *nlh, or -errno.
 */
static int
snap_next(struct tsd_reader *rd, const struct nlmsghdr **nlhp)
{
	const struct nlmsghdr *nlh;
	int error, left;

	for (;;) {
		if (rd->rd_pos < rd->rd_len) {
			nlh = (const struct nlmsghdr *)(const void *)
			    (rd->rd_cur + rd->rd_pos);
			left = (int)(rd->rd_len - rd->rd_pos);
			if (mnl_nlmsg_ok(nlh, left)) {
				*nlhp = nlh;
				return (0);
			}
			/* A torn tail cannot happen on netlink; drop it. */
			rd->rd_pos = rd->rd_len;
		}
		error = tsd_ra_next(&rd->rd_ra, &rd->rd_cur, &rd->rd_len);
		rd->rd_pos = 0;
		if (error != 0) {
			rd->rd_cur = NULL;
			rd->rd_len = 0;
			/* Past the end of an answer: the kernel sent no end. */
			return (error == -ENODATA ? -EIO : error);
		}
	}
}

static void
snap_consume(struct tsd_reader *rd, const struct nlmsghdr *nlh)
{
	size_t step;

	step = TSD_ALIGN4(nlh->nlmsg_len);
	rd->rd_pos = step > rd->rd_len - rd->rd_pos ? rd->rd_len :
	    rd->rd_pos + step;
}

/* The family's dump ended: move to the next or finish the snapshot. */
static int
snap_family_done(struct tsd_reader *rd)
{

	rd->rd_nl_busy = false;
	if (++rd->rd_fam >= rd->rd_nfams) {
		/* The helper has stopped after this datagram. */
		tsd_ra_stop(&rd->rd_ra);
		rd->rd_cur = NULL;
		rd->rd_len = 0;
		rd->rd_pos = 0;
		rd->rd_snap = SNAP_DONE;
		return (0);
	}
	return (snap_request(rd));
}

/*
 * The kernel answered the request in flight with an error.  Before any
 * socket has come, the request can be made again in a form an older kernel
 * takes: one family at a time instead of both, then without bytecode.
 * Returns 0 when a new request is on its way, else -errno.
 */
static int
snap_refused(struct tsd_reader *rd, int kerr)
{

	if (rd->rd_replied)
		return (kerr != 0 ? -kerr : -EIO);
	rd->rd_nl_busy = false;
	if (rd->rd_fams[rd->rd_fam] == AF_UNSPEC) {
		if (!atomic_exchange(&unspec_refused, true))
			tsd_log(LOG_WARNING, "kernel refused the "
			    "both-families dump (%s); dumping one family at a "
			    "time", strerror(kerr));
		rd->rd_fams[0] = AF_INET;
		rd->rd_fams[1] = AF_INET6;
		rd->rd_nfams = 2;
		rd->rd_fam = 0;
		return (snap_request(rd));
	}
	if (rd->rd_bc_on) {
		tsd_log(LOG_WARNING, "kernel rejected the filter bytecode "
		    "(%s); reading unfiltered", strerror(kerr));
		rd->rd_bc_on = false;
		return (snap_request(rd));
	}
	return (kerr != 0 ? -kerr : -EIO);
}

/* The errno of an NLMSG_ERROR message, 0 when it is too short to say. */
static int
nlmsg_errno(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;

	if (nlh->nlmsg_len < TSD_NLMSG_HDRLEN + sizeof(*e))
		return (0);
	e = (const struct nlmsgerr *)((const char *)nlh + TSD_NLMSG_HDRLEN);
	return (e->error < 0 ? -e->error : e->error);
}

/* --- read ----------------------------------------------------------------- */

/*
 * Look at one socket: tally it, and encode it into out when it matches.
 * Returns the bytes written to out (0 when skipped).
 */
static size_t
rd_visit(struct tsd_reader *rd, const struct nlmsghdr *nlh,
    struct tcpstats_tally *tally, char *out, size_t room)
{
	uint16_t lport, rport;
	size_t n;
	int verdict;

	if (!tsd_visit(&rd->rd_filter, nlh, nlh->nlmsg_len, out, room,
	    &verdict, &lport, &rport, &n))
		return (0);		/* not a socket: not visited */
	tcpstats_tally_count(tally, verdict);
	if (verdict != TCPSTATS_MATCH) {
		TSD_PROBE4(filter__skip, rd->rd_id, verdict, lport, rport);
		return (0);
	}
	TSD_PROBE3(filter__match, rd->rd_id, lport, rport);
	TSD_PROBE2(fill__done, rd->rd_id, n);
	return (n);
}

ssize_t
tsd_dev_read(struct tsd_reader *rd, char *buf, size_t size,
    bool (*interrupted)(void))
{
	const struct nlmsghdr *nlh = NULL;
	struct tcpstats_tally tally;
	uint64_t start, budget_ns, interval_ns, dur;
	size_t recsize, copied, n;
	unsigned int how, steps;
	int error, kerr;
	bool too_soon;

	RD_LOCK(rd);
	TSD_PROBE2(read__entry, rd->rd_id, size);
	recsize = tcpstats_record_size(rd->rd_filter.tf_fields,
	    rd->rd_filter.tf_format);
	if (size < recsize) {
		error = rd_fail(rd, EINVAL, NULL, "read buffer of %zu bytes "
		    "is smaller than one record (%zu bytes)", size, recsize);
		TSD_PROBE4(read__done, rd->rd_id, 0, 0, EINVAL);
		RD_UNLOCK(rd);
		return (error);
	}

	/* May this reader read now, and is there a free reading slot? */
	start = mono_ns();
	G_LOCK();
	interval_ns = (uint64_t)g.g_tun[TSD_TUN_MIN_READ_INTERVAL_MS] *
	    1000000ull;
	budget_ns = (uint64_t)g.g_tun[TSD_TUN_MAX_READ_DURATION_MS] *
	    1000000ull;
	too_soon = interval_ns > 0 && rd->rd_last_end_ns != 0 &&
	    start - rd->rd_last_end_ns < interval_ns;
	if (too_soon ||
	    g.g_reading >= g.g_tun[TSD_TUN_MAX_CONCURRENT_READERS]) {
		G_UNLOCK();
		error = rd_fail(rd, EBUSY, NULL, too_soon ?
		    "read again within min_read_interval_ms" :
		    "max_concurrent_readers reads already in progress");
		TSD_PROBE4(read__done, rd->rd_id, 0, 0, EBUSY);
		RD_UNLOCK(rd);
		return (error);
	}
	g.g_reading++;
	G_UNLOCK();

	memset(&tally, 0, sizeof(tally));
	copied = 0;
	how = 0;
	error = 0;
	if (rd->rd_snap == SNAP_IDLE)
		error = snap_start(rd);

	/* Take messages until the buffer is full or the dump ends. */
	for (steps = 0; error == 0 && rd->rd_snap == SNAP_DUMPING; steps++) {
		if (size - copied < recsize)
			break;
		/*
		 * Every 32 messages (a few microseconds): has the caller been
		 * signalled, is the time up?  The budget cuts a read that has
		 * something to return; one that has nothing yet goes on, so
		 * that 0 keeps meaning the end of the snapshot.
		 */
		if ((steps & 31) == 0 && interrupted != NULL &&
		    interrupted()) {
			how |= TCPSTATS_READ_INTERRUPTED;
			if (copied == 0)
				error = -EINTR;
			break;
		}
		if ((steps & 31) == 0 && copied > 0 &&
		    mono_ns() - start > budget_ns) {
			how |= TCPSTATS_READ_TIMED_OUT;
			break;
		}
		error = snap_next(rd, &nlh);
		if (error != 0)
			break;
		if (nlh->nlmsg_seq != rd->rd_seq) {
			/* Stale: an answer to an older request. */
			snap_consume(rd, nlh);
			continue;
		}
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			snap_consume(rd, nlh);
			error = snap_family_done(rd);
			break;
		case NLMSG_ERROR:
			kerr = nlmsg_errno(nlh);
			snap_consume(rd, nlh);
			error = snap_refused(rd, kerr);
			break;
		case SOCK_DIAG_BY_FAMILY:
		case TCPDIAG_GETSOCK:
			rd->rd_replied = true;
			n = rd_visit(rd, nlh, &tally, buf + copied,
			    size - copied);
			snap_consume(rd, nlh);
			copied += n;
			break;
		default:
			snap_consume(rd, nlh);
			break;
		}
	}
	if (error != 0 && error != -EINTR) {
		tsd_log(LOG_WARNING, "reader %llu: dump failed: %s",
		    (unsigned long long)rd->rd_id, strerror(-error));
		snap_reset(rd);
		/* Records already copied are returned; the error is lost. */
		if (copied > 0)
			error = 0;
	}

	/* Account for the read, whatever its outcome. */
	rd->rd_last_end_ns = mono_ns();
	dur = rd->rd_last_end_ns - start;
	tcpstats_counters_add_read(&rd->rd_counters, &tally, dur, how);
	G_LOCK();
	g.g_reading--;
	tcpstats_counters_add_read(&g.g_counters, &tally, dur, how);
	G_UNLOCK();
	if (error != 0) {
		rd_fail(rd, -error, NULL, "read failed: %s", strerror(-error));
		TSD_PROBE4(read__done, rd->rd_id, tally.tt_emitted, 0, -error);
		RD_UNLOCK(rd);
		return (error);
	}
	TSD_PROBE4(read__done, rd->rd_id, tally.tt_emitted, copied, 0);
	RD_UNLOCK(rd);
	return ((ssize_t)copied);
}

/* --- ioctls --------------------------------------------------------------- */

/*
 * Each ioc_ function below runs after tcpstats_validate_ioctl() has
 * accepted its argument: strings end within their buffers, tv_abi is
 * ours or 0 and profile names follow the name rule.
 */

static int
ioc_version(struct tsd_reader *rd, struct tcpstats_version *v)
{
	uint32_t hint;

	hint = 0;
	(void)tsd_netns_socket(rd->rd_nsfd, NULL, &hint);
	memset(v, 0, sizeof(*v));
	v->tv_abi = TCPSTATS_ABI_VERSION;
	v->tv_rec_version = TCPSTATS_REC_VERSION;
	v->tv_hdr_size = sizeof(struct tcpstats_rec_hdr);
	v->tv_full_size = sizeof(struct tcpstats_record);
	v->tv_rec_size = (uint32_t)tcpstats_record_size(
	    rd->rd_filter.tf_fields, rd->rd_filter.tf_format);
	v->tv_count_hint = hint;
	v->tv_provider = TCPSTATS_PROVIDER_FUSE;
	return (0);
}

static int
ioc_setfilter(struct tsd_reader *rd, const struct tcpstats_filter_arg *a)
{
	struct tcpstats_filter nf;
	struct tcpstats_errinfo ei;
	int rc;

	memset(&ei, 0, sizeof(ei));
	G_LOCK();
	rc = tcpstats_filter_parse(a->tfa_text, &g.g_profiles, &nf, &ei);
	G_UNLOCK();
	if (rc != TCPSTATS_OK)
		return (rd_fail_err(rd, EINVAL, &ei));
	/* A new filter changes what is pushed down: start over. */
	rd->rd_filter = nf;
	snap_reset(rd);
	return (0);
}

int
tsd_dev_ioctl(struct tsd_reader *rd, unsigned int cmd, void *data)
{
	struct tcpstats_profile_arg *pa;
	struct tcpstats_profile_list *pl;
	struct tcpstats_errinfo ei;
	int error, rc;

	RD_LOCK(rd);
	error = 0;

	/* Is the argument well formed?  Nothing acts before this says so. */
	memset(&ei, 0, sizeof(ei));
	rc = tcpstats_validate_ioctl(cmd, data, &ei);
	if (rc == TCPSTATS_V_NOTTY) {
		error = -ENOTTY;
		goto done;
	}
	if (rc != TCPSTATS_OK) {
		error = rd_fail_err(rd, EINVAL, &ei);
		goto done;
	}

	switch (cmd) {
	case TCPSTATS_IOC_VERSION:
		error = ioc_version(rd, data);
		break;
	case TCPSTATS_IOC_SETFILTER:
		error = ioc_setfilter(rd, data);
		break;
	case TCPSTATS_IOC_GETFILTER:
		memset(data, 0, sizeof(struct tcpstats_filter_arg));
		(void)tcpstats_filter_format(&rd->rd_filter, data,
		    sizeof(struct tcpstats_filter_arg));
		break;
	case TCPSTATS_IOC_REWIND:
		snap_reset(rd);
		break;
	case TCPSTATS_IOC_READER_STATS:
		memcpy(data, &rd->rd_counters, sizeof(rd->rd_counters));
		break;
	case TCPSTATS_IOC_GLOBAL_STATS:
		G_LOCK();
		memcpy(data, &g.g_counters, sizeof(g.g_counters));
		G_UNLOCK();
		break;
	case TCPSTATS_IOC_LASTERR:
		memcpy(data, &rd->rd_lasterr, sizeof(rd->rd_lasterr));
		break;
	case TCPSTATS_IOC_PROFILE_SET:
		pa = data;
		memset(&ei, 0, sizeof(ei));
		error = tsd_profile_set(pa->tpa_name, pa->tpa_text, &ei);
		if (error != 0)
			error = rd_fail_err(rd, -error, &ei);
		break;
	case TCPSTATS_IOC_PROFILE_GET:
		pa = data;
		error = tsd_profile_get(pa->tpa_name, pa->tpa_text,
		    sizeof(pa->tpa_text));
		if (error != 0)
			error = rd_fail(rd, -error, "profile",
			    "no profile named '%s'", pa->tpa_name);
		break;
	case TCPSTATS_IOC_PROFILE_DEL:
		pa = data;
		error = tsd_profile_del(pa->tpa_name);
		if (error != 0)
			error = rd_fail(rd, -error, "profile",
			    "no profile named '%s'", pa->tpa_name);
		break;
	case TCPSTATS_IOC_PROFILE_LIST:
		pl = data;
		memset(pl, 0, sizeof(*pl));
		pl->tpl_count = tsd_profile_names(pl->tpl_names,
		    TCPSTATS_MAX_PROFILES);
		break;
	default:
		/* Unreachable: the check above knows the same commands. */
		error = -ENOTTY;
		break;
	}
done:
	RD_UNLOCK(rd);
	return (error);
}

/* --- sysctl/ and profiles/ ------------------------------------------------ */

int64_t
tsd_sysctl_counter(unsigned int i)
{
	int64_t v;

	G_LOCK();
	v = tsd_counter_value(&g.g_counters, i);
	G_UNLOCK();
	return (v);
}

uint32_t
tsd_sysctl_tunable(enum tsd_tun t)
{
	uint32_t v;

	G_LOCK();
	v = g.g_tun[t];
	G_UNLOCK();
	return (v);
}

void
tsd_sysctl_set_tunable(enum tsd_tun t, uint32_t v)
{

	G_LOCK();
	g.g_tun[t] = v;
	G_UNLOCK();
}

int
tsd_profile_set(const char *name, const char *text,
    struct tcpstats_errinfo *err)
{
	bool created;
	int rc;

	if (tcpstats_profile_name_check(name, err) != TCPSTATS_OK)
		return (-EINVAL);
	if (strlen(text) > TCPSTATS_FILTER_MAXLEN) {
		memset(err, 0, sizeof(*err));
		err->tei_column = TCPSTATS_FILTER_MAXLEN + 1;
		snprintf(err->tei_message, sizeof(err->tei_message),
		    "profile text is %zu bytes; the limit is %d",
		    strlen(text), TCPSTATS_FILTER_MAXLEN);
		return (-EINVAL);
	}
	created = false;
	G_LOCK();
	rc = tcpstats_profile_set(&g.g_profiles, name, text, &created, err);
	G_UNLOCK();
	switch (rc) {
	case TCPSTATS_OK:
		if (created)
			TSD_PROBE1(profile__create, name);
		return (0);
	case TCPSTATS_E_NOSPC:
		if (err->tei_message[0] == '\0')
			snprintf(err->tei_message, sizeof(err->tei_message),
			    "profile table full (%d profiles)",
			    TCPSTATS_MAX_PROFILES);
		return (-ENOSPC);
	default:
		return (-EINVAL);
	}
}

int
tsd_profile_get(const char *name, char *text, size_t len)
{
	const char *t;
	int error;

	G_LOCK();
	t = tcpstats_profile_lookup(&g.g_profiles, name);
	if (t == NULL) {
		error = -ENOENT;
	} else {
		snprintf(text, len, "%s", t);
		error = 0;
	}
	G_UNLOCK();
	return (error);
}

int
tsd_profile_del(const char *name)
{
	int rc;

	G_LOCK();
	rc = tcpstats_profile_delete(&g.g_profiles, name);
	G_UNLOCK();
	if (rc != TCPSTATS_OK)
		return (-ENOENT);
	TSD_PROBE1(profile__destroy, name);
	return (0);
}

unsigned int
tsd_profile_names(char names[][TCPSTATS_NAME_BUF], unsigned int max)
{
	unsigned int n;

	G_LOCK();
	n = tcpstats_profile_list(&g.g_profiles, names, max);
	G_UNLOCK();
	return (n);
}

bool
tsd_profile_room(void)
{
	bool room;

	G_LOCK();
	room = g.g_profiles.tps_count < TCPSTATS_MAX_PROFILES;
	G_UNLOCK();
	return (room);
}
