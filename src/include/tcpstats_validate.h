/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_validate.h -- complete checks of every ioctl argument of
 * /dev/tcpstats, done before a provider acts on it.
 *
 * Part of the portable core, so the kernel module and tcpstatsd apply the
 * same checks with the same messages.  Each function returns TCPSTATS_OK
 * or TCPSTATS_E_INVAL; on failure *err holds the column (0 when none
 * applies), the directive ("" or "profile") and a message naming what
 * was wrong and what was expected.  tei_errno is left at 0 for the
 * caller to fill.
 */

#ifndef _TCPSTATS_VALIDATE_H_
#define	_TCPSTATS_VALIDATE_H_

#include "tcpstats_ioctl.h"
#include "tcpstats_filter.h"

/* tcpstats_validate_ioctl() on a command this device does not have. */
#define	TCPSTATS_V_NOTTY	100

/* How a profile ioctl uses tpa_text. */
#define	TCPSTATS_V_TEXT_IGNORED	0	/* GET (out only), DEL (unused) */
#define	TCPSTATS_V_TEXT_IN	1	/* SET: filter text, NUL-terminated */

/* tv_abi is 0 or TCPSTATS_ABI_VERSION; the other fields are outputs. */
int	tcpstats_validate_version(const struct tcpstats_version *v,
	    struct tcpstats_errinfo *err);

/* A NUL within tfa_text, at most TCPSTATS_FILTER_MAXLEN bytes before it. */
int	tcpstats_validate_filter(const struct tcpstats_filter_arg *a,
	    struct tcpstats_errinfo *err);

/*
 * A NUL within bufsize bytes of name, then tcpstats_profile_name_check():
 * the column is the position of the first byte a name cannot hold.
 */
int	tcpstats_validate_profile_name(const char *name, size_t bufsize,
	    struct tcpstats_errinfo *err);

/* tpa_name as above; tpa_text NUL-terminated when text is _TEXT_IN. */
int	tcpstats_validate_profile(const struct tcpstats_profile_arg *a,
	    int text, struct tcpstats_errinfo *err);

/*
 * Dispatch on an ioctl command: the check its argument needs (commands
 * without input pass, arg unread), or TCPSTATS_V_NOTTY for an unknown
 * command.
 */
int	tcpstats_validate_ioctl(unsigned long cmd, const void *arg,
	    struct tcpstats_errinfo *err);

#endif /* !_TCPSTATS_VALIDATE_H_ */
