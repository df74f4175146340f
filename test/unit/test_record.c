/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_record.c -- record sizes, tcpstats_encode() in full and compact
 * format (header, packing, zeroed groups, absent bits, flags), and
 * tcpstats_decode() round trips and rejections.  Sizes and offsets are
 * computed here from sizeof() of the group structs.
 */

#include <stddef.h>

#include "unit_helpers.h"

#define	HDR	sizeof(struct tcpstats_rec_hdr)

/* Group bit, its size, its offset in the full record, its absent bits. */
struct grp {
	uint16_t	bit;
	size_t		size;
	size_t		full_off;
	uint64_t	absent;
	const char	*name;
};

static const struct grp groups[TCPSTATS_F_NGROUPS] = {
	{ TCPSTATS_F_IDENTITY, sizeof(struct tcpstats_identity),
	    offsetof(struct tcpstats_record, tr_identity), 0, "identity" },
	{ TCPSTATS_F_STATE, sizeof(struct tcpstats_state),
	    offsetof(struct tcpstats_record, tr_state),
	    TCPSTATS_A_GRP_STATE, "state" },
	{ TCPSTATS_F_CONGESTION, sizeof(struct tcpstats_congestion),
	    offsetof(struct tcpstats_record, tr_congestion),
	    TCPSTATS_A_GRP_CONGESTION, "congestion" },
	{ TCPSTATS_F_RTT, sizeof(struct tcpstats_rtt),
	    offsetof(struct tcpstats_record, tr_rtt), TCPSTATS_A_GRP_RTT,
	    "rtt" },
	{ TCPSTATS_F_SEQUENCES, sizeof(struct tcpstats_sequences),
	    offsetof(struct tcpstats_record, tr_sequences),
	    TCPSTATS_A_GRP_SEQUENCES, "sequences" },
	{ TCPSTATS_F_COUNTERS, sizeof(struct tcpstats_counters_grp),
	    offsetof(struct tcpstats_record, tr_counters),
	    TCPSTATS_A_GRP_COUNTERS, "counters" },
	{ TCPSTATS_F_TIMERS, sizeof(struct tcpstats_timers),
	    offsetof(struct tcpstats_record, tr_timers),
	    TCPSTATS_A_GRP_TIMERS, "timers" },
	{ TCPSTATS_F_BUFFERS, sizeof(struct tcpstats_buffers),
	    offsetof(struct tcpstats_record, tr_buffers),
	    TCPSTATS_A_GRP_BUFFERS, "buffers" },
	{ TCPSTATS_F_ECN, sizeof(struct tcpstats_ecn),
	    offsetof(struct tcpstats_record, tr_ecn), TCPSTATS_A_GRP_ECN,
	    "ecn" },
	{ TCPSTATS_F_NAMES, sizeof(struct tcpstats_names),
	    offsetof(struct tcpstats_record, tr_names), TCPSTATS_A_GRP_NAMES,
	    "names" },
};

/* Compact size of a group set: header plus the selected groups. */
static size_t
compact_size(uint16_t fields)
{
	size_t n;
	unsigned int i;

	n = HDR;
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++)
		if (fields & groups[i].bit)
			n += groups[i].size;
	return (n);
}

/* A record whose every byte after the header is non-zero and distinct. */
static void
fill_record(struct tcpstats_record *r)
{
	unsigned char *p = (unsigned char *)r;
	size_t i;

	for (i = 0; i < sizeof(*r); i++)
		p[i] = (unsigned char)(1 + i % 251);
	r->tr_hdr.trh_version = 77;
	r->tr_hdr.trh_length = 1;
	r->tr_hdr.trh_fields = 0xffff;
	r->tr_hdr.trh_flags = TCPSTATS_RF_MAPPED | TCPSTATS_RF_COMPACT |
	    0x8000;
	r->tr_hdr.trh_absent = 0xffffffffffull;
}

/* --- sizes -------------------------------------------------------------- */

Test(record, group_size_of_each_group)
{
	unsigned int i;
	size_t got;

	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		got = tcpstats_group_size(groups[i].bit);
		cr_expect_eq(got, groups[i].size, "group_size(%s): expected "
		    "%zu, got %zu", groups[i].name, groups[i].size, got);
	}
}

Test(record, group_size_of_non_groups_is_zero)
{
	static const uint16_t bad[] = { 0, TCPSTATS_F_IDENTITY |
	    TCPSTATS_F_STATE, 0x0400, 0x8000, TCPSTATS_F_ALL };
	unsigned int i;
	size_t got;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		got = tcpstats_group_size(bad[i]);
		cr_expect_eq(got, 0u, "group_size(0x%x): expected 0, got %zu",
		    bad[i], got);
	}
}

Test(record, full_size_is_the_record_for_any_fields)
{
	static const uint16_t sets[] = { 0, TCPSTATS_F_IDENTITY,
	    TCPSTATS_F_DEFAULT, TCPSTATS_F_ALL, TCPSTATS_F_NAMES };
	unsigned int i;
	size_t got;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		got = tcpstats_record_size(sets[i], TCPSTATS_FMT_FULL);
		cr_expect_eq(got, sizeof(struct tcpstats_record), "record_size"
		    "(0x%x, full): expected %zu, got %zu", sets[i],
		    sizeof(struct tcpstats_record), got);
	}
}

Test(record, compact_size_of_empty_set_is_header)
{
	size_t got;

	got = tcpstats_record_size(0, TCPSTATS_FMT_COMPACT);
	cr_expect_eq(got, HDR, "record_size(0, compact): expected %zu, got "
	    "%zu", HDR, got);
}

Test(record, compact_size_is_header_plus_groups)
{
	uint16_t fields;
	size_t got, want;

	/* Every subset of the ten groups. */
	for (fields = 0; fields <= TCPSTATS_F_ALL; fields++) {
		want = compact_size(fields);
		got = tcpstats_record_size(fields, TCPSTATS_FMT_COMPACT);
		cr_expect_eq(got, want, "record_size(0x%03x, compact): "
		    "expected %zu, got %zu", fields, want, got);
		if (got != want)
			break;
	}
}

Test(record, compact_all_equals_full_size)
{
	size_t got;

	got = tcpstats_record_size(TCPSTATS_F_ALL, TCPSTATS_FMT_COMPACT);
	cr_expect_eq(got, sizeof(struct tcpstats_record), "compact all: "
	    "expected %zu, got %zu", sizeof(struct tcpstats_record), got);
}

Test(record, group_names)
{
	unsigned int i;
	const char *got;

	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		got = tcpstats_group_name(groups[i].bit);
		cr_assert_not_null(got, "group_name(0x%x): expected '%s', got "
		    "NULL", groups[i].bit, groups[i].name);
		cr_expect_str_eq(got, groups[i].name, "group_name(0x%x): "
		    "expected '%s', got '%s'", groups[i].bit, groups[i].name,
		    got);
	}
	cr_expect_null(tcpstats_group_name(0), "group_name(0): expected NULL");
	cr_expect_null(tcpstats_group_name(0x0003), "group_name(0x3): "
	    "expected NULL");
	cr_expect_null(tcpstats_group_name(0x0400), "group_name(0x400): "
	    "expected NULL");
}

/* --- encode, full ------------------------------------------------------- */

Test(record, encode_full_keeps_selected_and_zeroes_the_rest)
{
	struct tcpstats_record src, out;
	uint16_t fields = TCPSTATS_F_IDENTITY | TCPSTATS_F_RTT |
	    TCPSTATS_F_NAMES;
	const unsigned char *o = (const unsigned char *)&out;
	const unsigned char *s = (const unsigned char *)&src;
	unsigned int i;
	size_t n, j;

	fill_record(&src);
	memset(&out, 0xee, sizeof(out));
	n = tcpstats_encode(&src, fields, TCPSTATS_FMT_FULL, &out,
	    sizeof(out));
	cr_assert_eq(n, sizeof(out), "encode(full): expected %zu bytes, got "
	    "%zu", sizeof(out), n);
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		const struct grp *g = &groups[i];

		for (j = g->full_off; j < g->full_off + g->size; j++) {
			unsigned char want = (fields & g->bit) ? s[j] : 0;

			if (o[j] != want)
				break;
		}
		cr_expect_eq(j, g->full_off + g->size, "encode(full): group "
		    "%s (%s) differs at byte %zu", g->name,
		    (fields & g->bit) ? "selected, expected a copy" :
		    "not selected, expected zeros", j);
	}
}

Test(record, encode_full_header)
{
	struct tcpstats_record src, out;
	uint16_t fields = TCPSTATS_F_DEFAULT;
	uint64_t absent;
	size_t n;

	fill_record(&src);
	n = tcpstats_encode(&src, fields, TCPSTATS_FMT_FULL, &out,
	    sizeof(out));
	cr_assert_eq(n, sizeof(out), "expected %zu bytes, got %zu",
	    sizeof(out), n);
	absent = TCPSTATS_A_GRP_STATE | TCPSTATS_A_GRP_CONGESTION |
	    TCPSTATS_A_GRP_RTT | TCPSTATS_A_GRP_BUFFERS;
	cr_expect_eq(out.tr_hdr.trh_version, TCPSTATS_REC_VERSION,
	    "expected version %d, got %u", TCPSTATS_REC_VERSION,
	    out.tr_hdr.trh_version);
	cr_expect_eq(out.tr_hdr.trh_length, sizeof(out), "expected length "
	    "%zu, got %u", sizeof(out), out.tr_hdr.trh_length);
	cr_expect_eq(out.tr_hdr.trh_fields, fields, "expected fields 0x%x, "
	    "got 0x%x", fields, out.tr_hdr.trh_fields);
	cr_expect_eq(out.tr_hdr.trh_flags, TCPSTATS_RF_MAPPED, "expected "
	    "flags MAPPED only (no COMPACT, no unknown bits), got 0x%x",
	    out.tr_hdr.trh_flags);
	cr_expect_eq(out.tr_hdr.trh_absent, absent, "expected absent "
	    "0x%llx, got 0x%llx", (unsigned long long)absent,
	    (unsigned long long)out.tr_hdr.trh_absent);
}

Test(record, encode_without_mapped_flag_has_no_flags)
{
	struct tcpstats_record src, out;
	size_t n;

	fill_record(&src);
	src.tr_hdr.trh_flags = 0;
	n = tcpstats_encode(&src, TCPSTATS_F_ALL, TCPSTATS_FMT_FULL, &out,
	    sizeof(out));
	cr_assert_eq(n, sizeof(out), "expected %zu bytes, got %zu",
	    sizeof(out), n);
	cr_expect_eq(out.tr_hdr.trh_flags, 0, "expected flags 0, got 0x%x",
	    out.tr_hdr.trh_flags);
}

Test(record, encode_full_too_small_returns_zero)
{
	struct tcpstats_record src;
	unsigned char dst[sizeof(struct tcpstats_record)];
	size_t n;

	fill_record(&src);
	n = tcpstats_encode(&src, TCPSTATS_F_IDENTITY, TCPSTATS_FMT_FULL, dst,
	    sizeof(dst) - 1);
	cr_expect_eq(n, 0u, "encode(full) into %zu bytes: expected 0, got %zu",
	    sizeof(dst) - 1, n);
}

/* --- encode, compact ---------------------------------------------------- */

struct compact_case {
	char		name[32];
	uint16_t	fields;
};

ParameterizedTestParameters(record, encode_compact_layout)
{
	static struct compact_case params[] = {
		{ "empty set", 0 },
		{ "identity", TCPSTATS_F_IDENTITY },
		{ "names only", TCPSTATS_F_NAMES },
		{ "state rtt names", TCPSTATS_F_STATE | TCPSTATS_F_RTT |
		    TCPSTATS_F_NAMES },
		{ "default", TCPSTATS_F_DEFAULT },
		{ "counters timers", TCPSTATS_F_COUNTERS | TCPSTATS_F_TIMERS },
		{ "odd groups", TCPSTATS_F_IDENTITY | TCPSTATS_F_CONGESTION |
		    TCPSTATS_F_SEQUENCES | TCPSTATS_F_TIMERS |
		    TCPSTATS_F_ECN },
		{ "all", TCPSTATS_F_ALL },
	};

	return (cr_make_param_array(struct compact_case, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct compact_case *p, record, encode_compact_layout)
{
	struct tcpstats_record src;
	struct tcpstats_rec_hdr h;
	unsigned char dst[sizeof(struct tcpstats_record) + 8];
	const unsigned char *s = (const unsigned char *)&src;
	uint64_t absent;
	size_t n, want, off;
	unsigned int i;

	fill_record(&src);
	want = compact_size(p->fields);
	memset(dst, 0xee, sizeof(dst));
	n = tcpstats_encode(&src, p->fields, TCPSTATS_FMT_COMPACT, dst,
	    sizeof(dst));
	cr_assert_eq(n, want, "%s: encode(compact, 0x%x): expected %zu bytes, "
	    "got %zu", p->name, p->fields, want, n);

	memcpy(&h, dst, sizeof(h));
	absent = 0;
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++)
		if (p->fields & groups[i].bit)
			absent |= groups[i].absent;
	cr_expect_eq(h.trh_version, TCPSTATS_REC_VERSION, "%s: version %u",
	    p->name, h.trh_version);
	cr_expect_eq(h.trh_length, want, "%s: expected length %zu, got %u",
	    p->name, want, h.trh_length);
	cr_expect_eq(h.trh_fields, p->fields, "%s: expected fields 0x%x, got "
	    "0x%x", p->name, p->fields, h.trh_fields);
	cr_expect_eq(h.trh_flags, TCPSTATS_RF_COMPACT | TCPSTATS_RF_MAPPED,
	    "%s: expected flags COMPACT|MAPPED, got 0x%x", p->name,
	    h.trh_flags);
	cr_expect_eq(h.trh_absent, absent, "%s: expected absent 0x%llx, got "
	    "0x%llx", p->name, (unsigned long long)absent,
	    (unsigned long long)h.trh_absent);

	/* Each selected group at its packed offset, in bit order. */
	off = HDR;
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		const struct grp *g = &groups[i];

		if ((p->fields & g->bit) == 0)
			continue;
		cr_expect(memcmp(dst + off, s + g->full_off, g->size) == 0,
		    "%s: group %s expected at offset %zu", p->name, g->name,
		    off);
		off += g->size;
	}
	cr_expect_eq(dst[want], 0xee, "%s: encode wrote past its length %zu",
	    p->name, want);
}

Test(record, encode_compact_state_rtt_names_offsets)
{
	struct tcpstats_record src;
	unsigned char dst[128];
	size_t n, o_state, o_rtt, o_names;

	fill_record(&src);
	src.tr_state.tst_state = TCPSTATS_ST_CLOSE_WAIT;
	src.tr_rtt.trt_srtt_us = 0x11223344;
	memcpy(src.tr_names.tnm_cc, "cubic", 6);
	o_state = HDR;
	o_rtt = o_state + sizeof(struct tcpstats_state);
	o_names = o_rtt + sizeof(struct tcpstats_rtt);
	n = tcpstats_encode(&src, TCPSTATS_F_STATE | TCPSTATS_F_RTT |
	    TCPSTATS_F_NAMES, TCPSTATS_FMT_COMPACT, dst, sizeof(dst));
	cr_assert_eq(n, o_names + sizeof(struct tcpstats_names), "expected "
	    "%zu bytes, got %zu", o_names + sizeof(struct tcpstats_names), n);
	cr_expect_eq(dst[o_state], TCPSTATS_ST_CLOSE_WAIT, "expected state 5 "
	    "at byte %zu, got %u", o_state, dst[o_state]);
	cr_expect(memcmp(dst + o_rtt, &src.tr_rtt.trt_srtt_us, 4) == 0,
	    "expected srtt at byte %zu", o_rtt);
	cr_expect(memcmp(dst + o_names, "cubic", 6) == 0, "expected the cc "
	    "name at byte %zu, got '%.16s'", o_names,
	    (const char *)dst + o_names);
}

Test(record, encode_compact_exact_buffer_ok_one_less_fails)
{
	struct tcpstats_record src;
	unsigned char dst[sizeof(struct tcpstats_record)];
	size_t need, n;

	fill_record(&src);
	need = compact_size(TCPSTATS_F_DEFAULT);
	n = tcpstats_encode(&src, TCPSTATS_F_DEFAULT, TCPSTATS_FMT_COMPACT,
	    dst, need);
	cr_expect_eq(n, need, "expected %zu into an exact buffer, got %zu",
	    need, n);
	n = tcpstats_encode(&src, TCPSTATS_F_DEFAULT, TCPSTATS_FMT_COMPACT,
	    dst, need - 1);
	cr_expect_eq(n, 0u, "expected 0 into %zu bytes, got %zu", need - 1, n);
}

Test(record, encode_absent_bits_of_selected_groups_only)
{
	struct tcpstats_record src, out;
	size_t n;

	memset(&src, 0, sizeof(src));
	src.tr_hdr.trh_absent = TCPSTATS_A_SRTT | TCPSTATS_A_CC_NAME |
	    TCPSTATS_A_SND_CC;
	n = tcpstats_encode(&src, TCPSTATS_F_RTT | TCPSTATS_F_BUFFERS,
	    TCPSTATS_FMT_FULL, &out, sizeof(out));
	cr_assert_eq(n, sizeof(out), "expected %zu bytes, got %zu",
	    sizeof(out), n);
	cr_expect_eq(out.tr_hdr.trh_absent, TCPSTATS_A_SRTT |
	    TCPSTATS_A_SND_CC, "expected SRTT|SND_CC (names not selected), got "
	    "0x%llx", (unsigned long long)out.tr_hdr.trh_absent);
}

/* --- decode ------------------------------------------------------------- */

Test(record, decode_full_round_trip)
{
	struct tcpstats_record src, enc, dec;
	size_t n, used;
	int rc;

	fill_record(&src);
	n = tcpstats_encode(&src, TCPSTATS_F_ALL, TCPSTATS_FMT_FULL, &enc,
	    sizeof(enc));
	cr_assert_eq(n, sizeof(enc), "encode: expected %zu, got %zu",
	    sizeof(enc), n);
	used = 0;
	rc = tcpstats_decode(&enc, n, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "decode(full): expected OK, got %d", rc);
	cr_expect_eq(used, n, "expected used %zu, got %zu", n, used);
	cr_expect(memcmp(&dec, &enc, sizeof(dec)) == 0, "expected the decoded "
	    "record to equal the encoded full record");
}

Test(record, decode_compact_fills_missing_groups_with_zero)
{
	struct tcpstats_record src, dec;
	unsigned char buf[sizeof(struct tcpstats_record)];
	const unsigned char *d = (const unsigned char *)&dec;
	const unsigned char *s = (const unsigned char *)&src;
	uint16_t fields = TCPSTATS_F_STATE | TCPSTATS_F_COUNTERS |
	    TCPSTATS_F_ECN;
	unsigned int i;
	size_t n, used, j;
	int rc;

	fill_record(&src);
	n = tcpstats_encode(&src, fields, TCPSTATS_FMT_COMPACT, buf,
	    sizeof(buf));
	cr_assert_eq(n, compact_size(fields), "encode: expected %zu, got %zu",
	    compact_size(fields), n);
	memset(&dec, 0xee, sizeof(dec));
	rc = tcpstats_decode(buf, n, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "decode(compact): expected OK, got %d",
	    rc);
	cr_expect_eq(used, n, "expected used %zu, got %zu", n, used);
	cr_expect_eq(dec.tr_hdr.trh_fields, fields, "expected fields 0x%x, "
	    "got 0x%x", fields, dec.tr_hdr.trh_fields);
	for (i = 0; i < TCPSTATS_F_NGROUPS; i++) {
		const struct grp *g = &groups[i];

		for (j = g->full_off; j < g->full_off + g->size; j++)
			if (d[j] != ((fields & g->bit) ? s[j] : 0))
				break;
		cr_expect_eq(j, g->full_off + g->size, "decode: group %s (%s) "
		    "differs at byte %zu", g->name, (fields & g->bit) ?
		    "carried, expected the source bytes" :
		    "not carried, expected zeros", j);
	}
}

Test(record, decode_reports_first_record_length)
{
	struct tcpstats_record src, dec;
	unsigned char buf[2 * sizeof(struct tcpstats_record)];
	size_t n1, n2, used;
	int rc;

	fill_record(&src);
	n1 = tcpstats_encode(&src, TCPSTATS_F_RTT, TCPSTATS_FMT_COMPACT, buf,
	    sizeof(buf));
	cr_assert_gt(n1, 0u, "encode failed");
	n2 = tcpstats_encode(&src, TCPSTATS_F_ALL, TCPSTATS_FMT_COMPACT,
	    buf + n1, sizeof(buf) - n1);
	cr_assert_gt(n2, 0u, "encode failed");
	rc = tcpstats_decode(buf, n1 + n2, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "expected OK, got %d", rc);
	cr_expect_eq(used, n1, "expected used %zu (first record), got %zu",
	    n1, used);
	rc = tcpstats_decode(buf + used, n1 + n2 - used, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "second record: expected OK, got %d",
	    rc);
	cr_expect_eq(used, n2, "expected used %zu (second record), got %zu",
	    n2, used);
}

/* Rejections: a valid compact record of the default groups, then damaged. */
struct decode_bad {
	char		name[40];
	int		version;	/* -1: keep */
	int		length_delta;
	int		fields_or;
	int		flags_xor;
	int		len_delta;	/* buffer length relative to record */
	int		len_abs;	/* >= 0: absolute buffer length */
};

ParameterizedTestParameters(record, decode_rejects)
{
	static struct decode_bad params[] = {
		{ "version 0", 0, 0, 0, 0, 0, -1 },
		{ "version 2", 2, 0, 0, 0, 0, -1 },
		{ "version 0xffff", 0xffff, 0, 0, 0, 0, -1 },
		{ "unknown field bit 0x400", -1, 0, 0x400, 0, 0, -1 },
		{ "unknown field bit 0x8000", -1, 0, 0x8000, 0, 0, -1 },
		{ "length 8 short", -1, -8, 0, 0, 0, -1 },
		{ "length 8 long", -1, 8, 0, 0, 8, -1 },
		{ "length 1 long", -1, 1, 0, 0, 1, -1 },
		{ "length zero", -1, -1000, 0, 0, 0, -1 },
		{ "extra group bit", -1, 0, TCPSTATS_F_ECN, 0, 0, -1 },
		{ "compact flag dropped", -1, 0, 0, TCPSTATS_RF_COMPACT, 0,
		    -1 },
		{ "truncated by one", -1, 0, 0, 0, -1, -1 },
		{ "truncated to header", -1, 0, 0, 0, 0, 16 },
		{ "shorter than header", -1, 0, 0, 0, 0, 15 },
		{ "one byte", -1, 0, 0, 0, 0, 1 },
		{ "empty", -1, 0, 0, 0, 0, 0 },
	};

	return (cr_make_param_array(struct decode_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct decode_bad *p, record, decode_rejects)
{
	struct tcpstats_record src, dec;
	struct tcpstats_rec_hdr h;
	unsigned char buf[2 * sizeof(struct tcpstats_record)];
	size_t n, len, used;
	int rc, length;

	fill_record(&src);
	memset(buf, 0, sizeof(buf));
	n = tcpstats_encode(&src, TCPSTATS_F_DEFAULT, TCPSTATS_FMT_COMPACT,
	    buf, sizeof(buf));
	cr_assert_eq(n, compact_size(TCPSTATS_F_DEFAULT), "encode failed");
	memcpy(&h, buf, sizeof(h));
	if (p->version >= 0)
		h.trh_version = (uint16_t)p->version;
	length = (int)h.trh_length + p->length_delta;
	h.trh_length = (uint16_t)(length < 0 ? 0 : length);
	h.trh_fields |= (uint16_t)p->fields_or;
	h.trh_flags ^= (uint16_t)p->flags_xor;
	memcpy(buf, &h, sizeof(h));
	len = p->len_abs >= 0 ? (size_t)p->len_abs :
	    (size_t)((int)n + p->len_delta);
	rc = tcpstats_decode(buf, len, &dec, &used);
	cr_expect_neq(rc, TCPSTATS_OK, "%s: decode(version %u, length %u, "
	    "fields 0x%x, flags 0x%x, len %zu) expected a rejection, got OK",
	    p->name, h.trh_version, h.trh_length, h.trh_fields, h.trh_flags,
	    len);
}

Test(record, decode_full_with_wrong_length_rejected)
{
	struct tcpstats_record src, enc, dec;
	size_t used;
	int rc;

	fill_record(&src);
	cr_assert_eq(tcpstats_encode(&src, TCPSTATS_F_IDENTITY,
	    TCPSTATS_FMT_FULL, &enc, sizeof(enc)), sizeof(enc),
	    "encode failed");
	/* A full record claiming the compact size of its one group. */
	enc.tr_hdr.trh_length = (uint16_t)compact_size(TCPSTATS_F_IDENTITY);
	rc = tcpstats_decode(&enc, sizeof(enc), &dec, &used);
	cr_expect_neq(rc, TCPSTATS_OK, "expected a full record with length "
	    "%u to be rejected", enc.tr_hdr.trh_length);
}

Test(record, encode_and_decode_at_odd_address)
{
	struct tcpstats_record src, dec;
	unsigned char raw[sizeof(struct tcpstats_record) + 8];
	unsigned char *buf = raw + 1;
	size_t n, used;
	int rc;

	fill_record(&src);
	n = tcpstats_encode(&src, TCPSTATS_F_ALL, TCPSTATS_FMT_COMPACT, buf,
	    sizeof(raw) - 1);
	cr_assert_eq(n, sizeof(struct tcpstats_record), "encode at an odd "
	    "address: expected %zu, got %zu", sizeof(struct tcpstats_record),
	    n);
	rc = tcpstats_decode(buf, n, &dec, &used);
	cr_assert_eq(rc, TCPSTATS_OK, "decode at an odd address: got %d", rc);
	cr_expect(memcmp(&dec.tr_identity, &src.tr_identity,
	    sizeof(dec.tr_identity)) == 0, "expected identity back intact");
	cr_expect(memcmp(&dec.tr_names, &src.tr_names,
	    sizeof(dec.tr_names)) == 0, "expected names back intact");
}
