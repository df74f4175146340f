/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * host.c -- the host's TCP counters from the running system.
 *
 * Linux: /proc/net/snmp ("Tcp:") and /proc/net/netstat ("TcpExt:"), both
 * of the exporter's network namespace.  FreeBSD: a few fields of struct
 * tcpstat from the net.inet.tcp.stats sysctl.
 */

#include <sys/types.h>
#ifdef __FreeBSD__
#include <sys/sysctl.h>
#include <netinet/tcp_var.h>
#endif

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exporter.h"

#ifdef __FreeBSD__

/* The field's name without its "tcps_" prefix (5 bytes), and where it is. */
#define	HOST_FIELD(f)	{ #f + 5, offsetof(struct tcpstat, f) }

/* Connection-level events an operator watches; names drop "tcps_". */
static const struct {
	const char	*name;
	size_t		off;
} host_fields[] = {
	HOST_FIELD(tcps_connattempt),
	HOST_FIELD(tcps_accepts),
	HOST_FIELD(tcps_connects),
	HOST_FIELD(tcps_drops),
	HOST_FIELD(tcps_conndrops),
	HOST_FIELD(tcps_timeoutdrop),
	HOST_FIELD(tcps_keepdrops),
	HOST_FIELD(tcps_sndtotal),
	HOST_FIELD(tcps_sndrexmitpack),
	HOST_FIELD(tcps_rcvtotal),
	HOST_FIELD(tcps_rcvbadsum),
	HOST_FIELD(tcps_listendrop),
};

int
exp_host_read(struct exp_host_tcp *out, char *err, size_t errlen)
{
	struct exp_host_counter *hc;
	struct tcpstat ts;
	size_t i, len;

	len = sizeof(ts);
	if (sysctlbyname("net.inet.tcp.stats", &ts, &len, NULL, 0) == -1) {
		snprintf(err, errlen, "sysctl net.inet.tcp.stats: %s",
		    strerror(errno));
		return (-1);
	}
	out->ht_count = 0;
	for (i = 0; i < sizeof(host_fields) / sizeof(host_fields[0]); i++) {
		hc = &out->ht_c[out->ht_count++];
		memset(hc, 0, sizeof(*hc));
		snprintf(hc->hc_name, sizeof(hc->hc_name), "%s",
		    host_fields[i].name);
		snprintf(hc->hc_source, sizeof(hc->hc_source),
		    "net.inet.tcp.stats tcps_%s", host_fields[i].name);
		hc->hc_uvalue = *(const uint64_t *)(const void *)
		    ((const char *)&ts + host_fields[i].off);
	}
	return (0);
}

#else /* !__FreeBSD__ */

#define	HOST_FILE_MAX	(64 * 1024)	/* /proc/net/netstat is ~5 KiB */

static int
slurp(const char *path, char *buf, size_t len, char *err, size_t errlen)
{
	size_t used;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return (-1);
	}
	used = 0;
	while (used + 1 < len) {
		n = read(fd, buf + used, len - 1 - used);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return (0);
}

int
exp_host_read(struct exp_host_tcp *out, char *err, size_t errlen)
{
	static char text[HOST_FILE_MAX];	/* under the collection lock */

	out->ht_count = 0;
	if (slurp("/proc/net/snmp", text, sizeof(text), err, errlen) != 0 ||
	    exp_host_parse(text, "Tcp:", "", out, err, errlen) < 0)
		return (-1);
	if (slurp("/proc/net/netstat", text, sizeof(text), err, errlen) != 0 ||
	    exp_host_parse(text, "TcpExt:", "ext_", out, err, errlen) < 0)
		return (-1);
	return (0);
}

#endif /* __FreeBSD__ */
