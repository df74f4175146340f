/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * render.c -- a snapshot as Prometheus text exposition format 0.0.4.
 *
 * Families come in a fixed order: the exporter's own health first (always
 * present), then the device side (only when the last collection succeeded),
 * then the host's TCP counters (when they could be read).  Durations are
 * printed in seconds from integer nanoseconds, so the text for a given
 * snapshot is always the same bytes.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exporter.h"
#include "tcpstats_filter.h"
#include "tcpstats_ioctl.h"

struct writer {
	char		*w_buf;
	size_t		w_len;		/* capacity of w_buf */
	size_t		w_used;		/* bytes the full text needs so far */
};

static void wprintf(struct writer *, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
wprintf(struct writer *w, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	room = w->w_used < w->w_len ? w->w_len - w->w_used : 0;
	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? w->w_buf + w->w_used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->w_used += (size_t)n;
}

static void
family(struct writer *w, const char *name, const char *type,
    const char *help)
{

	wprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
sample_u(struct writer *w, const char *name, uint64_t v)
{

	wprintf(w, "%s %" PRIu64 "\n", name, v);
}

static void
sample_i(struct writer *w, const char *name, int64_t v)
{

	wprintf(w, "%s %" PRId64 "\n", name, v);
}

/* Nanoseconds as decimal seconds, nine places. */
static void
sample_ns(struct writer *w, const char *name, uint64_t ns)
{

	wprintf(w, "%s %" PRIu64 ".%09" PRIu64 "\n", name, ns / 1000000000u,
	    ns % 1000000000u);
}

/* Milliseconds (possibly negative) as decimal seconds, three places. */
static void
sample_ms(struct writer *w, const char *name, int64_t ms)
{
	uint64_t a;

	a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	wprintf(w, "%s %s%" PRIu64 ".%03" PRIu64 "\n", name, ms < 0 ? "-" : "",
	    a / 1000u, a % 1000u);
}

static const char *const tunable_names[EXP_NTUNABLES] = {
	[EXP_TUN_MAX_OPEN_FDS] = "max_open_fds",
	[EXP_TUN_MAX_CONCURRENT_READERS] = "max_concurrent_readers",
	[EXP_TUN_MAX_READ_DURATION_MS] = "max_read_duration_ms",
	[EXP_TUN_MIN_READ_INTERVAL_MS] = "min_read_interval_ms",
};

const char *
exp_tunable_name(enum exp_tunable t)
{

	return ((unsigned int)t < EXP_NTUNABLES ? tunable_names[t] : NULL);
}

static void
render_health(struct writer *w, const struct exp_snapshot *s)
{

	family(w, "tcpstats_exporter_build_info", "gauge",
	    "Version of tcpstats-exporter and the device ABI it speaks.");
	wprintf(w, "tcpstats_exporter_build_info{version=\"%s\",abi=\"%d\"} "
	    "1\n", s->sn_version, TCPSTATS_ABI_VERSION);
	family(w, "tcpstats_exporter_up", "gauge",
	    "1 if the last collection read the device, 0 if it failed.");
	sample_u(w, "tcpstats_exporter_up", s->sn_up ? 1 : 0);
	family(w, "tcpstats_exporter_collections_total", "counter",
	    "Device collections attempted.");
	sample_u(w, "tcpstats_exporter_collections_total", s->sn_collections);
	family(w, "tcpstats_exporter_cached_responses_total", "counter",
	    "Scrapes answered from the cache, as of the last collection.");
	sample_u(w, "tcpstats_exporter_cached_responses_total", s->sn_cached);
	family(w, "tcpstats_exporter_device_errors_total", "counter",
	    "Collections that failed to read the device.");
	sample_u(w, "tcpstats_exporter_device_errors_total",
	    s->sn_device_errors);
	family(w, "tcpstats_exporter_collection_duration_seconds", "gauge",
	    "Wall time of the last collection.");
	sample_ns(w, "tcpstats_exporter_collection_duration_seconds",
	    s->sn_duration_ns);
}

static void
render_sockets(struct writer *w, const struct exp_snapshot *s)
{
	const char *name;
	unsigned int st;

	family(w, "tcpstats_sockets", "gauge",
	    "TCP sockets the device reported under the exporter's filter.");
	sample_u(w, "tcpstats_sockets", s->sn_sockets);
	family(w, "tcpstats_sockets_by_state", "gauge",
	    "TCP sockets the device reported, by TCP state.");
	for (st = 0; st < TCPSTATS_NSTATES; st++) {
		name = tcpstats_state_name(st);
		wprintf(w, "tcpstats_sockets_by_state{state=\"%s\"} %" PRIu64
		    "\n", name != NULL ? name : "unknown", s->sn_by_state[st]);
	}
	if (s->sn_provider == TCPSTATS_PROVIDER_KMOD ||
	    s->sn_provider == TCPSTATS_PROVIDER_FUSE) {
		family(w, "tcpstats_provider_info", "gauge",
		    "The provider serving the device.");
		wprintf(w, "tcpstats_provider_info{provider=\"%s\"} 1\n",
		    s->sn_provider == TCPSTATS_PROVIDER_KMOD ? "kmod" :
		    "tcpstatsd");
	}
}

static void
render_counters(struct writer *w, const struct exp_snapshot *s)
{
	const struct tcpstats_counters *c;
	const char *reason;
	unsigned int r;

	c = &s->sn_counters;
	family(w, "tcpstats_opens_total", "counter",
	    "Successful opens of the device (opens_total).");
	sample_u(w, "tcpstats_opens_total", c->tsc_opens_total);
	family(w, "tcpstats_active_fds", "gauge",
	    "Opens of the device not yet closed, the exporter's own included.");
	sample_u(w, "tcpstats_active_fds", c->tsc_active_fds);
	family(w, "tcpstats_reads_total", "counter",
	    "read() calls the device served.");
	sample_u(w, "tcpstats_reads_total", c->tsc_reads_total);
	family(w, "tcpstats_sockets_visited_total", "counter",
	    "Sockets the device looked at (sockets_visited).");
	sample_u(w, "tcpstats_sockets_visited_total", c->tsc_sockets_visited);
	family(w, "tcpstats_records_emitted_total", "counter",
	    "Records the device copied out (records_emitted).");
	sample_u(w, "tcpstats_records_emitted_total", c->tsc_records_emitted);
	family(w, "tcpstats_sockets_skipped_total", "counter",
	    "Sockets visited but not reported, by reason.");
	for (r = 0; r < TCPSTATS_NSKIP; r++) {
		reason = tcpstats_skip_name(r);
		wprintf(w, "tcpstats_sockets_skipped_total{reason=\"%s\"} %"
		    PRIu64 "\n", reason != NULL ? reason : "unknown",
		    c->tsc_skipped[r]);
	}
	family(w, "tcpstats_reads_timed_out_total", "counter",
	    "Reads cut short by max_read_duration_ms.");
	sample_u(w, "tcpstats_reads_timed_out_total", c->tsc_reads_timed_out);
	family(w, "tcpstats_reads_interrupted_total", "counter",
	    "Reads cut short by a signal.");
	sample_u(w, "tcpstats_reads_interrupted_total",
	    c->tsc_reads_interrupted);
	family(w, "tcpstats_read_duration_seconds_total", "counter",
	    "Time spent in read() (read_duration_ns_total).");
	sample_ns(w, "tcpstats_read_duration_seconds_total",
	    c->tsc_read_duration_ns_total);
	family(w, "tcpstats_read_duration_seconds_max", "gauge",
	    "Longest single read() (read_duration_ns_max).");
	sample_ns(w, "tcpstats_read_duration_seconds_max",
	    c->tsc_read_duration_ns_max);
	family(w, "tcpstats_copyout_errors_total", "counter",
	    "Faults copying records to a reader.");
	sample_u(w, "tcpstats_copyout_errors_total", c->tsc_copyout_errors);
	family(w, "tcpstats_last_error", "gauge",
	    "errno of the device's last failure, 0 if none.");
	sample_i(w, "tcpstats_last_error", c->tsc_last_error);
}

static void
render_tunables(struct writer *w, const struct exp_snapshot *s)
{

	if (s->sn_tun_present[EXP_TUN_MAX_OPEN_FDS]) {
		family(w, "tcpstats_max_open_fds", "gauge",
		    "Tunable max_open_fds: opens past it fail with EMFILE.");
		sample_i(w, "tcpstats_max_open_fds",
		    s->sn_tun[EXP_TUN_MAX_OPEN_FDS]);
	}
	if (s->sn_tun_present[EXP_TUN_MAX_CONCURRENT_READERS]) {
		family(w, "tcpstats_max_concurrent_readers", "gauge",
		    "Tunable max_concurrent_readers: reads past it fail with "
		    "EBUSY.");
		sample_i(w, "tcpstats_max_concurrent_readers",
		    s->sn_tun[EXP_TUN_MAX_CONCURRENT_READERS]);
	}
	if (s->sn_tun_present[EXP_TUN_MAX_READ_DURATION_MS]) {
		family(w, "tcpstats_max_read_duration_seconds", "gauge",
		    "Tunable max_read_duration_ms: a read's time budget.");
		sample_ms(w, "tcpstats_max_read_duration_seconds",
		    s->sn_tun[EXP_TUN_MAX_READ_DURATION_MS]);
	}
	if (s->sn_tun_present[EXP_TUN_MIN_READ_INTERVAL_MS]) {
		family(w, "tcpstats_min_read_interval_seconds", "gauge",
		    "Tunable min_read_interval_ms: least spacing of reads, "
		    "0 = off.");
		sample_ms(w, "tcpstats_min_read_interval_seconds",
		    s->sn_tun[EXP_TUN_MIN_READ_INTERVAL_MS]);
	}
}

static void
render_host(struct writer *w, const struct exp_snapshot *s)
{
	const struct exp_host_counter *hc;
	char name[128];
	unsigned int i;

	for (i = 0; i < s->sn_host.ht_count && i < EXP_HOST_MAX; i++) {
		hc = &s->sn_host.ht_c[i];
		snprintf(name, sizeof(name), "tcpstats_host_tcp_%s%s",
		    hc->hc_name, hc->hc_gauge ? "" : "_total");
		wprintf(w, "# HELP %s Host TCP counter %s.\n# TYPE %s %s\n",
		    name, hc->hc_source, name, hc->hc_gauge ? "gauge" :
		    "counter");
		if (hc->hc_gauge)
			sample_i(w, name, hc->hc_ivalue);
		else
			sample_u(w, name, hc->hc_uvalue);
	}
}

size_t
exp_render(const struct exp_snapshot *s, char *buf, size_t len)
{
	struct writer w;

	w.w_buf = buf;
	w.w_len = len;
	w.w_used = 0;
	if (len > 0)
		buf[0] = '\0';

	render_health(&w, s);
	if (s->sn_up) {
		render_sockets(&w, s);
		render_counters(&w, s);
		render_tunables(&w, s);
	}
	if (s->sn_host_ok)
		render_host(&w, s);
	return (w.w_used);
}
