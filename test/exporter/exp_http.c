/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * exp_http.c -- run tcpstats-exporter and speak plain HTTP/1.1 to it.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exp_http.h"

static long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000L + ts.tv_nsec / 1000000L);
}

static void
loopback(struct sockaddr_in *sin, uint16_t port)
{

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

uint16_t
exp_free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len;
	uint16_t port;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd == -1)
		return (0);
	loopback(&sin, 0);
	len = sizeof(sin);
	port = 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* Connect to 127.0.0.1:port; the socket or -1. */
static int
dial(uint16_t port)
{
	struct sockaddr_in sin;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return (-1);
	loopback(&sin, port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return (-1);
	}
	return (fd);
}

int
exp_alive(const struct exp_proc *p)
{
	int st;

	if (p->ep_pid <= 0)
		return (0);
	return (waitpid(p->ep_pid, &st, WNOHANG) == 0);
}

int
exp_start(struct exp_proc *p, char *const argv[], char *const env[],
    const char *errpath, int wait_ms)
{
	long deadline;
	int fd, i;
	pid_t pid;

	pid = fork();
	if (pid == -1)
		return (-1);
	if (pid == 0) {
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv(env[i]);
		if (errpath != NULL) {
			fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd != -1) {
				dup2(fd, 2);
				close(fd);
			}
		}
		execv(argv[0], argv);
		_exit(127);
	}
	p->ep_pid = pid;
	deadline = ms_now() + wait_ms;
	while (ms_now() < deadline) {
		if (!exp_alive(p)) {
			p->ep_pid = 0;
			return (-1);
		}
		fd = dial(p->ep_port);
		if (fd != -1) {
			close(fd);
			return (0);
		}
		usleep(20000);
	}
	(void)exp_stop(p, 1000);
	return (-1);
}

int
exp_stop(struct exp_proc *p, int wait_ms)
{
	long deadline;
	int st;

	if (p->ep_pid <= 0)
		return (-1);
	kill(p->ep_pid, SIGTERM);
	deadline = ms_now() + wait_ms;
	while (ms_now() < deadline) {
		if (waitpid(p->ep_pid, &st, WNOHANG) == p->ep_pid) {
			p->ep_pid = 0;
			return (st);
		}
		usleep(10000);
	}
	kill(p->ep_pid, SIGKILL);
	waitpid(p->ep_pid, &st, 0);
	p->ep_pid = 0;
	return (-1);
}

ssize_t
exp_exchange(uint16_t port, const void *raw, size_t rawlen, char *resp,
    size_t resplen, int timeout_ms)
{
	struct pollfd pfd;
	size_t used, sent;
	long deadline;
	ssize_t n;
	int fd;

	fd = dial(port);
	if (fd == -1)
		return (-1);
	deadline = ms_now() + timeout_ms;
	for (sent = 0; sent < rawlen; sent += (size_t)n) {
		n = send(fd, (const char *)raw + sent, rawlen - sent,
		    MSG_NOSIGNAL);
		if (n <= 0)
			break;	/* the server may close early: read what came */
	}
	used = 0;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (used + 1 < resplen && ms_now() < deadline) {
		if (poll(&pfd, 1, (int)(deadline - ms_now())) <= 0)
			break;
		n = recv(fd, resp + used, resplen - 1 - used, 0);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	resp[used] = '\0';
	close(fd);
	return ((ssize_t)used);
}

int
exp_status(const char *resp)
{
	int major, minor, status;

	if (sscanf(resp, "HTTP/%d.%d %d", &major, &minor, &status) != 3)
		return (-1);
	return (status);
}

int
exp_get(uint16_t port, const char *method, const char *path, int *status,
    char *resp, size_t resplen, char **body)
{
	char req[512];
	char *end;
	int n;

	n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n", method, path);
	if (exp_exchange(port, req, (size_t)n, resp, resplen, 10000) <= 0)
		return (-1);
	*status = exp_status(resp);
	end = strstr(resp, "\r\n\r\n");
	if (*status < 0 || end == NULL)
		return (-1);
	*body = end + 4;
	return (0);
}

long
exp_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return (-1);
	kib = -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return (kib);
}
