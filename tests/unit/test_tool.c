/*
 * test_tool: a custom tool's outbound request (tool.c): placeholder
 * syntax, input and secret filling, the encoding of each place (URL
 * path and query, headers, JSON body) against injection attempts, the
 * not-ready answer, secret names, the mock pick, and that no error
 * message ever holds a secret value.
 *
 * Every fixture is a tool that agents_validate accepts, found with
 * agents_find_agent_tool as the route finds it.  In fixture text a
 * single quote stands for a double quote.
 */
#include "config.h"

#include <stdint.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "buf.h"
#include "err.h"
#include "tool.h"
#include "unit.h"

#define SECRET_VALUE	"sk-live-Zq9!x"

static const struct tool_secret SECRETS[] = {
	{ "API_KEY", SECRET_VALUE },
	{ "TENANT", "t 1/2" },
};
#define NSECRETS	UNIT_NCASES(SECRETS)

/* ------------------------------------------------------------ helpers */

/* A copy of s with every ' turned into ". */
static char *
dq(const char *s)
{
	char	*t = strdup(s), *p;

	CU_ASSERT_FATAL(t != NULL);
	for (p = t; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return t;
}

/* An approved document with one agent "a" and its custom tool "t". */
static json_object *
doc_of(const char *endpoint)
{
	struct buf		 b = BUF_INIT;
	struct agents_err	 ae;
	json_object		*doc;
	char			*ep = dq(endpoint);

	buf_printf(&b, "{\"agents\":[{\"id\":\"a\",\"name\":\"A\","
	    "\"tools\":[{\"type\":\"custom\",\"name\":\"t\","
	    "\"integration\":{\"name\":\"Example\","
	    "\"domain\":\"api.example.com\"},\"endpoint\":%s,"
	    "\"mockData\":[{\"n\":1},{\"n\":2},{\"n\":3}]}]}]}", ep);
	CU_ASSERT_FATAL(buf_ok(&b));
	doc = unit_parse(b.b_data);
	CU_ASSERT_FATAL(doc != NULL);
	UNIT_CHECK(agents_validate(doc, &ae) == 0,
	    "fixture refused: %s: %s", ae.ae_field, UNIT_S(ae.ae_msg));
	CU_ASSERT_FATAL(agents_normalize(doc) == 0);
	buf_free(&b);
	free(ep);
	return doc;
}

/* The outcome of one build. */
struct res {
	enum err	 rc;
	struct tool_req	 r;
	struct tool_err	 e;
};

/*
 * Build the tool of endpoint with input (JSON text with ' for ", or
 * NULL for none) and the given secrets.
 */
static void
build_s(const char *endpoint, const char *input,
    const struct tool_secret *sec, size_t nsec, struct res *out)
{
	json_object	*doc = doc_of(endpoint), *tool, *in = NULL;
	char		*t;

	tool = agents_find_agent_tool(doc, "a", "t");
	CU_ASSERT_FATAL(tool != NULL);
	if (input != NULL) {
		t = dq(input);
		in = unit_parse(t);
		free(t);
	}
	out->rc = tool_build(tool, in, sec, nsec, &out->r, &out->e);
	/* A failed build leaves nothing behind. */
	if (out->rc != ERR_OK)
		UNIT_CHECK(out->r.tr_url == NULL && out->r.tr_headers == NULL &&
		    out->r.tr_body == NULL && out->r.tr_nheaders == 0,
		    "failed build left a request");
	json_object_put(in);
	json_object_put(doc);
}

static void
build(const char *endpoint, const char *input, struct res *out)
{
	build_s(endpoint, input, SECRETS, NSECRETS, out);
}

/* The build succeeds with URL want_url. */
static void
expect_url(int line, const char *endpoint, const char *input,
    const char *want_url)
{
	struct res	 x;

	build(endpoint, input, &x);
	UNIT_CHECK(x.rc == ERR_OK, "line %d: rc %d (%s: %s)", line, x.rc,
	    x.e.te_field, x.e.te_msg);
	UNIT_CHECK(unit_streq(x.r.tr_url, want_url),
	    "line %d: url %s, want %s", line, UNIT_S(x.r.tr_url), want_url);
	tool_req_free(&x.r);
}

/*
 * The build fails with rc, te_field field, and a message that holds
 * msg_part (NULL: not checked).
 */
static void
expect_fail(int line, const char *endpoint, const char *input,
    enum err rc, const char *field, const char *msg_part)
{
	struct res	 x;

	build(endpoint, input, &x);
	UNIT_CHECK(x.rc == rc, "line %d: rc %d, want %d (%s: %s)", line,
	    x.rc, rc, x.e.te_field, x.e.te_msg);
	UNIT_CHECK(unit_streq(x.e.te_field, field), "line %d: field %s, "
	    "want %s", line, x.e.te_field, field);
	if (msg_part != NULL)
		UNIT_CHECK(strstr(x.e.te_msg, msg_part) != NULL,
		    "line %d: message \"%s\" lacks \"%s\"", line, x.e.te_msg,
		    msg_part);
	UNIT_CHECK(x.e.te_msg[0] != '\0', "line %d: no message", line);
	tool_req_free(&x.r);
}

/* The authority of an https URL (up to the first /, ? or #). */
static size_t
authority_len(const char *url)
{
	return strcspn(url + strlen("https://"), "/?#");
}

/* ------------------------------------------------------------- basics */

static void
test_basic_get(void)
{
	struct res	 x;

	build("{'method':'GET','url':'https://api.example.com/v1/search"
	    "?q={{query}}','headers':{'X-Api-Key':'{{secrets.API_KEY}}',"
	    "'Accept':'application/json'}}", "{'query':'tesla'}", &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	CU_ASSERT_STRING_EQUAL(x.r.tr_method, "GET");
	CU_ASSERT_STRING_EQUAL(x.r.tr_url,
	    "https://api.example.com/v1/search?q=tesla");
	CU_ASSERT_STRING_EQUAL(x.r.tr_domain, "api.example.com");
	CU_ASSERT_EQUAL_FATAL(x.r.tr_nheaders, 2);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[0],
	    "X-Api-Key: " SECRET_VALUE);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[1], "Accept: application/json");
	CU_ASSERT_PTR_NULL(x.r.tr_body);
	CU_ASSERT_EQUAL(x.r.tr_body_len, 0);
	tool_req_free(&x.r);
	/* Freeing twice is harmless. */
	tool_req_free(&x.r);
	CU_ASSERT_PTR_NULL(x.r.tr_url);
}

/* A builtin tool (no endpoint) is not executed here. */
static void
test_builtin(void)
{
	json_object	*tool = unit_parse("{\"type\":\"builtin\","
	    "\"name\":\"WebSearch\"}");
	struct tool_req	 r;
	struct tool_err	 e;

	CU_ASSERT_EQUAL(tool_build(tool, NULL, NULL, 0, &r, &e),
	    ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(e.te_field, "endpoint");
	CU_ASSERT_PTR_NULL(r.tr_url);
	json_object_put(tool);
}

/* ---------------------------------------------------------------- URL */

static const char EP_PATH[] =
    "{'method':'GET','url':'https://api.example.com/items/{{id}}/info'}";
static const char EP_QUERY[] =
    "{'method':'GET','url':'https://api.example.com/s?q={{q}}&n=1'}";

/* An input value never leaves its path segment or its query value. */
static void
test_url_encoding(void)
{
	static const struct {
		const char	*in, *path, *query;
	} rows[] = {
		{ "abc", "abc", "abc" },
		{ "A-z_0.9~", "A-z_0.9~", "A-z_0.9~" },
		{ "../admin", "..%2Fadmin", "..%2Fadmin" },
		{ "a/../../b", "a%2F..%2F..%2Fb", "a%2F..%2F..%2Fb" },
		{ "@evil.com", "%40evil.com", "%40evil.com" },
		{ "x@evil:443", "x%40evil%3A443", "x%40evil%3A443" },
		{ "#frag", "%23frag", "%23frag" },
		{ "%2F", "%252F", "%252F" },
		{ "%2e%2e", "%252e%252e", "%252e%252e" },
		{ "a&admin=1", "a%26admin%3D1", "a%26admin%3D1" },
		{ "x?y=z", "x%3Fy%3Dz", "x%3Fy%3Dz" },
		{ "a b+c", "a%20b%2Bc", "a%20b%2Bc" },
		{ "\\\\host", "%5Chost", "%5Chost" },
		{ "\\u00fc", "%C3%BC", "%C3%BC" },
		{ "\\r\\nX: 1", "%0D%0AX%3A%201", "%0D%0AX%3A%201" },
		{ "//evil.com", "%2F%2Fevil.com", "%2F%2Fevil.com" },
		{ ";,\\'", "%3B%2C%22", "%3B%2C%22" },
	};
	char	 in[256], want[512];
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(rows); i++) {
		snprintf(in, sizeof(in), "{'id':'%s'}", rows[i].in);
		snprintf(want, sizeof(want),
		    "https://api.example.com/items/%s/info", rows[i].path);
		expect_url(__LINE__, EP_PATH, in, want);
		snprintf(in, sizeof(in), "{'q':'%s'}", rows[i].in);
		snprintf(want, sizeof(want),
		    "https://api.example.com/s?q=%s&n=1", rows[i].query);
		expect_url(__LINE__, EP_QUERY, in, want);
	}
}

/* Whatever the input, the URL's authority is the tool's. */
static void
test_url_host_kept(void)
{
	static const char *const inputs[] = {
		"@evil.com", "evil.com/", "/evil.com", ":80@evil.com",
		".evil.com", "#@evil.com", "\\\\evil.com", "?.evil.com",
	};
	static const char *const eps[] = {
		"{'method':'GET','url':'https://api.example.com{{v}}'}",
		"{'method':'GET','url':'https://api.example.com/{{v}}'}",
		"{'method':'GET','url':'https://api.example.com?{{v}}'}",
	};
	struct res	 x;
	char		 in[128];
	size_t		 i, j;

	for (j = 0; j < UNIT_NCASES(eps); j++) {
		for (i = 0; i < UNIT_NCASES(inputs); i++) {
			snprintf(in, sizeof(in), "{'v':'%s'}", inputs[i]);
			build(eps[j], in, &x);
			if (j == 0) {
				/* Next to the host: refused outright. */
				UNIT_CHECK(x.rc == ERR_VALIDATION_FAILED &&
				    unit_streq(x.e.te_field, "endpoint.url"),
				    "ep %zu input %s: rc %d", j, inputs[i],
				    x.rc);
				continue;
			}
			UNIT_CHECK(x.rc == ERR_OK, "ep %zu input %s: rc %d "
			    "%s", j, inputs[i], x.rc, x.e.te_msg);
			if (x.rc != ERR_OK)
				continue;
			UNIT_CHECK(authority_len(x.r.tr_url) ==
			    strlen("api.example.com") &&
			    strncmp(x.r.tr_url, "https://api.example.com",
			    strlen("https://api.example.com")) == 0,
			    "ep %zu input %s: url %s", j, inputs[i],
			    x.r.tr_url);
			UNIT_CHECK(strchr(x.r.tr_url, '@') == NULL &&
			    strchr(x.r.tr_url, '#') == NULL, "url %s",
			    x.r.tr_url);
			tool_req_free(&x.r);
		}
	}
}

/* Placeholders may not touch the scheme, the authority or the fragment. */
static void
test_url_authority(void)
{
	static const char *const urls[] = {
		"https://{{host}}/x",
		"https://{{secrets.API_KEY}}/x",
		"https://api.example.com.{{host}}/x",
		"https://{{user}}@api.example.com/x",
		"https://api.example.com:{{port}}/x",
		"https://api{{x}}.example.com",
		"https://api.example.com/x#{{frag}}",
		"https://api.example.com/x?a=1#p{{frag}}",
	};
	char	 ep[256];
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(urls); i++) {
		snprintf(ep, sizeof(ep), "{'method':'GET','url':'%s'}",
		    urls[i]);
		expect_fail(__LINE__, ep, "{'host':'x'}",
		    ERR_VALIDATION_FAILED, "endpoint.url", "URL's");
	}
	/* A literal fragment is kept, after the query parameters. */
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/x#top','queryParams':{'a':'{{a}}'}}", "{'a':'#1'}",
	    "https://api.example.com/x?a=%231#top");
}

/* No input may make a path segment empty, "." or "..". */
static void
test_url_dot_segments(void)
{
	static const char *const bad[] = {
		"{'id':'.'}", "{'id':'..'}", "{'id':''}",
	};
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(bad); i++)
		expect_fail(__LINE__, EP_PATH, bad[i], ERR_VALIDATION_FAILED,
		    "toolInput", "{{id}}");
	/* Two placeholders that make ".." together. */
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/a/{{x}}{{y}}/b'}", "{'x':'.','y':'.'}",
	    ERR_VALIDATION_FAILED, "toolInput", "{{x}}");
	/* With a literal %2E beside it. */
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/a/{{x}}%2E/b'}", "{'x':'.'}", ERR_VALIDATION_FAILED,
	    "toolInput", "{{x}}");
	/* Dots inside a longer value, or in the query, are fine. */
	expect_url(__LINE__, EP_PATH, "{'id':'...'}",
	    "https://api.example.com/items/.../info");
	expect_url(__LINE__, EP_PATH, "{'id':'v1.2'}",
	    "https://api.example.com/items/v1.2/info");
	expect_url(__LINE__, EP_QUERY, "{'q':'..'}",
	    "https://api.example.com/s?q=..&n=1");
	expect_url(__LINE__, EP_QUERY, "{'q':''}",
	    "https://api.example.com/s?q=&n=1");
}

/* queryParams are appended, names and values percent-encoded. */
static void
test_query_params(void)
{
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s','queryParams':{'q':'{{query}}','limit':'10',"
	    "'key':'{{secrets.API_KEY}}','a b':'x y'}}",
	    "{'query':'a&admin=true#x'}",
	    "https://api.example.com/s?q=a%26admin%3Dtrue%23x&limit=10"
	    "&key=sk-live-Zq9%21x&a%20b=x%20y");
	/* After an existing query, and after a trailing "?" or "&". */
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s?v=2','queryParams':{'q':'{{query}}'}}", "{'query':'x'}",
	    "https://api.example.com/s?v=2&q=x");
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s?','queryParams':{'q':'{{query}}'}}", "{'query':'x'}",
	    "https://api.example.com/s?q=x");
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s?v=2&','queryParams':{'q':'{{query}}'}}", "{'query':'x'}",
	    "https://api.example.com/s?v=2&q=x");
	/* Literal text around a placeholder is encoded with it. */
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s','queryParams':{'filter':'name:{{n}}'}}", "{'n':'a=b'}",
	    "https://api.example.com/s?filter=name%3Aa%3Db");
	/* No placeholder in a parameter's name. */
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s','queryParams':{'{{k}}':'v'}}", "{'k':'x'}",
	    ERR_VALIDATION_FAILED, "endpoint.queryParams.{{k}}", "names");
}

/* Secrets are filled in every place, encoded for it. */
static void
test_secret_places(void)
{
	struct res	 x;

	build("{'method':'POST','url':'https://api.example.com/"
	    "{{secrets.TENANT}}/x?key={{secrets.API_KEY}}',"
	    "'headers':{'Authorization':'Bearer {{secrets.API_KEY}}'},"
	    "'queryParams':{'t':'{{secrets.TENANT}}'},"
	    "'body':{'key':'{{secrets.API_KEY}}','t':'{{ secrets.TENANT }}'}}",
	    NULL, &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	CU_ASSERT_STRING_EQUAL(x.r.tr_url, "https://api.example.com/"
	    "t%201%2F2/x?key=sk-live-Zq9%21x&t=t%201%2F2");
	CU_ASSERT_EQUAL_FATAL(x.r.tr_nheaders, 2);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[0],
	    "Authorization: Bearer " SECRET_VALUE);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[1],
	    "Content-Type: application/json");
	CU_ASSERT_STRING_EQUAL(x.r.tr_body,
	    "{\"key\":\"" SECRET_VALUE "\",\"t\":\"t 1/2\"}");
	CU_ASSERT_EQUAL(x.r.tr_body_len, strlen(x.r.tr_body));
	tool_req_free(&x.r);
}

/* ------------------------------------------------------------ headers */

static const char EP_HEADER[] = "{'method':'GET','url':'https://api."
    "example.com/x','headers':{'X-Q':'q={{q}}'}}";

static void
test_headers(void)
{
	static const char *const bad[] = {
		"{'q':'a\\r\\nX-Evil: 1'}", "{'q':'a\\nb'}", "{'q':'a\\rb'}",
		"{'q':'a\\u0000b'}", "{'q':'a\\u0001b'}", "{'q':'a\\u007fb'}",
	};
	struct tool_secret	 crlf[] = { { "API_KEY", "k\r\nX-Evil: 1" } };
	struct res		 x;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(bad); i++)
		expect_fail(__LINE__, EP_HEADER, bad[i], ERR_VALIDATION_FAILED,
		    "toolInput", "{{q}}");
	build(EP_HEADER, "{'q':'a\\tb \\\"c\\\" \\u00e9'}", &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	CU_ASSERT_EQUAL_FATAL(x.r.tr_nheaders, 1);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[0],
	    "X-Q: q=a\tb \"c\" \xc3\xa9");
	tool_req_free(&x.r);
	/* A secret with CR LF is refused too, at the header. */
	build_s("{'method':'GET','url':'https://api.example.com/x',"
	    "'headers':{'X-Key':'{{secrets.API_KEY}}'}}", NULL, crlf, 1, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(x.e.te_field, "endpoint.headers.X-Key");
	CU_ASSERT_PTR_NOT_NULL(strstr(x.e.te_msg, "{{secrets.API_KEY}}"));
	CU_ASSERT_PTR_NULL(strstr(x.e.te_msg, "X-Evil"));
	/* The HTTP client's own headers cannot be set by a tool. */
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/x','headers':{'host':'evil.com'}}", NULL,
	    ERR_VALIDATION_FAILED, "endpoint.headers.host", "HTTP client");
	expect_fail(__LINE__, "{'method':'POST','url':'https://api.example."
	    "com/x','headers':{'Transfer-Encoding':'chunked'}}", NULL,
	    ERR_VALIDATION_FAILED, "endpoint.headers.Transfer-Encoding",
	    NULL);
	expect_fail(__LINE__, "{'method':'POST','url':'https://api.example."
	    "com/x','headers':{'Content-Length':'1'}}", NULL,
	    ERR_VALIDATION_FAILED, "endpoint.headers.Content-Length", NULL);
}

/* ------------------------------------------------------------- body */

static const char EP_BODY[] = "{'method':'POST','url':'https://api."
    "example.com/x','body':{'q':'{{q}}','msg':'say {{q}}!',"
    "'list':['{{q}}',1,true,null],'n':'{{n}}','f':'{{f}}','o':'{{o}}',"
    "'s':'{{s}}','ns':'n={{n}}'}}";

static void
test_body(void)
{
	struct res	 x;

	/* Quotes, backslashes and a JSON break-out stay in the string. */
	build(EP_BODY, "{'q':'a\\\"b\\\\c\\\", \\\"admin\\\": true, \\\"x\\\": "
	    "\\\"','n':5,'f':true,'o':{'k':[1,2]},'s':'7'}", &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	/* RFC 8785 form: members sorted, strings escaped. */
	CU_ASSERT_STRING_EQUAL(x.r.tr_body,
	    "{\"f\":true,"
	    "\"list\":[\"a\\\"b\\\\c\\\", \\\"admin\\\": true, \\\"x\\\": "
	    "\\\"\",1,true,null],"
	    "\"msg\":\"say a\\\"b\\\\c\\\", \\\"admin\\\": true, \\\"x\\\": "
	    "\\\"!\",\"n\":5,\"ns\":\"n=5\",\"o\":{\"k\":[1,2]},"
	    "\"q\":\"a\\\"b\\\\c\\\", \\\"admin\\\": true, \\\"x\\\": \\\"\","
	    "\"s\":\"7\"}");
	CU_ASSERT_EQUAL(x.r.tr_body_len, strlen(x.r.tr_body));
	CU_ASSERT_EQUAL_FATAL(x.r.tr_nheaders, 1);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[0],
	    "Content-Type: application/json");
	tool_req_free(&x.r);
	/* An object in the middle of text has no text form. */
	expect_fail(__LINE__, "{'method':'POST','url':'https://api.example."
	    "com/x','body':{'m':'x {{o}}'}}", "{'o':{'a':1}}",
	    ERR_VALIDATION_FAILED, "toolInput", "{{o}}");
	/* A tool's own Content-Type is kept, none added. */
	build("{'method':'POST','url':'https://api.example.com/x',"
	    "'headers':{'content-type':'application/vnd.x+json'},"
	    "'body':'{{q}}'}", "{'q':'line\\nbreak'}", &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	CU_ASSERT_EQUAL_FATAL(x.r.tr_nheaders, 1);
	CU_ASSERT_STRING_EQUAL(x.r.tr_headers[0],
	    "content-type: application/vnd.x+json");
	CU_ASSERT_STRING_EQUAL(x.r.tr_body, "\"line\\nbreak\"");
	tool_req_free(&x.r);
	/*
	 * A body that is exactly one placeholder of a string value that
	 * cannot be sent: refused, and the input is left whole.
	 */
	expect_fail(__LINE__, "{'method':'POST','url':'https://api.example."
	    "com/x','body':'{{q}}'}", "{'q':'a\\u0000b'}",
	    ERR_VALIDATION_FAILED, "toolInput", "{{q}}");
	/* Placeholders go in values, not in member names. */
	expect_fail(__LINE__, "{'method':'POST','url':'https://api.example."
	    "com/x','body':{'{{k}}':1}}", "{'k':'a'}",
	    ERR_VALIDATION_FAILED, "endpoint.body", "names");
	/* Literal body values without placeholders pass through. */
	build("{'method':'PUT','url':'https://api.example.com/x',"
	    "'body':[1.5,'a',{'b':null}]}", NULL, &x);
	CU_ASSERT_EQUAL_FATAL(x.rc, ERR_OK);
	CU_ASSERT_STRING_EQUAL(x.r.tr_body, "[1.5,\"a\",{\"b\":null}]");
	CU_ASSERT_STRING_EQUAL(x.r.tr_method, "PUT");
	tool_req_free(&x.r);
}

/* -------------------------------------------------------------- input */

static void
test_missing(void)
{
	expect_fail(__LINE__, EP_QUERY, "{'x':'1'}", ERR_VALIDATION_FAILED,
	    "toolInput", "{{q}}");
	expect_fail(__LINE__, EP_QUERY, NULL, ERR_VALIDATION_FAILED,
	    "toolInput", "{{q}}");
	expect_fail(__LINE__, EP_QUERY, "{'q':null}", ERR_VALIDATION_FAILED,
	    "toolInput", "No value for {{q}}");
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/c/{{company.ticker}}'}", "{'company':{'name':'x'}}",
	    ERR_VALIDATION_FAILED, "toolInput", "{{company.ticker}}");
	expect_fail(__LINE__, EP_BODY, "{'q':'a','n':1,'f':1,'o':1}",
	    ERR_VALIDATION_FAILED, "toolInput", "{{s}}");
}

/* Input is refused where the endpoint has no input placeholder. */
static void
test_input_without_placeholder(void)
{
	static const char EP_STATIC[] = "{'method':'GET','url':'https://api."
	    "example.com/all?key={{secrets.API_KEY}}','headers':"
	    "{'X-K':'{{secrets.API_KEY}}'},'body':{'k':'{{secrets.API_KEY}}'}}";
	static const char *const none[] = {
		NULL, "null", "{}", "''", "' \\n'", "'{}'",
	};
	size_t	 i;

	expect_fail(__LINE__, EP_STATIC, "{'q':'x'}", ERR_VALIDATION_FAILED,
	    "toolInput", "no input placeholder");
	expect_fail(__LINE__, EP_STATIC, "'{\\'q\\':1}'",
	    ERR_VALIDATION_FAILED, "toolInput", "no input placeholder");
	for (i = 0; i < UNIT_NCASES(none); i++)
		expect_url(__LINE__, EP_STATIC, none[i],
		    "https://api.example.com/all?key=sk-live-Zq9%21x");
	/* With a placeholder, unused members are ignored. */
	expect_url(__LINE__, EP_QUERY, "{'q':'x','extra':1}",
	    "https://api.example.com/s?q=x&n=1");
}

/* toolInput is an object or a string that holds one. */
static void
test_input_forms(void)
{
	static const char *const bad[] = {
		"1", "true", "[1]", "'hello'", "'[1]'", "'{bad'", "'\\\"x\\\"'",
		"'{\\'q\\':1} x'", "'{\\'q\\':1,\\'q\\':2}'",
	};
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(bad); i++)
		expect_fail(__LINE__, EP_QUERY, bad[i], ERR_VALIDATION_FAILED,
		    "toolInput", "JSON object");
	expect_url(__LINE__, EP_QUERY, "'{\\'q\\':\\'a b\\'}'",
	    "https://api.example.com/s?q=a%20b&n=1");
}

/* Dotted paths, array indexes, and the text of non-string values. */
static void
test_paths_and_values(void)
{
	static const char EP_T[] = "{'method':'GET','url':'https://api."
	    "example.com/{{company.ticker}}?v={{v}}&i={{items.1.id}}'}";

	expect_url(__LINE__, EP_T, "{'company':{'ticker':'AAPL'},'v':10,"
	    "'items':[{'id':'a'},{'id':'b'}]}",
	    "https://api.example.com/AAPL?v=10&i=b");
	expect_url(__LINE__, EP_T, "{'company':{'ticker':'X'},'v':1.5,"
	    "'items':[0,{'id':true}]}",
	    "https://api.example.com/X?v=1.5&i=true");
	expect_url(__LINE__, EP_T, "{'company':{'ticker':'X'},'v':-0.000001,"
	    "'items':[0,{'id':false}]}",
	    "https://api.example.com/X?v=-0.000001&i=false");
	expect_url(__LINE__, EP_T, "{'company':{'ticker':'X'},'v':1e21,"
	    "'items':[0,{'id':2}]}",
	    "https://api.example.com/X?v=1e%2B21&i=2");
	/* Out of range index, index into an object, path through a string. */
	expect_fail(__LINE__, EP_T, "{'company':{'ticker':'X'},'v':1,"
	    "'items':[0]}", ERR_VALIDATION_FAILED, "toolInput",
	    "{{items.1.id}}");
	expect_url(__LINE__, EP_T, "{'company':{'ticker':'X'},'v':1,"
	    "'items':{'1':{'id':'k'}}}", "https://api.example.com/X?v=1&i=k");
	expect_fail(__LINE__, EP_T, "{'company':'X','v':1,"
	    "'items':[0,{'id':1}]}", ERR_VALIDATION_FAILED, "toolInput",
	    "{{company.ticker}}");
	/* Arrays and objects have no text form. */
	expect_fail(__LINE__, EP_QUERY, "{'q':[1]}", ERR_VALIDATION_FAILED,
	    "toolInput", "{{q}}");
	expect_fail(__LINE__, EP_QUERY, "{'q':{}}", ERR_VALIDATION_FAILED,
	    "toolInput", "{{q}}");
	/* Blanks inside the braces are allowed (URLs have none). */
	expect_url(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/s','queryParams':{'a':'{{ q }}','b':'{{\\tq\\t}}'}}",
	    "{'q':'z'}", "https://api.example.com/s?a=z&b=z");
}

/* ------------------------------------------------------------- syntax */

static void
test_syntax(void)
{
	static const char *const bad[] = {
		"{{}}", "{{ }}", "{{secrets.}}", "{{secrets}}", "{{.a}}",
		"{{a.}}", "{{a..b}}", "{{a", "a}}", "{{a}}}}", "{{{a}}}",
		"{{a b}}", "{{a/b}}", "{{a!}}", "{{Secrets.API_KEY}}",
		"{{SECRETS.API_KEY}}", "{{secrets.a.b}}",
		"{{oauth.access_token}}", "{{OAuth.x}}", "x{{y}",
		"{{x}}{{", "}}{{x}}",
	};
	char	 ep[512], field[64];
	size_t	 i, k;

	for (i = 0; i < UNIT_NCASES(bad); i++) {
		/* A URL holds no blank (agents_validate). */
		for (k = strchr(bad[i], ' ') != NULL; k < 4; k++) {
			switch (k) {
			case 0:
				snprintf(ep, sizeof(ep), "{'method':'GET',"
				    "'url':'https://api.example.com/p/%s'}",
				    bad[i]);
				snprintf(field, sizeof(field), "endpoint.url");
				break;
			case 1:
				snprintf(ep, sizeof(ep), "{'method':'GET',"
				    "'url':'https://api.example.com/{{x}}',"
				    "'headers':{'X-A':'%s'}}", bad[i]);
				snprintf(field, sizeof(field),
				    "endpoint.headers.X-A");
				break;
			case 2:
				snprintf(ep, sizeof(ep), "{'method':'GET',"
				    "'url':'https://api.example.com/{{x}}',"
				    "'queryParams':{'a':'%s'}}", bad[i]);
				snprintf(field, sizeof(field),
				    "endpoint.queryParams.a");
				break;
			default:
				snprintf(ep, sizeof(ep), "{'method':'POST',"
				    "'url':'https://api.example.com/{{x}}',"
				    "'body':{'a':['%s']}}", bad[i]);
				snprintf(field, sizeof(field), "endpoint.body");
				break;
			}
			expect_fail(__LINE__, ep, "{'x':'1','a':'1','y':'1'}",
			    ERR_VALIDATION_FAILED, field, NULL);
		}
	}
	/* The syntax is checked before the input: even without input. */
	expect_fail(__LINE__, "{'method':'GET','url':'https://api.example."
	    "com/','headers':{'X':'{{ }}'}}", NULL, ERR_VALIDATION_FAILED,
	    "endpoint.headers.X", "{{name}}");
}

/* ------------------------------------------------------------ secrets */

static void
test_not_ready(void)
{
	static const char EP[] = "{'method':'GET','url':'https://api."
	    "example.com/s?q={{q}}','headers':{'X-Key':"
	    "'{{secrets.MISSING}}','X-B':'{{secrets.API_KEY}}'}}";
	struct res	 x;

	build(EP, "{'q':'a'}", &x);
	CU_ASSERT_EQUAL(x.rc, ERR_INTEGRATIONS_NEED_SETUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(x.e.te_msg, "{{secrets.MISSING}}"));
	CU_ASSERT_PTR_NULL(x.r.tr_url);
	/* No secrets at all: not ready. */
	build_s(EP, "{'q':'a'}", NULL, 0, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_INTEGRATIONS_NEED_SETUP);
	/* An input error wins over a missing secret, in any order. */
	build_s(EP, "{'r':'a'}", NULL, 0, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(x.e.te_field, "toolInput");
	build_s("{'method':'POST','url':'https://api.example.com/"
	    "{{secrets.X}}/y','body':{'a':'{{q}}'}}", "{}", NULL, 0, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(x.e.te_field, "toolInput");
	/* A secret that lacks only fills nothing: no dot-segment error. */
	build_s("{'method':'GET','url':'https://api.example.com/"
	    "{{secrets.X}}/y'}", NULL, NULL, 0, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_INTEGRATIONS_NEED_SETUP);
	/* A secret whose value is not UTF-8 is refused, not sent. */
	{
		struct tool_secret	 s[] = { { "API_KEY", "\xff\xfe" } };

		build_s("{'method':'POST','url':'https://api.example.com/x',"
		    "'body':{'k':'{{secrets.API_KEY}}'}}", NULL, s, 1, &x);
		CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
		CU_ASSERT_STRING_EQUAL(x.e.te_field, "endpoint.body");
	}
}

static void
test_secret_names(void)
{
	json_object	*doc, *names;
	struct tool_err	 e;

	doc = doc_of("{'method':'POST','url':'https://api.example.com/"
	    "{{secrets.B}}?k={{secrets.A}}&q={{q}}','headers':{'X':"
	    "'{{secrets.C}} {{secrets.A}}'},'queryParams':{'p':"
	    "'{{secrets.D}}'},'body':{'x':['{{secrets.E}}','{{secrets.B}}']}}");
	CU_ASSERT_EQUAL_FATAL(tool_secret_names(agents_find_agent_tool(doc,
	    "a", "t"), &names, &e), ERR_OK);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(names,
	    JSON_C_TO_STRING_PLAIN), "[\"B\",\"A\",\"C\",\"D\",\"E\"]");
	json_object_put(names);
	json_object_put(doc);

	doc = doc_of("{'method':'GET','url':'https://api.example.com/x'}");
	CU_ASSERT_EQUAL_FATAL(tool_secret_names(agents_find_agent_tool(doc,
	    "a", "t"), &names, &e), ERR_OK);
	CU_ASSERT_EQUAL(json_object_array_length(names), 0);
	json_object_put(names);
	json_object_put(doc);

	doc = doc_of("{'method':'GET','url':'https://api.example.com/x',"
	    "'headers':{'X':'{{secrets.}}'}}");
	CU_ASSERT_EQUAL(tool_secret_names(agents_find_agent_tool(doc,
	    "a", "t"), &names, &e), ERR_VALIDATION_FAILED);
	CU_ASSERT_PTR_NULL(names);
	CU_ASSERT_STRING_EQUAL(e.te_field, "endpoint.headers.X");
	json_object_put(doc);
}

/*
 * No error message or field ever holds a secret value or an input
 * value: every failing case here carries both.
 */
static void
test_no_leak(void)
{
	static const struct {
		const char	*ep, *in;
	} rows[] = {
		{ "{'method':'GET','url':'https://api.example.com/{{x}}',"
		  "'headers':{'K':'{{secrets.API_KEY}}{{x}}'}}",
		  "{'x':'INPUTVAL\\r\\n'}" },
		{ "{'method':'GET','url':'https://api.example.com/{{x}}?k="
		  "{{secrets.API_KEY}}'}", "{'y':'INPUTVAL'}" },
		{ "{'method':'GET','url':'https://api.example.com/{{x}}?k="
		  "{{secrets.API_KEY}}'}", "{'x':'..'}" },
		{ "{'method':'GET','url':'https://api.example.com/{{x}}?k="
		  "{{secrets.API_KEY}}'}", "{'x':['INPUTVAL']}" },
		{ "{'method':'GET','url':'https://api.example.com/a?k="
		  "{{secrets.API_KEY}}'}", "{'x':'INPUTVAL'}" },
		{ "{'method':'GET','url':'https://api.example.com/a?k="
		  "{{secrets.API_KEY}}&m={{secrets.NOPE}}&x={{x}}'}",
		  "{'x':'INPUTVAL'}" },
		{ "{'method':'GET','url':'https://api.example.com/a',"
		  "'headers':{'K':'{{secrets.CRLF}}'}}", NULL },
		{ "{'method':'POST','url':'https://api.example.com/a',"
		  "'body':{'k':'{{secrets.BAD}}'}}", NULL },
		{ "{'method':'GET','url':'https://api.example.com/a',"
		  "'headers':{'K':'{{secrets.API_KEY}} {{secrets.}}'}}",
		  NULL },
		{ "{'method':'GET','url':'https://api.example.com/a?{{x}}',"
		  "'headers':{'K':'{{secrets.API_KEY}}'}}", "'INPUTVAL'" },
	};
	static const struct tool_secret sec[] = {
		{ "API_KEY", SECRET_VALUE },
		{ "CRLF", SECRET_VALUE "\r\n" },
		{ "BAD", SECRET_VALUE "\xff" },
	};
	struct res	 x;
	size_t		 i;

	for (i = 0; i < UNIT_NCASES(rows); i++) {
		build_s(rows[i].ep, rows[i].in, sec, UNIT_NCASES(sec), &x);
		UNIT_CHECK(x.rc != ERR_OK && x.e.te_msg[0] != '\0',
		    "row %zu: rc %d", i, x.rc);
		UNIT_CHECK(strstr(x.e.te_msg, "sk-live") == NULL &&
		    strstr(x.e.te_field, "sk-live") == NULL &&
		    strstr(x.e.te_msg, "INPUTVAL") == NULL &&
		    strstr(x.e.te_field, "INPUTVAL") == NULL,
		    "row %zu leaks: %s: %s", i, x.e.te_field, x.e.te_msg);
		tool_req_free(&x.r);
	}
}

/* --------------------------------------------------------------- limits */

static void
test_limits(void)
{
	struct buf	 in = BUF_INIT;
	struct res	 x;
	size_t		 i;

	buf_puts(&in, "{\"q\":\"");
	for (i = 0; i < TOOL_URL_MAX / 3 + 1; i++)
		buf_puts(&in, "/");
	buf_puts(&in, "\"}");
	CU_ASSERT_FATAL(buf_ok(&in));
	build(EP_QUERY, in.b_data, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(x.e.te_field, "toolInput");
	build(EP_HEADER, in.b_data, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_OK);
	tool_req_free(&x.r);
	buf_reset(&in);
	buf_puts(&in, "{\"q\":\"");
	for (i = 0; i < TOOL_HEADER_MAX; i++)
		buf_puts(&in, "h");
	buf_puts(&in, "\"}");
	build(EP_HEADER, in.b_data, &x);
	CU_ASSERT_EQUAL(x.rc, ERR_VALIDATION_FAILED);
	CU_ASSERT_STRING_EQUAL(x.e.te_field, "toolInput");
	buf_free(&in);
}

/* ----------------------------------------------------------------- mock */

static void
test_mock_pick(void)
{
	json_object	*doc, *tool, *m, *none;
	int		 seen[3] = { 0, 0, 0 };
	int64_t		 n;
	size_t		 i;

	CU_ASSERT_FATAL(sodium_init() >= 0);
	doc = doc_of("{'method':'GET','url':'https://api.example.com/x'}");
	tool = agents_find_agent_tool(doc, "a", "t");
	for (i = 0; i < 600; i++) {
		m = tool_mock_pick(tool);
		CU_ASSERT_FATAL(m != NULL);
		n = json_object_get_int64(json_object_object_get(m, "n"));
		CU_ASSERT_FATAL(n >= 1 && n <= 3);
		seen[n - 1]++;
	}
	/* Each entry comes up (a miss has odds of about 3 * (2/3)^600). */
	UNIT_CHECK(seen[0] > 0 && seen[1] > 0 && seen[2] > 0,
	    "picks %d %d %d", seen[0], seen[1], seen[2]);
	json_object_put(doc);
	none = unit_parse("{\"type\":\"builtin\",\"name\":\"WebSearch\"}");
	CU_ASSERT_PTR_NULL(tool_mock_pick(none));
	json_object_put(none);
	none = unit_parse("{\"mockData\":[]}");
	CU_ASSERT_PTR_NULL(tool_mock_pick(none));
	json_object_put(none);
}

static const struct unit_case cases[] = {
	{ "a GET with a query and a secret header", test_basic_get },
	{ "builtin tools are not executed", test_builtin },
	{ "URL values are percent-encoded", test_url_encoding },
	{ "the URL's host is the tool's", test_url_host_kept },
	{ "no placeholder in scheme, host or fragment", test_url_authority },
	{ "no empty, . or .. path segment", test_url_dot_segments },
	{ "queryParams appended and encoded", test_query_params },
	{ "secrets in URL, header, query and body", test_secret_places },
	{ "header values without control characters", test_headers },
	{ "JSON body strings escaped, values typed", test_body },
	{ "a missing placeholder is an error", test_missing },
	{ "input without input placeholder", test_input_without_placeholder },
	{ "toolInput forms", test_input_forms },
	{ "dotted paths and value text", test_paths_and_values },
	{ "placeholder syntax", test_syntax },
	{ "a missing secret is not ready", test_not_ready },
	{ "secret names of a tool", test_secret_names },
	{ "no value in any error", test_no_leak },
	{ "URL and header limits", test_limits },
	{ "mock pick", test_mock_pick },
};

UNIT_MAIN("tool", cases)
