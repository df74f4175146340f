/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * rt_args.h -- read_tcpstats' command line, parsed without side effects
 * so that its errors can be tested.
 */

#ifndef _TCPSTATS_TOOLS_RT_ARGS_H_
#define	_TCPSTATS_TOOLS_RT_ARGS_H_

#include <stdbool.h>
#include <stddef.h>

#include "tcpstats_abi.h"

#define	RT_DEFAULT_DEVICE	"/dev/tcpstats"
#define	RT_DEVICE_ENV		"TCPSTATS_DEV"

enum rt_mode {
	RT_MODE_READ,		/* print the records (default) */
	RT_MODE_LIST,		/* -L: profile names */
	RT_MODE_SHOW,		/* -S: one profile's text */
	RT_MODE_SET,		/* -P: create or replace a profile */
	RT_MODE_DELETE,		/* -D: delete a profile */
	RT_MODE_STATS,		/* -s: global counters */
};

enum rt_output {
	RT_OUT_TABLE,
	RT_OUT_JSON,		/* -j */
	RT_OUT_COUNT,		/* -c */
};

struct rt_opts {
	enum rt_mode	 ro_mode;
	enum rt_output	 ro_output;
	bool		 ro_noheader;	/* -H */
	bool		 ro_canon;	/* -F: print the active filter */
	const char	*ro_device;	/* -d, $TCPSTATS_DEV or the default */
	const char	*ro_filter;	/* -f, or NULL */
	const char	*ro_profile;	/* -p, or NULL */
	/* -S, -D, -P: the profile's name; -P: its text. */
	char		 ro_name[TCPSTATS_NAME_BUF];
	char		 ro_text[TCPSTATS_FILTER_MAXLEN + 1];
	/* The filter to apply: -f text, or "profile=NAME" for -p. */
	char		 ro_apply[TCPSTATS_FILTER_MAXLEN + 1];
};

/*
 * Parse argv into *o.  env_device is $TCPSTATS_DEV (or NULL).  On a usage
 * error returns -1 with a one-line reason in err; 0 otherwise.  Resets
 * getopt's state first, so it may be called more than once in a process.
 */
int	rt_parse_args(int argc, char *argv[], const char *env_device,
	    struct rt_opts *o, char *err, size_t errlen);

#endif /* !_TCPSTATS_TOOLS_RT_ARGS_H_ */
