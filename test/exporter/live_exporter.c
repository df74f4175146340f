/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * live_exporter.c -- tcpstats-exporter against the real device.
 *
 * Each test runs in a network namespace of its own (Criterion forks one
 * process per test; the test unshares its network stack and brings lo
 * up), so every socket in it is one the test made: the exporter's own
 * listener and scrape connections sit outside the port range the filter
 * selects.  The expected counts come from what the test built, and are
 * cross-checked against a direct read of the device with the same filter.
 */

#define	_GNU_SOURCE		/* unshare(2), CLONE_NEWNET */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "exp_http.h"
#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"

#define	PORT_LO		21000		/* listener; clients above it */
#define	PORT_FILTER	"local_port=21000-21010"
#define	RESP_MAX	(512 * 1024)

static const char *const state_names[TCPSTATS_NSTATES] = {
	"closed", "listen", "syn_sent", "syn_received", "established",
	"close_wait", "fin_wait_1", "closing", "last_ack", "fin_wait_2",
	"time_wait"
};

static const char *device;
static struct exp_proc exporter;
static char errpath[64];
static char resp[RESP_MAX];

/* --- set-up -------------------------------------------------------------- */

static void
lo_up(void)
{
	struct ifreq ifr;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	cr_assert_neq(fd, -1, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	cr_assert_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0, "SIOCGIFFLAGS lo: %s",
	    strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	cr_assert_eq(ioctl(fd, SIOCSIFFLAGS, &ifr), 0, "SIOCSIFFLAGS lo: %s",
	    strerror(errno));
	close(fd);
}

static void
live_init(void)
{
	struct stat sb;

	device = getenv("TCPSTATS_DEV");
	if (device == NULL || device[0] == '\0')
		cr_skip_test("TCPSTATS_DEV is not set (no tcpstatsd fixture)");
	if (stat(device, &sb) == -1)
		cr_skip_test("TCPSTATS_DEV=%s: %s", device, strerror(errno));
	if (geteuid() != 0)
		cr_skip_test("not root: a network namespace of its own needs "
		    "CAP_SYS_ADMIN");
	if (unshare(CLONE_NEWNET) == -1)
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	lo_up();
	snprintf(errpath, sizeof(errpath), "/tmp/live_exporter.%d.err",
	    (int)getpid());
}

static void
live_fini(void)
{

	if (exporter.ep_pid > 0)
		(void)exp_stop(&exporter, 5000);
	if (errpath[0] != '\0')
		unlink(errpath);
}

/* Start the exporter on a free port with a device path, filter and rate. */
static void
start(const char *dev, const char *filter, const char *rate)
{
	static char rate_env[64];
	char portarg[32];
	char *argv[] = { EXP_BINARY, "-d", (char *)(uintptr_t)dev, "-f",
	    (char *)(uintptr_t)filter, "-l", portarg, NULL };
	char *env[] = { rate_env, NULL };

	snprintf(rate_env, sizeof(rate_env), "TCPSTATS_MAX_QUERY_RATE=%s",
	    rate);
	exporter.ep_port = exp_free_port();
	cr_assert_neq(exporter.ep_port, 0, "no free loopback port");
	snprintf(portarg, sizeof(portarg), "127.0.0.1:%u", exporter.ep_port);
	cr_assert_eq(exp_start(&exporter, argv, env, errpath, 10000), 0,
	    "%s did not start listening on %s", EXP_BINARY, portarg);
}

/* GET /metrics; returns the body (in resp). */
static char *
scrape(void)
{
	char *body;
	int status;

	cr_assert_eq(exp_get(exporter.ep_port, "GET", "/metrics", &status,
	    resp, sizeof(resp), &body), 0, "no HTTP answer from the exporter");
	cr_assert_eq(status, 200, "/metrics: expected 200, got %d", status);
	return (body);
}

/* Value of the sample "name" (with labels, if any) in body, or -1. */
static long long
metric(const char *body, const char *name)
{
	char needle[256];
	const char *p;
	long long v;

	snprintf(needle, sizeof(needle), "\n%s ", name);
	p = strstr(body, needle);
	if (p == NULL && strncmp(body, needle + 1, strlen(needle + 1)) == 0)
		p = body - 1;
	if (p == NULL || sscanf(p + strlen(needle), "%lld", &v) != 1)
		return (-1);
	return (v);
}

static long long
by_state(const char *body, unsigned int st)
{
	char name[96];

	snprintf(name, sizeof(name), "tcpstats_sockets_by_state{state=\"%s\"}",
	    state_names[st]);
	return (metric(body, name));
}

/* --- sockets the test owns ----------------------------------------------- */

static int
tcp_socket(uint16_t port)
{
	struct sockaddr_in sin;
	int fd, on;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_neq(fd, -1, "socket: %s", strerror(errno));
	on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0,
	    "bind port %u: %s", port, strerror(errno));
	return (fd);
}

static void
connect_to(int fd, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0,
	    "connect to %u: %s", port, strerror(errno));
}

/*
 * One listener on PORT_LO, nclients clients bound to PORT_LO+1.., all
 * accepted; the last `closed` clients then close, leaving their accepted
 * peers in CLOSE_WAIT and themselves in FIN_WAIT_2.
 */
struct world {
	int	lfd;
	int	cfd[8];
	int	afd[8];
};

static void
build(struct world *w, int nclients, int closed, uint64_t want[])
{
	int i;

	memset(want, 0, TCPSTATS_NSTATES * sizeof(want[0]));
	w->lfd = tcp_socket(PORT_LO);
	cr_assert_eq(listen(w->lfd, 16), 0, "listen: %s", strerror(errno));
	want[TCPSTATS_ST_LISTEN] = 1;
	for (i = 0; i < nclients; i++) {
		w->cfd[i] = tcp_socket((uint16_t)(PORT_LO + 1 + i));
		connect_to(w->cfd[i], PORT_LO);
		w->afd[i] = accept(w->lfd, NULL, NULL);
		cr_assert_neq(w->afd[i], -1, "accept: %s", strerror(errno));
	}
	want[TCPSTATS_ST_ESTABLISHED] = (uint64_t)(2 * (nclients - closed));
	for (i = nclients - closed; i < nclients; i++) {
		close(w->cfd[i]);
		want[TCPSTATS_ST_CLOSE_WAIT]++;
		want[TCPSTATS_ST_FIN_WAIT_2]++;
	}
	usleep(200000);	/* let the FINs and ACKs cross loopback */
}

/* Direct read of the device with the exporter's filter. */
static void
direct_read(const char *filter, uint64_t got[], uint64_t *total)
{
	static unsigned char buf[64 * 1024];
	struct tcpstats_filter_arg fa;
	struct tcpstats_record rec;
	size_t off, used;
	ssize_t n;
	int fd, calls;

	memset(got, 0, TCPSTATS_NSTATES * sizeof(got[0]));
	*total = 0;
	fd = open(device, O_RDONLY);
	cr_assert_neq(fd, -1, "open %s: %s", device, strerror(errno));
	memset(&fa, 0, sizeof(fa));
	snprintf(fa.tfa_text, sizeof(fa.tfa_text), "%s", filter);
	cr_assert_eq(ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa), 0,
	    "SETFILTER '%s': %s", filter, strerror(errno));
	for (calls = 0; calls < 10000; calls++) {
		n = read(fd, buf, sizeof(buf));
		cr_assert_geq(n, 0, "read: %s", strerror(errno));
		if (n == 0)
			break;
		for (off = 0; off < (size_t)n; off += used) {
			cr_assert_eq(tcpstats_decode(buf + off, (size_t)n - off,
			    &rec, &used), 0, "undecodable record at %zu", off);
			cr_assert_lt(rec.tr_state.tst_state, TCPSTATS_NSTATES);
			got[rec.tr_state.tst_state]++;
			(*total)++;
		}
	}
	close(fd);
}

/* --- tests ---------------------------------------------------------------- */

TestSuite(live_exporter, .init = live_init, .fini = live_fini);

Test(live_exporter, metrics_answer_200_with_exposition_content_type)
{

	start(device, "", "1000");
	cr_assert_eq(exp_get(exporter.ep_port, "GET", "/metrics",
	    &(int){ 0 }, resp, sizeof(resp), &(char *){ NULL }), 0,
	    "no answer");
	cr_expect(strstr(resp, "\r\nContent-Type: text/plain; version=0.0.4; "
	    "charset=utf-8\r\n") != NULL, "wrong or missing Content-Type in:"
	    "\n%.400s", resp);
	cr_expect_eq(metric(strstr(resp, "\r\n\r\n") + 4,
	    "tcpstats_exporter_up"), 1, "tcpstats_exporter_up: expected 1");
}

Test(live_exporter, promtool_accepts_the_metrics)
{
	char path[64], cmd[160];
	char *body;
	FILE *f;
	int st;

	if (EXP_PROMTOOL[0] == '\0')
		cr_skip_test("promtool not found at configure time (Debian "
		    "package prometheus)");
	start(device, "", "1000");
	body = scrape();
	cr_assert_eq(metric(body, "tcpstats_exporter_up"), 1,
	    "up: expected 1 with a device");
	snprintf(path, sizeof(path), "/tmp/live_exporter.%d.prom",
	    (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(body, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s check metrics < %s", EXP_PROMTOOL,
	    path);
	st = system(cmd);
	unlink(path);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "promtool check metrics failed (status %d); its complaints are "
	    "above", st);
}

Test(live_exporter, counts_match_the_sockets_and_a_direct_read)
{
	uint64_t want[TCPSTATS_NSTATES], direct[TCPSTATS_NSTATES], dtotal;
	struct world w;
	unsigned int st;
	uint64_t total;
	char *body;

	build(&w, 4, 1, want);
	for (total = 0, st = 0; st < TCPSTATS_NSTATES; st++)
		total += want[st];
	start(device, PORT_FILTER, "1000");
	usleep(5000);
	body = scrape();
	direct_read(PORT_FILTER, direct, &dtotal);

	cr_expect_eq(metric(body, "tcpstats_sockets"), (long long)total,
	    "tcpstats_sockets: expected %llu sockets built, got %lld",
	    (unsigned long long)total, metric(body, "tcpstats_sockets"));
	cr_expect_eq(dtotal, total, "direct read: expected %llu, got %llu",
	    (unsigned long long)total, (unsigned long long)dtotal);
	for (st = 0; st < TCPSTATS_NSTATES; st++) {
		cr_expect_eq(by_state(body, st), (long long)want[st],
		    "%s: expected %llu, exporter says %lld", state_names[st],
		    (unsigned long long)want[st], by_state(body, st));
		cr_expect_eq(direct[st], want[st],
		    "%s: expected %llu, direct read says %llu",
		    state_names[st], (unsigned long long)want[st],
		    (unsigned long long)direct[st]);
	}
}

Test(live_exporter, rapid_scrapes_get_the_cached_body)
{
	static char first[RESP_MAX];
	uint64_t want[TCPSTATS_NSTATES];
	struct world w;
	char *body;
	int extra, i;

	/* One read per 20 s: every scrape below falls in the window. */
	build(&w, 2, 0, want);
	start(device, PORT_FILTER, "0.05");
	body = scrape();
	snprintf(first, sizeof(first), "%s", body);
	cr_assert_eq(metric(first, "tcpstats_sockets"), 5,
	    "first scrape: expected 5 sockets, got %lld",
	    metric(first, "tcpstats_sockets"));

	/* A new socket in range: a fresh read would show it. */
	extra = tcp_socket(PORT_LO + 9);
	cr_assert_eq(listen(extra, 1), 0);
	for (i = 0; i < 5; i++) {
		body = scrape();
		cr_expect_str_eq(body, first, "scrape %d within the window "
		    "differs from the first", i + 2);
	}
	close(extra);
}

Test(live_exporter, device_gone_and_back_flips_up)
{
	char dir[] = "/tmp/live_exporter.XXXXXX", dev[64], log[4096];
	char *body;
	ssize_t n;
	int fd, i, lost, back;

	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(dev, sizeof(dev), "%s/tcpstats", dir);
	start(dev, "", "1000");

	for (i = 0; i < 3; i++) {
		body = scrape();
		cr_expect_eq(metric(body, "tcpstats_exporter_up"), 0,
		    "no device: up should be 0");
		cr_expect(strstr(body, "\ntcpstats_sockets ") == NULL,
		    "no device: socket families must be left out");
		usleep(2000);
	}
	cr_expect_geq(metric(body, "tcpstats_exporter_device_errors_total"),
	    3, "device_errors_total: expected >= 3, got %lld",
	    metric(body, "tcpstats_exporter_device_errors_total"));

	cr_assert_eq(symlink(device, dev), 0, "symlink: %s", strerror(errno));
	usleep(2000);
	body = scrape();
	cr_expect_eq(metric(body, "tcpstats_exporter_up"), 1,
	    "device back: up should be 1");
	cr_expect_geq(metric(body, "tcpstats_sockets"), 0,
	    "device back: tcpstats_sockets should be shown");

	unlink(dev);
	usleep(2000);
	body = scrape();
	cr_expect_eq(metric(body, "tcpstats_exporter_up"), 0,
	    "device gone again: up should be 0");
	rmdir(dir);

	/* One log line per event, none per scrape. */
	(void)exp_stop(&exporter, 5000);
	fd = open(errpath, O_RDONLY);
	cr_assert_neq(fd, -1);
	n = read(fd, log, sizeof(log) - 1);
	close(fd);
	log[n > 0 ? n : 0] = '\0';
	for (lost = 0, back = 0, i = 0; log[i] != '\0'; i++) {
		if (strncmp(log + i, "device unavailable", 18) == 0 ||
		    strncmp(log + i, "device lost", 11) == 0)
			lost++;
		if (strncmp(log + i, "device back", 11) == 0)
			back++;
	}
	cr_expect_eq(lost, 2, "expected 2 'device lost/unavailable' lines, got "
	    "%d in:\n%s", lost, log);
	cr_expect_eq(back, 1, "expected 1 'device back' line, got %d in:\n%s",
	    back, log);
}

Test(live_exporter, sigterm_stops_cleanly)
{
	int st;

	start(device, "", "2");
	(void)scrape();
	st = exp_stop(&exporter, 5000);
	cr_expect(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "SIGTERM: expected exit 0, got status %d", st);
}

Test(live_exporter, filter_rejected_by_the_device_stops_the_start)
{
	char *argv[] = { EXP_BINARY, "-d", (char *)(uintptr_t)device, "-f",
	    "local_port=0", "-l", "127.0.0.1:1", NULL };
	char log[1024];
	ssize_t n;
	int fd, st;
	pid_t pid;

	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1,
	    "bad filter: expected exit 1, got status %d", st);
	fd = open(errpath, O_RDONLY);
	cr_assert_neq(fd, -1);
	n = read(fd, log, sizeof(log) - 1);
	close(fd);
	log[n > 0 ? n : 0] = '\0';
	cr_expect(strstr(log, "local_port=0") != NULL &&
	    strstr(log, "rejected") != NULL,
	    "message should quote the filter and say it was rejected: %s", log);
}
