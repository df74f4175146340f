/*
 * cases.c -- the provider-side cases of shared/cases: every TCP state
 * that loopback can hold is reported under its FreeBSD name (P6), a
 * reader in a network namespace sees that stack's sockets only, and all
 * of them (P10), close_wait is counted among the states (P5).
 *
 * Each state is produced on purpose and confirmed through the system's
 * own socket table (tsf_platform_wait_state) before the device is read.
 */

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

static struct tsf_fixture fx;

static void
setup(void)
{
	tsf_live_begin();
	tsf_fixture_init(&fx);
}

static void
teardown(void)
{
	tsf_fixture_close(&fx);
	tsf_tunables_restore();
}

TestSuite(live_cases, .init = setup, .fini = teardown, .timeout = 60);

/* Read with include_state=<name> and expect exactly the sockets in st. */
static void
expect_state(const char *name, int st, size_t min)
{
	struct tsf_records recs;
	struct tsf_spec sp;
	char filter[64];

	snprintf(filter, sizeof(filter), "include_state=%s", name);
	tsf_spec_all(&sp);
	sp.states = (uint16_t)(1u << st);
	cr_assert(tsf_expected_count(&fx, &sp) >= min, "test defect: fewer "
	    "than %zu sockets in %s", min, name);
	tsf_snapshot(filter, &recs);
	tsf_expect_exact(&recs, &fx, &sp, filter);
	tsf_records_free(&recs);
}

static void
confirm(size_t i, int st)
{
	char b[160];

	if (tsf_platform_wait_state(&fx.s[i], st, 3000) != 0) {
		tsf_format_sock(&fx.s[i], b, sizeof(b));
		cr_assert_fail("the system never showed %s in state %d", b, st);
	}
	fx.s[i].state = (uint8_t)st;
}

/*
 * Fill the peer's receive buffer and our send buffer until nothing moves:
 * a round of sends after a pause that gets nothing out means the peer's
 * window is closed.
 */
static void
stuff(int fd)
{
	static char junk[65536];
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	size_t round, moved;
	ssize_t n;
	int fl;

	fl = fcntl(fd, F_GETFL);
	cr_assert(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0, "O_NONBLOCK");
	for (round = 0; round < 1000; round++) {
		for (moved = 0;; moved += (size_t)n) {
			n = send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
			if (n < 0)
				break;
		}
		cr_assert(errno == EAGAIN || errno == EWOULDBLOCK,
		    "send: %s", strerror(errno));
		if (moved == 0 && round > 0)
			return;
		nanosleep(&pause, NULL);
	}
	cr_assert_fail("the peer's window never closed");
}

/* Record a client socket made outside tsf_connect(). */
static size_t
add_client(int fd, uint16_t rport)
{
	struct sockaddr_in sin;
	struct tsf_sock *s;
	socklen_t sl;

	cr_assert(fx.n < TSF_MAX_SOCKS, "fixture full");
	s = &fx.s[fx.n];
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->role = TSF_CLIENT;
	s->family = TCPSTATS_AF_INET;
	sl = sizeof(sin);
	cr_assert(getsockname(fd, (struct sockaddr *)&sin, &sl) == 0,
	    "getsockname: %s", strerror(errno));
	memcpy(s->laddr, &sin.sin_addr, 4);
	s->lport = ntohs(sin.sin_port);
	s->raddr[0] = 127;
	s->raddr[3] = 1;
	s->rport = rport;
	return (fx.n++);
}

static int
connect_lo(uint16_t port, bool nonblock)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	if (nonblock)
		cr_assert(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) |
		    O_NONBLOCK) == 0, "O_NONBLOCK");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		cr_assert(nonblock && errno == EINPROGRESS,
		    "connect to 127.0.0.1 port %u: %s", port,
		    strerror(errno));
	return (fd);
}

Test(live_cases, p6_established_and_listen)
{
	size_t l;

	l = tsf_listen(&fx, "127.0.0.1", 0);
	(void)tsf_connect(&fx, l, NULL, NULL);
	(void)tsf_connect(&fx, l, NULL, NULL);
	expect_state("listen", TCPSTATS_ST_LISTEN, 1);
	expect_state("established", TCPSTATS_ST_ESTABLISHED, 4);
}

Test(live_cases, p6_syn_sent)
{
	size_t l, c;

	/*
	 * A listener whose accept queue is full drops further SYNs, so the
	 * next client stays in SYN_SENT, retransmitting.
	 */
	l = tsf_listen(&fx, "127.0.0.1", 0);
	cr_assert(listen(fx.s[l].fd, 0) == 0, "listen(0): %s",
	    strerror(errno));
	c = add_client(connect_lo(fx.s[l].lport, false), fx.s[l].lport);
	confirm(c, TCPSTATS_ST_ESTABLISHED);
	c = add_client(connect_lo(fx.s[l].lport, true), fx.s[l].lport);
	confirm(c, TCPSTATS_ST_SYN_SENT);
	expect_state("syn_sent", TCPSTATS_ST_SYN_SENT, 1);
}

Test(live_cases, p6_syn_received)
{
#ifdef TCP_DEFER_ACCEPT
	struct tsf_sock *a, *s;
	size_t l, c;
	int secs;

	/*
	 * With TCP_DEFER_ACCEPT the listener keeps a connection whose
	 * handshake ACK carried no data half-open, in SYN_RECEIVED.
	 */
	l = tsf_listen(&fx, "127.0.0.1", 0);
	secs = 30;
	cr_assert(setsockopt(fx.s[l].fd, IPPROTO_TCP, TCP_DEFER_ACCEPT,
	    &secs, sizeof(secs)) == 0, "TCP_DEFER_ACCEPT: %s",
	    strerror(errno));
	c = add_client(connect_lo(fx.s[l].lport, false), fx.s[l].lport);
	confirm(c, TCPSTATS_ST_ESTABLISHED);

	/* The server's half, as the system will show it. */
	cr_assert(fx.n < TSF_MAX_SOCKS, "fixture full");
	s = &fx.s[c];
	a = &fx.s[fx.n++];
	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->role = TSF_ACCEPTED;
	a->family = TCPSTATS_AF_INET;
	memcpy(a->laddr, s->raddr, 4);
	memcpy(a->raddr, s->laddr, 4);
	a->lport = s->rport;
	a->rport = s->lport;
	confirm(fx.n - 1, TCPSTATS_ST_SYN_RECEIVED);
	expect_state("syn_received", TCPSTATS_ST_SYN_RECEIVED, 1);
	expect_state("syn_rcvd", TCPSTATS_ST_SYN_RECEIVED, 1);
#else
	cr_skip_test("TCP_DEFER_ACCEPT is not available to hold a "
	    "connection in SYN_RECEIVED on this system");
#endif
}

Test(live_cases, p6_fin_wait_1)
{
	size_t l, c;

	/* Our FIN waits behind data the peer's closed window holds back. */
	l = tsf_listen(&fx, "127.0.0.1", 0);
	c = tsf_connect(&fx, l, NULL, NULL);
	stuff(fx.s[c].fd);
	cr_assert(shutdown(fx.s[c].fd, SHUT_WR) == 0, "shutdown: %s",
	    strerror(errno));
	confirm(c, TCPSTATS_ST_FIN_WAIT_1);
	expect_state("fin_wait_1", TCPSTATS_ST_FIN_WAIT_1, 1);
}

Test(live_cases, p6_last_ack)
{
	struct tsf_sock *a;
	size_t l, c;
	char b;

	/*
	 * The client half-closes and stops reading; the server fills the
	 * client's window and closes, so its FIN waits: LAST_ACK.
	 */
	l = tsf_listen(&fx, "127.0.0.1", 0);
	c = tsf_connect(&fx, l, NULL, NULL);
	a = &fx.s[c + 1];
	cr_assert(shutdown(fx.s[c].fd, SHUT_WR) == 0, "shutdown");
	cr_assert(recv(a->fd, &b, 1, 0) == 0, "expected the client's FIN");
	stuff(a->fd);
	close(a->fd);
	a->fd = -1;
	confirm(c + 1, TCPSTATS_ST_LAST_ACK);
	confirm(c, TCPSTATS_ST_FIN_WAIT_2);
	expect_state("last_ack", TCPSTATS_ST_LAST_ACK, 1);
}

Test(live_cases, p4_p5_closing_states)
{
	size_t l, c1, c2;

	l = tsf_listen(&fx, "::1", 0);
	c1 = tsf_connect(&fx, l, NULL, NULL);
	c2 = tsf_connect(&fx, l, NULL, NULL);
	tsf_pair_time_wait(&fx, c1);
	tsf_pair_close_wait(&fx, c2);
	expect_state("time_wait", TCPSTATS_ST_TIME_WAIT, 1);
	expect_state("close_wait", TCPSTATS_ST_CLOSE_WAIT, 1);
	expect_state("fin_wait_2", TCPSTATS_ST_FIN_WAIT_2, 1);
}

/*
 * P10: a second namespace holds sockets on the very same ports.  A reader
 * there counts only its own; the reader here sees exactly this fixture
 * (records from the other namespace would carry our listener's port and
 * show up as unexpected).
 */
Test(live_cases, p10_reader_sees_its_namespace_only)
{
	struct tsf_fixture other;
	struct tsf_records recs;
	struct tsf_spec sp;
	char why[256];
	int pfd[2], status;
	unsigned counts[2];
	pid_t pid;
	size_t l;

	l = tsf_listen(&fx, "127.0.0.1", 31001);
	(void)tsf_connect(&fx, l, NULL, NULL);

	cr_assert(pipe(pfd) == 0, "pipe");
	pid = fork();
	cr_assert(pid >= 0, "fork");
	if (pid == 0) {
		/* Child: its own namespace, three pairs on the same port. */
		unsigned out[2] = { 0, 0 };
		int fd;

		close(pfd[0]);
		if (tsf_platform_isolate(why, sizeof(why)) == 0) {
			tsf_fixture_init(&other);
			l = tsf_listen(&other, "127.0.0.1", 31001);
			for (int i = 0; i < 3; i++)
				(void)tsf_connect(&other, l, NULL, NULL);
			fd = tsf_open();
			tsf_read_all(fd, 65536, &recs);
			out[0] = (unsigned)recs.n;
			out[1] = (unsigned)other.n;
			close(fd);
		}
		(void)write(pfd[1], out, sizeof(out));
		_exit(0);
	}
	close(pfd[1]);
	cr_assert(read(pfd[0], counts, sizeof(counts)) == sizeof(counts),
	    "no answer from the reader in the second namespace");
	close(pfd[0]);
	(void)waitpid(pid, &status, 0);
	cr_assert(counts[1] == 7, "the second namespace's fixture did not "
	    "come up (%u sockets)", counts[1]);
	cr_expect_eq(counts[0], counts[1], "a reader in the second namespace "
	    "saw %u records, its namespace holds %u sockets", counts[0],
	    counts[1]);

	tsf_spec_all(&sp);
	tsf_snapshot("", &recs);
	tsf_expect_exact(&recs, &fx, &sp, "(none, first namespace)");
	cr_expect_eq(recs.n, fx.n, "the reader here saw %zu records, this "
	    "namespace holds %zu sockets", recs.n, fx.n);
	tsf_records_free(&recs);
}
