/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * exporter_abuse.c -- malformed, oversized and slow HTTP against
 * tcpstats-exporter on loopback.
 *
 * usage: exporter_abuse <tcpstats-exporter> [count]
 * EXP_WRAPPER (optional) is a command prefix, e.g. "valgrind -q
 * --error-exitcode=99", to run the exporter under.
 *
 * The exporter runs without a device (it serves up=0, which is enough for
 * the HTTP side).  Every answer must be one of the statuses listed in
 * ok_status[] (200 only for the well-formed requests) or no answer at
 * all (the server closed); the process must survive, still answer a clean
 * scrape at the end, keep its resident size within RSS_SLACK_KIB of the
 * warmed-up size (not judged under EXP_WRAPPER), and exit 0 on SIGTERM.  Exit 0 = pass, 1 = fail,
 * 77 = could not start (skip).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exp_http.h"

#define	DEFAULT_COUNT	10000
#define	RSS_SLACK_KIB	(16 * 1024)	/* growth allowed after warm-up */
#define	SLOW_CLIENTS	100		/* more than the connection limit */
#define	BIG		(64 * 1024)	/* oversized URI / header / body */

enum kind {
	K_GARBAGE, K_NO_VERSION, K_HUGE_URI, K_HUGE_HEADER, K_MANY_HEADERS,
	K_BAD_METHOD, K_POST_BODY, K_HTTP10, K_BAD_VERSION, K_NOT_FOUND,
	K_BAD_CHUNKED, K_NUL_BYTES, K_TRUNCATED, K_METRICS, K_HEAD,
	K_ABSOLUTE_URI, K_BAD_CONTENT_LENGTH, K_NKINDS
};

static const char *const kind_names[K_NKINDS] = {
	"garbage", "no-version", "huge-uri", "huge-header", "many-headers",
	"bad-method", "post-body", "http10", "bad-version", "not-found",
	"bad-chunked", "nul-bytes", "truncated", "metrics", "head",
	"absolute-uri", "bad-content-length"
};

static char req[4 * BIG];
static char resp[1024 * 1024];
static unsigned int seed = 12345;

static unsigned int
rnd(void)
{

	seed = seed * 1103515245u + 12345u;
	return ((seed >> 16) & 0x7fff);
}

static size_t
put(size_t off, const char *s)
{
	size_t n;

	n = strlen(s);
	if (off + n > sizeof(req))
		n = sizeof(req) - off;
	memcpy(req + off, s, n);
	return (off + n);
}

/* Build request i of kind k into req; returns its length. */
static size_t
build(enum kind k)
{
	size_t n, i, len;

	n = 0;
	switch (k) {
	case K_GARBAGE:
		len = 1 + rnd() % 512;
		for (i = 0; i < len; i++)
			req[i] = (char)rnd();
		return (len);
	case K_NO_VERSION:
		return (put(0, "GET /metrics\r\n\r\n"));
	case K_HUGE_URI:
		n = put(0, "GET /");
		memset(req + n, 'a', BIG);
		n += BIG;
		return (put(n, " HTTP/1.1\r\nHost: x\r\n\r\n"));
	case K_HUGE_HEADER:
		n = put(0, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ");
		memset(req + n, 'b', BIG);
		n += BIG;
		return (put(n, "\r\n\r\n"));
	case K_MANY_HEADERS:
		n = put(0, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
		for (i = 0; i < 3000 && n + 16 < sizeof(req); i++)
			n = put(n, "X-A: 1\r\n");
		return (put(n, "\r\n"));
	case K_BAD_METHOD:
		return (put(0, "FROB /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
	case K_POST_BODY:
		n = put(0, "POST /metrics HTTP/1.1\r\nHost: x\r\n"
		    "Content-Length: 10000000\r\n\r\n");
		memset(req + n, 'p', BIG);
		return (n + BIG);
	case K_HTTP10:
		return (put(0, "GET /metrics HTTP/1.0\r\n\r\n"));
	case K_BAD_VERSION:
		return (put(0, "GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n"));
	case K_NOT_FOUND:
		return (put(0, "GET /nope HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n"));
	case K_BAD_CHUNKED:
		return (put(0, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:"
		    " chunked\r\n\r\nzz\r\nxyz\r\n0\r\n\r\n"));
	case K_NUL_BYTES:
		n = put(0, "GET /met");
		req[n++] = '\0';
		return (put(n, "rics HTTP/1.1\r\nHost: x\r\n\r\n"));
	case K_TRUNCATED:
		return (put(0, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Partial"));
	case K_METRICS:
		return (put(0, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n"));
	case K_HEAD:
		return (put(0, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n"));
	case K_ABSOLUTE_URI:
		return (put(0, "GET http://x/metrics HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n"));
	case K_BAD_CONTENT_LENGTH:
		return (put(0, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: "
		    "-5\r\n\r\n"));
	default:
		return (0);
	}
}

/* Statuses a bad request may get; 200 only where the request is fine. */
static int
acceptable(enum kind k, int status)
{

	switch (status) {
	case -1:		/* no answer: the server closed */
	case 400: case 404: case 405: case 413: case 414: case 431: case 505:
		return (1);
	case 200:
		return (k == K_METRICS || k == K_HEAD || k == K_HTTP10 ||
		    k == K_ABSOLUTE_URI || k == K_MANY_HEADERS);
	default:
		return (0);
	}
}

static int
slow_clients(uint16_t port)
{
	struct sockaddr_in sin;
	int fds[SLOW_CLIENTS], i, round, n;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = 0;
	for (i = 0; i < SLOW_CLIENTS; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] == -1 || connect(fds[i], (struct sockaddr *)&sin,
		    sizeof(sin)) == -1) {
			if (fds[i] != -1)
				close(fds[i]);
			fds[i] = -1;
			continue;
		}
		n++;
	}
	/* One byte of a request line per client every 100 ms, for 3 s. */
	for (round = 0; round < 30; round++) {
		for (i = 0; i < SLOW_CLIENTS; i++)
			if (fds[i] != -1)
				(void)send(fds[i], &"GET /metrics HTTP/1.1\r\n"
				    "Host: x\r\n"[round % 20], 1, MSG_NOSIGNAL);
		usleep(100000);
	}
	for (i = 0; i < SLOW_CLIENTS; i++)
		if (fds[i] != -1)
			close(fds[i]);
	return (n);
}

/* An idle connection must be closed by the server's timeout. */
static int
idle_is_closed(uint16_t port, int limit_ms)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	char c;
	int fd, r;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ==
	    -1)
		return (0);
	(void)send(fd, "GET /", 5, MSG_NOSIGNAL);
	pfd.fd = fd;
	pfd.events = POLLIN;
	r = poll(&pfd, 1, limit_ms);
	r = (r == 1 && recv(fd, &c, 1, 0) <= 0);
	close(fd);
	return (r);
}

static void
spawn_argv(char *bin, char *portarg, char **argv, size_t max)
{
	static char wrapper[1024];
	const char *w;
	size_t n;
	char *tok;

	n = 0;
	w = getenv("EXP_WRAPPER");
	if (w != NULL) {
		snprintf(wrapper, sizeof(wrapper), "%s", w);
		for (tok = strtok(wrapper, " "); tok != NULL && n + 8 < max;
		    tok = strtok(NULL, " "))
			argv[n++] = tok;
	}
	argv[n++] = bin;
	argv[n++] = "-d";
	argv[n++] = "/nonexistent/tcpstats";
	argv[n++] = "-l";
	argv[n++] = portarg;
	argv[n] = NULL;
}

int
main(int argc, char *argv[])
{
	static char rate[] = "TCPSTATS_MAX_QUERY_RATE=1000";
	unsigned int bad, seen[K_NKINDS][6], count, i;
	char portarg[32], *args[64], *env[] = { rate, NULL }, *body;
	long rss0, rss1;
	struct exp_proc p;
	ssize_t got;
	size_t len;
	int status, st, k, slot, timeout;

	if (argc < 2) {
		fprintf(stderr, "usage: exporter_abuse <tcpstats-exporter> "
		    "[count]\n");
		return (1);
	}
	count = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 10) :
	    DEFAULT_COUNT;
	memset(&p, 0, sizeof(p));
	memset(seen, 0, sizeof(seen));
	p.ep_port = exp_free_port();
	snprintf(portarg, sizeof(portarg), "127.0.0.1:%u", p.ep_port);
	spawn_argv(argv[1], portarg, args, sizeof(args) / sizeof(args[0]));
	if (p.ep_port == 0 || exp_start(&p, args, env, "/dev/null",
	    60000) != 0) {
		fprintf(stderr, "SKIP: cannot start %s on %s\n", argv[1],
		    portarg);
		return (77);
	}

	/* Warm up, then measure. */
	for (i = 0; i < 50; i++)
		(void)exp_get(p.ep_port, "GET", "/metrics", &status, resp,
		    sizeof(resp), &body);
	rss0 = exp_rss_kib(p.ep_pid);

	bad = 0;
	for (i = 0; i < count; i++) {
		k = (int)(i % K_NKINDS);
		len = build((enum kind)k);
		/* Requests the server may rightly wait on get a short wait. */
		timeout = (k == K_TRUNCATED || k == K_POST_BODY ||
		    k == K_BAD_CONTENT_LENGTH || k == K_GARBAGE) ? 50 : 3000;
		got = exp_exchange(p.ep_port, req, len, resp, sizeof(resp),
		    timeout);
		status = got > 0 ? exp_status(resp) : -1;
		if (got > 0 && status < 0)
			status = 0;	/* bytes that are not HTTP */
		slot = status == -1 ? 0 : status == 200 ? 1 : status == 400 ?
		    2 : status == 404 ? 3 : status == 405 ? 4 : 5;
		seen[k][slot]++;
		if (!acceptable((enum kind)k, status)) {
			if (bad++ < 10)
				fprintf(stderr, "FAIL: request %u (%s): status "
				    "%d\n", i, kind_names[k], status);
		}
		if (i % 1000 == 999 && !exp_alive(&p)) {
			fprintf(stderr, "FAIL: exporter died after %u "
			    "requests\n", i + 1);
			return (1);
		}
	}

	printf("slow clients connected: %d\n", slow_clients(p.ep_port));
	printf("idle connection closed by the server within 15 s: %s\n",
	    idle_is_closed(p.ep_port, 15000) ? "yes" : "NO");

	printf("%-20s %7s %7s %7s %7s %7s %7s\n", "kind", "closed", "200",
	    "400", "404", "405", "other");
	for (k = 0; k < K_NKINDS; k++)
		printf("%-20s %7u %7u %7u %7u %7u %7u\n", kind_names[k],
		    seen[k][0], seen[k][1], seen[k][2], seen[k][3], seen[k][4],
		    seen[k][5]);

	if (!exp_alive(&p)) {
		fprintf(stderr, "FAIL: exporter died\n");
		return (1);
	}
	if (exp_get(p.ep_port, "GET", "/metrics", &status, resp, sizeof(resp),
	    &body) != 0 || status != 200 ||
	    strstr(body, "tcpstats_exporter_up 0\n") == NULL) {
		fprintf(stderr, "FAIL: clean scrape after the abuse: status "
		    "%d\n", status);
		bad++;
	}
	rss1 = exp_rss_kib(p.ep_pid);
	printf("RSS: %ld KiB after warm-up, %ld KiB after %u requests\n",
	    rss0, rss1, count);
	/*
	 * Under a wrapper the size is mostly the wrapper's own (Valgrind's
	 * shadow memory and code cache), so it is shown, not judged; the
	 * wrapper checks the heap itself.
	 */
	if (getenv("EXP_WRAPPER") == NULL && (rss0 < 0 || rss1 < 0 ||
	    rss1 > rss0 + RSS_SLACK_KIB)) {
		fprintf(stderr, "FAIL: RSS grew from %ld to %ld KiB\n", rss0,
		    rss1);
		bad++;
	}
	st = exp_stop(&p, 60000);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "FAIL: SIGTERM: expected exit 0, got status "
		    "%d\n", st);
		bad++;
	}
	printf("%s: %u unacceptable outcomes\n", bad == 0 ? "PASS" : "FAIL",
	    bad);
	return (bad == 0 ? 0 : 1);
}
