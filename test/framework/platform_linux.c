/*
 * platform_linux.c -- the live framework on Linux against tcpstatsd: a
 * network namespace per test process, counters as files under the
 * mount's sysctl/, loopback aliases with ip(8), socket states from
 * /proc/net/tcp{,6}.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <net/if.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tsf.h"

/* Linux TCP_* state numbers, by TCPSTATS_ST_* (include/net/tcp_states.h). */
static const int linux_state[TCPSTATS_NSTATES] = {
	[TCPSTATS_ST_CLOSED] = 7,
	[TCPSTATS_ST_LISTEN] = 10,
	[TCPSTATS_ST_SYN_SENT] = 2,
	[TCPSTATS_ST_SYN_RECEIVED] = 3,
	[TCPSTATS_ST_ESTABLISHED] = 1,
	[TCPSTATS_ST_CLOSE_WAIT] = 8,
	[TCPSTATS_ST_FIN_WAIT_1] = 4,
	[TCPSTATS_ST_CLOSING] = 11,
	[TCPSTATS_ST_LAST_ACK] = 9,
	[TCPSTATS_ST_FIN_WAIT_2] = 5,
	[TCPSTATS_ST_TIME_WAIT] = 6,
};

const char *
tsf_platform_default_device(void)
{
	return ("/run/tcpstats/tcpstats");
}

int
tsf_platform_isolate(char *why, size_t whylen)
{
	struct ifreq ifr;
	int s;

	if (unshare(CLONE_NEWNET) != 0) {
		snprintf(why, whylen, "unshare(CLONE_NEWNET): %s",
		    strerror(errno));
		return (-1);
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return (-1);
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0) {
			close(s);
			return (0);
		}
	}
	snprintf(why, whylen, "bringing lo up: %s", strerror(errno));
	close(s);
	return (-1);
}

/* <mount>/<sub>/<name>: TCPSTATS_MNT, else the device's directory. */
static void
mount_path(const char *sub, const char *name, char *buf, size_t len)
{
	const char *mnt;
	char dev[512];

	mnt = getenv("TCPSTATS_MNT");
	if (mnt != NULL && *mnt != '\0') {
		snprintf(buf, len, "%s/%s/%s", mnt, sub, name);
		return;
	}
	snprintf(dev, sizeof(dev), "%s", tsf_device_path());
	snprintf(buf, len, "%s/%s/%s", dirname(dev), sub, name);
}

static void
sysctl_path(const char *name, char *buf, size_t len)
{
	mount_path("sysctl", name, buf, len);
}

int
tsf_platform_profile_write_bytes(const char *name, const void *text,
    size_t len)
{
	char path[600];
	int fd, ok;

	mount_path("profiles", name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0)
		return (-1);
	ok = write(fd, text, len) == (ssize_t)len;
	if (close(fd) != 0)
		ok = 0;
	return (ok ? 0 : -1);
}

int
tsf_platform_profile_read(const char *name, char *buf, size_t len)
{
	char path[600];
	ssize_t n;
	int fd;

	mount_path("profiles", name, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return (-1);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return (-1);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return (0);
}

int
tsf_platform_profile_remove(const char *name)
{
	char path[600];

	mount_path("profiles", name, path, sizeof(path));
	return (unlink(path) == 0 ? 0 : -1);
}

int
tsf_platform_sysctl_get(const char *name, uint64_t *v)
{
	char path[600], text[64];
	ssize_t n;
	int fd;

	sysctl_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return (-1);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	text[n] = '\0';
	if (text[0] == '-')	/* last_error may be negative */
		*v = (uint64_t)strtoll(text, NULL, 10);
	else
		*v = strtoull(text, NULL, 10);
	return (0);
}

int
tsf_platform_sysctl_set(const char *name, uint64_t v)
{
	char path[600], text[32];
	int fd, len, ok;

	sysctl_path(name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return (-1);
	len = snprintf(text, sizeof(text), "%" PRIu64 "\n", v);
	ok = write(fd, text, (size_t)len) == len;
	close(fd);
	return (ok ? 0 : -1);
}

int
tsf_platform_alias(const char *addr)
{
	char cidr[80];
	pid_t pid;
	int status;

	snprintf(cidr, sizeof(cidr), "%s/%s", addr,
	    strchr(addr, ':') != NULL ? "128" : "32");
	pid = fork();
	if (pid < 0)
		return (-1);
	if (pid == 0) {
		if (strchr(addr, ':') != NULL)
			execlp("ip", "ip", "-6", "addr", "replace", cidr,
			    "dev", "lo", "nodad", (char *)NULL);
		else
			execlp("ip", "ip", "addr", "replace", cidr, "dev",
			    "lo", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return (-1);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1);
}

/* Address as /proc/net/tcp prints it: each 32-bit word in host order. */
static void
proc_addr(const uint8_t *addr, int words, char *buf, size_t len)
{
	uint32_t w;
	int i, off;

	off = 0;
	for (i = 0; i < words; i++) {
		memcpy(&w, addr + 4 * i, 4);
		off += snprintf(buf + off, len - (size_t)off, "%08X", w);
	}
}

/* The state of the 4-tuple in /proc/net/tcp{,6}, -1 if absent. */
static int
proc_state(const struct tsf_sock *s)
{
	char l[40], r[40], want[100], line[512];
	uint8_t la[16], ra[16];
	const char *file;
	FILE *f;
	unsigned st;
	int words, found;

	memcpy(la, s->laddr, 16);
	memcpy(ra, s->raddr, 16);
	if (s->family == TCPSTATS_AF_INET && !s->mapped) {
		file = "/proc/net/tcp";
		words = 1;
	} else {
		file = "/proc/net/tcp6";
		words = 4;
		if (s->mapped) {
			/* Shown as ::ffff:a.b.c.d in the IPv6 table. */
			static const uint8_t pfx[12] = { [10] = 0xff,
			    [11] = 0xff };

			memcpy(la + 12, s->laddr, 4);
			memcpy(la, pfx, 12);
			memcpy(ra + 12, s->raddr, 4);
			memcpy(ra, pfx, 12);
		}
	}
	proc_addr(la, words, l, sizeof(l));
	proc_addr(ra, words, r, sizeof(r));
	snprintf(want, sizeof(want), "%s:%04X %s:%04X ", l, s->lport, r,
	    s->rport);
	f = fopen(file, "r");
	if (f == NULL)
		return (-1);
	found = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = strchr(line, ':');

		if (p == NULL || strncmp(p + 2, want, strlen(want)) != 0)
			continue;
		if (sscanf(p + 2 + strlen(want), "%x", &st) == 1)
			found = (int)st;
		break;
	}
	fclose(f);
	return (found);
}

int
tsf_platform_wait_state(const struct tsf_sock *s, int state, int ms)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int want, t;

	want = state < 0 ? -1 : linux_state[state];
	for (t = 0; t <= ms; t += 5) {
		if (proc_state(s) == want)
			return (0);
		nanosleep(&ts, NULL);
	}
	return (-1);
}

/* --- prefiltering, namespace tuning, the outer stack ---------------------- */

bool
tsf_platform_prefilters(char *why, size_t whylen)
{
	uint64_t on;

	/* Without the tunable (an older daemon) pushdown is always on. */
	if (tsf_platform_sysctl_get("pushdown", &on) == 0 && on == 0)
		return (false);
	snprintf(why, whylen, "tcpstatsd asks sock_diag for the filter's "
	    "states and passes its ports and addresses down as inet_diag "
	    "bytecode, so sockets the kernel drops are never visited");
	return (true);
}

bool
tsf_platform_tracks_age(char *why, size_t whylen)
{
	snprintf(why, whylen, "tcpstatsd cannot tell a socket's age: "
	    "sock_diag dumps are live and Linux keeps no creation order "
	    "(docs/tcpstatsd.md, BUGS in tcpstatsd(8))");
	return (false);
}

static int
proc_sys_write(const char *path, const char *value, char *why,
    size_t whylen)
{
	size_t len;
	int fd, ok;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	len = strlen(value);
	ok = write(fd, value, len) == (ssize_t)len;
	if (!ok)
		snprintf(why, whylen, "writing '%s' to %s: %s", value, path,
		    strerror(errno));
	close(fd);
	return (ok ? 0 : -1);
}

int
tsf_platform_mass_prepare(char *why, size_t whylen)
{
	/*
	 * Both are per network namespace, so this changes the test's own
	 * stack only.  tcp_tw_reuse (2 = loopback, the default) would let
	 * a new connection take over a TIME_WAIT socket the test counts.
	 */
	if (proc_sys_write("/proc/sys/net/ipv4/ip_local_port_range",
	    "1024 65535", why, whylen) != 0)
		return (-1);
	if (proc_sys_write("/proc/sys/net/ipv4/tcp_tw_reuse", "0", why,
	    whylen) != 0)
		return (-1);
	return (0);
}

int
tsf_platform_outer_netns(void)
{
	char path[64];
	int fd;

	/*
	 * Criterion forks each test from the runner, which has not left
	 * the stack ctest started it in.
	 */
	snprintf(path, sizeof(path), "/proc/%ld/ns/net", (long)getppid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fd = open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
	return (fd);
}

int
tsf_platform_socket_in(int ns, int domain, int type)
{
	int here, s, saved;

	if (ns < 0)
		return (socket(domain, type, 0));
	here = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (here < 0)
		return (-1);
	if (setns(ns, CLONE_NEWNET) != 0) {
		saved = errno;
		close(here);
		errno = saved;
		return (-1);
	}
	s = socket(domain, type, 0);
	saved = errno;
	if (setns(here, CLONE_NEWNET) != 0)
		fprintf(stderr, "could not return to the test's network "
		    "namespace: %s\n", strerror(errno));
	close(here);
	errno = saved;
	return (s);
}

bool
tsf_platform_private_stack(void)
{
	return (true);
}
