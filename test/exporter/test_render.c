/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_render.c -- the exposition text against hand-written golden files.
 *
 * The snapshots below are fixed (version string included), so the text is
 * fixed too; golden/up.prom and golden/down.prom were written by hand from
 * the format and the metric list in docs/exporter.md.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "exporter.h"
#include "tcpstats_ioctl.h"

static struct exp_snapshot snap;

static void
host_add(const char *name, const char *source, bool gauge, int64_t v)
{
	struct exp_host_counter *hc;

	hc = &snap.sn_host.ht_c[snap.sn_host.ht_count++];
	snprintf(hc->hc_name, sizeof(hc->hc_name), "%s", name);
	snprintf(hc->hc_source, sizeof(hc->hc_source), "%s", source);
	hc->hc_gauge = gauge;
	if (gauge)
		hc->hc_ivalue = v;
	else
		hc->hc_uvalue = (uint64_t)v;
}

static void
snapshot_up(void)
{
	static const uint64_t states[TCPSTATS_NSTATES] = {
		0, 3, 0, 0, 12, 2, 0, 0, 0, 1, 5
	};
	struct tcpstats_counters *c;

	memset(&snap, 0, sizeof(snap));
	snap.sn_version = "9.9.9-test";
	snap.sn_up = true;
	snap.sn_sockets = 23;
	memcpy(snap.sn_by_state, states, sizeof(states));
	snap.sn_provider = TCPSTATS_PROVIDER_FUSE;
	c = &snap.sn_counters;
	c->tsc_opens_total = 41;
	c->tsc_active_fds = 2;
	c->tsc_reads_total = 97;
	c->tsc_sockets_visited = 1500;
	c->tsc_records_emitted = 1200;
	c->tsc_skipped[TCPSTATS_SKIP_GENCNT] = 1;
	c->tsc_skipped[TCPSTATS_SKIP_CRED] = 0;
	c->tsc_skipped[TCPSTATS_SKIP_IPVER] = 50;
	c->tsc_skipped[TCPSTATS_SKIP_STATE] = 100;
	c->tsc_skipped[TCPSTATS_SKIP_PORT] = 120;
	c->tsc_skipped[TCPSTATS_SKIP_ADDR] = 29;
	c->tsc_reads_timed_out = 1;
	c->tsc_reads_interrupted = 2;
	c->tsc_read_duration_ns_total = 1234567890;
	c->tsc_read_duration_ns_max = 98765432;
	c->tsc_copyout_errors = 0;
	c->tsc_last_error = 4;
	snap.sn_tun_present[EXP_TUN_MAX_OPEN_FDS] = true;
	snap.sn_tun[EXP_TUN_MAX_OPEN_FDS] = 16;
	snap.sn_tun_present[EXP_TUN_MAX_CONCURRENT_READERS] = true;
	snap.sn_tun[EXP_TUN_MAX_CONCURRENT_READERS] = 32;
	snap.sn_tun_present[EXP_TUN_MAX_READ_DURATION_MS] = true;
	snap.sn_tun[EXP_TUN_MAX_READ_DURATION_MS] = 5000;
	snap.sn_tun_present[EXP_TUN_MIN_READ_INTERVAL_MS] = true;
	snap.sn_tun[EXP_TUN_MIN_READ_INTERVAL_MS] = 250;
	snap.sn_host_ok = true;
	host_add("rto_min", "Tcp: RtoMin", true, 200);
	host_add("max_conn", "Tcp: MaxConn", true, -1);
	host_add("active_opens", "Tcp: ActiveOpens", false, 7341);
	host_add("ext_tw", "TcpExt: TW", false, 1804);
	snap.sn_collections = 10;
	snap.sn_cached = 31;
	snap.sn_device_errors = 1;
	snap.sn_duration_ns = 1500000;
}

static void
snapshot_down(void)
{

	snapshot_up();
	/* Device side left filled in: none of it may be shown. */
	snap.sn_up = false;
	snap.sn_host_ok = false;
	snap.sn_collections = 3;
	snap.sn_cached = 0;
	snap.sn_device_errors = 3;
	snap.sn_duration_ns = 42000;
}

static char *
golden(const char *name, size_t *len)
{
	char path[512], *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/golden/%s", EXP_TEST_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open golden file %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "short read");
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

/* First differing line, for a readable failure. */
static void
expect_same_text(const char *got, const char *want, const char *what)
{
	const char *g, *w;
	unsigned int line;

	line = 1;
	for (g = got, w = want; *g != '\0' && *g == *w; g++, w++)
		if (*g == '\n')
			line++;
	cr_expect(*g == '\0' && *w == '\0',
	    "%s: text differs from line %u:\n  got:  %.80s\n  want: %.80s",
	    what, line, g, w);
}

static char out[256 * 1024];

Test(render, up_snapshot_matches_golden, .init = snapshot_up)
{
	size_t n, wlen;
	char *want;

	want = golden("up.prom", &wlen);
	n = exp_render(&snap, out, sizeof(out));
	cr_expect_eq(n, wlen, "length: expected %zu, got %zu", wlen, n);
	expect_same_text(out, want, "up.prom");
	free(want);
}

Test(render, down_snapshot_matches_golden_and_omits_device_families,
    .init = snapshot_down)
{
	size_t n, wlen;
	char *want;

	want = golden("down.prom", &wlen);
	n = exp_render(&snap, out, sizeof(out));
	cr_expect_eq(n, wlen, "length: expected %zu, got %zu", wlen, n);
	expect_same_text(out, want, "down.prom");
	cr_expect(strstr(out, "tcpstats_sockets") == NULL,
	    "socket families must be omitted when up is 0");
	free(want);
}

Test(render, same_snapshot_same_bytes, .init = snapshot_up)
{
	static char again[sizeof(out)];
	size_t a, b;

	a = exp_render(&snap, out, sizeof(out));
	b = exp_render(&snap, again, sizeof(again));
	cr_expect(a == b && memcmp(out, again, a) == 0,
	    "two renders of one snapshot differ");
}

Test(render, close_wait_is_counted_in_by_state, .init = snapshot_up)
{

	exp_render(&snap, out, sizeof(out));
	cr_expect(strstr(out, "tcpstats_sockets_by_state{state=\"close_wait\"}"
	    " 2\n") != NULL, "close_wait count 2 missing from the text");
}

Test(render, every_state_has_a_line_even_at_zero, .init = snapshot_up)
{
	static const char *const names[TCPSTATS_NSTATES] = {
		"closed", "listen", "syn_sent", "syn_received", "established",
		"close_wait", "fin_wait_1", "closing", "last_ack",
		"fin_wait_2", "time_wait"
	};
	char needle[96];
	const char *prev, *p;
	unsigned int st;

	memset(snap.sn_by_state, 0, sizeof(snap.sn_by_state));
	exp_render(&snap, out, sizeof(out));
	prev = out;
	for (st = 0; st < TCPSTATS_NSTATES; st++) {
		snprintf(needle, sizeof(needle),
		    "tcpstats_sockets_by_state{state=\"%s\"} 0\n", names[st]);
		p = strstr(out, needle);
		cr_expect_not_null(p, "missing line: %s", needle);
		cr_expect(p == NULL || p > prev, "%s out of state-number order",
		    names[st]);
		if (p != NULL)
			prev = p;
	}
}

/* Every sample's family has HELP then TYPE before its first sample. */
Test(render, every_family_has_help_and_type, .init = snapshot_up)
{
	char fam[128], help[160], type[160];
	const char *line, *nl;
	size_t flen;

	exp_render(&snap, out, sizeof(out));
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		cr_assert_not_null(nl, "text does not end with a newline");
		if (line[0] == '#')
			continue;
		flen = strcspn(line, "{ ");
		cr_assert_lt(flen, sizeof(fam));
		memcpy(fam, line, flen);
		fam[flen] = '\0';
		snprintf(help, sizeof(help), "# HELP %s ", fam);
		snprintf(type, sizeof(type), "# TYPE %s ", fam);
		cr_expect(strstr(out, help) != NULL && strstr(out, help) < line,
		    "no HELP before the sample of %s", fam);
		cr_expect(strstr(out, type) != NULL && strstr(out, type) < line,
		    "no TYPE before the sample of %s", fam);
	}
}

Test(render, small_buffer_reports_full_length, .init = snapshot_up)
{
	char small[100];
	size_t full, n;

	full = exp_render(&snap, out, sizeof(out));
	n = exp_render(&snap, small, sizeof(small));
	cr_expect_eq(n, full, "needed length: expected %zu, got %zu", full, n);
	cr_expect_eq(strlen(small), sizeof(small) - 1,
	    "truncated text should fill the buffer, got %zu bytes",
	    strlen(small));
	cr_expect(memcmp(small, out, sizeof(small) - 1) == 0,
	    "truncated text is not a prefix of the full text");
}

Test(render, missing_tunable_is_left_out, .init = snapshot_up)
{

	snap.sn_tun_present[EXP_TUN_MIN_READ_INTERVAL_MS] = false;
	exp_render(&snap, out, sizeof(out));
	cr_expect(strstr(out, "min_read_interval") == NULL,
	    "an unreadable tunable must not be shown");
	cr_expect(strstr(out, "tcpstats_max_open_fds 16\n") != NULL,
	    "the readable tunables must stay");
}

Test(render, durations_in_seconds_from_nanoseconds, .init = snapshot_up)
{

	snap.sn_counters.tsc_read_duration_ns_total = 3000000007ull;
	snap.sn_duration_ns = 0;
	exp_render(&snap, out, sizeof(out));
	cr_expect(strstr(out, "tcpstats_read_duration_seconds_total "
	    "3.000000007\n") != NULL, "3000000007 ns should read 3.000000007");
	cr_expect(strstr(out, "tcpstats_exporter_collection_duration_seconds "
	    "0.000000000\n") != NULL, "0 ns should read 0.000000000");
}
