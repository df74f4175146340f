/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_table.c -- read_tcpstats' table: cells, absent fields, alignment.
 * Expected rows are spelled out by hand.
 */

#include <criterion/criterion.h>

#include <string.h>

#include "format.h"
#include "tools_test.h"

#define	HEADER	"Proto  State  Local-Address  Remote-Address  RTT  Cwnd  " \
	"Send-Q  Recv-Q"

Test(table, header_with_default_widths)
{
	char buf[FMT_ROW_MAX];

	format_table_header(NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, HEADER, "expected \"%s\", got \"%s\"", HEADER,
	    buf);
}

Test(table, cells_of_ipv4_established)
{
	static const char *const expect[FMT_NCOLS] = { "tcp4", "established",
	    "127.0.0.1:8080", "127.0.0.1:40000", "1.5ms", "14K", "2.0K", "0" };
	struct tcpstats_record r;
	struct fmt_cells c;
	int i;

	tt_record_v4(&r);
	fmt_record_cells(&r, &c);
	for (i = 0; i < FMT_NCOLS; i++)
		cr_expect_str_eq(c.fc_cell[i], expect[i],
		    "column %s: expected \"%s\", got \"%s\"",
		    fmt_column_name((enum fmt_column)i), expect[i],
		    c.fc_cell[i]);
}

Test(table, ipv6_listener_in_brackets_with_star_port)
{
	struct tcpstats_record r;
	struct fmt_cells c;

	tt_record_v6_listen(&r);
	fmt_record_cells(&r, &c);
	cr_expect_str_eq(c.fc_cell[FMT_COL_PROTO], "tcp6");
	cr_expect_str_eq(c.fc_cell[FMT_COL_STATE], "listen");
	cr_expect_str_eq(c.fc_cell[FMT_COL_LOCAL], "[2001:db8::33:99]:443",
	    "expected the P8 address whole, got \"%s\"",
	    c.fc_cell[FMT_COL_LOCAL]);
	cr_expect_str_eq(c.fc_cell[FMT_COL_REMOTE], "[::]:*",
	    "expected \"[::]:*\" for a listener's peer, got \"%s\"",
	    c.fc_cell[FMT_COL_REMOTE]);
}

Test(table, row_aligned_to_given_widths)
{
	struct tcpstats_record r;
	struct fmt_widths w;
	char buf[FMT_ROW_MAX];
	const char *expect;

	tt_record_v4(&r);
	fmt_widths_init(&w);
	w.fw_width[FMT_COL_STATE] = 11;
	w.fw_width[FMT_COL_LOCAL] = 16;
	w.fw_width[FMT_COL_REMOTE] = 16;
	/* Names pad right, numbers pad left, two blanks between. */
	expect = "tcp4   established  127.0.0.1:8080    127.0.0.1:40000   "
	    "1.5ms   14K    2.0K       0";
	format_table_row(&r, &w, buf, sizeof(buf));
	cr_expect_str_eq(buf, expect, "expected\n\"%s\"\ngot\n\"%s\"", expect,
	    buf);
}

Test(table, widths_grow_to_longest_cell)
{
	struct tcpstats_record r;
	struct fmt_widths w;
	struct fmt_cells c;

	tt_record_v6_listen(&r);
	fmt_widths_init(&w);
	fmt_record_cells(&r, &c);
	fmt_widths_update(&w, &c);
	cr_expect_eq(w.fw_width[FMT_COL_LOCAL], strlen("[2001:db8::33:99]:443"),
	    "expected Local-Address width 21, got %zu",
	    w.fw_width[FMT_COL_LOCAL]);
	cr_expect_eq(w.fw_width[FMT_COL_PROTO], strlen("Proto"),
	    "expected Proto to keep the header's width 5, got %zu",
	    w.fw_width[FMT_COL_PROTO]);
}

Test(table, absent_fields_print_dash)
{
	struct tcpstats_record r;
	struct fmt_cells c;

	tt_record_v4(&r);
	r.tr_hdr.trh_absent = TCPSTATS_A_SRTT | TCPSTATS_A_SND_CWND |
	    TCPSTATS_A_RCV_CC;
	fmt_record_cells(&r, &c);
	cr_expect_str_eq(c.fc_cell[FMT_COL_RTT], "-", "RTT: got \"%s\"",
	    c.fc_cell[FMT_COL_RTT]);
	cr_expect_str_eq(c.fc_cell[FMT_COL_CWND], "-", "Cwnd: got \"%s\"",
	    c.fc_cell[FMT_COL_CWND]);
	cr_expect_str_eq(c.fc_cell[FMT_COL_RECVQ], "-", "Recv-Q: got \"%s\"",
	    c.fc_cell[FMT_COL_RECVQ]);
	cr_expect_str_eq(c.fc_cell[FMT_COL_SENDQ], "2.0K",
	    "Send-Q is not absent: expected \"2.0K\", got \"%s\"",
	    c.fc_cell[FMT_COL_SENDQ]);
}

Test(table, groups_not_carried_print_dash)
{
	struct tcpstats_record r;
	struct fmt_cells c;
	int i;

	tt_record_v4(&r);
	r.tr_hdr.trh_fields = TCPSTATS_F_IDENTITY | TCPSTATS_F_STATE;
	fmt_record_cells(&r, &c);
	for (i = FMT_COL_RTT; i < FMT_NCOLS; i++)
		cr_expect_str_eq(c.fc_cell[i], "-",
		    "column %s of a record without its group: expected \"-\", "
		    "got \"%s\"", fmt_column_name((enum fmt_column)i),
		    c.fc_cell[i]);
	cr_expect_str_eq(c.fc_cell[FMT_COL_STATE], "established");
}

Test(table, no_identity_prints_dash_addresses)
{
	struct tcpstats_record r;
	struct fmt_cells c;

	tt_record_v4(&r);
	r.tr_hdr.trh_fields = TCPSTATS_F_STATE;
	fmt_record_cells(&r, &c);
	cr_expect_str_eq(c.fc_cell[FMT_COL_PROTO], "-");
	cr_expect_str_eq(c.fc_cell[FMT_COL_LOCAL], "-");
	cr_expect_str_eq(c.fc_cell[FMT_COL_REMOTE], "-");
}

Test(table, unknown_state_number_is_shown)
{
	struct tcpstats_record r;
	struct fmt_cells c;

	tt_record_v4(&r);
	r.tr_state.tst_state = 12;
	fmt_record_cells(&r, &c);
	cr_expect_str_eq(c.fc_cell[FMT_COL_STATE], "state12",
	    "expected \"state12\", got \"%s\"", c.fc_cell[FMT_COL_STATE]);
}

Test(table, every_state_has_its_name)
{
	static const char *const names[TCPSTATS_NSTATES] = { "closed",
	    "listen", "syn_sent", "syn_received", "established", "close_wait",
	    "fin_wait_1", "closing", "last_ack", "fin_wait_2", "time_wait" };
	struct tcpstats_record r;
	struct fmt_cells c;
	unsigned int s;

	tt_record_v4(&r);
	for (s = 0; s < TCPSTATS_NSTATES; s++) {
		r.tr_state.tst_state = (uint8_t)s;
		fmt_record_cells(&r, &c);
		cr_expect_str_eq(c.fc_cell[FMT_COL_STATE], names[s],
		    "state %u: expected \"%s\", got \"%s\"", s, names[s],
		    c.fc_cell[FMT_COL_STATE]);
	}
}

Test(table, row_has_no_trailing_blank)
{
	struct tcpstats_record r;
	char buf[FMT_ROW_MAX];
	size_t n;

	tt_record_v4(&r);
	format_table_row(&r, NULL, buf, sizeof(buf));
	n = strlen(buf);
	cr_assert_gt(n, 0, "expected a row");
	cr_expect_neq(buf[n - 1], ' ', "row ends in a blank: \"%s\"", buf);
}

Test(table, row_buffer_too_small_fails)
{
	struct tcpstats_record r;
	char buf[20];
	int n;

	tt_record_v4(&r);
	n = format_table_row(&r, NULL, buf, sizeof(buf));
	cr_expect_eq(n, -1, "expected -1 for a 20-byte row buffer, got %d", n);
}
