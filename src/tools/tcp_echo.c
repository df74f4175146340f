/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcp-echo -- a loopback TCP peer for tests and benchmarks.  It listens on
 * a list of addresses, opens N client connections spread over a list of
 * targets (or over its own listeners), optionally moves payload at a
 * bounded rate, and writes a report of the exact sockets it holds so that
 * a test can build its expected set of records.  See tcp-echo.1.
 *
 * One process, one thread, one poll(2) loop.  Clients connect without
 * blocking, a bounded number at a time, while the same loop accepts, so
 * that ten thousand connections come up in about a second.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "echo_addr.h"

#define	CONNECT_BATCH	512		/* connects in flight at once */
#define	LISTEN_BACKLOG	4096		/* capped by the system's limit */
#define	TICK_MS		100		/* payload pacing interval */
#define	IO_CHUNK	16384		/* bytes per read or write */
#define	MAX_CONNS	1000000		/* -n upper bound */
#define	MAX_RATE	(10 * 1024 * 1024) /* -r upper bound, bytes/s */
#define	FD_SLACK	8		/* stdio, report, spare */

enum role {
	ROLE_LISTEN,
	ROLE_CLIENT,
	ROLE_ACCEPTED,
};

enum conn_state {
	CS_CONNECTING,		/* client: connect(2) in progress */
	CS_UP,			/* open, reading and writing */
	CS_EOF,			/* peer closed; we keep our end */
	CS_CLOSED,		/* we closed it */
};

enum close_mode {
	CLOSE_NONE,
	CLOSE_WAIT_MODE,	/* -C close_wait: servers close first */
	CLOSE_TIME_WAIT,	/* -C time_wait: clients close first */
};

struct conn {
	int			c_fd;		/* -1 once closed */
	uint8_t			c_role;		/* enum role */
	uint8_t			c_state;	/* enum conn_state */
	bool			c_self;		/* client of our own listener */
	bool			c_active;	/* we closed before the peer */
	struct sockaddr_storage	c_local;
	struct sockaddr_storage	c_peer;
	char			*c_pend;	/* echo bytes not yet written */
	size_t			c_pendlen;
	uint64_t		c_credit;	/* bytes the pacing allows */
};

struct echo_opts {
	uint32_t		eo_src_first;	/* -b, host order; 0 = none */
	uint32_t		eo_src_last;
	enum close_mode		eo_close;	/* -C */
	struct ea_endpoint	eo_target[EA_MAX_ENDPOINTS]; /* -c */
	int			eo_ntarget;
	struct ea_endpoint	eo_listen[EA_MAX_ENDPOINTS]; /* -l */
	int			eo_nlisten;
	long			eo_nconn;	/* -n */
	const char		*eo_report;	/* -o, NULL = stdout */
	long			eo_rate;	/* -r, bytes/s per client */
	long			eo_lifetime;	/* -t, s; 0 = until signal */
	bool			eo_verbose;	/* -v */
	long			eo_setup_s;	/* -w, s */
};

static struct conn	*conns;
static size_t		 nconns, capconns;
static volatile sig_atomic_t stop_requested;
static char		 payload[IO_CHUNK];	/* what clients send */
static char		 iobuf[IO_CHUNK];

static void
usage(void)
{

	fprintf(stderr, "%s\n%s\n%s\n%s\n",
	    "usage: tcp-echo [-v] [-b first[-last]]",
	    "                [-C close_wait | time_wait]",
	    "                [-c addr:port[,...]] [-l addr:port[,...]]",
	    "                [-n count] [-o file] [-r rate] [-t seconds] "
	    "[-w seconds]");
	exit(1);
}

static void
on_signal(int sig)
{

	(void)sig;
	stop_requested = 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static long
parse_number(const char *s, long lo, long hi, int opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		errx(1, "-%c: expected a number %ld..%ld, got '%s'", opt, lo,
		    hi, s);
	return (v);
}

static void
parse_options(int argc, char *argv[], struct echo_opts *o)
{
	char why[256];
	int ch;

	memset(o, 0, sizeof(*o));
	o->eo_nconn = -1;
	o->eo_setup_s = 60;
	while ((ch = getopt(argc, argv, "b:C:c:l:n:o:r:t:vw:")) != -1) {
		switch (ch) {
		case 'b':
			if (ea_parse_range(optarg, &o->eo_src_first,
			    &o->eo_src_last, why, sizeof(why)) != 0)
				errx(1, "-b: %s", why);
			break;
		case 'C':
			if (strcmp(optarg, "close_wait") == 0)
				o->eo_close = CLOSE_WAIT_MODE;
			else if (strcmp(optarg, "time_wait") == 0)
				o->eo_close = CLOSE_TIME_WAIT;
			else
				errx(1, "-C: expected close_wait or time_wait, "
				    "got '%s'", optarg);
			break;
		case 'c':
			o->eo_ntarget = ea_parse_list(optarg, 0, o->eo_target,
			    EA_MAX_ENDPOINTS, why, sizeof(why));
			if (o->eo_ntarget < 0)
				errx(1, "-c: %s", why);
			break;
		case 'l':
			o->eo_nlisten = ea_parse_list(optarg, EA_PORT_ZERO_OK,
			    o->eo_listen, EA_MAX_ENDPOINTS, why, sizeof(why));
			if (o->eo_nlisten < 0)
				errx(1, "-l: %s", why);
			break;
		case 'n':
			o->eo_nconn = parse_number(optarg, 0, MAX_CONNS, ch);
			break;
		case 'o':
			o->eo_report = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'r':
			o->eo_rate = parse_number(optarg, 0, MAX_RATE, ch);
			break;
		case 't':
			o->eo_lifetime = parse_number(optarg, 0, 86400, ch);
			break;
		case 'v':
			o->eo_verbose = true;
			break;
		case 'w':
			o->eo_setup_s = parse_number(optarg, 1, 3600, ch);
			break;
		default:
			usage();
		}
	}
	if (optind < argc) {
		warnx("unexpected argument '%s'", argv[optind]);
		usage();
	}
	if (o->eo_nlisten == 0 && o->eo_ntarget == 0) {
		warnx("nothing to do: give -l, -c or both");
		usage();
	}
	if (o->eo_ntarget > 0 && o->eo_nconn < 0)
		o->eo_nconn = 1;
	if (o->eo_nconn < 0)
		o->eo_nconn = 0;
	if (o->eo_nconn > 0 && o->eo_ntarget == 0 && o->eo_nlisten == 0)
		errx(1, "-n needs targets: give -c, or -l to connect to "
		    "the listeners");
	if (o->eo_rate > 0 && o->eo_nconn == 0)
		warnx("-r only paces clients; no clients are opened");
}

/* --- descriptors and connections ----------------------------------------- */

/*
 * Every socket is a descriptor.  Take the whole hard limit (a server
 * cannot know how many peers will come); raise the hard limit too when it
 * is below what the clients need, or say exactly what to raise.
 */
static void
raise_fd_limit(size_t need)
{
	struct rlimit rl;
	rlim_t hard, want;

	/* rlim_t is unsigned on Linux, signed on FreeBSD. */
	want = (rlim_t)need;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		err(1, "getrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want) {
		if (rl.rlim_max != RLIM_INFINITY)
			rl.rlim_cur = rl.rlim_max;
		else if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
			rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			err(1, "setrlimit(RLIMIT_NOFILE, %ju)",
			    (uintmax_t)rl.rlim_cur);
		return;
	}
	hard = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		err(1, "need %zu descriptors, the hard limit is %ju; raise it "
		    "(ulimit -Hn %zu) or split clients and servers into two "
		    "processes", need, (uintmax_t)hard, need);
}

static size_t
conn_add(int fd, enum role role, enum conn_state state)
{
	struct conn *p;
	size_t cap;

	if (nconns == capconns) {
		cap = capconns == 0 ? 1024 : capconns * 2;
		p = realloc(conns, cap * sizeof(*p));
		if (p == NULL)
			err(1, "keeping %zu connections", cap);
		conns = p;
		capconns = cap;
	}
	p = &conns[nconns];
	memset(p, 0, sizeof(*p));
	p->c_fd = fd;
	p->c_role = (uint8_t)role;
	p->c_state = (uint8_t)state;
	return (nconns++);
}

static void
conn_close(struct conn *c, bool active)
{

	if (c->c_fd >= 0)
		close(c->c_fd);
	c->c_fd = -1;
	c->c_state = CS_CLOSED;
	c->c_active = active;
	free(c->c_pend);
	c->c_pend = NULL;
	c->c_pendlen = 0;
}

static void
set_nonblock(int fd)
{
	int fl;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		err(1, "fcntl(O_NONBLOCK)");
}

static void
open_listeners(struct echo_opts *o)
{
	struct ea_endpoint *ep;
	socklen_t len;
	size_t i;
	int fd, on = 1, k;
	char name[96];

	for (k = 0; k < o->eo_nlisten; k++) {
		ep = &o->eo_listen[k];
		ea_format((struct sockaddr *)&ep->ee_addr, name, sizeof(name));
		fd = socket(ep->ee_addr.ss_family, SOCK_STREAM, 0);
		if (fd < 0)
			err(1, "socket for listener %s", name);
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) != 0)
			err(1, "SO_REUSEADDR on %s", name);
		if (bind(fd, (struct sockaddr *)&ep->ee_addr, ep->ee_len) != 0)
			err(1, "bind %s", name);
		if (listen(fd, LISTEN_BACKLOG) != 0)
			err(1, "listen %s", name);
		set_nonblock(fd);
		i = conn_add(fd, ROLE_LISTEN, CS_UP);
		len = sizeof(conns[i].c_local);
		if (getsockname(fd, (struct sockaddr *)&conns[i].c_local,
		    &len) != 0)
			err(1, "getsockname %s", name);
		/* Port 0 asked the system for one: targets use the real one. */
		memcpy(&ep->ee_addr, &conns[i].c_local, ep->ee_len);
		conns[i].c_peer.ss_family = ep->ee_addr.ss_family;
	}
}

static bool
addr_is_any(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	if (ss->ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)ss;
		return (sin->sin_addr.s_addr == htonl(INADDR_ANY));
	}
	sin6 = (const struct sockaddr_in6 *)(const void *)ss;
	return (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
}

static uint16_t
addr_port(const struct sockaddr_storage *ss)
{

	if (ss->ss_family == AF_INET)
		return (ntohs(((const struct sockaddr_in *)
		    (const void *)ss)->sin_port));
	return (ntohs(((const struct sockaddr_in6 *)
	    (const void *)ss)->sin6_port));
}

static bool
addr_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{

	if (a->ss_family != b->ss_family || addr_port(a) != addr_port(b))
		return (false);
	if (a->ss_family == AF_INET)
		return (((const struct sockaddr_in *)(const void *)a)->
		    sin_addr.s_addr == ((const struct sockaddr_in *)
		    (const void *)b)->sin_addr.s_addr);
	return (memcmp(&((const struct sockaddr_in6 *)(const void *)a)->
	    sin6_addr, &((const struct sockaddr_in6 *)(const void *)b)->
	    sin6_addr, sizeof(struct in6_addr)) == 0);
}

/*
 * Does a connection to target land on one of our listeners?  Then its
 * accepted end belongs in the report, and setup waits for it.  A wildcard
 * IPv6 listener is dual-stack and takes IPv4 targets too.
 */
static bool
target_is_self(const struct echo_opts *o, const struct ea_endpoint *t)
{
	const struct sockaddr_storage *l;
	int k;

	for (k = 0; k < o->eo_nlisten; k++) {
		l = &o->eo_listen[k].ee_addr;
		if (addr_port(l) != addr_port(&t->ee_addr))
			continue;
		if (addr_equal(l, &t->ee_addr))
			return (true);
		if (addr_is_any(l) && (l->ss_family == t->ee_addr.ss_family ||
		    l->ss_family == AF_INET6))
			return (true);
	}
	return (false);
}

/* Descriptors needed: sockets, plus stdio and the report. */
static size_t
fds_needed(const struct echo_opts *o)
{
	size_t need;
	int k;

	need = (size_t)o->eo_nlisten + (size_t)o->eo_nconn + FD_SLACK;
	if (o->eo_ntarget == 0)
		return (need + (size_t)o->eo_nconn);
	for (k = 0; k < o->eo_ntarget; k++)
		if (target_is_self(o, &o->eo_target[k]))
			return (need + (size_t)o->eo_nconn);
	return (need);
}

/* Start one client connection to target; fails loudly. */
static void
start_client(const struct echo_opts *o, const struct ea_endpoint *t,
    long serial)
{
	struct sockaddr_in src;
	char name[96];
	size_t i;
	int fd, on = 1;
	uint32_t span;

	ea_format((const struct sockaddr *)&t->ee_addr, name, sizeof(name));
	fd = socket(t->ee_addr.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		err(1, "socket for client %ld (limit on descriptors?)",
		    serial);
	set_nonblock(fd);
	if (o->eo_src_first != 0 && t->ee_addr.ss_family == AF_INET) {
		span = o->eo_src_last - o->eo_src_first + 1;
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = htonl(o->eo_src_first +
		    (uint32_t)serial % span);
#ifdef IP_BIND_ADDRESS_NO_PORT
		/* Pick the port at connect time, per destination. */
		(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
		    sizeof(on));
#endif
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0)
			err(1, "bind client %ld to source %s", serial,
			    inet_ntoa(src.sin_addr));
	}
	(void)on;
	if (connect(fd, (const struct sockaddr *)&t->ee_addr, t->ee_len) != 0 &&
	    errno != EINPROGRESS) {
		if (errno == EADDRNOTAVAIL || errno == EAGAIN)
			err(1, "connect client %ld to %s (out of local ports? "
			    "spread sources with -b)", serial, name);
		err(1, "connect client %ld to %s", serial, name);
	}
	i = conn_add(fd, ROLE_CLIENT, CS_CONNECTING);
	memcpy(&conns[i].c_peer, &t->ee_addr, t->ee_len);
	conns[i].c_self = target_is_self(o, t);
}

static void
finish_connect(struct conn *c)
{
	socklen_t len;
	char name[96];
	int e = 0;

	len = sizeof(e);
	if (getsockopt(c->c_fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		err(1, "getsockopt(SO_ERROR)");
	if (e != 0) {
		ea_format((struct sockaddr *)&c->c_peer, name, sizeof(name));
		errno = e;
		err(1, "connect to %s", name);
	}
	len = sizeof(c->c_local);
	if (getsockname(c->c_fd, (struct sockaddr *)&c->c_local, &len) != 0)
		err(1, "getsockname");
	c->c_state = CS_UP;
}

/* Accept everything waiting on listener l. */
static void
accept_all(size_t l, bool close_at_once, size_t *accepted)
{
	struct sockaddr_storage peer;
	socklen_t len;
	size_t i;
	int fd;

	for (;;) {
		len = sizeof(peer);
		fd = accept(conns[l].c_fd, (struct sockaddr *)&peer, &len);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR || errno == ECONNABORTED)
				return;
			if (errno == EMFILE || errno == ENFILE)
				err(1, "accept (descriptor limit)");
			err(1, "accept");
		}
		(*accepted)++;
		if (close_at_once) {
			close(fd);
			continue;
		}
		set_nonblock(fd);
		i = conn_add(fd, ROLE_ACCEPTED, CS_UP);
		conns[i].c_peer = peer;
		len = sizeof(conns[i].c_local);
		if (getsockname(fd, (struct sockaddr *)&conns[i].c_local,
		    &len) != 0)
			err(1, "getsockname");
	}
}

/* --- payload ------------------------------------------------------------ */

/* Keep what the peer could not take yet; read no more until it drains. */
static void
keep_pending(struct conn *c, const char *p, size_t n)
{

	c->c_pend = malloc(n);
	if (c->c_pend == NULL)
		err(1, "malloc");
	memcpy(c->c_pend, p, n);
	c->c_pendlen = n;
}

static void
flush_pending(struct conn *c)
{
	ssize_t n;

	n = send(c->c_fd, c->c_pend, c->c_pendlen, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_close(c, false);
		return;
	}
	if ((size_t)n < c->c_pendlen) {
		memmove(c->c_pend, c->c_pend + n, c->c_pendlen - (size_t)n);
		c->c_pendlen -= (size_t)n;
		return;
	}
	free(c->c_pend);
	c->c_pend = NULL;
	c->c_pendlen = 0;
}

/*
 * Input on an open connection.  Servers echo it; clients drop the echo.
 * End of stream: a server closes its end (the usual echo behaviour), a
 * client keeps its end open, which leaves it in CLOSE_WAIT.
 */
static void
handle_input(struct conn *c)
{
	ssize_t n, w;

	n = recv(c->c_fd, iobuf, sizeof(iobuf), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		conn_close(c, false);
		return;
	}
	if (n == 0) {
		if (c->c_role == ROLE_ACCEPTED)
			conn_close(c, false);
		else
			c->c_state = CS_EOF;
		return;
	}
	if (c->c_role != ROLE_ACCEPTED)
		return;
	w = send(c->c_fd, iobuf, (size_t)n, MSG_NOSIGNAL);
	if (w < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			conn_close(c, false);
			return;
		}
		w = 0;
	}
	if (w < n)
		keep_pending(c, iobuf + w, (size_t)(n - w));
}

/* One pacing tick: every open client may send rate / 10 more bytes. */
static void
pace_clients(const struct echo_opts *o)
{
	uint64_t step, cap;
	struct conn *c;
	size_t i, want;
	ssize_t n;

	step = (uint64_t)o->eo_rate * TICK_MS / 1000;
	if (step == 0)
		step = 1;
	cap = (uint64_t)o->eo_rate;
	for (i = 0; i < nconns; i++) {
		c = &conns[i];
		if (c->c_role != ROLE_CLIENT || c->c_state != CS_UP)
			continue;
		c->c_credit += step;
		if (c->c_credit > cap)
			c->c_credit = cap;
		want = c->c_credit < sizeof(payload) ? (size_t)c->c_credit :
		    sizeof(payload);
		if (want == 0)
			continue;
		n = send(c->c_fd, payload, want, MSG_NOSIGNAL);
		if (n > 0)
			c->c_credit -= (uint64_t)n;
		else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			conn_close(c, false);
	}
}

/* --- the loop ----------------------------------------------------------- */

struct loop_state {
	struct pollfd	*ls_pfd;
	size_t		*ls_idx;	/* pollfd slot -> conns index */
	size_t		 ls_cap;
	long		 ls_launched;	/* clients started */
	size_t		 ls_inflight;	/* clients connecting */
	size_t		 ls_up;		/* clients connected */
	size_t		 ls_accepted;	/* connections accepted */
	bool		 ls_close_at_once; /* accepted sockets close at once */
	bool		 ls_setup;	/* poll only listeners and connects */
};

static void
loop_grow(struct loop_state *ls)
{

	if (ls->ls_cap >= nconns)
		return;
	ls->ls_cap = capconns;
	ls->ls_pfd = realloc(ls->ls_pfd, ls->ls_cap * sizeof(*ls->ls_pfd));
	ls->ls_idx = realloc(ls->ls_idx, ls->ls_cap * sizeof(*ls->ls_idx));
	if (ls->ls_pfd == NULL || ls->ls_idx == NULL)
		err(1, "poll set of %zu", ls->ls_cap);
}

/*
 * One pass: start clients up to the batch limit, poll every open socket
 * for at most timeout_ms, handle what is ready.
 */
static void
loop_once(const struct echo_opts *o, struct loop_state *ls, int timeout_ms)
{
	struct pollfd *p;
	struct conn *c;
	size_t i, n;
	int rc, k;

	while (ls->ls_launched < o->eo_nconn && ls->ls_inflight <
	    CONNECT_BATCH) {
		k = (int)(ls->ls_launched % o->eo_ntarget);
		start_client(o, &o->eo_target[k], ls->ls_launched);
		ls->ls_launched++;
		ls->ls_inflight++;
	}

	loop_grow(ls);
	n = 0;
	for (i = 0; i < nconns; i++) {
		c = &conns[i];
		if (c->c_fd < 0 || c->c_state == CS_EOF)
			continue;
		/*
		 * While connections come up nothing flows on them: polling
		 * them all at every pass would make setup quadratic.
		 */
		if (ls->ls_setup && c->c_role != ROLE_LISTEN &&
		    c->c_state != CS_CONNECTING)
			continue;
		p = &ls->ls_pfd[n];
		p->fd = c->c_fd;
		p->revents = 0;
		if (c->c_state == CS_CONNECTING)
			p->events = POLLOUT;
		else if (c->c_pendlen > 0)
			p->events = POLLOUT;
		else
			p->events = POLLIN;
		ls->ls_idx[n++] = i;
	}
	rc = poll(ls->ls_pfd, (nfds_t)n, timeout_ms);
	if (rc < 0) {
		if (errno == EINTR)
			return;
		err(1, "poll on %zu sockets", n);
	}
	for (i = 0; i < n && rc > 0; i++) {
		p = &ls->ls_pfd[i];
		if (p->revents == 0)
			continue;
		rc--;
		/* accept_all may move conns: keep indexes, not pointers. */
		if (conns[ls->ls_idx[i]].c_role == ROLE_LISTEN) {
			accept_all(ls->ls_idx[i], ls->ls_close_at_once,
			    &ls->ls_accepted);
			continue;
		}
		c = &conns[ls->ls_idx[i]];
		if (c->c_state == CS_CONNECTING) {
			finish_connect(c);
			ls->ls_inflight--;
			ls->ls_up++;
		} else if (c->c_pendlen > 0)
			flush_pending(c);
		else
			handle_input(c);
	}
}

static size_t
count_self_clients(void)
{
	size_t i, n = 0;

	for (i = 0; i < nconns; i++)
		if (conns[i].c_role == ROLE_CLIENT && conns[i].c_self)
			n++;
	return (n);
}

static size_t
count_open(enum role role, enum conn_state state)
{
	size_t i, n = 0;

	for (i = 0; i < nconns; i++)
		if (conns[i].c_role == role && conns[i].c_state == state)
			n++;
	return (n);
}

/* Run the loop until done() holds; errx with what is missing at deadline. */
static void
loop_until(const struct echo_opts *o, struct loop_state *ls,
    bool (*done)(const struct echo_opts *, const struct loop_state *),
    uint64_t deadline, const char *what)
{
	uint64_t t;

	while (!done(o, ls) && !stop_requested) {
		t = now_ms();
		if (t >= deadline)
			errx(1, "%s: not done after %ld s (clients up %zu of "
			    "%ld, accepted %zu)", what, o->eo_setup_s,
			    ls->ls_up, o->eo_nconn, ls->ls_accepted);
		loop_once(o, ls, (int)(deadline - t < TICK_MS ?
		    deadline - t : TICK_MS));
	}
}

static bool
setup_done(const struct echo_opts *o, const struct loop_state *ls)
{

	if (ls->ls_launched < o->eo_nconn || ls->ls_inflight > 0)
		return (false);
	return (ls->ls_close_at_once ||
	    ls->ls_accepted >= count_self_clients());
}

/* close_wait: every client of ours has seen the server close. */
static bool
peers_closed(const struct echo_opts *o, const struct loop_state *ls)
{
	size_t i;

	(void)o;
	(void)ls;
	for (i = 0; i < nconns; i++)
		if (conns[i].c_role == ROLE_CLIENT &&
		    conns[i].c_state == CS_UP)
			return (false);
	return (true);
}

/* time_wait: our servers have closed after our clients. */
static bool
accepted_closed(const struct echo_opts *o, const struct loop_state *ls)
{

	(void)o;
	(void)ls;
	return (count_open(ROLE_ACCEPTED, CS_UP) == 0 &&
	    count_open(ROLE_ACCEPTED, CS_EOF) == 0);
}

/* --- report ------------------------------------------------------------- */

static const char *
role_name(const struct conn *c)
{

	switch (c->c_role) {
	case ROLE_LISTEN:
		return ("listen");
	case ROLE_CLIENT:
		return (c->c_state == CS_CLOSED ? "client-closed" : "client");
	default:
		return (c->c_state == CS_CLOSED ? "accepted-closed" :
		    "accepted");
	}
}

/*
 * One line per socket the system still has: those we hold, and those we
 * closed first (they linger in FIN_WAIT_2 or TIME_WAIT).  Sockets closed
 * after their peer did are gone and not listed.
 */
static size_t
write_report_lines(FILE *f)
{
	char local[96], peer[96];
	const struct conn *c;
	size_t i, n = 0;

	for (i = 0; i < nconns; i++) {
		c = &conns[i];
		if (c->c_state == CS_CLOSED && !c->c_active)
			continue;
		ea_format((const struct sockaddr *)&c->c_local, local,
		    sizeof(local));
		if (c->c_role == ROLE_LISTEN)
			snprintf(peer, sizeof(peer), "%s 0",
			    c->c_local.ss_family == AF_INET ? "0.0.0.0" :
			    "::");
		else
			ea_format((const struct sockaddr *)&c->c_peer, peer,
			    sizeof(peer));
		fprintf(f, "%s %s %s %s\n",
		    c->c_local.ss_family == AF_INET ? "tcp4" : "tcp6",
		    local, peer, role_name(c));
		n++;
	}
	fprintf(f, "ready %zu\n", n);
	return (n);
}

/* The report appears whole: written aside, then renamed into place. */
static void
write_report(const struct echo_opts *o)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (o->eo_report == NULL) {
		write_report_lines(stdout);
		if (fflush(stdout) != 0)
			err(1, "stdout");
		return;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", o->eo_report) >=
	    (int)sizeof(tmp))
		errx(1, "-o: path too long");
	f = fopen(tmp, "w");
	if (f == NULL)
		err(1, "%s", tmp);
	write_report_lines(f);
	if (fclose(f) != 0)
		err(1, "%s", tmp);
	if (rename(tmp, o->eo_report) != 0)
		err(1, "rename %s to %s", tmp, o->eo_report);
}

/* --- main --------------------------------------------------------------- */

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		err(1, "sigaction");
	signal(SIGPIPE, SIG_IGN);
}

static void
close_phase(const struct echo_opts *o, struct loop_state *ls,
    uint64_t deadline)
{
	size_t i;

	if (o->eo_close == CLOSE_WAIT_MODE) {
		for (i = 0; i < nconns; i++)
			if (conns[i].c_role == ROLE_ACCEPTED &&
			    conns[i].c_fd >= 0)
				conn_close(&conns[i], true);
		if (o->eo_nconn > 0)
			loop_until(o, ls, peers_closed, deadline,
			    "-C close_wait");
	} else if (o->eo_close == CLOSE_TIME_WAIT) {
		for (i = 0; i < nconns; i++)
			if (conns[i].c_role == ROLE_CLIENT &&
			    conns[i].c_fd >= 0)
				conn_close(&conns[i], true);
		loop_until(o, ls, accepted_closed, deadline, "-C time_wait");
	}
}

int
main(int argc, char *argv[])
{
	struct loop_state ls;
	struct echo_opts o;
	uint64_t t0, deadline, end, t;
	size_t i;
	int k;

	parse_options(argc, argv, &o);
	raise_fd_limit(fds_needed(&o));
	install_signals();
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (char)('a' + i % 26);

	memset(&ls, 0, sizeof(ls));
	ls.ls_close_at_once = (o.eo_close == CLOSE_WAIT_MODE &&
	    o.eo_nconn == 0);
	open_listeners(&o);
	if (o.eo_ntarget == 0 && o.eo_nconn > 0) {
		/* No -c: the clients connect to our own listeners. */
		for (k = 0; k < o.eo_nlisten; k++)
			o.eo_target[k] = o.eo_listen[k];
		o.eo_ntarget = o.eo_nlisten;
	}

	t0 = now_ms();
	deadline = t0 + (uint64_t)o.eo_setup_s * 1000;
	ls.ls_setup = true;
	loop_until(&o, &ls, setup_done, deadline, "setup");
	ls.ls_setup = false;
	if (!stop_requested)
		close_phase(&o, &ls, deadline);
	if (o.eo_verbose && !stop_requested)
		fprintf(stderr, "tcp-echo: %zu clients up, %zu accepted, "
		    "in %" PRIu64 " ms\n", ls.ls_up, ls.ls_accepted,
		    now_ms() - t0);
	if (!stop_requested)
		write_report(&o);

	end = o.eo_lifetime > 0 ? now_ms() + (uint64_t)o.eo_lifetime * 1000 :
	    UINT64_MAX;
	t = now_ms() + TICK_MS;
	while (!stop_requested && now_ms() < end) {
		loop_once(&o, &ls, TICK_MS);
		if (o.eo_rate > 0 && now_ms() >= t) {
			pace_clients(&o);
			t = now_ms() + TICK_MS;
		}
	}

	for (i = 0; i < nconns; i++)
		if (conns[i].c_fd >= 0)
			conn_close(&conns[i], true);
	free(conns);
	free(ls.ls_pfd);
	free(ls.ls_idx);
	return (0);
}
