/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * collect.c -- one collection from the device.
 *
 * Open, check the provider's sizes against ours, set the filter, read to
 * the end counting records by state, fetch the global counters, read the
 * tunables, close.  Records are counted and dropped as they are read: the
 * buffer is fixed (EXP_READ_BUF), so memory does not grow with sockets.
 * Called under main.c's collection lock, which also guards the buffer.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#ifdef __FreeBSD__
#include <sys/sysctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exporter.h"
#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"

#define	EXP_READ_BUF	(64 * 1024)	/* bytes per read() */
#define	EXP_READ_MAX	(1u << 22)	/* read() calls per collection */

/*
 * The smallest record that carries the state: header + state group,
 * packed.  The user's filter comes first so its own directives win.
 */
static const char state_only[] = " fields=state format=compact";

static unsigned char read_buf[EXP_READ_BUF];

/* Does the provider lay things out as we do? */
static int
check_version(int fd, char *err, size_t errlen)
{
	struct tcpstats_version v;

	memset(&v, 0, sizeof(v));
	v.tv_abi = TCPSTATS_ABI_VERSION;
	if (ioctl(fd, TCPSTATS_IOC_VERSION, &v) == -1)
		return (exp_fail(err, errlen, "TCPSTATS_IOC_VERSION: %s",
		    strerror(errno)));
	if (v.tv_abi != TCPSTATS_ABI_VERSION ||
	    v.tv_rec_version != TCPSTATS_REC_VERSION ||
	    v.tv_hdr_size != sizeof(struct tcpstats_rec_hdr) ||
	    v.tv_full_size != sizeof(struct tcpstats_record))
		return (exp_fail(err, errlen, "provider ABI %" PRIu32 " record "
		    "version %u header %u full %" PRIu32 " bytes; this "
		    "exporter speaks ABI %d record version %d header %zu "
		    "full %zu", v.tv_abi, v.tv_rec_version, v.tv_hdr_size,
		    v.tv_full_size, TCPSTATS_ABI_VERSION, TCPSTATS_REC_VERSION,
		    sizeof(struct tcpstats_rec_hdr),
		    sizeof(struct tcpstats_record)));
	return (0);
}

static int
try_filter(int fd, const char *text, struct tcpstats_errinfo *ei)
{
	struct tcpstats_filter_arg fa;

	memset(&fa, 0, sizeof(fa));
	snprintf(fa.tfa_text, sizeof(fa.tfa_text), "%s", text);
	if (ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa) == 0)
		return (0);
	memset(ei, 0, sizeof(*ei));
	ei->tei_errno = errno;
	if (errno == EINVAL)
		(void)ioctl(fd, TCPSTATS_IOC_LASTERR, ei);
	return (-1);
}

/*
 * The user's filter with the state-only field set.  If the device rejects
 * that (the user's text already names fields= or format=, or it would be
 * too long), the user's text alone: records are decoded whatever their
 * format.
 */
static int
set_filter(int fd, const char *user, char *err, size_t errlen)
{
	char text[TCPSTATS_FILTER_MAXLEN + 1];
	struct tcpstats_errinfo ei;

	if (strlen(user) + sizeof(state_only) <= sizeof(text)) {
		snprintf(text, sizeof(text), "%s%s", user, state_only);
		if (try_filter(fd, text, &ei) == 0)
			return (0);
	}
	if (try_filter(fd, user, &ei) == 0)
		return (0);
	if (ei.tei_errno == EINVAL) {
		exp_fail(err, errlen, "filter '%s' rejected at column %" PRIu32
		    ": %s", user, ei.tei_column, ei.tei_message);
		return (EXP_COLLECT_BADFILTER);
	}
	return (exp_fail(err, errlen, "TCPSTATS_IOC_SETFILTER: %s",
	    strerror(ei.tei_errno)));
}

/* Read to the end of the snapshot, counting records by state. */
static int
count_records(int fd, struct exp_snapshot *s, char *err, size_t errlen)
{
	struct tcpstats_record rec;
	size_t off, used;
	unsigned int calls;
	ssize_t n;

	for (calls = 0; calls < EXP_READ_MAX; calls++) {
		n = read(fd, read_buf, sizeof(read_buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (exp_fail(err, errlen, "read: %s", strerror(errno)));
		if (n == 0)
			return (0);
		for (off = 0; off < (size_t)n; off += used) {
			if (tcpstats_decode(read_buf + off, (size_t)n - off,
			    &rec, &used) != TCPSTATS_OK || used == 0)
				return (exp_fail(err, errlen, "malformed record "
				    "at byte %zu of a %zd-byte read", off, n));
			s->sn_sockets++;
			if (rec.tr_state.tst_state < TCPSTATS_NSTATES)
				s->sn_by_state[rec.tr_state.tst_state]++;
			else
				s->sn_unknown_state++;
		}
	}
	return (exp_fail(err, errlen, "read did not end after %u calls",
	    EXP_READ_MAX));
}

#ifdef __FreeBSD__
static int
read_tunable(const char *device, const char *name, int64_t *v)
{
	char oid[96];
	size_t len;
	int iv;

	(void)device;
	snprintf(oid, sizeof(oid), "dev.tcpstats.%s", name);
	len = sizeof(iv);
	if (sysctlbyname(oid, &iv, &len, NULL, 0) == -1 || len != sizeof(iv))
		return (-1);
	*v = iv;
	return (0);
}
#else
/* <directory of the device>/sysctl/<name>, following symlinks first. */
static int
read_tunable(const char *device, const char *name, int64_t *v)
{
	char real[PATH_MAX], path[PATH_MAX + 96], text[32], *end;
	ssize_t n;
	int fd;

	if (realpath(device, real) == NULL)
		return (-1);
	snprintf(path, sizeof(path), "%s/sysctl/%s", dirname(real), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return (-1);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	text[n] = '\0';
	errno = 0;
	*v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || (*end != '\0' && *end != '\n'))
		return (-1);
	return (0);
}
#endif

int
exp_collect(const struct exp_config *cfg, struct exp_snapshot *s,
    char *err, size_t errlen)
{
	struct tcpstats_counters c;
	struct tcpstats_version v;
	int fd, rc, t;

	s->sn_up = false;
	fd = open(cfg->ec_device, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return (exp_fail(err, errlen, "open %s: %s", cfg->ec_device,
		    strerror(errno)));
	rc = EXP_COLLECT_FAILED;
	if (check_version(fd, err, errlen) != 0)
		goto done;
	if ((rc = set_filter(fd, cfg->ec_filter, err, errlen)) != 0)
		goto done;
	rc = EXP_COLLECT_FAILED;

	s->sn_sockets = 0;
	s->sn_unknown_state = 0;
	memset(s->sn_by_state, 0, sizeof(s->sn_by_state));
	if (count_records(fd, s, err, errlen) != 0)
		goto done;

	memset(&c, 0, sizeof(c));
	if (ioctl(fd, TCPSTATS_IOC_GLOBAL_STATS, &c) == -1) {
		exp_fail(err, errlen, "TCPSTATS_IOC_GLOBAL_STATS: %s",
		    strerror(errno));
		goto done;
	}
	s->sn_counters = c;
	memset(&v, 0, sizeof(v));
	if (ioctl(fd, TCPSTATS_IOC_VERSION, &v) == 0)
		s->sn_provider = v.tv_provider;
	for (t = 0; t < EXP_NTUNABLES; t++)
		s->sn_tun_present[t] = read_tunable(cfg->ec_device,
		    exp_tunable_name((enum exp_tunable)t), &s->sn_tun[t]) == 0;
	s->sn_up = true;
	rc = 0;
done:
	close(fd);
	return (rc);
}
