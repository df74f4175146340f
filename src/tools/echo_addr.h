/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * echo_addr.h -- tcp-echo's address arguments: endpoint lists
 * ("127.0.0.1:80,[::1]:8080") and IPv4 source ranges ("127.0.0.2-127.0.0.9").
 */

#ifndef _TCPSTATS_TOOLS_ECHO_ADDR_H_
#define	_TCPSTATS_TOOLS_ECHO_ADDR_H_

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#define	EA_MAX_ENDPOINTS	64	/* per list */

struct ea_endpoint {
	struct sockaddr_storage	ee_addr;	/* AF_INET or AF_INET6 */
	socklen_t		ee_len;
};

/* EA_PORT_ZERO_OK: port 0 (pick one) is allowed, for listeners. */
#define	EA_PORT_ZERO_OK	0x01

/*
 * Parse a comma-separated list of ADDR:PORT (IPv4) and [ADDR]:PORT (IPv6)
 * into out[max].  Returns the number parsed, or -1 with the reason in err.
 */
int	ea_parse_list(const char *text, int flags, struct ea_endpoint *out,
	    int max, char *err, size_t errlen);

/* One endpoint; 0 or -1 with the reason in err. */
int	ea_parse_endpoint(const char *text, size_t len, int flags,
	    struct ea_endpoint *out, char *err, size_t errlen);

/*
 * An IPv4 source range "A" or "A-B" (A <= B), in host byte order.
 * 0 or -1 with the reason in err.
 */
int	ea_parse_range(const char *text, uint32_t *first, uint32_t *last,
	    char *err, size_t errlen);

/* "127.0.0.1 80" / "::1 80": address and port, for tcp-echo's report. */
int	ea_format(const struct sockaddr *sa, char *buf, size_t len);

#endif /* !_TCPSTATS_TOOLS_ECHO_ADDR_H_ */
