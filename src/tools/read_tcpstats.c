/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * read_tcpstats -- print the TCP connections /dev/tcpstats reports, as a
 * table, as JSON Lines or as a count, and manage the device's named
 * profiles.  Works the same against the FreeBSD module and tcpstatsd.
 */

#include <sys/types.h>
#include <sys/ioctl.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"
#include "format.h"
#include "rt_args.h"

#define	READ_BUFSIZE	(256 * 1024)	/* bytes per read(2) */

/* rt_args keeps names and texts in buffers shaped like the ioctl's. */
_Static_assert(sizeof(((struct rt_opts *)0)->ro_name) ==
    sizeof(((struct tcpstats_profile_arg *)0)->tpa_name), "name buffer");
_Static_assert(sizeof(((struct rt_opts *)0)->ro_text) ==
    sizeof(((struct tcpstats_profile_arg *)0)->tpa_text), "text buffer");

/* Decoded records kept for the table, which sizes columns first. */
struct rec_list {
	struct tcpstats_record	*rl_rec;
	size_t			 rl_count;
	size_t			 rl_cap;
};

static volatile sig_atomic_t stop_requested;	/* SIGINT or SIGTERM seen */

static void
usage(void)
{

	fprintf(stderr, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
	    "usage: read_tcpstats [-cFHj] [-d device] [-f filter | -p profile]",
	    "       read_tcpstats [-d device] -L",
	    "       read_tcpstats [-d device] -S name",
	    "       read_tcpstats [-d device] -P name=text",
	    "       read_tcpstats [-d device] -P name -f text",
	    "       read_tcpstats [-d device] -D name",
	    "       read_tcpstats [-j] [-d device] -s");
	exit(1);
}

static void
on_signal(int sig)
{

	(void)sig;
	stop_requested = 1;
}

/*
 * Read interrupted by a signal ends early instead of restarting, so that
 * ^C stops a long read.
 */
static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		err(1, "sigaction");
}

/*
 * Refuse a provider whose record layout differs from ours: decoding it
 * would print garbage.
 */
static void
check_provider(int fd, const char *device)
{
	struct tcpstats_version v;

	memset(&v, 0, sizeof(v));
	v.tv_abi = TCPSTATS_ABI_VERSION;
	if (ioctl(fd, TCPSTATS_IOC_VERSION, &v) != 0) {
		if (errno == EINVAL)
			errx(1, "%s: provider does not speak ABI version %d",
			    device, TCPSTATS_ABI_VERSION);
		err(1, "%s: TCPSTATS_IOC_VERSION", device);
	}
	if (v.tv_abi != TCPSTATS_ABI_VERSION)
		errx(1, "%s: provider ABI version %u, expected %d", device,
		    (unsigned int)v.tv_abi, TCPSTATS_ABI_VERSION);
	if (v.tv_rec_version != TCPSTATS_REC_VERSION)
		errx(1, "%s: provider record version %u, expected %d", device,
		    (unsigned int)v.tv_rec_version, TCPSTATS_REC_VERSION);
	if (v.tv_hdr_size != sizeof(struct tcpstats_rec_hdr))
		errx(1, "%s: provider record header is %u bytes, expected %zu",
		    device, (unsigned int)v.tv_hdr_size,
		    sizeof(struct tcpstats_rec_hdr));
	if (v.tv_full_size != sizeof(struct tcpstats_record))
		errx(1, "%s: provider full record is %u bytes, expected %zu",
		    device, (unsigned int)v.tv_full_size,
		    sizeof(struct tcpstats_record));
}

/* Print text, a caret under column and the message; used for -f and -P. */
static void
report_text_error(int fd, const char *what, const char *text)
{
	struct tcpstats_errinfo ei;
	char line[TCPSTATS_CANON_MAX * 2];

	memset(&ei, 0, sizeof(ei));
	if (ioctl(fd, TCPSTATS_IOC_LASTERR, &ei) != 0) {
		warn("TCPSTATS_IOC_LASTERR");
		errx(1, "%s rejected: %s", what, text);
	}
	ei.tei_message[sizeof(ei.tei_message) - 1] = '\0';
	fflush(stdout);
	format_filter_echo(text, line, sizeof(line));
	fprintf(stderr, "  %s\n", line);
	if (ei.tei_column != 0) {
		format_caret_line(text, ei.tei_column, line, sizeof(line));
		fprintf(stderr, "  %s\n", line);
	}
	if (ei.tei_column != 0)
		errx(1, "%s rejected at column %u: %s", what,
		    (unsigned int)ei.tei_column, ei.tei_message);
	errx(1, "%s rejected: %s", what, ei.tei_message);
}

static void
apply_filter(int fd, const char *device, const char *text)
{
	struct tcpstats_filter_arg fa;

	memset(&fa, 0, sizeof(fa));
	strncpy(fa.tfa_text, text, sizeof(fa.tfa_text) - 1);
	if (ioctl(fd, TCPSTATS_IOC_SETFILTER, &fa) == 0)
		return;
	if (errno == EINVAL)
		report_text_error(fd, "filter", text);
	err(1, "%s: TCPSTATS_IOC_SETFILTER", device);
}

static void
print_active_filter(int fd, const char *device)
{
	struct tcpstats_filter_arg fa;

	memset(&fa, 0, sizeof(fa));
	if (ioctl(fd, TCPSTATS_IOC_GETFILTER, &fa) != 0)
		err(1, "%s: TCPSTATS_IOC_GETFILTER", device);
	fa.tfa_text[sizeof(fa.tfa_text) - 1] = '\0';
	printf("%s\n", fa.tfa_text);
}

/* --- records ------------------------------------------------------------ */

static void
rec_list_add(struct rec_list *rl, const struct tcpstats_record *rec)
{
	struct tcpstats_record *p;
	size_t cap;

	if (rl->rl_count == rl->rl_cap) {
		cap = rl->rl_cap == 0 ? 1024 : rl->rl_cap * 2;
		p = reallocarray(rl->rl_rec, cap, sizeof(*p));
		if (p == NULL)
			err(1, "keeping %zu records", cap);
		rl->rl_rec = p;
		rl->rl_cap = cap;
	}
	rl->rl_rec[rl->rl_count++] = *rec;
}

/* One record: count, print as JSON, or keep for the table. */
static void
emit_record(const struct rt_opts *o, const struct tcpstats_record *rec,
    struct rec_list *rl, uint64_t *count)
{
	char line[FMT_JSON_MAX];

	(*count)++;
	switch (o->ro_output) {
	case RT_OUT_COUNT:
		break;
	case RT_OUT_JSON:
		if (format_json(rec, line, sizeof(line)) < 0)
			errx(1, "record %ju does not fit %zu bytes of JSON",
			    (uintmax_t)*count, sizeof(line));
		printf("%s\n", line);
		break;
	case RT_OUT_TABLE:
		rec_list_add(rl, rec);
		break;
	}
}

/*
 * Read whole records until read(2) returns 0.  Returns false when a
 * signal cut the snapshot short.
 */
static bool
read_records(int fd, const char *device, const struct rt_opts *o,
    struct rec_list *rl, uint64_t *count)
{
	struct tcpstats_record rec;
	unsigned char *buf;
	size_t off, used;
	ssize_t n;
	uint64_t offset = 0;
	bool complete = true;

	buf = malloc(READ_BUFSIZE);
	if (buf == NULL)
		err(1, "malloc");
	for (;;) {
		if (stop_requested) {
			complete = false;
			break;
		}
		n = read(fd, buf, READ_BUFSIZE);
		if (n < 0) {
			if (errno == EINTR) {
				if (stop_requested) {
					complete = false;
					break;
				}
				continue;
			}
			err(1, "%s: read", device);
		}
		if (n == 0)
			break;
		for (off = 0; off < (size_t)n; off += used) {
			if (tcpstats_decode(buf + off, (size_t)n - off, &rec,
			    &used) != 0 || used == 0)
				errx(1, "%s: malformed record at byte %ju of "
				    "the snapshot", device,
				    (uintmax_t)(offset + off));
			emit_record(o, &rec, rl, count);
		}
		offset += (uint64_t)n;
	}
	free(buf);
	return (complete);
}

static void
print_table(const struct rt_opts *o, const struct rec_list *rl)
{
	struct fmt_widths w;
	struct fmt_cells cells;
	char line[FMT_ROW_MAX];
	size_t i;

	fmt_widths_init(&w);
	for (i = 0; i < rl->rl_count; i++) {
		fmt_record_cells(&rl->rl_rec[i], &cells);
		fmt_widths_update(&w, &cells);
	}
	if (!o->ro_noheader) {
		format_table_header(&w, line, sizeof(line));
		printf("%s\n", line);
	}
	for (i = 0; i < rl->rl_count; i++) {
		format_table_row(&rl->rl_rec[i], &w, line, sizeof(line));
		printf("%s\n", line);
	}
}

static int
do_read(int fd, const struct rt_opts *o)
{
	struct rec_list rl = { NULL, 0, 0 };
	uint64_t count = 0;
	bool complete;

	if (o->ro_apply[0] != '\0')
		apply_filter(fd, o->ro_device, o->ro_apply);
	if (o->ro_canon) {
		print_active_filter(fd, o->ro_device);
		return (0);
	}
	install_signals();
	complete = read_records(fd, o->ro_device, o, &rl, &count);
	if (o->ro_output == RT_OUT_TABLE)
		print_table(o, &rl);
	else if (o->ro_output == RT_OUT_COUNT)
		printf("%ju\n", (uintmax_t)count);
	free(rl.rl_rec);
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "stdout");
	if (!complete) {
		warnx("interrupted; output is partial");
		return (1);
	}
	return (0);
}

/* --- profiles and counters ---------------------------------------------- */

static void
profile_ioctl_failed(int fd, const struct rt_opts *o, const char *op)
{

	if (errno == ENOENT)
		errx(1, "no profile named '%s'", o->ro_name);
	if (errno == ENOSPC)
		errx(1, "cannot store profile '%s': all %d slots are in use",
		    o->ro_name, TCPSTATS_MAX_PROFILES);
	if (errno == EINVAL && o->ro_mode == RT_MODE_SET)
		report_text_error(fd, "profile", o->ro_text);
	if (errno == EINVAL)
		errx(1, "bad profile name '%s': names are [a-z0-9_]{1,%d}",
		    o->ro_name, TCPSTATS_PROFILE_NAMELEN);
	err(1, "%s: %s", o->ro_device, op);
}

static int
do_profile(int fd, const struct rt_opts *o)
{
	struct tcpstats_profile_list pl;
	struct tcpstats_profile_arg pa;
	uint32_t i, n;

	memset(&pa, 0, sizeof(pa));
	memcpy(pa.tpa_name, o->ro_name, sizeof(pa.tpa_name));
	switch (o->ro_mode) {
	case RT_MODE_LIST:
		memset(&pl, 0, sizeof(pl));
		if (ioctl(fd, TCPSTATS_IOC_PROFILE_LIST, &pl) != 0)
			err(1, "%s: TCPSTATS_IOC_PROFILE_LIST", o->ro_device);
		n = pl.tpl_count;
		if (n > TCPSTATS_MAX_PROFILES) {
			warnx("provider reports %u profiles; showing %d",
			    (unsigned int)n, TCPSTATS_MAX_PROFILES);
			n = TCPSTATS_MAX_PROFILES;
		}
		for (i = 0; i < n; i++) {
			pl.tpl_names[i][TCPSTATS_NAME_BUF - 1] = '\0';
			printf("%s\n", pl.tpl_names[i]);
		}
		break;
	case RT_MODE_SHOW:
		if (ioctl(fd, TCPSTATS_IOC_PROFILE_GET, &pa) != 0)
			profile_ioctl_failed(fd, o, "TCPSTATS_IOC_PROFILE_GET");
		pa.tpa_text[sizeof(pa.tpa_text) - 1] = '\0';
		printf("%s\n", pa.tpa_text);
		break;
	case RT_MODE_SET:
		memcpy(pa.tpa_text, o->ro_text, sizeof(pa.tpa_text));
		if (ioctl(fd, TCPSTATS_IOC_PROFILE_SET, &pa) != 0)
			profile_ioctl_failed(fd, o, "TCPSTATS_IOC_PROFILE_SET");
		break;
	case RT_MODE_DELETE:
		if (ioctl(fd, TCPSTATS_IOC_PROFILE_DEL, &pa) != 0)
			profile_ioctl_failed(fd, o, "TCPSTATS_IOC_PROFILE_DEL");
		break;
	default:
		errx(1, "internal error: mode %d is not a profile operation",
		    (int)o->ro_mode);
	}
	return (0);
}

static int
do_stats(int fd, const struct rt_opts *o)
{
	struct tcpstats_counters c;
	char text[4096];
	int n;

	memset(&c, 0, sizeof(c));
	if (ioctl(fd, TCPSTATS_IOC_GLOBAL_STATS, &c) != 0)
		err(1, "%s: TCPSTATS_IOC_GLOBAL_STATS", o->ro_device);
	if (o->ro_output == RT_OUT_JSON)
		n = format_counters_json(&c, text, sizeof(text));
	else
		n = format_counters(&c, text, sizeof(text));
	if (n < 0)
		errx(1, "internal error: counters do not fit %zu bytes",
		    sizeof(text));
	printf("%s\n", text);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct rt_opts o;
	char why[256];
	int fd, rc;

	if (rt_parse_args(argc, argv, getenv(RT_DEVICE_ENV), &o, why,
	    sizeof(why)) != 0) {
		warnx("%s", why);
		usage();
	}

	fd = open(o.ro_device, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err(1, "%s", o.ro_device);
	check_provider(fd, o.ro_device);

	switch (o.ro_mode) {
	case RT_MODE_READ:
		rc = do_read(fd, &o);
		break;
	case RT_MODE_STATS:
		rc = do_stats(fd, &o);
		break;
	default:
		rc = do_profile(fd, &o);
		break;
	}

	close(fd);
	return (rc);
}
