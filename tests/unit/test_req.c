/*
 * test_req: request intake from FastCGI parameters, percent decoding,
 * path checks, query and cookie lookups (UTF-8: tests/unit/test_utf8.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "conf.h"
#include "req.h"
#include "unit.h"

/* Default configuration, loaded once. */
static struct conf	 dflt;
static bool		 dflt_loaded;

static const struct conf *
default_conf(void)
{
	char	 err[256] = "";

	if (!dflt_loaded) {
		unit_clear_env();
		CU_ASSERT_FATAL(conf_load(&dflt, NULL, false, err,
		    sizeof(err)) == 0);
		dflt_loaded = true;
	}
	return &dflt;
}

/* ------------------------------------------------------ percent decode */

struct pct_case {
	const char	*in;
	int		 rc;
	const char	*out;	/* when rc == 0 */
};

static const struct pct_case pct_cases[] = {
	{ "", 0, "" },
	{ "abc", 0, "abc" },
	{ "%41%42c", 0, "ABc" },
	{ "%7e%7E", 0, "~~" },
	{ "%2f%2F", 0, "//" },
	{ "a+b", 0, "a+b" },		/* "+" is kept (paths) */
	{ "%2B", 0, "+" },
	{ "%20", 0, " " },
	{ "%25", 0, "%" },
	{ "%2541", 0, "%41" },		/* decoded once only */
	{ "%c3%a9", 0, "\xc3\xa9" },
	{ "%C3%A9", 0, "\xc3\xa9" },
	{ "\xc3\xa9", 0, "\xc3\xa9" },
	{ "%e2%82%ac", 0, "\xe2\x82\xac" },
	{ "%f0%9f%98%80", 0, "\xf0\x9f\x98\x80" },
	/* NUL and control characters */
	{ "%00", -1, NULL },
	{ "a%00b", -1, NULL },
	{ "%01", -1, NULL },
	{ "%0a", -1, NULL },
	{ "%0D%0A", -1, NULL },
	{ "%1f", -1, NULL },
	{ "%7f", -1, NULL },
	{ "%09", -1, NULL },
	{ "\x01", -1, NULL },
	{ "a\tb", -1, NULL },
	{ "a\nb", -1, NULL },
	{ "\x7f", -1, NULL },
	/* malformed escapes */
	{ "%", -1, NULL },
	{ "%4", -1, NULL },
	{ "a%", -1, NULL },
	{ "a%4", -1, NULL },
	{ "%zz", -1, NULL },
	{ "%4g", -1, NULL },
	{ "%g4", -1, NULL },
	{ "%%41", -1, NULL },
	{ "% 41", -1, NULL },
	{ "%-1", -1, NULL },
	{ "%+1", -1, NULL },
	{ "%0x1", -1, NULL },
	/* invalid UTF-8 after decoding */
	{ "%ff", -1, NULL },
	{ "%80", -1, NULL },
	{ "%c3", -1, NULL },
	{ "%c3x", -1, NULL },
	{ "%c0%80", -1, NULL },
	{ "%c0%af", -1, NULL },
	{ "%e0%80%af", -1, NULL },
	{ "%ed%a0%80", -1, NULL },
	{ "%f4%90%80%80", -1, NULL },
	{ "%c3\xa9", 0, "\xc3\xa9" },	/* mixed is still UTF-8 */
	{ "\xff", -1, NULL },
};

static void
test_pct_decode(void)
{
	char	*out;
	size_t	 i;
	int	 rc;

	for (i = 0; i < UNIT_NCASES(pct_cases); i++) {
		out = (char *)&out;	/* must be overwritten */
		rc = req_pct_decode(pct_cases[i].in, strlen(pct_cases[i].in),
		    &out);
		UNIT_CHECK(rc == pct_cases[i].rc, "row %zu \"%s\": rc %d want "
		    "%d", i, pct_cases[i].in, rc, pct_cases[i].rc);
		if (rc == 0) {
			UNIT_CHECK(unit_streq(out, pct_cases[i].out),
			    "row %zu: got \"%s\" want \"%s\"", i, UNIT_S(out),
			    pct_cases[i].out);
			free(out);
		} else
			UNIT_CHECK(out == NULL, "row %zu: out not NULL on "
			    "failure", i);
	}
}

/* Only s[0..len) is read. */
static void
test_pct_decode_len(void)
{
	char	*out = NULL;

	CU_ASSERT_EQUAL(req_pct_decode("%41xyz", 3, &out), 0);
	CU_ASSERT_TRUE(unit_streq(out, "A"));
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(req_pct_decode("ab%41", 4, &out), -1);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(req_pct_decode("ab%00", 2, &out), 0);
	CU_ASSERT_TRUE(unit_streq(out, "ab"));
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(req_pct_decode("a", 0, &out), 0);
	CU_ASSERT_TRUE(unit_streq(out, ""));
	free(out);
}

/* Every escape %00..%ff, alone. */
static void
test_pct_decode_every_escape(void)
{
	char	 in[4], *out;
	int	 c, rc;
	bool	 want;

	for (c = 0; c < 256; c++) {
		snprintf(in, sizeof(in), "%%%02X", c);
		out = NULL;
		rc = req_pct_decode(in, 3, &out);
		want = c >= 0x20 && c < 0x7f;
		UNIT_CHECK((rc == 0) == want, "%s: rc %d", in, rc);
		if (rc == 0)
			UNIT_CHECK(out != NULL && (unsigned char)out[0] == c &&
			    out[1] == '\0', "%s: wrong byte", in);
		free(out);
	}
}

/* ------------------------------------------------------------- paths */

struct path_case {
	const char	*path;
	enum err	 rc;
};

static const struct path_case path_cases[] = {
	{ "/", ERR_OK },
	{ "/api/livez", ERR_OK },
	{ "/api/workspaces/0123456789abcdef01234567/apps", ERR_OK },
	{ "/a%20b", ERR_OK },
	{ "/caf\xc3\xa9", ERR_OK },
	{ "/caf%c3%a9", ERR_OK },
	{ "/a+b", ERR_OK },
	{ "/%2F", ERR_OK },
	{ "", ERR_BAD_REQUEST },
	{ "api/livez", ERR_BAD_REQUEST },
	{ "*", ERR_BAD_REQUEST },
	{ "http://x/", ERR_BAD_REQUEST },
	{ " /", ERR_BAD_REQUEST },
	{ "/a b", ERR_BAD_REQUEST },
	{ "/a\tb", ERR_BAD_REQUEST },
	{ "/a\nb", ERR_BAD_REQUEST },
	{ "/a\rb", ERR_BAD_REQUEST },
	{ "/\x01", ERR_BAD_REQUEST },
	{ "/\x1b", ERR_BAD_REQUEST },
	{ "/\x7f", ERR_BAD_REQUEST },
	{ "/trailing ", ERR_BAD_REQUEST },
	{ "/\xff", ERR_BAD_REQUEST },
	{ "/\xc3", ERR_BAD_REQUEST },
	{ "/\xc0\xaf", ERR_BAD_REQUEST },
	{ "/\xed\xa0\x80", ERR_BAD_REQUEST },
	{ "/%00", ERR_BAD_REQUEST },
	{ "/a%0a", ERR_BAD_REQUEST },
	{ "/a%0d%0a", ERR_BAD_REQUEST },
	{ "/a%7f", ERR_BAD_REQUEST },
	{ "/a%", ERR_BAD_REQUEST },
	{ "/a%4", ERR_BAD_REQUEST },
	{ "/a%zz", ERR_BAD_REQUEST },
	{ "/%c3", ERR_BAD_REQUEST },
	{ "/%c0%ae%c0%ae/", ERR_BAD_REQUEST },
	{ "/%ff", ERR_BAD_REQUEST },
};

static void
test_check_path(void)
{
	char	*p;
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(path_cases); i++)
		UNIT_CHECK(req_check_path(path_cases[i].path) ==
		    path_cases[i].rc, "row %zu: \"%s\"", i,
		    path_cases[i].path);

	/* REQ_MAXPATH bytes are fine, one more is refused. */
	p = malloc(REQ_MAXPATH + 2);
	CU_ASSERT_FATAL(p != NULL);
	memset(p, 'a', REQ_MAXPATH + 1);
	p[0] = '/';
	p[REQ_MAXPATH] = '\0';
	CU_ASSERT_EQUAL(strlen(p), 4096);
	CU_ASSERT_EQUAL(req_check_path(p), ERR_OK);
	p[REQ_MAXPATH] = 'a';
	p[REQ_MAXPATH + 1] = '\0';
	CU_ASSERT_EQUAL(req_check_path(p), ERR_BAD_REQUEST);
	free(p);
}

/* ------------------------------------------------------------ intake */

#define MAXP	16

struct intake_case {
	const char	*name;
	const char	*params[MAXP];	/* NULL-terminated */
	enum err	 rc;
	/* checked when rc == ERR_OK */
	enum http_method method;
	const char	*path;
	const char	*query;
	long long	 clen;
};

#define GET	"REQUEST_METHOD=GET"
#define LIVEZ	"REQUEST_URI=/api/livez"

static const struct intake_case intake_cases[] = {
	{ "minimal GET", { GET, LIVEZ }, ERR_OK, M_GET, "/api/livez", "",
	    -1 },
	{ "query split", { GET, "REQUEST_URI=/api/livez?a=b&c=%20d" },
	    ERR_OK, M_GET, "/api/livez", "a=b&c=%20d", -1 },
	{ "empty query", { GET, "REQUEST_URI=/x?" }, ERR_OK, M_GET, "/x",
	    "", -1 },
	{ "split at first ?", { GET, "REQUEST_URI=/x?a?b=/c" }, ERR_OK,
	    M_GET, "/x", "a?b=/c", -1 },
	{ "POST", { "REQUEST_METHOD=POST", LIVEZ }, ERR_OK, M_POST,
	    "/api/livez", "", -1 },
	{ "PUT", { "REQUEST_METHOD=PUT", LIVEZ }, ERR_OK, M_PUT,
	    "/api/livez", "", -1 },
	{ "PATCH", { "REQUEST_METHOD=PATCH", LIVEZ }, ERR_OK, M_PATCH,
	    "/api/livez", "", -1 },
	{ "DELETE", { "REQUEST_METHOD=DELETE", LIVEZ }, ERR_OK, M_DELETE,
	    "/api/livez", "", -1 },
	{ "unknown method", { "REQUEST_METHOD=BREW", LIVEZ }, ERR_OK,
	    M_OTHER, "/api/livez", "", -1 },
	{ "lower-case method", { "REQUEST_METHOD=get", LIVEZ }, ERR_OK,
	    M_OTHER, "/api/livez", "", -1 },
	{ "method with suffix", { "REQUEST_METHOD=GETX", LIVEZ }, ERR_OK,
	    M_OTHER, "/api/livez", "", -1 },
	{ "order does not matter", { "HTTP_HOST=x", LIVEZ, "SERVER_PORT=80",
	    GET }, ERR_OK, M_GET, "/api/livez", "", -1 },
	{ "other params may repeat", { GET, LIVEZ, "HTTP_USER_AGENT=a",
	    "HTTP_USER_AGENT=b", "HTTP_ACCEPT=x", "HTTP_ACCEPT=y" }, ERR_OK,
	    M_GET, "/api/livez", "", -1 },
	{ "prefix names are other params", { GET, LIVEZ,
	    "REQUEST_URIX=/other", "REQUEST_METHODS=POST", "HTTP_COOKIE2=a",
	    "XREQUEST_URI=/y" }, ERR_OK, M_GET, "/api/livez", "", -1 },

	{ "no params", { NULL }, ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "missing REQUEST_METHOD", { LIVEZ }, ERR_BAD_REQUEST, 0, NULL,
	    NULL, 0 },
	{ "missing REQUEST_URI", { GET }, ERR_BAD_REQUEST, 0, NULL, NULL,
	    0 },
	{ "REQUEST_METHOD without =", { "REQUEST_METHOD", LIVEZ },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "REQUEST_URI without =", { GET, "REQUEST_URI" }, ERR_BAD_REQUEST,
	    0, NULL, NULL, 0 },
	{ "empty REQUEST_URI", { GET, "REQUEST_URI=" }, ERR_BAD_REQUEST, 0,
	    NULL, NULL, 0 },
	{ "query only", { GET, "REQUEST_URI=?a=b" }, ERR_BAD_REQUEST, 0,
	    NULL, NULL, 0 },
	{ "relative path", { GET, "REQUEST_URI=api/livez" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "absolute URI", { GET, "REQUEST_URI=http://x/api/livez" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "space in path", { GET, "REQUEST_URI=/a b" }, ERR_BAD_REQUEST, 0,
	    NULL, NULL, 0 },
	{ "%00 in path", { GET, "REQUEST_URI=/a%00" }, ERR_BAD_REQUEST, 0,
	    NULL, NULL, 0 },
	{ "bad escape in path", { GET, "REQUEST_URI=/a%zz?x=1" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "invalid UTF-8 path", { GET, "REQUEST_URI=/\xc0\xaf" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "invalid UTF-8 query", { GET, "REQUEST_URI=/x?a=\xff" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },

	/* CONTENT_LENGTH */
	{ "CONTENT_LENGTH 0", { GET, LIVEZ, "CONTENT_LENGTH=0" }, ERR_OK,
	    M_GET, "/api/livez", "", 0 },
	{ "CONTENT_LENGTH 12", { "REQUEST_METHOD=POST", LIVEZ,
	    "CONTENT_LENGTH=12" }, ERR_OK, M_POST, "/api/livez", "", 12 },
	{ "CONTENT_LENGTH empty is absent", { GET, LIVEZ,
	    "CONTENT_LENGTH=" }, ERR_OK, M_GET, "/api/livez", "", -1 },
	{ "CONTENT_LENGTH max_snapshot_body", { "REQUEST_METHOD=PUT", LIVEZ,
	    "CONTENT_LENGTH=12582912" }, ERR_OK, M_PUT, "/api/livez", "",
	    12582912 },
	{ "CONTENT_LENGTH -1", { GET, LIVEZ, "CONTENT_LENGTH=-1" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH 12x", { GET, LIVEZ, "CONTENT_LENGTH=12x" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH x", { GET, LIVEZ, "CONTENT_LENGTH=x" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH +12", { GET, LIVEZ, "CONTENT_LENGTH=+12" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH leading space", { GET, LIVEZ,
	    "CONTENT_LENGTH= 12" }, ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH trailing space", { GET, LIVEZ,
	    "CONTENT_LENGTH=12 " }, ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH hex", { GET, LIVEZ, "CONTENT_LENGTH=0x10" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH exponent", { GET, LIVEZ, "CONTENT_LENGTH=1e3" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH 1.0", { GET, LIVEZ, "CONTENT_LENGTH=1.0" },
	    ERR_BAD_REQUEST, 0, NULL, NULL, 0 },
	{ "CONTENT_LENGTH over max_snapshot_body", { "REQUEST_METHOD=PUT",
	    LIVEZ, "CONTENT_LENGTH=12582913" }, ERR_PAYLOAD_TOO_LARGE, 0,
	    NULL, NULL, 0 },
	{ "CONTENT_LENGTH 2^31", { "REQUEST_METHOD=POST", LIVEZ,
	    "CONTENT_LENGTH=2147483648" }, ERR_PAYLOAD_TOO_LARGE, 0, NULL,
	    NULL, 0 },
	{ "CONTENT_LENGTH 2^63", { "REQUEST_METHOD=POST", LIVEZ,
	    "CONTENT_LENGTH=9223372036854775808" }, ERR_PAYLOAD_TOO_LARGE, 0,
	    NULL, NULL, 0 },
	{ "CONTENT_LENGTH 30 digits", { "REQUEST_METHOD=POST", LIVEZ,
	    "CONTENT_LENGTH=999999999999999999999999999999" },
	    ERR_PAYLOAD_TOO_LARGE, 0, NULL, NULL, 0 },
};

/* Copy a NULL-terminated list into a freshly allocated envp. */
static char **
make_envp(const char *const *params, size_t n)
{
	char	**envp;
	size_t	  i;

	envp = calloc(n + 1, sizeof(*envp));
	CU_ASSERT_FATAL(envp != NULL);
	for (i = 0; i < n; i++) {
		envp[i] = strdup(params[i]);
		CU_ASSERT_FATAL(envp[i] != NULL);
	}
	return envp;
}

static void
free_envp(char **envp)
{
	size_t	 i;

	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	free(envp);
}

/* One intake of n params under cf: the request and its environment. */
struct intake {
	struct req	  rq;
	char		**envp;
};

static enum err
intake(struct intake *t, const char *const *params, size_t n,
    const struct conf *cf)
{
	t->envp = make_envp(params, n);
	req_init(&t->rq);
	return req_intake(&t->rq, t->envp, cf);
}

static void
intake_done(struct intake *t)
{
	req_free(&t->rq);
	free_envp(t->envp);
}

static size_t
count_params(const char *const *params)
{
	size_t	 n = 0;

	while (n < MAXP && params[n] != NULL)
		n++;
	return n;
}

static void
test_intake_table(void)
{
	const struct intake_case	*c;
	const struct conf		*cf = default_conf();
	struct intake			 t;
	size_t				 i;
	enum err			 rc;

	for (i = 0; i < UNIT_NCASES(intake_cases); i++) {
		c = &intake_cases[i];
		rc = intake(&t, c->params, count_params(c->params), cf);
		UNIT_CHECK(rc == c->rc, "%s: rc %d want %d", c->name, rc,
		    c->rc);
		if (rc == ERR_OK && c->rc == ERR_OK) {
			UNIT_CHECK(t.rq.rq_method == c->method,
			    "%s: method %d", c->name, t.rq.rq_method);
			UNIT_CHECK(unit_streq(t.rq.rq_path, c->path),
			    "%s: path %s", c->name, UNIT_S(t.rq.rq_path));
			UNIT_CHECK(unit_streq(t.rq.rq_query, c->query),
			    "%s: query %s", c->name, UNIT_S(t.rq.rq_query));
			UNIT_CHECK(t.rq.rq_clen == c->clen, "%s: clen %lld",
			    c->name, t.rq.rq_clen);
		}
		intake_done(&t);
	}
}

/* Every security-relevant parameter, given twice, is a 400. */
static const char *const unique_names[] = {
	"REQUEST_METHOD", "REQUEST_URI", "QUERY_STRING", "CONTENT_LENGTH",
	"CONTENT_TYPE", "HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_ORIGIN",
	"HTTP_SEC_FETCH_SITE", "HTTP_X_SECOND_WORKSPACE_ID", "REMOTE_USER",
	"HTTPS",
};

static const char *
sample_value(const char *name)
{
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "GET";
	if (strcmp(name, "REQUEST_URI") == 0)
		return "/api/livez";
	if (strcmp(name, "CONTENT_LENGTH") == 0)
		return "0";
	return "v";
}

static void
test_intake_duplicates(void)
{
	const struct conf	*cf = default_conf();
	const char		*params[8];
	char			 a[64], b[64];
	struct intake		 t;
	size_t			 i, n, same;
	enum err		 rc;

	for (i = 0; i < UNIT_NCASES(unique_names); i++)
		for (same = 0; same < 2; same++) {
			snprintf(a, sizeof(a), "%s=%s", unique_names[i],
			    sample_value(unique_names[i]));
			/* Same value twice, or a different second value. */
			snprintf(b, sizeof(b), "%s=%s", unique_names[i],
			    same ? sample_value(unique_names[i]) : "");
			n = 0;
			if (strcmp(unique_names[i], "REQUEST_METHOD") != 0)
				params[n++] = GET;
			if (strcmp(unique_names[i], "REQUEST_URI") != 0)
				params[n++] = LIVEZ;
			params[n++] = a;
			params[n++] = "HTTP_HOST=example";
			params[n++] = b;
			params[n] = NULL;
			rc = intake(&t, params, n, cf);
			UNIT_CHECK(rc == ERR_BAD_REQUEST, "%s twice (%s): rc "
			    "%d", unique_names[i], same ? "same value" :
			    "second empty", rc);
			intake_done(&t);

			/* Once is fine. */
			params[n - 1] = NULL;
			rc = intake(&t, params, n - 1, cf);
			UNIT_CHECK(rc == ERR_OK, "%s once: rc %d",
			    unique_names[i], rc);
			intake_done(&t);
		}
}

/* The kept parameters are owned copies; absent ones are NULL. */
static void
test_intake_slots(void)
{
	static const char *const params[] = {
		GET, "REQUEST_URI=/api/livez?q=1",
		"CONTENT_TYPE=application/json",
		"HTTP_COOKIE=second_session=abc; x=y",
		"HTTP_AUTHORIZATION=Bearer t0ken",
		"HTTP_ORIGIN=https://example.org",
		"HTTP_SEC_FETCH_SITE=same-origin",
		"HTTP_X_SECOND_WORKSPACE_ID=0123456789abcdef01234567",
		"HTTP_X_SECOND_ASSERTION=a.b.c",
		"REMOTE_USER=alice",
		"CONTENT_LENGTH=5",
	};
	const struct conf	*cf = default_conf();
	struct req		 rq;
	char			**envp;

	envp = make_envp(params, UNIT_NCASES(params));
	req_init(&rq);
	CU_ASSERT_EQUAL_FATAL(req_intake(&rq, envp, cf), ERR_OK);
	free_envp(envp);	/* nothing may point into it */
	CU_ASSERT_TRUE(unit_streq(rq.rq_ctype, "application/json"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_cookie, "second_session=abc; x=y"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_authz, "Bearer t0ken"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_origin, "https://example.org"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_fetch_site, "same-origin"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_ws_header,
	    "0123456789abcdef01234567"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_assertion, "a.b.c"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_remote_user, "alice"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_path, "/api/livez"));
	CU_ASSERT_TRUE(unit_streq(rq.rq_query, "q=1"));
	CU_ASSERT_EQUAL(rq.rq_clen, 5);
	CU_ASSERT_PTR_NULL(rq.rq_prov_email);
	CU_ASSERT_PTR_NULL(rq.rq_prov_name);
	CU_ASSERT_PTR_NULL(rq.rq_body);
	CU_ASSERT_EQUAL(rq.rq_nargs, 0);
	req_free(&rq);
	req_free(&rq);		/* twice is safe */

	envp = make_envp(params, 2);
	req_init(&rq);
	CU_ASSERT_EQUAL(req_intake(&rq, envp, cf), ERR_OK);
	CU_ASSERT_PTR_NULL(rq.rq_ctype);
	CU_ASSERT_PTR_NULL(rq.rq_cookie);
	CU_ASSERT_PTR_NULL(rq.rq_authz);
	CU_ASSERT_PTR_NULL(rq.rq_origin);
	CU_ASSERT_PTR_NULL(rq.rq_fetch_site);
	CU_ASSERT_PTR_NULL(rq.rq_ws_header);
	CU_ASSERT_PTR_NULL(rq.rq_assertion);
	CU_ASSERT_PTR_NULL(rq.rq_remote_user);
	CU_ASSERT_EQUAL(rq.rq_clen, -1);
	req_free(&rq);
	free_envp(envp);
}

/* The configured provider params are kept and refused when doubled. */
static void
test_intake_provider_params(void)
{
	static const char *const once[] = { GET, LIVEZ,
	    "SECOND_AUTH_EMAIL=a@example.org", "SECOND_AUTH_NAME=Alice" };
	static const char *const email2[] = { GET, LIVEZ,
	    "SECOND_AUTH_EMAIL=a@example.org", "SECOND_AUTH_NAME=Alice",
	    "SECOND_AUTH_EMAIL=b@example.org" };
	static const char *const name2[] = { GET, LIVEZ,
	    "SECOND_AUTH_NAME=Alice", "SECOND_AUTH_NAME=Alice",
	    "SECOND_AUTH_EMAIL=a@example.org" };
	struct conf	 cf;
	struct intake	 t;
	char		 err[256] = "";
	int		 lrc;

	unit_clear_env();
	setenv("SECOND_AUTH_MODE", "external", 1);
	setenv("SECOND_AUTH_PROVIDER", "webserver", 1);
	setenv("SECOND_PROVIDER_EMAIL_PARAM", "SECOND_AUTH_EMAIL", 1);
	setenv("SECOND_PROVIDER_NAME_PARAM", "SECOND_AUTH_NAME", 1);
	lrc = conf_load(&cf, NULL, false, err, sizeof(err));
	unit_clear_env();
	UNIT_CHECK(lrc == 0, "conf_load: %s", err);
	if (lrc != 0) {
		conf_free(&cf);
		return;
	}

	CU_ASSERT_EQUAL(intake(&t, once, UNIT_NCASES(once), &cf), ERR_OK);
	CU_ASSERT_TRUE(unit_streq(t.rq.rq_prov_email, "a@example.org"));
	CU_ASSERT_TRUE(unit_streq(t.rq.rq_prov_name, "Alice"));
	intake_done(&t);

	CU_ASSERT_EQUAL(intake(&t, email2, UNIT_NCASES(email2), &cf),
	    ERR_BAD_REQUEST);
	intake_done(&t);

	CU_ASSERT_EQUAL(intake(&t, name2, UNIT_NCASES(name2), &cf),
	    ERR_BAD_REQUEST);
	intake_done(&t);

	/* Without the configuration the same params mean nothing. */
	CU_ASSERT_EQUAL(intake(&t, email2, UNIT_NCASES(email2), default_conf()),
	    ERR_OK);
	CU_ASSERT_PTR_NULL(t.rq.rq_prov_email);
	intake_done(&t);
	conf_free(&cf);
}

/*
 * An identity assertion sent twice is not a 400 but no identity: intake
 * succeeds and keeps neither copy.
 */
static void
test_intake_assertion_twice(void)
{
	static const char *const once[] = { GET, LIVEZ,
	    "HTTP_X_SECOND_ASSERTION=a.b.c" };
	static const char *const twice[] = { GET, LIVEZ,
	    "HTTP_X_SECOND_ASSERTION=a.b.c", "HTTP_HOST=x",
	    "HTTP_X_SECOND_ASSERTION=d.e.f" };
	struct intake	 t;

	CU_ASSERT_EQUAL(intake(&t, once, UNIT_NCASES(once), default_conf()),
	    ERR_OK);
	CU_ASSERT_TRUE(unit_streq(t.rq.rq_assertion, "a.b.c"));
	intake_done(&t);

	CU_ASSERT_EQUAL(intake(&t, twice, UNIT_NCASES(twice), default_conf()),
	    ERR_OK);
	CU_ASSERT_PTR_NULL(t.rq.rq_assertion);
	intake_done(&t);
}

/* cf_max_params params pass, one more is a 400. */
static void
test_intake_max_params(void)
{
	const struct conf	*cf = default_conf();
	struct req		 rq;
	char			**envp;
	size_t			 i, max = (size_t)cf->cf_max_params;

	CU_ASSERT_EQUAL_FATAL(max, 200);
	envp = calloc(max + 2, sizeof(*envp));
	CU_ASSERT_FATAL(envp != NULL);
	envp[0] = strdup(GET);
	envp[1] = strdup(LIVEZ);
	for (i = 2; i < max + 1; i++) {
		envp[i] = malloc(32);
		CU_ASSERT_FATAL(envp[i] != NULL);
		snprintf(envp[i], 32, "HTTP_X_%zu=1", i);
	}
	/* Exactly max. */
	free(envp[max]);
	envp[max] = NULL;
	req_init(&rq);
	CU_ASSERT_EQUAL(req_intake(&rq, envp, cf), ERR_OK);
	req_free(&rq);
	/* max + 1. */
	envp[max] = strdup("HTTP_X_LAST=1");
	req_init(&rq);
	CU_ASSERT_EQUAL(req_intake(&rq, envp, cf), ERR_BAD_REQUEST);
	req_free(&rq);
	free_envp(envp);
}

/*
 * cf_max_params_bytes: one big parameter puts the total a little under
 * the cap (counting name, "=" and value) or one byte over it (counting
 * only name and value).
 */
static void
test_intake_max_bytes(void)
{
	const struct conf	*cf = default_conf();
	struct req		 rq;
	char			*envp[4], *big;
	size_t			 max = (size_t)cf->cf_max_params_bytes, base,
				 vlen;

	CU_ASSERT_EQUAL_FATAL(max, 65536);
	big = malloc(max + 16);
	CU_ASSERT_FATAL(big != NULL);
	envp[0] = strdup(GET);
	envp[1] = strdup(LIVEZ);
	envp[2] = big;
	envp[3] = NULL;
	/* Name+value bytes of the first two entries. */
	base = (strlen(GET) - 1) + (strlen(LIVEZ) - 1);

	/* Total, "=" included, exactly the cap. */
	vlen = max - (strlen(GET) + strlen(LIVEZ) + strlen("HTTP_X_BIG="));
	memcpy(big, "HTTP_X_BIG=", 11);
	memset(big + 11, 'v', vlen);
	big[11 + vlen] = '\0';
	req_init(&rq);
	CU_ASSERT_EQUAL(req_intake(&rq, envp, cf), ERR_OK);
	req_free(&rq);

	/* Name+value bytes one over the cap. */
	vlen = max + 1 - base - strlen("HTTP_X_BIG");
	memset(big + 11, 'v', vlen);
	big[11 + vlen] = '\0';
	req_init(&rq);
	CU_ASSERT_EQUAL(req_intake(&rq, envp, cf), ERR_BAD_REQUEST);
	req_free(&rq);

	free(envp[0]);
	free(envp[1]);
	free(big);
}

/* ------------------------------------------------------------- query */

struct query_case {
	const char	*query;
	const char	*name;
	enum err	 rc;
	const char	*value;		/* NULL: absent */
};

static const struct query_case query_cases[] = {
	{ "", "a", ERR_OK, NULL },
	{ "a=1", "a", ERR_OK, "1" },
	{ "a=1&b=2", "a", ERR_OK, "1" },
	{ "a=1&b=2", "b", ERR_OK, "2" },
	{ "a=1&b=2", "c", ERR_OK, NULL },
	{ "a=", "a", ERR_OK, "" },
	{ "a=1=2", "a", ERR_OK, "1=2" },
	{ "aa=1&a=2", "a", ERR_OK, "2" },
	{ "a=1&aa=2", "aa", ERR_OK, "2" },
	{ "ab=1", "a", ERR_OK, NULL },
	{ "xa=1", "a", ERR_OK, NULL },
	{ "&&a=1&&", "a", ERR_OK, "1" },
	{ "a=x+y%20z", "a", ERR_OK, "x y z" },
	{ "a=%2B", "a", ERR_OK, "+" },
	{ "a=%2b+%2B", "a", ERR_OK, "+ +" },
	{ "a=%26b%3Dc", "a", ERR_OK, "&b=c" },
	{ "a=caf%C3%A9", "a", ERR_OK, "caf\xc3\xa9" },
	{ "b=%zz&a=1", "a", ERR_OK, "1" },
	{ "b=1&b=2&a=1", "a", ERR_OK, "1" },
	{ "a=1&a=2", "a", ERR_BAD_REQUEST, NULL },
	{ "a=1&a=1", "a", ERR_BAD_REQUEST, NULL },
	{ "a=&a=", "a", ERR_BAD_REQUEST, NULL },
	{ "a=1&b=2&a=3", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%zz", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%4", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%00", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%0a", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%ff", "a", ERR_BAD_REQUEST, NULL },
	{ "a=%c0%80", "a", ERR_BAD_REQUEST, NULL },
};

static void
test_query_get(void)
{
	const struct query_case	*c;
	struct req		 rq;
	char			*v;
	size_t			 i;
	enum err		 rc;

	for (i = 0; i < UNIT_NCASES(query_cases); i++) {
		c = &query_cases[i];
		req_init(&rq);
		rq.rq_query = strdup(c->query);
		CU_ASSERT_FATAL(rq.rq_query != NULL);
		v = (char *)&v;
		rc = req_query_get(&rq, c->name, &v);
		UNIT_CHECK(rc == c->rc, "row %zu \"%s\" %s: rc %d want %d", i,
		    c->query, c->name, rc, c->rc);
		if (rc == ERR_OK)
			UNIT_CHECK(unit_streq(v, c->value), "row %zu \"%s\" "
			    "%s: got %s want %s", i, c->query, c->name,
			    UNIT_S(v), UNIT_S(c->value));
		else
			UNIT_CHECK(v == NULL, "row %zu: value set on error",
			    i);
		if (v != (char *)&v)
			free(v);
		req_free(&rq);
	}
}

/* ------------------------------------------------------------ cookie */

struct cookie_case {
	const char	*header;	/* NULL: no Cookie header */
	const char	*name;
	const char	*value;		/* NULL: absent */
};

static const struct cookie_case cookie_cases[] = {
	{ NULL, "second_session", NULL },
	{ "", "second_session", NULL },
	{ "second_session=abc", "second_session", "abc" },
	{ "x=y; second_session=abc", "second_session", "abc" },
	{ "second_session=abc; x=y", "second_session", "abc" },
	{ "a=1;second_session=abc;b=2", "second_session", "abc" },
	{ "second_session_old=1; second_session=abc", "second_session",
	    "abc" },
	{ "xsecond_session=1", "second_session", NULL },
	{ "xsecond_session=1; second_session=2", "second_session", "2" },
	{ "second_session", "second_session", NULL },
	{ "second_sessio=1", "second_session", NULL },
	{ "second_session=", "second_session", "" },
	{ "second_session=a=b", "second_session", "a=b" },
	{ "second_session=first; second_session=second", "second_session",
	    "first" },
	{ "x=second_session=abc", "second_session", NULL },
	{ "__Host-second_session=h; second_session=p",
	    "__Host-second_session", "h" },
	{ "second_session=p; __Host-second_session=h",
	    "__Host-second_session", "h" },
	{ "a=1", "a", "1" },
	{ "A=1", "a", NULL },
};

static void
test_cookie_get(void)
{
	const struct cookie_case	*c;
	struct req			 rq;
	const char			*v;
	size_t				 i, len;

	for (i = 0; i < UNIT_NCASES(cookie_cases); i++) {
		c = &cookie_cases[i];
		req_init(&rq);
		if (c->header != NULL) {
			rq.rq_cookie = strdup(c->header);
			CU_ASSERT_FATAL(rq.rq_cookie != NULL);
		}
		len = 12345;
		v = req_cookie_get(&rq, c->name, &len);
		if (c->value == NULL)
			UNIT_CHECK(v == NULL, "row %zu \"%s\": found %.*s", i,
			    UNIT_S(c->header), v ? (int)len : 0, v ? v : "");
		else
			UNIT_CHECK(v != NULL && len == strlen(c->value) &&
			    memcmp(v, c->value, len) == 0, "row %zu \"%s\": "
			    "got %.*s want %s", i, c->header,
			    v ? (int)len : 6, v ? v : "(null)", c->value);
		req_free(&rq);
	}
}

static void
test_method_name(void)
{
	CU_ASSERT_STRING_EQUAL(req_method_name(M_GET), "GET");
	CU_ASSERT_STRING_EQUAL(req_method_name(M_POST), "POST");
	CU_ASSERT_STRING_EQUAL(req_method_name(M_PUT), "PUT");
	CU_ASSERT_STRING_EQUAL(req_method_name(M_PATCH), "PATCH");
	CU_ASSERT_STRING_EQUAL(req_method_name(M_DELETE), "DELETE");
	CU_ASSERT_STRING_EQUAL(req_method_name(M_OTHER), "OTHER");
	CU_ASSERT_STRING_EQUAL(req_method_name(M__MAX), "OTHER");
}

static const struct unit_case cases[] = {
	{ "pct_decode table", test_pct_decode },
	{ "pct_decode honours len", test_pct_decode_len },
	{ "pct_decode every escape", test_pct_decode_every_escape },
	{ "check_path", test_check_path },
	{ "intake table", test_intake_table },
	{ "intake duplicated security params", test_intake_duplicates },
	{ "intake kept params", test_intake_slots },
	{ "intake provider params", test_intake_provider_params },
	{ "intake assertion twice is no identity",
	    test_intake_assertion_twice },
	{ "intake max_params", test_intake_max_params },
	{ "intake max_params_bytes", test_intake_max_bytes },
	{ "query_get", test_query_get },
	{ "cookie_get", test_cookie_get },
	{ "method names", test_method_name },
};

UNIT_MAIN("req", cases)
