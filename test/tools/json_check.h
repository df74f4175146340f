/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * json_check.h -- a strict JSON (RFC 8259) checker for the tools' tests,
 * written apart from the code under test so that it can judge its output.
 */

#ifndef _TCPSTATS_TEST_JSON_CHECK_H_
#define	_TCPSTATS_TEST_JSON_CHECK_H_

#include <stdbool.h>
#include <stddef.h>

/* True if text is exactly one valid JSON value (blanks around allowed). */
bool	json_valid(const char *text);

/*
 * The raw text of member key of the top-level object text, copied into
 * out.  False if text is not an object or has no such member.
 */
bool	json_member(const char *text, const char *key, char *out,
	    size_t outlen);

#endif /* !_TCPSTATS_TEST_JSON_CHECK_H_ */
