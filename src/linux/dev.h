/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dev.h -- the device behind the mount's `tcpstats' file, and the state
 * shared with the sysctl/ and profiles/ files.  Independent of FUSE: the
 * glue passes the opener's pid and a way to ask whether the request was
 * interrupted.
 */

#ifndef _TSD_DEV_H_
#define	_TSD_DEV_H_

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "tsd.h"

struct mnl_socket;
struct tsd_reader;

/* Logging: stderr in the foreground, syslog otherwise (fuse_main.c). */
void	tsd_log(int prio, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* netns.c */
/*
 * Set by -P: the pushdown tunable starts at 0, so that dumps carry every
 * socket of both families and states and the core matcher decides alone.
 * Results must not change; the live suite runs both ways so that
 * pushdown and matcher are each tested.
 */
extern bool	tsd_no_pushdown;

int	tsd_netns_init(void);
void	tsd_netns_fini(void);
int	tsd_netns_open_pid(pid_t pid);
int	tsd_netns_socket(int nsfd, struct mnl_socket **out, uint32_t *hint);

/* dev.c: set-up and tear-down of the shared state. */
void	tsd_dev_init(void);
void	tsd_dev_fini(void);

/* The device: all return 0 / a count, or -errno. */
int	tsd_dev_open(pid_t pid, int flags, struct tsd_reader **out);
void	tsd_dev_release(struct tsd_reader *rd);
int	tsd_dev_ioctl(struct tsd_reader *rd, unsigned int cmd, void *data);
ssize_t	tsd_dev_read(struct tsd_reader *rd, char *buf, size_t size,
	    bool (*interrupted)(void));

/* sysctl/ files. */
int64_t	tsd_sysctl_counter(unsigned int i);
uint32_t tsd_sysctl_tunable(enum tsd_tun t);
void	tsd_sysctl_set_tunable(enum tsd_tun t, uint32_t v);

/* profiles/ files; the same rules as the profile ioctls. */
int	tsd_profile_set(const char *name, const char *text,
	    struct tcpstats_errinfo *err);
int	tsd_profile_get(const char *name, char *text, size_t len);
int	tsd_profile_del(const char *name);
unsigned int tsd_profile_names(char names[][TCPSTATS_NAME_BUF],
	    unsigned int max);
bool	tsd_profile_room(void);

#endif /* !_TSD_DEV_H_ */
