/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * format.c -- read_tcpstats' output formatting (see format.h).
 *
 * Decisions that users see:
 * - Table: a group the record does not carry, or a field the provider
 *   marked absent (trh_absent), prints as "-".  Sizes use binary units
 *   (K = 1024), truncated, one decimal below 10; times pick us, ms or s.
 * - JSON: one object per record.  A group the record does not carry is
 *   left out entirely; a field of a carried group that the provider marked
 *   absent is null.  The socket cookie is a decimal string because it may
 *   exceed the 2^53 that JSON readers keep exact.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tcpstats_filter.h"
#include "format.h"

/* A bounded string builder; overflow is sticky. */
struct fmt_buf {
	char	*fb_buf;
	size_t	 fb_len;
	size_t	 fb_off;
	bool	 fb_overflow;
};

static void
fb_init(struct fmt_buf *fb, char *buf, size_t len)
{

	fb->fb_buf = buf;
	fb->fb_len = len;
	fb->fb_off = 0;
	fb->fb_overflow = (len == 0);
	if (len > 0)
		buf[0] = '\0';
}

static void	fb_printf(struct fmt_buf *fb, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static void
fb_printf(struct fmt_buf *fb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (fb->fb_overflow)
		return;
	room = fb->fb_len - fb->fb_off;
	va_start(ap, fmt);
	n = vsnprintf(fb->fb_buf + fb->fb_off, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		fb->fb_overflow = true;
		fb->fb_off = fb->fb_len - 1;
		return;
	}
	fb->fb_off += (size_t)n;
}

static void
fb_putc(struct fmt_buf *fb, char c)
{

	if (fb->fb_overflow)
		return;
	if (fb->fb_off + 1 >= fb->fb_len) {
		fb->fb_overflow = true;
		return;
	}
	fb->fb_buf[fb->fb_off++] = c;
	fb->fb_buf[fb->fb_off] = '\0';
}

static int
fb_done(const struct fmt_buf *fb)
{

	return (fb->fb_overflow ? -1 : (int)fb->fb_off);
}

/* --- units -------------------------------------------------------------- */

int
fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "KMGTPE";
	struct fmt_buf fb;
	uint64_t whole, rest;
	unsigned int shift, i;

	fb_init(&fb, buf, len);
	if (bytes < 1024) {
		fb_printf(&fb, "%" PRIu64, bytes);
		return (fb_done(&fb));
	}
	/* Largest unit that leaves a whole part of at least 1. */
	i = 0;
	shift = 10;
	while (i + 1 < sizeof(suffix) - 1 && (bytes >> (shift + 10)) != 0) {
		i++;
		shift += 10;
	}
	whole = bytes >> shift;
	rest = bytes & ((UINT64_C(1) << shift) - 1);
	if (whole < 10)
		fb_printf(&fb, "%" PRIu64 ".%" PRIu64 "%c", whole,
		    (rest * 10) >> shift, suffix[i]);
	else
		fb_printf(&fb, "%" PRIu64 "%c", whole, suffix[i]);
	return (fb_done(&fb));
}

int
fmt_usec(uint64_t usec, char *buf, size_t len)
{
	struct fmt_buf fb;

	fb_init(&fb, buf, len);
	if (usec < 1000)
		fb_printf(&fb, "%" PRIu64 "us", usec);
	else if (usec < 1000000)
		fb_printf(&fb, "%" PRIu64 ".%" PRIu64 "ms", usec / 1000,
		    usec % 1000 / 100);
	else
		fb_printf(&fb, "%" PRIu64 ".%" PRIu64 "s", usec / 1000000,
		    usec % 1000000 / 100000);
	return (fb_done(&fb));
}

/* --- addresses ---------------------------------------------------------- */

static bool
fmt_addr(uint8_t family, const uint8_t addr[16], char *buf, size_t len)
{

	if (family == TCPSTATS_AF_INET)
		return (inet_ntop(AF_INET, addr, buf, (socklen_t)len) != NULL);
	if (family == TCPSTATS_AF_INET6)
		return (inet_ntop(AF_INET6, addr, buf, (socklen_t)len) !=
		    NULL);
	return (false);
}

int
fmt_endpoint(uint8_t family, const uint8_t addr[16], uint16_t port,
    char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	struct fmt_buf fb;

	fb_init(&fb, buf, len);
	if (!fmt_addr(family, addr, a, sizeof(a))) {
		fb_printf(&fb, "?");
		return (fb_done(&fb));
	}
	fb_printf(&fb, family == TCPSTATS_AF_INET6 ? "[%s]" : "%s", a);
	if (port == 0)
		fb_printf(&fb, ":*");
	else
		fb_printf(&fb, ":%u", (unsigned int)port);
	return (fb_done(&fb));
}

/* --- table -------------------------------------------------------------- */

static const char *const fmt_headers[FMT_NCOLS] = {
	[FMT_COL_PROTO] =	"Proto",
	[FMT_COL_STATE] =	"State",
	[FMT_COL_LOCAL] =	"Local-Address",
	[FMT_COL_REMOTE] =	"Remote-Address",
	[FMT_COL_RTT] =		"RTT",
	[FMT_COL_CWND] =	"Cwnd",
	[FMT_COL_SENDQ] =	"Send-Q",
	[FMT_COL_RECVQ] =	"Recv-Q",
};

/* Numbers align right, names and addresses left. */
static bool
fmt_right_aligned(int col)
{

	return (col >= FMT_COL_RTT);
}

const char *
fmt_column_name(enum fmt_column col)
{

	if ((int)col < 0 || col >= FMT_NCOLS)
		return (NULL);
	return (fmt_headers[col]);
}

static bool
fmt_have(const struct tcpstats_record *rec, uint16_t group, uint64_t absent)
{

	if ((rec->tr_hdr.trh_fields & group) == 0)
		return (false);
	return ((rec->tr_hdr.trh_absent & absent) == 0);
}

void
fmt_record_cells(const struct tcpstats_record *rec, struct fmt_cells *cells)
{
	const struct tcpstats_identity *id = &rec->tr_identity;
	const char *name;
	int i;

	for (i = 0; i < FMT_NCOLS; i++)
		strcpy(cells->fc_cell[i], "-");

	if (rec->tr_hdr.trh_fields & TCPSTATS_F_IDENTITY) {
		if (id->tid_family == TCPSTATS_AF_INET)
			strcpy(cells->fc_cell[FMT_COL_PROTO], "tcp4");
		else if (id->tid_family == TCPSTATS_AF_INET6)
			strcpy(cells->fc_cell[FMT_COL_PROTO], "tcp6");
		else
			snprintf(cells->fc_cell[FMT_COL_PROTO], FMT_CELL_MAX,
			    "tcp?%u", (unsigned int)id->tid_family);
		fmt_endpoint(id->tid_family, id->tid_laddr, id->tid_lport,
		    cells->fc_cell[FMT_COL_LOCAL], FMT_CELL_MAX);
		fmt_endpoint(id->tid_family, id->tid_raddr, id->tid_rport,
		    cells->fc_cell[FMT_COL_REMOTE], FMT_CELL_MAX);
	}
	if (rec->tr_hdr.trh_fields & TCPSTATS_F_STATE) {
		name = tcpstats_state_name(rec->tr_state.tst_state);
		if (name != NULL)
			snprintf(cells->fc_cell[FMT_COL_STATE], FMT_CELL_MAX,
			    "%s", name);
		else
			snprintf(cells->fc_cell[FMT_COL_STATE], FMT_CELL_MAX,
			    "state%u", (unsigned int)rec->tr_state.tst_state);
	}
	if (fmt_have(rec, TCPSTATS_F_RTT, TCPSTATS_A_SRTT))
		fmt_usec(rec->tr_rtt.trt_srtt_us,
		    cells->fc_cell[FMT_COL_RTT], FMT_CELL_MAX);
	if (fmt_have(rec, TCPSTATS_F_CONGESTION, TCPSTATS_A_SND_CWND))
		fmt_bytes(rec->tr_congestion.tcg_snd_cwnd,
		    cells->fc_cell[FMT_COL_CWND], FMT_CELL_MAX);
	if (fmt_have(rec, TCPSTATS_F_BUFFERS, TCPSTATS_A_SND_CC))
		fmt_bytes(rec->tr_buffers.tbf_snd_cc,
		    cells->fc_cell[FMT_COL_SENDQ], FMT_CELL_MAX);
	if (fmt_have(rec, TCPSTATS_F_BUFFERS, TCPSTATS_A_RCV_CC))
		fmt_bytes(rec->tr_buffers.tbf_rcv_cc,
		    cells->fc_cell[FMT_COL_RECVQ], FMT_CELL_MAX);
}

void
fmt_widths_init(struct fmt_widths *w)
{
	int i;

	for (i = 0; i < FMT_NCOLS; i++)
		w->fw_width[i] = strlen(fmt_headers[i]);
}

void
fmt_widths_update(struct fmt_widths *w, const struct fmt_cells *c)
{
	size_t n;
	int i;

	for (i = 0; i < FMT_NCOLS; i++) {
		n = strlen(c->fc_cell[i]);
		if (n > w->fw_width[i])
			w->fw_width[i] = n;
	}
}

/* Cells separated by two spaces, no trailing blanks. */
static int
fmt_row(const char *const cell[FMT_NCOLS], const struct fmt_widths *w,
    char *buf, size_t len)
{
	struct fmt_widths dflt;
	struct fmt_buf fb;
	int i, width;

	if (w == NULL) {
		fmt_widths_init(&dflt);
		w = &dflt;
	}
	fb_init(&fb, buf, len);
	for (i = 0; i < FMT_NCOLS; i++) {
		width = (int)w->fw_width[i];
		if (i > 0)
			fb_printf(&fb, "  ");
		if (fmt_right_aligned(i))
			fb_printf(&fb, "%*s", width, cell[i]);
		else if (i == FMT_NCOLS - 1)
			fb_printf(&fb, "%s", cell[i]);
		else
			fb_printf(&fb, "%-*s", width, cell[i]);
	}
	return (fb_done(&fb));
}

int
format_table_header(const struct fmt_widths *w, char *buf, size_t len)
{

	return (fmt_row(fmt_headers, w, buf, len));
}

int
format_cells_row(const struct fmt_cells *cells, const struct fmt_widths *w,
    char *buf, size_t len)
{
	const char *cell[FMT_NCOLS];
	int i;

	for (i = 0; i < FMT_NCOLS; i++)
		cell[i] = cells->fc_cell[i];
	return (fmt_row(cell, w, buf, len));
}

int
format_table_row(const struct tcpstats_record *rec,
    const struct fmt_widths *w, char *buf, size_t len)
{
	struct fmt_cells cells;

	fmt_record_cells(rec, &cells);
	return (format_cells_row(&cells, w, buf, len));
}

/* --- JSON --------------------------------------------------------------- */

static void
fb_json_string(struct fmt_buf *fb, const char *s, size_t n)
{
	unsigned char c;
	size_t i;

	fb_putc(fb, '"');
	for (i = 0; i < n && s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			fb_putc(fb, '\\');
			fb_putc(fb, (char)c);
		} else if (c == '\n')
			fb_printf(fb, "\\n");
		else if (c == '\t')
			fb_printf(fb, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			/* Not UTF-8 on its own: keep the byte as U+00XX. */
			fb_printf(fb, "\\u%04x", (unsigned int)c);
		else
			fb_putc(fb, (char)c);
	}
	fb_putc(fb, '"');
}

int
format_json_string(const char *src, size_t srclen, char *buf, size_t len)
{
	struct fmt_buf fb;

	fb_init(&fb, buf, len);
	fb_json_string(&fb, src, srclen);
	return (fb_done(&fb));
}

/* A numeric field of a group: where it is and which absent bit covers it. */
struct fmt_jfield {
	uint16_t	 jf_group;
	uint64_t	 jf_absent;
	const char	*jf_name;
	size_t		 jf_off;
	size_t		 jf_size;
};

#define	JF(group, absent, name, member)					\
	{ TCPSTATS_F_##group, TCPSTATS_A_##absent, name,		\
	    offsetof(struct tcpstats_record, member),			\
	    sizeof(((struct tcpstats_record *)0)->member) }

static const struct fmt_jfield fmt_jfields[] = {
	JF(CONGESTION, SND_CWND, "snd_cwnd", tr_congestion.tcg_snd_cwnd),
	JF(CONGESTION, SND_SSTHRESH, "snd_ssthresh",
	    tr_congestion.tcg_snd_ssthresh),
	JF(CONGESTION, SND_WND, "snd_wnd", tr_congestion.tcg_snd_wnd),
	JF(CONGESTION, RCV_WND, "rcv_wnd", tr_congestion.tcg_rcv_wnd),
	JF(CONGESTION, SND_MSS, "snd_mss", tr_congestion.tcg_snd_mss),
	JF(CONGESTION, RCV_MSS, "rcv_mss", tr_congestion.tcg_rcv_mss),
	JF(RTT, SRTT, "srtt_us", tr_rtt.trt_srtt_us),
	JF(RTT, RTTVAR, "rttvar_us", tr_rtt.trt_rttvar_us),
	JF(RTT, RTO, "rto_us", tr_rtt.trt_rto_us),
	JF(RTT, MIN_RTT, "min_rtt_us", tr_rtt.trt_min_rtt_us),
	JF(SEQUENCES, SND_UNA, "snd_una", tr_sequences.tsq_snd_una),
	JF(SEQUENCES, SND_NXT, "snd_nxt", tr_sequences.tsq_snd_nxt),
	JF(SEQUENCES, SND_MAX, "snd_max", tr_sequences.tsq_snd_max),
	JF(SEQUENCES, RCV_NXT, "rcv_nxt", tr_sequences.tsq_rcv_nxt),
	JF(SEQUENCES, ISS, "iss", tr_sequences.tsq_iss),
	JF(SEQUENCES, IRS, "irs", tr_sequences.tsq_irs),
	JF(COUNTERS, BYTES_SENT, "bytes_sent", tr_counters.tct_bytes_sent),
	JF(COUNTERS, BYTES_RECEIVED, "bytes_received",
	    tr_counters.tct_bytes_received),
	JF(COUNTERS, SEGS_SENT, "segs_sent", tr_counters.tct_segs_sent),
	JF(COUNTERS, SEGS_RECEIVED, "segs_received",
	    tr_counters.tct_segs_received),
	JF(COUNTERS, REXMIT_SEGS, "rexmit_segs", tr_counters.tct_rexmit_segs),
	JF(COUNTERS, REXMIT_BYTES, "rexmit_bytes",
	    tr_counters.tct_rexmit_bytes),
	JF(COUNTERS, OOO_SEGS, "ooo_segs", tr_counters.tct_ooo_segs),
	JF(COUNTERS, ZEROWIN, "zerowin", tr_counters.tct_zerowin),
	JF(TIMERS, T_REXMT, "timer_rexmt_ms", tr_timers.ttm_rexmt_ms),
	JF(TIMERS, T_PERSIST, "timer_persist_ms", tr_timers.ttm_persist_ms),
	JF(TIMERS, T_KEEP, "timer_keep_ms", tr_timers.ttm_keep_ms),
	JF(TIMERS, T_2MSL, "timer_2msl_ms", tr_timers.ttm_2msl_ms),
	JF(TIMERS, T_DELACK, "timer_delack_ms", tr_timers.ttm_delack_ms),
	JF(TIMERS, T_IDLE, "idle_ms", tr_timers.ttm_idle_ms),
	JF(BUFFERS, SND_CC, "snd_cc", tr_buffers.tbf_snd_cc),
	JF(BUFFERS, SND_HIWAT, "snd_hiwat", tr_buffers.tbf_snd_hiwat),
	JF(BUFFERS, RCV_CC, "rcv_cc", tr_buffers.tbf_rcv_cc),
	JF(BUFFERS, RCV_HIWAT, "rcv_hiwat", tr_buffers.tbf_rcv_hiwat),
	JF(ECN, CE_RCVD, "ce_rcvd", tr_ecn.tec_ce_rcvd),
};

#undef JF

static const struct {
	unsigned int	 bit;
	const char	*name;
} fmt_options[] = {
	{ TCPSTATS_OPT_TIMESTAMPS, "timestamps" },
	{ TCPSTATS_OPT_SACK, "sack" },
	{ TCPSTATS_OPT_WSCALE, "wscale" },
	{ TCPSTATS_OPT_ECN, "ecn" },
	{ TCPSTATS_OPT_TFO, "tfo" },
}, fmt_ecnflags[] = {
	{ TCPSTATS_ECNF_PERMIT, "permit" },
	{ TCPSTATS_ECNF_ACCECN, "accecn" },
};

static void
fb_json_key(struct fmt_buf *fb, const char *key)
{

	fb_printf(fb, ",\"%s\":", key);
}

static uint64_t
fmt_jfield_value(const struct tcpstats_record *rec,
    const struct fmt_jfield *jf)
{
	const unsigned char *p = (const unsigned char *)rec + jf->jf_off;
	uint64_t v64;
	uint32_t v32;

	if (jf->jf_size == sizeof(v64)) {
		memcpy(&v64, p, sizeof(v64));
		return (v64);
	}
	memcpy(&v32, p, sizeof(v32));
	return (v32);
}

static void
fb_json_bits(struct fmt_buf *fb, unsigned int value,
    const unsigned int *bits, const char *const *names, size_t n)
{
	bool first = true;
	size_t i;

	fb_putc(fb, '[');
	for (i = 0; i < n; i++) {
		if ((value & bits[i]) == 0)
			continue;
		if (!first)
			fb_putc(fb, ',');
		fb_printf(fb, "\"%s\"", names[i]);
		first = false;
	}
	fb_putc(fb, ']');
}

static void
fb_json_optflags(struct fmt_buf *fb, unsigned int value, bool ecn)
{
	unsigned int bits[8];
	const char *names[8];
	size_t i, n;

	n = ecn ? sizeof(fmt_ecnflags) / sizeof(fmt_ecnflags[0]) :
	    sizeof(fmt_options) / sizeof(fmt_options[0]);
	for (i = 0; i < n; i++) {
		bits[i] = ecn ? fmt_ecnflags[i].bit : fmt_options[i].bit;
		names[i] = ecn ? fmt_ecnflags[i].name : fmt_options[i].name;
	}
	fb_json_bits(fb, value, bits, names, n);
}

static void
fb_json_identity(struct fmt_buf *fb, const struct tcpstats_record *rec)
{
	const struct tcpstats_identity *id = &rec->tr_identity;
	char a[INET6_ADDRSTRLEN];

	fb_printf(fb, ",\"proto\":\"%s\",\"family\":%u",
	    id->tid_family == TCPSTATS_AF_INET ? "tcp4" :
	    id->tid_family == TCPSTATS_AF_INET6 ? "tcp6" : "tcp?",
	    (unsigned int)id->tid_family);
	fb_json_key(fb, "local_addr");
	if (fmt_addr(id->tid_family, id->tid_laddr, a, sizeof(a)))
		fb_printf(fb, "\"%s\"", a);
	else
		fb_printf(fb, "null");
	fb_printf(fb, ",\"local_port\":%u", (unsigned int)id->tid_lport);
	fb_json_key(fb, "remote_addr");
	if (fmt_addr(id->tid_family, id->tid_raddr, a, sizeof(a)))
		fb_printf(fb, "\"%s\"", a);
	else
		fb_printf(fb, "null");
	fb_printf(fb, ",\"remote_port\":%u,\"uid\":%" PRIu32
	    ",\"cookie\":\"%" PRIu64 "\"",
	    (unsigned int)id->tid_rport, id->tid_uid, id->tid_cookie);
}

static void
fb_json_state(struct fmt_buf *fb, const struct tcpstats_record *rec)
{
	const struct tcpstats_state *st = &rec->tr_state;
	uint64_t absent = rec->tr_hdr.trh_absent;
	const char *name;

	name = tcpstats_state_name(st->tst_state);
	if (name != NULL)
		fb_printf(fb, ",\"state\":\"%s\"", name);
	else
		fb_printf(fb, ",\"state\":%u", (unsigned int)st->tst_state);
	fb_json_key(fb, "options");
	if (absent & TCPSTATS_A_OPTIONS)
		fb_printf(fb, "null");
	else
		fb_json_optflags(fb, st->tst_options, false);
	if (absent & TCPSTATS_A_WSCALE)
		fb_printf(fb, ",\"snd_wscale\":null,\"rcv_wscale\":null");
	else
		fb_printf(fb, ",\"snd_wscale\":%u,\"rcv_wscale\":%u",
		    (unsigned int)st->tst_snd_wscale,
		    (unsigned int)st->tst_rcv_wscale);
}

/* The numeric fields of one group, in table order. */
static void
fb_json_numbers(struct fmt_buf *fb, const struct tcpstats_record *rec,
    uint16_t group)
{
	const struct fmt_jfield *jf;
	size_t i;

	for (i = 0; i < sizeof(fmt_jfields) / sizeof(fmt_jfields[0]); i++) {
		jf = &fmt_jfields[i];
		if (jf->jf_group != group)
			continue;
		fb_json_key(fb, jf->jf_name);
		if (rec->tr_hdr.trh_absent & jf->jf_absent)
			fb_printf(fb, "null");
		else
			fb_printf(fb, "%" PRIu64, fmt_jfield_value(rec, jf));
	}
}

int
format_json(const struct tcpstats_record *rec, char *buf, size_t len)
{
	uint64_t absent = rec->tr_hdr.trh_absent;
	uint16_t fields = rec->tr_hdr.trh_fields;
	struct fmt_buf fb;
	uint16_t g;

	fb_init(&fb, buf, len);
	fb_printf(&fb, "{\"mapped\":%s",
	    (rec->tr_hdr.trh_flags & TCPSTATS_RF_MAPPED) ? "true" : "false");
	if (fields & TCPSTATS_F_IDENTITY)
		fb_json_identity(&fb, rec);
	if (fields & TCPSTATS_F_STATE)
		fb_json_state(&fb, rec);
	/* Groups in bit order, as the record carries them. */
	for (g = TCPSTATS_F_CONGESTION; g <= TCPSTATS_F_NAMES; g <<= 1) {
		if ((fields & g) == 0)
			continue;
		if (g == TCPSTATS_F_ECN) {
			fb_json_key(&fb, "ecn_flags");
			if (absent & TCPSTATS_A_ECN_FLAGS)
				fb_printf(&fb, "null");
			else
				fb_json_optflags(&fb,
				    rec->tr_ecn.tec_flags, true);
		}
		if (g == TCPSTATS_F_NAMES) {
			fb_json_key(&fb, "cc");
			if (absent & TCPSTATS_A_CC_NAME)
				fb_printf(&fb, "null");
			else
				fb_json_string(&fb, rec->tr_names.tnm_cc,
				    sizeof(rec->tr_names.tnm_cc));
			fb_json_key(&fb, "stack");
			if (absent & TCPSTATS_A_STACK_NAME)
				fb_printf(&fb, "null");
			else
				fb_json_string(&fb, rec->tr_names.tnm_stack,
				    sizeof(rec->tr_names.tnm_stack));
		}
		fb_json_numbers(&fb, rec, g);
	}
	fb_putc(&fb, '}');
	return (fb_done(&fb));
}

/* --- rejected filters --------------------------------------------------- */

int
format_filter_echo(const char *text, char *buf, size_t len)
{
	struct fmt_buf fb;
	unsigned char c;
	size_t i;

	fb_init(&fb, buf, len);
	for (i = 0; text[i] != '\0'; i++) {
		c = (unsigned char)text[i];
		fb_putc(&fb, (c == '\t' || (c >= 0x20 && c < 0x7f)) ?
		    (char)c : '?');
	}
	return (fb_done(&fb));
}

int
format_caret_line(const char *text, unsigned int column, char *buf,
    size_t len)
{
	struct fmt_buf fb;
	size_t i, n, stop;

	fb_init(&fb, buf, len);
	if (column == 0)
		return (fb_done(&fb));
	n = strlen(text);
	stop = (size_t)column - 1;
	if (stop > n)
		stop = n;
	for (i = 0; i < stop; i++)
		fb_putc(&fb, text[i] == '\t' ? '\t' : ' ');
	fb_putc(&fb, '^');
	return (fb_done(&fb));
}

/* --- counters ----------------------------------------------------------- */

/* Names as in the dev.tcpstats sysctl tree. */
static const struct {
	const char	*name;
	size_t		 off;
} fmt_counters[] = {
	{ "opens_total", offsetof(struct tcpstats_counters, tsc_opens_total) },
	{ "active_fds", offsetof(struct tcpstats_counters, tsc_active_fds) },
	{ "reads_total", offsetof(struct tcpstats_counters, tsc_reads_total) },
	{ "sockets_visited",
	    offsetof(struct tcpstats_counters, tsc_sockets_visited) },
	{ "records_emitted",
	    offsetof(struct tcpstats_counters, tsc_records_emitted) },
	{ "reads_timed_out",
	    offsetof(struct tcpstats_counters, tsc_reads_timed_out) },
	{ "reads_interrupted",
	    offsetof(struct tcpstats_counters, tsc_reads_interrupted) },
	{ "read_duration_ns_total",
	    offsetof(struct tcpstats_counters, tsc_read_duration_ns_total) },
	{ "read_duration_ns_max",
	    offsetof(struct tcpstats_counters, tsc_read_duration_ns_max) },
	{ "copyout_errors",
	    offsetof(struct tcpstats_counters, tsc_copyout_errors) },
};

static const char *const fmt_skip_names[TCPSTATS_NSKIP] = {
	"gencnt", "cred", "ipver", "state", "port", "addr"
};

static void
fb_counters(struct fmt_buf *fb, const struct tcpstats_counters *c,
    bool json)
{
	const char *first;
	uint64_t v;
	size_t i;

	first = json ? "{" : "";
	for (i = 0; i < sizeof(fmt_counters) / sizeof(fmt_counters[0]); i++) {
		memcpy(&v, (const char *)c + fmt_counters[i].off, sizeof(v));
		fb_printf(fb, json ? "%s\"%s\":%" PRIu64 : "%s%s %" PRIu64,
		    i == 0 ? first : json ? "," : "\n", fmt_counters[i].name,
		    v);
		if (i == 4) {
			/* The skip reasons follow records_emitted. */
			for (size_t k = 0; k < TCPSTATS_NSKIP; k++)
				fb_printf(fb, json ?
				    ",\"sockets_skipped_%s\":%" PRIu64 :
				    "\nsockets_skipped_%s %" PRIu64,
				    fmt_skip_names[k], c->tsc_skipped[k]);
		}
	}
	fb_printf(fb, json ? ",\"last_error\":%" PRId64 "}" :
	    "\nlast_error %" PRId64, c->tsc_last_error);
}

int
format_counters(const struct tcpstats_counters *c, char *buf, size_t len)
{
	struct fmt_buf fb;

	fb_init(&fb, buf, len);
	fb_counters(&fb, c, false);
	return (fb_done(&fb));
}

int
format_counters_json(const struct tcpstats_counters *c, char *buf,
    size_t len)
{
	struct fmt_buf fb;

	fb_init(&fb, buf, len);
	fb_counters(&fb, c, true);
	return (fb_done(&fb));
}
