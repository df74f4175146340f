/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_parse_addr.c -- local_addr= and remote_addr=: IPv4 and IPv6 text
 * forms (RFC 4291), prefixes, host bits, zone ids, IPv4-mapped folding,
 * duplicates, limits and family contradictions.  Expected addresses come
 * from libc's inet_pton.
 */

#include "unit_helpers.h"

/* --- accepted CIDRs ----------------------------------------------------- */

struct addr_ok {
	char		name[40];
	char		item[64];	/* as written after local_addr= */
	char		addr[48];	/* expected address, for inet_pton */
	unsigned int	plen;		/* expected stored prefix length */
};

ParameterizedTestParameters(addr, accepted_cidrs)
{
	static struct addr_ok params[] = {
		{ "v4 host", "192.0.2.1", "192.0.2.1", 32 },
		{ "v4 explicit /32", "192.0.2.1/32", "192.0.2.1", 32 },
		{ "v4 /8", "10.0.0.0/8", "10.0.0.0", 8 },
		{ "v4 /0", "0.0.0.0/0", "0.0.0.0", 0 },
		{ "v4 /1", "128.0.0.0/1", "128.0.0.0", 1 },
		{ "v4 /31", "192.168.1.2/31", "192.168.1.2", 31 },
		{ "v4 all ones", "255.255.255.255", "255.255.255.255", 32 },
		{ "v4 zero parts", "0.0.0.0", "0.0.0.0", 32 },
		{ "v6 host", "2001:db8::1", "2001:db8::1", 128 },
		{ "v6 explicit /128", "2001:db8::1/128", "2001:db8::1", 128 },
		{ "v6 /32", "2001:db8::/32", "2001:db8::", 32 },
		{ "v6 /0", "::/0", "::", 0 },
		{ "v6 unspecified", "::", "::", 128 },
		{ "v6 loopback", "::1", "::1", 128 },
		{ "v6 trailing ::", "1::", "1::", 128 },
		{ "v6 eight groups", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8",
		    128 },
		{ "v6 :: for one group at end", "1:2:3:4:5:6:7::",
		    "1:2:3:4:5:6:7:0", 128 },
		{ "v6 :: for one group at start", "::2:3:4:5:6:7:8",
		    "0:2:3:4:5:6:7:8", 128 },
		{ "v6 upper-case hex", "2001:DB8::ABCD", "2001:db8::abcd",
		    128 },
		{ "v6 leading zeros in groups", "2001:0db8:0000::0001",
		    "2001:db8::1", 128 },
		{ "v6 embedded v4 tail", "1:2:3:4:5:6:1.2.3.4",
		    "1:2:3:4:5:6:102:304", 128 },
		{ "v6 compat v4 tail", "::1.2.3.4", "::102:304", 128 },
		{ "v6 last group all digits", "2001:db8::33:99",
		    "2001:db8::33:99", 128 },
		{ "v6 /127", "2001:db8::2/127", "2001:db8::2", 127 },
		{ "v6 /1", "8000::/1", "8000::", 1 },
		{ "v6 link-local /10", "fe80::/10", "fe80::", 10 },
		{ "mapped host folds", "::ffff:127.0.0.1", "127.0.0.1", 32 },
		{ "mapped hex folds", "::FFFF:7f00:1", "127.0.0.1", 32 },
		{ "mapped /104 folds", "::ffff:10.0.0.0/104", "10.0.0.0", 8 },
		{ "mapped /96 folds to /0", "::ffff:0:0/96", "0.0.0.0", 0 },
		{ "mapped /128 folds", "::ffff:10.1.2.3/128", "10.1.2.3", 32 },
		{ "shorter than /96 stays v6", "::fffe:0:0/95", "::fffe:0:0",
		    95 },
		{ "mapped prefix /80 stays v6", "::/80", "::", 80 },
	};

	return (cr_make_param_array(struct addr_ok, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct addr_ok *p, addr, accepted_cidrs)
{
	struct tcpstats_filter got, want;
	char text[128];

	snprintf(text, sizeof(text), "local_addr=%s", p->item);
	ut_filter_base(&want);
	want.tf_nladdr = 1;
	ut_cidr(&want.tf_laddr[0], p->addr, p->plen);
	ut_parse_ok(text, NULL, &got);
	ut_filter_eq(&got, &want, p->name);
}

/* --- rejected CIDRs ----------------------------------------------------- */

struct addr_bad {
	char		name[40];
	char		item[64];	/* as written after remote_addr= */
};

ParameterizedTestParameters(addr, rejected_cidrs)
{
	static struct addr_bad params[] = {
		{ "v4 three parts", "10.0.0" },
		{ "v4 five parts", "10.0.0.0.0" },
		{ "v4 part 256", "256.0.0.0" },
		{ "v4 last part 256", "1.2.3.256" },
		{ "v4 leading zero", "010.0.0.0" },
		{ "v4 leading zero last", "1.2.3.04" },
		{ "v4 empty part", "10..0.0" },
		{ "v4 trailing dot", "1.2.3.4." },
		{ "v4 leading dot", ".1.2.3.4" },
		{ "v4 sign", "+1.0.0.0" },
		{ "v4 negative part", "1.2.3.-4" },
		{ "v4 hex part", "0x1.2.3.4" },
		{ "v4 letters", "a.b.c.d" },
		{ "v4 one number", "4294967295" },
		{ "v4 empty prefix", "1.2.3.4/" },
		{ "v4 prefix 33", "1.2.3.4/33" },
		{ "v4 prefix leading zero", "0.0.0.0/08" },
		{ "v4 prefix 00", "0.0.0.0/00" },
		{ "v4 negative prefix", "0.0.0.0/-1" },
		{ "v4 prefix with letter", "10.0.0.0/8a" },
		{ "v4 two prefixes", "10.0.0.0/8/8" },
		{ "v6 nine groups", "1:2:3:4:5:6:7:8:9" },
		{ "v6 seven groups", "1:2:3:4:5:6:7" },
		{ "v6 five hex digits", "12345::" },
		{ "v6 triple colon", ":::" },
		{ "v6 triple colon inside", "1:::2" },
		{ "v6 two double colons", "1::2::3" },
		{ "v6 leading single colon", ":1:2:3:4:5:6:7" },
		{ "v6 trailing single colon", "1:2:3:4:5:6:7:" },
		{ "v6 trailing colon after ::", "::1:" },
		{ "v6 single colon", ":" },
		{ "v6 :: with eight groups", "1:2:3:4::5:6:7:8" },
		{ "v6 non-hex", "g::1" },
		{ "v6 prefix 129", "::/129" },
		{ "v6 prefix leading zero", "::/0128" },
		{ "v6 empty prefix", "::/" },
		{ "v6 short v4 tail", "::ffff:1.2.3" },
		{ "v6 v4 tail part 256", "::ffff:256.1.1.1" },
		{ "v6 v4 not last", "1.2.3.4::" },
		{ "v6 group after v4", "::1.2.3.4:5" },
		{ "v6 v4 tail too many groups", "1:2:3:4:5:6:7:1.2.3.4" },
		{ "v6 brackets", "[::1]" },
		{ "v6 port-like suffix", "[2001:db8::1]:80" },
	};

	return (cr_make_param_array(struct addr_bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct addr_bad *p, addr, rejected_cidrs)
{
	struct tcpstats_errinfo err;
	char text[128];

	snprintf(text, sizeof(text), "remote_addr=%s", p->item);
	ut_parse_err(text, NULL, &err);
	cr_expect_eq(err.tei_column, ut_col(text, p->item, 1, 0), "%s: parse("
	    "\"%s\") expected column %u (the item), got %u (%s)", p->name,
	    text, ut_col(text, p->item, 1, 0), err.tei_column,
	    err.tei_message);
	cr_expect_str_eq(err.tei_directive, "remote_addr", "%s: expected "
	    "tei_directive 'remote_addr', got '%s'", p->name,
	    err.tei_directive);
}

/* --- host bits ---------------------------------------------------------- */

struct addr_hostbits {
	char		name[32];
	char		item[64];
	char		suggestion[64];
};

ParameterizedTestParameters(addr, host_bits_rejected_with_suggestion)
{
	static struct addr_hostbits params[] = {
		{ "v4 /8", "10.0.0.1/8", "10.0.0.0/8" },
		{ "v4 /0", "1.2.3.4/0", "0.0.0.0/0" },
		{ "v4 /31", "192.168.1.3/31", "192.168.1.2/31" },
		{ "v4 /24", "192.0.2.77/24", "192.0.2.0/24" },
		{ "v6 /64", "2001:db8::1/64", "2001:db8::/64" },
		{ "v6 /127", "2001:db8::3/127", "2001:db8::2/127" },
		{ "v6 /0", "::1/0", "::/0" },
		{ "mapped region /95", "::ffff:0:0/95", "::fffe:0:0/95" },
	};

	return (cr_make_param_array(struct addr_hostbits, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct addr_hostbits *p, addr,
    host_bits_rejected_with_suggestion)
{
	struct tcpstats_errinfo err;
	char text[128];

	snprintf(text, sizeof(text), "local_addr=%s", p->item);
	ut_parse_err(text, NULL, &err);
	cr_expect_eq(err.tei_column, ut_col(text, p->item, 1, 0), "%s: parse("
	    "\"%s\") expected the item's column, got %u", p->name, text,
	    err.tei_column);
	cr_expect_not_null(strstr(err.tei_message, "host bits"),
	    "%s: parse(\"%s\") expected 'host bits' in the message, got '%s'",
	    p->name, text, err.tei_message);
	cr_expect_not_null(strstr(err.tei_message, p->suggestion),
	    "%s: parse(\"%s\") expected the suggestion '%s', got '%s'",
	    p->name, text, p->suggestion, err.tei_message);
}

Test(addr, host_bits_message_matches_semantics_example)
{
	struct tcpstats_errinfo err;

	ut_parse_err("local_addr=10.0.0.1/8", NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "host bits set in "
	    "10.0.0.1/8; did you mean 10.0.0.0/8?"), "expected the documented "
	    "message, got '%s'", err.tei_message);
}

Test(addr, host_bits_in_mapped_prefix_rejected)
{
	const char *text = "local_addr=::ffff:10.0.0.1/104";

	ut_expect_reject(text, NULL, ut_col(text, "::ffff", 1, 0), "host bits");
}

/* --- zone ids ----------------------------------------------------------- */

Test(addr, zone_id_rejected_with_message)
{
	const char *text = "local_addr=fe80::1%lo0";
	struct tcpstats_errinfo err;

	ut_parse_err(text, NULL, &err);
	cr_expect_not_null(strstr(err.tei_message, "zone ids (%lo0) are not "
	    "supported"), "expected the zone-id message, got '%s'",
	    err.tei_message);
	cr_expect_eq(err.tei_column, ut_col(text, "fe80", 1, 0), "expected "
	    "the item's column, got %u", err.tei_column);
}

Test(addr, zone_id_in_second_item_rejected_at_item)
{
	const char *text = "remote_addr=10.0.0.0/8,fe80::1%eth0/64";

	ut_expect_reject(text, NULL, ut_col(text, "fe80", 1, 0), "zone ids");
}

/* --- lists, limits, repeats --------------------------------------------- */

Test(addr, mixed_families_keep_written_order)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_nraddr = 3;
	ut_cidr(&want.tf_raddr[0], "2001:db8::", 32);
	ut_cidr(&want.tf_raddr[1], "10.0.0.0", 8);
	ut_cidr(&want.tf_raddr[2], "::1", 128);
	ut_parse_ok("remote_addr=2001:db8::/32,10.0.0.0/8,::1", NULL, &got);
	ut_filter_eq(&got, &want, "remote_addr=2001:db8::/32,10.0.0.0/8,::1");
}

Test(addr, eight_cidrs_is_the_limit)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_addr=10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,"
	    "2001:db8::1,2001:db8::2,2001:db8::3,2001:db8::4", NULL, &f);
	cr_expect_eq(f.tf_nladdr, TCPSTATS_MAX_CIDRS, "expected %d CIDRs, got "
	    "%u", TCPSTATS_MAX_CIDRS, f.tf_nladdr);
}

Test(addr, ninth_cidr_rejected_at_its_column)
{
	const char *text = "local_addr=10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,"
	    "10.0.0.5,10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9";

	ut_expect_reject(text, NULL, ut_col(text, "10.0.0.9", 1, 0), NULL);
}

Test(addr, duplicate_cidr_rejected_on_second)
{
	const char *text = "local_addr=10.0.0.0/8,192.0.2.0/24,10.0.0.0/8";

	ut_expect_reject(text, NULL, ut_col_last(text, "10.0.0.0/8"), NULL);
}

Test(addr, duplicate_after_mapped_folding_rejected)
{
	const char *text = "local_addr=10.0.0.0/8,::ffff:10.0.0.0/104";

	ut_expect_reject(text, NULL, ut_col(text, "::ffff", 1, 0), NULL);
}

Test(addr, duplicate_v6_in_other_spelling_rejected)
{
	const char *text = "remote_addr=2001:db8::1,2001:DB8:0:0:0:0:0:1";

	ut_expect_reject(text, NULL, ut_col(text, "2001:DB8", 1, 0), NULL);
}

Test(addr, same_address_with_other_prefix_accepted)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_addr=10.0.0.0/8,10.0.0.0/16", NULL, &f);
	cr_expect_eq(f.tf_nladdr, 2, "expected 2 CIDRs, got %u", f.tf_nladdr);
}

Test(addr, local_addr_twice_rejected_on_second)
{
	const char *text = "local_addr=10.0.0.0/8 local_addr=192.0.2.0/24";

	ut_expect_reject(text, NULL, ut_col(text, "local_addr", 2, 0), NULL);
}

Test(addr, empty_item_rejected_at_its_column)
{
	const char *text = "remote_addr=10.0.0.0/8,,::1";

	ut_expect_reject(text, NULL, ut_col(text, ",,", 1, 1), NULL);
}

Test(addr, empty_value_expects_a_value)
{
	ut_expect_reject("local_addr=", NULL, 1, "expects a value");
}

Test(addr, prefix_32_and_128_are_the_limits)
{
	struct tcpstats_filter f;

	ut_parse_ok("local_addr=192.0.2.1/32 remote_addr=2001:db8::1/128",
	    NULL, &f);
	cr_expect_eq(f.tf_laddr[0].tci_plen, 32, "expected /32, got /%u",
	    f.tf_laddr[0].tci_plen);
	cr_expect_eq(f.tf_raddr[0].tci_plen, 128, "expected /128, got /%u",
	    f.tf_raddr[0].tci_plen);
}

Test(addr, v4_address_with_v6_prefix_length_rejected)
{
	const char *text = "local_addr=::1,0.0.0.0/64";

	ut_expect_reject(text, NULL, ut_col(text, "0.0.0.0", 1, 0), NULL);
}

/* --- families ----------------------------------------------------------- */

Test(addr, ipv4_only_then_v6_cidr_rejected_at_cidr)
{
	const char *text = "ipv4_only local_addr=10.0.0.0/8,2001:db8::/32";

	ut_expect_reject(text, NULL, ut_col(text, "2001", 1, 0), NULL);
}

Test(addr, v6_cidr_then_ipv4_only_rejected_at_flag)
{
	const char *text = "remote_addr=2001:db8::/32 ipv4_only";

	ut_expect_reject(text, NULL, ut_col(text, "ipv4_only", 1, 0), NULL);
}

Test(addr, ipv6_only_then_v4_cidr_rejected_at_cidr)
{
	const char *text = "ipv6_only remote_addr=10.0.0.0/8";

	ut_expect_reject(text, NULL, ut_col(text, "10.0", 1, 0), NULL);
}

Test(addr, v4_cidr_then_ipv6_only_rejected_at_flag)
{
	const char *text = "local_addr=10.0.0.0/8 IPV6_ONLY";

	ut_expect_reject(text, NULL, ut_col(text, "IPV6_ONLY", 1, 0), NULL);
}

Test(addr, ipv4_only_accepts_mapped_cidr)
{
	struct tcpstats_filter got, want;

	ut_filter_base(&want);
	want.tf_flags = TCPSTATS_FF_IPV4_ONLY;
	want.tf_nladdr = 1;
	ut_cidr(&want.tf_laddr[0], "10.0.0.0", 8);
	ut_parse_ok("ipv4_only local_addr=::ffff:10.0.0.0/104", NULL, &got);
	ut_filter_eq(&got, &want, "ipv4_only local_addr=::ffff:10.0.0.0/104");
}

Test(addr, ipv6_only_rejects_mapped_cidr)
{
	const char *text = "ipv6_only local_addr=::ffff:10.0.0.0/104";

	ut_expect_reject(text, NULL, ut_col(text, "::ffff", 1, 0), NULL);
}

Test(addr, ipv6_only_accepts_short_mapped_prefix)
{
	struct tcpstats_filter f;

	ut_parse_ok("ipv6_only local_addr=::fffe:0:0/95", NULL, &f);
	cr_expect_eq(f.tf_laddr[0].tci_family, TCPSTATS_AF_INET6,
	    "expected ::fffe:0:0/95 to stay IPv6, got family %u",
	    f.tf_laddr[0].tci_family);
}
