/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * readahead.c -- a dump's datagrams received ahead of the reader; see
 * readahead.h for the why and the locking.
 *
 * The ring: ra_count slots from ra_head on are counted (filled and not yet
 * released), the first of them held by the reader when ra_held is set; the
 * helper fills the slot after the last counted one, so it never touches
 * the one being read.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "readahead.h"

#define	RA_LOCK(ra)	pthread_mutex_lock(&(ra)->ra_lock)
#define	RA_UNLOCK(ra)	pthread_mutex_unlock(&(ra)->ra_lock)
#define	RA_HELPER_STACK	(64 * 1024)	/* bytes; the helper needs little */

#define	NL_ALIGN4(x)	(((size_t)(x) + 3u) & ~(size_t)3u)
#define	RA_SPIN_CHECK	64	/* polls between two looks at the clock */

/* Tell the CPU this is a polling loop (saves power, yields to a sibling). */
static inline void
ra_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static uint64_t
ra_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

/*
 * Poll, unlocked, for a counted datagram or the end, for at most
 * ra_spin_us.  Returns with ra_lock held again, whatever it found.
 */
static void
ra_poll_ring(struct tsd_ra *ra)
{
	uint64_t until;
	unsigned int k;

	RA_UNLOCK(ra);
	until = ra_now_us() + ra->ra_spin_us;
	for (k = 1;; k++) {
		if (atomic_load(&ra->ra_count) > 0 || atomic_load(&ra->ra_end))
			break;
		ra_cpu_relax();
		if (k % RA_SPIN_CHECK != 0)
			continue;
		if (ra_now_us() >= until)
			break;
		/* Should the helper share this CPU, let it run. */
		sched_yield();
	}
	RA_LOCK(ra);
}

bool
tsd_ra_has_end(const uint8_t *buf, size_t len, uint32_t seq)
{
	struct nlmsghdr h;
	size_t off;

	/* Each message is at least a header long: at most len / 16 steps. */
	for (off = 0; len - off >= sizeof(h);
	    off += NL_ALIGN4(h.nlmsg_len)) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			return (false);
		if (h.nlmsg_seq == seq && (h.nlmsg_type == NLMSG_DONE ||
		    h.nlmsg_type == NLMSG_ERROR))
			return (true);
		if (NL_ALIGN4(h.nlmsg_len) >= len - off)
			break;
	}
	return (false);
}

/*
 * Receive one datagram into slot.  Returns 0 and whether it ends the dump,
 * or an errno: ECANCELED when the helper was asked to stop.  Called
 * without ra_lock: the slot is the caller's.
 *
 * The reader receiving for itself blocks in recv(2), bounded by the
 * socket's SO_RCVTIMEO.  The helper must stay stoppable, so it receives
 * without blocking and waits in poll(2) on the socket and ra_wake, for as
 * long as SO_RCVTIMEO says.  During a dump the kernel queues the next
 * datagram as the last one is received, so the helper rarely waits.
 */
static int
ra_recv(struct tsd_ra *ra, unsigned int slot, bool helper, bool *end)
{
	struct pollfd pfd[2];
	ssize_t n;
	int r;

	*end = false;
	for (;;) {
		/* MSG_TRUNC: the datagram's real length, to catch a cut. */
		n = recv(ra->ra_fd, ra->ra_buf[slot], TSD_RA_SLOT_SIZE,
		    MSG_TRUNC | (helper ? MSG_DONTWAIT : 0));
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return (errno);
		if (!helper)
			return (ETIMEDOUT);
		/*
		 * The kernel has nothing queued: a reader asleep for a whole
		 * batch gets what is in the ring now instead.
		 */
		RA_LOCK(ra);
		ra->ra_helper_polling = true;
		if (ra->ra_reader_asleep && ra->ra_count > 0)
			pthread_cond_signal(&ra->ra_data_cv);
		RA_UNLOCK(ra);
		pfd[0].fd = ra->ra_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = ra->ra_wake;
		pfd[1].events = POLLIN;
		r = poll(pfd, 2, ra->ra_timeout_ms);
		RA_LOCK(ra);
		ra->ra_helper_polling = false;
		RA_UNLOCK(ra);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return (errno);
		if (r == 0)
			return (ETIMEDOUT);
		if ((pfd[1].revents & POLLIN) != 0)
			return (ECANCELED);
	}
	if (n == 0)
		return (EIO);
	if ((size_t)n > TSD_RA_SLOT_SIZE)
		return (EMSGSIZE);
	ra->ra_len[slot] = (size_t)n;
	*end = tsd_ra_has_end(ra->ra_buf[slot], (size_t)n, ra->ra_seq);
	return (0);
}

static void *
ra_helper(void *arg)
{
	struct tsd_ra *ra = arg;
	unsigned int slot;
	int error;
	bool end;

	RA_LOCK(ra);
	for (;;) {
		/* Is there a free slot, or are we to stop? */
		while (!ra->ra_stop && ra->ra_count == TSD_RA_SLOTS) {
			ra->ra_helper_asleep = true;
			pthread_cond_wait(&ra->ra_free_cv, &ra->ra_lock);
			ra->ra_helper_asleep = false;
		}
		if (ra->ra_stop)
			break;
		slot = (ra->ra_head + ra->ra_count) % TSD_RA_SLOTS;

		/* The kernel builds the datagram here, unlocked. */
		RA_UNLOCK(ra);
		error = ra_recv(ra, slot, true, &end);
		RA_LOCK(ra);
		if (error == ECANCELED)
			break;
		if (error != 0) {
			ra->ra_error = error;
			break;
		}
		ra->ra_count++;
		if (end)
			break;
		if (ra->ra_reader_asleep && ra->ra_count >= TSD_RA_BATCH)
			pthread_cond_signal(&ra->ra_data_cv);
	}
	ra->ra_end = true;
	if (ra->ra_reader_asleep)
		pthread_cond_signal(&ra->ra_data_cv);
	RA_UNLOCK(ra);
	return (NULL);
}

static void
ra_clear(struct tsd_ra *ra)
{

	ra->ra_sync = false;
	ra->ra_stop = false;
	ra->ra_end = false;
	ra->ra_held = false;
	ra->ra_reader_asleep = false;
	ra->ra_helper_asleep = false;
	ra->ra_helper_polling = false;
	ra->ra_error = 0;
	ra->ra_head = 0;
	ra->ra_count = 0;
}

/* Wake a helper waiting in poll(2), or drain the wake-up once it is gone. */
static void
ra_wake(struct tsd_ra *ra, bool on)
{
	uint64_t v;

	v = 1;
	if (on)
		(void)write(ra->ra_wake, &v, sizeof(v));
	else
		(void)read(ra->ra_wake, &v, sizeof(v));
}

int
tsd_ra_init(struct tsd_ra *ra)
{
	unsigned int i;

	memset(ra, 0, sizeof(*ra));
	atomic_init(&ra->ra_count, 0);
	atomic_init(&ra->ra_end, false);
	ra->ra_fd = -1;
	ra->ra_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ra->ra_wake < 0)
		return (-errno);
	for (i = 0; i < TSD_RA_SLOTS; i++) {
		ra->ra_buf[i] = malloc(TSD_RA_SLOT_SIZE);
		if (ra->ra_buf[i] == NULL) {
			while (i-- > 0)
				free(ra->ra_buf[i]);
			close(ra->ra_wake);
			return (-ENOMEM);
		}
	}
	pthread_mutex_init(&ra->ra_lock, NULL);
	pthread_cond_init(&ra->ra_data_cv, NULL);
	pthread_cond_init(&ra->ra_free_cv, NULL);
	return (0);
}

void
tsd_ra_fini(struct tsd_ra *ra)
{
	unsigned int i;

	tsd_ra_stop(ra);
	pthread_cond_destroy(&ra->ra_data_cv);
	pthread_cond_destroy(&ra->ra_free_cv);
	pthread_mutex_destroy(&ra->ra_lock);
	for (i = 0; i < TSD_RA_SLOTS; i++)
		free(ra->ra_buf[i]);
	close(ra->ra_wake);
}

void
tsd_ra_start(struct tsd_ra *ra, int fd, uint32_t seq, bool helper,
    unsigned int spin_us)
{
	pthread_attr_t attr;
	struct timeval tv;
	socklen_t tvlen;
	sigset_t all, old;
	int error;

	tsd_ra_stop(ra);
	ra->ra_fd = fd;
	ra->ra_seq = seq;
	ra->ra_spin_us = spin_us;
	/* The helper waits as long as a blocking recv(2) would. */
	tvlen = sizeof(tv);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tvlen) == 0 &&
	    (tv.tv_sec > 0 || tv.tv_usec > 0))
		ra->ra_timeout_ms = tv.tv_sec > 86400 ? 86400000 :
		    (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	else
		ra->ra_timeout_ms = -1;
	if (!helper) {
		ra->ra_sync = true;
		return;
	}

	/*
	 * The helper takes no signals: they are the FUSE loop's business,
	 * and the reader's interruption is checked by the reader.
	 */
	error = pthread_attr_init(&attr);
	if (error == 0) {
		(void)pthread_attr_setstacksize(&attr, RA_HELPER_STACK);
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		error = pthread_create(&ra->ra_thread, &attr, ra_helper, ra);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
	}
	if (error == 0)
		ra->ra_thread_on = true;
	else
		ra->ra_sync = true;	/* the reader receives, one at a time */
}

/* tsd_ra_next() without a helper. */
static int
ra_next_sync(struct tsd_ra *ra, const uint8_t **buf, size_t *len)
{
	int error;
	bool end;

	ra->ra_held = false;
	ra->ra_count = 0;
	if (ra->ra_end)
		return (ra->ra_error != 0 ? -ra->ra_error : -ENODATA);
	error = ra_recv(ra, 0, false, &end);
	if (error != 0) {
		ra->ra_error = error;
		ra->ra_end = true;
		return (-error);
	}
	ra->ra_end = end;
	ra->ra_head = 0;
	ra->ra_count = 1;
	ra->ra_held = true;
	*buf = ra->ra_buf[0];
	*len = ra->ra_len[0];
	return (0);
}

int
tsd_ra_next(struct tsd_ra *ra, const uint8_t **buf, size_t *len)
{
	int error;

	if (ra->ra_sync)
		return (ra_next_sync(ra, buf, len));
	if (!ra->ra_thread_on)
		return (-ENODATA);	/* not started */

	RA_LOCK(ra);
	/* The datagram taken last is used up: its slot is the helper's. */
	if (ra->ra_held) {
		ra->ra_held = false;
		ra->ra_head = (ra->ra_head + 1) % TSD_RA_SLOTS;
		ra->ra_count--;
		if (ra->ra_helper_asleep)
			pthread_cond_signal(&ra->ra_free_cv);
	}
	/* Out of datagrams: poll a while, then sleep until a batch is in. */
	if (ra->ra_count == 0 && !ra->ra_end && ra->ra_spin_us > 0)
		ra_poll_ring(ra);
	if (ra->ra_count == 0 && !ra->ra_end) {
		ra->ra_reader_asleep = true;
		while (ra->ra_count < TSD_RA_BATCH && !ra->ra_end &&
		    !(ra->ra_count > 0 && ra->ra_helper_polling))
			pthread_cond_wait(&ra->ra_data_cv, &ra->ra_lock);
		ra->ra_reader_asleep = false;
	}
	if (ra->ra_count == 0) {
		error = ra->ra_error != 0 ? -ra->ra_error : -ENODATA;
		RA_UNLOCK(ra);
		return (error);
	}
	ra->ra_held = true;
	*buf = ra->ra_buf[ra->ra_head];
	*len = ra->ra_len[ra->ra_head];
	RA_UNLOCK(ra);
	return (0);
}

void
tsd_ra_stop(struct tsd_ra *ra)
{

	if (ra->ra_thread_on) {
		RA_LOCK(ra);
		ra->ra_stop = true;
		pthread_cond_signal(&ra->ra_free_cv);
		RA_UNLOCK(ra);
		ra_wake(ra, true);
		pthread_join(ra->ra_thread, NULL);
		ra->ra_thread_on = false;
		ra_wake(ra, false);
	}
	ra_clear(ra);
}
