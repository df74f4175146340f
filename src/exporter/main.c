/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * main.c -- tcpstats-exporter: serve the device's view of TCP as a
 * Prometheus scrape target.
 *
 * libmicrohttpd runs the HTTP side on a small pool of threads with a
 * bounded number of connections, a per-connection memory limit and an
 * idle timeout.  Every /metrics request takes the collection lock; the
 * rate limiter then decides whether this request reads the device and
 * renders a new body or is answered with the cached one.  The main thread
 * only waits for SIGTERM or SIGINT.
 *
 * Logging: one line on stderr per event (start, device lost, device back,
 * host counters lost/back, stop), never one per request.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "exporter.h"

#define	HTTP_THREADS		4	/* MHD worker pool */
#define	HTTP_MAX_CONNECTIONS	64	/* concurrent connections */
#define	HTTP_TIMEOUT_S		10	/* idle connection, seconds */
#define	HTTP_CONN_MEMORY	(32 * 1024) /* request buffer per connection */
#define	HTTP_BACKLOG		64

static const char index_page[] =
    "<!DOCTYPE html>\n"
    "<html><head><title>tcpstats exporter</title></head>\n"
    "<body><h1>tcpstats exporter</h1>\n"
    "<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

enum dev_state { DEV_UNKNOWN, DEV_UP, DEV_DOWN };

/* Everything below is guarded by col_lock. */
static pthread_mutex_t col_lock = PTHREAD_MUTEX_INITIALIZER;
static struct exp_config cfg;
static struct exp_ratelimit limiter;
static struct exp_snapshot snap;
static char *body;		/* the last rendered exposition */
static size_t body_len;		/* bytes of it */
static size_t body_cap;		/* bytes allocated */
static enum dev_state dev_state = DEV_UNKNOWN;
static char dev_reason[EXP_ERR_MAX];	/* last logged failure */
static bool host_down;

static void logline(const char *, ...)
    __attribute__((__format__(__printf__, 1, 2)));

static void
logline(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tcpstats-exporter: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/* Render snap into body, growing it when the text does not fit. */
static int
render_body(void)
{
	size_t need;
	char *nb;

	need = exp_render(&snap, body, body_cap);
	if (need >= body_cap) {
		nb = realloc(body, need + 4096);
		if (nb == NULL)
			return (-1);
		body = nb;
		body_cap = need + 4096;
		need = exp_render(&snap, body, body_cap);
		if (need >= body_cap)
			return (-1);
	}
	body_len = need;
	return (0);
}

/*
 * Collect from the device and the host, log state changes, render.
 * Called with col_lock held.  Returns the exp_collect() result.
 */
static int
refresh(void)
{
	char reason[EXP_ERR_MAX];
	uint64_t t0;
	int rc;

	t0 = now_ns();
	snap.sn_collections++;
	rc = exp_collect(&cfg, &snap, reason, sizeof(reason));
	if (rc != 0) {
		snap.sn_device_errors++;
		if (dev_state != DEV_DOWN || strcmp(reason, dev_reason) != 0)
			logline("device %s: %s", dev_state == DEV_UP ? "lost" :
			    "unavailable", reason);
		snprintf(dev_reason, sizeof(dev_reason), "%s", reason);
		dev_state = DEV_DOWN;
	} else {
		if (dev_state == DEV_DOWN)
			logline("device back: %s", cfg.ec_device);
		dev_reason[0] = '\0';
		dev_state = DEV_UP;
	}

	snap.sn_host_ok = exp_host_read(&snap.sn_host, reason,
	    sizeof(reason)) == 0;
	if (!snap.sn_host_ok && !host_down)
		logline("host TCP counters unavailable: %s", reason);
	else if (snap.sn_host_ok && host_down)
		logline("host TCP counters back");
	host_down = !snap.sn_host_ok;

	snap.sn_duration_ns = now_ns() - t0;
	if (render_body() != 0)
		logline("out of memory rendering %zu bytes", body_cap);
	return (rc);
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned int status, const char *type,
    const void *data, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return (MHD_NO);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    "GET, HEAD");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

static enum MHD_Result
serve_metrics(struct MHD_Connection *conn)
{
	enum MHD_Result ret;

	pthread_mutex_lock(&col_lock);
	if (exp_ratelimit_admit(&limiter, now_ns()))
		(void)refresh();
	else
		snap.sn_cached++;
	if (body == NULL)
		ret = reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "text/plain; charset=utf-8", "out of memory\n", 14);
	else
		ret = reply(conn, MHD_HTTP_OK, EXP_CONTENT_TYPE, body,
		    body_len);
	pthread_mutex_unlock(&col_lock);
	return (ret);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	static const char not_allowed[] = "method not allowed\n";
	static const char not_found[] = "not found\n";

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return (reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "text/plain; charset=utf-8", not_allowed,
		    sizeof(not_allowed) - 1));
	if (strcmp(url, "/metrics") == 0)
		return (serve_metrics(conn));
	if (strcmp(url, "/") == 0)
		return (reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8",
		    index_page, sizeof(index_page) - 1));
	return (reply(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
	    not_found, sizeof(not_found) - 1));
}

/* Our own listening socket, so a bind failure says why. */
static int
listen_socket(const struct exp_config *c)
{
	int fd, on;

	fd = socket(c->ec_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		err(1, "socket for %s", c->ec_listen);
	on = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (c->ec_addr.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	if (bind(fd, (const struct sockaddr *)&c->ec_addr, c->ec_addrlen) ==
	    -1)
		err(1, "cannot listen on %s", c->ec_listen);
	if (listen(fd, HTTP_BACKLOG) == -1)
		err(1, "cannot listen on %s", c->ec_listen);
	return (fd);
}

static void
usage(void)
{

	fprintf(stderr,
	    "usage: tcpstats-exporter [-d device] [-f filter] [-l addr:port]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char reason[EXP_ERR_MAX];
	struct MHD_Daemon *d;
	unsigned int flags;
	sigset_t sigs;
	int lfd, rc, sig;

	/* Options and environment. */
	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		usage();
	if (exp_config_parse(argc, argv, getenv("TCPSTATS_DEV"),
	    getenv("TCPSTATS_MAX_QUERY_RATE"), &cfg, reason,
	    sizeof(reason)) != 0)
		errx(1, "%s", reason);

	/*
	 * Signals: blocked in every thread (the MHD threads inherit the
	 * mask) and taken synchronously by the main thread below.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* A first collection: a filter the device rejects is fatal. */
	snap.sn_version = EXP_VERSION;
	exp_ratelimit_init(&limiter, cfg.ec_interval_ns);
	(void)exp_ratelimit_admit(&limiter, now_ns());
	rc = refresh();
	if (rc == EXP_COLLECT_BADFILTER)
		errx(1, "%s", dev_reason);

	/* Serve. */
	lfd = listen_socket(&cfg);
	flags = MHD_USE_AUTO_INTERNAL_THREAD;
	if (cfg.ec_addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)HTTP_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
	    MHD_OPTION_END);
	if (d == NULL)
		errx(1, "cannot start the HTTP server on %s", cfg.ec_listen);
	logline("started %s on %s, device %s, filter '%s', at most one read "
	    "per %llu ms", EXP_VERSION, cfg.ec_listen, cfg.ec_device,
	    cfg.ec_filter, (unsigned long long)(cfg.ec_interval_ns / 1000000));

	/* Wait for the end. */
	for (;;) {
		if (sigwait(&sigs, &sig) == 0 &&
		    (sig == SIGTERM || sig == SIGINT))
			break;
	}
	MHD_stop_daemon(d);
	close(lfd);
	logline("stopped on signal %d", sig);
	free(body);
	return (0);
}
