/*
 * test_xsite: the cross-site rules of API writes and page posts
 * (xsite.c; second-api(7), CROSS-SITE REQUESTS) on requests built here.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "conf.h"
#include "rctx.h"
#include "req.h"
#include "route.h"
#include "xsite.h"
#include "unit.h"

struct origin_case {
	const char	*public_url;
	const char	*origin;	/* NULL: no Origin */
	const char	*fetch_site;	/* NULL: no Sec-Fetch-Site */
	bool		 same;
};

static const struct origin_case origin_cases[] = {
	{ "http://127.0.0.1:8080", NULL, NULL, true },
	{ "http://127.0.0.1:8080", "http://127.0.0.1:8080", NULL, true },
	{ "http://127.0.0.1:8080/", "http://127.0.0.1:8080", NULL, true },
	{ "https://second.example/app", "https://second.example", NULL, true },
	{ "https://second.example", "https://second.example",
	    "same-origin", true },
	{ NULL, NULL, "none", true },
	{ NULL, NULL, "same-site", false },
	{ NULL, NULL, "cross-site", false },
	{ NULL, NULL, "", false },
	{ NULL, NULL, "Same-Origin", false },
	{ "https://second.example", "https://second.example",
	    "cross-site", false },
	{ "https://second.example", "https://evil.example", NULL, false },
	{ "https://second.example", "http://second.example", NULL, false },
	{ "https://second.example", "https://second.example:443", NULL,
	    false },
	{ "https://second.example", "https://second.example.evil", NULL,
	    false },
	{ "https://second.example", "https://second.exampl", NULL, false },
	{ "https://second.example", "https://SECOND.example", NULL, false },
	{ "https://second.example", "null", NULL, false },
	{ "https://second.example", "", NULL, false },
	{ "http://127.0.0.1:8080", "http://127.0.0.1:8081", NULL, false },
	{ "http://127.0.0.1:8080", "http://127.0.0.1", NULL, false },
};

/* A request context with just what the cross-site rules read. */
struct fake {
	struct rctx	 x;
	struct req	 rq;
	struct conf	 cf;
	struct route	 rt;
	char		 url[128], origin[128], site[64], ctype[128];
};

/* Copy s into buf (the request's fields are owned, mutable strings). */
static char *
fake_str(char *buf, size_t len, const char *s)
{
	if (s == NULL)
		return NULL;
	snprintf(buf, len, "%s", s);
	return buf;
}

static void
fake_init(struct fake *f, const char *public_url, const char *origin,
    const char *fetch_site)
{
	memset(f, 0, sizeof(*f));
	f->cf.cf_public_url = fake_str(f->url, sizeof(f->url),
	    public_url != NULL ? public_url : "http://127.0.0.1:8080");
	f->rq.rq_origin = fake_str(f->origin, sizeof(f->origin), origin);
	f->rq.rq_fetch_site = fake_str(f->site, sizeof(f->site), fetch_site);
	f->rq.rq_clen = -1;
	f->rt.rt_method = M_POST;
	f->x.x_conf = &f->cf;
	f->x.x_req = &f->rq;
	f->x.x_route = &f->rt;
}

static void
test_same_origin(void)
{
	const struct origin_case	*c;
	struct fake			 f;
	size_t				 i;

	for (i = 0; i < UNIT_NCASES(origin_cases); i++) {
		c = &origin_cases[i];
		fake_init(&f, c->public_url, c->origin, c->fetch_site);
		UNIT_CHECK(xsite_same_origin(&f.x) == c->same,
		    "row %zu: Origin %s, Sec-Fetch-Site %s", i,
		    UNIT_S(c->origin), UNIT_S(c->fetch_site));
	}
}

struct write_case {
	enum http_method	 method;
	const char		*origin;
	long long		 clen;
	const char		*ctype;
	enum err		 want;
};

static const struct write_case write_cases[] = {
	/* GET is never checked. */
	{ M_GET, "https://evil.example", 10, "text/plain", ERR_OK },
	{ M_POST, NULL, -1, NULL, ERR_OK },
	{ M_POST, NULL, 0, "text/plain", ERR_OK },
	{ M_POST, NULL, 2, "application/json", ERR_OK },
	{ M_PUT, NULL, 2, "application/json; charset=utf-8", ERR_OK },
	{ M_PATCH, NULL, 2, "Application/JSON", ERR_OK },
	{ M_DELETE, NULL, 2, "application/json ;charset=utf-8", ERR_OK },
	{ M_POST, "http://127.0.0.1:8080", 2, "application/json", ERR_OK },
	{ M_POST, "https://evil.example", 2, "application/json",
	    ERR_CSRF_FAILED },
	{ M_DELETE, "https://evil.example", -1, NULL, ERR_CSRF_FAILED },
	/* The origin is judged before the media type. */
	{ M_POST, "https://evil.example", 2, "text/plain", ERR_CSRF_FAILED },
	{ M_POST, NULL, 2, NULL, ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, "text/plain", ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, "text/json", ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, "application/jsonx", ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, "application/x-www-form-urlencoded",
	    ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, "multipart/form-data; boundary=x",
	    ERR_UNSUPPORTED_MEDIA_TYPE },
	{ M_POST, NULL, 2, " application/json", ERR_UNSUPPORTED_MEDIA_TYPE },
};

static void
test_api_write(void)
{
	const struct write_case	*c;
	struct fake		 f;
	size_t			 i;
	enum err		 got;

	for (i = 0; i < UNIT_NCASES(write_cases); i++) {
		c = &write_cases[i];
		fake_init(&f, NULL, c->origin, NULL);
		f.rt.rt_method = c->method;
		f.rq.rq_clen = c->clen;
		f.rq.rq_ctype = fake_str(f.ctype, sizeof(f.ctype), c->ctype);
		got = xsite_api_write(&f.x);
		UNIT_CHECK(got == c->want, "row %zu: %s: got %d want %d", i,
		    UNIT_S(c->ctype), got, c->want);
	}
	/* A cross-site Sec-Fetch-Site alone refuses a write. */
	fake_init(&f, NULL, NULL, "cross-site");
	CU_ASSERT_EQUAL(xsite_api_write(&f.x), ERR_CSRF_FAILED);
}

/* Without a session a form post needs only the origin check. */
static void
test_form_without_session(void)
{
	struct fake	 f;

	fake_init(&f, NULL, NULL, NULL);
	CU_ASSERT_EQUAL(xsite_form_check(&f.x), ERR_OK);
	fake_init(&f, NULL, "http://127.0.0.1:8080", "same-origin");
	CU_ASSERT_EQUAL(xsite_form_check(&f.x), ERR_OK);
	fake_init(&f, NULL, "https://evil.example", NULL);
	CU_ASSERT_EQUAL(xsite_form_check(&f.x), ERR_CSRF_FAILED);
	fake_init(&f, NULL, NULL, "same-site");
	CU_ASSERT_EQUAL(xsite_form_check(&f.x), ERR_CSRF_FAILED);
}

/* The fixed browser-policy headers; the CSP only on pages. */
static void
test_headers(void)
{
	struct buf	 b = BUF_INIT;

	xsite_headers(&b, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.b_data);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.b_data,
	    "X-Content-Type-Options: nosniff\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.b_data,
	    "Referrer-Policy: same-origin\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.b_data, "X-Frame-Options: DENY\r\n"));
	CU_ASSERT_PTR_NULL(strstr(b.b_data, "Content-Security-Policy"));
	buf_reset(&b);
	xsite_headers(&b, true);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.b_data, "Content-Security-Policy: "
	    "default-src 'none';"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.b_data, "frame-ancestors 'none'"));
	buf_free(&b);
}

static const struct unit_case cases[] = {
	{ "same origin", test_same_origin },
	{ "API writes", test_api_write },
	{ "form post without a session", test_form_without_session },
	{ "response headers", test_headers },
};

UNIT_MAIN("xsite", cases)
