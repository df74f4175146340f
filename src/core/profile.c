/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * profile.c -- the table of named profiles.
 *
 * A fixed table of TCPSTATS_MAX_PROFILES slots.  A profile is stored only
 * after its text has parsed on its own, so a stored profile can always be
 * merged into a filter; conflicts with the filter that names it are found
 * when that filter is parsed.  The caller serialises access.
 */

#include "core_impl.h"

void
tcpstats_profiles_init(struct tcpstats_profiles *t)
{

	memset(t, 0, sizeof(*t));
}

/* Bytes of a name looked at: past the 48 a message quotes. */
#define	TS_NAME_SCAN	64

/* The messages below say 32. */
_Static_assert(TCPSTATS_PROFILE_NAMELEN == 32, "profile name length");

/*
 * Fill err about a profile: what went wrong, then the name quoted when
 * n > 0.  col is a position in the name, 0 when none applies.
 */
static int
ts_profile_err(struct tcpstats_errinfo *err, uint32_t col, const char *what,
    const char *name, size_t n)
{
	struct ts_wbuf wb;

	if (err == NULL)
		return (TCPSTATS_E_INVAL);
	err->tei_errno = 0;
	err->tei_column = col;
	ts_strlcpy(err->tei_directive, "profile", sizeof(err->tei_directive));
	ts_wb_init(&wb, err->tei_message, sizeof(err->tei_message));
	ts_wb_str(&wb, what);
	if (n > 0) {
		ts_wb_str(&wb, ", got ");
		ts_wb_quote(&wb, name, n);
	}
	return (TCPSTATS_E_INVAL);
}

const char *
ts_profile_name_why(const char *s, size_t n, uint32_t *pos)
{
	size_t i;
	unsigned char c;

	*pos = 0;
	if (n == 0)
		return ("a profile name cannot be empty");
	if (n > TCPSTATS_PROFILE_NAMELEN)
		return ("a profile name has at most 32 bytes");
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || ts_isdigit(c) || c == '_')) {
			*pos = (uint32_t)i + 1;
			return ("profile names are lower-case: letters a-z, "
			    "digits and '_'");
		}
	}
	return (NULL);
}

int
tcpstats_profile_name_check(const char *name, struct tcpstats_errinfo *err)
{
	const char *why;
	size_t n;
	uint32_t pos;

	if (name == NULL)
		return (ts_profile_err(err, 0, "no profile name given", NULL,
		    0));
	n = ts_strnlen(name, TS_NAME_SCAN);
	why = ts_profile_name_why(name, n, &pos);
	if (why == NULL)
		return (TCPSTATS_OK);
	return (ts_profile_err(err, pos, why, name, n));
}

/* Slot holding name (already checked), or -1. */
static int
ts_profile_find(const struct tcpstats_profiles *t, const char *name)
{
	size_t n;
	int i;

	n = strlen(name) + 1;
	for (i = 0; i < TCPSTATS_MAX_PROFILES; i++)
		if (t->tps_slot[i].tp_used != 0 &&
		    memcmp(t->tps_slot[i].tp_name, name, n) == 0)
			return (i);
	return (-1);
}

int
tcpstats_profile_set(struct tcpstats_profiles *t, const char *name,
    const char *text, bool *created, struct tcpstats_errinfo *err)
{
	struct tcpstats_filter f;
	struct tcpstats_profile *tp;
	int error, i;

	if (created != NULL)
		*created = false;
	error = tcpstats_profile_name_check(name, err);
	if (error != 0)
		return (error);
	/* The text must stand alone; it cannot name a profile. */
	error = ts_filter_parse(text, NULL, &f, err, TS_PARSE_STORING);
	if (error != 0)
		return (error);

	i = ts_profile_find(t, name);
	if (i < 0) {
		for (i = 0; i < TCPSTATS_MAX_PROFILES; i++)
			if (t->tps_slot[i].tp_used == 0)
				break;
		if (i == TCPSTATS_MAX_PROFILES) {
			(void)ts_profile_err(err, 0, "the profile table is "
			    "full (16 profiles); delete one first", NULL, 0);
			return (TCPSTATS_E_NOSPC);
		}
		if (created != NULL)
			*created = true;
		t->tps_count++;
	}
	tp = &t->tps_slot[i];
	memset(tp, 0, sizeof(*tp));
	ts_strlcpy(tp->tp_name, name, sizeof(tp->tp_name));
	ts_strlcpy(tp->tp_text, text, sizeof(tp->tp_text));
	tp->tp_used = 1;
	t->tps_gen++;
	return (0);
}

int
tcpstats_profile_delete(struct tcpstats_profiles *t, const char *name)
{
	int i;

	if (name == NULL || tcpstats_profile_name_check(name, NULL) != 0)
		return (TCPSTATS_E_NOENT);
	i = ts_profile_find(t, name);
	if (i < 0)
		return (TCPSTATS_E_NOENT);
	memset(&t->tps_slot[i], 0, sizeof(t->tps_slot[i]));
	t->tps_count--;
	t->tps_gen++;
	return (0);
}

const char *
tcpstats_profile_lookup(const struct tcpstats_profiles *t, const char *name)
{
	int i;

	if (t == NULL || name == NULL ||
	    tcpstats_profile_name_check(name, NULL) != 0)
		return (NULL);
	i = ts_profile_find(t, name);
	return (i < 0 ? NULL : t->tps_slot[i].tp_text);
}

unsigned int
tcpstats_profile_list(const struct tcpstats_profiles *t,
    char names[][TCPSTATS_NAME_BUF], unsigned int max)
{
	unsigned int i, n;

	n = 0;
	for (i = 0; i < TCPSTATS_MAX_PROFILES && n < max; i++) {
		if (t->tps_slot[i].tp_used == 0)
			continue;
		memset(names[n], 0, TCPSTATS_NAME_BUF);
		ts_strlcpy(names[n], t->tps_slot[i].tp_name,
		    TCPSTATS_NAME_BUF);
		n++;
	}
	return (n);
}
