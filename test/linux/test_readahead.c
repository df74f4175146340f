/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_readahead.c -- the read-ahead ring over a socket pair standing in
 * for the netlink socket: datagrams of netlink messages written by the
 * test, received by the helper thread (or by the reader when there is
 * none) and taken in order, the dump's end found by its sequence number,
 * errors passed on after the data, and the ring's bound kept.
 */

#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "readahead.h"

#define	SEQ	7
#define	T_DATA	20		/* SOCK_DIAG_BY_FAMILY */

static int sp[2];		/* [0] the ring's, [1] the test's */
static struct tsd_ra ra;

static void
pair_up(void)
{

	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0,
	    "socketpair: %s", strerror(errno));
	cr_assert_eq(tsd_ra_init(&ra), 0, "tsd_ra_init failed");
}

static void
pair_down(void)
{

	tsd_ra_fini(&ra);
	close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
}

TestSuite(readahead, .init = pair_up, .fini = pair_down, .timeout = 20);

/* One netlink message: header and a 4-byte tag. */
static size_t
put_msg(uint8_t *p, uint16_t type, uint32_t seq, uint32_t tag)
{
	struct nlmsghdr h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = sizeof(h) + sizeof(tag);
	h.nlmsg_type = type;
	h.nlmsg_seq = seq;
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), &tag, sizeof(tag));
	return (sizeof(h) + sizeof(tag));
}

/* Send a datagram of one message. */
static void
send_one(uint16_t type, uint32_t seq, uint32_t tag)
{
	uint8_t b[64];
	size_t n;

	n = put_msg(b, type, seq, tag);
	cr_assert_eq(send(sp[1], b, n, 0), (ssize_t)n, "send: %s",
	    strerror(errno));
}

/* The tag of the first message of a datagram taken from the ring. */
static uint32_t
first_tag(const uint8_t *buf, size_t len)
{
	uint32_t tag;

	cr_assert_geq(len, sizeof(struct nlmsghdr) + 4, "datagram of %zu "
	    "bytes is shorter than one message", len);
	memcpy(&tag, buf + sizeof(struct nlmsghdr), sizeof(tag));
	return (tag);
}

static void
take_in_order(bool helper, unsigned int spin_us)
{
	const uint8_t *buf;
	size_t len;
	uint32_t i;
	int rc;

	for (i = 0; i < 10; i++)
		send_one(T_DATA, SEQ, i);
	send_one(NLMSG_DONE, SEQ, 100);
	tsd_ra_start(&ra, sp[0], SEQ, helper, spin_us);
	for (i = 0; i < 11; i++) {
		rc = tsd_ra_next(&ra, &buf, &len);
		cr_assert_eq(rc, 0, "datagram %u: expected 0, got %d", i, rc);
		cr_expect_eq(first_tag(buf, len), i < 10 ? i : 100,
		    "datagram %u out of order: tag %u", i,
		    first_tag(buf, len));
	}
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -ENODATA, "after the end: expected -ENODATA (%d), "
	    "got %d", -ENODATA, rc);
}

Test(readahead, helper_delivers_every_datagram_in_order)
{

	take_in_order(true, 0);
}

Test(readahead, polling_reader_delivers_the_same)
{

	take_in_order(true, 200);
}

Test(readahead, reader_receiving_itself_delivers_the_same)
{

	take_in_order(false, 0);
}

/* Datagrams sent one by one, gap_us apart, then the end. */
struct trickle {
	unsigned int	n;
	unsigned int	gap_us;
};

static void *
trickle_send(void *arg)
{
	const struct trickle *t = arg;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		usleep(t->gap_us);
		send_one(T_DATA, SEQ, i);
	}
	send_one(NLMSG_DONE, SEQ, 100);
	return (NULL);
}

/*
 * A reader polling for spin_us takes datagrams that arrive slower (it
 * must fall back to sleeping, and be woken) and faster (it finds them
 * while polling) than that, each once and in order.
 */
static void
take_trickle(unsigned int spin_us, unsigned int gap_us)
{
	struct trickle t = { 20, gap_us };
	const uint8_t *buf;
	pthread_t th;
	size_t len;
	uint32_t i;
	int rc;

	tsd_ra_start(&ra, sp[0], SEQ, true, spin_us);
	cr_assert_eq(pthread_create(&th, NULL, trickle_send, &t), 0);
	for (i = 0; i <= t.n; i++) {
		rc = tsd_ra_next(&ra, &buf, &len);
		cr_assert_eq(rc, 0, "datagram %u: expected 0, got %d", i, rc);
		cr_expect_eq(first_tag(buf, len), i < t.n ? i : 100,
		    "datagram %u out of order: tag %u", i,
		    first_tag(buf, len));
	}
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -ENODATA, "after the end: expected -ENODATA (%d), "
	    "got %d", -ENODATA, rc);
	pthread_join(th, NULL);
}

Test(readahead, polling_reader_outlasted_by_the_gaps_sleeps_and_wakes)
{

	take_trickle(50, 2000);
}

Test(readahead, polling_reader_finds_datagrams_while_polling)
{

	take_trickle(10000, 200);
}

Test(readahead, end_of_another_request_does_not_stop_it)
{
	const uint8_t *buf;
	size_t len;
	unsigned int n;

	send_one(T_DATA, SEQ, 1);
	send_one(NLMSG_DONE, SEQ - 1, 2);	/* an abandoned dump's */
	send_one(NLMSG_ERROR, SEQ + 1, 3);
	send_one(T_DATA, SEQ, 4);
	send_one(NLMSG_ERROR, SEQ, 5);
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	for (n = 0; tsd_ra_next(&ra, &buf, &len) == 0; n++)
		cr_expect_eq(first_tag(buf, len), n + 1, "datagram %u: tag %u",
		    n, first_tag(buf, len));
	cr_expect_eq(n, 5, "expected 5 datagrams up to this request's "
	    "NLMSG_ERROR, got %u", n);
}

Test(readahead, end_after_data_in_one_datagram)
{
	const uint8_t *buf;
	uint8_t b[128];
	size_t len, n;
	int rc;

	n = put_msg(b, T_DATA, SEQ, 1);
	n += put_msg(b + n, T_DATA, SEQ, 2);
	n += put_msg(b + n, NLMSG_DONE, SEQ, 3);
	cr_assert_eq(send(sp[1], b, n, 0), (ssize_t)n);
	send_one(T_DATA, SEQ, 9);	/* must stay in the socket */
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	cr_assert_eq(tsd_ra_next(&ra, &buf, &len), 0);
	cr_expect_eq(len, n, "datagram of %zu bytes, expected %zu", len, n);
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -ENODATA, "a datagram past the end was taken "
	    "(rc %d)", rc);
	tsd_ra_stop(&ra);
	cr_expect_eq(recv(sp[0], b, sizeof(b), MSG_DONTWAIT),
	    (ssize_t)(sizeof(struct nlmsghdr) + 4), "the datagram after the "
	    "end was received by the ring");
}

Test(readahead, peer_gone_is_eio_after_the_data)
{
	const uint8_t *buf;
	size_t len;
	int rc;

	send_one(T_DATA, SEQ, 1);
	send_one(T_DATA, SEQ, 2);
	close(sp[1]);
	sp[1] = -1;
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	cr_expect_eq(tsd_ra_next(&ra, &buf, &len), 0, "first datagram lost");
	cr_expect_eq(tsd_ra_next(&ra, &buf, &len), 0, "second datagram lost");
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -EIO, "end of stream: expected -EIO (%d), got %d",
	    -EIO, rc);
}

Test(readahead, silent_socket_times_out)
{
	const uint8_t *buf;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	size_t len;
	int rc;

	cr_assert_eq(setsockopt(sp[0], SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -ETIMEDOUT, "expected -ETIMEDOUT (%d), got %d",
	    -ETIMEDOUT, rc);
}

Test(readahead, datagram_over_a_slot_is_emsgsize)
{
	static uint8_t big[TSD_RA_SLOT_SIZE + 4096];
	const uint8_t *buf;
	size_t len;
	int rc, sz;

	sz = (int)sizeof(big) * 4;
	(void)setsockopt(sp[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	memset(big, 0, sizeof(big));
	cr_assert_eq(send(sp[1], big, sizeof(big), 0), (ssize_t)sizeof(big),
	    "send of %zu bytes: %s", sizeof(big), strerror(errno));
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	rc = tsd_ra_next(&ra, &buf, &len);
	cr_expect_eq(rc, -EMSGSIZE, "a %zu-byte datagram: expected -EMSGSIZE "
	    "(%d), got %d", sizeof(big), -EMSGSIZE, rc);
}

/* ra_count under the ring's lock. */
static unsigned int
counted(void)
{
	unsigned int n;

	pthread_mutex_lock(&ra.ra_lock);
	n = ra.ra_count;
	pthread_mutex_unlock(&ra.ra_lock);
	return (n);
}

static void
nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

Test(readahead, ring_receives_no_more_than_its_slots)
{
	uint8_t b[64];
	unsigned int i, left;

	for (i = 0; i < 3 * TSD_RA_SLOTS; i++)
		send_one(T_DATA, SEQ, i);
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	for (i = 0; i < 200 && counted() < TSD_RA_SLOTS; i++)
		nap_ms(10);
	nap_ms(50);
	cr_expect_eq(counted(), TSD_RA_SLOTS, "expected a full ring of %d, "
	    "%u counted", TSD_RA_SLOTS, counted());

	/* Stopping a helper that waits for a free slot returns. */
	tsd_ra_stop(&ra);
	for (left = 0; recv(sp[0], b, sizeof(b), MSG_DONTWAIT) > 0; left++)
		continue;
	cr_expect_eq(left, 2 * TSD_RA_SLOTS, "the ring received %u "
	    "datagrams, expected %d", 3 * TSD_RA_SLOTS - left, TSD_RA_SLOTS);
}

Test(readahead, stop_wakes_a_helper_waiting_for_data)
{
	const uint8_t *buf;
	size_t len;

	/* A socket with no timeout: only the stop can end the wait. */
	send_one(T_DATA, SEQ, 1);
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	cr_assert_eq(tsd_ra_next(&ra, &buf, &len), 0);
	nap_ms(50);
	tsd_ra_stop(&ra);
	cr_expect_not(ra.ra_thread_on, "the helper was not joined");
}

Test(readahead, taken_slot_is_not_overwritten)
{
	const uint8_t *buf, *held;
	size_t len;
	unsigned int i;

	for (i = 0; i < 3 * TSD_RA_SLOTS; i++)
		send_one(T_DATA, SEQ, i);
	tsd_ra_start(&ra, sp[0], SEQ, true, 0);
	cr_assert_eq(tsd_ra_next(&ra, &held, &len), 0);
	/* Give the helper every chance to fill the other slots. */
	for (i = 0; i < 200 && counted() < TSD_RA_SLOTS; i++)
		nap_ms(10);
	cr_expect_eq(first_tag(held, len), 0, "the datagram being read was "
	    "overwritten (tag %u)", first_tag(held, len));
	for (i = 1; i < 3 * TSD_RA_SLOTS; i++) {
		cr_assert_eq(tsd_ra_next(&ra, &buf, &len), 0);
		cr_expect_eq(first_tag(buf, len), i, "datagram %u: tag %u", i,
		    first_tag(buf, len));
	}
}

Test(readahead, end_is_found_only_for_the_request)
{
	uint8_t b[128];
	struct nlmsghdr h;
	size_t n;

	memset(b, 0, sizeof(b));
	cr_expect_not(tsd_ra_has_end(b, 0, SEQ), "empty datagram");
	n = put_msg(b, NLMSG_DONE, SEQ, 0);
	cr_expect(tsd_ra_has_end(b, n, SEQ), "NLMSG_DONE of the request");
	cr_expect_not(tsd_ra_has_end(b, n - 1, SEQ), "a cut message is not "
	    "trusted");
	cr_expect_not(tsd_ra_has_end(b, n, SEQ + 1), "NLMSG_DONE of another "
	    "request");
	n = put_msg(b, T_DATA, SEQ, 0);
	n += put_msg(b + n, NLMSG_ERROR, SEQ, 0);
	cr_expect(tsd_ra_has_end(b, n, SEQ), "NLMSG_ERROR after a socket");

	/* A length below a header must not loop or read on. */
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = 3;
	h.nlmsg_type = NLMSG_DONE;
	h.nlmsg_seq = SEQ;
	memcpy(b, &h, sizeof(h));
	cr_expect_not(tsd_ra_has_end(b, sizeof(h), SEQ), "nlmsg_len 3 taken "
	    "for a message");
	h.nlmsg_len = 200;
	memcpy(b, &h, sizeof(h));
	cr_expect_not(tsd_ra_has_end(b, sizeof(h), SEQ), "nlmsg_len past the "
	    "datagram taken for a message");
}
