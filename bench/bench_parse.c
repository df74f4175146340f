/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_parse.c -- filter parser and matcher benchmark.
 *
 * For each workload: parse its text N times (default 1,000,000), then
 * match the compiled filter N times against a fixed set of connections,
 * and print nanoseconds per call and calls per second.  Every parse must
 * succeed (a failure is a bug in the workload or the parser: exit 1); no
 * time is ever asserted.
 *
 * Under Callgrind (cmake/scripts/callgrind_report.cmake) each timed loop is
 * bracketed by client requests: statistics are zeroed before the loop and
 * dumped after it under the name "parse <workload>" or "match <workload>",
 * so the report divides each dump's cost by the loop's call count.
 * Outside Valgrind the requests cost a few instructions per loop, not per
 * call.
 */

#define	_POSIX_C_SOURCE	200809L	/* clock_gettime, getopt */

#include <err.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef TCPSTATS_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define	CALLGRIND_ZERO_STATS
#define	CALLGRIND_DUMP_STATS_AT(name)	((void)(name))
#endif

#include "tcpstats_filter.h"

#define	ITERATIONS_DEFAULT	1000000UL
#define	NCONNS			8	/* power of two: i & (NCONNS - 1) */

struct workload {
	const char	*w_name;
	const char	*w_text;
};

/*
 * The worst case: every list at its 8-item limit, every state named, a
 * field list and the format: 492 of the 511 bytes allowed.
 */
#define	WORST_CASE							\
	"local_port=1-9,20-29,80,443,1000-1999,8080,8443,60000-65535 "	\
	"remote_port=2-3,5-7,11,13,17-19,23,29,31-37 "			\
	"local_addr=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,"		\
	"100.64.0.0/10,198.18.0.0/15,203.0.113.7,192.0.2.0/24,"		\
	"127.0.0.0/8 "							\
	"remote_addr=2001:db8::/32,fe80::/10,fc00::/7,::1,"		\
	"2001:db8:1:2:3:4:5:6,64:ff9b::/96,2002::/16,ff00::/8 "		\
	"exclude=closed,listen,syn_sent,syn_received,close_wait,"	\
	"fin_wait_1,closing,last_ack,fin_wait_2,time_wait "		\
	"fields=identity,state,rtt,counters,timers,ecn,names "		\
	"format=compact"

static const struct workload workloads[] = {
	{ "empty",	"" },
	{ "one_port",	"local_port=22" },
	{ "eight_ports",
	    "local_port=22,80,443,1000-1999,3306,5432,8000-8999,9090" },
	{ "excluded_states", "exclude=listen,time_wait,close_wait" },
	{ "ipv4_cidr_port", "local_addr=10.0.0.0/8 remote_port=443" },
	{ "ipv6_compressed_port", "remote_addr=2001:db8::/32 local_port=8080" },
	{ "ipv6_full",
	    "local_addr=2001:0db8:0000:0000:0008:0800:200c:417a" },
	{ "mixed",
	    "ipv4_only local_port=80,443 remote_addr=192.168.0.0/16 "
	    "exclude=time_wait fields=identity,rtt format=compact" },
	{ "worst_case",	WORST_CASE },
	{ "upper_case",
	    "LOCAL_PORT=22 EXCLUDE=LISTEN,TIME_WAIT FIELDS=ALL FORMAT=COMPACT" },
	{ "profile",	"profile=web exclude=time_wait" },
};
#define	NWORKLOADS	(sizeof(workloads) / sizeof(workloads[0]))

_Static_assert(sizeof(WORST_CASE) - 1 <= TCPSTATS_FILTER_MAXLEN,
    "the worst case must stay a valid filter");

/* The connections every match loop cycles through. */
static struct tcpstats_conn conns[NCONNS] = {
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_ESTABLISHED,
	  .tcn_lport = 22, .tcn_rport = 51000,
	  .tcn_laddr = { 10, 1, 2, 3 }, .tcn_raddr = { 192, 168, 7, 9 } },
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_LISTEN,
	  .tcn_lport = 443, .tcn_laddr = { 10, 0, 0, 1 } },
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_TIME_WAIT,
	  .tcn_lport = 8080, .tcn_rport = 443,
	  .tcn_laddr = { 127, 0, 0, 1 }, .tcn_raddr = { 127, 0, 0, 1 } },
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_CLOSE_WAIT,
	  .tcn_lport = 5432, .tcn_rport = 40000,
	  .tcn_laddr = { 172, 16, 5, 5 }, .tcn_raddr = { 172, 16, 5, 6 } },
	{ .tcn_family = TCPSTATS_AF_INET6,
	  .tcn_state = TCPSTATS_ST_ESTABLISHED,
	  .tcn_lport = 8080, .tcn_rport = 60001,
	  .tcn_laddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 },
	  .tcn_raddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x20 } },
	{ .tcn_family = TCPSTATS_AF_INET6, .tcn_state = TCPSTATS_ST_LISTEN,
	  .tcn_lport = 22, .tcn_laddr = { [15] = 1 } },
	{ .tcn_family = TCPSTATS_AF_INET6,
	  .tcn_state = TCPSTATS_ST_SYN_SENT,
	  .tcn_lport = 33000, .tcn_rport = 443,
	  .tcn_laddr = { 0xfe, 0x80, [15] = 7 },
	  .tcn_raddr = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 9 } },
	{ .tcn_family = TCPSTATS_AF_INET6,
	  .tcn_state = TCPSTATS_ST_FIN_WAIT_2,
	  .tcn_lport = 80, .tcn_rport = 50000,
	  .tcn_laddr = { 0x20, 0x01, 0x0d, 0xb8, 0x0a, [15] = 1 },
	  .tcn_raddr = { 0xfc, 0x00, [15] = 3 } },
};

static struct tcpstats_profiles profiles;

/* Stores the results where the compiler cannot prove them unused. */
static volatile int sink;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		err(1, "clock_gettime");
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static void
usage(void)
{

	fprintf(stderr, "usage: bench_parse [-l] [-n iterations] "
	    "[-w workload]\n");
	exit(2);
}

static void
setup_profiles(void)
{
	struct tcpstats_errinfo e;
	bool created;

	tcpstats_profiles_init(&profiles);
	if (tcpstats_profile_set(&profiles, "web",
	    "local_port=80,443,8080 ipv4_only fields=identity,counters",
	    &created, &e) != 0)
		errx(1, "cannot store profile web: %s (column %u)",
		    e.tei_message, (unsigned)e.tei_column);
}

static void
print_rate(const char *what, uint64_t ns, unsigned long calls)
{
	uint64_t per_mille, rate;

	/* Nanoseconds per call with three decimals, calls per second. */
	per_mille = ns * 1000u / calls;
	rate = ns == 0 ? 0 : (uint64_t)calls * 1000000000u / ns;
	printf("  %-6s %8" PRIu64 ".%03" PRIu64 " ns/call %12" PRIu64
	    " calls/s\n", what, per_mille / 1000, per_mille % 1000, rate);
}

static void
run_workload(const struct workload *w, unsigned long n)
{
	struct tcpstats_filter f;
	struct tcpstats_errinfo e;
	uint64_t t0, t1;
	unsigned long i;
	char dump[64];
	int acc;

	/* Does the workload parse at all? */
	if (tcpstats_filter_parse(w->w_text, &profiles, &f, &e) != 0)
		errx(1, "workload %s: parse failed at column %u (%s): %s",
		    w->w_name, (unsigned)e.tei_column, e.tei_directive,
		    e.tei_message);
	printf("%s (%zu bytes)\n", w->w_name, strlen(w->w_text));

	/* How long does one parse take? */
	acc = 0;
	snprintf(dump, sizeof(dump), "parse %s", w->w_name);
	CALLGRIND_ZERO_STATS;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		acc += tcpstats_filter_parse(w->w_text, &profiles, &f, &e);
	t1 = now_ns();
	CALLGRIND_DUMP_STATS_AT(dump);
	if (acc != 0)
		errx(1, "workload %s: a timed parse failed", w->w_name);
	print_rate("parse", t1 - t0, n);

	/* And one match of the compiled filter? */
	acc = 0;
	snprintf(dump, sizeof(dump), "match %s", w->w_name);
	CALLGRIND_ZERO_STATS;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		acc += tcpstats_filter_match(&f, &conns[i & (NCONNS - 1)]);
	t1 = now_ns();
	CALLGRIND_DUMP_STATS_AT(dump);
	sink = acc;
	print_rate("match", t1 - t0, n);
}

int
main(int argc, char **argv)
{
	const char *only;
	unsigned long n;
	size_t i;
	char *end;
	bool list;
	int ch, ran;

	n = ITERATIONS_DEFAULT;
	only = NULL;
	list = false;
	while ((ch = getopt(argc, argv, "ln:w:")) != -1) {
		switch (ch) {
		case 'l':
			list = true;
			break;
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n == 0)
				errx(2, "-n: expected a positive count, got "
				    "'%s'", optarg);
			break;
		case 'w':
			only = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (list) {
		for (i = 0; i < NWORKLOADS; i++)
			printf("%s\n", workloads[i].w_name);
		return (0);
	}

	setup_profiles();
	for (i = 0; i < NCONNS; i++)
		(void)tcpstats_conn_normalize(&conns[i]);

	printf("bench_parse: %lu iterations per loop, %d connections\n", n,
	    NCONNS);
	ran = 0;
	for (i = 0; i < NWORKLOADS; i++) {
		if (only != NULL && strcmp(only, workloads[i].w_name) != 0)
			continue;
		run_workload(&workloads[i], n);
		ran++;
	}
	if (ran == 0)
		errx(2, "-w: no workload named '%s' (see -l)", only);
	return (0);
}
