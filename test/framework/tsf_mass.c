/*
 * tsf_mass.c -- thousands of loopback sockets for the limit, counter and
 * benchmark tests: TIME_WAIT sockets that cost no descriptor, held
 * connections in this process, and fleets of tcp-echo processes beyond
 * one process's descriptor limit.
 *
 * Each socket is known by its (local port, remote port) key; all of them
 * are on 127.0.0.1 at both ends, so the key is the whole 4-tuple.
 */

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

#define	MASS_PER_LISTENER	20000	/* keys per listener port */
#define	MASS_BACKLOG		4096
#define	ECHO_FD_SLACK		64	/* descriptors tcp-echo keeps */
#define	ECHO_UP_MS		120000	/* a fleet must be up by then */

#ifndef TSF_TCP_ECHO_BIN
#define	TSF_TCP_ECHO_BIN	"tcp-echo"
#endif

uint64_t
tsf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

uint64_t
tsf_now_ms(void)
{
	return (tsf_now_ns() / 1000000ull);
}

void
tsf_tunables_defaults(void)
{
	tsf_tunable_set("max_open_fds", 16);
	tsf_tunable_set("max_concurrent_readers", 32);
	tsf_tunable_set("max_read_duration_ms", 5000);
	tsf_tunable_set("min_read_interval_ms", 0);
}

void
tsf_mass_prepare(void)
{
	char why[256];

	why[0] = '\0';
	if (tsf_platform_mass_prepare(why, sizeof(why)) != 0)
		cr_skip_test("cannot prepare the stack for many connections: "
		    "%s", why);
}

static void
mass_key_add(struct tsf_mass *m, uint16_t lport, uint16_t rport)
{
	size_t ncap;

	if (m->n == m->cap) {
		ncap = m->cap == 0 ? 4096 : m->cap * 2;
		m->keys = realloc(m->keys, ncap * sizeof(*m->keys));
		cr_assert(m->keys != NULL, "out of memory for %zu keys", ncap);
		m->cap = ncap;
	}
	m->keys[m->n++] = (uint32_t)lport << 16 | rport;
}

static int
key_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

static void
mass_sort(struct tsf_mass *m)
{
	size_t i;

	qsort(m->keys, m->n, sizeof(*m->keys), key_cmp);
	for (i = 1; i < m->n; i++)
		cr_assert(m->keys[i] != m->keys[i - 1],
		    "fixture bug: socket %u->%u made twice",
		    m->keys[i] >> 16, m->keys[i] & 0xffff);
}

ssize_t
tsf_mass_find(const struct tsf_mass *m, uint16_t lport, uint16_t rport)
{
	uint32_t key = (uint32_t)lport << 16 | rport;
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->keys[mid] == key)
			return ((ssize_t)mid);
		if (m->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

static void
loop4(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* A listener on 127.0.0.1, any port; its index. */
static int
mass_listener(struct tsf_mass *m)
{
	struct sockaddr_in sin;
	socklen_t sl;
	int fd, i;

	cr_assert(m->nlisten < TSF_MASS_MAX_LISTENERS,
	    "more than %d listeners needed", TSF_MASS_MAX_LISTENERS);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	loop4(&sin, 0);
	cr_assert(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind 127.0.0.1:0: %s", strerror(errno));
	cr_assert(listen(fd, MASS_BACKLOG) == 0, "listen: %s",
	    strerror(errno));
	sl = sizeof(sin);
	cr_assert(getsockname(fd, (struct sockaddr *)&sin, &sl) == 0,
	    "getsockname: %s", strerror(errno));
	i = m->nlisten++;
	m->lfd[i] = fd;
	m->lport[i] = ntohs(sin.sin_port);
	return (i);
}

/* One connection to listener li: client and accepted descriptors. */
static void
mass_pair(struct tsf_mass *m, int li, int *cfd, int *afd, uint16_t *eport)
{
	struct sockaddr_in sin;
	socklen_t sl;

	*cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(*cfd >= 0, "socket (connection %zu): %s", m->n,
	    strerror(errno));
	loop4(&sin, m->lport[li]);
	cr_assert(connect(*cfd, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "connect to 127.0.0.1:%u (connection %zu): %s", m->lport[li],
	    m->n, strerror(errno));
	sl = sizeof(sin);
	cr_assert(getsockname(*cfd, (struct sockaddr *)&sin, &sl) == 0,
	    "getsockname: %s", strerror(errno));
	*eport = ntohs(sin.sin_port);
	*afd = accept4(m->lfd[li], NULL, NULL, SOCK_CLOEXEC);
	cr_assert(*afd >= 0, "accept on port %u: %s", m->lport[li],
	    strerror(errno));
}

void
tsf_mass_time_wait(struct tsf_mass *m, size_t n)
{
	uint16_t eport;
	size_t i;
	int li, cfd, afd;
	char c;

	m->state = TCPSTATS_ST_TIME_WAIT;
	li = -1;
	for (i = 0; i < n; i++) {
		if (i % MASS_PER_LISTENER == 0)
			li = mass_listener(m);
		mass_pair(m, li, &cfd, &afd, &eport);
		/*
		 * The client closes first and keeps TIME_WAIT; the server
		 * sees the end of stream and closes, and its side is gone
		 * once the client acknowledges the FIN.
		 */
		cr_assert(close(cfd) == 0, "close client: %s",
		    strerror(errno));
		(void)read(afd, &c, 1);
		cr_assert(close(afd) == 0, "close server: %s",
		    strerror(errno));
		mass_key_add(m, eport, m->lport[li]);
	}
	mass_sort(m);
}

void
tsf_mass_established(struct tsf_mass *m, size_t n)
{
	uint16_t eport;
	size_t i;
	int li, cfd, afd;

	m->state = TCPSTATS_ST_ESTABLISHED;
	m->fds = realloc(m->fds, (m->nfds + 2 * n) * sizeof(int));
	cr_assert(m->fds != NULL, "out of memory for %zu descriptors",
	    2 * n);
	li = -1;
	for (i = 0; i < n; i++) {
		if (i % MASS_PER_LISTENER == 0)
			li = mass_listener(m);
		mass_pair(m, li, &cfd, &afd, &eport);
		m->fds[m->nfds++] = cfd;
		m->fds[m->nfds++] = afd;
		mass_key_add(m, eport, m->lport[li]);
		mass_key_add(m, m->lport[li], eport);
	}
	mass_sort(m);
}

/* Parse one tcp-echo report; 0, or -1 with why. */
static int
echo_report_load(struct tsf_mass *m, const char *path, size_t *conns,
    char *why, size_t whylen)
{
	char line[256], fam[8], la[64], ra[64], role[32];
	unsigned int lp, rp;
	size_t ready;
	FILE *f;
	int done;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	done = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "ready %zu", &ready) == 1) {
			done = 1;
			break;
		}
		if (sscanf(line, "%7s %63s %u %63s %u %31s", fam, la, &lp, ra,
		    &rp, role) != 6) {
			snprintf(why, whylen, "%s: bad line '%s'", path, line);
			fclose(f);
			return (-1);
		}
		if (strcmp(role, "listen") == 0)
			continue;
		mass_key_add(m, (uint16_t)lp, (uint16_t)rp);
		if (strcmp(role, "client") == 0)
			(*conns)++;
	}
	fclose(f);
	if (!done) {
		snprintf(why, whylen, "%s: no 'ready' line", path);
		return (-1);
	}
	return (0);
}

int
tsf_mass_echo(struct tsf_mass *m, size_t n, char *why, size_t whylen)
{
	struct rlimit rl;
	char nbuf[32], wbuf[32], report[256], binbuf[512], *argv[12];
	char opt_l[] = "-l", opt_n[] = "-n", opt_w[] = "-w", opt_o[] = "-o";
	char any4[] = "127.0.0.1:0";
	const char *bin, *dir;
	size_t per, left, conns, k;
	uint64_t t0;
	int i, st, nprocs;

	bin = getenv("TCPSTATS_TCP_ECHO");
	if (bin == NULL || *bin == '\0')
		bin = TSF_TCP_ECHO_BIN;
	if (access(bin, X_OK) != 0 && strchr(bin, '/') != NULL) {
		snprintf(why, whylen, "tcp-echo not found at %s", bin);
		return (-1);
	}
	/* Each connection costs tcp-echo two descriptors. */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		snprintf(why, whylen, "getrlimit: %s", strerror(errno));
		return (-1);
	}
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 1048576)
		rl.rlim_max = 1048576;
	if (rl.rlim_max < 2 * ECHO_FD_SLACK) {
		snprintf(why, whylen, "descriptor hard limit %llu is too low",
		    (unsigned long long)rl.rlim_max);
		return (-1);
	}
	per = ((size_t)rl.rlim_max - ECHO_FD_SLACK) / 2;
	nprocs = (int)((n + per - 1) / per);
	m->procs = calloc((size_t)nprocs, sizeof(*m->procs));
	if (m->procs == NULL) {
		snprintf(why, whylen, "out of memory");
		return (-1);
	}
	dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	m->state = TCPSTATS_ST_ESTABLISHED;

	/* Start them all, so the machine's cores share the work. */
	left = n;
	for (i = 0; i < nprocs; i++) {
		k = left < per ? left : per;
		left -= k;
		snprintf(nbuf, sizeof(nbuf), "%zu", k);
		snprintf(wbuf, sizeof(wbuf), "%d", ECHO_UP_MS / 1000);
		snprintf(report, sizeof(report), "%s/tsf-echo-%ld-%d.report",
		    dir, (long)getpid(), i);
		(void)unlink(report);
		snprintf(binbuf, sizeof(binbuf), "%s", bin);
		argv[0] = binbuf;
		argv[1] = opt_l;
		argv[2] = any4;
		argv[3] = opt_n;
		argv[4] = nbuf;
		argv[5] = opt_w;
		argv[6] = wbuf;
		argv[7] = opt_o;
		argv[8] = report;
		argv[9] = NULL;
		tsf_spawn(&m->procs[i], argv);
		m->nprocs++;
	}

	/* Wait for every report; a process that exits has failed. */
	t0 = tsf_now_ms();
	conns = 0;
	for (i = 0; i < nprocs; i++) {
		snprintf(report, sizeof(report), "%s/tsf-echo-%ld-%d.report",
		    dir, (long)getpid(), i);
		for (;;) {
			if (access(report, R_OK) == 0)
				break;
			st = tsf_wait(&m->procs[i], 0);
			if (st != -1) {
				m->procs[i].pid = -1;
				snprintf(why, whylen, "tcp-echo %d of %d "
				    "exited (status %d) before its report; "
				    "log %s", i + 1, nprocs, st,
				    m->procs[i].log);
				return (-1);
			}
			if (tsf_now_ms() - t0 > ECHO_UP_MS) {
				snprintf(why, whylen, "tcp-echo %d of %d not "
				    "up after %d s", i + 1, nprocs,
				    ECHO_UP_MS / 1000);
				return (-1);
			}
			usleep(20000);
		}
		if (echo_report_load(m, report, &conns, why, whylen) != 0)
			return (-1);
		(void)unlink(report);
	}
	mass_sort(m);
	if (conns != n) {
		snprintf(why, whylen, "tcp-echo reported %zu connections, "
		    "%zu asked for", conns, n);
		return (-1);
	}
	return (0);
}

static bool
rec_key(const struct tcpstats_record *r, uint16_t *lp, uint16_t *rp)
{
	static const uint8_t lo[4] = { 127, 0, 0, 1 };

	if (r->tr_identity.tid_family != TCPSTATS_AF_INET ||
	    memcmp(r->tr_identity.tid_laddr, lo, 4) != 0 ||
	    memcmp(r->tr_identity.tid_raddr, lo, 4) != 0)
		return (false);
	*lp = r->tr_identity.tid_lport;
	*rp = r->tr_identity.tid_rport;
	return (true);
}

size_t
tsf_mass_count(const struct tsf_mass *m, const struct tsf_records *recs)
{
	uint16_t lp, rp;
	size_t i, ours;

	ours = 0;
	for (i = 0; i < recs->n; i++)
		if (rec_key(&recs->rec[i], &lp, &rp) &&
		    tsf_mass_find(m, lp, rp) >= 0)
			ours++;
	return (ours);
}

size_t
tsf_mass_expect_all(const struct tsf_mass *m, const struct tsf_records *recs,
    const char *what)
{
	uint8_t *seen;
	uint16_t lp, rp;
	size_t i, ours, missing, first_missing;
	ssize_t k;

	seen = calloc(m->n > 0 ? m->n : 1, 1);
	cr_assert(seen != NULL, "out of memory");
	ours = 0;
	for (i = 0; i < recs->n; i++) {
		if (!rec_key(&recs->rec[i], &lp, &rp))
			continue;
		k = tsf_mass_find(m, lp, rp);
		if (k < 0)
			continue;
		cr_assert(seen[k] == 0, "%s: socket 127.0.0.1:%u -> "
		    "127.0.0.1:%u reported twice (record %zu of %zu)", what,
		    lp, rp, i, recs->n);
		cr_assert(recs->rec[i].tr_state.tst_state == m->state,
		    "%s: socket 127.0.0.1:%u -> 127.0.0.1:%u reported in "
		    "state %u, expected %u", what, lp, rp,
		    recs->rec[i].tr_state.tst_state, m->state);
		seen[k] = 1;
		ours++;
	}
	missing = 0;
	first_missing = 0;
	for (i = 0; i < m->n; i++)
		if (!seen[i] && missing++ == 0)
			first_missing = i;
	free(seen);
	cr_assert(missing == 0, "%s: %zu of the %zu sockets made were not "
	    "reported (first: 127.0.0.1:%u -> 127.0.0.1:%u); %zu records "
	    "in all", what, missing, m->n, m->keys[first_missing] >> 16,
	    m->keys[first_missing] & 0xffff, recs->n);
	return (ours);
}

void
tsf_mass_free(struct tsf_mass *m)
{
	size_t i;
	int j;

	for (j = 0; j < m->nprocs; j++)
		if (m->procs[j].pid > 0)
			tsf_stop(&m->procs[j], 5000);
	free(m->procs);
	for (i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	free(m->fds);
	for (j = 0; j < m->nlisten; j++)
		close(m->lfd[j]);
	free(m->keys);
	memset(m, 0, sizeof(*m));
}
