/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * gen_conn -- bring up N loopback TCP connections, hold both ends until
 * signalled.
 *
 * Layout of the connections (connection i of N, the first M over IPv6):
 *
 *	listeners	127.0.0.1 (and ::1 when M > 0), ports B .. B+P-1
 *	i <  M		[::1]:20000+i            -> [::1]:B + i%P
 *	i >= M		127.1.0.(1+j/40000):20000+j%40000 -> 127.0.0.1:B + i%P,
 *			j = i - M
 *
 * Source ports are bound explicitly, so the layout is exact and can be
 * printed as ranges, and the ephemeral port range is never exhausted.
 * Connects are non-blocking, in batches; accept queues are drained
 * between batches so that no SYN is dropped (a dropped SYN costs a one
 * second retransmit).
 *
 * File descriptors: a connection costs two.  When the soft and hard
 * RLIMIT_NOFILE cannot hold 2N + listeners (a container may forbid even
 * root to raise the hard limit), the work is split over worker processes,
 * each connecting its share and accepting from the shared listeners up to
 * its own limit.  The parent reports progress, prints the summary and
 * waits for SIGTERM/SIGINT, which it passes on; workers reset their
 * client ends (SO_LINGER 0) so that no TIME_WAIT is left behind.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/ioctl.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#else
#include <sys/procctl.h>
#endif
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#ifdef __FreeBSD__
#include <netinet/in_var.h>
#endif
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define	SPORT_BASE	20000	/* first client source port */
#define	SPORTS_PER_ADDR	40000	/* source ports per client address */
#define	MAX_WORKERS	64
#define	FD_SLACK	32	/* descriptors kept free per process */
#define	BACKLOG		4096	/* listen(); the kernel caps at somaxconn */
#define	CONNECT_TMO_MS	10000	/* a batch must connect within this */
#define	ACCEPT_TMO_MS	60000	/* every connection accepted within this */
#define	MAX_INFLIGHT	8192	/* connected but not yet accepted */

struct shared {
	atomic_uint_fast64_t	sh_connected;
	atomic_uint_fast64_t	sh_accepted;
	atomic_int		sh_ready;	/* workers done setting up */
	atomic_int		sh_failed;	/* a worker gave up */
	char			sh_why[256];	/* the first failure */
};

static struct {
	uint32_t	conns6;		/* -6 */
	uint32_t	batch;		/* -b */
	uint32_t	conns;		/* -n */
	const char	*netns;		/* -N */
	const char	*sumfile;	/* -o */
	uint32_t	port_base;	/* -P */
	uint32_t	ports;		/* -p */
	bool		quiet;		/* -q */
	bool		verbose;	/* -v */
	uint32_t	workers;	/* -w; 0 = as many as the fd limit needs */
} opt = { .batch = 256, .conns = 1000, .port_base = 10000, .ports = 50 };

static struct shared *sh;
static int *lfds;		/* listeners, inherited by the workers */
static uint32_t nlfds;
static volatile sig_atomic_t stop_sig;

static void __attribute__((__noreturn__))
usage(FILE *fp, int rc)
{

	fprintf(fp,
	    "usage: gen_conn [-hqv] [-6 count] [-b batch] [-N netns] "
	    "[-n count] [-o file]\n"
	    "                [-P port] [-p ports] [-w workers]\n"
	    "  -6 count   of the connections, this many over IPv6 ::1 "
	    "(at most %d)\n"
	    "  -b batch   non-blocking connects per batch (default 256)\n"
	    "  -h         this help\n"
	    "  -N netns   run in /run/netns/<netns> (brings its lo up)\n"
	    "  -n count   connections to hold, both ends (default 1000)\n"
	    "  -o file    write the summary (key=value) for bench_read -g\n"
	    "  -P port    first listener port (default 10000)\n"
	    "  -p ports   listener ports per family (default 50: one port "
	    "is 1%% of sockets)\n"
	    "  -q         no progress on stderr\n"
	    "  -v         print every socket held\n"
	    "  -w workers worker processes (default: as the fd limit "
	    "needs)\n", SPORTS_PER_ADDR);
	exit(rc);
}


#ifdef __linux__
#define	LO_NAME	"lo"
#else
#define	LO_NAME	"lo0"
#endif

/* Make sure lo is up: ENETUNREACH on every connect otherwise. */
static void
lo_up(void)
{
	struct ifreq ifr;
	int s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		err(1, "socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", LO_NAME);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		err(1, "SIOCGIFFLAGS %s", LO_NAME);
	if ((ifr.ifr_flags & IFF_UP) == 0) {
		if (opt.netns == NULL)
			errx(1, "%s is down in this network stack", LO_NAME);
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
			err(1, "bringing lo up in netns %s", opt.netns);
		if (!opt.quiet)
			fprintf(stderr, "gen_conn: brought lo up in netns "
			    "%s\n", opt.netns);
	}
	close(s);
}

#ifdef __FreeBSD__
/* Add 127.1.0.1 .. 127.1.0.n to lo0 as /32 aliases; EEXIST is fine. */
static void
lo_aliases(uint32_t n)
{
	struct in_aliasreq ifra;
	struct sockaddr_in *sin;
	uint32_t k;
	int s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		err(1, "socket");
	for (k = 1; k <= n; k++) {
		memset(&ifra, 0, sizeof(ifra));
		snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s",
		    LO_NAME);
		sin = &ifra.ifra_addr;
		sin->sin_len = sizeof(*sin);
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(0x7f010000u + k);
		sin = &ifra.ifra_mask;
		sin->sin_len = sizeof(*sin);
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(0xffffffffu);
		if (ioctl(s, SIOCAIFADDR, &ifra) != 0 && errno != EEXIST)
			err(1, "adding 127.1.0.%u/32 to %s (as root: "
			    "ifconfig %s alias 127.1.0.%u/32)", k, LO_NAME,
			    LO_NAME, k);
	}
	close(s);
}
#endif

/* A worker dies with its parent, so that no sockets outlive a crash. */
static void
die_with_parent(void)
{
#ifdef __linux__
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
#else
	int sig = SIGTERM;

	(void)procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig);
#endif
}

/* The two ends of connection i. */
static void
conn_addrs(uint32_t i, struct sockaddr_storage *src,
    struct sockaddr_storage *dst, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)src;
	struct sockaddr_in *d4 = (struct sockaddr_in *)dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)src;
	struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)dst;
	uint16_t dport;
	uint32_t j;

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	dport = (uint16_t)(opt.port_base + i % opt.ports);
	if (i < opt.conns6) {
		s6->sin6_family = d6->sin6_family = AF_INET6;
		s6->sin6_addr = d6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons((uint16_t)(SPORT_BASE + i));
		d6->sin6_port = htons(dport);
		*len = sizeof(*s6);
		return;
	}
	j = i - opt.conns6;
	s4->sin_family = d4->sin_family = AF_INET;
	/* 127.1.0.1, 127.1.0.2, ...: 40,000 source ports each. */
	s4->sin_addr.s_addr = htonl(0x7f010000u + 1 + j / SPORTS_PER_ADDR);
	s4->sin_port = htons((uint16_t)(SPORT_BASE + j % SPORTS_PER_ADDR));
	d4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d4->sin_port = htons(dport);
	*len = sizeof(*s4);
}

static void
addr_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	}
}

/* Record the first failure for the parent and leave. */
static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
worker_fail(const char *fmt, ...)
{
	va_list ap;
	int expected = 0;

	if (atomic_compare_exchange_strong(&sh->sh_failed, &expected, 1)) {
		va_start(ap, fmt);
		vsnprintf(sh->sh_why, sizeof(sh->sh_why), fmt, ap);
		va_end(ap);
	}
	_exit(1);
}

static void
listeners_open(void)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	uint32_t p, fam, nfam;
	int s, on = 1;

	nfam = opt.conns6 > 0 ? 2 : 1;
	nlfds = opt.ports * nfam;
	if ((lfds = calloc(nlfds, sizeof(*lfds))) == NULL)
		err(1, "calloc");
	for (fam = 0; fam < nfam; fam++) {
		for (p = 0; p < opt.ports; p++) {
			s = socket(fam == 0 ? AF_INET : AF_INET6,
			    SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (s < 0)
				err(1, "socket (listener)");
			(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
			    sizeof(on));
			if (fam == 0) {
				memset(&s4, 0, sizeof(s4));
				s4.sin_family = AF_INET;
				s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
				s4.sin_port = htons((uint16_t)(opt.port_base +
				    p));
				if (bind(s, (struct sockaddr *)&s4,
				    sizeof(s4)) != 0)
					err(1, "bind 127.0.0.1:%u",
					    opt.port_base + p);
			} else {
				(void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
				    &on, sizeof(on));
				memset(&s6, 0, sizeof(s6));
				s6.sin6_family = AF_INET6;
				s6.sin6_addr = in6addr_loopback;
				s6.sin6_port = htons((uint16_t)(opt.port_base +
				    p));
				if (bind(s, (struct sockaddr *)&s6,
				    sizeof(s6)) != 0)
					err(1, "bind [::1]:%u (is IPv6 "
					    "enabled on lo?)",
					    opt.port_base + p);
			}
			if (listen(s, BACKLOG) != 0)
				err(1, "listen");
			lfds[fam * opt.ports + p] = s;
		}
	}
}

/* Accept what is queued, up to *held reaching cap.  Returns the count. */
static uint32_t
accept_some(int *afds, uint32_t *held, uint32_t cap)
{
	uint32_t k, n;
	int s;

	n = 0;
	for (k = 0; k < nlfds && *held < cap; k++) {
		while (*held < cap) {
			s = accept4(lfds[k], NULL, NULL, SOCK_CLOEXEC);
			if (s < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK ||
				    errno == ECONNABORTED)
					break;
				worker_fail("accept: %s", strerror(errno));
			}
			afds[(*held)++] = s;
			n++;
		}
	}
	if (n > 0)
		atomic_fetch_add(&sh->sh_accepted, n);
	return (n);
}

static void
on_stop(int sig)
{

	stop_sig = sig;
}

/* Connect connections first .. first+count-1, accept up to cap. */
static void __attribute__((__noreturn__))
worker(uint32_t first, uint32_t count, uint32_t cap)
{
	struct sockaddr_storage src, dst;
	struct pollfd *pfd;
	struct linger lg = { 1, 0 };
	sigset_t block, old;
	socklen_t alen, elen;
	uint64_t deadline;
	uint32_t i, k, b, done, nb, held;
	int *cfds, *afds, s, e, on = 1;
	char t1[64], t2[64];

	die_with_parent();
	cfds = calloc(count, sizeof(*cfds));
	afds = calloc(cap, sizeof(*afds));
	pfd = calloc(opt.batch, sizeof(*pfd));
	if (cfds == NULL || afds == NULL || pfd == NULL)
		worker_fail("out of memory");
	held = 0;

	for (b = 0; b < count; b += nb) {
		nb = count - b < opt.batch ? count - b : opt.batch;
		/* Keep the accept queues short: wait for the acceptors. */
		deadline = bu_now_ns() + ACCEPT_TMO_MS * 1000000ull;
		while (atomic_load(&sh->sh_connected) -
		    atomic_load(&sh->sh_accepted) > MAX_INFLIGHT) {
			if (accept_some(afds, &held, cap) == 0)
				usleep(1000);
			if (bu_now_ns() > deadline)
				worker_fail("connections are not being "
				    "accepted (%ju waiting)", (uintmax_t)
				    (atomic_load(&sh->sh_connected) -
				    atomic_load(&sh->sh_accepted)));
		}
		for (k = 0; k < nb; k++) {
			i = first + b + k;
			conn_addrs(i, &src, &dst, &alen);
			s = socket(src.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0);
			if (s < 0)
				worker_fail("socket: %s (connection %u)",
				    strerror(errno), i);
			(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
			    sizeof(on));
			if (bind(s, (struct sockaddr *)&src, alen) != 0) {
				addr_text(&src, t1, sizeof(t1));
				worker_fail("bind %s: %s (another program "
				    "holds it; run in a namespace of your own "
				    "with -N)", t1, strerror(errno));
			}
			if (connect(s, (struct sockaddr *)&dst, alen) != 0 &&
			    errno != EINPROGRESS) {
				addr_text(&src, t1, sizeof(t1));
				addr_text(&dst, t2, sizeof(t2));
				worker_fail("connect %s -> %s: %s", t1, t2,
				    strerror(errno));
			}
			cfds[b + k] = s;
			pfd[k].fd = s;
			pfd[k].events = POLLOUT;
			pfd[k].revents = 0;
		}
		(void)accept_some(afds, &held, cap);

		/* Has every connect of the batch completed? */
		deadline = bu_now_ns() + CONNECT_TMO_MS * 1000000ull;
		for (done = 0; done < nb;) {
			if (poll(pfd, nb, 10) < 0 && errno != EINTR)
				worker_fail("poll: %s", strerror(errno));
			for (k = 0; k < nb; k++) {
				if (pfd[k].fd < 0 || pfd[k].revents == 0)
					continue;
				e = 0;
				elen = sizeof(e);
				(void)getsockopt(pfd[k].fd, SOL_SOCKET,
				    SO_ERROR, &e, &elen);
				if (e != 0) {
					conn_addrs(first + b + k, &src, &dst,
					    &alen);
					addr_text(&src, t1, sizeof(t1));
					addr_text(&dst, t2, sizeof(t2));
					worker_fail("connect %s -> %s: %s", t1,
					    t2, strerror(e));
				}
				pfd[k].fd = -1;
				done++;
			}
			(void)accept_some(afds, &held, cap);
			if (done < nb && bu_now_ns() > deadline)
				worker_fail("%u of %u connects still pending "
				    "after %d ms", nb - done, nb,
				    CONNECT_TMO_MS);
		}
		atomic_fetch_add(&sh->sh_connected, nb);
		if (stop_sig != 0)
			_exit(0);
	}

	/* Accept until every worker's connections are accepted. */
	deadline = bu_now_ns() + ACCEPT_TMO_MS * 1000000ull;
	while (atomic_load(&sh->sh_accepted) < opt.conns &&
	    atomic_load(&sh->sh_failed) == 0 && stop_sig == 0) {
		if (held >= cap || accept_some(afds, &held, cap) == 0)
			usleep(500);
		if (bu_now_ns() > deadline)
			worker_fail("only %ju of %u connections accepted "
			    "after %d ms", (uintmax_t)
			    atomic_load(&sh->sh_accepted), opt.conns,
			    ACCEPT_TMO_MS);
	}
	if (opt.verbose) {
		for (k = 0; k < count; k++) {
			conn_addrs(first + k, &src, &dst, &alen);
			addr_text(&src, t1, sizeof(t1));
			addr_text(&dst, t2, sizeof(t2));
			printf("%s %s\n", t1, t2);
		}
		fflush(stdout);
	}
	atomic_fetch_add(&sh->sh_ready, 1);

	/* Hold until told to stop. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (stop_sig == 0)
		sigsuspend(&old);
	for (k = 0; k < count; k++)
		(void)setsockopt(cfds[k], SOL_SOCKET, SO_LINGER, &lg,
		    sizeof(lg));
	_exit(0);
}

static void
summary(FILE *fp, uint32_t workers, uint64_t ms)
{
	uint32_t n4, naddr, last;

	n4 = opt.conns - opt.conns6;
	fprintf(fp, "# gen_conn: %u connections held (%u sockets) by pid %ld "
	    "and %u worker(s), up in %ju ms\n", opt.conns,
	    2 * opt.conns + nlfds, (long)getpid(), workers, (uintmax_t)ms);
	fprintf(fp, "connections=%u\nconnections6=%u\nport_base=%u\n"
	    "ports=%u\nlisteners=%u\nport0_connections=%u\nsockets=%u\n"
	    "elapsed_ms=%ju\n", opt.conns, opt.conns6, opt.port_base,
	    opt.ports, nlfds, (opt.conns + opt.ports - 1) / opt.ports,
	    2 * opt.conns + nlfds, (uintmax_t)ms);
	fprintf(fp, "listen4=127.0.0.1 ports %u-%u\n", opt.port_base,
	    opt.port_base + opt.ports - 1);
	if (opt.conns6 > 0)
		fprintf(fp, "listen6=[::1] ports %u-%u\n"
		    "clients6=[::1] ports %u-%u\n", opt.port_base,
		    opt.port_base + opt.ports - 1, SPORT_BASE,
		    SPORT_BASE + opt.conns6 - 1);
	if (n4 > 0) {
		naddr = (n4 + SPORTS_PER_ADDR - 1) / SPORTS_PER_ADDR;
		last = (n4 - 1) % SPORTS_PER_ADDR;
		fprintf(fp, "clients4=127.1.0.1-127.1.%u.%u ports %u-%u "
		    "(the last address up to port %u)\n",
		    naddr / 256, naddr % 256, SPORT_BASE,
		    SPORT_BASE + (n4 > SPORTS_PER_ADDR ? SPORTS_PER_ADDR :
		    n4) - 1, SPORT_BASE + last);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t pids[MAX_WORKERS], pid;
	uint64_t limit, need, want, start, ms, last;
	uint32_t w, nw, share, first, cap, per;
	sigset_t block, old;
	FILE *fp;
	int ch, status, rc, exited;

	while ((ch = getopt(argc, argv, "6:b:hN:n:o:P:p:qvw:")) != -1) {
		switch (ch) {
		case '6':
			opt.conns6 = (uint32_t)bu_num_arg(ch, optarg, 0,
			    SPORTS_PER_ADDR);
			break;
		case 'b':
			opt.batch = (uint32_t)bu_num_arg(ch, optarg, 1, 4096);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'N':
			opt.netns = optarg;
			break;
		case 'n':
			opt.conns = (uint32_t)bu_num_arg(ch, optarg, 1,
			    1000000);
			break;
		case 'o':
			opt.sumfile = optarg;
			break;
		case 'P':
			opt.port_base = (uint32_t)bu_num_arg(ch, optarg, 1,
			    65535);
			break;
		case 'p':
			opt.ports = (uint32_t)bu_num_arg(ch, optarg, 1, 1000);
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'w':
			opt.workers = (uint32_t)bu_num_arg(ch, optarg, 1,
			    MAX_WORKERS);
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		errx(1, "unexpected argument '%s' (see gen_conn -h)",
		    argv[optind]);
	if (opt.conns6 > opt.conns)
		errx(1, "-6 %u: more IPv6 connections than -n %u", opt.conns6,
		    opt.conns);
	if (opt.port_base + opt.ports > SPORT_BASE)
		errx(1, "-P %u -p %u: listener ports must stay below %d, "
		    "where client source ports begin", opt.port_base,
		    opt.ports, SPORT_BASE);
	if (opt.conns > SPORTS_PER_ADDR * 254u)
		errx(1, "-n %u: at most %u connections", opt.conns,
		    SPORTS_PER_ADDR * 254u);

	if (opt.netns != NULL)
		bu_netns_enter(opt.netns);
	lo_up();
#ifdef __FreeBSD__
	if (opt.conns > opt.conns6)
		lo_aliases((opt.conns - opt.conns6 + SPORTS_PER_ADDR - 1) /
		    SPORTS_PER_ADDR);
#endif

	/* How many processes does the descriptor limit call for? */
	need = 2ull * opt.conns + (opt.conns6 > 0 ? 2 : 1) * opt.ports +
	    FD_SLACK;
	/* A tenth spare, and never less than the listeners' floor below. */
	want = need + need / 9;
	if (want < 2ull * opt.ports + 2 * FD_SLACK + 2 + 2ull * opt.conns)
		want = 2ull * opt.ports + 2 * FD_SLACK + 2 + 2ull * opt.conns;
	limit = bu_raise_nofile(want);
	if (limit < 2ull * opt.ports + 2 * FD_SLACK + 2)
		errx(1, "RLIMIT_NOFILE is %ju: too low even for the "
		    "listeners; raise it (ulimit -n)", (uintmax_t)limit);
	per = (uint32_t)(limit - 2 * opt.ports - FD_SLACK);
	nw = opt.workers;
	if (nw == 0) {
		/* A tenth spare so that accepts can land anywhere. */
		nw = (uint32_t)((2ull * opt.conns * 10 / 9 + per - 1) / per);
		if (nw == 0)
			nw = 1;
	}
	share = (opt.conns + nw - 1) / nw;
	if (nw > MAX_WORKERS || 2ull * opt.conns > (uint64_t)per * nw ||
	    share >= per)
		errx(1, "%u connections need %ju descriptors; RLIMIT_NOFILE "
		    "is %ju per process, so at least %ju workers (of at most "
		    "%d): raise -w, or the hard limit (ulimit -Hn; "
		    "fs.nr_open or kern.maxfilesperproc is the ceiling)",
		    opt.conns, (uintmax_t)need,
		    (uintmax_t)limit, (uintmax_t)((2ull * opt.conns * 10 / 9 +
		    per - 1) / per), MAX_WORKERS);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		err(1, "mmap");
	memset(sh, 0, sizeof(*sh));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	start = bu_now_ns();
	listeners_open();
	if (!opt.quiet)
		fprintf(stderr, "gen_conn: %u connections, %u listener "
		    "port(s), %u worker(s), fd limit %ju each\n", opt.conns,
		    opt.ports, nw, (uintmax_t)limit);
	fflush(NULL);
	for (w = 0, first = 0; w < nw; w++, first += share) {
		uint32_t count = first >= opt.conns ? 0 :
		    (opt.conns - first < share ? opt.conns - first : share);

		cap = per - count;
		pid = fork();
		if (pid < 0)
			err(1, "fork");
		if (pid == 0)
			worker(first, count, cap);
		pids[w] = pid;
	}
	/* The workers hold the listeners now. */
	for (w = 0; w < nlfds; w++)
		close(lfds[w]);

	/* Progress, until every worker is ready or one fails. */
	rc = 0;
	last = start;
	while (atomic_load(&sh->sh_ready) < (int)nw) {
		if (atomic_load(&sh->sh_failed) != 0 || stop_sig != 0) {
			rc = 1;
			break;
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (atomic_load(&sh->sh_failed) == 0)
				snprintf(sh->sh_why, sizeof(sh->sh_why),
				    "worker %ld exited early (status %d)",
				    (long)pid, status);
			atomic_store(&sh->sh_failed, 1);
			rc = 1;
			break;
		}
		if (!opt.quiet && bu_now_ns() - last > 1000000000ull) {
			last = bu_now_ns();
			fprintf(stderr, "gen_conn: %ju/%u connected, %ju "
			    "accepted, %.1f s\n", (uintmax_t)
			    atomic_load(&sh->sh_connected), opt.conns,
			    (uintmax_t)atomic_load(&sh->sh_accepted),
			    (double)(last - start) / 1e9);
		}
		usleep(5000);
	}
	ms = (bu_now_ns() - start) / 1000000;
	if (rc == 0) {
		summary(stdout, nw, ms);
		if (opt.sumfile != NULL) {
			if ((fp = fopen(opt.sumfile, "w")) == NULL) {
				warn("%s", opt.sumfile);
				rc = 1;
			} else {
				summary(fp, nw, ms);
				if (fclose(fp) != 0) {
					warn("%s", opt.sumfile);
					rc = 1;
				}
			}
		}
		if (!opt.quiet)
			fprintf(stderr, "gen_conn: holding %u connections; "
			    "SIGTERM or SIGINT closes them\n", opt.conns);
		fflush(NULL);

		sigemptyset(&block);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGINT);
		sigprocmask(SIG_BLOCK, &block, &old);
		while (stop_sig == 0)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	} else if (stop_sig == 0) {
		warnx("%s", sh->sh_why);
	}

	/* Pass the stop on and wait for every worker. */
	for (w = 0; w < nw; w++)
		kill(pids[w], SIGTERM);
	for (exited = 0; exited < (int)nw;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		exited++;
	}
	return (rc);
}
