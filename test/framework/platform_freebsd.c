/*
 * platform_freebsd.c -- the live framework on FreeBSD against the kernel
 * module: counters through sysctlbyname(3), loopback aliases with
 * ifconfig(8).  Tests share the host's stack (no per-test VNET), so they
 * scope themselves to their own ports.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/wait.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tsf.h"

const char *
tsf_platform_default_device(void)
{
	return ("/dev/tcpstats");
}

int
tsf_platform_isolate(char *why, size_t whylen)
{
	(void)why;
	(void)whylen;
	return (0);
}

int
tsf_platform_sysctl_get(const char *name, uint64_t *v)
{
	char oid[128];
	union {
		uint64_t	u64;
		uint32_t	u32;
	} val;
	size_t len;

	snprintf(oid, sizeof(oid), "dev.tcpstats.%s", name);
	len = sizeof(val);
	if (sysctlbyname(oid, &val, &len, NULL, 0) != 0)
		return (-1);
	*v = len == sizeof(uint32_t) ? val.u32 : val.u64;
	return (0);
}

int
tsf_platform_sysctl_set(const char *name, uint64_t v)
{
	char oid[128];
	uint64_t cur;
	uint32_t v32;
	size_t len;

	snprintf(oid, sizeof(oid), "dev.tcpstats.%s", name);
	len = sizeof(cur);
	if (sysctlbyname(oid, &cur, &len, NULL, 0) != 0)
		return (-1);
	if (len == sizeof(uint32_t)) {
		v32 = (uint32_t)v;
		return (sysctlbyname(oid, NULL, NULL, &v32, sizeof(v32)));
	}
	return (sysctlbyname(oid, NULL, NULL, &v, sizeof(v)));
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
		execlp("ifconfig", "ifconfig", "lo0",
		    strchr(addr, ':') != NULL ? "inet6" : "inet", cidr,
		    "alias", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return (-1);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1);
}

int
tsf_platform_wait_state(const struct tsf_sock *s, int state, int ms)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	/*
	 * XXX: FreeBSD has no text socket table to poll; loopback delivers
	 * synchronously, so a short pause covers the state change.
	 */
	(void)s;
	(void)state;
	(void)ms;
	nanosleep(&ts, NULL);
	return (0);
}

/*
 * Profiles in the counter tree: dev.tcpstats.profiles.<name> is a string
 * node per profile; dev.tcpstats.profile_set takes "name:text" and
 * dev.tcpstats.profile_delete a name (docs/kmod.md).
 */
int
tsf_platform_profile_write_bytes(const char *name, const void *text,
    size_t len)
{
	char arg[TCPSTATS_NAME_BUF + TCPSTATS_FILTER_MAXLEN + 2];
	size_t n;

	n = strlen(name);
	if (n + 1 + len + 1 > sizeof(arg))
		return (-1);
	memcpy(arg, name, n);
	arg[n] = ':';
	memcpy(arg + n + 1, text, len);
	arg[n + 1 + len] = '\0';
	/* With the NUL that ends the text, as sysctlbyname(3) callers do. */
	return (sysctlbyname("dev.tcpstats.profile_set", NULL, NULL, arg,
	    n + 1 + len + 1) == 0 ? 0 : -1);
}

int
tsf_platform_profile_read(const char *name, char *buf, size_t len)
{
	char oid[128];

	snprintf(oid, sizeof(oid), "dev.tcpstats.profiles.%s", name);
	return (sysctlbyname(oid, buf, &len, NULL, 0) == 0 ? 0 : -1);
}

int
tsf_platform_profile_remove(const char *name)
{
	return (sysctlbyname("dev.tcpstats.profile_delete", NULL, NULL, name,
	    strlen(name) + 1) == 0 ? 0 : -1);
}

/* --- prefiltering, stack tuning, the outer stack --------------------------- */

bool
tsf_platform_prefilters(char *why, size_t whylen)
{
	snprintf(why, whylen, "the module walks every pcb of the reader's "
	    "VNET and counts each one it does not report under one reason");
	return (false);
}

int
tsf_platform_mass_prepare(char *why, size_t whylen)
{
	/*
	 * The ephemeral range (net.inet.ip.portrange.*) is host-wide here;
	 * the default first..last range leaves room for 20000 per target.
	 */
	(void)why;
	(void)whylen;
	return (0);
}

int
tsf_platform_outer_netns(void)
{
	/* Tests share the host's stack: nothing to leave. */
	return (-1);
}

int
tsf_platform_socket_in(int ns, int domain, int type)
{
	(void)ns;
	return (socket(domain, type, 0));
}

bool
tsf_platform_private_stack(void)
{
	return (false);
}

bool
tsf_platform_tracks_age(char *why, size_t whylen)
{
	/* The module skips pcbs newer than the snapshot's generation. */
	(void)why;
	(void)whylen;
	return (true);
}
