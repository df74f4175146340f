/*
 * tsf.h -- the live test framework: device access, socket fixtures, an
 * independent oracle of the filter semantics, counters, processes and the
 * exporter handle.
 *
 * Live tests never know which provider they talk to; everything that
 * differs between FreeBSD (kmod, sysctl, ifconfig) and Linux (tcpstatsd,
 * files under the mount, network namespaces) sits in platform_*.c behind
 * the tsf_platform_* functions.
 *
 * Functions named tsf_* that can fail inside a test assert (cr_assert) with
 * a message saying what was attempted; the few that return an error code
 * say so.
 */

#ifndef TSF_H
#define	TSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tcpstats_abi.h"
#include "tcpstats_ioctl.h"

/* --- environment and skips --------------------------------------------- */

/*
 * Skip the running test, with the reason, unless it can run live here:
 * root, a provider device at TCPSTATS_DEV (or the platform default).
 * Then isolate the test (Linux: a network namespace of its own with
 * loopback up).  Call first thing in every live test or its .init.
 */
void	tsf_live_begin(void);

/* Path of the device under test. */
const char *tsf_device_path(void);

/* Why a live test cannot run here, or NULL when it can. */
const char *tsf_live_unavailable(void);

/* --- device ------------------------------------------------------------- */

/* open(O_RDONLY) the device; asserts success. */
int	tsf_open(void);

/* Set a filter; returns 0 or the errno.  On failure *err (may be NULL)
 * gets the provider's TCPSTATS_IOC_LASTERR report. */
int	tsf_set_filter(int fd, const char *text, struct tcpstats_errinfo *err);

/* Set a filter and assert that it was accepted. */
void	tsf_must_filter(int fd, const char *text);

/* Records of one read-to-the-end, decoded to the full layout. */
struct tsf_records {
	size_t			 n;
	size_t			 cap;
	struct tcpstats_record	*rec;
	uint16_t		*raw_len;	/* length on the wire */
	uint16_t		*raw_fields;	/* trh_fields on the wire */
	uint16_t		*raw_flags;	/* trh_flags on the wire */
	size_t			 reads;		/* read() calls, final 0 incl. */
	size_t			 bytes;		/* bytes returned */
};

/*
 * Read the device until read() returns 0 with buffers of bufsize bytes,
 * decoding and checking every record (version, length, whole records per
 * read).  Asserts on any protocol violation.
 */
void	tsf_read_all(int fd, size_t bufsize, struct tsf_records *out);
void	tsf_records_free(struct tsf_records *r);

/* Convenience: open, filter, read all, close. */
void	tsf_snapshot(const char *filter, struct tsf_records *out);

void	tsf_reader_stats(int fd, struct tcpstats_counters *c);
void	tsf_global_stats(int fd, struct tcpstats_counters *c);

/* --- sockets fixture ---------------------------------------------------- */

#define	TSF_MAX_SOCKS	512

enum tsf_role { TSF_LISTENER, TSF_CLIENT, TSF_ACCEPTED };

/* One socket the test made, as the provider should report it. */
struct tsf_sock {
	int		fd;		/* -1 once closed (TIME_WAIT etc.) */
	bool		gone;		/* closed for good: must not be seen */
	enum tsf_role	role;
	uint8_t		family;		/* TCPSTATS_AF_* as reported */
	bool		mapped;		/* AF_INET6 socket, IPv4-mapped */
	uint8_t		state;		/* TCPSTATS_ST_* expected */
	uint16_t	lport;
	uint16_t	rport;		/* 0 for listeners */
	uint8_t		laddr[16];	/* IPv4 in bytes 0-3 */
	uint8_t		raddr[16];
};

struct tsf_fixture {
	size_t		n;
	struct tsf_sock	s[TSF_MAX_SOCKS];
};

void	tsf_fixture_init(struct tsf_fixture *fx);
void	tsf_fixture_close(struct tsf_fixture *fx);

/*
 * Listen on addr:port (port 0 = any), addr as text ("127.0.0.1", "::1",
 * "::" for a dual-stack listener).  Returns the socket's index.
 */
size_t	tsf_listen(struct tsf_fixture *fx, const char *addr, uint16_t port);

/*
 * Connect from src (NULL = let the kernel pick) to the listener at index
 * li through the address dst (NULL = the listener's own address), accept
 * the server side, and record both.  Returns the client's index; the
 * accepted socket is the next one.
 */
size_t	tsf_connect(struct tsf_fixture *fx, size_t li, const char *src,
	    const char *dst);

/* Drive a connected pair into TIME_WAIT (client) / CLOSE_WAIT (accepted). */
void	tsf_pair_time_wait(struct tsf_fixture *fx, size_t client);
void	tsf_pair_close_wait(struct tsf_fixture *fx, size_t client);

/* Add an address to loopback (idempotent; IPv6 with DAD off). */
void	tsf_loopback_alias(const char *addr);

/* --- oracle ------------------------------------------------------------- */

/*
 * An independent model of the filter semantics (docs/filter-language.md),
 * built from structured values rather than filter text, so that no code
 * under test takes part in computing what a filter should return.
 */
struct tsf_range {
	uint16_t	lo, hi;
};

struct tsf_cidr {
	uint8_t		family;
	uint8_t		plen;
	uint8_t		addr[16];
};

struct tsf_spec {
	uint8_t		family;		/* 0 = both, or TCPSTATS_AF_* */
	uint16_t	states;		/* reported states, bit per state */
	int		nlport, nrport, nladdr, nraddr;
	struct tsf_range lport[8], rport[8];
	struct tsf_cidr	laddr[8], raddr[8];
};

void	tsf_spec_all(struct tsf_spec *sp);
void	tsf_spec_cidr(struct tsf_cidr *c, const char *text); /* "a/n" */
bool	tsf_spec_admits(const struct tsf_spec *sp, const struct tsf_sock *s);

/*
 * Assert that recs holds exactly the fixture's sockets that sp admits,
 * each once, ignoring records of sockets outside the fixture (recognised
 * by the fixture's listener ports).  what names the filter in messages.
 */
void	tsf_expect_exact(const struct tsf_records *recs,
	    const struct tsf_fixture *fx, const struct tsf_spec *sp,
	    const char *what);

/* Number of fixture sockets sp admits. */
size_t	tsf_expected_count(const struct tsf_fixture *fx,
	    const struct tsf_spec *sp);

/* Records that belong to the fixture (by listener port). */
size_t	tsf_count_ours(const struct tsf_records *recs,
	    const struct tsf_fixture *fx);

/* --- counters and tunables ---------------------------------------------- */

/* Read dev.tcpstats.<name> (or the mount's sysctl/<name>). */
uint64_t tsf_counter(const char *name);

/*
 * Set a tunable for the rest of the test; the old value is restored by
 * tsf_tunables_restore() (call it from .fini) even if the test failed.
 */
void	tsf_tunable_set(const char *name, uint64_t value);
void	tsf_tunables_restore(void);

/* --- processes ---------------------------------------------------------- */

struct tsf_proc {
	pid_t		pid;
	char		log[256];	/* stderr/stdout captured here */
};

/* Start argv[0] in its own process group; output to a log file. */
void	tsf_spawn(struct tsf_proc *p, char *const argv[]);

/* Wait up to ms for exit; returns the exit status or -1 on timeout. */
int	tsf_wait(struct tsf_proc *p, int ms);

/* SIGTERM the group, then SIGKILL after ms; reaps. */
void	tsf_stop(struct tsf_proc *p, int ms);

/* --- platform ----------------------------------------------------------- */

const char *tsf_platform_default_device(void);
int	tsf_platform_isolate(char *why, size_t whylen);
int	tsf_platform_sysctl_get(const char *name, uint64_t *v);
int	tsf_platform_sysctl_set(const char *name, uint64_t v);
int	tsf_platform_alias(const char *addr);

/*
 * Wait up to ms for the kernel to show the socket s in state (TCPSTATS_ST_*,
 * or -1 for "gone"), using the system's own socket table, never the
 * provider.  Returns 0, or -1 on timeout.
 */
int	tsf_platform_wait_state(const struct tsf_sock *s, int state, int ms);

/*
 * Profiles through the counter tree (dev.tcpstats.profiles.<name> on
 * FreeBSD, <mount>/profiles/<name> on Linux).  0, or -1 when refused.
 */
int	tsf_platform_profile_write(const char *name, const char *text);
int	tsf_platform_profile_read(const char *name, char *buf, size_t len);
int	tsf_platform_profile_remove(const char *name);

/* --- small helpers ------------------------------------------------------ */

/* Text form of a record's or socket's identity, for messages. */
void	tsf_format_sock(const struct tsf_sock *s, char *buf, size_t len);
void	tsf_format_record(const struct tcpstats_record *r, char *buf,
	    size_t len);

/* Parse "a.b.c.d" or an IPv6 text into family + 16 bytes (IPv4 first 4). */
bool	tsf_addr_parse(const char *text, uint8_t *family, uint8_t addr[16]);

#endif /* TSF_H */
