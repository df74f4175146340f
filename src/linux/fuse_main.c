/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fuse_main.c -- tcpstatsd: the file tree, FUSE callbacks and main().
 *
 *	<mnt>/tcpstats		the device (dev.c), 0440 root[:group]
 *	<mnt>/sysctl/<name>	counters 0444, tunables 0644, decimal text
 *	<mnt>/profiles/<name>	profiles, 0644: read, write, unlink
 *
 * Every file is opened direct_io so that reads and writes reach us
 * unchanged, with the offsets the caller used.  Text written to a tunable
 * or a profile is collected over the writes of one open file and applied
 * at flush (each close(2)), so that nothing is applied half-written.
 */

#define	FUSE_USE_VERSION	312
#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"

#define	DEFAULT_MOUNT	"/run/tcpstats"
#define	DEV_NAME	"tcpstats"
#define	MAX_THREADS	64	/* > default max_concurrent_readers */

static bool	opt_foreground;		/* -f: attached, log to stderr */
bool		tsd_no_pushdown;	/* -P: no filtering in the kernel */
static gid_t	opt_gid;		/* -g: group of the device */
static time_t	start_time;

/* --- logging -------------------------------------------------------------- */

void
tsd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (opt_foreground) {
		fprintf(stderr, "tcpstatsd: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

/* --- the tree ------------------------------------------------------------- */

enum node {
	N_NONE, N_ROOT, N_DEV, N_SYSCTL_DIR, N_COUNTER, N_TUNABLE,
	N_PROFILES_DIR, N_PROFILE
};

/* Classify path; *idx is the counter/tunable index, *name the profile. */
static enum node
lookup(const char *path, int *idx, const char **name)
{

	*idx = -1;
	*name = NULL;
	if (strcmp(path, "/") == 0)
		return (N_ROOT);
	if (strcmp(path, "/" DEV_NAME) == 0)
		return (N_DEV);
	if (strcmp(path, "/sysctl") == 0)
		return (N_SYSCTL_DIR);
	if (strncmp(path, "/sysctl/", 8) == 0) {
		if ((*idx = tsd_counter_index(path + 8)) >= 0)
			return (N_COUNTER);
		if ((*idx = tsd_tunable_index(path + 8)) >= 0)
			return (N_TUNABLE);
		return (N_NONE);
	}
	if (strcmp(path, "/profiles") == 0)
		return (N_PROFILES_DIR);
	if (strncmp(path, "/profiles/", 10) == 0 && path[10] != '\0' &&
	    strchr(path + 10, '/') == NULL) {
		*name = path + 10;
		return (N_PROFILE);
	}
	return (N_NONE);
}

/*
 * Profiles being created: create() makes the file visible before its text
 * is written, but the profile is stored only when valid text arrives.
 */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char		name[TCPSTATS_NAME_BUF];
	unsigned int	refs;
} pending[TCPSTATS_MAX_PROFILES];

static bool
pending_has(const char *name)
{
	unsigned int i;
	bool found;

	found = false;
	pthread_mutex_lock(&pending_lock);
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++)
		if (pending[i].refs > 0 && strcmp(pending[i].name, name) == 0)
			found = true;
	pthread_mutex_unlock(&pending_lock);
	return (found);
}

static int
pending_add(const char *name)
{
	unsigned int i;
	int freeslot;

	freeslot = -1;
	pthread_mutex_lock(&pending_lock);
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++) {
		if (pending[i].refs > 0 && strcmp(pending[i].name, name) == 0) {
			pending[i].refs++;
			pthread_mutex_unlock(&pending_lock);
			return (0);
		}
		if (pending[i].refs == 0 && freeslot < 0)
			freeslot = (int)i;
	}
	if (freeslot < 0) {
		pthread_mutex_unlock(&pending_lock);
		return (-ENOSPC);
	}
	snprintf(pending[freeslot].name, sizeof(pending[freeslot].name), "%s",
	    name);
	pending[freeslot].refs = 1;
	pthread_mutex_unlock(&pending_lock);
	return (0);
}

static void
pending_drop(const char *name)
{
	unsigned int i;

	pthread_mutex_lock(&pending_lock);
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++)
		if (pending[i].refs > 0 && strcmp(pending[i].name, name) == 0)
			pending[i].refs--;
	pthread_mutex_unlock(&pending_lock);
}

static bool
profile_exists(const char *name)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];

	return (tsd_profile_get(name, text, sizeof(text)) == 0);
}

/* --- open files ----------------------------------------------------------- */

/* Profile text, a newline and a NUL. */
#define	FH_TEXT_MAX	(TCPSTATS_FILTER_MAXLEN + 2)

/*
 * An open file.  What is read comes from fh_text, taken at open.  What is
 * written is collected in fh_wtext, each piece checked as it arrives
 * (tsd_tunable_feed, tsd_profile_feed), and applied at flush, which the
 * kernel sends on every close(2): a value written in several pieces is
 * taken whole, and one rejected piece makes the whole text rejected.
 */
struct fh {
	enum node	fh_node;
	int		fh_idx;		/* counter or tunable */
	struct tsd_reader *fh_rd;	/* N_DEV */
	pthread_mutex_t	fh_lock;	/* the fields below */
	bool		fh_pending;	/* holds a pending name */
	bool		fh_failed;	/* a write was refused: apply nothing */
	bool		fh_dirty;	/* written since last applied */
	int		fh_applied;	/* result of the last apply, 0/-errno */
	char		fh_name[TCPSTATS_NAME_BUF];
	size_t		fh_len;		/* bytes in fh_text */
	char		fh_text[FH_TEXT_MAX];
	size_t		fh_wlen;	/* bytes in fh_wtext */
	char		fh_wtext[TSD_PROF_TEXT_MAX];
};

static struct fh *
fh_new(enum node node, int idx)
{
	struct fh *fh;

	fh = calloc(1, sizeof(*fh));
	if (fh == NULL)
		return (NULL);
	if (pthread_mutex_init(&fh->fh_lock, NULL) != 0) {
		free(fh);
		return (NULL);
	}
	fh->fh_node = node;
	fh->fh_idx = idx;
	return (fh);
}

static void
fh_free(struct fh *fh)
{

	pthread_mutex_destroy(&fh->fh_lock);
	free(fh);
}

static struct fh *
fh_of(struct fuse_file_info *fi)
{

	return ((struct fh *)(uintptr_t)fi->fh);
}

static bool
intr_cb(void)
{

	return (fuse_interrupted() != 0);
}

/* --- callbacks ------------------------------------------------------------ */

static void *
tsd_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{

	(void)conn;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->use_ino = 0;
	cfg->hard_remove = 1;
	return (NULL);
}

static int
tsd_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	const char *name;
	int idx;

	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_nlink = 1;
	st->st_atime = st->st_mtime = st->st_ctime = start_time;
	switch (lookup(path, &idx, &name)) {
	case N_ROOT:
	case N_PROFILES_DIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return (0);
	case N_SYSCTL_DIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		return (0);
	case N_DEV:
		st->st_mode = S_IFREG | 0440;
		st->st_gid = opt_gid;
		return (0);
	case N_COUNTER:
		st->st_mode = S_IFREG | 0444;
		return (0);
	case N_TUNABLE:
		st->st_mode = S_IFREG | 0644;
		return (0);
	case N_PROFILE:
		st->st_mode = S_IFREG | 0644;
		if (tsd_profile_get(name, text, sizeof(text)) == 0) {
			st->st_size = (off_t)strlen(text) + 1;
			return (0);
		}
		return (pending_has(name) ? 0 : -ENOENT);
	default:
		return (-ENOENT);
	}
}

static int
tsd_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char names[TCPSTATS_MAX_PROFILES][TCPSTATS_NAME_BUF];
	const char *name;
	unsigned int i, n;
	int idx;

	(void)off;
	(void)fi;
	(void)flags;
	switch (lookup(path, &idx, &name)) {
	case N_ROOT:
		filler(buf, ".", NULL, 0, 0);
		filler(buf, "..", NULL, 0, 0);
		filler(buf, DEV_NAME, NULL, 0, 0);
		filler(buf, "sysctl", NULL, 0, 0);
		filler(buf, "profiles", NULL, 0, 0);
		return (0);
	case N_SYSCTL_DIR:
		filler(buf, ".", NULL, 0, 0);
		filler(buf, "..", NULL, 0, 0);
		for (i = 0; tsd_counter_name(i) != NULL; i++)
			filler(buf, tsd_counter_name(i), NULL, 0, 0);
		for (i = 0; i < TSD_NTUN; i++)
			filler(buf, tsd_tunables[i].tt_name, NULL, 0, 0);
		return (0);
	case N_PROFILES_DIR:
		filler(buf, ".", NULL, 0, 0);
		filler(buf, "..", NULL, 0, 0);
		n = tsd_profile_names(names, TCPSTATS_MAX_PROFILES);
		for (i = 0; i < n; i++)
			filler(buf, names[i], NULL, 0, 0);
		return (0);
	case N_NONE:
		return (-ENOENT);
	default:
		return (-ENOTDIR);
	}
}

static int
tsd_open(const char *path, struct fuse_file_info *fi)
{
	struct fh *fh;
	const char *name;
	int64_t v;
	int acc, error, idx;
	enum node node;

	node = lookup(path, &idx, &name);
	acc = fi->flags & O_ACCMODE;
	if (node == N_NONE)
		return (-ENOENT);
	if (node == N_ROOT || node == N_SYSCTL_DIR || node == N_PROFILES_DIR)
		return (-EISDIR);
	fh = fh_new(node, idx);
	if (fh == NULL)
		return (-ENOMEM);
	error = 0;
	switch (node) {
	case N_DEV:
		error = tsd_dev_open(fuse_get_context()->pid, fi->flags,
		    &fh->fh_rd);
		break;
	case N_COUNTER:
		if (acc != O_RDONLY) {
			error = -EPERM;
			break;
		}
		v = tsd_sysctl_counter((unsigned int)idx);
		fh->fh_len = (size_t)snprintf(fh->fh_text,
		    sizeof(fh->fh_text), "%lld\n", (long long)v);
		break;
	case N_TUNABLE:
		/*
		 * Readable opens read the value; O_TRUNC (with O_RDWR)
		 * starts empty.  Writes are collected apart, in fh_wtext.
		 */
		if (acc == O_RDONLY ||
		    (acc == O_RDWR && (fi->flags & O_TRUNC) == 0))
			fh->fh_len = (size_t)snprintf(fh->fh_text,
			    sizeof(fh->fh_text), "%u\n",
			    tsd_sysctl_tunable((enum tsd_tun)idx));
		break;
	case N_PROFILE:
		snprintf(fh->fh_name, sizeof(fh->fh_name), "%s", name);
		if (acc == O_RDONLY) {
			if (tsd_profile_get(name, fh->fh_text,
			    sizeof(fh->fh_text) - 1) != 0) {
				error = -ENOENT;
				break;
			}
			fh->fh_len = strlen(fh->fh_text);
			fh->fh_text[fh->fh_len++] = '\n';
		} else if (acc == O_RDWR) {
			error = -EINVAL;	/* read or written, not both */
		} else if (!profile_exists(name) && !pending_has(name)) {
			error = -ENOENT;
		}
		break;
	default:
		error = -ENOENT;
		break;
	}
	if (error != 0) {
		fh_free(fh);
		return (error);
	}
	fi->fh = (uintptr_t)fh;
	fi->direct_io = 1;
	if (node == N_DEV)
		fi->nonseekable = 1;
	return (0);
}

static int
tsd_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct tcpstats_errinfo ei;
	struct fh *fh;
	const char *name;
	int error, idx;

	(void)mode;
	if (lookup(path, &idx, &name) != N_PROFILE)
		return (-EPERM);
	memset(&ei, 0, sizeof(ei));
	if (tcpstats_profile_name_check(name, &ei) != TCPSTATS_OK)
		return (-EINVAL);
	if (!profile_exists(name) && !tsd_profile_room())
		return (-ENOSPC);
	if ((fi->flags & O_ACCMODE) == O_RDWR)
		return (-EINVAL);
	fh = fh_new(N_PROFILE, -1);
	if (fh == NULL)
		return (-ENOMEM);
	if ((error = pending_add(name)) != 0) {
		fh_free(fh);
		return (error);
	}
	fh->fh_pending = true;
	snprintf(fh->fh_name, sizeof(fh->fh_name), "%s", name);
	fi->fh = (uintptr_t)fh;
	fi->direct_io = 1;
	return (0);
}

static int
tsd_read(const char *path, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct fh *fh = fh_of(fi);
	size_t n;

	(void)path;
	if (fh->fh_node == N_DEV)
		return ((int)tsd_dev_read(fh->fh_rd, buf, size, intr_cb));
	if (off < 0)
		return (-EINVAL);
	if ((size_t)off >= fh->fh_len)
		return (0);
	n = fh->fh_len - (size_t)off;
	if (n > size)
		n = size;
	memcpy(buf, fh->fh_text + off, n);
	return ((int)n);
}

/*
 * Pieces must follow each other from offset 0, as sequential write(2)
 * calls make them.  Called with fh_lock held.
 */
static bool
write_in_order(struct fh *fh, const char *what, off_t off)
{

	if (off >= 0 && (size_t)off == fh->fh_wlen)
		return (true);
	tsd_log(LOG_NOTICE, "%s: write rejected: at offset %lld after %zu "
	    "bytes; the text must be written in order from offset 0", what,
	    (long long)off, fh->fh_wlen);
	return (false);
}

/* Collect a piece of a tunable's value; applied by apply_tunable(). */
static int
write_tunable(struct fh *fh, const char *buf, size_t size, off_t off)
{
	char what[64], why[160];
	int error;

	snprintf(what, sizeof(what), "sysctl/%s",
	    tsd_tunables[fh->fh_idx].tt_name);
	if (fh->fh_failed) {
		tsd_log(LOG_NOTICE, "%s: write rejected: an earlier write on "
		    "this descriptor was rejected", what);
		return (-EINVAL);
	}
	if (!write_in_order(fh, what, off)) {
		fh->fh_failed = true;
		return (-EINVAL);
	}
	error = tsd_tunable_feed((enum tsd_tun)fh->fh_idx, fh->fh_wtext,
	    &fh->fh_wlen, TSD_TUN_TEXT_MAX, buf, size, why, sizeof(why));
	if (error != 0) {
		fh->fh_failed = true;
		tsd_log(LOG_NOTICE, "sysctl/%s (nothing changed)", why);
		return (error);
	}
	fh->fh_dirty = true;
	return ((int)size);
}

/*
 * Would the text collected be stored?  The checks of tsd_profile_set()
 * (the name, and the text parsed on its own, as a stored text must be)
 * made on a table of its own, so that nothing is stored yet.
 */
static int
profile_check(struct fh *fh)
{
	struct tcpstats_profiles scratch;
	struct tcpstats_errinfo ei;
	char text[TSD_PROF_TEXT_MAX];

	if (tsd_profile_text(fh->fh_wtext, fh->fh_wlen, text,
	    sizeof(text)) != 0)
		return (-EFBIG);
	tcpstats_profiles_init(&scratch);
	memset(&ei, 0, sizeof(ei));
	if (tcpstats_profile_set(&scratch, fh->fh_name, text, NULL, &ei) !=
	    TCPSTATS_OK) {
		tsd_log(LOG_NOTICE, "profiles/%s: write rejected at column %u: "
		    "%s (nothing stored)", fh->fh_name, ei.tei_column,
		    ei.tei_message);
		return (-EINVAL);
	}
	return (0);
}

/* Collect a piece of a profile's text; stored by apply_profile(). */
static int
write_profile(struct fh *fh, const char *buf, size_t size, off_t off)
{
	char what[64], why[160];
	int error;

	snprintf(what, sizeof(what), "profiles/%s", fh->fh_name);
	if (fh->fh_failed) {
		tsd_log(LOG_NOTICE, "%s: write rejected: an earlier write on "
		    "this descriptor was rejected", what);
		return (-EINVAL);
	}
	if (!write_in_order(fh, what, off)) {
		fh->fh_failed = true;
		return (-EINVAL);
	}
	error = tsd_profile_feed(fh->fh_wtext, &fh->fh_wlen,
	    TSD_PROF_TEXT_MAX, buf, size, why, sizeof(why));
	if (error != 0) {
		fh->fh_failed = true;
		tsd_log(LOG_NOTICE, "%s: write rejected: %s (nothing stored)",
		    what, why);
		return (error);
	}
	fh->fh_dirty = true;
	/*
	 * A trailing newline ends the text (nothing may follow it), so it
	 * is parsed now: `echo bad > profiles/x' fails at its write, which
	 * a shell reports, rather than only at a close it may ignore.
	 */
	if (fh->fh_wtext[fh->fh_wlen - 1] == '\n' &&
	    (error = profile_check(fh)) != 0) {
		fh->fh_wlen -= size;
		fh->fh_failed = true;
		return (error);
	}
	return ((int)size);
}

static int
tsd_write(const char *path, const char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct fh *fh = fh_of(fi);
	int rc;

	(void)path;
	switch (fh->fh_node) {
	case N_TUNABLE:
		pthread_mutex_lock(&fh->fh_lock);
		rc = write_tunable(fh, buf, size, off);
		pthread_mutex_unlock(&fh->fh_lock);
		return (rc);
	case N_PROFILE:
		pthread_mutex_lock(&fh->fh_lock);
		rc = write_profile(fh, buf, size, off);
		pthread_mutex_unlock(&fh->fh_lock);
		return (rc);
	default:
		return (-EPERM);
	}
}

/* The whole value collected for a tunable: set it, or -EINVAL. */
static int
apply_tunable(struct fh *fh)
{
	char why[160];
	uint32_t v;

	if (tsd_tunable_parse((enum tsd_tun)fh->fh_idx, fh->fh_wtext,
	    fh->fh_wlen, &v, why, sizeof(why)) != 0) {
		tsd_log(LOG_NOTICE, "sysctl/%s (nothing changed)", why);
		return (-EINVAL);
	}
	tsd_sysctl_set_tunable((enum tsd_tun)fh->fh_idx, v);
	return (0);
}

/*
 * The whole text collected for a profile: store it by the path of the
 * PROFILE_SET ioctl, or keep the previous text (or no profile).
 */
static int
apply_profile(struct fh *fh)
{
	struct tcpstats_errinfo ei;
	char text[TSD_PROF_TEXT_MAX];
	int error;

	if (tsd_profile_text(fh->fh_wtext, fh->fh_wlen, text,
	    sizeof(text)) != 0) {
		tsd_log(LOG_NOTICE, "profiles/%s: text longer than %d bytes "
		    "(nothing stored)", fh->fh_name, TCPSTATS_FILTER_MAXLEN);
		return (-EINVAL);
	}
	memset(&ei, 0, sizeof(ei));
	error = tsd_profile_set(fh->fh_name, text, &ei);
	if (error != 0)
		tsd_log(LOG_NOTICE, "profiles/%s: rejected at column %u: %s "
		    "(nothing stored)", fh->fh_name, ei.tei_column,
		    ei.tei_message);
	return (error);
}

/*
 * Apply what was written since the last apply.  Every close(2) of a
 * descriptor of the file (dup()s and forks included) flushes, so a text
 * already applied is not applied again, and a close with nothing new
 * returns the result of the last apply (0 when nothing was written).
 * Called with fh_lock held.
 */
static int
fh_apply(struct fh *fh)
{

	if (fh->fh_failed)
		return (-EINVAL);
	if (!fh->fh_dirty)
		return (fh->fh_applied);
	fh->fh_dirty = false;
	if (fh->fh_node == N_TUNABLE)
		fh->fh_applied = apply_tunable(fh);
	else if (fh->fh_node == N_PROFILE)
		fh->fh_applied = apply_profile(fh);
	return (fh->fh_applied);
}

static int
tsd_flush(const char *path, struct fuse_file_info *fi)
{
	struct fh *fh = fh_of(fi);
	int rc;

	(void)path;
	if (fh == NULL ||
	    (fh->fh_node != N_TUNABLE && fh->fh_node != N_PROFILE))
		return (0);
	pthread_mutex_lock(&fh->fh_lock);
	rc = fh_apply(fh);
	pthread_mutex_unlock(&fh->fh_lock);
	return (rc);
}

static int
tsd_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	const char *name;
	int idx;

	(void)fi;
	switch (lookup(path, &idx, &name)) {
	case N_TUNABLE:
	case N_PROFILE:
		/* O_TRUNC before a write; the write replaces the value. */
		return (size == 0 ? 0 : -EINVAL);
	case N_NONE:
		return (-ENOENT);
	default:
		return (-EPERM);
	}
}

static int
tsd_unlink(const char *path)
{
	const char *name;
	int idx;

	if (lookup(path, &idx, &name) != N_PROFILE)
		return (-EPERM);
	return (tsd_profile_del(name));
}

static int
tsd_release(const char *path, struct fuse_file_info *fi)
{
	struct fh *fh = fh_of(fi);

	(void)path;
	if (fh == NULL)
		return (0);
	if (fh->fh_node == N_DEV)
		tsd_dev_release(fh->fh_rd);
	/* A file dropped without a close(2) (no flush) still applies. */
	if (fh->fh_node == N_TUNABLE || fh->fh_node == N_PROFILE) {
		pthread_mutex_lock(&fh->fh_lock);
		(void)fh_apply(fh);
		pthread_mutex_unlock(&fh->fh_lock);
	}
	if (fh->fh_pending)
		pending_drop(fh->fh_name);
	fh_free(fh);
	return (0);
}

static int
tsd_ioctl(const char *path, unsigned int cmd, void *arg,
    struct fuse_file_info *fi, unsigned int flags, void *data)
{
	struct fh *fh = fh_of(fi);

	(void)path;
	(void)arg;
	if ((flags & FUSE_IOCTL_DIR) != 0 || fh == NULL ||
	    fh->fh_node != N_DEV)
		return (-ENOTTY);
	return (tsd_dev_ioctl(fh->fh_rd, cmd, data));
}

static int
tsd_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{

	(void)path;
	(void)mode;
	(void)fi;
	return (-EPERM);
}

static int
tsd_utimens(const char *path, const struct timespec tv[2],
    struct fuse_file_info *fi)
{

	(void)path;
	(void)tv;
	(void)fi;
	return (0);
}

static const struct fuse_operations tsd_ops = {
	.init		= tsd_init,
	.getattr	= tsd_getattr,
	.readdir	= tsd_readdir,
	.open		= tsd_open,
	.create		= tsd_create,
	.read		= tsd_read,
	.write		= tsd_write,
	.truncate	= tsd_truncate,
	.unlink		= tsd_unlink,
	.flush		= tsd_flush,
	.release	= tsd_release,
	.ioctl		= tsd_ioctl,
	.chmod		= tsd_chmod,
	.utimens	= tsd_utimens,
};

/* --- start-up ------------------------------------------------------------- */

static void
usage(void)
{

	fprintf(stderr, "usage: tcpstatsd [-fP] [-g group] [-m mountpoint]\n");
	exit(1);
}

/* Undo the octal escapes of /proc/self/mountinfo (\040 for a space). */
static void
unescape(char *s)
{
	char *d;

	for (d = s; *s != '\0'; d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 4;
		} else {
			*d = *s++;
		}
	}
	*d = '\0';
}

static bool
is_mountpoint(const char *path)
{
	char line[4096], mnt[4096];
	FILE *fp;
	bool found;

	found = false;
	fp = fopen("/proc/self/mountinfo", "re");
	if (fp == NULL)
		return (false);
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		unescape(mnt);
		found = strcmp(mnt, path) == 0;
	}
	fclose(fp);
	return (found);
}

int
main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *lcfg;
	struct fuse *f;
	struct group *gr;
	struct stat st;
	char real[4096];
	const char *opt_m;		/* -m: mountpoint */
	const char *opt_g;		/* -g: device group */
	int ch, rc;

	opt_m = DEFAULT_MOUNT;
	opt_g = NULL;
	while ((ch = getopt(argc, argv, "Pfg:m:")) != -1) {
		switch (ch) {
		case 'P':
			tsd_no_pushdown = true;
			break;
		case 'f':
			opt_foreground = true;
			break;
		case 'g':
			opt_g = optarg;
			break;
		case 'm':
			opt_m = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* Refuse early, with one line, what cannot work. */
	if (geteuid() != 0) {
		fprintf(stderr, "tcpstatsd: must be run as root\n");
		return (1);
	}
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		fprintf(stderr, "tcpstatsd: /dev/fuse: %s (is the fuse module "
		    "loaded?)\n", strerror(errno));
		return (1);
	}
	if (opt_g != NULL) {
		gr = getgrnam(opt_g);
		if (gr == NULL) {
			fprintf(stderr, "tcpstatsd: unknown group '%s'\n",
			    opt_g);
			return (1);
		}
		opt_gid = gr->gr_gid;
	}
	if (stat(opt_m, &st) != 0) {
		if (errno == ENOTCONN) {
			fprintf(stderr, "tcpstatsd: %s: stale mount (run "
			    "fusermount3 -u %s)\n", opt_m, opt_m);
			return (1);
		}
		if (errno != ENOENT || mkdir(opt_m, 0755) != 0) {
			fprintf(stderr, "tcpstatsd: %s: %s\n", opt_m,
			    strerror(errno));
			return (1);
		}
	} else if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "tcpstatsd: %s: not a directory\n", opt_m);
		return (1);
	}
	if (realpath(opt_m, real) == NULL) {
		fprintf(stderr, "tcpstatsd: %s: %s\n", opt_m, strerror(errno));
		return (1);
	}
	if (is_mountpoint(real)) {
		fprintf(stderr, "tcpstatsd: %s: mountpoint busy (already a "
		    "mount)\n", real);
		return (1);
	}
	if ((rc = tsd_netns_init()) != 0) {
		fprintf(stderr, "tcpstatsd: /proc/self/ns/net: %s\n",
		    strerror(-rc));
		return (1);
	}

	tsd_dev_init();
	start_time = time(NULL);
	if (!opt_foreground)
		openlog("tcpstatsd", LOG_PID, LOG_DAEMON);

	if (fuse_opt_add_arg(&args, argv[0]) != 0 ||
	    fuse_opt_add_arg(&args, "-o") != 0 ||
	    fuse_opt_add_arg(&args, "allow_other,default_permissions,"
	    "fsname=tcpstats,subtype=tcpstatsd") != 0) {
		fprintf(stderr, "tcpstatsd: out of memory\n");
		return (1);
	}
	f = fuse_new(&args, &tsd_ops, sizeof(tsd_ops), NULL);
	if (f == NULL) {
		fprintf(stderr, "tcpstatsd: cannot set up FUSE\n");
		fuse_opt_free_args(&args);
		return (1);
	}
	if (fuse_mount(f, real) != 0) {
		fprintf(stderr, "tcpstatsd: cannot mount on %s\n", real);
		fuse_destroy(f);
		fuse_opt_free_args(&args);
		return (1);
	}
	if (fuse_daemonize(opt_foreground ? 1 : 0) != 0) {
		fuse_unmount(f);
		fuse_destroy(f);
		fuse_opt_free_args(&args);
		return (1);
	}
	if (fuse_set_signal_handlers(fuse_get_session(f)) != 0) {
		tsd_log(LOG_ERR, "cannot install signal handlers");
		fuse_unmount(f);
		fuse_destroy(f);
		fuse_opt_free_args(&args);
		return (1);
	}
	tsd_log(LOG_INFO, "serving %s/%s", real, DEV_NAME);

	lcfg = fuse_loop_cfg_create();
	if (lcfg != NULL)
		fuse_loop_cfg_set_max_threads(lcfg, MAX_THREADS);
	rc = fuse_loop_mt(f, lcfg);
	if (lcfg != NULL)
		fuse_loop_cfg_destroy(lcfg);

	tsd_log(LOG_INFO, "unmounting %s", real);
	fuse_remove_signal_handlers(fuse_get_session(f));
	fuse_unmount(f);
	fuse_destroy(f);
	fuse_opt_free_args(&args);
	tsd_dev_fini();
	tsd_netns_fini();
	if (!opt_foreground)
		closelog();
	return (rc == 0 ? 0 : 1);
}
