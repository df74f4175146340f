/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_read -- time full snapshots of the tcpstats device, per workload.
 *
 * A configuration is a filter, a read buffer size and a number of
 * concurrent readers.  Each reader opens the device, sets the filter,
 * takes one warm-up snapshot in which every record is decoded and checked
 * (tcpstats_decode), then -n timed snapshots (rewind, read until 0) in
 * which records are walked by their headers and their socket cookies kept.
 * After each timed snapshot, outside the clock, the count is compared with
 * the expected one and the cookies are checked for duplicates.  A
 * configuration that loses, duplicates or mangles a record fails, and
 * bench_read exits 1: a fast read that drops records is no result.
 *
 * Expected counts come from -e (one configuration) or from the summary
 * gen_conn writes (-g), from which each workload's count is derived:
 * gen_conn's layout is the oracle, not the provider.
 *
 * Linux (tcpstatsd) and FreeBSD (the module).  The provider's memory, when
 * -m asks for it, is tcpstatsd's VmRSS (-m <pid>) on Linux and, on
 * FreeBSD, what the module holds from malloc(9) under its type "tcpstats"
 * (-m module, through libmemstat).
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/ioctl.h>

#ifdef __FreeBSD__
#include <memstat.h>
#endif

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcpstats_abi.h"
#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"

#include "bench_util.h"

#define	MAX_READERS	16
#define	MAX_CONFIGS	64
#define	MAX_ITER	100000
#define	MIB		(1024u * 1024u)
#define	COOKIE_OFF	(sizeof(struct tcpstats_rec_hdr) + \
	offsetof(struct tcpstats_identity, tid_cookie))

struct config {
	char		c_name[32];	/* workload label */
	char		c_filter[TCPSTATS_FILTER_MAXLEN + 1];
	size_t		c_bufsize;	/* bytes per read(); 0 = one record */
	unsigned int	c_readers;
	unsigned int	c_iter;		/* timed snapshots per reader */
	long long	c_expected;	/* records per snapshot; -1 = unknown */
};

/* One reader's view of one configuration. */
struct reader {
	const struct config *r_cfg;
	pthread_t	r_thread;
	int		r_fd;
	size_t		r_bufsize;
	uint8_t		*r_buf;
	uint64_t	*r_cookies;
	size_t		r_ncookies_max;
	double		*r_ms;		/* per timed snapshot */
	uint64_t	r_records;	/* timed snapshots, all together */
	uint64_t	r_bytes;
	char		r_err[256];	/* first failure; "" = none */
};

static struct {
	size_t		bufsize;	/* -b */
	const char	*device;	/* -d */
	long long	expected;	/* -e */
	const char	*filter;	/* -f */
	const char	*gensum;	/* -g */
	long		daemon_pid;	/* -m <pid> (Linux) */
	bool		memory;		/* -m given */
	const char	*netns;		/* -N */
	unsigned int	iter;		/* -n */
	const char	*csv;		/* -o */
	bool		quiet;		/* -q */
	unsigned int	readers;	/* -r */
	bool		single;		/* -s */
	const char	*workloads;	/* -w */
} opt = { .bufsize = MIB, .expected = -1, .iter = 10, .readers = 1 };

/*
 * bar_warm: every reader has warmed up (and the provider's memory may be
 * read, however long that takes); bar_go: the clock has started.
 */
static pthread_barrier_t bar_warm, bar_go;
static struct bu_gensum gs;
static bool have_gs;

static const char *workload_names[] = { "nofilter", "port1",
    "established", "fields", "bufsizes", "readers", "family", "memory",
    NULL };

static void __attribute__((__noreturn__))
usage(FILE *fp, int rc)
{

	fprintf(fp,
	    "usage: bench_read [-hqs] [-b bytes] [-d device] [-e count] "
	    "[-f filter]\n"
	    "                  [-g summary] [-m pid] [-N netns] "
	    "[-n iterations] [-o csv]\n"
	    "                  [-r readers] [-w workload[,...]]\n"
	    "  -b bytes   read() buffer (default 1048576; 0 = one record)\n"
	    "  -d device  default $TCPSTATS_DEV, else /dev/tcpstats\n"
	    "  -e count   records every snapshot must return\n"
	    "  -f filter  filter text (default: none)\n"
	    "  -g file    gen_conn -o summary: expected counts per workload\n"
	    "  -h         this help\n"
	    "  -m what    report the provider's memory before and after: "
	    "tcpstatsd's pid\n"
	    "             (its VmRSS, Linux) or the word module (its malloc(9) "
	    "bytes, FreeBSD)\n"
	    "  -N netns   read from /run/netns/<netns>\n"
	    "  -n iter    timed snapshots per reader (default 10)\n"
	    "  -o csv     append one row per configuration\n"
	    "  -q         print only the per-configuration lines\n"
	    "  -r readers concurrent readers, 1-%d (default 1)\n"
	    "  -s         no warm-up: open, one timed snapshot, exit (the "
	    "cold cost\n"
	    "             compare.sh times as a whole process; implies -n 1)\n"
	    "  -w list    workloads (need -g): nofilter port1 established "
	    "fields\n"
	    "             bufsizes readers family memory, or all\n",
	    MAX_READERS);
	exit(rc);
}


#ifdef __FreeBSD__
/*
 * The module's malloc(9) bytes (type "tcpstats") in KiB (-m module), or
 * -1.  libmemstat reads every type's per-CPU statistics: not cheap, so
 * only on request.
 */
static long
provider_kib(void)
{
	struct memory_type_list *mtl;
	struct memory_type *mt;
	long kib;

	if (!opt.memory)
		return (-1);
	if ((mtl = memstat_mtl_alloc()) == NULL)
		return (-1);
	kib = -1;
	if (memstat_sysctl_malloc(mtl, 0) == 0 &&
	    (mt = memstat_mtl_find(mtl, ALLOCATOR_MALLOC, "tcpstats")) != NULL)
		kib = (long)(memstat_get_bytes(mt) / 1024);
	memstat_mtl_free(mtl);
	return (kib);
}

#define	PROVIDER_MEM	"module malloc(9)"
#else
/* tcpstatsd's VmRSS in KiB (-m pid), or -1. */
static long
provider_kib(void)
{
	char path[64], line[256];
	long kib = -1;
	FILE *fp;

	if (opt.daemon_pid <= 0)
		return (-1);
	snprintf(path, sizeof(path), "/proc/%ld/status", opt.daemon_pid);
	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(fp);
	return (kib);
}

#define	PROVIDER_MEM	"daemon VmRSS"
#endif

/*
 * Open the device with the configuration's filter.  Checks that the
 * provider's record layout is the one this program was built with.
 * Returns the fd and the record size, or -1 with r_err set.
 */
static int
dev_open(struct reader *r, const char *filter, size_t *recsize)
{
	struct tcpstats_version v;
	struct tcpstats_filter_arg fa;
	struct tcpstats_errinfo ei;
	int fd;

	if ((fd = open(opt.device, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(r->r_err, sizeof(r->r_err), "open %s: %s",
		    opt.device, strerror(errno));
		return (-1);
	}
	memset(&fa, 0, sizeof(fa));
	snprintf(fa.tfa_text, sizeof(fa.tfa_text), "%s", filter);
	if (ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa) != 0) {
		memset(&ei, 0, sizeof(ei));
		(void)ioctl(fd, TCPSTATS_IOC_LASTERR, &ei);
		snprintf(r->r_err, sizeof(r->r_err), "filter '%s' rejected "
		    "at column %u: %s", filter, ei.tei_column,
		    ei.tei_message);
		close(fd);
		return (-1);
	}
	memset(&v, 0, sizeof(v));
	v.tv_abi = TCPSTATS_ABI_VERSION;
	if (ioctl(fd, TCPSTATS_IOC_VERSION, &v) != 0) {
		snprintf(r->r_err, sizeof(r->r_err), "TCPSTATS_IOC_VERSION: "
		    "%s", strerror(errno));
		close(fd);
		return (-1);
	}
	if (v.tv_hdr_size != sizeof(struct tcpstats_rec_hdr) ||
	    v.tv_full_size != sizeof(struct tcpstats_record) ||
	    v.tv_rec_version != TCPSTATS_REC_VERSION) {
		snprintf(r->r_err, sizeof(r->r_err), "provider's records "
		    "(version %u, header %u, full %u bytes) are not ours "
		    "(version %d, %zu, %zu)", v.tv_rec_version, v.tv_hdr_size,
		    v.tv_full_size, TCPSTATS_REC_VERSION,
		    sizeof(struct tcpstats_rec_hdr),
		    sizeof(struct tcpstats_record));
		close(fd);
		return (-1);
	}
	*recsize = v.tv_rec_size;
	return (fd);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return ((x > y) - (x < y));
}

/*
 * Is every cookie of c[0..n) different?  Returns 0, or 1 with the first
 * repeated one in *dup.  Socket cookies are handed out from one counter,
 * so they usually lie close together: then a bitmap over their span (at
 * most 8 bytes per cookie) answers in one pass, and a sort only when they
 * are spread wider.  This runs outside the timed part of a snapshot but
 * inside the process, whose whole run compare.sh times.
 */
static int
cookies_repeat(uint64_t *c, size_t n, uint64_t *dup)
{
	uint64_t lo, hi, span, bit;
	uint8_t *seen;
	size_t i;

	if (n < 2)
		return (0);
	lo = hi = c[0];
	for (i = 1; i < n; i++) {
		lo = c[i] < lo ? c[i] : lo;
		hi = c[i] > hi ? c[i] : hi;
	}
	span = hi - lo;
	if (span / 64 <= (uint64_t)n &&
	    (seen = calloc((size_t)(span / 8 + 1), 1)) != NULL) {
		for (i = 0; i < n; i++) {
			bit = c[i] - lo;
			if ((seen[bit / 8] & (1u << (bit % 8))) != 0) {
				*dup = c[i];
				free(seen);
				return (1);
			}
			seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
		}
		free(seen);
		return (0);
	}
	qsort(c, n, sizeof(uint64_t), cmp_u64);
	for (i = 1; i < n; i++) {
		if (c[i] == c[i - 1]) {
			*dup = c[i];
			return (1);
		}
	}
	return (0);
}

/*
 * One snapshot: rewind, read until 0.  decode: check every record with
 * tcpstats_decode (the warm-up); otherwise walk headers only.  Returns
 * the record count, or -1 with r_err set; *bytes gets the bytes read and
 * *ms the time taken.
 */
static long long
snapshot(struct reader *r, bool decode, uint64_t *bytes, double *ms)
{
	struct tcpstats_record rec;
	const struct tcpstats_rec_hdr *h;
	const uint8_t *p;
	uint64_t t0, cookie;
	size_t off, used, nc;
	ssize_t n;
	long long count;
	bool keep;

	if (ioctl(r->r_fd, TCPSTATS_IOC_REWIND) != 0) {
		snprintf(r->r_err, sizeof(r->r_err), "TCPSTATS_IOC_REWIND: %s",
		    strerror(errno));
		return (-1);
	}
	count = 0;
	nc = 0;
	*bytes = 0;
	t0 = bu_now_ns();
	for (;;) {
		n = read(r->r_fd, r->r_buf, r->r_bufsize);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(r->r_err, sizeof(r->r_err), "read of %zu "
			    "bytes after %lld records: %s", r->r_bufsize,
			    count, strerror(errno));
			return (-1);
		}
		if (n == 0)
			break;
		*bytes += (uint64_t)n;
		for (off = 0; off < (size_t)n; off += h->trh_length) {
			p = r->r_buf + off;
			h = (const struct tcpstats_rec_hdr *)(const void *)p;
			if ((size_t)n - off < sizeof(*h) ||
			    h->trh_version != TCPSTATS_REC_VERSION ||
			    h->trh_length < sizeof(*h) ||
			    h->trh_length > (size_t)n - off) {
				snprintf(r->r_err, sizeof(r->r_err), "bad "
				    "record header at byte %zu of a %zd-byte "
				    "read (record %lld)", off, n, count);
				return (-1);
			}
			keep = (h->trh_fields & TCPSTATS_F_IDENTITY) != 0;
			if (decode) {
				if (tcpstats_decode(p, (size_t)n - off, &rec,
				    &used) != 0 || used != h->trh_length) {
					snprintf(r->r_err, sizeof(r->r_err),
					    "record %lld does not decode",
					    count);
					return (-1);
				}
				cookie = rec.tr_identity.tid_cookie;
			} else if (keep) {
				memcpy(&cookie, p + COOKIE_OFF,
				    sizeof(cookie));
			} else {
				cookie = 0;
			}
			if (keep) {
				if (nc == r->r_ncookies_max) {
					r->r_ncookies_max = r->r_ncookies_max *
					    2 + 1024;
					r->r_cookies = realloc(r->r_cookies,
					    r->r_ncookies_max *
					    sizeof(uint64_t));
					if (r->r_cookies == NULL)
						err(1, "realloc");
				}
				r->r_cookies[nc++] = cookie;
			}
			count++;
		}
	}
	*ms = (double)(bu_now_ns() - t0) / 1e6;

	/* Outside the clock: every record, each once? */
	if (r->r_cfg->c_expected >= 0 && count != r->r_cfg->c_expected) {
		snprintf(r->r_err, sizeof(r->r_err), "snapshot returned %lld "
		    "records, expected %lld", count, r->r_cfg->c_expected);
		return (-1);
	}
	if (cookies_repeat(r->r_cookies, nc, &cookie)) {
		snprintf(r->r_err, sizeof(r->r_err), "socket cookie %#jx "
		    "returned twice in one snapshot", (uintmax_t)cookie);
		return (-1);
	}
	return (count);
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	uint64_t bytes;
	double ms;
	long long n;
	unsigned int i;

	/* Warm-up and full check; a failure still meets the barrier. */
	if (r->r_fd >= 0 && !opt.single &&
	    snapshot(r, true, &bytes, &ms) < 0) {
		close(r->r_fd);
		r->r_fd = -1;
	}
	pthread_barrier_wait(&bar_warm);
	pthread_barrier_wait(&bar_go);
	for (i = 0; r->r_fd >= 0 && i < r->r_cfg->c_iter; i++) {
		n = snapshot(r, false, &bytes, &r->r_ms[i]);
		if (n < 0)
			break;
		r->r_records += (uint64_t)n;
		r->r_bytes += bytes;
	}
	return (NULL);
}

/* Run one configuration; returns 0 if every snapshot was complete. */
static int
run_config(const struct config *c, FILE *csv)
{
	struct reader rd[MAX_READERS];
	double all[MAX_READERS * 64], *ms, med, lo, hi, wall_s;
	size_t recsize, nms;
	uint64_t t0, records, bytes;
	long rss0, rss1;
	unsigned int i, k;
	int rc;

	memset(rd, 0, sizeof(rd));
	ms = c->c_iter * c->c_readers <= sizeof(all) / sizeof(all[0]) ? all :
	    calloc((size_t)c->c_iter * c->c_readers, sizeof(double));
	if (ms == NULL)
		err(1, "calloc");
	for (i = 0; i < c->c_readers; i++) {
		rd[i].r_cfg = c;
		rd[i].r_fd = dev_open(&rd[i], c->c_filter, &recsize);
		rd[i].r_bufsize = c->c_bufsize == 0 ? recsize : c->c_bufsize;
		rd[i].r_buf = malloc(rd[i].r_bufsize);
		rd[i].r_ms = calloc(c->c_iter, sizeof(double));
		if (rd[i].r_buf == NULL || rd[i].r_ms == NULL)
			err(1, "malloc");
		/* Room for the expected cookies, so no snapshot regrows it. */
		if (c->c_expected > 0) {
			rd[i].r_ncookies_max = (size_t)c->c_expected;
			rd[i].r_cookies = malloc(rd[i].r_ncookies_max *
			    sizeof(uint64_t));
			if (rd[i].r_cookies == NULL)
				err(1, "malloc");
		}
	}
	pthread_barrier_init(&bar_warm, NULL, c->c_readers + 1);
	pthread_barrier_init(&bar_go, NULL, c->c_readers + 1);
	for (i = 0; i < c->c_readers; i++)
		if ((errno = pthread_create(&rd[i].r_thread, NULL,
		    reader_main, &rd[i])) != 0)
			err(1, "pthread_create");
	pthread_barrier_wait(&bar_warm);
	/*
	 * The warm-ups are done: what the provider holds now stays.  Its
	 * memory is read before the readers go (libmemstat takes a while),
	 * and the clock starts as they do.
	 */
	rss0 = provider_kib();
	t0 = bu_now_ns();
	pthread_barrier_wait(&bar_go);
	for (i = 0; i < c->c_readers; i++)
		pthread_join(rd[i].r_thread, NULL);
	wall_s = (double)(bu_now_ns() - t0) / 1e9;
	pthread_barrier_destroy(&bar_warm);
	pthread_barrier_destroy(&bar_go);
	rss1 = provider_kib();

	rc = 0;
	records = bytes = 0;
	nms = 0;
	for (i = 0; i < c->c_readers; i++) {
		if (rd[i].r_err[0] != '\0') {
			warnx("%s: reader %u: %s", c->c_name, i, rd[i].r_err);
			rc = 1;
		}
		records += rd[i].r_records;
		bytes += rd[i].r_bytes;
		for (k = 0; k < c->c_iter; k++)
			if (rd[i].r_ms[k] > 0)
				ms[nms++] = rd[i].r_ms[k];
	}
	bu_spread(ms, nms, &med, &lo, &hi);
	printf("%-12s %-36.36s buf %8zu  r %2u  rec %7llu  median %9.3f ms  "
	    "min %9.3f  max %9.3f  %10.0f rec/s  %8.1f MB/s  %s\n", c->c_name,
	    c->c_filter[0] == '\0' ? "(none)" : c->c_filter,
	    rd[0].r_bufsize, c->c_readers, nms > 0 ?
	    (unsigned long long)(records / (nms > 0 ? nms : 1)) : 0ull, med,
	    lo, hi, wall_s > 0 ? (double)records / wall_s : 0.0,
	    wall_s > 0 ? (double)bytes / wall_s / 1e6 : 0.0,
	    rc != 0 ? "FAILED" : c->c_expected >= 0 ? "verified" :
	    "unverified");
	if (rss0 >= 0)
		printf("%-12s %s %ld KiB %s, %ld KiB after (%+ld KiB over "
		    "%u timed snapshot(s))\n", c->c_name, PROVIDER_MEM, rss0,
		    opt.single ? "before" : "after the warm-up", rss1,
		    rss1 - rss0, c->c_iter * c->c_readers);
	if (csv != NULL)
		fprintf(csv, "%u,%s,\"%s\",%zu,%u,%u,%llu,%.3f,%.3f,%.3f,%.0f,"
		    "%.0f,%ld,%ld,%s\n", have_gs ? gs.gs_conns : 0, c->c_name,
		    c->c_filter, rd[0].r_bufsize, c->c_readers, c->c_iter,
		    (unsigned long long)(records / (nms > 0 ? nms : 1)), med,
		    lo, hi, wall_s > 0 ? (double)records / wall_s : 0.0,
		    wall_s > 0 ? (double)bytes / wall_s : 0.0, rss0, rss1,
		    rc != 0 ? "failed" : c->c_expected >= 0 ? "verified" :
		    "unverified");
	fflush(stdout);
	for (i = 0; i < c->c_readers; i++) {
		if (rd[i].r_fd >= 0)
			close(rd[i].r_fd);
		free(rd[i].r_buf);
		free(rd[i].r_ms);
		free(rd[i].r_cookies);
	}
	if (ms != all)
		free(ms);
	return (rc);
}

/*
 * Provider memory per reader: with 16 readers each holding a half-read
 * snapshot (one 64 KiB read taken), against before they opened.
 */
static int
run_memory(void)
{
	struct reader rd[MAX_READERS];
	struct config c;
	size_t recsize;
	long rss0, rss1;
	unsigned int i;
	ssize_t n;
	int rc;

	if (provider_kib() < 0) {
		warnx("workload memory needs the provider's memory: -m <pid "
		    "of tcpstatsd> on Linux, -m module (loaded) on FreeBSD");
		return (1);
	}
	memset(&c, 0, sizeof(c));
	memset(rd, 0, sizeof(rd));
	rc = 0;
	rss0 = provider_kib();
	for (i = 0; i < MAX_READERS; i++) {
		rd[i].r_cfg = &c;
		rd[i].r_fd = dev_open(&rd[i], "", &recsize);
		rd[i].r_bufsize = 65536;
		if (rd[i].r_fd < 0 || (rd[i].r_buf = malloc(65536)) == NULL) {
			warnx("memory: reader %u: %s", i, rd[i].r_err);
			rc = 1;
			continue;
		}
		n = read(rd[i].r_fd, rd[i].r_buf, 65536);
		if (n <= 0) {
			warnx("memory: reader %u: first read returned %zd: %s",
			    i, n, n < 0 ? strerror(errno) : "no records");
			rc = 1;
		}
	}
	rss1 = provider_kib();
	printf("memory       %u readers mid-snapshot: %s %ld KiB -> %ld KiB, "
	    "%.1f KiB per reader\n", MAX_READERS, PROVIDER_MEM, rss0, rss1,
	    (double)(rss1 - rss0) / MAX_READERS);
	for (i = 0; i < MAX_READERS; i++) {
		if (rd[i].r_fd >= 0)
			close(rd[i].r_fd);
		free(rd[i].r_buf);
	}
	return (rc);
}

static struct config *
add_config(struct config *cfgs, unsigned int *n, const char *name,
    const char *filter, size_t bufsize, unsigned int readers,
    long long expected)
{
	struct config *c;

	if (*n >= MAX_CONFIGS)
		errx(1, "too many configurations");
	c = &cfgs[(*n)++];
	memset(c, 0, sizeof(*c));
	snprintf(c->c_name, sizeof(c->c_name), "%s", name);
	snprintf(c->c_filter, sizeof(c->c_filter), "%s", filter);
	c->c_bufsize = bufsize;
	c->c_readers = readers;
	c->c_iter = opt.iter;
	c->c_expected = expected;
	return (c);
}

/* The configurations of one workload, expected counts from gen_conn's. */
static void
workload(const char *w, struct config *cfgs, unsigned int *n)
{
	static const unsigned int nreaders[] = { 1, 2, 4, 8, 16 };
	static const size_t bufs[] = { 4096, 65536, MIB, 4 * MIB };
	long long total, estab, v4, v6, port0;
	char f[64];
	struct config *c;
	unsigned int i;

	total = 2LL * gs.gs_conns + gs.gs_listeners;
	estab = 2LL * gs.gs_conns;
	v6 = 2LL * gs.gs_conns6 + (gs.gs_conns6 > 0 ? gs.gs_ports : 0);
	v4 = total - v6;
	port0 = gs.gs_port0_conns + (gs.gs_conns6 > 0 ? 2 : 1);

	if (strcmp(w, "nofilter") == 0) {
		add_config(cfgs, n, w, "", opt.bufsize, 1, total);
	} else if (strcmp(w, "port1") == 0) {
		snprintf(f, sizeof(f), "local_port=%u", gs.gs_port_base);
		add_config(cfgs, n, w, f, opt.bufsize, 1, port0);
	} else if (strcmp(w, "established") == 0) {
		add_config(cfgs, n, w, "include_state=established",
		    opt.bufsize, 1, estab);
	} else if (strcmp(w, "fields") == 0) {
		add_config(cfgs, n, "fields_all", "fields=all", opt.bufsize, 1,
		    total);
		add_config(cfgs, n, "fields_idst",
		    "fields=identity,state format=compact", opt.bufsize, 1,
		    total);
		add_config(cfgs, n, "fields_dflt", "", opt.bufsize, 1, total);
	} else if (strcmp(w, "bufsizes") == 0) {
		/* One record per read is a FUSE round trip per socket. */
		c = add_config(cfgs, n, "buf_1rec", "", 0, 1, total);
		if (c->c_iter > 3)
			c->c_iter = 3;
		for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
			add_config(cfgs, n, "bufsize", "", bufs[i], 1, total);
	} else if (strcmp(w, "readers") == 0) {
		for (i = 0; i < sizeof(nreaders) / sizeof(nreaders[0]); i++)
			add_config(cfgs, n, "readers", "", opt.bufsize,
			    nreaders[i], total);
	} else if (strcmp(w, "family") == 0) {
		add_config(cfgs, n, "ipv4_only", "ipv4_only", opt.bufsize, 1,
		    v4);
		add_config(cfgs, n, "ipv6_only", "ipv6_only", opt.bufsize, 1,
		    v6);
	} else if (strcmp(w, "memory") == 0) {
		/* run_memory() */
	} else {
		errx(1, "-w %s: unknown workload (expected one of nofilter "
		    "port1 established fields bufsizes readers family memory "
		    "all)", w);
	}
}

int
main(int argc, char **argv)
{
	static struct config cfgs[MAX_CONFIGS];
	char wl[512], *tok, *save;
	unsigned int ncfg, i;
	bool memory;
	FILE *csv;
	int ch, rc;

	opt.device = getenv("TCPSTATS_DEV");
	if (opt.device == NULL || opt.device[0] == '\0')
		opt.device = "/dev/tcpstats";
	while ((ch = getopt(argc, argv, "b:d:e:f:g:hm:N:n:o:qr:sw:")) != -1) {
		switch (ch) {
		case 'b':
			opt.bufsize = (size_t)bu_num_arg(ch, optarg, 0,
			    64 * MIB);
			break;
		case 'd':
			opt.device = optarg;
			break;
		case 'e':
			opt.expected = (long long)bu_num_arg(ch, optarg, 0,
			    100000000);
			break;
		case 'f':
			if (strlen(optarg) > TCPSTATS_FILTER_MAXLEN)
				errx(1, "-f: filter is %zu bytes; the limit "
				    "is %d", strlen(optarg),
				    TCPSTATS_FILTER_MAXLEN);
			opt.filter = optarg;
			break;
		case 'g':
			opt.gensum = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'm':
#ifdef __FreeBSD__
			if (strcmp(optarg, "module") != 0)
				errx(1, "-m %s: on FreeBSD the provider is the "
				    "module: -m module", optarg);
#else
			opt.daemon_pid = (long)bu_num_arg(ch, optarg, 1,
			    1 << 30);
#endif
			opt.memory = true;
			break;
		case 'N':
			opt.netns = optarg;
			break;
		case 'n':
			opt.iter = (unsigned int)bu_num_arg(ch, optarg, 1,
			    MAX_ITER);
			break;
		case 'o':
			opt.csv = optarg;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'r':
			opt.readers = (unsigned int)bu_num_arg(ch, optarg, 1,
			    MAX_READERS);
			break;
		case 's':
			opt.single = true;
			break;
		case 'w':
			opt.workloads = optarg;
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		errx(1, "unexpected argument '%s' (see bench_read -h)",
		    argv[optind]);
	if (opt.single)
		opt.iter = 1;

	/* Configurations: one from -f/-b/-r/-e, or the workloads. */
	ncfg = 0;
	memory = false;
	if (opt.workloads != NULL) {
		snprintf(wl, sizeof(wl), "%s", opt.workloads);
		for (tok = strtok_r(wl, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			for (i = 0; workload_names[i] != NULL &&
			    strcmp(tok, workload_names[i]) != 0; i++)
				continue;
			if (workload_names[i] == NULL && strcmp(tok, "all") != 0)
				errx(1, "-w %s: unknown workload (expected "
				    "nofilter port1 established fields bufsizes "
				    "readers family memory, or all)", tok);
			if (strcmp(tok, "memory") == 0)
				memory = true;
		}
		if (opt.gensum == NULL)
			errx(1, "-w needs -g <gen_conn summary> for the "
			    "expected counts");
		bu_gensum_read(opt.gensum, &gs);
		have_gs = true;
		snprintf(wl, sizeof(wl), "%s", opt.workloads);
		for (tok = strtok_r(wl, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (strcmp(tok, "all") != 0) {
				workload(tok, cfgs, &ncfg);
				continue;
			}
			memory = opt.memory;
			for (i = 0; workload_names[i] != NULL; i++)
				workload(workload_names[i], cfgs, &ncfg);
		}
	} else {
		if (opt.gensum != NULL) {
			bu_gensum_read(opt.gensum, &gs);
			have_gs = true;
		}
		add_config(cfgs, &ncfg, "single", opt.filter != NULL ?
		    opt.filter : "", opt.bufsize, opt.readers, opt.expected);
	}

	if (opt.netns != NULL)
		bu_netns_enter(opt.netns);
	csv = NULL;
	if (opt.csv != NULL) {
		if ((csv = fopen(opt.csv, "a")) == NULL)
			err(1, "%s", opt.csv);
		if (ftell(csv) == 0)
			fprintf(csv, "connections,workload,filter,bufsize,"
			    "readers,iterations,records,median_ms,min_ms,"
			    "max_ms,records_per_s,bytes_per_s,rss_before_kib,"
			    "rss_after_kib,status\n");
	}
	if (!opt.quiet)
		printf("bench_read: %s, %u configuration(s), %u timed "
		    "snapshot(s) each%s\n", opt.device, ncfg, opt.iter,
		    opt.single ? "" : " after one checked warm-up");
	rc = 0;
	for (i = 0; i < ncfg; i++)
		rc |= run_config(&cfgs[i], csv);
	if (memory)
		rc |= run_memory();
	if (csv != NULL && fclose(csv) != 0)
		err(1, "%s", opt.csv);
	if (rc != 0)
		warnx("at least one configuration lost, duplicated or "
		    "mangled records (see above)");
	return (rc);
}
