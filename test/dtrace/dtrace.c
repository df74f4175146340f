/*
 * dtrace.c -- live_dtrace: the seven probes of provider tcpstats are
 * registered, and each fires with plausible arguments while the test
 * opens, reads with a filter that skips and matches, and creates and
 * destroys a profile.
 *
 * Linux: USDT notes of tcpstatsd (readelf -n), bpftrace attached to the
 * running daemon (-p pid, a bounded script).  FreeBSD: dtrace -l -P and
 * dtrace -n.  The probes' USDT names are function__name.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tsf.h"

#ifndef TSF_TCPSTATSD_BIN
#define	TSF_TCPSTATSD_BIN	""
#endif
#ifndef TSF_TCPSTATSD_PIDFILE
#define	TSF_TCPSTATSD_PIDFILE	""
#endif

static const char *const probes[7] = {
	"read__entry", "read__done", "filter__skip", "filter__match",
	"fill__done", "profile__create", "profile__destroy",
};

static struct tsf_exporter ex;
static struct tsf_metrics ex_prev;

static void
dt_up(void)
{
	tsf_live_begin();
	memset(&ex_prev, 0, sizeof(ex_prev));
	(void)tsf_exporter_attach(&ex);
	tsf_exporter_snapshot(&ex, "before", &ex_prev);
}

static void
dt_down(void)
{
	tsf_exporter_snapshot(&ex, "after", &ex_prev);
	tsf_metrics_free(&ex_prev);
	tsf_exporter_stop(&ex);
}

TestSuite(live_dtrace, .init = dt_up, .fini = dt_down, .timeout = 90);

static const char *
daemon_bin(void)
{
	const char *p = getenv("TCPSTATSD_BIN");

	return (p != NULL && *p != '\0' ? p : TSF_TCPSTATSD_BIN);
}

/* Run a shell command; its output in a malloc'd string (NULL = failed). */
static char *
capture(const char *cmd)
{
	char *out;
	size_t len, cap;
	FILE *f;
	int c;

	f = popen(cmd, "r");
	if (f == NULL)
		return (NULL);
	cap = 65536;
	len = 0;
	out = malloc(cap);
	while (out != NULL && (c = fgetc(f)) != EOF) {
		if (len + 1 == cap)
			out = realloc(out, cap *= 2);
		if (out != NULL)
			out[len++] = (char)c;
	}
	if (out != NULL)
		out[len] = '\0';
	(void)pclose(f);
	return (out);
}

Test(live_dtrace, seven_probes_are_registered)
{
	char cmd[1024], *notes, want[64];
	int i;

	if (*daemon_bin() == '\0' || access(daemon_bin(), R_OK) != 0)
		cr_skip_test("tcpstatsd binary unknown (set TCPSTATSD_BIN)");
	if (system("command -v readelf >/dev/null 2>&1") != 0)
		cr_skip_test("readelf is not installed (binutils)");
	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>&1", daemon_bin());
	notes = capture(cmd);
	cr_assert(notes != NULL, "running %s failed", cmd);
	cr_assert(strstr(notes, "Provider: tcpstats") != NULL, "%s has no "
	    "USDT notes of provider tcpstats (built without sys/sdt.h?)",
	    daemon_bin());
	for (i = 0; i < 7; i++) {
		snprintf(want, sizeof(want), "Name: %s\n", probes[i]);
		cr_expect(strstr(notes, want) != NULL, "probe tcpstats:%s is "
		    "not among the USDT notes of %s", probes[i],
		    daemon_bin());
	}
	free(notes);
}

static pid_t
daemon_pid(void)
{
	FILE *f;
	long pid;

	f = fopen(TSF_TCPSTATSD_PIDFILE, "r");
	if (f == NULL)
		return (-1);
	if (fscanf(f, "%ld", &pid) != 1)
		pid = -1;
	fclose(f);
	return ((pid_t)pid);
}

Test(live_dtrace, each_probe_fires_with_plausible_arguments)
{
	struct tsf_fixture fx;
	struct tsf_records r;
	struct tcpstats_profile_arg pa;
	struct tsf_proc bt;
	char script[4096], pidbuf[32], line[512], *argv[8];
	char opt_p[] = "-p", opt_e[] = "-e", btbin[] = "bpftrace";
	const char *bin;
	static const char *const fmts[7] = {
		"%lu %lu 0 0", "%lu %lu %lu %lu", "%lu %lu %lu %lu",
		"%lu %lu %lu 0", "%lu %lu 0 0", "%s 0 0 0", "%s 0 0 0",
	};
	static const char *const args[7] = {
		"arg0, arg1", "arg0, arg1, arg2, arg3",
		"arg0, arg1, arg2, arg3", "arg0, arg1, arg2", "arg0, arg1",
		"str(arg0)", "str(arg0)",
	};
	size_t len;
	unsigned int seen[7], bad;
	unsigned long a0, a1, a2, a3;
	size_t l4;
	pid_t pid;
	FILE *log;
	int fd, i, st, ready;

	bin = daemon_bin();
	if (system("command -v bpftrace >/dev/null 2>&1") != 0)
		cr_skip_test("bpftrace is not installed");
	pid = daemon_pid();
	if (*bin == '\0' || pid <= 0 || kill(pid, 0) != 0)
		cr_skip_test("no running tcpstatsd with a known pid (%s)",
		    TSF_TCPSTATSD_PIDFILE);

	/* Bounded: the script exits by itself after 8 s. */
	len = (size_t)snprintf(script, sizeof(script),
	    "BEGIN { printf(\"ready\\n\"); }\n");
	for (i = 0; i < 7; i++)
		len += (size_t)snprintf(script + len, sizeof(script) - len,
		    "usdt:%s:tcpstats:%s { printf(\"%s %s\\n\", %s); }\n",
		    bin, probes[i], probes[i], fmts[i], args[i]);
	snprintf(script + len, sizeof(script) - len,
	    "interval:s:8 { exit(); }\n");
	snprintf(pidbuf, sizeof(pidbuf), "%ld", (long)pid);
	argv[0] = btbin;
	argv[1] = opt_p;
	argv[2] = pidbuf;
	argv[3] = opt_e;
	argv[4] = script;
	argv[5] = NULL;
	tsf_spawn(&bt, argv);

	/* Wait (bounded) until the probes are attached. */
	ready = 0;
	for (i = 0; i < 300 && !ready; i++) {
		usleep(50000);
		log = fopen(bt.log, "r");
		while (log != NULL && fgets(line, sizeof(line), log) != NULL)
			if (strncmp(line, "ready", 5) == 0)
				ready = 1;
		if (log != NULL)
			fclose(log);
		if (!ready && tsf_wait(&bt, 0) != -1) {
			bt.pid = -1;
			break;
		}
	}
	if (!ready) {
		if (bt.pid > 0)
			tsf_stop(&bt, 2000);
		cr_skip_test("bpftrace could not attach to tcpstatsd (pid %ld)"
		    "; its output is in %s", (long)pid, bt.log);
	}

	/* The sequence: sockets, a filter that skips IPv6 and matches. */
	tsf_fixture_init(&fx);
	l4 = tsf_listen(&fx, "127.0.0.1", 0);
	(void)tsf_connect(&fx, l4, NULL, NULL);
	(void)tsf_connect(&fx, tsf_listen(&fx, "::1", 0), NULL, NULL);
	fd = tsf_open();
	tsf_must_filter(fd, "ipv4_only");
	tsf_read_all(fd, 65536, &r);
	memset(&pa, 0, sizeof(pa));
	snprintf(pa.tpa_name, sizeof(pa.tpa_name), "dtrace_probe_%ld",
	    (long)getpid() % 100000);
	snprintf(pa.tpa_text, sizeof(pa.tpa_text), "ipv4_only");
	cr_assert(ioctl(fd, TCPSTATS_IOC_PROFILE_SET, &pa) == 0,
	    "PROFILE_SET %s: %s", pa.tpa_name, strerror(errno));
	cr_assert(ioctl(fd, TCPSTATS_IOC_PROFILE_DEL, &pa) == 0,
	    "PROFILE_DEL %s: %s", pa.tpa_name, strerror(errno));
	close(fd);

	st = tsf_wait(&bt, 20000);
	if (st == -1)
		tsf_stop(&bt, 2000);

	/* Every probe seen; arguments within their ranges. */
	memset(seen, 0, sizeof(seen));
	bad = 0;
	log = fopen(bt.log, "r");
	cr_assert(log != NULL, "bpftrace output %s: %s", bt.log,
	    strerror(errno));
	while (fgets(line, sizeof(line), log) != NULL) {
		char name[64], s1[64];

		if (sscanf(line, "%63s %63s", name, s1) != 2)
			continue;
		for (i = 0; i < 7; i++)
			if (strcmp(name, probes[i]) == 0)
				break;
		if (i == 7)
			continue;
		seen[i]++;
		if (i >= 5) {
			if (strcmp(s1, pa.tpa_name) != 0 && bad++ < 5)
				cr_log_info("%s named '%s', expected '%s'",
				    name, s1, pa.tpa_name);
			continue;
		}
		if (sscanf(line, "%*s %lu %lu %lu %lu", &a0, &a1, &a2,
		    &a3) != 4)
			continue;
		if ((a0 == 0 ||
		    (i == 2 && a1 >= TCPSTATS_NSKIP) ||
		    (i == 0 && a1 == 0) ||
		    (i == 4 && (a1 == 0 || a1 > sizeof(struct
		    tcpstats_record))) ||
		    (i == 3 && a1 == 0)) && bad++ < 5)
			cr_log_info("implausible arguments: %s", line);
	}
	fclose(log);
	for (i = 0; i < 7; i++)
		cr_expect(seen[i] > 0, "probe tcpstats:%s never fired during "
		    "open, an ipv4_only read over IPv4 and IPv6 sockets and "
		    "a profile create and delete (bpftrace output in %s)",
		    probes[i], bt.log);
	cr_expect_eq(bad, 0, "%u probe firings had implausible arguments "
	    "(logged above)", bad);
	tsf_records_free(&r);
	tsf_fixture_close(&fx);
}
