/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * format.h -- read_tcpstats' output formatting: table rows, JSON Lines,
 * human units, counters and the caret line under a rejected filter.
 *
 * Nothing here does I/O; every function writes into a caller's buffer so
 * that the formatting can be tested without a device.  Functions that
 * fill a buffer return the length written (NUL excluded), or -1 when the
 * buffer is too small (the buffer then holds a truncated, NUL-terminated
 * string).
 */

#ifndef _TCPSTATS_TOOLS_FORMAT_H_
#define	_TCPSTATS_TOOLS_FORMAT_H_

#include <stddef.h>
#include <stdint.h>

#include "tcpstats_abi.h"

/* The table's columns, in display order. */
enum fmt_column {
	FMT_COL_PROTO,
	FMT_COL_STATE,
	FMT_COL_LOCAL,
	FMT_COL_REMOTE,
	FMT_COL_RTT,
	FMT_COL_CWND,
	FMT_COL_SENDQ,
	FMT_COL_RECVQ,
	FMT_NCOLS
};

/* One cell: an IPv6 address in brackets with a port is the widest. */
#define	FMT_CELL_MAX	56
#define	FMT_ROW_MAX	(FMT_NCOLS * (FMT_CELL_MAX + 2))
#define	FMT_JSON_MAX	4096	/* one JSON record, always enough */

struct fmt_cells {
	char	fc_cell[FMT_NCOLS][FMT_CELL_MAX];
};

/* Column widths; fmt_widths_init() sets them to the headers' widths. */
struct fmt_widths {
	size_t	fw_width[FMT_NCOLS];
};

/* Column headers, "Proto" ... "Recv-Q". */
const char	*fmt_column_name(enum fmt_column col);

/* Human units: 1023 -> "1023", 1024 -> "1.0K", 1536000 -> "1.4M". */
int	fmt_bytes(uint64_t bytes, char *buf, size_t len);

/* Microseconds: 999 -> "999us", 1500 -> "1.5ms", 2500000 -> "2.5s". */
int	fmt_usec(uint64_t usec, char *buf, size_t len);

/* "a.b.c.d:port" or "[v6]:port"; port 0 prints as "*". */
int	fmt_endpoint(uint8_t family, const uint8_t addr[16], uint16_t port,
	    char *buf, size_t len);

/* The cells of one record; absent or unselected fields read "-". */
void	fmt_record_cells(const struct tcpstats_record *rec,
	    struct fmt_cells *cells);

void	fmt_widths_init(struct fmt_widths *w);
void	fmt_widths_update(struct fmt_widths *w, const struct fmt_cells *c);

/* The header line and one row, aligned to w (NULL = header widths). */
int	format_table_header(const struct fmt_widths *w, char *buf,
	    size_t len);
int	format_table_row(const struct tcpstats_record *rec,
	    const struct fmt_widths *w, char *buf, size_t len);
int	format_cells_row(const struct fmt_cells *cells,
	    const struct fmt_widths *w, char *buf, size_t len);

/* One JSON object (no newline) with every field the record carries. */
int	format_json(const struct tcpstats_record *rec, char *buf, size_t len);

/* A JSON string literal, quotes included, of at most srclen bytes. */
int	format_json_string(const char *src, size_t srclen, char *buf,
	    size_t len);

/*
 * A rejected filter: the text with every byte that is not printable
 * ASCII or a tab shown as '?', so that columns stay put, and the line
 * with a caret under the 1-based column (tabs copied so that the caret
 * lines up).  A column past the end points just after the last byte;
 * column 0 gives an empty caret line.
 */
int	format_filter_echo(const char *text, char *buf, size_t len);
int	format_caret_line(const char *text, unsigned int column, char *buf,
	    size_t len);

/* The counters as "name value" lines, or as one JSON object. */
int	format_counters(const struct tcpstats_counters *c, char *buf,
	    size_t len);
int	format_counters_json(const struct tcpstats_counters *c, char *buf,
	    size_t len);

#endif /* !_TCPSTATS_TOOLS_FORMAT_H_ */
