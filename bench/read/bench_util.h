/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_util.h -- what the read-path benchmark tools share: joining a
 * named network namespace, a monotonic clock, order statistics, the
 * file-descriptor limit and the summary gen_conn writes for bench_read.
 */

#ifndef _BENCH_UTIL_H_
#define	_BENCH_UTIL_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Join /run/netns/<name> (as `ip netns exec' would); err()s on failure.
 * Linux only: elsewhere it errx()s saying what to use instead.
 */
void	bu_netns_enter(const char *name);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bu_now_ns(void);

/* Sort v[n] and return its median (mean of the middle two for even n). */
double	bu_median(double *v, size_t n);

/* Sort v[n]; its median, minimum and maximum (all 0 when n is 0). */
void	bu_spread(double *v, size_t n, double *med, double *lo, double *hi);

/*
 * The decimal argument s of option -ch, from lo to hi; errx()s naming the
 * option and the range otherwise (a sign, hex, blanks, overflow).
 */
uint64_t bu_num_arg(int ch, const char *s, uint64_t lo, uint64_t hi);

/*
 * Raise the soft RLIMIT_NOFILE to want (or to the hard limit when that is
 * lower; root may also raise the hard limit up to fs.nr_open).  Returns
 * the soft limit now in force.
 */
uint64_t bu_raise_nofile(uint64_t want);

/*
 * What gen_conn holds, written with -o and read by bench_read -g: enough
 * for an oracle of the record count of every workload.
 */
struct bu_gensum {
	uint32_t	gs_conns;	/* connections, both ends held */
	uint32_t	gs_conns6;	/* of which over IPv6 (::1) */
	uint32_t	gs_port_base;	/* first listener port */
	uint32_t	gs_ports;	/* listener ports per family */
	uint32_t	gs_listeners;	/* listening sockets, both families */
	uint32_t	gs_port0_conns;	/* connections to gs_port_base */
};

/* Read a summary file; errx()s naming the missing or bad key. */
void	bu_gensum_read(const char *path, struct bu_gensum *gs);

#endif /* !_BENCH_UTIL_H_ */
