/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_cli.c -- the tcpstats-exporter binary refuses bad start-up input
 * with exit status 1 and one line on stderr, before it listens.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

/* Run the exporter with one environment addition; stderr into errbuf. */
static int
run(char *const argv[], const char *env, char *errbuf, size_t len)
{
	int pfd[2], st;
	size_t used;
	ssize_t n;
	pid_t pid;

	cr_assert_eq(pipe(pfd), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		if (env != NULL)
			putenv((char *)(uintptr_t)env);
		alarm(10);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	used = 0;
	while (used + 1 < len && (n = read(pfd[0], errbuf + used,
	    len - 1 - used)) > 0)
		used += (size_t)n;
	errbuf[used] = '\0';
	close(pfd[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return (st);
}

static unsigned int
lines(const char *s)
{
	unsigned int n;

	for (n = 0; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return (n);
}

Test(cli, zero_rate_exits_1_with_one_line)
{
	char *argv[] = { EXP_BINARY, "-d", "/nonexistent", "-l",
	    "127.0.0.1:1", NULL };
	char err[1024];
	int st;

	st = run(argv, "TCPSTATS_MAX_QUERY_RATE=0", err, sizeof(err));
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1,
	    "expected exit 1, got status %d", st);
	cr_expect_eq(lines(err), 1, "expected one line, got:\n%s", err);
	cr_expect(strstr(err, "TCPSTATS_MAX_QUERY_RATE='0'") != NULL,
	    "line should quote the value, got: %s", err);
}

Test(cli, garbage_rate_exits_1_with_one_line)
{
	char *argv[] = { EXP_BINARY, NULL };
	char err[1024];
	int st;

	st = run(argv, "TCPSTATS_MAX_QUERY_RATE=fast", err, sizeof(err));
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1,
	    "expected exit 1, got status %d", st);
	cr_expect_eq(lines(err), 1, "expected one line, got:\n%s", err);
	cr_expect(strstr(err, "'fast'") != NULL, "got: %s", err);
}

Test(cli, unbracketed_ipv6_listen_exits_1)
{
	char *argv[] = { EXP_BINARY, "-l", "::1:9814", NULL };
	char err[1024];
	int st;

	st = run(argv, NULL, err, sizeof(err));
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1,
	    "expected exit 1, got status %d", st);
	cr_expect(strstr(err, "[addr]:port") != NULL, "got: %s", err);
}
