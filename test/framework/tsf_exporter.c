/*
 * tsf_exporter.c -- the exporter handle: start tcpstats-exporter or attach
 * to the run's, scrape /metrics over a plain TCP socket (HTTP/1.0, no
 * library), parse the text format and print diffs between scrapes.
 *
 * Nothing here fails a test: the exporter is a witness beside the device,
 * so every problem is logged and the caller goes on without it.
 */

#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

#ifndef TSF_EXPORTER_BIN
#define	TSF_EXPORTER_BIN	"tcpstats-exporter"
#endif

#define	SCRAPE_MAX	(8u << 20)	/* bytes of response kept */
#define	SCRAPE_TIMEOUT_S 5
#define	START_WAIT_MS	5000

static void
exporter_clear(struct tsf_exporter *e)
{
	memset(e, 0, sizeof(*e));
	e->e_proc.pid = -1;
	e->e_outer_ns = -1;
}

bool
tsf_exporter_start(struct tsf_exporter *e, uint16_t port, unsigned int qps)
{
	struct tsf_metrics m;
	char listen[64], rate[16], binbuf[512], devbuf[512], *argv[8];
	char opt_l[] = "-l", opt_d[] = "-d";
	const char *bin;
	uint64_t t0;

	exporter_clear(e);
	bin = getenv("TCPSTATS_EXPORTER_BIN");
	if (bin == NULL || *bin == '\0')
		bin = TSF_EXPORTER_BIN;
	if (strchr(bin, '/') != NULL && access(bin, X_OK) != 0) {
		cr_log_info("exporter: %s: %s; going on without it", bin,
		    strerror(errno));
		return (false);
	}
	if (qps > 0) {
		snprintf(rate, sizeof(rate), "%u", qps);
		setenv("TCPSTATS_MAX_QUERY_RATE", rate, 1);
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	snprintf(binbuf, sizeof(binbuf), "%s", bin);
	snprintf(devbuf, sizeof(devbuf), "%s", tsf_device_path());
	argv[0] = binbuf;
	argv[1] = opt_l;
	argv[2] = listen;
	argv[3] = opt_d;
	argv[4] = devbuf;
	argv[5] = NULL;
	tsf_spawn(&e->e_proc, argv);
	e->e_own = true;
	snprintf(e->e_host, sizeof(e->e_host), "127.0.0.1");
	e->e_port = port;
	e->e_present = true;

	/* Up once it answers. */
	t0 = tsf_now_ms();
	while (tsf_now_ms() - t0 < START_WAIT_MS) {
		memset(&m, 0, sizeof(m));
		if (tsf_exporter_scrape(e, &m) == 0) {
			tsf_metrics_free(&m);
			return (true);
		}
		if (tsf_wait(&e->e_proc, 0) != -1) {
			cr_log_info("exporter exited at start; log in %s",
			    e->e_proc.log);
			e->e_proc.pid = -1;
			e->e_present = false;
			return (false);
		}
		usleep(50000);
	}
	cr_log_info("exporter on %s did not answer within %d ms; log in %s",
	    listen, START_WAIT_MS, e->e_proc.log);
	tsf_exporter_stop(e);
	return (false);
}

bool
tsf_exporter_attach(struct tsf_exporter *e)
{
	const char *env, *colon;
	unsigned long port;
	char *end;

	exporter_clear(e);
	env = getenv("TCPSTATS_EXPORTER");
	if (env == NULL || *env == '\0') {
		cr_log_info("exporter: none (TCPSTATS_EXPORTER unset)");
		return (false);
	}
	colon = strrchr(env, ':');
	if (colon == NULL || (size_t)(colon - env) >= sizeof(e->e_host)) {
		cr_log_info("exporter: TCPSTATS_EXPORTER='%s' is not "
		    "addr:port", env);
		return (false);
	}
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535) {
		cr_log_info("exporter: bad port in TCPSTATS_EXPORTER='%s'",
		    env);
		return (false);
	}
	memcpy(e->e_host, env, (size_t)(colon - env));
	e->e_host[colon - env] = '\0';
	e->e_port = (uint16_t)port;
	e->e_outer_ns = tsf_platform_outer_netns();
	e->e_present = true;
	return (true);
}

void
tsf_exporter_stop(struct tsf_exporter *e)
{
	if (e->e_own && e->e_proc.pid > 0)
		tsf_stop(&e->e_proc, 3000);
	if (e->e_outer_ns >= 0)
		close(e->e_outer_ns);
	exporter_clear(e);
}

/* GET /metrics; the body in *bodyp (malloc'd).  0 or -1 (logged). */
static int
http_get(struct tsf_exporter *e, char **bodyp)
{
	struct sockaddr_in sin;
	struct timeval tv = { SCRAPE_TIMEOUT_S, 0 };
	char req[128], *buf, *body;
	size_t len, cap;
	ssize_t n;
	int s;

	*bodyp = NULL;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(e->e_port);
	if (inet_pton(AF_INET, e->e_host, &sin.sin_addr) != 1) {
		cr_log_info("exporter: '%s' is not an IPv4 address",
		    e->e_host);
		return (-1);
	}
	s = tsf_platform_socket_in(e->e_outer_ns, AF_INET, SOCK_STREAM);
	if (s < 0) {
		cr_log_info("exporter: socket: %s", strerror(errno));
		return (-1);
	}
	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		cr_log_info("exporter: connect %s:%u: %s", e->e_host,
		    e->e_port, strerror(errno));
		close(s);
		return (-1);
	}
	len = (size_t)snprintf(req, sizeof(req), "GET /metrics HTTP/1.0\r\n"
	    "Host: %s:%u\r\n\r\n", e->e_host, e->e_port);
	if (write(s, req, len) != (ssize_t)len) {
		cr_log_info("exporter: sending the request: %s",
		    strerror(errno));
		close(s);
		return (-1);
	}
	cap = 65536;
	len = 0;
	buf = malloc(cap + 1);
	for (;;) {
		if (buf == NULL)
			break;
		if (len == cap) {
			if (cap >= SCRAPE_MAX) {
				cr_log_info("exporter: response over %u bytes",
				    SCRAPE_MAX);
				free(buf);
				close(s);
				return (-1);
			}
			cap *= 2;
			buf = realloc(buf, cap + 1);
			continue;
		}
		n = read(s, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cr_log_info("exporter: reading the response: %s",
			    strerror(errno));
			free(buf);
			close(s);
			return (-1);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(s);
	if (buf == NULL) {
		cr_log_info("exporter: out of memory");
		return (-1);
	}
	buf[len] = '\0';
	if (strncmp(buf, "HTTP/1.", 7) != 0 || strlen(buf) < 12 ||
	    strncmp(buf + 9, "200", 3) != 0) {
		cr_log_info("exporter: status line '%.40s'", buf);
		free(buf);
		return (-1);
	}
	body = strstr(buf, "\r\n\r\n");
	if (body == NULL) {
		cr_log_info("exporter: response without a header end");
		free(buf);
		return (-1);
	}
	memmove(buf, body + 4, strlen(body + 4) + 1);
	*bodyp = buf;
	return (0);
}

int
tsf_exporter_scrape(struct tsf_exporter *e, struct tsf_metrics *out)
{
	char *body;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!e->e_present)
		return (-1);
	if (http_get(e, &body) != 0)
		return (-1);
	rc = tsf_metrics_parse(body, out);
	free(body);
	return (rc);
}

static int
metric_add(struct tsf_metrics *m, const char *name, size_t nlen, double v)
{
	struct tsf_metric *nm;
	size_t ncap;

	if (nlen >= TSF_METRIC_NAME)
		return (0);	/* longer than any of ours: ignored */
	if (m->n == m->cap) {
		ncap = m->cap == 0 ? 128 : m->cap * 2;
		nm = realloc(m->m, ncap * sizeof(*nm));
		if (nm == NULL)
			return (-1);
		m->m = nm;
		m->cap = ncap;
	}
	memcpy(m->m[m->n].name, name, nlen);
	m->m[m->n].name[nlen] = '\0';
	m->m[m->n].value = v;
	m->n++;
	return (0);
}

int
tsf_metrics_parse(const char *text, struct tsf_metrics *out)
{
	const char *p, *eol, *q;
	char *end;
	bool quoted;
	double v;
	size_t lineno;

	memset(out, 0, sizeof(*out));
	lineno = 0;
	for (p = text; *p != '\0'; p = *eol == '\0' ? eol : eol + 1) {
		lineno++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (p == eol || *p == '#')
			continue;
		/* The name runs to a blank outside the {labels}. */
		quoted = false;
		for (q = p; q < eol; q++) {
			if (*q == '"' && (q == p || q[-1] != '\\'))
				quoted = !quoted;
			if (!quoted && (*q == ' ' || *q == '\t'))
				break;
		}
		if (q == eol) {
			cr_log_info("exporter: line %zu has no value", lineno);
			continue;
		}
		v = strtod(q, &end);
		if (end == q) {
			cr_log_info("exporter: line %zu: bad value", lineno);
			continue;
		}
		if (metric_add(out, p, (size_t)(q - p), v) != 0) {
			tsf_metrics_free(out);
			cr_log_info("exporter: out of memory parsing");
			return (-1);
		}
	}
	return (0);
}

void
tsf_metrics_free(struct tsf_metrics *m)
{
	free(m->m);
	memset(m, 0, sizeof(*m));
}

bool
tsf_metrics_get(const struct tsf_metrics *m, const char *name, double *v)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->m[i].name, name) == 0) {
			*v = m->m[i].value;
			return (true);
		}
	return (false);
}

void
tsf_metrics_diff_log(const char *what, const struct tsf_metrics *a,
    const struct tsf_metrics *b)
{
	size_t i, moved;
	double old;

	moved = 0;
	for (i = 0; i < b->n; i++) {
		if (!tsf_metrics_get(a, b->m[i].name, &old))
			old = NAN;
		if (old == b->m[i].value)
			continue;
		moved++;
		cr_log_info("exporter diff [%s] %s: %.9g -> %.9g (%+.9g)",
		    what, b->m[i].name, old, b->m[i].value,
		    b->m[i].value - old);
	}
	cr_log_info("exporter diff [%s]: %zu of %zu samples moved", what,
	    moved, b->n);
}

void
tsf_exporter_snapshot(struct tsf_exporter *e, const char *what,
    struct tsf_metrics *prev)
{
	struct tsf_metrics now;
	double sockets;

	if (!e->e_present) {
		cr_log_info("exporter snapshot [%s]: no exporter", what);
		return;
	}
	if (tsf_exporter_scrape(e, &now) != 0) {
		cr_log_info("exporter snapshot [%s]: scrape failed (logged "
		    "above)", what);
		return;
	}
	if (tsf_metrics_get(&now, "tcpstats_sockets", &sockets))
		cr_log_info("exporter snapshot [%s]: %zu samples, "
		    "tcpstats_sockets %.0f", what, now.n, sockets);
	else
		cr_log_info("exporter snapshot [%s]: %zu samples, no "
		    "tcpstats_sockets", what, now.n);
	if (prev != NULL) {
		if (prev->n > 0)
			tsf_metrics_diff_log(what, prev, &now);
		tsf_metrics_free(prev);
		*prev = now;
	} else {
		tsf_metrics_free(&now);
	}
}
