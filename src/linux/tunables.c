/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tunables.c -- the files under sysctl/: counter names, tunables and the
 * parsing of values written to them.
 *
 * Names are those of dev.tcpstats.* on FreeBSD.  A written value is the
 * decimal text of an unsigned number within the tunable's range, as
 * `echo 4 > sysctl/max_open_fds' writes it: digits and at most one
 * trailing newline, nothing else (no sign, no blanks, no hex).
 *
 * Text written to a file (a tunable or a profile) may come in several
 * write(2) calls; it is collected here piece by piece, each piece checked
 * as it arrives, and parsed whole when the file is closed.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tsd.h"

const struct tsd_tunable_desc tsd_tunables[TSD_NTUN] = {
	[TSD_TUN_MAX_OPEN_FDS] =
	    { "max_open_fds",		16,	1,	1048576 },
	[TSD_TUN_MAX_CONCURRENT_READERS] =
	    { "max_concurrent_readers",	32,	1,	1048576 },
	[TSD_TUN_MAX_READ_DURATION_MS] =
	    { "max_read_duration_ms",	5000,	1,	86400000 },
	[TSD_TUN_MIN_READ_INTERVAL_MS] =
	    { "min_read_interval_ms",	0,	0,	86400000 },
	/* Filter in the kernel (1) or visit every socket (0). */
	[TSD_TUN_PUSHDOWN] =
	    { "pushdown",		1,	0,	1 },
	/*
	 * Receive a dump ahead of the reader on a helper thread (1), and
	 * let a reader out of datagrams poll for the next one this many
	 * microseconds before it sleeps (docs/benchmarks.md).
	 */
	[TSD_TUN_READAHEAD] =
	    { "readahead",		1,	0,	1 },
	[TSD_TUN_READAHEAD_SPIN_US] =
	    { "readahead_spin_us",	200,	0,	10000 },
	/* Both families in one dump (1) or one dump per family (0). */
	[TSD_TUN_UNSPEC_DUMP] =
	    { "unspec_dump",		1,	0,	1 },
};

static const char *const counter_names[TSD_NCOUNTERS] = {
	"opens_total",
	"active_fds",
	"reads_total",
	"sockets_visited",
	"records_emitted",
	"sockets_skipped_gencnt",
	"sockets_skipped_cred",
	"sockets_skipped_ipver",
	"sockets_skipped_state",
	"sockets_skipped_port",
	"sockets_skipped_addr",
	"reads_timed_out",
	"reads_interrupted",
	"read_duration_ns_total",
	"read_duration_ns_max",
	"copyout_errors",
	"last_error",
	NULL,
};

/* The 17 named counters; slot 17 is unused. */
#define	NNAMED	17

int
tsd_counter_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < NNAMED; i++)
		if (strcmp(counter_names[i], name) == 0)
			return ((int)i);
	return (-1);
}

const char *
tsd_counter_name(unsigned int i)
{

	return (i < NNAMED ? counter_names[i] : NULL);
}

int64_t
tsd_counter_value(const struct tcpstats_counters *c, unsigned int i)
{

	switch (i) {
	case 0:
		return ((int64_t)c->tsc_opens_total);
	case 1:
		return ((int64_t)c->tsc_active_fds);
	case 2:
		return ((int64_t)c->tsc_reads_total);
	case 3:
		return ((int64_t)c->tsc_sockets_visited);
	case 4:
		return ((int64_t)c->tsc_records_emitted);
	case 5: case 6: case 7: case 8: case 9: case 10:
		return ((int64_t)c->tsc_skipped[i - 5]);
	case 11:
		return ((int64_t)c->tsc_reads_timed_out);
	case 12:
		return ((int64_t)c->tsc_reads_interrupted);
	case 13:
		return ((int64_t)c->tsc_read_duration_ns_total);
	case 14:
		return ((int64_t)c->tsc_read_duration_ns_max);
	case 15:
		return ((int64_t)c->tsc_copyout_errors);
	case 16:
		return (c->tsc_last_error);
	default:
		return (0);
	}
}

int
tsd_tunable_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < TSD_NTUN; i++)
		if (strcmp(tsd_tunables[i].tt_name, name) == 0)
			return ((int)i);
	return (-1);
}

int
tsd_tunable_parse(enum tsd_tun t, const char *buf, size_t len,
    uint32_t *out, char *why, size_t whylen)
{
	const struct tsd_tunable_desc *d;
	uint64_t v;
	size_t i, n;

	if ((unsigned int)t >= TSD_NTUN) {
		snprintf(why, whylen, "no such tunable");
		return (-1);
	}
	d = &tsd_tunables[t];
	n = len;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n == 0) {
		snprintf(why, whylen, "%s: expected a decimal number, got "
		    "nothing", d->tt_name);
		return (-1);
	}
	if (n > 10) {
		snprintf(why, whylen, "%s: value too long (%zu bytes)",
		    d->tt_name, n);
		return (-1);
	}
	v = 0;
	for (i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9') {
			snprintf(why, whylen, "%s: expected a decimal number, "
			    "got byte 0x%02x at offset %zu", d->tt_name,
			    (unsigned char)buf[i], i);
			return (-1);
		}
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	if (v < d->tt_min || v > d->tt_max) {
		snprintf(why, whylen, "%s: %llu out of range %u..%u",
		    d->tt_name, (unsigned long long)v, d->tt_min, d->tt_max);
		return (-1);
	}
	*out = (uint32_t)v;
	return (0);
}

int
tsd_tunable_feed(enum tsd_tun t, char *acc, size_t *acclen, size_t cap,
    const char *buf, size_t len, char *why, size_t whylen)
{
	const struct tsd_tunable_desc *d;
	uint64_t v;
	size_t i, n, ndig;
	bool nl;
	char c;

	if ((unsigned int)t >= TSD_NTUN) {
		snprintf(why, whylen, "no such tunable");
		return (-EINVAL);
	}
	d = &tsd_tunables[t];
	if (*acclen > cap || len > cap - *acclen) {
		snprintf(why, whylen, "%s: value text longer than %zu bytes",
		    d->tt_name, cap);
		return (-EFBIG);
	}
	/* The text so far and the piece, as one; at most cap bytes. */
	n = *acclen + len;
	v = 0;
	ndig = 0;
	nl = false;
	for (i = 0; i < n; i++) {
		c = i < *acclen ? acc[i] : buf[i - *acclen];
		if (nl) {
			snprintf(why, whylen, "%s: byte 0x%02x at offset %zu "
			    "after the trailing newline", d->tt_name,
			    (unsigned char)c, i);
			return (-EINVAL);
		}
		if (c == '\n') {
			if (ndig == 0) {
				snprintf(why, whylen, "%s: expected a decimal "
				    "number, got nothing", d->tt_name);
				return (-EINVAL);
			}
			nl = true;
			continue;
		}
		if (c < '0' || c > '9') {
			snprintf(why, whylen, "%s: expected a decimal number, "
			    "got byte 0x%02x at offset %zu", d->tt_name,
			    (unsigned char)c, i);
			return (-EINVAL);
		}
		if (++ndig > 10) {
			snprintf(why, whylen, "%s: value too long (more than "
			    "10 digits)", d->tt_name);
			return (-EINVAL);
		}
		/* More digits only make it larger. */
		v = v * 10 + (uint64_t)(c - '0');
		if (v > d->tt_max) {
			snprintf(why, whylen, "%s: value past the maximum "
			    "(%zu digits make %llu); out of range %u..%u",
			    d->tt_name, ndig, (unsigned long long)v,
			    d->tt_min, d->tt_max);
			return (-EINVAL);
		}
	}
	/* After the newline the value is complete: check it all. */
	if (nl && v < d->tt_min) {
		snprintf(why, whylen, "%s: %llu out of range %u..%u",
		    d->tt_name, (unsigned long long)v, d->tt_min, d->tt_max);
		return (-EINVAL);
	}
	memcpy(acc + *acclen, buf, len);
	*acclen = n;
	return (0);
}

int
tsd_profile_feed(char *acc, size_t *acclen, size_t cap, const char *buf,
    size_t len, char *why, size_t whylen)
{
	const char *z;

	/*
	 * The last of cap bytes can only be the trailing newline: any
	 * other byte there makes the text too long whatever follows.
	 */
	if (*acclen > cap || len > cap - *acclen ||
	    (len > 0 && *acclen + len == cap && buf[len - 1] != '\n')) {
		snprintf(why, whylen, "text longer than %zu bytes (and a "
		    "newline)", cap > 0 ? cap - 1 : 0);
		return (-EFBIG);
	}
	if ((z = memchr(buf, '\0', len)) != NULL) {
		snprintf(why, whylen, "NUL byte at offset %zu of the text",
		    *acclen + (size_t)(z - buf));
		return (-EINVAL);
	}
	memcpy(acc + *acclen, buf, len);
	*acclen += len;
	return (0);
}

int
tsd_profile_text(const char *acc, size_t acclen, char *out, size_t outlen)
{
	size_t n;

	n = acclen;
	if (n > 0 && acc[n - 1] == '\n')
		n--;
	if (n >= outlen)
		return (-1);
	memcpy(out, acc, n);
	out[n] = '\0';
	return (0);
}
