/*
 * tsf_device.c -- talking to the device: open, filter, read to the end,
 * decode and check every record.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tcpstats_filter.h"
#include "tsf.h"

#define	TSF_READ_LIMIT	(1u << 20)	/* read() calls per snapshot, cap */

const char *
tsf_device_path(void)
{
	const char *p;

	p = getenv("TCPSTATS_DEV");
	if (p != NULL && *p != '\0')
		return (p);
	return (tsf_platform_default_device());
}

const char *
tsf_live_unavailable(void)
{
	static char why[512];

	if (geteuid() != 0)
		return ("live tests need root");
	if (access(tsf_device_path(), F_OK) != 0) {
		snprintf(why, sizeof(why), "no provider: %s: %s (start "
		    "tcpstatsd or load the module, or set TCPSTATS_DEV)",
		    tsf_device_path(), strerror(errno));
		return (why);
	}
	return (NULL);
}

void
tsf_live_begin(void)
{
	const char *why;
	char iso[256];

	why = tsf_live_unavailable();
	if (why != NULL)
		cr_skip_test("%s", why);
	iso[0] = '\0';
	if (tsf_platform_isolate(iso, sizeof(iso)) != 0)
		cr_skip_test("cannot isolate the test: %s", iso);
}

int
tsf_open(void)
{
	int fd;

	fd = open(tsf_device_path(), O_RDONLY);
	cr_assert(fd >= 0, "open(%s, O_RDONLY): %s", tsf_device_path(),
	    strerror(errno));
	return (fd);
}

int
tsf_set_filter(int fd, const char *text, struct tcpstats_errinfo *err)
{
	struct tcpstats_filter_arg fa;
	int saved;

	memset(&fa, 0, sizeof(fa));
	cr_assert(strlen(text) < sizeof(fa.tfa_text),
	    "filter text of %zu bytes does not fit the ioctl", strlen(text));
	memcpy(fa.tfa_text, text, strlen(text));
	if (ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa) == 0)
		return (0);
	saved = errno;
	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		cr_assert(ioctl(fd, TCPSTATS_IOC_LASTERR, err) == 0,
		    "TCPSTATS_IOC_LASTERR after a rejected filter: %s",
		    strerror(errno));
	}
	return (saved);
}

void
tsf_must_filter(int fd, const char *text)
{
	struct tcpstats_errinfo ei;
	int error;

	error = tsf_set_filter(fd, text, &ei);
	cr_assert(error == 0, "filter \"%s\" rejected (%s) at column %u: %s",
	    text, strerror(error), ei.tei_column, ei.tei_message);
}

static void
records_push(struct tsf_records *r, const struct tcpstats_record *rec,
    const struct tcpstats_rec_hdr *wire)
{
	size_t ncap;

	if (r->n == r->cap) {
		ncap = r->cap == 0 ? 256 : r->cap * 2;
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
	r->raw_len[r->n] = wire->trh_length;
	r->raw_fields[r->n] = wire->trh_fields;
	r->raw_flags[r->n] = wire->trh_flags;
	r->n++;
}

void
tsf_read_all(int fd, size_t bufsize, struct tsf_records *out)
{
	struct tcpstats_rec_hdr hdr;
	struct tcpstats_record rec;
	unsigned char *buf;
	size_t off, used, calls;
	ssize_t got;

	memset(out, 0, sizeof(*out));
	buf = malloc(bufsize);
	cr_assert(buf != NULL, "malloc(%zu)", bufsize);
	for (calls = 0; calls < TSF_READ_LIMIT; calls++) {
		got = read(fd, buf, bufsize);
		if (got < 0 && errno == EINTR)
			continue;
		cr_assert(got >= 0, "read(%zu) on the device: %s", bufsize,
		    strerror(errno));
		out->reads++;
		if (got == 0)
			break;
		cr_assert((size_t)got <= bufsize,
		    "read returned %zd bytes for a %zu-byte buffer", got,
		    bufsize);
		out->bytes += (size_t)got;
		/* Whole records only: the last one must end at got. */
		for (off = 0; off < (size_t)got; off += used) {
			cr_assert((size_t)got - off >= sizeof(hdr),
			    "read of %zd bytes ends %zu bytes into a record "
			    "header (split record)", got, (size_t)got - off);
			memcpy(&hdr, buf + off, sizeof(hdr));
			cr_assert(tcpstats_decode(buf + off, (size_t)got - off,
			    &rec, &used) == 0, "record at offset %zu of a "
			    "%zd-byte read does not decode (version %u, "
			    "length %u, fields %#x, flags %#x)", off, got,
			    hdr.trh_version, hdr.trh_length, hdr.trh_fields,
			    hdr.trh_flags);
			records_push(out, &rec, &hdr);
		}
	}
	cr_assert(calls < TSF_READ_LIMIT, "device never returned 0 after "
	    "%u reads", TSF_READ_LIMIT);
	free(buf);
}

void
tsf_records_free(struct tsf_records *r)
{
	free(r->rec);
	free(r->raw_len);
	free(r->raw_fields);
	free(r->raw_flags);
	memset(r, 0, sizeof(*r));
}

void
tsf_snapshot(const char *filter, struct tsf_records *out)
{
	int fd;

	fd = tsf_open();
	tsf_must_filter(fd, filter);
	tsf_read_all(fd, 64 * 1024, out);
	close(fd);
}

void
tsf_reader_stats(int fd, struct tcpstats_counters *c)
{
	memset(c, 0, sizeof(*c));
	cr_assert(ioctl(fd, TCPSTATS_IOC_READER_STATS, c) == 0,
	    "TCPSTATS_IOC_READER_STATS: %s", strerror(errno));
}

void
tsf_global_stats(int fd, struct tcpstats_counters *c)
{
	memset(c, 0, sizeof(*c));
	cr_assert(ioctl(fd, TCPSTATS_IOC_GLOBAL_STATS, c) == 0,
	    "TCPSTATS_IOC_GLOBAL_STATS: %s", strerror(errno));
}
