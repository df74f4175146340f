/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_ioctl.h -- the ioctls of /dev/tcpstats (and of tcpstatsd's
 * device file on Linux).  Group 'T', fixed-size arguments, so the same
 * definitions pass through FreeBSD's generic ioctl copy and through FUSE's
 * restricted ioctls unchanged.
 *
 * Error details: a call that rejects its argument (EINVAL) cannot return
 * data on FreeBSD, where the kernel copies an ioctl's result out only on
 * success.  The reason is therefore kept per reader and fetched with
 * TCPSTATS_IOC_LASTERR.
 */

#ifndef _TCPSTATS_IOCTL_H_
#define	_TCPSTATS_IOCTL_H_

#include "tcpstats_abi.h"

#if defined(_KERNEL) || defined(__FreeBSD__)
#include <sys/ioccom.h>
#elif defined(TCPSTATS_FREESTANDING)
/*
 * The freestanding check has no system headers; any encoding serves a
 * compile check.  This one keeps direction, size, group and number in
 * separate bits, so distinct commands stay distinct.
 */
#define	TCPSTATS_IOC_ENC(dir, grp, num, len)				\
	((unsigned long)(dir) << 30 | (unsigned long)(len) << 16 |	\
	    (unsigned long)(grp) << 8 | (unsigned long)(num))
#define	_IO(grp, num)		TCPSTATS_IOC_ENC(0, grp, num, 0)
#define	_IOR(grp, num, t)	TCPSTATS_IOC_ENC(1, grp, num, sizeof(t))
#define	_IOW(grp, num, t)	TCPSTATS_IOC_ENC(2, grp, num, sizeof(t))
#define	_IOWR(grp, num, t)	TCPSTATS_IOC_ENC(3, grp, num, sizeof(t))
#else
#include <sys/ioctl.h>
#endif

/*
 * TCPSTATS_IOC_VERSION: protocol and record sizes.  tv_abi is 0 or
 * TCPSTATS_ABI_VERSION on the way in (anything else: EINVAL) and the
 * provider's ABI on the way out.  tv_count_hint estimates the sockets a
 * full read would visit, for sizing a buffer.
 */
struct tcpstats_version {
	uint32_t	tv_abi;		/* in: 0 or ours; out: provider's */
	uint16_t	tv_rec_version;	/* out: TCPSTATS_REC_VERSION */
	uint16_t	tv_hdr_size;	/* out: record header bytes */
	uint32_t	tv_full_size;	/* out: full record bytes */
	uint32_t	tv_rec_size;	/* out: record size under this filter */
	uint32_t	tv_count_hint;	/* out: sockets in the reader's stack */
	uint32_t	tv_provider;	/* out: TCPSTATS_PROVIDER_* */
};

#define	TCPSTATS_PROVIDER_KMOD	1	/* FreeBSD kernel module */
#define	TCPSTATS_PROVIDER_FUSE	2	/* tcpstatsd on Linux */

/*
 * Filter text, in (SETFILTER: at most TCPSTATS_FILTER_MAXLEN bytes and a
 * NUL within the buffer) or out (GETFILTER: canonical form, profiles
 * merged in).
 */
struct tcpstats_filter_arg {
	char		tfa_text[TCPSTATS_CANON_MAX];
};

/* Profile by name; tpa_text is the filter text (empty for DEL and GET). */
struct tcpstats_profile_arg {
	char		tpa_name[TCPSTATS_NAME_BUF];
	char		tpa_text[TCPSTATS_FILTER_MAXLEN + 1];
};

struct tcpstats_profile_list {
	uint32_t	tpl_count;	/* names filled in */
	uint32_t	tpl_pad;
	char		tpl_names[TCPSTATS_MAX_PROFILES][TCPSTATS_NAME_BUF];
};

#define	TCPSTATS_IOC_VERSION	_IOWR('T', 1, struct tcpstats_version)
#define	TCPSTATS_IOC_SETFILTER	_IOW('T', 2, struct tcpstats_filter_arg)
#define	TCPSTATS_IOC_GETFILTER	_IOR('T', 3, struct tcpstats_filter_arg)
#define	TCPSTATS_IOC_REWIND	_IO('T', 4)
#define	TCPSTATS_IOC_READER_STATS _IOR('T', 5, struct tcpstats_counters)
#define	TCPSTATS_IOC_GLOBAL_STATS _IOR('T', 6, struct tcpstats_counters)
#define	TCPSTATS_IOC_LASTERR	_IOR('T', 7, struct tcpstats_errinfo)
#define	TCPSTATS_IOC_PROFILE_SET _IOW('T', 8, struct tcpstats_profile_arg)
#define	TCPSTATS_IOC_PROFILE_GET _IOWR('T', 9, struct tcpstats_profile_arg)
#define	TCPSTATS_IOC_PROFILE_DEL _IOW('T', 10, struct tcpstats_profile_arg)
#define	TCPSTATS_IOC_PROFILE_LIST _IOR('T', 11, struct tcpstats_profile_list)

_Static_assert(sizeof(struct tcpstats_version) == 24, "version arg");
_Static_assert(sizeof(struct tcpstats_filter_arg) == 1536, "filter arg");
_Static_assert(sizeof(struct tcpstats_profile_arg) == 552, "profile arg");
_Static_assert(sizeof(struct tcpstats_profile_list) == 648, "profile list");

#endif /* !_TCPSTATS_IOCTL_H_ */
