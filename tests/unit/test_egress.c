/*
 * test_egress: the outbound address and host rules (second.conf(5),
 * egress_allow_cidrs): which addresses are public, the IPv6 forms that embed
 * an IPv4 address, the operator's allow list, and host matching.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>
#include <string.h>

#include "egress.h"
#include "unit.h"

/* Fill a sockaddr_storage from a textual address; false if unparsable. */
static bool
addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)(void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

static const struct {
	const char	*a;
	bool		 pub;
} addrs[] = {
	{ "8.8.8.8", true },
	{ "1.1.1.1", true },
	{ "93.184.216.34", true },
	{ "0.0.0.0", false },
	{ "0.1.2.3", false },
	{ "10.0.0.1", false },
	{ "10.255.255.255", false },
	{ "100.64.0.1", false },
	{ "100.127.255.255", false },
	{ "100.128.0.1", true },
	{ "127.0.0.1", false },
	{ "127.255.0.1", false },
	{ "169.254.169.254", false },
	{ "169.254.170.2", false },
	{ "172.16.0.1", false },
	{ "172.31.255.255", false },
	{ "172.32.0.1", true },
	{ "192.0.0.192", false },
	{ "192.0.2.1", false },
	{ "192.88.99.1", false },
	{ "192.168.1.1", false },
	{ "198.18.0.1", false },
	{ "198.19.255.255", false },
	{ "198.51.100.7", false },
	{ "203.0.113.9", false },
	{ "224.0.0.1", false },
	{ "239.255.255.250", false },
	{ "240.0.0.1", false },
	{ "255.255.255.255", false },
	{ "2606:4700:4700::1111", true },
	{ "2001:4860:4860::8888", true },
	{ "::", false },
	{ "::1", false },
	{ "::ffff:10.0.0.5", false },
	{ "::ffff:127.0.0.1", false },
	{ "::ffff:8.8.8.8", true },
	{ "::10.0.0.5", false },
	{ "64:ff9b::a00:1", false },
	{ "64:ff9b::808:808", false },
	{ "64:ff9b:1::1", false },
	{ "2002:a00:1::1", false },
	{ "2002:808:808::1", false },
	{ "2001:0:4136:e378:8000:63bf:3fff:fdd2", false },
	{ "2001:db8::1", false },
	{ "2001:10::1", false },
	{ "fc00::1", false },
	{ "fd00:ec2::254", false },
	{ "fe80::1", false },
	{ "ff02::1", false },
	{ "4000::1", false },
};

static void
test_public(void)
{
	struct sockaddr_storage	 ss;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(addrs); i++) {
		UNIT_CHECK(addr(addrs[i].a, &ss), "parse %s", addrs[i].a);
		UNIT_CHECK(egress_addr_public((struct sockaddr *)&ss) ==
		    addrs[i].pub, "%s: want %s", addrs[i].a, addrs[i].pub ?
		    "public" : "refused");
	}
}

static void
test_allow_list(void)
{
	struct egress_cidr	 c[EGRESS_MAX_CIDRS];
	struct sockaddr_storage	 ss;
	size_t			 n;

	CU_ASSERT_EQUAL(egress_cidrs_parse("127.0.0.0/8,::1/128,10.1.2.0/23",
	    c, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	addr("127.0.0.1", &ss);
	CU_ASSERT_TRUE(egress_addr_allowed((struct sockaddr *)&ss, c, n));
	addr("::1", &ss);
	CU_ASSERT_TRUE(egress_addr_allowed((struct sockaddr *)&ss, c, n));
	addr("10.1.3.255", &ss);
	CU_ASSERT_TRUE(egress_addr_allowed((struct sockaddr *)&ss, c, n));
	addr("10.1.4.0", &ss);
	CU_ASSERT_FALSE(egress_addr_allowed((struct sockaddr *)&ss, c, n));
	addr("169.254.169.254", &ss);
	CU_ASSERT_FALSE(egress_addr_allowed((struct sockaddr *)&ss, c, n));
	/* Without the list, the same address is refused. */
	addr("127.0.0.1", &ss);
	CU_ASSERT_FALSE(egress_addr_allowed((struct sockaddr *)&ss, c, 0));
	/* Public addresses need no list. */
	addr("8.8.8.8", &ss);
	CU_ASSERT_TRUE(egress_addr_allowed((struct sockaddr *)&ss, c, 0));
	/* Empty is an empty list; malformed lists are refused. */
	CU_ASSERT_EQUAL(egress_cidrs_parse("", c, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(egress_cidrs_parse(NULL, c, &n), 0);
	CU_ASSERT_EQUAL(egress_cidrs_parse("10.0.0.1", c, &n), -1);
	CU_ASSERT_EQUAL(egress_cidrs_parse("10.0.0.0/33", c, &n), -1);
	CU_ASSERT_EQUAL(egress_cidrs_parse("::/129", c, &n), -1);
	CU_ASSERT_EQUAL(egress_cidrs_parse("10.0.0.0/8,", c, &n), 0);
	CU_ASSERT_EQUAL(egress_cidrs_parse(",10.0.0.0/8", c, &n), -1);
	CU_ASSERT_EQUAL(egress_cidrs_parse("example.com/8", c, &n), -1);
	CU_ASSERT_EQUAL(egress_cidrs_parse("10.0.0.0/x", c, &n), -1);
}

static const struct {
	const char	*host, *domain;
	bool		 match;
} hosts[] = {
	{ "api.linear.app", "linear.app", true },
	{ "linear.app", "linear.app", true },
	{ "LINEAR.APP.", "linear.app", true },
	{ "a.b.linear.app", "linear.app", true },
	{ "linear.app", "LINEAR.app.", true },
	{ "evillinear.app", "linear.app", false },
	{ "linear.app.evil.com", "linear.app", false },
	{ "linear.ap", "linear.app", false },
	{ "", "linear.app", false },
	{ ".linear.app", "linear.app", false },
	{ "a..linear.app", "linear.app", false },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", true },
	{ "b\xc3\xbc" "cher.example", "b\xc3\xbc" "cher.example", false },
	{ "user@linear.app", "linear.app", false },
	{ "127.0.0.1", "linear.app", false },
};

static void
test_hosts(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(hosts); i++)
		UNIT_CHECK(egress_host_matches(hosts[i].host,
		    hosts[i].domain) == hosts[i].match, "%s vs %s",
		    hosts[i].host, hosts[i].domain);
}

static const struct unit_case cases[] = {
	{ "public addresses", test_public },
	{ "operator allow list", test_allow_list },
	{ "host matching", test_hosts },
};

UNIT_MAIN("egress", cases)
