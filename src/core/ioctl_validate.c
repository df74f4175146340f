/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ioctl_validate.c -- argument checks for the ioctls of /dev/tcpstats,
 * shared by the kernel module and tcpstatsd.
 *
 * Nothing here trusts the argument: every string is looked at only within
 * its fixed-size buffer, and every failure says what was expected.  Once a
 * name is known to end within its buffer, the one profile name rule of
 * profile.c decides it.
 */

#include "core_impl.h"
#include "tcpstats_validate.h"

/* Clear *err, set its column and directive, and start its message. */
static void
ts_v_fail(struct tcpstats_errinfo *err, struct ts_wbuf *wb,
    const char *directive, uint32_t column)
{

	memset(err, 0, sizeof(*err));
	err->tei_column = column;
	ts_strlcpy(err->tei_directive, directive, sizeof(err->tei_directive));
	ts_wb_init(wb, err->tei_message, sizeof(err->tei_message));
}

/* Start "<what> has no NUL within its <size>-byte buffer". */
static void
ts_v_unterminated(struct tcpstats_errinfo *err, struct ts_wbuf *wb,
    const char *directive, const char *what, size_t size)
{

	ts_v_fail(err, wb, directive, 0);
	ts_wb_str(wb, what);
	ts_wb_str(wb, " has no NUL within its ");
	ts_wb_uint(wb, (uint32_t)size);
	ts_wb_str(wb, "-byte buffer");
}

int
tcpstats_validate_version(const struct tcpstats_version *v,
    struct tcpstats_errinfo *err)
{
	struct ts_wbuf wb;

	if (v->tv_abi == 0 || v->tv_abi == TCPSTATS_ABI_VERSION)
		return (TCPSTATS_OK);
	ts_v_fail(err, &wb, "", 0);
	ts_wb_str(&wb, "tv_abi ");
	ts_wb_uint(&wb, v->tv_abi);
	ts_wb_str(&wb, " is not supported; expected 0 or ");
	ts_wb_uint(&wb, TCPSTATS_ABI_VERSION);
	return (TCPSTATS_E_INVAL);
}

int
tcpstats_validate_filter(const struct tcpstats_filter_arg *a,
    struct tcpstats_errinfo *err)
{
	struct ts_wbuf wb;
	size_t len;

	len = ts_strnlen(a->tfa_text, sizeof(a->tfa_text));
	if (len == sizeof(a->tfa_text)) {
		ts_v_unterminated(err, &wb, "", "filter text",
		    sizeof(a->tfa_text));
		return (TCPSTATS_E_INVAL);
	}
	if (len > TCPSTATS_FILTER_MAXLEN) {
		/* Where the parser puts an over-long text. */
		ts_v_fail(err, &wb, "", TCPSTATS_FILTER_MAXLEN + 1);
		ts_wb_str(&wb, "filter text is ");
		ts_wb_uint(&wb, (uint32_t)len);
		ts_wb_str(&wb, " bytes; the limit is ");
		ts_wb_uint(&wb, TCPSTATS_FILTER_MAXLEN);
		return (TCPSTATS_E_INVAL);
	}
	return (TCPSTATS_OK);
}

int
tcpstats_validate_profile_name(const char *name, size_t bufsize,
    struct tcpstats_errinfo *err)
{
	struct ts_wbuf wb;

	if (ts_strnlen(name, bufsize) == bufsize) {
		ts_v_unterminated(err, &wb, "profile", "profile name",
		    bufsize);
		return (TCPSTATS_E_INVAL);
	}
	memset(err, 0, sizeof(*err));
	return (tcpstats_profile_name_check(name, err));
}

int
tcpstats_validate_profile(const struct tcpstats_profile_arg *a, int text,
    struct tcpstats_errinfo *err)
{
	struct ts_wbuf wb;
	int rc;

	rc = tcpstats_validate_profile_name(a->tpa_name, sizeof(a->tpa_name),
	    err);
	if (rc != TCPSTATS_OK)
		return (rc);
	if (text == TCPSTATS_V_TEXT_IN &&
	    ts_strnlen(a->tpa_text, sizeof(a->tpa_text)) ==
	    sizeof(a->tpa_text)) {
		ts_v_unterminated(err, &wb, "profile", "profile text",
		    sizeof(a->tpa_text));
		ts_wb_str(&wb, " (at most ");
		ts_wb_uint(&wb, TCPSTATS_FILTER_MAXLEN);
		ts_wb_str(&wb, " bytes of text)");
		return (TCPSTATS_E_INVAL);
	}
	return (TCPSTATS_OK);
}

int
tcpstats_validate_ioctl(unsigned long cmd, const void *arg,
    struct tcpstats_errinfo *err)
{

	switch (cmd) {
	case TCPSTATS_IOC_VERSION:
		return (tcpstats_validate_version(arg, err));
	case TCPSTATS_IOC_SETFILTER:
		return (tcpstats_validate_filter(arg, err));
	case TCPSTATS_IOC_PROFILE_SET:
		return (tcpstats_validate_profile(arg, TCPSTATS_V_TEXT_IN,
		    err));
	case TCPSTATS_IOC_PROFILE_GET:
	case TCPSTATS_IOC_PROFILE_DEL:
		return (tcpstats_validate_profile(arg,
		    TCPSTATS_V_TEXT_IGNORED, err));
	case TCPSTATS_IOC_GETFILTER:
	case TCPSTATS_IOC_REWIND:
	case TCPSTATS_IOC_READER_STATS:
	case TCPSTATS_IOC_GLOBAL_STATS:
	case TCPSTATS_IOC_LASTERR:
	case TCPSTATS_IOC_PROFILE_LIST:
		/* Output only: nothing comes in. */
		return (TCPSTATS_OK);
	default:
		return (TCPSTATS_V_NOTTY);
	}
}
