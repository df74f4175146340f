/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * filter_format.c -- the canonical text of a compiled filter.
 *
 * One directive of each kind in a fixed order, lists in a fixed order,
 * nothing that is a default.  Parsing the result gives back the same
 * filter byte for byte, which is what GETFILTER relies on.
 */

#include "core_impl.h"

static void
ts_fmt_sep(struct ts_wbuf *wb)
{

	if (wb->wb_len > 0)
		ts_wb_char(wb, ' ');
}

static void
ts_fmt_ports(struct ts_wbuf *wb, const char *key,
    const struct tcpstats_portrange *r, unsigned int n)
{
	unsigned int i;

	if (n == 0)
		return;
	ts_fmt_sep(wb);
	ts_wb_str(wb, key);
	for (i = 0; i < n && i < TCPSTATS_MAX_PORTS; i++) {
		ts_wb_char(wb, i == 0 ? '=' : ',');
		ts_wb_uint(wb, r[i].tpr_lo);
		if (r[i].tpr_hi != r[i].tpr_lo) {
			ts_wb_char(wb, '-');
			ts_wb_uint(wb, r[i].tpr_hi);
		}
	}
}

static void
ts_fmt_addrs(struct ts_wbuf *wb, const char *key,
    const struct tcpstats_cidr *c, unsigned int n)
{
	unsigned int i;

	if (n == 0)
		return;
	ts_fmt_sep(wb);
	ts_wb_str(wb, key);
	for (i = 0; i < n && i < TCPSTATS_MAX_CIDRS; i++) {
		ts_wb_char(wb, i == 0 ? '=' : ',');
		ts_cidr_format(wb, &c[i]);
	}
}

/* Names of the set bits of mask, in bit order, comma-separated. */
static void
ts_fmt_bits(struct ts_wbuf *wb, const struct ts_name *tab, unsigned int n,
    unsigned int mask)
{
	unsigned int i;
	bool first;

	first = true;
	for (i = 0; i < n; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		if (!first)
			ts_wb_char(wb, ',');
		ts_wb_str(wb, tab[i].tn_name);
		first = false;
	}
}

size_t
tcpstats_filter_format(const struct tcpstats_filter *f, char *buf,
    size_t len)
{
	struct ts_wbuf wb;

	ts_wb_init(&wb, buf, len);
	if ((f->tf_flags & TCPSTATS_FF_IPV4_ONLY) != 0)
		ts_wb_str(&wb, "ipv4_only");
	else if ((f->tf_flags & TCPSTATS_FF_IPV6_ONLY) != 0)
		ts_wb_str(&wb, "ipv6_only");
	ts_fmt_ports(&wb, "local_port", f->tf_lport, f->tf_nlport);
	ts_fmt_ports(&wb, "remote_port", f->tf_rport, f->tf_nrport);
	ts_fmt_addrs(&wb, "local_addr", f->tf_laddr, f->tf_nladdr);
	ts_fmt_addrs(&wb, "remote_addr", f->tf_raddr, f->tf_nraddr);
	if ((f->tf_flags & TCPSTATS_FF_INCLUDE) != 0) {
		ts_fmt_sep(&wb);
		ts_wb_str(&wb, "include_state=");
		ts_fmt_bits(&wb, ts_state_names, TCPSTATS_NSTATES,
		    f->tf_states);
	} else if ((f->tf_flags & TCPSTATS_FF_EXCLUDE) != 0) {
		ts_fmt_sep(&wb);
		ts_wb_str(&wb, "exclude=");
		ts_fmt_bits(&wb, ts_state_names, TCPSTATS_NSTATES,
		    ~(unsigned int)f->tf_states & TCPSTATS_ST_ALL);
	}
	if (f->tf_fields != TCPSTATS_F_DEFAULT) {
		ts_fmt_sep(&wb);
		ts_wb_str(&wb, "fields=");
		if (f->tf_fields == TCPSTATS_F_ALL)
			ts_wb_str(&wb, "all");
		else
			ts_fmt_bits(&wb, ts_group_names, TCPSTATS_F_NGROUPS,
			    f->tf_fields);
	}
	if (f->tf_format == TCPSTATS_FMT_COMPACT) {
		ts_fmt_sep(&wb);
		ts_wb_str(&wb, "format=compact");
	}
	if (wb.wb_full) {
		if (len > 0)
			buf[0] = '\0';
		return (0);
	}
	return (wb.wb_len);
}
