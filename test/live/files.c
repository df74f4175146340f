/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * files.c -- live tests of tcpstatsd's sysctl/ and profiles/ files: text
 * written in several write(2) calls is applied whole when the file is
 * closed, a rejected piece changes nothing, and a tunable opened for
 * reading and writing reads its value.
 *
 * Every tunable changed goes through tsf_tunable_set(), so .fini puts it
 * back; every profile made is removed in .fini.  The values used stay at
 * or above the defaults, so that a test running beside these is not
 * refused anything.
 */

#ifndef _GNU_SOURCE
#define	_GNU_SOURCE
#endif
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

/* The profiles these tests may make, removed after each test. */
static const char *const profile_names[] = { "tsf_files_multi",
    "tsf_files_bad", "tsf_files_new" };

/* <mount>/<sub>/<name>, the mount from TCPSTATS_MNT or the device's. */
static void
mnt_path(const char *sub, const char *name, char *buf, size_t len)
{
	const char *mnt;
	char dev[512];

	mnt = getenv("TCPSTATS_MNT");
	if (mnt != NULL && *mnt != '\0') {
		snprintf(buf, len, "%s/%s/%s", mnt, sub, name);
		return;
	}
	snprintf(dev, sizeof(dev), "%s", tsf_device_path());
	snprintf(buf, len, "%s/%s/%s", dirname(dev), sub, name);
}

static void
setup(void)
{
	char path[600];
	struct stat st;

	tsf_live_begin();
	mnt_path("sysctl", "max_open_fds", path, sizeof(path));
	if (stat(path, &st) != 0)
		cr_skip_test("%s: %s (these tests need tcpstatsd's file tree)",
		    path, strerror(errno));
}

static void
teardown(void)
{
	char path[600];
	size_t i;

	tsf_tunables_restore();
	for (i = 0; i < sizeof(profile_names) / sizeof(profile_names[0]);
	    i++) {
		mnt_path("profiles", profile_names[i], path, sizeof(path));
		if (unlink(path) != 0 && errno != ENOENT)
			cr_log_error("could not remove %s: %s", path,
			    strerror(errno));
	}
}

TestSuite(live_files, .init = setup, .fini = teardown, .timeout = 30);

/* The whole content of a file, newline kept; asserts it can be read. */
static void
read_file(const char *sub, const char *name, char *buf, size_t len)
{
	char path[600];
	ssize_t n;
	int fd;

	mnt_path(sub, name, path, sizeof(path));
	fd = open(path, O_RDONLY);
	cr_assert(fd >= 0, "open(%s, O_RDONLY): %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	cr_assert(n >= 0, "read(%s): %s", path, strerror(errno));
	buf[n] = '\0';
	close(fd);
}

static int
open_file(const char *sub, const char *name, int flags)
{
	char path[600];
	int fd;

	mnt_path(sub, name, path, sizeof(path));
	fd = open(path, flags, 0644);
	cr_assert(fd >= 0, "open(%s, 0%o): %s", path, (unsigned int)flags,
	    strerror(errno));
	return (fd);
}

/* write(2) the whole piece; asserts it was taken. */
static void
write_piece(int fd, const char *piece, const char *what)
{
	ssize_t n;

	n = write(fd, piece, strlen(piece));
	cr_assert_eq(n, (ssize_t)strlen(piece), "%s: write('%s') expected %zu, "
	    "got %zd (%s)", what, piece, strlen(piece), n,
	    n < 0 ? strerror(errno) : "short");
}

/* Store a profile with one write(2) and check it reads back. */
static void
profile_store(const char *name, const char *text)
{
	char got[600];

	cr_assert_eq(tsf_platform_profile_write(name, text), 0,
	    "could not store profile %s = '%s': %s", name, text,
	    strerror(errno));
	read_file("profiles", name, got, sizeof(got));
	cr_assert(strncmp(got, text, strlen(text)) == 0 &&
	    strcmp(got + strlen(text), "\n") == 0,
	    "profile %s: expected '%s\\n', got '%s'", name, text, got);
}

Test(live_files, tunable_written_in_two_pieces_takes_the_whole_value)
{
	char got[64];
	int fd;

	tsf_tunable_set("max_open_fds", 20);
	fd = open_file("sysctl", "max_open_fds", O_WRONLY | O_TRUNC);
	write_piece(fd, "3", "max_open_fds");
	write_piece(fd, "2", "max_open_fds");
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "before close: expected the old value "
	    "'20\\n', got '%s'", got);
	cr_assert_eq(close(fd), 0, "close after '3' and '2': %s",
	    strerror(errno));
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "32\n", "after close: expected '32\\n', got '%s'",
	    got);
}

Test(live_files, bad_second_piece_fails_and_keeps_the_old_value)
{
	char got[64];
	ssize_t n;
	int fd, rc;

	tsf_tunable_set("max_open_fds", 20);
	fd = open_file("sysctl", "max_open_fds", O_WRONLY | O_TRUNC);
	write_piece(fd, "3", "max_open_fds");
	errno = 0;
	n = write(fd, "x", 1);
	cr_expect_eq(n, -1, "write('x') after '3': expected -1, got %zd", n);
	cr_expect_eq(errno, EINVAL, "write('x'): expected EINVAL, got %s",
	    strerror(errno));
	errno = 0;
	rc = close(fd);
	cr_expect(rc == -1 && errno == EINVAL, "close after a rejected write: "
	    "expected -1/EINVAL (nothing applied), got %d/%s", rc,
	    strerror(errno));
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "expected the old value '20\\n', got "
	    "'%s'", got);
}

Test(live_files, value_past_the_maximum_is_refused_at_the_write)
{
	char got[64];
	ssize_t n;
	int fd;

	tsf_tunable_set("max_open_fds", 20);
	fd = open_file("sysctl", "max_open_fds", O_WRONLY | O_TRUNC);
	errno = 0;
	n = write(fd, "99999999", 8);
	cr_expect(n == -1 && errno == EINVAL, "write('99999999'), past the "
	    "maximum 1048576: expected -1/EINVAL, got %zd/%s", n,
	    strerror(errno));
	(void)close(fd);
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "expected the old value '20\\n', got "
	    "'%s'", got);
}

Test(live_files, value_below_the_minimum_fails_at_close)
{
	char got[64];
	int fd, rc;

	/* Without a newline more digits could follow: checked at close. */
	tsf_tunable_set("max_open_fds", 20);
	fd = open_file("sysctl", "max_open_fds", O_WRONLY | O_TRUNC);
	write_piece(fd, "0", "max_open_fds");
	errno = 0;
	rc = close(fd);
	cr_expect(rc == -1 && errno == EINVAL, "close after '0' (minimum 1): "
	    "expected -1/EINVAL, got %d/%s", rc, strerror(errno));
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "expected the old value '20\\n', got "
	    "'%s'", got);
}

Test(live_files, value_below_the_minimum_with_newline_fails_at_the_write)
{
	char got[64];
	ssize_t n;
	int fd;

	/* The newline ends the value, so the write itself is refused. */
	tsf_tunable_set("max_open_fds", 20);
	fd = open_file("sysctl", "max_open_fds", O_WRONLY | O_TRUNC);
	errno = 0;
	n = write(fd, "0\n", 2);
	cr_expect(n == -1 && errno == EINVAL, "write('0\\n'), minimum 1: "
	    "expected -1/EINVAL, got %zd/%s", n, strerror(errno));
	(void)close(fd);
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "expected the old value '20\\n', got "
	    "'%s'", got);
}

Test(live_files, read_write_open_reads_the_value)
{
	char got[64];
	ssize_t n;
	int fd;

	tsf_tunable_set("max_open_fds", 21);
	fd = open_file("sysctl", "max_open_fds", O_RDWR);
	n = read(fd, got, sizeof(got) - 1);
	cr_assert(n >= 0, "read: %s", strerror(errno));
	got[n] = '\0';
	cr_expect_str_eq(got, "21\n", "O_RDWR read: expected '21\\n', got "
	    "'%s'", got);
	cr_expect_eq(close(fd), 0, "close without a write: %s",
	    strerror(errno));
}

Test(live_files, shell_redirection_applies_before_the_shell_exits)
{
	char path[600], cmd[700], got[64];
	int status;

	tsf_tunable_set("max_open_fds", 20);
	mnt_path("sysctl", "max_open_fds", path, sizeof(path));
	/* The shell closes a duplicate of the file before echo writes. */
	snprintf(cmd, sizeof(cmd), "echo 24 > '%s'", path);
	status = system(cmd);
	cr_assert(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "'%s' failed (status 0x%x)", cmd,
	    (unsigned int)status);
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "24\n", "after echo: expected '24\\n', got '%s'",
	    got);
}

Test(live_files, profile_written_in_pieces_is_stored_at_close)
{
	char got[600];
	int fd;

	profile_store("tsf_files_multi", "local_port=22");
	fd = open_file("profiles", "tsf_files_multi", O_WRONLY | O_TRUNC);
	write_piece(fd, "local_port=", "profile");
	read_file("profiles", "tsf_files_multi", got, sizeof(got));
	cr_expect_str_eq(got, "local_port=22\n", "between writes: expected "
	    "the old text, got '%s'", got);
	write_piece(fd, "80,443\n", "profile");
	read_file("profiles", "tsf_files_multi", got, sizeof(got));
	cr_expect_str_eq(got, "local_port=22\n", "before close: expected the "
	    "old text, got '%s'", got);
	cr_assert_eq(close(fd), 0, "close: %s", strerror(errno));
	read_file("profiles", "tsf_files_multi", got, sizeof(got));
	cr_expect_str_eq(got, "local_port=80,443\n", "after close: expected "
	    "'local_port=80,443\\n', got '%s'", got);
}

Test(live_files, new_profile_in_pieces_exists_only_after_close)
{
	char path[600], got[600];
	int fd, rfd;

	fd = open_file("profiles", "tsf_files_new",
	    O_WRONLY | O_CREAT | O_TRUNC);
	write_piece(fd, "include_state=", "profile");
	write_piece(fd, "listen", "profile");
	mnt_path("profiles", "tsf_files_new", path, sizeof(path));
	errno = 0;
	rfd = open(path, O_RDONLY);
	cr_expect(rfd == -1 && errno == ENOENT, "before close: expected "
	    "ENOENT (no profile yet), got fd %d / %s", rfd, strerror(errno));
	if (rfd >= 0)
		close(rfd);
	cr_assert_eq(close(fd), 0, "close: %s", strerror(errno));
	read_file("profiles", "tsf_files_new", got, sizeof(got));
	cr_expect_str_eq(got, "include_state=listen\n", "after close: "
	    "expected 'include_state=listen\\n', got '%s'", got);
}

Test(live_files, profile_with_bad_text_fails_at_close_and_keeps_the_old)
{
	char got[600];
	int fd, rc;

	/* No newline: the text may go on, so it is parsed at close. */
	profile_store("tsf_files_bad", "local_port=22");
	fd = open_file("profiles", "tsf_files_bad", O_WRONLY | O_TRUNC);
	write_piece(fd, "local_port=", "profile");
	write_piece(fd, "99999", "profile");
	errno = 0;
	rc = close(fd);
	cr_expect(rc == -1 && errno == EINVAL, "close with 'local_port=99999': "
	    "expected -1/EINVAL, got %d/%s", rc, strerror(errno));
	read_file("profiles", "tsf_files_bad", got, sizeof(got));
	cr_expect_str_eq(got, "local_port=22\n", "expected the old text "
	    "'local_port=22\\n', got '%s'", got);
}

Test(live_files, profile_text_ended_by_a_newline_is_parsed_at_the_write)
{
	char got[600];
	ssize_t n;
	int fd, rc;

	profile_store("tsf_files_bad", "local_port=22");
	fd = open_file("profiles", "tsf_files_bad", O_WRONLY | O_TRUNC);
	write_piece(fd, "local_port=", "profile");
	errno = 0;
	n = write(fd, "99999\n", 6);
	cr_expect(n == -1 && errno == EINVAL, "write('99999\\n') ending "
	    "'local_port=99999': expected -1/EINVAL, got %zd/%s", n,
	    strerror(errno));
	errno = 0;
	rc = close(fd);
	cr_expect(rc == -1 && errno == EINVAL, "close after a rejected write: "
	    "expected -1/EINVAL, got %d/%s", rc, strerror(errno));
	read_file("profiles", "tsf_files_bad", got, sizeof(got));
	cr_expect_str_eq(got, "local_port=22\n", "expected the old text "
	    "'local_port=22\\n', got '%s'", got);
}

Test(live_files, shell_echo_of_a_bad_value_fails)
{
	char path[600], cmd[700], got[64];
	int status;

	/* The shell sees the error at echo's write, not only at a close. */
	tsf_tunable_set("max_open_fds", 20);
	mnt_path("sysctl", "max_open_fds", path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "echo 0 > '%s' 2>/dev/null", path);
	status = system(cmd);
	cr_expect(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) != 0, "'%s' must fail, got status 0x%x", cmd,
	    (unsigned int)status);
	read_file("sysctl", "max_open_fds", got, sizeof(got));
	cr_expect_str_eq(got, "20\n", "expected the old value '20\\n', got "
	    "'%s'", got);
}
