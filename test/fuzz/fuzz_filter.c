/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_filter.c -- libFuzzer target for the filter parser, formatter and
 * matcher.
 *
 * Every input is treated as filter text.  Properties checked, each an
 * abort() when it fails:
 *   - a rejected filter leaves the output untouched and reports a
 *     NUL-terminated message and a column inside the text (or 0);
 *   - an accepted filter formats to canonical text that fits
 *     TCPSTATS_CANON_MAX, parses again to the same bytes, and formats
 *     again to the same text;
 *   - the matcher returns a known verdict, the same for both copies.
 * AddressSanitizer and UBSan catch what the properties do not.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpstats_filter.h"

#define	INPUT_MAX	1024	/* longer than the 511-byte limit on purpose */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tcpstats_profiles profiles;
static bool profiles_ready;

/* A few sockets of each kind: v4 and v6, listeners and connections. */
static const struct tcpstats_conn conns[] = {
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_ESTABLISHED,
	  .tcn_lport = 22, .tcn_rport = 50000,
	  .tcn_laddr = { 10, 0, 0, 1 }, .tcn_raddr = { 192, 168, 1, 9 } },
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_LISTEN,
	  .tcn_lport = 80 },
	{ .tcn_family = TCPSTATS_AF_INET, .tcn_state = TCPSTATS_ST_TIME_WAIT,
	  .tcn_lport = 443, .tcn_rport = 1,
	  .tcn_laddr = { 127, 0, 0, 1 }, .tcn_raddr = { 127, 0, 0, 1 } },
	{ .tcn_family = TCPSTATS_AF_INET6, .tcn_state = TCPSTATS_ST_ESTABLISHED,
	  .tcn_lport = 8080, .tcn_rport = 65535,
	  .tcn_laddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
	  .tcn_raddr = { 0xfe, 0x80, [15] = 2 } },
	{ .tcn_family = TCPSTATS_AF_INET6, .tcn_state = TCPSTATS_ST_LISTEN,
	  .tcn_lport = 5432, .tcn_laddr = { [15] = 1 } },
};

static void
fail(const char *what, const char *text)
{

	fprintf(stderr, "fuzz_filter: %s\n  input: '%s'\n", what, text);
	abort();
}

static void
setup_profiles(void)
{
	struct tcpstats_errinfo err;
	bool created;

	tcpstats_profiles_init(&profiles);
	if (tcpstats_profile_set(&profiles, "web", "local_port=80,443",
	    &created, &err) != 0 ||
	    tcpstats_profile_set(&profiles, "db",
	    "remote_port=5432 exclude=time_wait ipv6_only", &created,
	    &err) != 0)
		fail("cannot store the seed profiles", "");
	profiles_ready = true;
}

static void
check_error(const char *text, size_t len, const struct tcpstats_errinfo *err)
{

	if (memchr(err->tei_message, '\0', sizeof(err->tei_message)) == NULL)
		fail("error message not NUL-terminated", text);
	if (memchr(err->tei_directive, '\0',
	    sizeof(err->tei_directive)) == NULL)
		fail("error directive not NUL-terminated", text);
	if (err->tei_message[0] == '\0')
		fail("error without a message", text);
	if (err->tei_column > len + 1 &&
	    err->tei_column != TCPSTATS_FILTER_MAXLEN + 1)
		fail("error column past the end of the text", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[INPUT_MAX + 1];
	static char canon[TCPSTATS_CANON_MAX], again[TCPSTATS_CANON_MAX];
	struct tcpstats_filter f, g, untouched;
	struct tcpstats_errinfo err;
	size_t len, n, m, i;
	int v1, v2;

	if (!profiles_ready)
		setup_profiles();
	if (size > INPUT_MAX)
		size = INPUT_MAX;
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);

	/* Rejected: output untouched, error well formed. */
	memset(&f, 0xa5, sizeof(f));
	memcpy(&untouched, &f, sizeof(f));
	memset(&err, 0, sizeof(err));
	if (tcpstats_filter_parse(text, &profiles, &f, &err) != 0) {
		if (memcmp(&f, &untouched, sizeof(f)) != 0)
			fail("rejected filter changed the output", text);
		check_error(text, len, &err);
		return (0);
	}

	/* Accepted: canonical text round-trips to the same bytes. */
	n = tcpstats_filter_format(&f, canon, sizeof(canon));
	if (n >= sizeof(canon) || strlen(canon) != n)
		fail("format returned a wrong length", text);
	memset(&g, 0x5a, sizeof(g));
	if (tcpstats_filter_parse(canon, NULL, &g, &err) != 0) {
		fprintf(stderr, "canonical '%s' rejected: %s (column %u)\n",
		    canon, err.tei_message, (unsigned)err.tei_column);
		fail("canonical text does not parse", text);
	}
	if (memcmp(&f, &g, sizeof(f)) != 0) {
		fprintf(stderr, "canonical: '%s'\n", canon);
		fail("parse(format(f)) != f", text);
	}
	m = tcpstats_filter_format(&g, again, sizeof(again));
	if (m != n || memcmp(canon, again, n + 1) != 0)
		fail("format is not stable", text);
	if (n > 0 && tcpstats_filter_format(&f, again, n) != 0)
		fail("format into a short buffer did not return 0", text);

	/* Matching: a known verdict, the same for both copies. */
	for (i = 0; i < sizeof(conns) / sizeof(conns[0]); i++) {
		v1 = tcpstats_filter_match(&f, &conns[i]);
		v2 = tcpstats_filter_match(&g, &conns[i]);
		if (v1 != v2)
			fail("equal filters disagree", text);
		if (v1 != TCPSTATS_MATCH && v1 != TCPSTATS_SKIP_IPVER &&
		    v1 != TCPSTATS_SKIP_STATE && v1 != TCPSTATS_SKIP_PORT &&
		    v1 != TCPSTATS_SKIP_ADDR)
			fail("matcher returned an unknown verdict", text);
	}
	return (0);
}
