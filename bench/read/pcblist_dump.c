/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * pcblist_dump -- the least a FreeBSD program can do to list every TCP
 * connection with its tcpcb: sysctl net.inet.tcp.pcblist, which is what
 * netstat(1) and sockstat(1) read.  In one call the kernel copies one
 * struct xtcpcb (socket, addresses, state, windows, timers: several
 * hundred bytes) per pcb of the caller's VNET to the caller; this program
 * asks for the size, reads the list, retries if the list changed between
 * the header and the trailer, and walks the records, reading each one's
 * identity and state.  No formatting.  It is the floor the module is
 * measured against on FreeBSD.
 *
 * -p PORT counts only the pcbs with that local port: the kernel has no
 * filter for this list, so the selective case costs the whole list too.
 */

#include <sys/param.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define	MAX_ITER	100000
#define	MAX_TRIES	10	/* reads of a list that keeps changing */

static struct {
	long long	expected;	/* -e; -1 = not checked */
	unsigned int	iter;		/* -n */
	unsigned int	port;		/* -p; 0 = every pcb */
	bool		quiet;		/* -q */
} opt = { .expected = -1, .iter = 1 };

/* What one read of the list saw. */
struct tally {
	uint64_t	pcbs;		/* counted (matching -p) */
	uint64_t	bytes;		/* list size */
	uint64_t	sum;		/* keeps the record reads honest */
};

static void __attribute__((__noreturn__))
usage(FILE *fp, int rc)
{

	fprintf(fp,
	    "usage: pcblist_dump [-hq] [-e count] [-n iterations] [-p port]\n"
	    "  -e count   exit 1 unless every read saw exactly count pcbs\n"
	    "  -h         this help\n"
	    "  -n iter    reads to run (default 1); prints median/min/max\n"
	    "  -p port    count only pcbs with this local port (filtered "
	    "here:\n"
	    "             the kernel's list has no filter)\n"
	    "  -q         print nothing but errors\n");
	exit(rc);
}

/*
 * Read net.inet.tcp.pcblist into *bufp (grown as needed) and walk it.
 * The list is consistent when the trailer's generation is the header's.
 */
static void
dump(char **bufp, size_t *cap, struct tally *t)
{
	const struct xinpgen *xig, *head;
	const struct xtcpcb *xt;
	size_t len, off;
	unsigned int tries;

	for (tries = 0; tries < MAX_TRIES; tries++) {
		len = 0;
		if (sysctlbyname("net.inet.tcp.pcblist", NULL, &len, NULL,
		    0) != 0)
			err(1, "sysctl net.inet.tcp.pcblist (size)");
		/* Room for pcbs made between the two calls. */
		len += len / 8 + 4096;
		if (len > *cap) {
			free(*bufp);
			if ((*bufp = malloc(len)) == NULL)
				err(1, "malloc(%zu)", len);
			*cap = len;
		}
		len = *cap;
		if (sysctlbyname("net.inet.tcp.pcblist", *bufp, &len, NULL,
		    0) != 0) {
			if (errno == ENOMEM)
				continue;	/* grew again: ask anew */
			err(1, "sysctl net.inet.tcp.pcblist");
		}
		if (len < 2 * sizeof(struct xinpgen))
			errx(1, "pcblist of %zu bytes: no header and trailer",
			    len);
		head = (const struct xinpgen *)(const void *)*bufp;
		memset(t, 0, sizeof(*t));
		t->bytes = len;
		for (off = head->xig_len; off + sizeof(*xig) <= len;
		    off += xig->xig_len) {
			xig = (const struct xinpgen *)(const void *)
			    (*bufp + off);
			if (xig->xig_len <= sizeof(struct xinpgen))
				break;		/* the trailer */
			if (xig->xig_len < sizeof(*xt) ||
			    xig->xig_len > len - off)
				errx(1, "malformed pcblist record at byte %zu "
				    "(%ju bytes)", off,
				    (uintmax_t)xig->xig_len);
			xt = (const struct xtcpcb *)(const void *)xig;
			if (opt.port != 0 &&
			    ntohs(xt->xt_inp.inp_inc.inc_lport) != opt.port)
				continue;
			t->pcbs++;
			t->sum += (uint64_t)xt->t_state +
			    xt->xt_inp.inp_inc.inc_fport;
		}
		if (off + sizeof(*xig) > len)
			errx(1, "pcblist without a trailer");
		if (xig->xig_gen == head->xig_gen &&
		    xig->xig_sogen == head->xig_sogen)
			return;
		/* The list changed while it was copied: read it again. */
	}
	errx(1, "net.inet.tcp.pcblist changed during %d reads in a row",
	    MAX_TRIES);
}


int
main(int argc, char **argv)
{
	struct tally t;
	double *ms, med, lo, hi;
	uint64_t t0;
	char *buf;
	size_t cap;
	unsigned int i;
	int ch, rc;

	while ((ch = getopt(argc, argv, "e:hn:p:q")) != -1) {
		switch (ch) {
		case 'e':
			opt.expected = (long long)bu_num_arg(ch, optarg, 0,
			    100000000);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'n':
			opt.iter = (unsigned int)bu_num_arg(ch, optarg, 1,
			    MAX_ITER);
			break;
		case 'p':
			opt.port = (unsigned int)bu_num_arg(ch, optarg, 1,
			    65535);
			break;
		case 'q':
			opt.quiet = true;
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		errx(1, "unexpected argument '%s' (see pcblist_dump -h)",
		    argv[optind]);

	if ((ms = calloc(opt.iter, sizeof(*ms))) == NULL)
		err(1, "calloc");
	buf = NULL;
	cap = 0;
	rc = 0;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < opt.iter; i++) {
		t0 = bu_now_ns();
		dump(&buf, &cap, &t);
		ms[i] = (double)(bu_now_ns() - t0) / 1e6;
		if (opt.expected >= 0 && t.pcbs != (uint64_t)opt.expected) {
			warnx("read %u saw %ju pcbs, expected %lld", i,
			    (uintmax_t)t.pcbs, opt.expected);
			rc = 1;
		}
	}
	if (!opt.quiet) {
		bu_spread(ms, opt.iter, &med, &lo, &hi);
		printf("pcblist_dump: %ju pcbs, %ju bytes (%zu per xtcpcb), "
		    "median %.3f ms (min %.3f, max %.3f) over %u read(s), "
		    "%.0f pcbs/s\n", (uintmax_t)t.pcbs, (uintmax_t)t.bytes,
		    sizeof(struct xtcpcb), med, lo, hi, opt.iter,
		    med > 0 ? (double)t.pcbs / med * 1e3 : 0.0);
	}
	free(ms);
	free(buf);
	return (rc);
}
