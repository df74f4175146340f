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
 *
 * Logging: Criterion 2.4 ends its run with a non-zero status when a test
 * logged a warning or an error, even if every assertion held.  Notes that
 * must not fail a test (an exporter scrape that failed) use cr_log_info;
 * cr_log_error is kept for what should fail the run (a tunable that could
 * not be restored).
 */

#ifndef TSF_H
#define	TSF_H

#include <pthread.h>
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

/* --- signals ------------------------------------------------------------ */

/* SIGUSR1 at the calling thread every interval_us until stopped. */
struct tsf_pester {
	pthread_t	thread;
	pthread_t	target;
	unsigned int	interval_us;
	volatile int	stop;
};

void	tsf_pester_start(struct tsf_pester *p, unsigned int interval_us);

/* Stop and join; returns how many signals were handled. */
unsigned long tsf_pester_stop(struct tsf_pester *p);

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
/* The same with len bytes of text as they are, NULs included. */
int	tsf_platform_profile_write_bytes(const char *name, const void *text,
	    size_t len);
int	tsf_platform_profile_read(const char *name, char *buf, size_t len);
int	tsf_platform_profile_remove(const char *name);

/* --- small helpers ------------------------------------------------------ */

/* Text form of a record's or socket's identity, for messages. */
void	tsf_format_sock(const struct tsf_sock *s, char *buf, size_t len);
void	tsf_format_record(const struct tcpstats_record *r, char *buf,
	    size_t len);

/* Parse "a.b.c.d" or an IPv6 text into family + 16 bytes (IPv4 first 4). */
bool	tsf_addr_parse(const char *text, uint8_t *family, uint8_t addr[16]);

/* --- mass fixtures (tsf_mass.c) ----------------------------------------- */

/*
 * Thousands of sockets at once, beyond what struct tsf_fixture holds: the
 * test keeps only each socket's (local port, remote port) key, which is
 * unique among them, so that "every socket reported exactly once" can be
 * checked without a list of tsf_sock.  Everything lives in the test's
 * own network namespace (Linux) on 127.0.0.1.
 */
#define	TSF_MASS_MAX_LISTENERS	64

struct tsf_mass {
	size_t		 n;		/* keys in use */
	size_t		 cap;
	uint32_t	*keys;		/* lport << 16 | rport, sorted */
	uint8_t		 state;		/* TCPSTATS_ST_* of every socket */
	int		 nlisten;
	int		 lfd[TSF_MASS_MAX_LISTENERS];
	uint16_t	 lport[TSF_MASS_MAX_LISTENERS];
	int		*fds;		/* connections held, -1 = none */
	size_t		 nfds;
	struct tsf_proc	*procs;		/* tcp-echo fleet, if any */
	int		 nprocs;
};

/*
 * Prepare the namespace for many loopback connections: the widest
 * ephemeral port range and no reuse of TIME_WAIT sockets, so that the
 * count asked for is the count made.  Skips the test with the reason
 * where that cannot be done.
 */
void	tsf_mass_prepare(void);

/*
 * n client sockets in TIME_WAIT (the client closes first; the server
 * side is gone once the close completes), keys recorded.  Listener
 * sockets stay open and are not among the keys.
 */
void	tsf_mass_time_wait(struct tsf_mass *m, size_t n);

/*
 * n established connections held by this process (2n descriptors),
 * the keys of both sides recorded (2n keys).
 */
void	tsf_mass_established(struct tsf_mass *m, size_t n);

/*
 * n established connections held by tcp-echo processes spawned in this
 * namespace, as many as the descriptor limit needs; the keys of both
 * sides (2n) are read from their reports.  Returns 0, or -1 with the reason
 * in why (the test decides whether to skip).
 */
int	tsf_mass_echo(struct tsf_mass *m, size_t n, char *why, size_t whylen);

/* Is the key (lport, rport) one of the mass's?  Index or -1. */
ssize_t	tsf_mass_find(const struct tsf_mass *m, uint16_t lport,
	    uint16_t rport);

/*
 * Assert that recs holds every socket of the mass exactly once (records
 * of other sockets are ignored); what names the read in messages.
 * Returns the number of records that belong to the mass.
 */
size_t	tsf_mass_expect_all(const struct tsf_mass *m,
	    const struct tsf_records *recs, const char *what);

/* Count the records that belong to the mass, without asserting. */
size_t	tsf_mass_count(const struct tsf_mass *m,
	    const struct tsf_records *recs);

void	tsf_mass_free(struct tsf_mass *m);

/* Milliseconds of CLOCK_MONOTONIC, for figures (never for assertions). */
uint64_t tsf_now_ms(void);
uint64_t tsf_now_ns(void);

/*
 * Set the four limits to DESIGN.md's defaults for the rest of the test
 * (restored by tsf_tunables_restore()), so that a test does not inherit
 * what an interrupted one left behind.
 */
void	tsf_tunables_defaults(void);

/* --- reads with the counter invariant (tsf_stats.c) ----------------------- */

/* What a sequence of checked reads saw, from the reader's counters. */
struct tsf_read_summary {
	size_t		reads;		/* read() calls made */
	size_t		eintr;		/* of which failed with EINTR */
	uint64_t	visited;
	uint64_t	emitted;
	uint64_t	skipped[TCPSTATS_NSKIP];
	uint64_t	timed_out;
	uint64_t	interrupted;
};

/*
 * One read() between two TCPSTATS_IOC_READER_STATS, asserting for this
 * read: reads_total moved by one, sockets_visited == records_emitted +
 * sum(sockets_skipped_*), records_emitted == the records returned (0 on
 * EINTR), whole records.  Records are appended to acc (may be NULL).
 * Returns read()'s result with errno kept; what names the filter.
 */
ssize_t	tsf_read_checked(int fd, void *buf, size_t size,
	    struct tsf_records *acc, struct tsf_read_summary *sum,
	    const char *what);

/*
 * tsf_read_checked() until read() returns 0 (EINTR reads are retried),
 * at most 1M reads.  out is reset first.
 */
void	tsf_read_all_checked(int fd, size_t bufsize, struct tsf_records *out,
	    struct tsf_read_summary *sum, const char *what);

uint64_t tsf_skipped_sum(const uint64_t skipped[TCPSTATS_NSKIP]);

/* Name of a TCPSTATS_SKIP_* reason, for messages. */
const char *tsf_skip_name(int reason);

/* --- exporter handle (tsf_exporter.c) ----------------------------------- */

/*
 * tcpstats-exporter, either started by the test in its own namespace
 * (tsf_exporter_start) or one started for the whole run and named by the
 * environment variable TCPSTATS_EXPORTER=addr:port (tsf_exporter_attach;
 * scraped from the namespace the test process started in).  Scrapes are
 * plain HTTP/1.0 over a TCP socket.  A scrape that fails is logged, never
 * fatal: e_present stays false or the scrape returns -1.
 */
struct tsf_exporter {
	bool		e_present;
	bool		e_own;		/* started by this test */
	struct tsf_proc	e_proc;
	char		e_host[64];
	uint16_t	e_port;
	int		e_outer_ns;	/* fd of the outer netns, or -1 */
};

#define	TSF_METRIC_NAME	192

struct tsf_metric {
	char		name[TSF_METRIC_NAME];	/* with its {labels} */
	double		value;
};

struct tsf_metrics {
	size_t		 n;
	size_t		 cap;
	struct tsf_metric *m;
};

/*
 * Start the exporter on 127.0.0.1:port reading the device under test,
 * with TCPSTATS_MAX_QUERY_RATE qps (0 = its default).  Returns true once
 * it answers a scrape; false (logged) when it cannot be started.
 */
bool	tsf_exporter_start(struct tsf_exporter *e, uint16_t port,
	    unsigned int qps);

/* Use the run's exporter from TCPSTATS_EXPORTER; false (logged) if none. */
bool	tsf_exporter_attach(struct tsf_exporter *e);

/* Stop an exporter this test started; forget an attached one. */
void	tsf_exporter_stop(struct tsf_exporter *e);

/* Scrape /metrics and parse it.  0, or -1 (logged, never fatal). */
int	tsf_exporter_scrape(struct tsf_exporter *e, struct tsf_metrics *out);

/* Parse a text-format exposition (tsf_metrics_free to release). */
int	tsf_metrics_parse(const char *text, struct tsf_metrics *out);
void	tsf_metrics_free(struct tsf_metrics *m);

/* Value of a sample by its full name ("a{b=\"c\"}"); false if absent. */
bool	tsf_metrics_get(const struct tsf_metrics *m, const char *name,
	    double *v);

/* Log, with cr_log_info, every sample whose value moved from a to b. */
void	tsf_metrics_diff_log(const char *what, const struct tsf_metrics *a,
	    const struct tsf_metrics *b);

/*
 * Log a snapshot of the exporter (or that there is none) under the label
 * what; with prev holding the previous snapshot, log the diff and keep
 * the new one in prev.  Never fails the test.
 */
void	tsf_exporter_snapshot(struct tsf_exporter *e, const char *what,
	    struct tsf_metrics *prev);

/* --- platform, continued ------------------------------------------------- */

/*
 * Does the provider hand ports, addresses and states to the system's
 * socket table so that sockets it filters out are never visited (and so
 * never counted as skipped)?  why gets the provider's definition.
 */
bool	tsf_platform_prefilters(char *why, size_t whylen);

/*
 * Whether the provider leaves out sockets created after a snapshot began
 * (DESIGN); false with the reason where it cannot.
 */
bool	tsf_platform_tracks_age(char *why, size_t whylen);

/* Namespace tuning for tsf_mass_prepare(); 0, or -1 with why. */
int	tsf_platform_mass_prepare(char *why, size_t whylen);

/*
 * Does each test process have a network stack of its own (so that the
 * sockets it makes are all the provider can visit)?
 */
bool	tsf_platform_private_stack(void);

/* An fd of the network stack the test process started in, or -1. */
int	tsf_platform_outer_netns(void);

/* socket() in the stack of tsf_platform_outer_netns() (or here, ns -1). */
int	tsf_platform_socket_in(int ns, int domain, int type);

#endif /* TSF_H */
