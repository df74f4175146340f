/*
 * cat_f_fields.c -- category F: fields= and format= change the records,
 * never which sockets are reported.
 */

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_F	.init = itest_setup, .fini = itest_teardown

static size_t
group_bytes(uint16_t fields)
{
	size_t n = sizeof(struct tcpstats_rec_hdr);

	if (fields & TCPSTATS_F_IDENTITY)
		n += sizeof(struct tcpstats_identity);
	if (fields & TCPSTATS_F_STATE)
		n += sizeof(struct tcpstats_state);
	if (fields & TCPSTATS_F_CONGESTION)
		n += sizeof(struct tcpstats_congestion);
	if (fields & TCPSTATS_F_RTT)
		n += sizeof(struct tcpstats_rtt);
	if (fields & TCPSTATS_F_SEQUENCES)
		n += sizeof(struct tcpstats_sequences);
	if (fields & TCPSTATS_F_COUNTERS)
		n += sizeof(struct tcpstats_counters_grp);
	if (fields & TCPSTATS_F_TIMERS)
		n += sizeof(struct tcpstats_timers);
	if (fields & TCPSTATS_F_BUFFERS)
		n += sizeof(struct tcpstats_buffers);
	if (fields & TCPSTATS_F_ECN)
		n += sizeof(struct tcpstats_ecn);
	if (fields & TCPSTATS_F_NAMES)
		n += sizeof(struct tcpstats_names);
	return (n);
}

/* Same sockets as the port filter alone; every record shaped as asked. */
static void
fields_case(const char *filter, uint16_t fields, bool compact)
{
	struct tsf_records recs;
	struct tsf_spec sp;
	size_t i, want;

	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V6A);
	want = compact ? group_bytes(fields) : sizeof(struct tcpstats_record);
	tsf_snapshot(filter, &recs);
	if (fields & TCPSTATS_F_IDENTITY)
		tsf_expect_exact(&recs, &itest_fx, &sp, filter);
	else
		cr_expect_eq(recs.n, tsf_expected_count(&itest_fx, &sp),
		    "filter \"%s\": %zu records, oracle expects %zu", filter,
		    recs.n, tsf_expected_count(&itest_fx, &sp));
	for (i = 0; i < recs.n; i++) {
		cr_expect_eq(recs.raw_fields[i], fields, "filter \"%s\": "
		    "record %zu carries groups %#x, expected %#x", filter, i,
		    recs.raw_fields[i], fields);
		cr_expect_eq(recs.raw_len[i], want, "filter \"%s\": record "
		    "%zu is %u bytes, expected %zu", filter, i,
		    recs.raw_len[i], want);
		cr_expect_eq((recs.raw_flags[i] & TCPSTATS_RF_COMPACT) != 0,
		    compact, "filter \"%s\": compact flag wrong on record %zu",
		    filter, i);
	}
	tsf_records_free(&recs);
}

Test(cat_F, all_fields_compact, CAT_F)
{
	fields_case("local_port=20001-20003 fields=all format=compact",
	    TCPSTATS_F_ALL, true);
}

Test(cat_F, identity_state_compact, CAT_F)
{
	fields_case("local_port=20001-20003 fields=identity,state "
	    "format=compact", TCPSTATS_F_IDENTITY | TCPSTATS_F_STATE, true);
}

Test(cat_F, no_identity_full_format, CAT_F)
{
	fields_case("local_port=20001-20003 fields=rtt,counters",
	    TCPSTATS_F_RTT | TCPSTATS_F_COUNTERS, false);
}

Test(cat_F, default_fields_full, CAT_F)
{
	fields_case("local_port=20001-20003", TCPSTATS_F_DEFAULT, false);
}
