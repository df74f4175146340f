/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_caret.c -- how read_tcpstats shows a rejected filter: the text
 * with unprintable bytes masked, and a caret under the error's column.
 */

#include <criterion/criterion.h>

#include <string.h>

#include "format.h"

Test(caret, column_one_is_first_byte)
{
	char buf[64];

	format_caret_line("local_prot=80", 1, buf, sizeof(buf));
	cr_expect_str_eq(buf, "^", "expected \"^\", got \"%s\"", buf);
}

Test(caret, column_points_inside_text)
{
	char buf[64];

	/* "local_port=0": the value starts at column 12. */
	format_caret_line("local_port=0", 12, buf, sizeof(buf));
	cr_expect_str_eq(buf, "           ^",
	    "expected 11 blanks and a caret, got \"%s\"", buf);
}

Test(caret, column_just_past_end)
{
	char buf[64];

	/* "local_port=" ends at 11; an error about the missing value: 12. */
	format_caret_line("local_port=", 12, buf, sizeof(buf));
	cr_expect_str_eq(buf, "           ^",
	    "expected the caret right after the text, got \"%s\"", buf);
}

Test(caret, column_far_past_end_is_clamped)
{
	char buf[64];

	/* A length error reports column 512 on a short echo. */
	format_caret_line("abc", 512, buf, sizeof(buf));
	cr_expect_str_eq(buf, "   ^",
	    "expected the caret clamped after the text, got \"%s\"", buf);
}

Test(caret, column_zero_gives_empty_line)
{
	char buf[64];
	int n;

	n = format_caret_line("abc", 0, buf, sizeof(buf));
	cr_expect_eq(n, 0, "expected length 0, got %d", n);
	cr_expect_str_eq(buf, "");
}

Test(caret, tabs_are_copied_to_keep_alignment)
{
	char buf[64];

	format_caret_line("a\tb c", 5, buf, sizeof(buf));
	cr_expect_str_eq(buf, " \t  ^",
	    "expected blank, tab, two blanks, caret; got \"%s\"", buf);
}

Test(caret, echo_masks_unprintable_bytes)
{
	char buf[64];

	format_filter_echo("a\nb\x80" "c\td\x01", buf, sizeof(buf));
	cr_expect_str_eq(buf, "a?b?c\td?",
	    "expected newline, 0x80 and 0x01 as '?', tab kept; got \"%s\"",
	    buf);
}

Test(caret, echo_and_caret_have_equal_widths)
{
	const char *text = "exclude=\x7fstab";
	char echo[64], caret[64];

	format_filter_echo(text, echo, sizeof(echo));
	format_caret_line(text, 9, caret, sizeof(caret));
	cr_expect_eq(echo[strlen(caret) - 1], '?',
	    "expected the caret under the masked byte; echo \"%s\", caret "
	    "\"%s\"", echo, caret);
}
