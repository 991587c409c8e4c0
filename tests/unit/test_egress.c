/*
 * test_egress: the outbound address and host rules (second.conf(5),
 * egress_allow_cidrs): which addresses are public, the IPv6 forms that embed
 * an IPv4 address, the operator's allow list, that every answer a name
 * resolves to must pass (not only one of them), host matching, and the
 * requests egress_request refuses before connecting to anything.  The
 * tables are written from the RFCs (6890 and the IANA special-purpose
 * registries), not from the code's deny tables.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
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
	{ "100.63.255.255", true },
	{ "127.0.0.1", false },
	{ "127.255.0.1", false },
	{ "169.254.169.254", false },
	{ "169.254.170.2", false },
	{ "169.254.0.1", false },
	{ "169.255.0.1", true },
	{ "172.16.0.1", false },
	{ "172.31.255.255", false },
	{ "172.32.0.1", true },
	{ "192.0.0.192", false },
	{ "192.0.2.1", false },
	{ "192.88.99.1", false },
	{ "192.168.1.1", false },
	{ "198.18.0.1", false },
	{ "198.19.255.255", false },
	{ "198.17.255.255", true },
	{ "198.20.0.0", true },
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
	{ "::ffff:169.254.169.254", false },
	{ "::ffff:100.64.0.1", false },
	{ "::ffff:0.0.0.0", false },
	{ "::10.0.0.5", false },
	{ "64:ff9b::a00:1", false },
	{ "64:ff9b::808:808", false },
	{ "64:ff9b:1::1", false },
	{ "64:ff9b:1:ffff::a9fe:a9fe", false },
	{ "2002:a00:1::1", false },
	{ "2002:808:808::1", false },
	{ "2002:7f00:1::1", false },
	{ "2002:a9fe:a9fe::1", false },
	{ "2001:0:7f00:1::1", false },
	{ "2001:db8:ffff::1", false },
	{ "fdff:ffff::1", false },
	{ "febf::1", false },
	{ "fec0::1", false },
	{ "ff0e::1", false },
	{ "2a00:1450:4001::1", true },
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
	{ "1password.com", "1password.com", true },
	/* IP literals match only the same address given as the domain. */
	{ "127.0.0.1", "127.0.0.1", true },
	{ "127.0.0.1", "127.0.0.2", false },
	{ "[::1]", "[::1]", true },
	{ "[::1]", "[0:0::1]", true },
	{ "[::1]", "::1", false },
	{ "[::1]", "localhost", false },
	{ "localhost", "[::1]", false },
	{ "localhost", "127.0.0.1", false },
	{ "a.1.2.3.4", "1.2.3.4", false },
	{ "1.2.3.4", "2.3.4", false },
	{ "[::ffff:127.0.0.1]", "127.0.0.1", false },
	/* IPv4 in other notations is no name and matches nothing. */
	{ "127.1", "127.1", false },
	{ "127.1", "localhost", false },
	{ "2130706433", "2130706433", false },
	{ "0x7f.1", "0x7f.1", false },
	{ "0177.0.0.1", "0177.0.0.1", false },
	{ "0177.0.0.1", "0.0.1", false },
	{ "127.0.0.1.", "127.0.0.1", false },
	{ "example.123", "example.123", false },
};

/*
 * Answer lists as a resolver returns them (space-separated addresses,
 * in that order), with the allow list they are judged under.
 */
static const struct {
	const char	*answers;
	const char	*allow;
	bool		 ok;
} answer_sets[] = {
	{ "8.8.8.8", "", true },
	{ "8.8.8.8 2001:4860:4860::8888", "", true },
	{ "8.8.8.8 1.1.1.1 93.184.216.34", "", true },
	{ "8.8.8.8 10.0.0.1", "", false },	/* a private one among public */
	{ "10.0.0.1 8.8.8.8", "", false },	/* whatever the order */
	{ "8.8.8.8 1.1.1.1 169.254.169.254", "", false },
	{ "2001:4860:4860::8888 fd00::1", "", false },
	{ "8.8.8.8 ::ffff:127.0.0.1", "", false },
	{ "8.8.8.8 64:ff9b::a00:1", "", false },
	{ "127.0.0.1", "", false },
	{ "127.0.0.1 ::1", "127.0.0.0/8", false },	/* localhost */
	{ "127.0.0.1 ::1", "::1/128", false },
	{ "127.0.0.1 ::1", "127.0.0.0/8,::1/128", true },
	{ "8.8.8.8 10.1.2.3", "10.0.0.0/8", true },
	{ "8.8.8.8 10.1.2.3 192.168.0.1", "10.0.0.0/8", false },
};

#define ANSWERS_MAX	4

static void
test_answers(void)
{
	struct addrinfo		 ai[ANSWERS_MAX];
	struct sockaddr_storage	 ss[ANSWERS_MAX];
	struct egress_cidr	 c[EGRESS_MAX_CIDRS];
	char			 list[128], *tok, *save;
	size_t			 i, k, n;

	for (i = 0; i < UNIT_NCASES(answer_sets); i++) {
		UNIT_CHECK(egress_cidrs_parse(answer_sets[i].allow, c, &n) == 0,
		    "parse %s", answer_sets[i].allow);
		memset(ai, 0, sizeof(ai));
		snprintf(list, sizeof(list), "%s", answer_sets[i].answers);
		k = 0;
		for (tok = strtok_r(list, " ", &save); tok != NULL &&
		    k < ANSWERS_MAX; tok = strtok_r(NULL, " ", &save), k++) {
			UNIT_CHECK(addr(tok, &ss[k]), "parse %s", tok);
			ai[k].ai_family = ss[k].ss_family;
			ai[k].ai_socktype = SOCK_STREAM;
			ai[k].ai_addr = (struct sockaddr *)&ss[k];
			ai[k].ai_addrlen = sizeof(ss[k]);
			if (k > 0)
				ai[k - 1].ai_next = &ai[k];
		}
		UNIT_CHECK(egress_answers_allowed(ai, c, n) ==
		    answer_sets[i].ok, "answers %s, allowed %s: want %s",
		    answer_sets[i].answers, answer_sets[i].allow,
		    answer_sets[i].ok ? "accepted" : "refused");
	}
	UNIT_CHECK(!egress_answers_allowed(NULL, c, 0),
	    "no answer at all is not accepted");
}

static void
test_hosts(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(hosts); i++)
		UNIT_CHECK(egress_host_matches(hosts[i].host,
		    hosts[i].domain) == hosts[i].match, "%s vs %s",
		    hosts[i].host, hosts[i].domain);
}

static const char *const hdr_ok = "X-Ok: 1";
static const char *hdr_many[EGRESS_MAX_HEADERS + 1];	/* all hdr_ok */
static const char *const hdr_host[] = { "Host: evil.example" };
static const char *const hdr_crlf[] = { "X-A: 1\r\nX-Injected: 1" };
static const char *const hdr_empty[] = { "X-A:  " };
static const char *const hdr_proxy[] = { "proxy-authorization: x" };
static const char *const hdr_te[] = { "Transfer-Encoding: chunked" };
static const char *const hdr_noname[] = { ": x" };

/*
 * Requests refused before anything connects: the class, never retryable.
 * The hosts are under .invalid, which never resolves, so a refusal that
 * did not happen would show as connect_failed instead.
 */
static const struct {
	const char		*method, *url, *domain, *body;
	const char *const	*hdrs;
	size_t			 nhdrs;
	enum egress_err		 want;
} refusals[] = {
	{ "GET", "http://api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", "ftp://api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", "file:///etc/passwd", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", "not a url", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", NULL, "api.invalid", NULL, NULL, 0, EGRESS_REFUSED_URL },
	{ "GET", "https://api.invalid.evil.invalid/", "api.invalid", NULL,
	    NULL, 0, EGRESS_REFUSED_URL },
	{ "GET", "https://api.invalid@evil.invalid/", "api.invalid", NULL,
	    NULL, 0, EGRESS_REFUSED_URL },
	{ "GET", "https://u:p@api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", "https://evil.invalid#@api.invalid/", "api.invalid", NULL,
	    NULL, 0, EGRESS_REFUSED_URL },
	{ "GET", "https://127.1/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "GET", "https://[fe80::1%25eth0]/", "[fe80::1]", NULL, NULL, 0,
	    EGRESS_REFUSED_URL },
	{ "TRACE", "https://api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_REQUEST },
	{ "get", "https://api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_REQUEST },
	{ NULL, "https://api.invalid/", "api.invalid", NULL, NULL, 0,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", "x", NULL, 0,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_host, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_crlf, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_empty, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_proxy, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "POST", "https://api.invalid/", "api.invalid", "{}", hdr_te, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_noname, 1,
	    EGRESS_REFUSED_REQUEST },
	{ "GET", "https://api.invalid/", "api.invalid", NULL, hdr_many,
	    EGRESS_MAX_HEADERS + 1, EGRESS_REFUSED_REQUEST },
};

static void
test_refusals(void)
{
	struct conf		 cf;
	struct egress_req	 rq;
	struct egress_resp	 rs;
	struct buf		 body = BUF_INIT;
	size_t			 i;
	int			 rc;

	for (i = 0; i < UNIT_NCASES(hdr_many); i++)
		hdr_many[i] = hdr_ok;
	memset(&cf, 0, sizeof(cf));
	cf.cf_egress_timeout = 5;
	for (i = 0; i < UNIT_NCASES(refusals); i++) {
		memset(&rq, 0, sizeof(rq));
		rq.er_method = refusals[i].method;
		rq.er_url = refusals[i].url;
		rq.er_domain = refusals[i].domain;
		rq.er_body = refusals[i].body;
		rq.er_body_len = rq.er_body != NULL ? strlen(rq.er_body) : 0;
		rq.er_headers = refusals[i].hdrs;
		rq.er_nheaders = refusals[i].nhdrs;
		memset(&rs, 0, sizeof(rs));
		rs.es_body = &body;
		rs.es_status = 200;
		rc = egress_request(&cf, &rq, &rs);
		UNIT_CHECK(rc == -1 && rs.es_err == refusals[i].want,
		    "case %zu (%s): want %s, got %s", i, refusals[i].url ?
		    refusals[i].url : "NULL", egress_err_name(refusals[i].want),
		    egress_err_name(rs.es_err));
		UNIT_CHECK(rs.es_status == 0 && body.b_len == 0,
		    "case %zu: no status, no body", i);
		UNIT_CHECK(!rs.es_retryable, "case %zu: not retryable", i);
	}
	buf_free(&body);
}

static void
test_err_names(void)
{
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_OK), "ok");
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_REFUSED_URL),
	    "refused_url");
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_REFUSED_ADDRESS),
	    "refused_address");
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_TOO_LARGE), "too_large");
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_TIMEOUT), "timeout");
	CU_ASSERT_STRING_EQUAL(egress_err_name(EGRESS_INTERNAL), "internal");
	CU_ASSERT_STRING_EQUAL(egress_err_name((enum egress_err)99),
	    "internal");
}

static const struct unit_case cases[] = {
	{ "public addresses", test_public },
	{ "operator allow list", test_allow_list },
	{ "every answer of a name", test_answers },
	{ "host matching", test_hosts },
	{ "requests refused before connecting", test_refusals },
	{ "error class names", test_err_names },
};

UNIT_MAIN("egress", cases)
