/*
 * egress: outbound HTTP (see egress.h).  This is the only file that
 * calls libcurl (tests/check-rules.test enforces it).
 *
 * The host is resolved once, here (host_resolve): every answer must be
 * public or allowed, or the whole request is refused, and curl is then
 * pinned to exactly those answers with CURLOPT_RESOLVE, so it does no
 * lookup of its own and a name cannot resolve differently between the
 * check and the connection (DNS rebinding).  The address check runs once
 * more in CURLOPT_OPENSOCKETFUNCTION, before connect(), on the very
 * address curl is about to use, as the last line of defence.  IPv6 forms
 * that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo)
 * are judged by the embedded address too.
 *
 * The URL is parsed once with curl's own parser (CURLU), the checks run
 * on the parsed parts, and the handle is given that same parsed URL, so
 * what is checked is what is fetched.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "conf.h"
#include "egress.h"
#include "log.h"

struct v4net {
	uint32_t	 net;
	int		 bits;
};

/* IPv4 ranges that are never a public destination. */
static const struct v4net v4_deny[] = {
	{ 0x00000000, 8 },	/* 0.0.0.0/8 this network */
	{ 0x0a000000, 8 },	/* 10/8 private */
	{ 0x64400000, 10 },	/* 100.64/10 CGNAT */
	{ 0x7f000000, 8 },	/* 127/8 loopback */
	{ 0xa9fe0000, 16 },	/* 169.254/16 link-local, metadata */
	{ 0xac100000, 12 },	/* 172.16/12 private */
	{ 0xc0000000, 24 },	/* 192.0.0/24 IETF, Oracle metadata */
	{ 0xc0000200, 24 },	/* 192.0.2/24 documentation */
	{ 0xc0586300, 24 },	/* 192.88.99/24 6to4 relay */
	{ 0xc0a80000, 16 },	/* 192.168/16 private */
	{ 0xc6120000, 15 },	/* 198.18/15 benchmarking */
	{ 0xc6336400, 24 },	/* 198.51.100/24 documentation */
	{ 0xcb007100, 24 },	/* 203.0.113/24 documentation */
	{ 0xe0000000, 4 },	/* 224/4 multicast */
	{ 0xf0000000, 4 },	/* 240/4 reserved, broadcast */
};

static bool
v4_public(uint32_t a)
{
	size_t	 i;
	uint32_t mask;

	for (i = 0; i < sizeof(v4_deny) / sizeof(v4_deny[0]); i++) {
		mask = v4_deny[i].bits == 0 ? 0 :
		    0xffffffffu << (32 - v4_deny[i].bits);
		if ((a & mask) == v4_deny[i].net)
			return false;
	}
	return true;
}

static uint32_t
v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The IPv6 address is public: global unicast and nothing embedded fails. */
static bool
v6_public(const unsigned char *a)
{
	static const unsigned char zero[10] = { 0 };

	/* ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 */
	if (memcmp(a, zero, 10) == 0) {
		if ((a[10] == 0 && a[11] == 0) ||
		    (a[10] == 0xff && a[11] == 0xff))
			return a[10] == 0xff && v4_public(v4_at(a + 12));
		return false;
	}
	/* 64:ff9b::/96 NAT64 and 64:ff9b:1::/48 local-use NAT64 */
	if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b)
		return false;
	/* 2002::/16 6to4: judge the embedded address, and refuse anyway */
	if (a[0] == 0x20 && a[1] == 0x02)
		return false;
	/* 2001::/32 Teredo, 2001:db8::/32 documentation, 2001:10::/28 ORCHID */
	if (a[0] == 0x20 && a[1] == 0x01 &&
	    ((a[2] == 0x00 && a[3] == 0x00) || (a[2] == 0x0d && a[3] == 0xb8) ||
	    (a[2] == 0x00 && (a[3] & 0xf0) == 0x10)))
		return false;
	/* Only 2000::/3 is global unicast (fc00::/7, fe80::/10, ff00::/8 out). */
	if ((a[0] & 0xe0) != 0x20)
		return false;
	return true;
}

/*
 * True if sa is a public unicast address (see the deny tables).
 */
bool
egress_addr_public(const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;

	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		return v4_public(ntohl(s4->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		return v6_public(s6->sin6_addr.s6_addr);
	}
	return false;
}

static bool
prefix_match(const unsigned char *a, const unsigned char *net, int bits)
{
	int	 full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, (size_t)full) != 0)
		return false;
	return rest == 0 ||
	    ((a[full] ^ net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/*
 * True if sa is public, or inside one of the operator's allowed ranges.
 */
bool
egress_addr_allowed(const struct sockaddr *sa, const struct egress_cidr *c,
    size_t n)
{
	const unsigned char	*a;
	size_t			 i;

	if (egress_addr_public(sa))
		return true;
	for (i = 0; i < n; i++) {
		if (c[i].ec_family != sa->sa_family)
			continue;
		a = sa->sa_family == AF_INET ?
		    (const unsigned char *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr :
		    ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr;
		if (prefix_match(a, c[i].ec_addr, c[i].ec_bits))
			return true;
	}
	return false;
}

/*
 * True if the list ai holds at least one address and every one of them
 * is public or inside one of the operator's allowed ranges: one private
 * answer among public ones refuses the name.
 */
bool
egress_answers_allowed(const struct addrinfo *ai, const struct egress_cidr *c,
    size_t n)
{
	if (ai == NULL)
		return false;
	for (; ai != NULL; ai = ai->ai_next)
		if (ai->ai_addr == NULL ||
		    !egress_addr_allowed(ai->ai_addr, c, n))
			return false;
	return true;
}

/*
 * Parse a comma list of CIDRs ("127.0.0.0/8,::1/128") into out (at most
 * EGRESS_MAX_CIDRS).  NULL or "" is an empty list.  Returns 0 or -1.
 */
int
egress_cidrs_parse(const char *s, struct egress_cidr *out, size_t *n)
{
	char	 tmp[64], *slash, *end;
	size_t	 len;
	long	 bits;

	*n = 0;
	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(tmp) || *n >= EGRESS_MAX_CIDRS)
			return -1;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if ((slash = strchr(tmp, '/')) == NULL)
			return -1;
		*slash++ = '\0';
		bits = strtol(slash, &end, 10);
		if (*end != '\0' || slash[0] == '\0')
			return -1;
		memset(&out[*n], 0, sizeof(out[*n]));
		if (inet_pton(AF_INET, tmp, out[*n].ec_addr) == 1) {
			if (bits < 0 || bits > 32)
				return -1;
			out[*n].ec_family = AF_INET;
		} else if (inet_pton(AF_INET6, tmp, out[*n].ec_addr) == 1) {
			if (bits < 0 || bits > 128)
				return -1;
			out[*n].ec_family = AF_INET6;
		} else
			return -1;
		out[*n].ec_bits = (int)bits;
		(*n)++;
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* Lowercase, drop one trailing dot; false if empty or not a DNS name. */
static bool
host_norm(const char *in, char *out, size_t cap)
{
	size_t	 n = strlen(in), i;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= cap)
		return false;
	for (i = 0; i < n; i++) {
		if (!(isalnum((unsigned char)in[i]) || in[i] == '-' ||
		    in[i] == '.'))
			return false;
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[n] = '\0';
	return strstr(out, "..") == NULL && out[0] != '.';
}

/*
 * An IP literal as the URL parser leaves it: a dotted quad, or an IPv6
 * address in brackets.  Returns its family with the address in a, or 0.
 */
static int
host_literal(const char *s, unsigned char a[16])
{
	char	 tmp[64];
	size_t	 n = strlen(s);

	if (inet_pton(AF_INET, s, a) == 1)
		return AF_INET;
	if (n > 2 && n - 2 < sizeof(tmp) && s[0] == '[' && s[n - 1] == ']') {
		memcpy(tmp, s + 1, n - 2);
		tmp[n - 2] = '\0';
		if (inet_pton(AF_INET6, tmp, a) == 1)
			return AF_INET6;
	}
	return 0;
}

/*
 * True if host equals domain or is a subdomain of it, after lowering case
 * and dropping a trailing dot.  IDN must arrive in its ASCII (punycode)
 * form; other bytes do not match.  "evil-example.com" and
 * "example.com.evil" do not match "example.com".  An IP literal (dotted
 * quad, or IPv6 in brackets) matches only the same address given as the
 * domain; a name whose last label starts with a digit is an IPv4 address
 * in some other notation ("127.1", "0x7f.1", "2130706433") and matches
 * nothing.
 */
bool
egress_host_matches(const char *host, const char *domain)
{
	unsigned char	 ha[16], da[16];
	char		 h[256], d[256];
	const char	*last;
	size_t		 hl, dl;
	int		 hf, df;

	hf = host_literal(host, ha);
	df = host_literal(domain, da);
	if (hf != 0 || df != 0)
		return hf == df &&
		    memcmp(ha, da, hf == AF_INET ? 4 : 16) == 0;
	if (!host_norm(host, h, sizeof(h)) || !host_norm(domain, d, sizeof(d)))
		return false;
	last = strrchr(h, '.');
	if (isdigit((unsigned char)(last != NULL ? last[1] : h[0])))
		return false;
	hl = strlen(h);
	dl = strlen(d);
	if (hl == dl)
		return strcmp(h, d) == 0;
	return hl > dl && h[hl - dl - 1] == '.' && strcmp(h + hl - dl, d) == 0;
}

static const char *const err_names[] = {
	[EGRESS_OK] = "ok",
	[EGRESS_REFUSED_URL] = "refused_url",
	[EGRESS_REFUSED_REQUEST] = "refused_request",
	[EGRESS_REFUSED_ADDRESS] = "refused_address",
	[EGRESS_TIMEOUT] = "timeout",
	[EGRESS_TOO_LARGE] = "too_large",
	[EGRESS_CONNECT_FAILED] = "connect_failed",
	[EGRESS_TLS_FAILED] = "tls_failed",
	[EGRESS_PROTOCOL] = "protocol",
	[EGRESS_INTERNAL] = "internal",
};

/*
 * The stable name of an error class ("refused_url", "timeout", ...), for
 * logs and redacted diagnostics.
 */
const char *
egress_err_name(enum egress_err e)
{
	if ((size_t)e >= sizeof(err_names) / sizeof(err_names[0]))
		return "internal";
	return err_names[e];
}

struct egress_state {
	struct egress_cidr	 cidrs[EGRESS_MAX_CIDRS];
	size_t			 ncidrs;
	struct egress_resp	*resp;
	size_t			 hdr_bytes;	/* response headers so far */
	bool			 refused;	/* an address was refused */
	bool			 too_large;	/* a cap was hit */
};

static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct egress_state	*st = arg;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !egress_addr_allowed(&a->addr, st->cidrs, st->ncidrs)) {
		st->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct egress_state	*st = arg;
	struct egress_resp	*rs = st->resp;
	size_t			 n = size * nmemb;

	if (n > EGRESS_MAX_RESPONSE - rs->es_body_len) {
		st->too_large = true;
		return 0;	/* aborts the transfer */
	}
	rs->es_body_len += n;
	if (rs->es_body == NULL)
		return n;
	buf_add(rs->es_body, p, n);
	if (!buf_ok(rs->es_body)) {
		st->too_large = true;	/* over the caller's own cap */
		return 0;
	}
	return n;
}

static size_t
header_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct egress_state	*st = arg;
	size_t			 n = size * nmemb;

	(void)p;
	if (n > EGRESS_MAX_RESP_HEADERS - st->hdr_bytes) {
		st->too_large = true;
		return 0;
	}
	st->hdr_bytes += n;
	return n;
}

/*
 * Parse url into u and check it: https, no userinfo or zone id, and a
 * host within domain (NULL: the URL's own host).  The host is put back
 * normalised (lower case, no trailing dot), so curl connects to, sends
 * SNI for and verifies the certificate of exactly the checked name.
 */
static enum egress_err
url_check(CURLU *u, const char *url, const char *domain)
{
	unsigned char	 lit[16];
	char		*scheme = NULL, *host = NULL, *user = NULL;
	char		*pass = NULL, *zone = NULL;
	char		 norm[256];
	enum egress_err	 e = EGRESS_REFUSED_URL;

	if (url == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		log_warn("egress: refused: unparsable URL");
		goto out;
	}
	if (strcmp(scheme, "https") != 0) {
		log_warn("egress: refused: not https");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		log_warn("egress: refused: userinfo in URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
		log_warn("egress: refused: zone id in URL");
		goto out;
	}
	if (!egress_host_matches(host, domain != NULL ? domain : host)) {
		log_warn("egress: refused: host outside the allowed domain");
		goto out;
	}
	if (host_literal(host, lit) == 0) {
		if (!host_norm(host, norm, sizeof(norm)) ||
		    curl_url_set(u, CURLUPART_HOST, norm, 0) != CURLUE_OK) {
			e = EGRESS_INTERNAL;
			goto out;
		}
	}
	e = EGRESS_OK;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_free(zone);
	return e;
}

/* The answers for one host: built here (literal, localhost) or looked up. */
struct answers {
	struct addrinfo		 fixed[2];
	struct sockaddr_in	 v4;
	struct sockaddr_in6	 v6;
	size_t			 nfixed;
	struct addrinfo		*list;		/* fixed, gai, or NULL */
	struct addrinfo		*gai;		/* from getaddrinfo: freed */
};

/* Append the address a of family to an's fixed answers. */
static void
answer_add(struct answers *an, int family, const unsigned char *a)
{
	struct addrinfo	*ai = &an->fixed[an->nfixed];

	memset(ai, 0, sizeof(*ai));
	ai->ai_family = family;
	ai->ai_socktype = SOCK_STREAM;
	ai->ai_protocol = IPPROTO_TCP;
	if (family == AF_INET) {
		an->v4.sin_family = AF_INET;
		memcpy(&an->v4.sin_addr, a, 4);
		ai->ai_addr = (struct sockaddr *)(void *)&an->v4;
		ai->ai_addrlen = sizeof(an->v4);
	} else {
		an->v6.sin6_family = AF_INET6;
		memcpy(&an->v6.sin6_addr, a, 16);
		ai->ai_addr = (struct sockaddr *)(void *)&an->v6;
		ai->ai_addrlen = sizeof(an->v6);
	}
	if (an->nfixed > 0)
		an->fixed[an->nfixed - 1].ai_next = ai;
	an->list = &an->fixed[0];
	an->nfixed++;
}

/*
 * Resolve the normalised host into an: an IP literal is its own answer;
 * "localhost" and names under ".localhost" are 127.0.0.1 and ::1 without
 * asking DNS (RFC 6761 6.3); any other name is looked up once, both
 * families.  The lookup is bounded by the resolver's own timeouts
 * (resolv.conf(5) timeout and attempts).
 */
static enum egress_err
host_resolve(const char *host, struct answers *an)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	static const unsigned char lo6[16] = { [15] = 1 };
	struct addrinfo	 hints;
	unsigned char	 lit[16];
	size_t		 n = strlen(host);
	int		 family, gai;

	if ((family = host_literal(host, lit)) != 0) {
		answer_add(an, family, lit);
		return EGRESS_OK;
	}
	if (strcmp(host, "localhost") == 0 ||
	    (n > 10 && strcmp(host + n - 10, ".localhost") == 0)) {
		answer_add(an, AF_INET, lo4);
		answer_add(an, AF_INET6, lo6);
		return EGRESS_OK;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if ((gai = getaddrinfo(host, NULL, &hints, &an->gai)) != 0) {
		an->gai = NULL;
		log_warn("egress: connect_failed: name not resolved: %s",
		    gai_strerror(gai));
		return gai == EAI_MEMORY ? EGRESS_INTERNAL :
		    EGRESS_CONNECT_FAILED;
	}
	an->list = an->gai;
	return EGRESS_OK;
}

/*
 * What a call to url begins with: st's allowed ranges read from
 * egress_allow_cidrs, and url parsed into a new *u and checked
 * (url_check, with domain).  *u is the caller's to free, also on
 * failure.  EGRESS_OK, or the class of the refusal.
 */
static enum egress_err
url_open(const struct conf *cf, const char *url, const char *domain,
    struct egress_state *st, CURLU **u)
{
	if (egress_cidrs_parse(cf->cf_egress_allow_cidrs, st->cidrs,
	    &st->ncidrs) != 0) {
		log_warn("egress: egress_allow_cidrs is invalid");
		return EGRESS_INTERNAL;
	}
	if ((*u = curl_url()) == NULL)
		return EGRESS_INTERNAL;
	return url_check(*u, url, domain);
}

/*
 * Resolve u's host (host_resolve) and refuse the request unless every
 * answer is allowed (egress_answers_allowed).  For a name, pin gets the
 * CURLOPT_RESOLVE entry "host:port:addr,[addr6],..." naming exactly the
 * checked answers; for an IP literal (no lookup) it stays empty.
 */
static enum egress_err
host_check(CURLU *u, const struct egress_state *st, struct buf *pin)
{
	struct answers		 an;
	const struct addrinfo	*ai;
	const void		*a;
	char			*host = NULL, *port = NULL;
	char			 txt[INET6_ADDRSTRLEN];
	unsigned char		 lit[16];
	enum egress_err		 e = EGRESS_INTERNAL;

	memset(&an, 0, sizeof(an));
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	if ((e = host_resolve(host, &an)) != EGRESS_OK)
		goto out;
	if (!egress_answers_allowed(an.list, st->cidrs, st->ncidrs)) {
		log_warn("egress: refused: "
		    "non-public address among the answers");
		e = EGRESS_REFUSED_ADDRESS;
		goto out;
	}
	e = EGRESS_OK;
	if (host_literal(host, lit) != 0)
		goto out;
	buf_printf(pin, "%s:%s:", host, port);
	for (ai = an.list; ai != NULL; ai = ai->ai_next) {
		a = ai->ai_family == AF_INET ?
		    (const void *)&((const struct sockaddr_in *)
		    (const void *)ai->ai_addr)->sin_addr :
		    (const void *)&((const struct sockaddr_in6 *)
		    (const void *)ai->ai_addr)->sin6_addr;
		if (inet_ntop(ai->ai_family, a, txt, sizeof(txt)) == NULL) {
			e = EGRESS_INTERNAL;
			goto out;
		}
		buf_printf(pin, ai->ai_family == AF_INET ? "%s%s" : "%s[%s]",
		    ai == an.list ? "" : ",", txt);
	}
	if (!buf_ok(pin))
		e = EGRESS_INTERNAL;
out:
	if (an.gai != NULL)
		freeaddrinfo(an.gai);
	curl_free(host);
	curl_free(port);
	return e;
}

/* Header names the client owns (framing, routing, proxies). */
static const char *const hdr_denied[] = {
	"connection", "content-length", "expect", "host", "keep-alive", "te",
	"trailer", "transfer-encoding", "upgrade",
};

/*
 * One "Name: value" header: a token name that is not in hdr_denied nor
 * Proxy-*, a non-empty value of visible characters, spaces and tabs.
 */
static bool
header_ok(const char *hd)
{
	size_t	 len, name, i;

	len = strnlen(hd, EGRESS_MAX_HEADER_LEN + 1);
	if (len > EGRESS_MAX_HEADER_LEN)
		return false;
	name = strspn(hd, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789!#$%&'*+-.^_`|~");
	if (name == 0 || hd[name] != ':' || strncasecmp(hd, "proxy-", 6) == 0)
		return false;
	for (i = 0; i < sizeof(hdr_denied) / sizeof(hdr_denied[0]); i++)
		if (strlen(hdr_denied[i]) == name &&
		    strncasecmp(hd, hdr_denied[i], name) == 0)
			return false;
	for (i = name + 1; i < len; i++)
		if (((unsigned char)hd[i] < 0x20 && hd[i] != '\t') ||
		    hd[i] == 0x7f)
			return false;
	return hd[name + 1 + strspn(hd + name + 1, " \t")] != '\0';
}

/* The method, headers and body are ones egress_request sends. */
static enum egress_err
req_check(const struct egress_req *rq)
{
	static const char *const methods[] = {
		"GET", "POST", "PUT", "PATCH", "DELETE",
	};
	size_t	 i;
	bool	 known = false;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (rq->er_method != NULL && strcmp(rq->er_method,
		    methods[i]) == 0)
			known = true;
	if (!known || (strcmp(rq->er_method, "GET") == 0 &&
	    rq->er_body != NULL)) {
		log_warn("egress: refused: method or body not allowed");
		return EGRESS_REFUSED_REQUEST;
	}
	if (rq->er_nheaders > EGRESS_MAX_HEADERS) {
		log_warn("egress: refused: too many headers");
		return EGRESS_REFUSED_REQUEST;
	}
	for (i = 0; i < rq->er_nheaders; i++)
		if (!header_ok(rq->er_headers[i])) {
			log_warn("egress: refused: header %zu not allowed", i);
			return EGRESS_REFUSED_REQUEST;
		}
	return EGRESS_OK;
}

/* The class of a failed transfer. */
static enum egress_err
classify(CURLcode cc, const struct egress_state *st)
{
	if (st->refused)
		return EGRESS_REFUSED_ADDRESS;
	if (st->too_large)
		return EGRESS_TOO_LARGE;
	switch (cc) {
	case CURLE_FILESIZE_EXCEEDED:
		return EGRESS_TOO_LARGE;
	case CURLE_OPERATION_TIMEDOUT:
		return EGRESS_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return EGRESS_CONNECT_FAILED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
		return EGRESS_TLS_FAILED;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return EGRESS_REFUSED_URL;
	case CURLE_OUT_OF_MEMORY:
		return EGRESS_INTERNAL;
	default:
		return EGRESS_PROTOCOL;
	}
}

/* Set the method and body on h (rq passed req_check). */
static void
set_method(CURL *h, const struct egress_req *rq)
{
	const char	*body = rq->er_body != NULL ? rq->er_body : "";

	if (strcmp(rq->er_method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(rq->er_method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->er_method);
	if (strcmp(rq->er_method, "DELETE") == 0 && rq->er_body == NULL)
		return;
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)(rq->er_body != NULL ? rq->er_body_len : 0));
}

/*
 * Send rq under the egress rules (egress.h, second.conf(5) "Outbound
 * HTTP").  Returns 0 when a response came back, whatever its status (a
 * 3xx is returned, never followed): rs gets the status, the Content-Type
 * value ("" if none) and the body, appended to rs->es_body unless NULL.
 * Returns -1 otherwise, with rs->es_err the class and rs->es_retryable
 * whether the same call may succeed later; the body buffer may then hold
 * part of a body, to be discarded.  Refusals and failures are logged by
 * class, without the URL's path, headers or bodies.
 */
int
egress_request(const struct conf *cf, const struct egress_req *rq,
    struct egress_resp *rs)
{
	struct egress_state	 st;
	struct curl_slist	*hdrs = NULL, *resolve = NULL, *t;
	struct buf		 pin = BUF_INIT;
	struct timespec		 t0, t1;
	CURLU			*u = NULL;
	CURL			*h = NULL;
	char			*ctype = NULL;
	enum egress_err		 e = EGRESS_INTERNAL;
	long			 total_ms;
	size_t			 i;
	CURLcode		 cc;

	rs->es_status = 0;
	rs->es_content_type[0] = '\0';
	rs->es_body_len = 0;
	memset(&st, 0, sizeof(st));
	st.resp = rs;
	if ((e = url_open(cf, rq->er_url, rq->er_domain, &st, &u)) !=
	    EGRESS_OK || (e = req_check(rq)) != EGRESS_OK)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((e = host_check(u, &st, &pin)) != EGRESS_OK)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* The lookup's time counts against the whole call's. */
	total_ms = (long)cf->cf_egress_timeout * 1000L -
	    (long)(t1.tv_sec - t0.tv_sec) * 1000L -
	    (t1.tv_nsec - t0.tv_nsec) / 1000000L;
	if (total_ms <= 0) {
		log_warn("egress: timeout: name resolution took it all");
		e = EGRESS_TIMEOUT;
		goto out;
	}
	e = EGRESS_INTERNAL;
	if ((h = curl_easy_init()) == NULL)
		goto out;
	if (pin.b_len > 0) {
		if ((resolve = curl_slist_append(NULL, pin.b_data)) == NULL)
			goto out;
		curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
	}
	for (i = 0; i <= rq->er_nheaders; i++) {
		/* "Expect:" stops curl waiting for a 100 before a body. */
		t = curl_slist_append(hdrs, i < rq->er_nheaders ?
		    rq->er_headers[i] : "Expect:");
		if (t == NULL)
			goto out;
		hdrs = t;
	}
	curl_easy_setopt(h, CURLOPT_CURLU, u);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	    total_ms < EGRESS_CONNECT_MS ? total_ms : EGRESS_CONNECT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)EGRESS_MAX_RESPONSE);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, NULL);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &st);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &st);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (cf->cf_egress_ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, cf->cf_egress_ca_file);
	set_method(h, rq);
	if ((cc = curl_easy_perform(h)) != CURLE_OK) {
		e = classify(cc, &st);
		if (e == EGRESS_REFUSED_ADDRESS)
			log_warn("egress: refused: non-public address; %s",
			    curl_easy_strerror(cc));
		else
			log_warn("egress: %s: %s", egress_err_name(e),
			    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rs->es_status);
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype) == CURLE_OK &&
	    ctype != NULL)
		snprintf(rs->es_content_type, sizeof(rs->es_content_type),
		    "%s", ctype);
	e = EGRESS_OK;
out:
	rs->es_err = e;
	rs->es_retryable = e == EGRESS_TIMEOUT ||
	    e == EGRESS_CONNECT_FAILED || e == EGRESS_PROTOCOL;
	if (e != EGRESS_OK)
		rs->es_status = 0;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	curl_slist_free_all(resolve);
	buf_free(&pin);
	curl_url_cleanup(u);
	return e == EGRESS_OK ? 0 : -1;
}

/*
 * Check url as egress_request would before connecting, without a
 * request: https, no userinfo, and every address its host resolves to
 * allowed (public, or in egress_allow_cidrs).  For URLs stored before
 * they are used (OAuth provider URLs): the check is repeated at each use,
 * since names move.  EGRESS_OK, or the class of the refusal.
 */
enum egress_err
egress_url_check(const struct conf *cf, const char *url)
{
	struct egress_state	 st;
	struct buf		 pin = BUF_INIT;
	CURLU			*u = NULL;
	enum egress_err		 e = EGRESS_INTERNAL;

	memset(&st, 0, sizeof(st));
	if ((e = url_open(cf, url, NULL, &st, &u)) != EGRESS_OK)
		goto out;
	e = host_check(u, &st, &pin);
out:
	buf_free(&pin);
	curl_url_cleanup(u);
	return e;
}

/*
 * POST call->ec_body as JSON to call->ec_url (egress_request).
 * *status receives the HTTP status; the body (at most 1 MiB) is appended
 * to response when not NULL.  Returns 0 when a response came back, -1
 * when the call was refused or failed.
 */
int
egress_post_json(const struct conf *cf, const struct egress_call *call,
    long *status, struct buf *response)
{
	struct egress_req	 rq;
	struct egress_resp	 rs;
	struct buf		 sig = BUF_INIT;
	const char		*hdrs[2];
	int			 rc = -1;

	*status = 0;
	memset(&rq, 0, sizeof(rq));
	hdrs[rq.er_nheaders++] = "Content-Type: application/json";
	if (call->ec_sig_header != NULL) {
		buf_printf(&sig, "%s: %s", call->ec_sig_header, call->ec_sig);
		if (!buf_ok(&sig))
			goto out;
		hdrs[rq.er_nheaders++] = sig.b_data;
	}
	rq.er_method = "POST";
	rq.er_url = call->ec_url;
	rq.er_domain = call->ec_domain;
	rq.er_headers = hdrs;
	rq.er_body = call->ec_body != NULL ? call->ec_body : "";
	rq.er_body_len = call->ec_body != NULL ? call->ec_body_len : 0;
	memset(&rs, 0, sizeof(rs));
	rs.es_body = response;
	rc = egress_request(cf, &rq, &rs);
	*status = rs.es_status;
out:
	buf_free(&sig);
	return rc;
}

/*
 * The agent worker (second-fcgi(8), "The dispatcher and the agent
 * worker").  WORKER_URL is the operator's internal address: http or https,
 * any address, but still no proxy from the environment, no redirect, no
 * other scheme, bounded in time and in what is read back.  Self-contained:
 * it shares nothing with the egress rules above.
 */

/* Response bytes read from the worker: the status is what counts. */
#define WORKER_MAX_RESPONSE	(64 * 1024)
#define WORKER_TIMEOUT_MS	10000L
#define WORKER_CONNECT_MS	3000L

/* Count and drop the worker's answer; stop reading past the cap. */
static size_t
worker_discard(char *p, size_t size, size_t nmemb, void *arg)
{
	size_t	*seen = arg;
	size_t	 n = size * nmemb;

	(void)p;
	if (*seen + n > WORKER_MAX_RESPONSE)
		return 0;
	*seen += n;
	return n;
}

/*
 * POST the JSON body (len bytes) to cf->cf_worker_url followed by path
 * (which starts with "/"), with "Authorization: Bearer" and the internal
 * API token when one is configured.  Returns the HTTP status of the
 * answer (once a status line came back, whatever cut the body short), or
 * -1 when no answer came (no worker_url, unreachable, timeout): the caller
 * retries.  Logs neither the URL, the token nor a body.
 */
long
egress_worker_post(const struct conf *cf, const char *path,
    const char *body, size_t len)
{
	struct curl_slist	*hdrs = NULL;
	struct buf		 url = BUF_INIT, auth = BUF_INIT;
	CURL			*h = NULL;
	CURLcode		 cc;
	size_t			 seen = 0, ulen;
	long			 status = 0, rc = -1;

	if (cf->cf_worker_url == NULL)
		goto out;
	ulen = strlen(cf->cf_worker_url);
	while (ulen > 0 && cf->cf_worker_url[ulen - 1] == '/')
		ulen--;
	buf_add(&url, cf->cf_worker_url, ulen);
	buf_puts(&url, path);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	if (cf->cf_internal_api_token != NULL) {
		buf_printf(&auth, "Authorization: Bearer %s",
		    cf->cf_internal_api_token);
		if (buf_ok(&auth))
			hdrs = curl_slist_append(hdrs, auth.b_data);
	}
	if (!buf_ok(&url) || (cf->cf_internal_api_token != NULL &&
	    !buf_ok(&auth)) || hdrs == NULL || (h = curl_easy_init()) == NULL)
		goto out;
	curl_easy_setopt(h, CURLOPT_URL, url.b_data);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, WORKER_CONNECT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, WORKER_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, NULL);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, worker_discard);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &seen);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 100)
		rc = status;
	else
		log_warn("egress: worker: %s", curl_easy_strerror(cc));
out:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	buf_free(&auth);
	buf_free(&url);
	return rc;
}
