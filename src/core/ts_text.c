/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ts_text.c -- a bounded text writer for canonical filters and error
 * messages.  It never writes past its buffer and always leaves it
 * NUL-terminated; overflow is recorded, not fatal.
 */

#include "core_impl.h"

#define	TS_QUOTE_MAX	48	/* bytes of user text quoted in a message */

void
ts_wb_init(struct ts_wbuf *wb, char *buf, size_t cap)
{

	wb->wb_buf = buf;
	wb->wb_cap = cap;
	wb->wb_len = 0;
	wb->wb_full = (cap == 0);
	if (cap > 0)
		buf[0] = '\0';
}

void
ts_wb_mem(struct ts_wbuf *wb, const char *s, size_t n)
{
	size_t room;

	if (wb->wb_cap == 0)
		return;
	room = wb->wb_cap - 1 - wb->wb_len;
	if (n > room) {
		n = room;
		wb->wb_full = true;
	}
	memcpy(wb->wb_buf + wb->wb_len, s, n);
	wb->wb_len += n;
	wb->wb_buf[wb->wb_len] = '\0';
}

void
ts_wb_str(struct ts_wbuf *wb, const char *s)
{

	ts_wb_mem(wb, s, strlen(s));
}

void
ts_wb_char(struct ts_wbuf *wb, char c)
{

	ts_wb_mem(wb, &c, 1);
}

void
ts_wb_uint(struct ts_wbuf *wb, uint32_t v)
{
	char tmp[10];
	size_t i;

	i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	ts_wb_mem(wb, tmp + i, sizeof(tmp) - i);
}

/*
 * Filter text is printable ASCII by the time it is quoted, but names from
 * an ioctl or a sysctl are not: their other bytes are written as \xHH so
 * that a message never carries raw bytes from the caller.
 */
void
ts_wb_quote(struct ts_wbuf *wb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, m;
	unsigned char c;

	m = n > TS_QUOTE_MAX ? TS_QUOTE_MAX : n;
	ts_wb_char(wb, '\'');
	for (i = 0; i < m; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			ts_wb_char(wb, (char)c);
			continue;
		}
		ts_wb_str(wb, "\\x");
		ts_wb_char(wb, hex[c >> 4]);
		ts_wb_char(wb, hex[c & 0xf]);
	}
	if (n > TS_QUOTE_MAX)
		ts_wb_str(wb, "...");
	ts_wb_char(wb, '\'');
}
