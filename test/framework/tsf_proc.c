/*
 * tsf_proc.c -- child processes of a test: spawned in their own process
 * group with output to a log file, waited for with a timeout, stopped as
 * a group.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

void
tsf_spawn(struct tsf_proc *p, char *const argv[])
{
	const char *dir;
	int fd;

	dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(p->log, sizeof(p->log), "%s/tsf-%ld-%s.log", dir,
	    (long)getpid(), strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0]);
	p->pid = fork();
	cr_assert(p->pid >= 0, "fork: %s", strerror(errno));
	if (p->pid == 0) {
		(void)setpgid(0, 0);
		fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			(void)dup2(fd, STDOUT_FILENO);
			(void)dup2(fd, STDERR_FILENO);
		}
		/* Nothing of the test runner's (its pipes) leaks into it. */
		for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
			(void)close(fd);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	(void)setpgid(p->pid, p->pid);
}

int
tsf_wait(struct tsf_proc *p, int ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int status, waited;
	pid_t r;

	for (waited = 0; waited <= ms; waited += 10) {
		r = waitpid(p->pid, &status, WNOHANG);
		if (r == p->pid) {
			p->pid = -1;
			if (WIFEXITED(status))
				return (WEXITSTATUS(status));
			return (128 + WTERMSIG(status));
		}
		nanosleep(&ts, NULL);
	}
	return (-1);
}

void
tsf_stop(struct tsf_proc *p, int ms)
{
	if (p->pid <= 0)
		return;
	(void)kill(-p->pid, SIGTERM);
	if (tsf_wait(p, ms) >= 0)
		return;
	(void)kill(-p->pid, SIGKILL);
	(void)waitpid(p->pid, NULL, 0);
	p->pid = -1;
}
