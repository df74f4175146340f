/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netns.c -- network namespaces: a reader's netlink socket is made in the
 * namespace of the process that opened the device.
 *
 * setns(CLONE_NEWNET) changes only the calling thread, so a FUSE worker
 * joins the opener's namespace, creates the socket and returns home; the
 * socket keeps its namespace for life.  The home namespace is pinned by a
 * descriptor taken at start-up.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev.h"

static int home_nsfd = -1;

int
tsd_netns_init(void)
{

	home_nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home_nsfd < 0)
		return (-errno);
	return (0);
}

void
tsd_netns_fini(void)
{

	if (home_nsfd >= 0)
		close(home_nsfd);
	home_nsfd = -1;
}

int
tsd_netns_open_pid(pid_t pid)
{
	char path[64];
	int fd;

	if (pid <= 0)
		return (-ESRCH);
	snprintf(path, sizeof(path), "/proc/%ld/ns/net", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (errno == ENOENT ? -ESRCH : -errno);
	return (fd);
}

/*
 * Run in nsfd's namespace: create a NETLINK_SOCK_DIAG socket when out is
 * not NULL and read the namespace's TCP socket count when hint is not
 * NULL.
 */
int
tsd_netns_socket(int nsfd, struct mnl_socket **out, uint32_t *hint)
{
	struct mnl_socket *nl;
	struct timeval tv;
	FILE *fp;
	unsigned long inuse, orphan, tw;
	char line[256];
	int error;

	if (out != NULL)
		*out = NULL;
	if (setns(nsfd, CLONE_NEWNET) != 0)
		return (-errno);

	error = 0;
	nl = NULL;
	if (out == NULL) {
		/* Only the count is wanted. */
	} else if ((nl = mnl_socket_open2(NETLINK_SOCK_DIAG,
	    SOCK_CLOEXEC)) == NULL) {
		error = -errno;
	} else if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) != 0) {
		error = -errno;
		mnl_socket_close(nl);
		nl = NULL;
	}
	if (nl != NULL) {
		/* A dump never stalls; this only bounds a broken kernel. */
		tv.tv_sec = 10;
		tv.tv_usec = 0;
		(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET,
		    SO_RCVTIMEO, &tv, sizeof(tv));
	}
	if (hint != NULL) {
		*hint = 0;
		fp = fopen("/proc/thread-self/net/sockstat", "re");
		while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
			if (sscanf(line, "TCP: inuse %lu orphan %lu tw %lu",
			    &inuse, &orphan, &tw) == 3) {
				*hint = (uint32_t)(inuse + tw);
				break;
			}
		}
		if (fp != NULL)
			fclose(fp);
	}

	if (setns(home_nsfd, CLONE_NEWNET) != 0) {
		/*
		 * XXX: the thread is stranded in the reader's namespace; the
		 * next open joins its own target anyway, so only log it.
		 */
		tsd_log(LOG_ERR, "cannot return to the daemon's network "
		    "namespace: %s", strerror(errno));
	}
	if (out != NULL)
		*out = nl;
	return (error);
}
