/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * exporter.h -- tcpstats-exporter's internal interfaces.
 *
 * The pure parts (configuration, rate limiter, host counter parser,
 * exposition renderer) take everything they need as arguments and touch
 * no file, clock or socket, so the tests drive them directly.  The I/O
 * parts (collect.c, host.c, main.c) feed them.
 */

#ifndef _TCPSTATS_EXPORTER_H_
#define	_TCPSTATS_EXPORTER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "tcpstats_abi.h"

#define	EXP_VERSION		"0.1.0"
#define	EXP_DEFAULT_LISTEN	"127.0.0.1:9814"
#define	EXP_DEFAULT_DEVICE	"/dev/tcpstats"
#define	EXP_DEFAULT_RATE	"2"
#define	EXP_RATE_MAX		1000	/* device reads per second */
#define	EXP_ERR_MAX		256	/* error message buffers */
#define	EXP_PATH_MAX		1024	/* device path, NUL included */

/* --- configuration (config.c) ------------------------------------------ */

struct exp_config {
	char		ec_device[EXP_PATH_MAX];	/* -d, TCPSTATS_DEV */
	char		ec_filter[TCPSTATS_FILTER_MAXLEN + 1];	/* -f */
	char		ec_listen[96];		/* -l, as given */
	struct sockaddr_storage ec_addr;	/* -l, parsed */
	socklen_t	ec_addrlen;
	uint64_t	ec_interval_ns;		/* 1 s / max query rate */
};

/*
 * Parse the command line and the two environment values (NULL when
 * unset).  Returns 0, or -1 with a one-line reason in err.  *cfg is only
 * meaningful on success.
 */
/* vsnprintf into err when errlen > 0; returns -1 for "return (exp_fail(...))". */
int	exp_fail(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

int	exp_config_parse(int argc, char *const argv[], const char *env_dev,
	    const char *env_rate, struct exp_config *cfg, char *err,
	    size_t errlen);

/* "addr:port" or "[v6addr]:port", numeric only. */
int	exp_parse_listen(const char *text, struct sockaddr_storage *ss,
	    socklen_t *sslen, char *err, size_t errlen);

/* TCPSTATS_MAX_QUERY_RATE: positive decimal reads per second. */
int	exp_parse_rate(const char *text, uint64_t *interval_ns, char *err,
	    size_t errlen);

/* --- rate limiter (ratelimit.c) ----------------------------------------- */

/*
 * At most one device read per interval.  The clock is the caller's: every
 * call passes the current monotonic time, so tests use a fake one.
 */
struct exp_ratelimit {
	uint64_t	rl_interval_ns;	/* minimum spacing of device reads */
	uint64_t	rl_last_ns;	/* time of the last admitted read */
	bool		rl_primed;	/* a read has been admitted */
};

void	exp_ratelimit_init(struct exp_ratelimit *rl, uint64_t interval_ns);

/* True (and remembers now_ns) when a device read may happen now. */
bool	exp_ratelimit_admit(struct exp_ratelimit *rl, uint64_t now_ns);

/* --- host TCP counters (hostparse.c, host.c) ---------------------------- */

#define	EXP_HOST_MAX		256	/* counters kept per collection */
#define	EXP_HOST_NAME_MAX	64	/* metric name part, NUL included */

struct exp_host_counter {
	char		hc_name[EXP_HOST_NAME_MAX]; /* snake_case, valid */
	char		hc_source[2 * EXP_HOST_NAME_MAX]; /* "Tcp: ActiveOpens" */
	int64_t		hc_ivalue;	/* gauges (may be negative) */
	uint64_t	hc_uvalue;	/* counters */
	bool		hc_gauge;
};

struct exp_host_tcp {
	unsigned int	ht_count;
	struct exp_host_counter ht_c[EXP_HOST_MAX];
};

/*
 * Parse the name line and value line that follow `prefix` ("Tcp:",
 * "TcpExt:") in text, /proc/net/snmp or /proc/net/netstat format, and
 * append them to *out, names prefixed by name_prefix ("", "ext_").
 * Returns the number of counters appended, or -1 with a reason in err
 * (nothing is appended then).
 */
int	exp_host_parse(const char *text, const char *prefix,
	    const char *name_prefix, struct exp_host_tcp *out, char *err,
	    size_t errlen);

/* CamelCase -> snake_case, keeping [a-z0-9_] only.  0 or -1 (no room). */
int	exp_snake_case(const char *in, char *out, size_t outlen);

/* Fill *out from the running system (Linux /proc, FreeBSD sysctl). */
int	exp_host_read(struct exp_host_tcp *out, char *err, size_t errlen);

/* --- snapshot and rendering (render.c) ---------------------------------- */

enum exp_tunable {
	EXP_TUN_MAX_OPEN_FDS,
	EXP_TUN_MAX_CONCURRENT_READERS,
	EXP_TUN_MAX_READ_DURATION_MS,
	EXP_TUN_MIN_READ_INTERVAL_MS,
	EXP_NTUNABLES
};

/* Counter tree name of a tunable ("max_open_fds"). */
const char *exp_tunable_name(enum exp_tunable t);

/* Everything one exposition shows.  Filled by collect.c and main.c. */
struct exp_snapshot {
	/* Device side; meaningful only when up. */
	bool		sn_up;
	uint64_t	sn_sockets;		/* records read */
	uint64_t	sn_by_state[TCPSTATS_NSTATES];
	uint64_t	sn_unknown_state;	/* records with a state > 10 */
	struct tcpstats_counters sn_counters;	/* TCPSTATS_IOC_GLOBAL_STATS */
	uint32_t	sn_provider;		/* TCPSTATS_PROVIDER_* */
	bool		sn_tun_present[EXP_NTUNABLES];
	int64_t		sn_tun[EXP_NTUNABLES];	/* as in the counter tree */

	/* Host side; sn_host_ok false when it could not be read. */
	bool		sn_host_ok;
	struct exp_host_tcp sn_host;

	/* The exporter itself. */
	const char	*sn_version;
	uint64_t	sn_collections;		/* device reads attempted */
	uint64_t	sn_cached;		/* answers from the cache */
	uint64_t	sn_device_errors;	/* collections that failed */
	uint64_t	sn_duration_ns;		/* last collection, ns */
};

/*
 * Render *s in the Prometheus text format 0.0.4 into buf (NUL-terminated
 * when len > 0).  Returns the length the whole text needs, without the
 * NUL; a result >= len means buf was too small and holds a prefix.
 */
size_t	exp_render(const struct exp_snapshot *s, char *buf, size_t len);

#define	EXP_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* --- collection (collect.c) --------------------------------------------- */

/*
 * Read the device once: version check, filter, read to the end counting
 * states, global counters, tunables.  Fills the device side of *s and
 * returns 0, or returns EXP_COLLECT_FAILED, or EXP_COLLECT_BADFILTER when
 * the device rejected the filter text, with a reason in err; on failure
 * sn_up is false and the rest of the device side is not to be shown.
 */
#define	EXP_COLLECT_FAILED	(-1)
#define	EXP_COLLECT_BADFILTER	(-2)
int	exp_collect(const struct exp_config *cfg, struct exp_snapshot *s,
	    char *err, size_t errlen);

#endif /* !_TCPSTATS_EXPORTER_H_ */
