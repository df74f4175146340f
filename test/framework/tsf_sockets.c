/*
 * tsf_sockets.c -- socket fixtures on loopback.  Every socket the test
 * makes is recorded with the identity the provider should report, taken
 * from getsockname()/getpeername() (the system's word, not the provider's).
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

#define	TSF_STATE_WAIT_MS	3000

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

bool
tsf_addr_parse(const char *text, uint8_t *family, uint8_t addr[16])
{
	struct in_addr a4;
	struct in6_addr a6;

	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, &a4) == 1) {
		*family = TCPSTATS_AF_INET;
		memcpy(addr, &a4, 4);
		return (true);
	}
	if (inet_pton(AF_INET6, text, &a6) == 1) {
		*family = TCPSTATS_AF_INET6;
		memcpy(addr, &a6, 16);
		return (true);
	}
	return (false);
}

/* sockaddr to the reported form; true if it was IPv4-mapped. */
static bool
sa_to_report(const struct sockaddr_storage *ss, uint8_t *family,
    uint8_t addr[16], uint16_t *port)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)ss;
		*family = TCPSTATS_AF_INET;
		memcpy(addr, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
		return (false);
	}
	sin6 = (const struct sockaddr_in6 *)ss;
	*port = ntohs(sin6->sin6_port);
	if (memcmp(&sin6->sin6_addr, v4mapped_prefix, 12) == 0) {
		*family = TCPSTATS_AF_INET;
		memcpy(addr, (const uint8_t *)&sin6->sin6_addr + 12, 4);
		return (true);
	}
	*family = TCPSTATS_AF_INET6;
	memcpy(addr, &sin6->sin6_addr, 16);
	return (false);
}

static socklen_t
text_to_sa(const char *text, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;

	memset(ss, 0, sizeof(*ss));
	sin = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return (sizeof(*sin));
	}
	sin6 = (struct sockaddr_in6 *)ss;
	cr_assert(inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1,
	    "fixture address '%s' is neither IPv4 nor IPv6", text);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	return (sizeof(*sin6));
}

static struct tsf_sock *
fixture_add(struct tsf_fixture *fx)
{
	struct tsf_sock *s;

	cr_assert(fx->n < TSF_MAX_SOCKS, "fixture full (%d sockets)",
	    TSF_MAX_SOCKS);
	s = &fx->s[fx->n++];
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	return (s);
}

static void
fill_from_fd(struct tsf_sock *s, bool peer)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t fam;

	sl = sizeof(ss);
	cr_assert(getsockname(s->fd, (struct sockaddr *)&ss, &sl) == 0,
	    "getsockname: %s", strerror(errno));
	s->mapped = sa_to_report(&ss, &s->family, s->laddr, &s->lport);
	if (!peer)
		return;
	sl = sizeof(ss);
	cr_assert(getpeername(s->fd, (struct sockaddr *)&ss, &sl) == 0,
	    "getpeername: %s", strerror(errno));
	if (sa_to_report(&ss, &fam, s->raddr, &s->rport))
		s->mapped = true;
}

void
tsf_fixture_init(struct tsf_fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
}

void
tsf_fixture_close(struct tsf_fixture *fx)
{
	size_t i;

	for (i = 0; i < fx->n; i++) {
		if (fx->s[i].fd >= 0)
			close(fx->s[i].fd);
		fx->s[i].fd = -1;
	}
	fx->n = 0;
}

size_t
tsf_listen(struct tsf_fixture *fx, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct tsf_sock *s;
	socklen_t sl;
	int off, on;

	sl = text_to_sa(addr, port, &ss);
	s = fixture_add(fx);
	s->role = TSF_LISTENER;
	s->state = TCPSTATS_ST_LISTEN;
	s->fd = socket(ss.ss_family, SOCK_STREAM, 0);
	cr_assert(s->fd >= 0, "socket: %s", strerror(errno));
	on = 1;
	(void)setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6) {
		/* "::" is the dual-stack listener; others are IPv6 only. */
		off = strcmp(addr, "::") == 0 ? 0 : 1;
		cr_assert(setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
		    sizeof(off)) == 0, "IPV6_V6ONLY: %s", strerror(errno));
	}
	cr_assert(bind(s->fd, (struct sockaddr *)&ss, sl) == 0,
	    "bind %s port %u: %s", addr, port, strerror(errno));
	cr_assert(listen(s->fd, 64) == 0, "listen: %s", strerror(errno));
	fill_from_fd(s, false);
	return (fx->n - 1);
}

size_t
tsf_connect(struct tsf_fixture *fx, size_t li, const char *src,
    const char *dst)
{
	struct sockaddr_storage to, from;
	struct tsf_sock *c, *a, *l;
	char lbuf[INET6_ADDRSTRLEN];
	socklen_t tl, fl;
	struct pollfd pfd;
	int afd;

	cr_assert(li < fx->n && fx->s[li].role == TSF_LISTENER,
	    "fixture socket %zu is not a listener", li);
	l = &fx->s[li];
	if (dst == NULL) {
		if (l->family == TCPSTATS_AF_INET6) {
			static const uint8_t any6[16];

			if (memcmp(l->laddr, any6, 16) == 0)
				dst = "::1";
			else
				dst = inet_ntop(AF_INET6, l->laddr, lbuf,
				    sizeof(lbuf));
		} else {
			if (l->laddr[0] == 0)
				dst = "127.0.0.1";
			else
				dst = inet_ntop(AF_INET, l->laddr, lbuf,
				    sizeof(lbuf));
		}
	}
	tl = text_to_sa(dst, l->lport, &to);
	c = fixture_add(fx);
	c->role = TSF_CLIENT;
	c->state = TCPSTATS_ST_ESTABLISHED;
	c->fd = socket(to.ss_family, SOCK_STREAM, 0);
	cr_assert(c->fd >= 0, "socket: %s", strerror(errno));
	if (src != NULL) {
		fl = text_to_sa(src, 0, &from);
		cr_assert(bind(c->fd, (struct sockaddr *)&from, fl) == 0,
		    "bind client to %s: %s", src, strerror(errno));
	}
	cr_assert(connect(c->fd, (struct sockaddr *)&to, tl) == 0,
	    "connect to %s port %u: %s", dst, l->lport, strerror(errno));
	fill_from_fd(c, true);

	pfd.fd = l->fd;
	pfd.events = POLLIN;
	cr_assert(poll(&pfd, 1, TSF_STATE_WAIT_MS) == 1,
	    "listener on port %u never saw the connection", l->lport);
	afd = accept(l->fd, NULL, NULL);
	cr_assert(afd >= 0, "accept: %s", strerror(errno));
	a = fixture_add(fx);
	a->role = TSF_ACCEPTED;
	a->state = TCPSTATS_ST_ESTABLISHED;
	a->fd = afd;
	fill_from_fd(a, true);
	return (fx->n - 2);
}

/* Wait until the peer's FIN has arrived on fd (read returns 0). */
static void
wait_eof(int fd)
{
	struct pollfd pfd;
	char b;

	pfd.fd = fd;
	pfd.events = POLLIN;
	cr_assert(poll(&pfd, 1, TSF_STATE_WAIT_MS) == 1,
	    "peer's FIN never arrived");
	cr_assert(recv(fd, &b, 1, 0) == 0, "expected EOF from the peer");
}

static void
wait_state(const struct tsf_sock *s, int state)
{
	char b[160];

	if (tsf_platform_wait_state(s, state, TSF_STATE_WAIT_MS) != 0) {
		tsf_format_sock(s, b, sizeof(b));
		cr_assert_fail("socket %s never reached state %d", b, state);
	}
}

void
tsf_pair_time_wait(struct tsf_fixture *fx, size_t ci)
{
	struct tsf_sock *c, *a;

	c = &fx->s[ci];
	a = &fx->s[ci + 1];
	cr_assert(c->role == TSF_CLIENT && a->role == TSF_ACCEPTED,
	    "fixture %zu is not a connected pair", ci);
	/* The client closes first, so the client side ends in TIME_WAIT. */
	close(c->fd);
	c->fd = -1;
	wait_eof(a->fd);
	close(a->fd);
	a->fd = -1;
	a->gone = true;
	c->state = TCPSTATS_ST_TIME_WAIT;
	wait_state(c, TCPSTATS_ST_TIME_WAIT);
	wait_state(a, -1);
}

void
tsf_pair_close_wait(struct tsf_fixture *fx, size_t ci)
{
	struct tsf_sock *c, *a;

	c = &fx->s[ci];
	a = &fx->s[ci + 1];
	cr_assert(c->role == TSF_CLIENT && a->role == TSF_ACCEPTED,
	    "fixture %zu is not a connected pair", ci);
	/* The client closes; the accepted side keeps its end open. */
	close(c->fd);
	c->fd = -1;
	wait_eof(a->fd);
	a->state = TCPSTATS_ST_CLOSE_WAIT;
	c->state = TCPSTATS_ST_FIN_WAIT_2;
	wait_state(a, TCPSTATS_ST_CLOSE_WAIT);
	wait_state(c, TCPSTATS_ST_FIN_WAIT_2);
}

void
tsf_loopback_alias(const char *addr)
{
	cr_assert(tsf_platform_alias(addr) == 0,
	    "cannot add %s to loopback", addr);
}

void
tsf_format_sock(const struct tsf_sock *s, char *buf, size_t len)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];
	int af;

	af = s->family == TCPSTATS_AF_INET ? AF_INET : AF_INET6;
	inet_ntop(af, s->laddr, l, sizeof(l));
	inet_ntop(af, s->raddr, r, sizeof(r));
	snprintf(buf, len, "tcp%u %s:%u -> %s:%u state %u%s", s->family, l,
	    s->lport, r, s->rport, s->state, s->mapped ? " (mapped)" : "");
}

void
tsf_format_record(const struct tcpstats_record *rec, char *buf, size_t len)
{
	const struct tcpstats_identity *id;
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];
	int af;

	id = &rec->tr_identity;
	af = id->tid_family == TCPSTATS_AF_INET ? AF_INET : AF_INET6;
	inet_ntop(af, id->tid_laddr, l, sizeof(l));
	inet_ntop(af, id->tid_raddr, r, sizeof(r));
	snprintf(buf, len, "tcp%u %s:%u -> %s:%u state %u%s", id->tid_family,
	    l, id->tid_lport, r, id->tid_rport, rec->tr_state.tst_state,
	    (rec->tr_hdr.trh_flags & TCPSTATS_RF_MAPPED) ? " (mapped)" : "");
}
