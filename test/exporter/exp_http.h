/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * exp_http.h -- test support: run tcpstats-exporter, talk HTTP to it over
 * a plain TCP socket (no HTTP library), with bounded waits everywhere.
 */

#ifndef _EXP_HTTP_H_
#define	_EXP_HTTP_H_

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct exp_proc {
	pid_t		ep_pid;		/* 0 when not running */
	uint16_t	ep_port;	/* 127.0.0.1 port it listens on */
};

/* A loopback port nobody listens on right now, or 0. */
uint16_t exp_free_port(void);

/*
 * Start argv (the exporter, or a wrapper followed by it) with the given
 * environment additions ("NAME=value", NULL-terminated), stderr to
 * errpath (NULL: inherit), and wait up to wait_ms for the port to accept.
 * 0 on success, -1 (process stopped again) otherwise.
 */
int	exp_start(struct exp_proc *p, char *const argv[], char *const env[],
	    const char *errpath, int wait_ms);

/*
 * SIGTERM, then wait up to wait_ms (SIGKILL after that).  Returns the
 * wait status, or -1 if it had to be killed.
 */
int	exp_stop(struct exp_proc *p, int wait_ms);

/* Still running? */
int	exp_alive(const struct exp_proc *p);

/*
 * Send raw bytes, read the answer until the peer closes or timeout_ms
 * passes.  Returns the bytes read (resp NUL-terminated), or -1 when the
 * connection failed.
 */
ssize_t	exp_exchange(uint16_t port, const void *raw, size_t rawlen,
	    char *resp, size_t resplen, int timeout_ms);

/*
 * GET path: *status from the status line, *body points into resp after
 * the header block.  Returns 0, or -1 when no HTTP answer came.
 */
int	exp_get(uint16_t port, const char *method, const char *path,
	    int *status, char *resp, size_t resplen, char **body);

/* Status code of an HTTP answer in resp, or -1. */
int	exp_status(const char *resp);

/* Resident set size of pid in KiB, or -1. */
long	exp_rss_kib(pid_t pid);

#endif /* !_EXP_HTTP_H_ */
