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

/* Fill err with a message about a profile name (column 0: no text). */
static int
ts_profile_err(struct tcpstats_errinfo *err, const char *what,
    const char *name)
{
	struct ts_wbuf wb;

	if (err == NULL)
		return (TCPSTATS_E_INVAL);
	err->tei_errno = 0;
	err->tei_column = 0;
	ts_strlcpy(err->tei_directive, "profile", sizeof(err->tei_directive));
	ts_wb_init(&wb, err->tei_message, sizeof(err->tei_message));
	ts_wb_str(&wb, what);
	if (name != NULL) {
		ts_wb_str(&wb, ", got ");
		ts_wb_quote(&wb, name, ts_strnlen(name, TCPSTATS_NAME_BUF));
	}
	return (TCPSTATS_E_INVAL);
}

int
tcpstats_profile_name_check(const char *name, struct tcpstats_errinfo *err)
{
	size_t i, n;
	unsigned char c;

	if (name == NULL)
		return (ts_profile_err(err, "no profile name given", NULL));
	n = ts_strnlen(name, TCPSTATS_PROFILE_NAMELEN + 1);
	if (n == 0)
		return (ts_profile_err(err, "a profile name cannot be empty",
		    NULL));
	if (n > TCPSTATS_PROFILE_NAMELEN)
		return (ts_profile_err(err,
		    "a profile name has at most 32 bytes", name));
	for (i = 0; i < n; i++) {
		c = (unsigned char)name[i];
		if (!((c >= 'a' && c <= 'z') || ts_isdigit(c) || c == '_'))
			return (ts_profile_err(err, "profile names are "
			    "lower-case: letters a-z, digits and '_'", name));
	}
	return (0);
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
			(void)ts_profile_err(err, "the profile table is full "
			    "(16 profiles); delete one first", NULL);
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
