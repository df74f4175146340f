/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_probes.h -- DTrace SDT probes, provider tcpstats.  tcpstatsd
 * fires USDT probes of the same names with the same arguments.
 *
 *	probe			arguments
 *	read:entry		reader id, bytes asked (uio_resid)
 *	read:done		reader id, records, bytes copied, errno
 *				(ERESTART, -1, for a read to be restarted)
 *	filter:skip		reader id, TCPSTATS_SKIP_* reason, lport, rport
 *	filter:match		reader id, lport, rport
 *	fill:done		reader id, record bytes
 *	profile:create		name
 *	profile:destroy		name
 *
 * Ports are in host byte order.  Without KDTRACE_HOOKS the probes
 * compile to nothing.
 */

#ifndef _TCPSTATS_PROBES_H_
#define	_TCPSTATS_PROBES_H_

#include <sys/sdt.h>

SDT_PROVIDER_DECLARE(tcpstats);
SDT_PROBE_DECLARE(tcpstats, , read, entry);
SDT_PROBE_DECLARE(tcpstats, , read, done);
SDT_PROBE_DECLARE(tcpstats, , filter, skip);
SDT_PROBE_DECLARE(tcpstats, , filter, match);
SDT_PROBE_DECLARE(tcpstats, , fill, done);
SDT_PROBE_DECLARE(tcpstats, , profile, create);
SDT_PROBE_DECLARE(tcpstats, , profile, destroy);

#define	TCPSTATS_PROBE_READ_ENTRY(id, resid)				\
	SDT_PROBE2(tcpstats, , read, entry, (id), (resid))
#define	TCPSTATS_PROBE_READ_DONE(id, recs, bytes, error)		\
	SDT_PROBE4(tcpstats, , read, done, (id), (recs), (bytes), (error))
#define	TCPSTATS_PROBE_SKIP(id, reason, lport, rport)			\
	SDT_PROBE4(tcpstats, , filter, skip, (id), (reason), (lport), (rport))
#define	TCPSTATS_PROBE_MATCH(id, lport, rport)				\
	SDT_PROBE3(tcpstats, , filter, match, (id), (lport), (rport))
#define	TCPSTATS_PROBE_FILL(id, bytes)					\
	SDT_PROBE2(tcpstats, , fill, done, (id), (bytes))
#define	TCPSTATS_PROBE_PROFILE_CREATE(name)				\
	SDT_PROBE1(tcpstats, , profile, create, (name))
#define	TCPSTATS_PROBE_PROFILE_DESTROY(name)				\
	SDT_PROBE1(tcpstats, , profile, destroy, (name))

#endif /* !_TCPSTATS_PROBES_H_ */
