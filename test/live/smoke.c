/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * smoke.c -- live smoke test of a provider: open the device, set a filter,
 * read to the end, and compare the records with the sockets this test made
 * itself.
 *
 * Each test runs (Criterion forks it) in a network namespace of its own,
 * so the only sockets there are the test's: a listener and two clients on
 * 127.0.0.1 and the same on ::1, with every connection accepted.  The
 * oracle is that socket list, written down as the sockets are made.
 */

#define	_GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <net/if.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"

#define	NCLIENTS	2
#define	MAXSOCK		16
#define	READBUF		(64 * 1024)

struct expect {
	uint8_t		family;		/* TCPSTATS_AF_* */
	uint8_t		state;		/* TCPSTATS_ST_* */
	uint16_t	lport, rport;
	uint8_t		laddr[16], raddr[16];
	bool		seen;
};

static struct {
	int		fd[MAXSOCK];
	size_t		nfd;
	struct expect	e[MAXSOCK];
	size_t		ne;
	uint16_t	port4, port6;	/* the listeners' ports */
	int		l4;		/* the IPv4 listener */
} S;

static const char *
device(void)
{

	return (getenv("TCPSTATS_DEV"));
}

static void
lo_up(void)
{
	struct ifreq ifr;
	int s;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	cr_assert(s >= 0, "socket for SIOCSIFFLAGS: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	cr_assert(ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS lo: %s",
	    strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	cr_assert(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "SIOCSIFFLAGS lo: %s",
	    strerror(errno));
	close(s);
}

/* Address and port of a socket, the record's way (IPv4 in bytes 0-3). */
static void
sock_name(int fd, bool peer, uint8_t addr[16], uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	sl = sizeof(ss);
	memset(addr, 0, 16);
	cr_assert((peer ? getpeername(fd, (struct sockaddr *)&ss, &sl) :
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) == 0,
	    "get%sname: %s", peer ? "peer" : "sock", strerror(errno));
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		memcpy(addr, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		memcpy(addr, &sin6->sin6_addr, 16);
		*port = ntohs(sin6->sin6_port);
	}
}

static void
expect_sock(int fd, uint8_t family, uint8_t state, bool listener)
{
	struct expect *e;

	cr_assert(S.ne < MAXSOCK, "too many sockets for the oracle");
	e = &S.e[S.ne++];
	memset(e, 0, sizeof(*e));
	e->family = family;
	e->state = state;
	sock_name(fd, false, e->laddr, &e->lport);
	if (!listener)
		sock_name(fd, true, e->raddr, &e->rport);
}

static int
keep(int fd)
{

	cr_assert(S.nfd < MAXSOCK, "too many sockets");
	S.fd[S.nfd++] = fd;
	return (fd);
}

/* A listener on addr (port chosen by the kernel) and its clients. */
static uint16_t
make_family(int af, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t tfam, a[16];
	uint16_t port;
	int l, c, acc, i, one;

	memset(&ss, 0, sizeof(ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		cr_assert(inet_pton(AF_INET, addr, &sin->sin_addr) == 1);
		sl = sizeof(*sin);
		tfam = TCPSTATS_AF_INET;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		cr_assert(inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1);
		sl = sizeof(*sin6);
		tfam = TCPSTATS_AF_INET6;
	}
	l = keep(socket(af, SOCK_STREAM, 0));
	cr_assert(l >= 0, "socket: %s", strerror(errno));
	one = 1;
	if (af == AF_INET6)
		(void)setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	cr_assert(bind(l, (struct sockaddr *)&ss, sl) == 0, "bind %s: %s",
	    addr, strerror(errno));
	cr_assert(listen(l, 16) == 0, "listen: %s", strerror(errno));
	sock_name(l, false, a, &port);
	expect_sock(l, tfam, TCPSTATS_ST_LISTEN, true);
	if (af == AF_INET)
		S.l4 = l;

	/* The clients connect to the listener's own address and port. */
	cr_assert(getsockname(l, (struct sockaddr *)&ss, &sl) == 0);
	for (i = 0; i < NCLIENTS; i++) {
		c = keep(socket(af, SOCK_STREAM, 0));
		cr_assert(c >= 0, "socket: %s", strerror(errno));
		cr_assert(connect(c, (struct sockaddr *)&ss, sl) == 0,
		    "connect to %s port %u: %s", addr, port, strerror(errno));
		acc = keep(accept(l, NULL, NULL));
		cr_assert(acc >= 0, "accept: %s", strerror(errno));
		expect_sock(c, tfam, TCPSTATS_ST_ESTABLISHED, false);
		expect_sock(acc, tfam, TCPSTATS_ST_ESTABLISHED, false);
	}
	return (port);
}

static void
setup(void)
{
	struct stat st;
	const char *dev;

	if (geteuid() != 0)
		cr_skip_test("live test needs root (network namespace, "
		    "device access)");
	dev = device();
	if (dev == NULL || *dev == '\0')
		cr_skip_test("TCPSTATS_DEV is not set (run through ctest "
		    "with the tcpstatsd fixture)");
	if (stat(dev, &st) != 0)
		cr_skip_test("device %s: %s (is tcpstatsd running?)", dev,
		    strerror(errno));
	cr_assert(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s",
	    strerror(errno));
	lo_up();
	memset(&S, 0, sizeof(S));
	S.port4 = make_family(AF_INET, "127.0.0.1");
	S.port6 = make_family(AF_INET6, "::1");
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < S.nfd; i++)
		close(S.fd[i]);
	S.nfd = 0;
}

static int
open_dev(void)
{
	int fd;

	fd = open(device(), O_RDONLY);
	cr_assert(fd >= 0, "open %s: %s", device(), strerror(errno));
	return (fd);
}

static void
set_filter(int fd, const char *text)
{
	struct tcpstats_filter_arg fa;
	struct tcpstats_errinfo ei;

	memset(&fa, 0, sizeof(fa));
	snprintf(fa.tfa_text, sizeof(fa.tfa_text), "%s", text);
	if (ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa) != 0) {
		memset(&ei, 0, sizeof(ei));
		(void)ioctl(fd, TCPSTATS_IOC_LASTERR, &ei);
		cr_assert_fail("SETFILTER '%s' rejected: %s (column %u: %s)",
		    text, strerror(errno), ei.tei_column, ei.tei_message);
	}
}

/*
 * Read to the end of the snapshot, decode every record and tick it off
 * the oracle; *nrec gets the number of records.  Every record must be an
 * expected one, and be seen once.
 */
static void
read_and_match(int fd, size_t *nrec)
{
	struct tcpstats_record r;
	static char buf[READBUF];
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	ssize_t n;
	size_t off, used, i;
	int reads;

	*nrec = 0;
	for (reads = 0; reads < 1000; reads++) {
		n = read(fd, buf, sizeof(buf));
		cr_assert(n >= 0, "read: %s", strerror(errno));
		if (n == 0)
			return;
		for (off = 0; off < (size_t)n; off += used) {
			cr_assert(tcpstats_decode(buf + off, (size_t)n - off,
			    &r, &used) == 0, "record at offset %zu of a "
			    "%zd-byte read does not decode", off, n);
			(*nrec)++;
			for (i = 0; i < S.ne; i++) {
				struct expect *e = &S.e[i];

				if (!e->seen && e->family ==
				    r.tr_identity.tid_family &&
				    e->lport == r.tr_identity.tid_lport &&
				    e->rport == r.tr_identity.tid_rport &&
				    memcmp(e->laddr, r.tr_identity.tid_laddr,
				    16) == 0 &&
				    memcmp(e->raddr, r.tr_identity.tid_raddr,
				    16) == 0)
					break;
			}
			inet_ntop(r.tr_identity.tid_family == 4 ? AF_INET :
			    AF_INET6, r.tr_identity.tid_laddr, la, sizeof(la));
			inet_ntop(r.tr_identity.tid_family == 4 ? AF_INET :
			    AF_INET6, r.tr_identity.tid_raddr, ra, sizeof(ra));
			cr_assert(i < S.ne, "record %s port %u -> %s port %u "
			    "(state %u) is not a socket this test made, or "
			    "was reported twice", la, r.tr_identity.tid_lport,
			    ra, r.tr_identity.tid_rport, r.tr_state.tst_state);
			cr_expect_eq(r.tr_state.tst_state, S.e[i].state,
			    "%s port %u -> %s port %u: expected state %s, got "
			    "%u", la, S.e[i].lport, ra, S.e[i].rport,
			    tcpstats_state_name(S.e[i].state),
			    r.tr_state.tst_state);
			S.e[i].seen = true;
		}
	}
	cr_assert_fail("no end of snapshot after 1000 reads");
}

TestSuite(live_smoke, .init = setup, .fini = teardown, .timeout = 30);

Test(live_smoke, version_reports_the_abi)
{
	struct tcpstats_version v;
	int fd;

	fd = open_dev();
	memset(&v, 0, sizeof(v));
	cr_assert(ioctl(fd, TCPSTATS_IOC_VERSION, &v) == 0, "VERSION: %s",
	    strerror(errno));
	cr_expect_eq(v.tv_abi, TCPSTATS_ABI_VERSION, "abi: expected %d, got "
	    "%u", TCPSTATS_ABI_VERSION, v.tv_abi);
	cr_expect_eq(v.tv_full_size, sizeof(struct tcpstats_record),
	    "full record: expected %zu bytes, got %u",
	    sizeof(struct tcpstats_record), v.tv_full_size);
	cr_expect_eq(v.tv_hdr_size, sizeof(struct tcpstats_rec_hdr),
	    "header: expected %zu bytes, got %u",
	    sizeof(struct tcpstats_rec_hdr), v.tv_hdr_size);
	close(fd);
}

Test(live_smoke, unfiltered_read_reports_every_socket_of_the_namespace)
{
	size_t i, nrec;
	int fd;

	fd = open_dev();
	read_and_match(fd, &nrec);
	close(fd);
	cr_expect_eq(nrec, S.ne, "expected %zu records (the namespace's "
	    "sockets), got %zu", S.ne, nrec);
	for (i = 0; i < S.ne; i++)
		cr_expect(S.e[i].seen, "socket port %u -> port %u (state %s) "
		    "was not reported", S.e[i].lport, S.e[i].rport,
		    tcpstats_state_name(S.e[i].state));
}

Test(live_smoke, local_port_filter_reports_listener_and_accepted)
{
	char text[64];
	size_t i, want, nrec;
	int fd;

	fd = open_dev();
	snprintf(text, sizeof(text), "local_port=%u", S.port4);
	set_filter(fd, text);
	read_and_match(fd, &nrec);
	close(fd);

	/* The oracle: sockets whose local port is the IPv4 listener's. */
	want = 0;
	for (i = 0; i < S.ne; i++) {
		if (S.e[i].lport == S.port4) {
			want++;
			cr_expect(S.e[i].seen, "socket on local port %u "
			    "(state %s) was not reported", S.e[i].lport,
			    tcpstats_state_name(S.e[i].state));
		}
	}
	cr_expect_eq(want, 1 + NCLIENTS, "oracle: expected a listener and "
	    "%d accepted sockets, has %zu", NCLIENTS, want);
	cr_expect_eq(nrec, want, "expected %zu records for '%s', got %zu",
	    want, text, nrec);
}

Test(live_smoke, counters_hold_the_invariant_after_a_read)
{
	struct tcpstats_counters c;
	uint64_t skipped;
	size_t nrec;
	int fd, i;

	fd = open_dev();
	set_filter(fd, "ipv6_only exclude=listen");
	read_and_match(fd, &nrec);
	memset(&c, 0, sizeof(c));
	cr_assert(ioctl(fd, TCPSTATS_IOC_READER_STATS, &c) == 0,
	    "READER_STATS: %s", strerror(errno));
	close(fd);
	skipped = 0;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		skipped += c.tsc_skipped[i];
	cr_expect_eq(nrec, 2 * NCLIENTS, "expected %d IPv6 established "
	    "records, got %zu", 2 * NCLIENTS, nrec);
	cr_expect_eq(c.tsc_records_emitted, nrec, "records_emitted: "
	    "expected %zu, got %llu", nrec,
	    (unsigned long long)c.tsc_records_emitted);
	cr_expect_eq(c.tsc_sockets_visited, c.tsc_records_emitted + skipped,
	    "visited %llu != emitted %llu + skipped %llu",
	    (unsigned long long)c.tsc_sockets_visited,
	    (unsigned long long)c.tsc_records_emitted,
	    (unsigned long long)skipped);
}

Test(live_smoke, write_open_is_refused)
{
	int fd;

	fd = open(device(), O_WRONLY);
	cr_expect_eq(fd, -1, "open for write succeeded");
	cr_expect_eq(errno, EPERM, "expected EPERM, got %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

Test(live_smoke, counter_files_are_present)
{
	static const char *const names[] = { "opens_total", "active_fds",
	    "reads_total", "sockets_visited", "records_emitted",
	    "max_open_fds" };
	char path[4096], line[64];
	const char *mnt;
	FILE *fp;
	size_t i;

	mnt = getenv("TCPSTATS_MNT");
	if (mnt == NULL)
		cr_skip_test("TCPSTATS_MNT is not set");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/sysctl/%s", mnt, names[i]);
		fp = fopen(path, "r");
		cr_assert(fp != NULL, "%s: %s", path, strerror(errno));
		cr_expect(fgets(line, sizeof(line), fp) != NULL &&
		    line[0] >= '0' && line[0] <= '9',
		    "%s: expected a decimal value", path);
		fclose(fp);
	}
}

/* Ports and addresses together: the provider's pushdown and the matcher. */
Test(live_smoke, address_and_port_filters_select_exactly)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	char text[128];
	size_t i, want, nrec;
	int fd;

	fd = open_dev();
	snprintf(text, sizeof(text), "remote_addr=::1 local_port=%u,%u",
	    S.port4, S.port6);
	set_filter(fd, text);
	read_and_match(fd, &nrec);
	close(fd);
	want = 0;
	for (i = 0; i < S.ne; i++) {
		if (S.e[i].family == TCPSTATS_AF_INET6 &&
		    memcmp(S.e[i].raddr, lo6, 16) == 0 &&
		    (S.e[i].lport == S.port4 || S.e[i].lport == S.port6)) {
			want++;
			cr_expect(S.e[i].seen, "accepted socket %u -> %u not "
			    "reported", S.e[i].lport, S.e[i].rport);
		}
	}
	cr_expect_eq(want, NCLIENTS, "oracle: expected %d accepted IPv6 "
	    "sockets, has %zu", NCLIENTS, want);
	cr_expect_eq(nrec, want, "'%s': expected %zu records, got %zu", text,
	    want, nrec);

	for (i = 0; i < S.ne; i++)
		S.e[i].seen = false;
	fd = open_dev();
	snprintf(text, sizeof(text), "local_addr=127.0.0.0/8 remote_port=%u",
	    S.port4);
	set_filter(fd, text);
	read_and_match(fd, &nrec);
	close(fd);
	want = 0;
	for (i = 0; i < S.ne; i++) {
		if (S.e[i].family == TCPSTATS_AF_INET &&
		    S.e[i].rport == S.port4) {
			want++;
			cr_expect(S.e[i].seen, "client %u -> %u not reported",
			    S.e[i].lport, S.e[i].rport);
		}
	}
	cr_expect_eq(nrec, want, "'%s': expected %zu records (the IPv4 "
	    "clients), got %zu", text, want, nrec);
}

/* A client of the IPv4 listener and its accepted peer. */
static void
pair4(int *c, int *acc)
{
	struct sockaddr_in sin;
	socklen_t sl;

	sl = sizeof(sin);
	cr_assert(getsockname(S.l4, (struct sockaddr *)&sin, &sl) == 0);
	*c = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(*c >= 0, "socket: %s", strerror(errno));
	cr_assert(connect(*c, (struct sockaddr *)&sin, sl) == 0,
	    "connect: %s", strerror(errno));
	*acc = accept(S.l4, NULL, NULL);
	cr_assert(*acc >= 0, "accept: %s", strerror(errno));
}

static size_t
count_seen(void)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < S.ne; i++) {
		n += S.e[i].seen ? 1 : 0;
		S.e[i].seen = false;
	}
	return (n);
}

/*
 * Cases P4, P5, P6: FIN_WAIT_2 and CLOSE_WAIT (a half-closed pair) and
 * TIME_WAIT (a pair closed client first) as made on loopback, reported in
 * their FreeBSD-named states; exclude=time_wait and its alias remove
 * exactly the TIME_WAIT socket.
 */
Test(live_smoke, closing_states_are_reported_and_filtered)
{
	static const char *const excl[] = { "exclude=time_wait",
	    "exclude=timewait" };
	char text[96];
	size_t i, j, nrec;
	int a, acc_a, b, acc_b, fd;

	pair4(&a, &acc_a);
	keep(a);
	keep(acc_a);
	cr_assert(shutdown(a, SHUT_WR) == 0, "shutdown: %s", strerror(errno));
	pair4(&b, &acc_b);
	expect_sock(b, TCPSTATS_AF_INET, TCPSTATS_ST_TIME_WAIT, false);
	close(b);
	usleep(50000);
	close(acc_b);
	usleep(100000);
	expect_sock(a, TCPSTATS_AF_INET, TCPSTATS_ST_FIN_WAIT_2, false);
	expect_sock(acc_a, TCPSTATS_AF_INET, TCPSTATS_ST_CLOSE_WAIT, false);

	/* Every socket whose remote port is the listener's: the clients. */
	fd = open_dev();
	snprintf(text, sizeof(text), "remote_port=%u", S.port4);
	set_filter(fd, text);
	read_and_match(fd, &nrec);
	close(fd);
	for (i = 0; i < S.ne; i++)
		if (S.e[i].rport == S.port4)
			cr_expect(S.e[i].seen, "client port %u (state %s) not "
			    "reported", S.e[i].lport,
			    tcpstats_state_name(S.e[i].state));
	cr_expect_eq(nrec, NCLIENTS + 2, "'%s': expected %d records, got %zu",
	    text, NCLIENTS + 2, nrec);
	(void)count_seen();

	for (j = 0; j < 2; j++) {
		fd = open_dev();
		snprintf(text, sizeof(text), "remote_port=%u %s", S.port4,
		    excl[j]);
		set_filter(fd, text);
		read_and_match(fd, &nrec);
		close(fd);
		for (i = 0; i < S.ne; i++)
			if (S.e[i].state == TCPSTATS_ST_TIME_WAIT)
				cr_expect(!S.e[i].seen, "'%s' reported the "
				    "TIME_WAIT socket", text);
		cr_expect_eq(nrec, NCLIENTS + 1, "'%s': expected %d records, "
		    "got %zu", text, NCLIENTS + 1, nrec);
		(void)count_seen();
	}

	fd = open_dev();
	snprintf(text, sizeof(text), "local_port=%u include_state=closewait",
	    S.port4);
	set_filter(fd, text);
	read_and_match(fd, &nrec);
	close(fd);
	cr_expect_eq(nrec, 1, "'%s': expected the one CLOSE_WAIT socket, got "
	    "%zu records", text, nrec);
}
