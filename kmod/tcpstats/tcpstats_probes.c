/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tcpstats_probes.c -- the tcpstats DTrace provider and its seven probes;
 * see tcpstats_probes.h for the argument table.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sdt.h>

#include "tcpstats_probes.h"

SDT_PROVIDER_DEFINE(tcpstats);

SDT_PROBE_DEFINE2(tcpstats, , read, entry,
    "uint64_t",		/* reader id */
    "size_t");		/* bytes asked */
SDT_PROBE_DEFINE4(tcpstats, , read, done,
    "uint64_t",		/* reader id */
    "uint64_t",		/* records */
    "size_t",		/* bytes copied */
    "int");		/* errno, 0 = none */
SDT_PROBE_DEFINE4(tcpstats, , filter, skip,
    "uint64_t",		/* reader id */
    "int",		/* TCPSTATS_SKIP_* */
    "uint16_t",		/* local port */
    "uint16_t");	/* remote port */
SDT_PROBE_DEFINE3(tcpstats, , filter, match,
    "uint64_t",		/* reader id */
    "uint16_t",		/* local port */
    "uint16_t");	/* remote port */
SDT_PROBE_DEFINE2(tcpstats, , fill, done,
    "uint64_t",		/* reader id */
    "size_t");		/* record bytes */
SDT_PROBE_DEFINE1(tcpstats, , profile, create,
    "char *");		/* name */
SDT_PROBE_DEFINE1(tcpstats, , profile, destroy,
    "char *");		/* name */
