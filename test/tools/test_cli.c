/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_cli.c -- the built programs as a user runs them: exit codes and
 * messages for bad arguments, and tcp-echo's report checked against its
 * own pairing rules and, on Linux, against /proc/net/tcp.  Loopback only,
 * no root, every wait bounded.
 */

#include <criterion/criterion.h>

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef READ_TCPSTATS_BIN
#error "READ_TCPSTATS_BIN must name the built read_tcpstats"
#endif
#ifndef TCP_ECHO_BIN
#error "TCP_ECHO_BIN must name the built tcp-echo"
#endif

#define	RUN_TIMEOUT_MS	10000

struct run_result {
	int	status;		/* exit code, or 128 + signal */
	char	err[4096];	/* stderr, NUL-terminated */
	char	out[4096];	/* stdout, NUL-terminated */
};

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* execv(2) wants writable strings; the tests' are literals. */
static void
exec_copy(const char *const argv[])
{
	char *copy[32];
	int i;

	for (i = 0; i < 31 && argv[i] != NULL; i++)
		copy[i] = strdup(argv[i]);
	copy[i] = NULL;
	execv(copy[0], copy);
	_exit(127);
}

/* Run argv without TCPSTATS_DEV; collect output and status. */
static void
run(const char *const argv[], struct run_result *r)
{
	int ep[2], op[2], st;
	size_t elen = 0, olen = 0;
	struct pollfd pfd[2];
	struct timespec t0;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(pipe(ep), 0);
	cr_assert_eq(pipe(op), 0);
	pid = fork();
	cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(op[1], 1);
		dup2(ep[1], 2);
		close(op[0]);
		close(ep[0]);
		unsetenv("TCPSTATS_DEV");
		exec_copy(argv);
	}
	close(op[1]);
	close(ep[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pfd[0].fd = op[0];
	pfd[1].fd = ep[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while ((pfd[0].fd >= 0 || pfd[1].fd >= 0) &&
	    elapsed_ms(&t0) < RUN_TIMEOUT_MS) {
		if (poll(pfd, 2, 100) <= 0)
			continue;
		if (pfd[0].revents != 0) {
			n = read(op[0], r->out + olen,
			    sizeof(r->out) - 1 - olen);
			if (n <= 0)
				pfd[0].fd = -1;
			else
				olen += (size_t)n;
		}
		if (pfd[1].revents != 0) {
			n = read(ep[0], r->err + elen,
			    sizeof(r->err) - 1 - elen);
			if (n <= 0)
				pfd[1].fd = -1;
			else
				elen += (size_t)n;
		}
	}
	if (pfd[0].fd >= 0 || pfd[1].fd >= 0)
		kill(pid, SIGKILL);
	close(op[0]);
	close(ep[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
expect_failure(const char *const argv[], const char *fragment)
{
	struct run_result r;

	run(argv, &r);
	cr_expect_eq(r.status, 1, "%s: expected exit 1, got %d; stderr:\n%s",
	    argv[1], r.status, r.err);
	cr_expect(strstr(r.err, fragment) != NULL,
	    "expected stderr to contain \"%s\", got:\n%s", fragment, r.err);
}

Test(cli, read_tcpstats_bad_flag_prints_usage)
{
	const char *argv[] = { READ_TCPSTATS_BIN, "-x", NULL };

	expect_failure(argv, "unknown option -x");
	expect_failure(argv, "usage: read_tcpstats");
}

Test(cli, read_tcpstats_usage_lists_every_form)
{
	static const char *const forms[] = {
		"[-cFHj] [-d device] [-f filter | -p profile]",
		"-L", "-S name", "-P name=text", "-P name -f text", "-D name",
		"[-j] [-d device] -s",
	};
	const char *argv[] = { READ_TCPSTATS_BIN, "-x", NULL };
	struct run_result r;
	size_t i;

	run(argv, &r);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		cr_expect(strstr(r.err, forms[i]) != NULL,
		    "usage lacks \"%s\":\n%s", forms[i], r.err);
}

Test(cli, read_tcpstats_missing_device)
{
	const char *argv[] = { READ_TCPSTATS_BIN, "-d", "/nonexistent/tcpstats",
	    NULL };

	expect_failure(argv, "/nonexistent/tcpstats: No such file");
}

Test(cli, read_tcpstats_device_not_a_provider)
{
	const char *argv[] = { READ_TCPSTATS_BIN, "-d", "/dev/null", NULL };

	/* /dev/null answers no ioctl: the version check must refuse it. */
	expect_failure(argv, "TCPSTATS_IOC_VERSION");
}

Test(cli, tcp_echo_bad_target)
{
	const char *argv[] = { TCP_ECHO_BIN, "-c", "::1:80", NULL };

	expect_failure(argv, "IPv6 addresses go in brackets");
}

Test(cli, tcp_echo_bad_close_mode)
{
	const char *argv[] = { TCP_ECHO_BIN, "-l", "127.0.0.1:0", "-C",
	    "fin_wait", NULL };

	expect_failure(argv, "expected close_wait or time_wait");
}

Test(cli, tcp_echo_nothing_to_do)
{
	const char *argv[] = { TCP_ECHO_BIN, "-n", "3", NULL };

	expect_failure(argv, "nothing to do");
}

/* --- tcp-echo's report ------------------------------------------------- */

#define	MAX_LINES	64

struct sock_line {
	char		family[8], laddr[64], raddr[64], role[24];
	unsigned int	lport, rport;
};

struct report {
	struct sock_line	line[MAX_LINES];
	int			n;
	int			ready;	/* N of "ready N", -1 if absent */
};

static pid_t echo_pid;
static char report_path[64];

static void
echo_stop(void)
{
	int st;

	if (echo_pid > 0) {
		kill(echo_pid, SIGKILL);
		waitpid(echo_pid, &st, 0);
		echo_pid = 0;
	}
	if (report_path[0] != '\0')
		unlink(report_path);
}

/* Start tcp-echo with the arguments after "-o FILE"; wait for its report. */
static void
echo_start(const char *const extra[], struct report *rep)
{
	const char *argv[16];
	struct timespec t0;
	char buf[256];
	FILE *f = NULL;
	int i, k;

	snprintf(report_path, sizeof(report_path), "/tmp/tcp-echo-test.%ld",
	    (long)getpid());
	unlink(report_path);
	argv[0] = TCP_ECHO_BIN;
	argv[1] = "-o";
	argv[2] = report_path;
	for (i = 0; extra[i] != NULL && i < 12; i++)
		argv[3 + i] = extra[i];
	argv[3 + i] = NULL;
	echo_pid = fork();
	cr_assert_neq(echo_pid, -1);
	if (echo_pid == 0)
		exec_copy(argv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (f == NULL && elapsed_ms(&t0) < RUN_TIMEOUT_MS) {
		f = fopen(report_path, "r");
		if (f == NULL)
			usleep(20000);
	}
	if (f == NULL)
		echo_stop();
	cr_assert_not_null(f, "tcp-echo wrote no report within %d ms",
	    RUN_TIMEOUT_MS);
	memset(rep, 0, sizeof(*rep));
	rep->ready = -1;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		if (sscanf(buf, "ready %d", &k) == 1) {
			rep->ready = k;
			break;
		}
		cr_assert_lt(rep->n, MAX_LINES, "report longer than expected");
		cr_assert_eq(sscanf(buf, "%7s %63s %u %63s %u %23s",
		    rep->line[rep->n].family, rep->line[rep->n].laddr,
		    &rep->line[rep->n].lport, rep->line[rep->n].raddr,
		    &rep->line[rep->n].rport, rep->line[rep->n].role), 6,
		    "malformed report line: %s", buf);
		rep->n++;
	}
	fclose(f);
}

static int
count_role(const struct report *rep, const char *role)
{
	int i, n = 0;

	for (i = 0; i < rep->n; i++)
		if (strcmp(rep->line[i].role, role) == 0)
			n++;
	return (n);
}

/* The accepted line whose tuple mirrors client line c, or -1. */
static int
find_peer(const struct report *rep, int c, const char *role)
{
	const struct sock_line *a, *b = &rep->line[c];
	int i;

	for (i = 0; i < rep->n; i++) {
		a = &rep->line[i];
		if (strcmp(a->role, role) == 0 &&
		    strcmp(a->laddr, b->raddr) == 0 && a->lport == b->rport &&
		    strcmp(a->raddr, b->laddr) == 0 && a->rport == b->lport)
			return (i);
	}
	return (-1);
}

/*
 * The kernel's state of the IPv4 socket with this local port, from
 * /proc/net/tcp (hex state, e.g. 0x08 CLOSE_WAIT), or -1 if not found.
 */
static int
proc_state(unsigned int lport, unsigned int rport)
{
	unsigned int lp, rp, st;
	char line[512];
	FILE *f;
	int found = -1;

	f = fopen("/proc/net/tcp", "r");
	if (f == NULL)
		return (-2);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " %*d: %*8x:%x %*8x:%x %x", &lp, &rp,
		    &st) == 3 && lp == lport && rp == rport)
			found = (int)st;
	fclose(f);
	return (found);
}

Test(cli, tcp_echo_report_pairs_clients_and_accepted,
    .fini = echo_stop)
{
	const char *extra[] = { "-l", "127.0.0.1:0", "-n", "5", NULL };
	struct report rep;
	int i, listen_port = -1;

	echo_start(extra, &rep);
	cr_expect_eq(rep.ready, 11, "expected \"ready 11\" (1 listener, 5 "
	    "clients, 5 accepted), got %d", rep.ready);
	cr_assert_eq(count_role(&rep, "listen"), 1);
	cr_expect_eq(count_role(&rep, "client"), 5);
	cr_expect_eq(count_role(&rep, "accepted"), 5);
	for (i = 0; i < rep.n; i++)
		if (strcmp(rep.line[i].role, "listen") == 0)
			listen_port = (int)rep.line[i].lport;
	cr_expect_gt(listen_port, 0, "port 0 must be reported as the real one");
	for (i = 0; i < rep.n; i++) {
		if (strcmp(rep.line[i].role, "client") != 0)
			continue;
		cr_expect_str_eq(rep.line[i].family, "tcp4");
		cr_expect_eq((int)rep.line[i].rport, listen_port,
		    "client %d goes to port %u, listener is %d", i,
		    rep.line[i].rport, listen_port);
		cr_expect_geq(find_peer(&rep, i, "accepted"), 0,
		    "client %s:%u has no accepted socket mirroring it",
		    rep.line[i].laddr, rep.line[i].lport);
	}
}

Test(cli, tcp_echo_sigterm_exits_zero, .fini = echo_stop)
{
	const char *extra[] = { "-l", "127.0.0.1:0,[::1]:0", "-n", "4", NULL };
	struct timespec t0;
	struct report rep;
	int st = 0;
	pid_t w = 0;

	echo_start(extra, &rep);
	cr_expect_eq(count_role(&rep, "client"), 4);
	cr_expect_eq(count_role(&rep, "listen"), 2);
	kill(echo_pid, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (w == 0 && elapsed_ms(&t0) < RUN_TIMEOUT_MS) {
		w = waitpid(echo_pid, &st, WNOHANG);
		if (w == 0)
			usleep(10000);
	}
	cr_assert_eq(w, echo_pid, "tcp-echo did not exit on SIGTERM");
	echo_pid = 0;
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "expected exit 0 after SIGTERM, got status %#x", st);
}

Test(cli, tcp_echo_close_wait_mode, .fini = echo_stop)
{
	const char *extra[] = { "-l", "127.0.0.1:0", "-n", "3", "-C",
	    "close_wait", NULL };
	struct report rep;
	int i, st;

	echo_start(extra, &rep);
	cr_expect_eq(count_role(&rep, "client"), 3);
	cr_expect_eq(count_role(&rep, "accepted-closed"), 3,
	    "the server side closes first and lingers in FIN_WAIT_2");
	cr_expect_eq(count_role(&rep, "accepted"), 0);
	if (access("/proc/net/tcp", R_OK) != 0)
		return;		/* the pairing above is all we can check */
	for (i = 0; i < rep.n; i++) {
		if (strcmp(rep.line[i].role, "client") != 0)
			continue;
		st = proc_state(rep.line[i].lport, rep.line[i].rport);
		cr_expect_eq(st, 0x08, "client port %u: expected CLOSE_WAIT "
		    "(0x08) in /proc/net/tcp, got %#x", rep.line[i].lport, st);
	}
}

Test(cli, tcp_echo_time_wait_mode, .fini = echo_stop)
{
	const char *extra[] = { "-l", "127.0.0.1:0", "-n", "3", "-C",
	    "time_wait", NULL };
	struct report rep;
	int i, st;

	echo_start(extra, &rep);
	cr_expect_eq(count_role(&rep, "client-closed"), 3,
	    "clients close first and linger in TIME_WAIT");
	cr_expect_eq(count_role(&rep, "accepted"), 0,
	    "accepted sockets closed after their peer are gone");
	cr_expect_eq(rep.ready, 4, "expected ready 4, got %d", rep.ready);
	if (access("/proc/net/tcp", R_OK) != 0)
		return;
	for (i = 0; i < rep.n; i++) {
		if (strcmp(rep.line[i].role, "client-closed") != 0)
			continue;
		st = proc_state(rep.line[i].lport, rep.line[i].rport);
		cr_expect_eq(st, 0x06, "client port %u: expected TIME_WAIT "
		    "(0x06) in /proc/net/tcp, got %#x", rep.line[i].lport, st);
	}
}
