/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * readahead.h -- a dump's datagrams received ahead of the reader.
 *
 * A snapshot's cost is mostly the kernel building the dump, which happens
 * inside recv(2).  While a dump is in flight a helper thread receives its
 * datagrams into a ring of TSD_RA_SLOTS buffers, so that the kernel works
 * on one CPU while the reader's thread judges, encodes and replies on
 * another.  The helper stops after the datagram that holds the dump's
 * NLMSG_DONE or NLMSG_ERROR (for the request's sequence number), on a
 * receive error, or when asked.  Memory is the ring, whatever the socket
 * count.  If no thread can be made, the reader's thread receives each
 * datagram itself when it needs it: slower, same results.
 *
 * Hand-offs are batched: a reader that finds the ring empty sleeps until
 * TSD_RA_BATCH datagrams are in it, the dump has ended, or the helper
 * finds the kernel has nothing queued and waits for it; and each side
 * is woken only when it is asleep.  A wake-up costs a cross-CPU interrupt,
 * tens of microseconds on a virtual machine, while a datagram takes the
 * reader a fraction of the time the kernel needs to build it: waking the
 * reader for every datagram made the helper spend more on wake-ups than
 * the reader saved.  The helper runs one slot ahead of the batch, so it
 * rarely finds the ring full.  Better still, a reader out of datagrams
 * first polls the ring for up to ra_spin_us: the next datagram is usually
 * less than that away, and the helper then wakes no one at all.  That
 * trades CPU time (the reader's CPU stays busy through the dump) for a
 * shorter snapshot; it is pointless, and the caller should not ask for a
 * helper, when the daemon has only one CPU.
 *
 * Locking: ra_lock protects the indices, counts and flags; a slot's buffer
 * belongs to the helper from when it is free until it is counted, and to
 * the reader from then until tsd_ra_next() or tsd_ra_stop() releases it.
 * One reader thread calls the functions below for a given ring, never two
 * at once (dev.c holds the reader's lock).
 */

#ifndef _TSD_READAHEAD_H_
#define	_TSD_READAHEAD_H_

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define	TSD_RA_SLOTS	4	/* datagrams received ahead, at most */
#define	TSD_RA_SLOT_SIZE 32768	/* one dump datagram (the kernel's cap) */
#define	TSD_RA_BATCH	(TSD_RA_SLOTS - 1) /* datagrams a waiting reader
					   is woken for */

struct tsd_ra {
	pthread_mutex_t	ra_lock;
	pthread_cond_t	ra_data_cv;	/* a batch filled, or the end */
	pthread_cond_t	ra_free_cv;	/* a slot freed, or stop */
	pthread_t	ra_thread;
	bool		ra_thread_on;	/* a helper to join */
	bool		ra_sync;	/* no helper: the reader receives */
	bool		ra_stop;	/* the helper is to stop */
	atomic_bool	ra_end;		/* nothing more will be counted */
	bool		ra_held;	/* the reader holds the head slot */
	bool		ra_reader_asleep; /* on ra_data_cv */
	bool		ra_helper_asleep; /* on ra_free_cv */
	bool		ra_helper_polling; /* waiting for the kernel */
	int		ra_error;	/* errno that ended the receiving */
	int		ra_fd;		/* the netlink socket */
	int		ra_wake;	/* eventfd: stop waiting in poll(2) */
	int		ra_timeout_ms;	/* SO_RCVTIMEO of ra_fd; -1: none */
	unsigned int	ra_spin_us;	/* polling before sleeping; 0: none */
	uint32_t	ra_seq;		/* the request being answered */
	unsigned int	ra_head;	/* oldest counted slot */
	atomic_uint	ra_count;	/* counted slots, held one included;
					   also read unlocked while polling */
	size_t		ra_len[TSD_RA_SLOTS];
	uint8_t		*ra_buf[TSD_RA_SLOTS];
};

/* Allocate the ring.  Returns 0 or -errno (ENOMEM, EMFILE). */
int	tsd_ra_init(struct tsd_ra *ra);
/* Stop any helper and free the ring. */
void	tsd_ra_fini(struct tsd_ra *ra);

/*
 * Begin receiving the answer to request seq on fd (the request has been
 * sent), with a helper thread when helper is true and one can be made,
 * else in the reader-receives mode.  A reader waiting for the helper polls
 * for up to spin_us microseconds before it sleeps.  A ring in use is
 * stopped first.
 */
void	tsd_ra_start(struct tsd_ra *ra, int fd, uint32_t seq, bool helper,
	    unsigned int spin_us);

/*
 * Release the datagram taken last, if any, and take the next one, waiting
 * for it.  Returns 0 with *buf and *len, -ENODATA when the helper stopped
 * after the datagram with the dump's end (there is nothing more), or
 * -errno of the receive that failed (-ETIMEDOUT for a socket timeout).
 */
int	tsd_ra_next(struct tsd_ra *ra, const uint8_t **buf, size_t *len);

/*
 * Stop the helper, join it and empty the ring: a helper waiting for a
 * free slot or for a datagram is woken, one in recv(2) returns with what
 * the kernel had queued.  Datagrams not yet taken are dropped; the socket
 * may then hold the rest of a dump.  Safe on a stopped ring.
 */
void	tsd_ra_stop(struct tsd_ra *ra);

/*
 * Does the datagram buf[0..len) hold the end (NLMSG_DONE or NLMSG_ERROR)
 * of the answer to seq?  Exposed for the tests.
 */
bool	tsd_ra_has_end(const uint8_t *buf, size_t len, uint32_t seq);

#endif /* !_TSD_READAHEAD_H_ */
