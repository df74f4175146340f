/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * record.c -- records in the form a reader asked for.
 *
 * Providers fill one struct tcpstats_record per socket.  Full format
 * keeps every group's slot and zeroes the unselected ones; compact format
 * packs the selected groups after the header in bit order.  The header
 * always says what follows, so decode can check a record before trusting
 * it.
 */

#include "core_impl.h"

struct ts_group {
	uint16_t	tg_off;		/* offset in struct tcpstats_record */
	uint16_t	tg_size;	/* bytes */
	uint64_t	tg_absent;	/* TCPSTATS_A_* bits of the group */
};

#define	G(m, a)	{ (uint16_t)offsetof(struct tcpstats_record, m), \
	(uint16_t)sizeof(((struct tcpstats_record *)0)->m), (a) }

/* Indexed by group bit number. */
static const struct ts_group ts_groups[TCPSTATS_F_NGROUPS] = {
	G(tr_identity,		0),
	G(tr_state,		TCPSTATS_A_GRP_STATE),
	G(tr_congestion,	TCPSTATS_A_GRP_CONGESTION),
	G(tr_rtt,		TCPSTATS_A_GRP_RTT),
	G(tr_sequences,		TCPSTATS_A_GRP_SEQUENCES),
	G(tr_counters,		TCPSTATS_A_GRP_COUNTERS),
	G(tr_timers,		TCPSTATS_A_GRP_TIMERS),
	G(tr_buffers,		TCPSTATS_A_GRP_BUFFERS),
	G(tr_ecn,		TCPSTATS_A_GRP_ECN),
	G(tr_names,		TCPSTATS_A_GRP_NAMES),
};

#undef G

#define	TS_HDR_SIZE	sizeof(struct tcpstats_rec_hdr)

size_t
tcpstats_group_size(uint16_t group)
{
	unsigned int i;

	if (group == 0 || (group & (group - 1)) != 0 ||
	    (group & ~TCPSTATS_F_ALL) != 0)
		return (0);
	for (i = 0; (group >> i) != 1; i++)
		continue;
	return (ts_groups[i].tg_size);
}

size_t
tcpstats_record_size(uint16_t fields, uint8_t format)
{
	size_t n;
	unsigned int i;

	if (format != TCPSTATS_FMT_COMPACT)
		return (sizeof(struct tcpstats_record));
	n = TS_HDR_SIZE;
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++)
		if ((fields & (1u << i)) != 0)
			n += ts_groups[i].tg_size;
	return (n);
}

size_t
tcpstats_encode(const struct tcpstats_record *src, uint16_t fields,
    uint8_t format, void *dst, size_t dstlen)
{
	struct tcpstats_rec_hdr h;
	unsigned char *d;
	uint64_t absent;
	size_t size, off;
	unsigned int i;

	fields &= TCPSTATS_F_ALL;
	size = tcpstats_record_size(fields, format);
	if (dst == NULL || dstlen < size)
		return (0);
	d = dst;

	/*
	 * Full format: the record's own layout, so one copy of all of it
	 * and the unselected groups zeroed over it.  Compact: each selected
	 * group after the previous one.  The header goes last, over the
	 * copied one.
	 */
	absent = 0;
	if (format != TCPSTATS_FMT_COMPACT) {
		memcpy(d, src, sizeof(*src));
		for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
			if ((fields & (1u << i)) != 0)
				absent |= ts_groups[i].tg_absent;
			else
				memset(d + ts_groups[i].tg_off, 0,
				    ts_groups[i].tg_size);
		}
	} else {
		off = TS_HDR_SIZE;
		for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
			if ((fields & (1u << i)) == 0)
				continue;
			absent |= ts_groups[i].tg_absent;
			memcpy(d + off, (const unsigned char *)src +
			    ts_groups[i].tg_off, ts_groups[i].tg_size);
			off += ts_groups[i].tg_size;
		}
	}

	memset(&h, 0, sizeof(h));
	h.trh_version = TCPSTATS_REC_VERSION;
	h.trh_length = (uint16_t)size;
	h.trh_fields = fields;
	h.trh_flags = (uint16_t)((src->tr_hdr.trh_flags & TCPSTATS_RF_MAPPED) |
	    (format == TCPSTATS_FMT_COMPACT ? TCPSTATS_RF_COMPACT : 0));
	h.trh_absent = src->tr_hdr.trh_absent & absent;
	memcpy(d, &h, sizeof(h));
	return (size);
}

int
tcpstats_decode(const void *buf, size_t len, struct tcpstats_record *out,
    size_t *used)
{
	struct tcpstats_rec_hdr h;
	const unsigned char *s;
	size_t off;
	unsigned int i;
	uint8_t format;

	if (buf == NULL || out == NULL || len < TS_HDR_SIZE)
		return (TCPSTATS_E_INVAL);
	s = buf;
	memcpy(&h, s, sizeof(h));
	if (h.trh_version != TCPSTATS_REC_VERSION ||
	    (h.trh_fields & ~TCPSTATS_F_ALL) != 0)
		return (TCPSTATS_E_INVAL);
	format = (h.trh_flags & TCPSTATS_RF_COMPACT) != 0 ?
	    TCPSTATS_FMT_COMPACT : TCPSTATS_FMT_FULL;
	if (h.trh_length != tcpstats_record_size(h.trh_fields, format) ||
	    len < h.trh_length)
		return (TCPSTATS_E_INVAL);

	memset(out, 0, sizeof(*out));
	out->tr_hdr = h;
	off = TS_HDR_SIZE;
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		if ((h.trh_fields & (1u << i)) == 0)
			continue;
		if (format != TCPSTATS_FMT_COMPACT)
			off = ts_groups[i].tg_off;
		memcpy((unsigned char *)out + ts_groups[i].tg_off, s + off,
		    ts_groups[i].tg_size);
		off += ts_groups[i].tg_size;
	}
	if (used != NULL)
		*used = h.trh_length;
	return (0);
}
