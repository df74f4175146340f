/*
 * cat_g_profiles.c -- category G: named profiles through the ioctls and
 * through the counter tree (sysctl on FreeBSD, files on Linux): create,
 * read back, use, update, delete; inline and stored filters agree.
 */

#include <sys/ioctl.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "itest.h"

#define	CAT_G	.init = itest_setup, .fini = profile_teardown

static char pname[TCPSTATS_NAME_BUF];

static void
profile_teardown(void)
{
	struct tcpstats_profile_arg pa;
	int fd;

	if (pname[0] != '\0') {
		memset(&pa, 0, sizeof(pa));
		strcpy(pa.tpa_name, pname);
		fd = tsf_open();
		(void)ioctl(fd, TCPSTATS_IOC_PROFILE_DEL, &pa);
		close(fd);
	}
	itest_teardown();
}

/* A profile name of this test process alone. */
static const char *
unique_name(const char *stem)
{
	snprintf(pname, sizeof(pname), "%s_%ld", stem, (long)getpid());
	return (pname);
}

static int
profile_set(const char *name, const char *text)
{
	struct tcpstats_profile_arg pa;
	int fd, error;

	memset(&pa, 0, sizeof(pa));
	strcpy(pa.tpa_name, name);
	strcpy(pa.tpa_text, text);
	fd = tsf_open();
	error = ioctl(fd, TCPSTATS_IOC_PROFILE_SET, &pa) == 0 ? 0 : errno;
	close(fd);
	return (error);
}

static bool
profile_listed(int fd, const char *name)
{
	struct tcpstats_profile_list pl;
	uint32_t i;

	memset(&pl, 0, sizeof(pl));
	cr_assert(ioctl(fd, TCPSTATS_IOC_PROFILE_LIST, &pl) == 0,
	    "TCPSTATS_IOC_PROFILE_LIST: %s", strerror(errno));
	cr_assert(pl.tpl_count <= TCPSTATS_MAX_PROFILES,
	    "profile list claims %u entries", pl.tpl_count);
	for (i = 0; i < pl.tpl_count; i++)
		if (strcmp(pl.tpl_names[i], name) == 0)
			return (true);
	return (false);
}

Test(cat_G, ioctl_lifecycle, CAT_G)
{
	struct tcpstats_profile_arg pa;
	struct tsf_spec sp;
	char filter[80], tree[TCPSTATS_FILTER_MAXLEN + 2];
	const char *name;
	int fd;

	name = unique_name("g_life");
	cr_assert_eq(profile_set(name, "local_port=20001"), 0,
	    "creating profile %s failed", name);

	/* Read back through the ioctl and through the counter tree. */
	fd = tsf_open();
	memset(&pa, 0, sizeof(pa));
	strcpy(pa.tpa_name, name);
	cr_assert(ioctl(fd, TCPSTATS_IOC_PROFILE_GET, &pa) == 0,
	    "TCPSTATS_IOC_PROFILE_GET %s: %s", name, strerror(errno));
	cr_expect_str_eq(pa.tpa_text, "local_port=20001");
	cr_expect(profile_listed(fd, name), "%s missing from the list", name);
	cr_assert(tsf_platform_profile_read(name, tree, sizeof(tree)) == 0,
	    "profile %s not visible in the counter tree", name);
	cr_expect_str_eq(tree, "local_port=20001");
	close(fd);

	/* Used by name, it selects what the inline filter selects. */
	snprintf(filter, sizeof(filter), "profile=%s", name);
	tsf_spec_all(&sp);
	spec_lport(&sp, P_V4A, P_V4A);
	itest_check(filter, &sp, 3);
	itest_check("local_port=20001", &sp, 3);

	/* An update is seen by opens made after it. */
	cr_assert_eq(profile_set(name, "local_port=20003"), 0,
	    "updating profile %s failed", name);
	tsf_spec_all(&sp);
	spec_lport(&sp, P_V6A, P_V6A);
	itest_check(filter, &sp, 3);

	/* Deleted, it can no longer be named. */
	fd = tsf_open();
	memset(&pa, 0, sizeof(pa));
	strcpy(pa.tpa_name, name);
	cr_assert(ioctl(fd, TCPSTATS_IOC_PROFILE_DEL, &pa) == 0,
	    "TCPSTATS_IOC_PROFILE_DEL %s: %s", name, strerror(errno));
	cr_expect(!profile_listed(fd, name), "%s still listed after delete",
	    name);
	cr_expect_eq(tsf_set_filter(fd, filter, NULL), EINVAL,
	    "a deleted profile was accepted in a filter");
	cr_expect(ioctl(fd, TCPSTATS_IOC_PROFILE_DEL, &pa) != 0 &&
	    errno == ENOENT, "deleting %s twice did not give ENOENT", name);
	close(fd);
	pname[0] = '\0';
}

Test(cat_G, tree_created_profile_merges_inline, CAT_G)
{
	struct tsf_spec sp;
	char filter[96];
	const char *name;
	int fd;

	/* Created through the counter tree, seen by the ioctls. */
	name = unique_name("g_tree");
	cr_assert(tsf_platform_profile_write(name, "ipv6_only") == 0,
	    "creating profile %s through the counter tree failed", name);
	fd = tsf_open();
	cr_expect(profile_listed(fd, name), "%s created through the tree is "
	    "not listed by the ioctl", name);
	close(fd);

	/* Its directives merge with the inline ones. */
	snprintf(filter, sizeof(filter), "profile=%s include_state=listen",
	    name);
	tsf_spec_all(&sp);
	sp.family = TCPSTATS_AF_INET6;
	sp.states = state_bit(TCPSTATS_ST_LISTEN);
	itest_check(filter, &sp, 5);

	/* A conflict between profile and inline text is rejected. */
	snprintf(filter, sizeof(filter), "profile=%s ipv4_only", name);
	itest_rejects(filter, name);

	cr_assert(tsf_platform_profile_remove(name) == 0,
	    "removing profile %s through the counter tree failed", name);
	fd = tsf_open();
	cr_expect(!profile_listed(fd, name), "%s still listed", name);
	close(fd);
	pname[0] = '\0';
}

Test(cat_G, bad_profiles_rejected, CAT_G)
{
	cr_expect_eq(profile_set("Bad-Name", "ipv4_only"), EINVAL,
	    "a profile name outside [a-z0-9_] was accepted");
	cr_expect_eq(profile_set(unique_name("g_bad"), "local_port=0"),
	    EINVAL, "a profile with an invalid filter was accepted");
	pname[0] = '\0';
	cr_expect_eq(tsf_platform_profile_write("g_bad_tree", "exclude=nope"),
	    -1, "the counter tree accepted an invalid profile");
}

/*
 * A NUL inside the text written through the counter tree is refused, not
 * taken as the end of the text: "local_port=20005" alone is a good filter,
 * so a provider cutting at the NUL would accept it.
 */
Test(cat_G, profile_text_with_a_nul_rejected, CAT_G)
{
	static const char text[] = "local_port=20005\0exclude=listen";
	const char *name;
	char buf[TCPSTATS_FILTER_MAXLEN + 1];

	buf[0] = '\0';
	name = unique_name("g_nul");
	cr_expect_eq(tsf_platform_profile_write_bytes(name, text,
	    sizeof(text) - 1), -1,
	    "the counter tree took a profile text with a NUL inside");
	cr_expect_neq(tsf_platform_profile_read(name, buf, sizeof(buf)), 0,
	    "profile %s exists after its text was refused (\"%s\")", name,
	    buf);
}
