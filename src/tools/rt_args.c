/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * rt_args.c -- read_tcpstats' command line (see rt_args.h and
 * read_tcpstats.1).  Every rule here has a line in the man page.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rt_args.h"

/* Leading colon: problems are reported here, not by getopt. */
#define	RT_OPTSTRING	":cD:d:Ff:HjLP:p:S:s"

static int	rt_fail(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static int
rt_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

/* getopt keeps state between calls; start afresh. */
static void
rt_getopt_reset(void)
{

#if defined(__GLIBC__)
	optind = 0;
#else
	optreset = 1;
	optind = 1;
#endif
}

static int
rt_set_mode(struct rt_opts *o, enum rt_mode mode, int *mode_opt, int ch,
    char *err, size_t errlen)
{

	if (*mode_opt != 0 && *mode_opt != ch)
		return (rt_fail(err, errlen,
		    "options -%c and -%c cannot be combined", *mode_opt, ch));
	if (*mode_opt == ch)
		return (rt_fail(err, errlen, "option -%c given twice", ch));
	*mode_opt = ch;
	o->ro_mode = mode;
	return (0);
}

static int
rt_copy_name(struct rt_opts *o, const char *name, size_t n, int ch,
    char *err, size_t errlen)
{

	if (n == 0)
		return (rt_fail(err, errlen, "-%c: empty profile name", ch));
	if (n > TCPSTATS_PROFILE_NAMELEN)
		return (rt_fail(err, errlen,
		    "-%c: profile name is %zu bytes; the limit is %d", ch, n,
		    TCPSTATS_PROFILE_NAMELEN));
	memcpy(o->ro_name, name, n);
	o->ro_name[n] = '\0';
	return (0);
}

static int
rt_check_text(const char *what, const char *text, char *err, size_t errlen)
{
	size_t n;

	n = strlen(text);
	if (n > TCPSTATS_FILTER_MAXLEN)
		return (rt_fail(err, errlen,
		    "%s is %zu bytes; the limit is %d", what, n,
		    TCPSTATS_FILTER_MAXLEN));
	return (0);
}

/* The cross-option rules, once every option is known. */
static int
rt_validate(struct rt_opts *o, const char *set_arg, int mode_opt,
    char *err, size_t errlen)
{
	const char *eq;

	if (o->ro_filter != NULL && o->ro_profile != NULL)
		return (rt_fail(err, errlen,
		    "options -f and -p cannot be combined"));
	if (o->ro_mode != RT_MODE_READ) {
		if (o->ro_profile != NULL)
			return (rt_fail(err, errlen,
			    "option -p cannot be combined with -%c",
			    mode_opt));
		if (o->ro_output == RT_OUT_COUNT || o->ro_noheader ||
		    o->ro_canon)
			return (rt_fail(err, errlen,
			    "options -c, -F and -H only apply when reading "
			    "records"));
		if (o->ro_output == RT_OUT_JSON && o->ro_mode != RT_MODE_STATS)
			return (rt_fail(err, errlen,
			    "option -j cannot be combined with -%c",
			    mode_opt));
		if (o->ro_filter != NULL && o->ro_mode != RT_MODE_SET)
			return (rt_fail(err, errlen,
			    "option -f cannot be combined with -%c",
			    mode_opt));
	}

	switch (o->ro_mode) {
	case RT_MODE_SET:
		eq = strchr(set_arg, '=');
		if (eq != NULL && o->ro_filter != NULL)
			return (rt_fail(err, errlen,
			    "-P: give the text after '=' or with -f, "
			    "not both"));
		if (eq == NULL && o->ro_filter == NULL)
			return (rt_fail(err, errlen,
			    "-P %s: missing text; use -P NAME=TEXT or "
			    "-P NAME -f TEXT", set_arg));
		if (rt_copy_name(o, set_arg, eq != NULL ?
		    (size_t)(eq - set_arg) : strlen(set_arg), 'P', err,
		    errlen) != 0)
			return (-1);
		if (rt_check_text("profile text", eq != NULL ? eq + 1 :
		    o->ro_filter, err, errlen) != 0)
			return (-1);
		strcpy(o->ro_text, eq != NULL ? eq + 1 : o->ro_filter);
		break;
	case RT_MODE_READ:
		if (o->ro_filter != NULL) {
			if (rt_check_text("filter", o->ro_filter, err,
			    errlen) != 0)
				return (-1);
			strcpy(o->ro_apply, o->ro_filter);
		} else if (o->ro_profile != NULL) {
			if (rt_copy_name(o, o->ro_profile,
			    strlen(o->ro_profile), 'p', err, errlen) != 0)
				return (-1);
			snprintf(o->ro_apply, sizeof(o->ro_apply),
			    "profile=%s", o->ro_name);
		}
		break;
	default:
		break;
	}
	return (0);
}

int
rt_parse_args(int argc, char *argv[], const char *env_device,
    struct rt_opts *o, char *err, size_t errlen)
{
	const char *set_arg = NULL;
	int ch, mode_opt = 0;

	memset(o, 0, sizeof(*o));
	o->ro_mode = RT_MODE_READ;
	o->ro_output = RT_OUT_TABLE;
	o->ro_device = (env_device != NULL && env_device[0] != '\0') ?
	    env_device : RT_DEFAULT_DEVICE;
	if (errlen > 0)
		err[0] = '\0';

	rt_getopt_reset();
	while ((ch = getopt(argc, argv, RT_OPTSTRING)) != -1) {
		switch (ch) {
		case 'c':
			if (o->ro_output == RT_OUT_JSON)
				return (rt_fail(err, errlen,
				    "options -c and -j cannot be combined"));
			o->ro_output = RT_OUT_COUNT;
			break;
		case 'D':
			if (rt_set_mode(o, RT_MODE_DELETE, &mode_opt, ch, err,
			    errlen) != 0 ||
			    rt_copy_name(o, optarg, strlen(optarg), ch, err,
			    errlen) != 0)
				return (-1);
			break;
		case 'd':
			if (optarg[0] == '\0')
				return (rt_fail(err, errlen,
				    "-d: empty device path"));
			o->ro_device = optarg;
			break;
		case 'F':
			o->ro_canon = true;
			break;
		case 'f':
			if (o->ro_filter != NULL)
				return (rt_fail(err, errlen,
				    "option -f given twice"));
			o->ro_filter = optarg;
			break;
		case 'H':
			o->ro_noheader = true;
			break;
		case 'j':
			if (o->ro_output == RT_OUT_COUNT)
				return (rt_fail(err, errlen,
				    "options -c and -j cannot be combined"));
			o->ro_output = RT_OUT_JSON;
			break;
		case 'L':
			if (rt_set_mode(o, RT_MODE_LIST, &mode_opt, ch, err,
			    errlen) != 0)
				return (-1);
			break;
		case 'P':
			if (rt_set_mode(o, RT_MODE_SET, &mode_opt, ch, err,
			    errlen) != 0)
				return (-1);
			set_arg = optarg;
			break;
		case 'p':
			if (o->ro_profile != NULL)
				return (rt_fail(err, errlen,
				    "option -p given twice"));
			o->ro_profile = optarg;
			break;
		case 'S':
			if (rt_set_mode(o, RT_MODE_SHOW, &mode_opt, ch, err,
			    errlen) != 0 ||
			    rt_copy_name(o, optarg, strlen(optarg), ch, err,
			    errlen) != 0)
				return (-1);
			break;
		case 's':
			if (rt_set_mode(o, RT_MODE_STATS, &mode_opt, ch, err,
			    errlen) != 0)
				return (-1);
			break;
		case ':':
			return (rt_fail(err, errlen,
			    "option -%c needs an argument", optopt));
		default:
			if (optopt > 0x20 && optopt < 0x7f)
				return (rt_fail(err, errlen,
				    "unknown option -%c", optopt));
			return (rt_fail(err, errlen,
			    "unknown option (byte 0x%02x)",
			    (unsigned int)(optopt & 0xff)));
		}
	}
	if (optind < argc)
		return (rt_fail(err, errlen, "unexpected argument '%s'",
		    argv[optind]));
	return (rt_validate(o, set_arg, mode_opt, err, errlen));
}
