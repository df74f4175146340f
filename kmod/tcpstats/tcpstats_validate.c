/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_validate.c -- argument checks for the ioctls of /dev/tcpstats.
 *
 * Nothing here trusts the argument: every string is looked at only within
 * its fixed-size buffer, and every failure says what was expected.  The
 * messages are built without printf so that the file needs nothing a
 * kernel lacks.
 */

#ifdef _KERNEL
#include <sys/param.h>
#include <sys/systm.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#include "tcpstats_validate.h"

/* A message under construction in a fixed buffer; never overflows. */
struct msgbuf_ts {
	char	*mb_buf;
	size_t	 mb_len;
	size_t	 mb_size;
};

static void
msg_str(struct msgbuf_ts *mb, const char *s)
{

	while (*s != '\0' && mb->mb_len + 1 < mb->mb_size)
		mb->mb_buf[mb->mb_len++] = *s++;
	mb->mb_buf[mb->mb_len] = '\0';
}

static void
msg_uint(struct msgbuf_ts *mb, unsigned long v)
{
	char digits[24];
	int n;

	n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < (int)sizeof(digits));
	while (n > 0 && mb->mb_len + 1 < mb->mb_size)
		mb->mb_buf[mb->mb_len++] = digits[--n];
	mb->mb_buf[mb->mb_len] = '\0';
}

/*
 * Copy at most max bytes of a user string into the message, escaping
 * anything that is not printable ASCII, so that a message never carries
 * raw bytes from the caller.
 */
static void
msg_quoted(struct msgbuf_ts *mb, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t i;
	char esc[5];

	msg_str(mb, "'");
	for (i = 0; i < max && s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			esc[0] = (char)c;
			esc[1] = '\0';
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 0xf];
			esc[4] = '\0';
		}
		msg_str(mb, esc);
	}
	msg_str(mb, "'");
}

static struct msgbuf_ts
err_start(struct tcpstats_errinfo *err, const char *directive,
    uint32_t column)
{
	struct msgbuf_ts mb;

	memset(err, 0, sizeof(*err));
	err->tei_column = column;
	mb.mb_buf = err->tei_directive;
	mb.mb_len = 0;
	mb.mb_size = sizeof(err->tei_directive);
	msg_str(&mb, directive);
	mb.mb_buf = err->tei_message;
	mb.mb_len = 0;
	mb.mb_size = sizeof(err->tei_message);
	return (mb);
}

/* Length of s if a NUL lies within size bytes, else size. */
static size_t
bounded_len(const char *s, size_t size)
{
	size_t n;

	for (n = 0; n < size && s[n] != '\0'; n++)
		continue;
	return (n);
}

int
tcpstats_validate_version(const struct tcpstats_version *v,
    struct tcpstats_errinfo *err)
{
	struct msgbuf_ts mb;

	if (v->tv_abi == 0 || v->tv_abi == TCPSTATS_ABI_VERSION)
		return (TCPSTATS_OK);
	mb = err_start(err, "", 0);
	msg_str(&mb, "tv_abi ");
	msg_uint(&mb, v->tv_abi);
	msg_str(&mb, " is not supported; expected 0 or ");
	msg_uint(&mb, TCPSTATS_ABI_VERSION);
	return (TCPSTATS_E_INVAL);
}

int
tcpstats_validate_filter(const struct tcpstats_filter_arg *a,
    struct tcpstats_errinfo *err)
{
	struct msgbuf_ts mb;
	size_t len;

	len = bounded_len(a->tfa_text, sizeof(a->tfa_text));
	if (len == sizeof(a->tfa_text)) {
		mb = err_start(err, "", 0);
		msg_str(&mb, "filter text has no NUL within its ");
		msg_uint(&mb, sizeof(a->tfa_text));
		msg_str(&mb, "-byte buffer");
		return (TCPSTATS_E_INVAL);
	}
	if (len > TCPSTATS_FILTER_MAXLEN) {
		mb = err_start(err, "", TCPSTATS_FILTER_MAXLEN + 1);
		msg_str(&mb, "filter text is ");
		msg_uint(&mb, len);
		msg_str(&mb, " bytes; the limit is ");
		msg_uint(&mb, TCPSTATS_FILTER_MAXLEN);
		return (TCPSTATS_E_INVAL);
	}
	return (TCPSTATS_OK);
}

int
tcpstats_validate_profile_name(const char *name, size_t bufsize,
    struct tcpstats_errinfo *err)
{
	struct msgbuf_ts mb;
	size_t i, len;
	char c;

	len = bounded_len(name, bufsize);
	if (len == bufsize) {
		mb = err_start(err, "profile", 0);
		msg_str(&mb, "profile name has no NUL within its ");
		msg_uint(&mb, bufsize);
		msg_str(&mb, "-byte buffer");
		return (TCPSTATS_E_INVAL);
	}
	if (len == 0) {
		mb = err_start(err, "profile", 0);
		msg_str(&mb, "profile name is empty; expected 1 to ");
		msg_uint(&mb, TCPSTATS_PROFILE_NAMELEN);
		msg_str(&mb, " characters of a-z, 0-9 and _");
		return (TCPSTATS_E_INVAL);
	}
	if (len > TCPSTATS_PROFILE_NAMELEN) {
		mb = err_start(err, "profile", 0);
		msg_str(&mb, "profile name is ");
		msg_uint(&mb, len);
		msg_str(&mb, " characters; the limit is ");
		msg_uint(&mb, TCPSTATS_PROFILE_NAMELEN);
		return (TCPSTATS_E_INVAL);
	}
	for (i = 0; i < len; i++) {
		c = name[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_')
			continue;
		mb = err_start(err, "profile", (uint32_t)i + 1);
		msg_str(&mb, "profile name ");
		msg_quoted(&mb, name, len);
		msg_str(&mb, ": character ");
		msg_uint(&mb, i + 1);
		msg_str(&mb, " is not one of a-z, 0-9 and _ (names are "
		    "lower-case)");
		return (TCPSTATS_E_INVAL);
	}
	return (TCPSTATS_OK);
}

int
tcpstats_validate_profile(const struct tcpstats_profile_arg *a, int text,
    struct tcpstats_errinfo *err)
{
	struct msgbuf_ts mb;
	int rc;

	rc = tcpstats_validate_profile_name(a->tpa_name, sizeof(a->tpa_name),
	    err);
	if (rc != TCPSTATS_OK)
		return (rc);
	if (text == TCPSTATS_V_TEXT_IN &&
	    bounded_len(a->tpa_text, sizeof(a->tpa_text)) ==
	    sizeof(a->tpa_text)) {
		mb = err_start(err, "profile", 0);
		msg_str(&mb, "profile text has no NUL within its ");
		msg_uint(&mb, sizeof(a->tpa_text));
		msg_str(&mb, "-byte buffer (at most ");
		msg_uint(&mb, TCPSTATS_FILTER_MAXLEN);
		msg_str(&mb, " bytes of text)");
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
