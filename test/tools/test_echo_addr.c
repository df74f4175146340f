/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * test_echo_addr.c -- tcp-echo's address lists and source ranges.
 */

#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "echo_addr.h"

static struct ea_endpoint ep[EA_MAX_ENDPOINTS + 1];
static char why[256];

static const struct sockaddr_in *
v4(int i)
{

	return ((const struct sockaddr_in *)(const void *)&ep[i].ee_addr);
}

static const struct sockaddr_in6 *
v6(int i)
{

	return ((const struct sockaddr_in6 *)(const void *)&ep[i].ee_addr);
}

static void
expect_bad(const char *text, int flags, const char *fragment)
{
	int n;

	n = ea_parse_list(text, flags, ep, EA_MAX_ENDPOINTS, why, sizeof(why));
	cr_expect_eq(n, -1, "'%s': expected an error, got %d endpoints", text,
	    n);
	cr_expect(strstr(why, fragment) != NULL,
	    "'%s': expected the message to contain \"%s\", got \"%s\"", text,
	    fragment, why);
}

Test(echo_addr, ipv4_endpoint)
{
	int n;

	n = ea_parse_list("127.0.0.1:8080", 0, ep, EA_MAX_ENDPOINTS, why,
	    sizeof(why));
	cr_assert_eq(n, 1, "expected 1 endpoint, got %d (%s)", n, why);
	cr_expect_eq(v4(0)->sin_family, AF_INET);
	cr_expect_eq(ntohs(v4(0)->sin_port), 8080);
	cr_expect_eq(ntohl(v4(0)->sin_addr.s_addr), 0x7f000001u);
	cr_expect_eq(ep[0].ee_len, sizeof(struct sockaddr_in));
}

Test(echo_addr, ipv6_endpoint_in_brackets)
{
	static const unsigned char loop[16] = { [15] = 1 };
	int n;

	n = ea_parse_list("[::1]:443", 0, ep, EA_MAX_ENDPOINTS, why,
	    sizeof(why));
	cr_assert_eq(n, 1, "expected 1 endpoint, got %d (%s)", n, why);
	cr_expect_eq(v6(0)->sin6_family, AF_INET6);
	cr_expect_eq(ntohs(v6(0)->sin6_port), 443);
	cr_expect_arr_eq(&v6(0)->sin6_addr, loop, 16, "expected ::1");
}

Test(echo_addr, ipv6_all_digit_last_group)
{
	static const unsigned char a[16] = { 0x20, 0x01, 0x0d, 0xb8,
	    [13] = 0x33, [15] = 0x99 };
	int n;

	/* P8: the trailing ":99" belongs to the address, not the port. */
	n = ea_parse_list("[2001:db8::33:99]:80", 0, ep, EA_MAX_ENDPOINTS,
	    why, sizeof(why));
	cr_assert_eq(n, 1, "%s", why);
	cr_expect_arr_eq(&v6(0)->sin6_addr, a, 16,
	    "expected 2001:db8::33:99");
	cr_expect_eq(ntohs(v6(0)->sin6_port), 80);
}

Test(echo_addr, mixed_list_keeps_order)
{
	int n;

	n = ea_parse_list("127.0.0.1:1,[::]:2,10.0.0.3:65535", 0, ep,
	    EA_MAX_ENDPOINTS, why, sizeof(why));
	cr_assert_eq(n, 3, "expected 3 endpoints, got %d (%s)", n, why);
	cr_expect_eq(ep[0].ee_addr.ss_family, AF_INET);
	cr_expect_eq(ep[1].ee_addr.ss_family, AF_INET6);
	cr_expect_eq(ep[2].ee_addr.ss_family, AF_INET);
	cr_expect_eq(ntohs(v4(0)->sin_port), 1);
	cr_expect_eq(ntohs(v6(1)->sin6_port), 2);
	cr_expect_eq(ntohs(v4(2)->sin_port), 65535);
}

Test(echo_addr, port_zero_only_for_listeners)
{
	int n;

	expect_bad("127.0.0.1:0", 0, "port 0 is only allowed for listeners");
	n = ea_parse_list("127.0.0.1:0", EA_PORT_ZERO_OK, ep, EA_MAX_ENDPOINTS,
	    why, sizeof(why));
	cr_expect_eq(n, 1, "listener on port 0: expected 1, got %d (%s)", n,
	    why);
}

Test(echo_addr, missing_port)
{

	expect_bad("127.0.0.1", 0, "expected ADDR:PORT");
	expect_bad("127.0.0.1:", 0, "missing port");
}

Test(echo_addr, ipv6_needs_brackets)
{

	expect_bad("::1:80", 0, "IPv6 addresses go in brackets");
}

Test(echo_addr, bracket_errors)
{

	expect_bad("[::1", 0, "missing ']'");
	expect_bad("[::1]80", 0, "expected ':PORT' after ']'");
	expect_bad("[]:80", 0, "missing address");
}

Test(echo_addr, ipv4_in_brackets_is_not_ipv6)
{

	expect_bad("[127.0.0.1]:80", 0, "is not an IPv6 address");
}

Test(echo_addr, bad_ports)
{

	expect_bad("127.0.0.1:65536", 0, "port must be 0..65535");
	expect_bad("127.0.0.1:123456", 0, "port must be 0..65535");
	expect_bad("127.0.0.1:-1", 0, "decimal digits");
	expect_bad("127.0.0.1:8o", 0, "decimal digits");
	expect_bad("127.0.0.1:080", 0, "leading zero");
}

Test(echo_addr, bad_ipv4)
{

	expect_bad("256.0.0.1:80", 0, "is not an IPv4 address");
	expect_bad("localhost:80", 0, "is not an IPv4 address");
	expect_bad(":80", 0, "missing address");
}

Test(echo_addr, zone_ids_refused)
{

	expect_bad("[fe80::1%lo]:80", 0, "zone ids are not supported");
}

Test(echo_addr, empty_items)
{

	expect_bad("", 0, "empty address list");
	expect_bad("127.0.0.1:1,,127.0.0.1:2", 0, "empty item");
	expect_bad("127.0.0.1:1,", 0, "empty item");
}

Test(echo_addr, too_many_items)
{
	char text[EA_MAX_ENDPOINTS * 16 + 32];
	size_t off = 0;
	int i;

	for (i = 0; i <= EA_MAX_ENDPOINTS; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "%s127.0.0.1:%d", i == 0 ? "" : ",", i + 1);
	expect_bad(text, 0, "more than 64 addresses");
}

Test(echo_addr, source_range)
{
	uint32_t first, last;

	cr_assert_eq(ea_parse_range("127.0.0.2-127.0.1.9", &first, &last, why,
	    sizeof(why)), 0, "%s", why);
	cr_expect_eq(first, 0x7f000002u, "first: got %08x", first);
	cr_expect_eq(last, 0x7f000109u, "last: got %08x", last);
}

Test(echo_addr, source_single_address)
{
	uint32_t first, last;

	cr_assert_eq(ea_parse_range("127.0.0.5", &first, &last, why,
	    sizeof(why)), 0, "%s", why);
	cr_expect_eq(first, 0x7f000005u);
	cr_expect_eq(last, 0x7f000005u);
}

Test(echo_addr, source_range_errors)
{
	uint32_t first, last;

	cr_expect_eq(ea_parse_range("127.0.0.9-127.0.0.2", &first, &last, why,
	    sizeof(why)), -1);
	cr_expect(strstr(why, "runs backwards") != NULL, "got \"%s\"", why);
	cr_expect_eq(ea_parse_range("127.0.0.1-", &first, &last, why,
	    sizeof(why)), -1);
	cr_expect(strstr(why, "is not an IPv4 address") != NULL, "got \"%s\"",
	    why);
	cr_expect_eq(ea_parse_range("::1", &first, &last, why, sizeof(why)),
	    -1, "an IPv6 source must be refused");
}

Test(echo_addr, report_format)
{
	char buf[96];

	cr_assert_eq(ea_parse_list("127.0.0.1:80,[::ffff:127.0.0.1]:81", 0,
	    ep, EA_MAX_ENDPOINTS, why, sizeof(why)), 2, "%s", why);
	ea_format((const struct sockaddr *)&ep[0].ee_addr, buf, sizeof(buf));
	cr_expect_str_eq(buf, "127.0.0.1 80");
	ea_format((const struct sockaddr *)&ep[1].ee_addr, buf, sizeof(buf));
	cr_expect_str_eq(buf, "::ffff:127.0.0.1 81");
}
