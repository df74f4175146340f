/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_util.c -- helpers shared by gen_conn, bench_read, bench_visit and
 * diag_dump.  Linux and FreeBSD: only joining a network namespace is
 * Linux's (FreeBSD runs a tool in a VNET jail with jexec(8) instead).
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/resource.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#ifdef __linux__
void
bu_netns_enter(const char *name)
{
	char path[256];
	int fd;

	if (name[0] == '\0' || strchr(name, '/') != NULL)
		errx(1, "-N %s: a namespace name has no '/' (see ip netns "
		    "list)", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err(1, "-N %s: %s (create it with: ip netns add %s)", name,
		    path, name);
	if (setns(fd, CLONE_NEWNET) != 0)
		err(1, "-N %s: setns", name);
	close(fd);
}
#else
void
bu_netns_enter(const char *name)
{

	errx(1, "-N %s: network namespaces are Linux's; run the tool in a "
	    "VNET jail with jexec(8) instead", name);
}
#endif

uint64_t
bu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

double
bu_median(double *v, size_t n)
{

	if (n == 0)
		return (0);
	qsort(v, n, sizeof(*v), cmp_double);
	if (n % 2 == 1)
		return (v[n / 2]);
	return ((v[n / 2 - 1] + v[n / 2]) / 2);
}

void
bu_spread(double *v, size_t n, double *med, double *lo, double *hi)
{

	*med = bu_median(v, n);
	*lo = n > 0 ? v[0] : 0;
	*hi = n > 0 ? v[n - 1] : 0;
}

uint64_t
bu_num_arg(int ch, const char *s, uint64_t lo, uint64_t hi)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v < lo || v > hi)
		errx(1, "-%c %s: expected a number from %ju to %ju", ch, s,
		    (uintmax_t)lo, (uintmax_t)hi);
	return ((uint64_t)v);
}

uint64_t
bu_raise_nofile(uint64_t want)
{
	struct rlimit rl, up;
	uint64_t max;

	/* rlim_t is unsigned on Linux, signed on FreeBSD (RLIM_INFINITY). */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		err(1, "getrlimit(RLIMIT_NOFILE)");
	max = rl.rlim_max == RLIM_INFINITY ? UINT64_MAX :
	    (uint64_t)rl.rlim_max;
	if (max < want) {
		/*
		 * Root may go up to fs.nr_open (Linux) or kern.maxfilesperproc
		 * (FreeBSD); a container may forbid it.
		 */
		up.rlim_cur = up.rlim_max = (rlim_t)want;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return (want);
	}
	rl.rlim_cur = (rlim_t)(max < want ? max : want);
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		err(1, "setrlimit(RLIMIT_NOFILE, %ju)", (uintmax_t)rl.rlim_cur);
	return ((uint64_t)rl.rlim_cur);
}

void
bu_gensum_read(const char *path, struct bu_gensum *gs)
{
	static const char *keys[] = { "connections", "connections6",
	    "port_base", "ports", "listeners", "port0_connections" };
	uint32_t *slot[] = { &gs->gs_conns, &gs->gs_conns6,
	    &gs->gs_port_base, &gs->gs_ports, &gs->gs_listeners,
	    &gs->gs_port0_conns };
	unsigned int seen, i;
	char line[256], key[64];
	unsigned long v;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	memset(gs, 0, sizeof(*gs));
	seen = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63[a-z0-9_]=%lu", key, &v) != 2)
			continue;	/* informative lines (ranges) */
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(key, keys[i]) == 0 && v <= UINT32_MAX) {
				*slot[i] = (uint32_t)v;
				seen |= 1u << i;
			}
		}
	}
	fclose(fp);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((seen & (1u << i)) == 0)
			errx(1, "%s: no '%s=' line (write it with gen_conn "
			    "-o)", path, keys[i]);
}
