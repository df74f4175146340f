/*
 * tsf_counters.c -- the counter tree and its tunables, through the
 * platform's sysctl (FreeBSD) or the mount's sysctl/ files (Linux).
 * Tunables a test changes are restored from .fini, pass or fail.
 */

#include <string.h>

#include <criterion/criterion.h>

#include "tsf.h"

#define	TSF_MAX_SAVED	16

static struct {
	char		name[64];
	uint64_t	value;
} saved[TSF_MAX_SAVED];
static int nsaved;

uint64_t
tsf_counter(const char *name)
{
	uint64_t v;

	cr_assert(tsf_platform_sysctl_get(name, &v) == 0,
	    "cannot read counter %s", name);
	return (v);
}

void
tsf_tunable_set(const char *name, uint64_t value)
{
	uint64_t old;
	int i;

	cr_assert(tsf_platform_sysctl_get(name, &old) == 0,
	    "cannot read tunable %s", name);
	for (i = 0; i < nsaved; i++)
		if (strcmp(saved[i].name, name) == 0)
			break;
	if (i == nsaved) {
		cr_assert(nsaved < TSF_MAX_SAVED, "too many tunables saved");
		cr_assert(strlen(name) < sizeof(saved[0].name),
		    "tunable name too long: %s", name);
		strcpy(saved[nsaved].name, name);
		saved[nsaved].value = old;
		nsaved++;
	}
	cr_assert(tsf_platform_sysctl_set(name, value) == 0,
	    "cannot set tunable %s to %llu", name,
	    (unsigned long long)value);
}

void
tsf_tunables_restore(void)
{
	int i;

	for (i = nsaved - 1; i >= 0; i--)
		if (tsf_platform_sysctl_set(saved[i].name,
		    saved[i].value) != 0)
			cr_log_error("could not restore %s to %llu",
			    saved[i].name,
			    (unsigned long long)saved[i].value);
	nsaved = 0;
}

/* A profile's text through the counter tree, as a C string. */
int
tsf_platform_profile_write(const char *name, const char *text)
{

	return (tsf_platform_profile_write_bytes(name, text, strlen(text)));
}
