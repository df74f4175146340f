/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * probes.h -- USDT probes, provider tcpstats.
 *
 * FreeBSD's SDT probes are named function:name (read:entry); USDT has one
 * name per probe, so `function:name' becomes `function__name' (bpftrace:
 * usdt:tcpstatsd:tcpstats:read__entry; DTrace shows read-entry).
 *
 *	probe			arguments
 *	read__entry		reader id, bytes asked (resid)
 *	read__done		reader id, records, bytes, errno (0 = none)
 *	filter__skip		reader id, TCPSTATS_SKIP_*, lport, rport
 *	filter__match		reader id, lport, rport
 *	fill__done		reader id, record bytes
 *	profile__create		name (char *)
 *	profile__destroy	name (char *)
 *
 * Without sys/sdt.h the probes compile to nothing.
 */

#ifndef _TSD_PROBES_H_
#define	_TSD_PROBES_H_

#ifdef TSD_HAVE_SDT
#include <sys/sdt.h>
/*
 * sys/sdt.h builds its argument lists with a GNU variadic-macro extension
 * (standard only in C23) that clang's -Wpedantic reports at every probe;
 * the probes are fine.
 */
#ifdef __clang__
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#if __has_warning("-Wc23-extensions")
#pragma clang diagnostic ignored "-Wc23-extensions"
#endif
#endif
#define	TSD_PROBE1(n, a)		DTRACE_PROBE1(tcpstats, n, a)
#define	TSD_PROBE2(n, a, b)	DTRACE_PROBE2(tcpstats, n, a, b)
#define	TSD_PROBE3(n, a, b, c)						\
	DTRACE_PROBE3(tcpstats, n, a, b, c)
#define	TSD_PROBE4(n, a, b, c, d)					\
	DTRACE_PROBE4(tcpstats, n, a, b, c, d)
#else
#define	TSD_PROBE1(n, a)		do { } while (0)
#define	TSD_PROBE2(n, a, b)		do { } while (0)
#define	TSD_PROBE3(n, a, b, c)		do { } while (0)
#define	TSD_PROBE4(n, a, b, c, d)	do { } while (0)
#endif

#endif /* !_TSD_PROBES_H_ */
