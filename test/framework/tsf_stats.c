/*
 * tsf_stats.c -- reads checked against the reader's counters: for every
 * read, sockets_visited == records_emitted + sum(sockets_skipped_*), and
 * records_emitted is what the read returned.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tcpstats_filter.h"
#include "tsf.h"

#define	CHECKED_READ_LIMIT	(1u << 20)

static const char *const skip_names[TCPSTATS_NSKIP] = {
	[TCPSTATS_SKIP_GENCNT] = "gencnt",
	[TCPSTATS_SKIP_CRED] = "cred",
	[TCPSTATS_SKIP_IPVER] = "ipver",
	[TCPSTATS_SKIP_STATE] = "state",
	[TCPSTATS_SKIP_PORT] = "port",
	[TCPSTATS_SKIP_ADDR] = "addr",
};

const char *
tsf_skip_name(int reason)
{
	if (reason < 0 || reason >= TCPSTATS_NSKIP)
		return ("?");
	return (skip_names[reason]);
}

uint64_t
tsf_skipped_sum(const uint64_t skipped[TCPSTATS_NSKIP])
{
	uint64_t sum;
	int i;

	sum = 0;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		sum += skipped[i];
	return (sum);
}

static void
acc_push(struct tsf_records *r, const struct tcpstats_record *rec,
    const struct tcpstats_rec_hdr *hdr)
{
	size_t ncap;

	if (r->n == r->cap) {
		ncap = r->cap == 0 ? 1024 : r->cap * 2;
		r->rec = realloc(r->rec, ncap * sizeof(*r->rec));
		r->raw_len = realloc(r->raw_len, ncap * sizeof(uint16_t));
		r->raw_fields = realloc(r->raw_fields,
		    ncap * sizeof(uint16_t));
		r->raw_flags = realloc(r->raw_flags, ncap * sizeof(uint16_t));
		cr_assert(r->rec != NULL && r->raw_len != NULL &&
		    r->raw_fields != NULL && r->raw_flags != NULL,
		    "out of memory holding %zu records", ncap);
		r->cap = ncap;
	}
	r->rec[r->n] = *rec;
	r->raw_len[r->n] = hdr->trh_length;
	r->raw_fields[r->n] = hdr->trh_fields;
	r->raw_flags[r->n] = hdr->trh_flags;
	r->n++;
}

ssize_t
tsf_read_checked(int fd, void *buf, size_t size, struct tsf_records *acc,
    struct tsf_read_summary *sum, const char *what)
{
	struct tcpstats_counters a, b;
	struct tcpstats_rec_hdr hdr;
	struct tcpstats_record rec;
	uint64_t dv, de, ds, dsk[TCPSTATS_NSKIP];
	size_t off, used, nrec;
	ssize_t got;
	int saved, i;

	tsf_reader_stats(fd, &a);
	got = read(fd, buf, size);
	saved = errno;
	tsf_reader_stats(fd, &b);

	/* Decode what came: whole records only. */
	nrec = 0;
	for (off = 0; got > 0 && off < (size_t)got; off += used) {
		cr_assert((size_t)got - off >= sizeof(hdr), "[%s] read of %zd "
		    "bytes ends inside a record header at %zu", what, got,
		    off);
		memcpy(&hdr, (char *)buf + off, sizeof(hdr));
		cr_assert(tcpstats_decode((char *)buf + off, (size_t)got - off,
		    &rec, &used) == 0, "[%s] record at offset %zu of a %zd-"
		    "byte read does not decode (version %u, length %u)", what,
		    off, got, hdr.trh_version, hdr.trh_length);
		if (acc != NULL)
			acc_push(acc, &rec, &hdr);
		nrec++;
	}

	dv = b.tsc_sockets_visited - a.tsc_sockets_visited;
	de = b.tsc_records_emitted - a.tsc_records_emitted;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		dsk[i] = b.tsc_skipped[i] - a.tsc_skipped[i];
	ds = tsf_skipped_sum(dsk);
	cr_assert_eq(b.tsc_reads_total - a.tsc_reads_total, 1,
	    "[%s] reads_total of the reader moved by %llu for one read()",
	    what, (unsigned long long)(b.tsc_reads_total - a.tsc_reads_total));
	cr_assert_eq(dv, de + ds, "[%s] read %zu (returned %zd%s): "
	    "sockets_visited moved by %llu but records_emitted %llu + "
	    "skipped %llu (gencnt %llu cred %llu ipver %llu state %llu port "
	    "%llu addr %llu) = %llu", what, sum->reads, got,
	    got < 0 ? ", error" : "", (unsigned long long)dv,
	    (unsigned long long)de, (unsigned long long)ds,
	    (unsigned long long)dsk[0], (unsigned long long)dsk[1],
	    (unsigned long long)dsk[2], (unsigned long long)dsk[3],
	    (unsigned long long)dsk[4], (unsigned long long)dsk[5],
	    (unsigned long long)(de + ds));
	cr_assert_eq(de, nrec, "[%s] read %zu returned %zu records (%zd "
	    "bytes) but records_emitted moved by %llu", what, sum->reads,
	    nrec, got, (unsigned long long)de);
	if (got < 0)
		cr_assert_eq(saved, EINTR, "[%s] read(%zu) failed: %s", what,
		    size, strerror(saved));

	sum->reads++;
	if (got < 0)
		sum->eintr++;
	sum->visited += dv;
	sum->emitted += de;
	for (i = 0; i < TCPSTATS_NSKIP; i++)
		sum->skipped[i] += dsk[i];
	sum->timed_out += b.tsc_reads_timed_out - a.tsc_reads_timed_out;
	sum->interrupted += b.tsc_reads_interrupted -
	    a.tsc_reads_interrupted;
	errno = saved;
	return (got);
}

void
tsf_read_all_checked(int fd, size_t bufsize, struct tsf_records *out,
    struct tsf_read_summary *sum, const char *what)
{
	unsigned char *buf;
	unsigned int calls;
	ssize_t got;

	memset(out, 0, sizeof(*out));
	buf = malloc(bufsize);
	cr_assert(buf != NULL, "malloc(%zu)", bufsize);
	for (calls = 0; calls < CHECKED_READ_LIMIT; calls++) {
		got = tsf_read_checked(fd, buf, bufsize, out, sum, what);
		if (got == 0)
			break;
		out->reads++;
		if (got > 0)
			out->bytes += (size_t)got;
	}
	out->reads++;
	free(buf);
	cr_assert(calls < CHECKED_READ_LIMIT, "[%s] the device never "
	    "returned 0 after %u reads", what, CHECKED_READ_LIMIT);
}
