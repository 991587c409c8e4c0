/*
 * test_ident: what identity a request presents (ident.c), before the
 * database sees it.  External mode: the web server's REMOTE_USER with
 * its profile parameters, or a signed assertion from an authenticating
 * proxy; a subject or assertion that fails a check is no identity at
 * all, and a bad optional field is dropped, never fatal.  None mode: the
 * session cookie only, never REMOTE_USER or an assertion header.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "ident.h"
#include "rctx.h"
#include "req.h"
#include "unit.h"

#define SECRET	"assertion secret"
#define UID	"65a0b1c2d3e4f5a6b7c8d9e0"
/* The wire format of an assertion: cookie_sign under these. */
#define A_PURPOSE	"second-assertion"
#define A_NAME		"X-Second-Assertion"

struct fix {
	struct conf	 cf;
	struct req	 rq;
	struct wstate	 w;
	struct rctx	 x;
};

static char	 provider_secret[] = SECRET;
static char	 public_url[] = "http://127.0.0.1:8080";

static void
fix_init(struct fix *f, enum auth_mode mode, enum provider_kind prov)
{
	CU_ASSERT_FATAL(sodium_init() >= 0);	/* once; then a no-op */
	memset(f, 0, sizeof(*f));
	f->cf.cf_auth_mode = mode;
	f->cf.cf_provider = prov;
	f->cf.cf_provider_secret = provider_secret;
	f->cf.cf_public_url = public_url;
	req_init(&f->rq);
	(void)cookie_keys_add(&f->w.ws_keys, "session secret", 14);
	f->w.ws_keys_loaded = true;
	f->x.x_conf = &f->cf;
	f->x.x_req = &f->rq;
	f->x.x_w = &f->w;
}

static void
fix_free(struct fix *f)
{
	ident_claim_free(&f->x.x_claim);
	req_free(&f->rq);
}

static char *
xstrdup(const char *s)
{
	char	*p = s != NULL ? strdup(s) : NULL;

	CU_ASSERT_FATAL(s == NULL || p != NULL);
	return p;
}

/* ident_claim in webserver mode with these server-set parameters. */
static enum claim_kind
webserver(struct fix *f, const char *user, const char *email,
    const char *name)
{
	fix_init(f, AUTH_EXTERNAL, PROVIDER_WEBSERVER);
	f->rq.rq_remote_user = xstrdup(user);
	f->rq.rq_prov_email = xstrdup(email);
	f->rq.rq_prov_name = xstrdup(name);
	CU_ASSERT_EQUAL(ident_claim(&f->x), ERR_OK);
	return f->x.x_claim.cl_kind;
}

struct subject_case {
	const char	*sub;
	bool		 ok;
};

static void
test_subject(void)
{
	static char		 s255[IDENT_MAX_SUBJECT + 1];
	static char		 s256[IDENT_MAX_SUBJECT + 2];
	const struct subject_case cases[] = {
		{ "alice", true },
		{ "alice@EXAMPLE.org", true },
		{ "CN=Alice,O=Acme", true },
		{ "j\xc3\xb6rg", true },
		{ "~!#$%^&*()_+{}|:\"<>?", true },
		{ s255, true },
		{ "", false },
		{ s256, false },
		{ "al ice", false },
		{ " alice", false },
		{ "alice\t", false },
		{ "alice\n", false },
		{ "alice\r", false },
		{ "ali\x7f" "ce", false },
		{ "\x01", false },
		{ "j\xf6rg", false },		/* Latin-1, not UTF-8 */
		{ "\xc0\xaf", false },		/* overlong */
		{ "\xed\xa0\x80", false },	/* surrogate */
		{ "\xe2\x80", false },		/* truncated */
	};
	struct fix	 f;
	size_t		 i;

	memset(s255, 'a', IDENT_MAX_SUBJECT);
	memset(s256, 'a', IDENT_MAX_SUBJECT + 1);
	for (i = 0; i < UNIT_NCASES(cases); i++) {
		UNIT_CHECK((webserver(&f, cases[i].sub, NULL, NULL) ==
		    CLAIM_EXTERNAL) == cases[i].ok, "subject %zu \"%s\"", i,
		    cases[i].sub);
		if (cases[i].ok)
			UNIT_CHECK(unit_streq(f.x.x_claim.cl_subject,
			    cases[i].sub), "subject %zu copied", i);
		else
			UNIT_CHECK(f.x.x_claim.cl_subject == NULL,
			    "subject %zu left nothing", i);
		fix_free(&f);
	}
	/* No REMOTE_USER at all. */
	CU_ASSERT_EQUAL(webserver(&f, NULL, "a@example.com", "Ann"),
	    CLAIM_NONE);
	fix_free(&f);
}

/* The profile parameters are optional: a bad one is dropped. */
static void
test_profile_fields(void)
{
	struct fix	 f;
	char		 long_name[202];

	CU_ASSERT_EQUAL(webserver(&f, "alice", "alice@example.com",
	    "Alice Liddell"), CLAIM_EXTERNAL);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_email, "alice@example.com"));
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_name, "Alice Liddell"));
	fix_free(&f);

	CU_ASSERT_EQUAL(webserver(&f, "alice", "not an email", "Alice"),
	    CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_name, "Alice"));
	fix_free(&f);

	CU_ASSERT_EQUAL(webserver(&f, "alice", "", "Alice"), CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	fix_free(&f);

	CU_ASSERT_EQUAL(webserver(&f, "alice", "a@b", "Alice"),
	    CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	fix_free(&f);

	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	CU_ASSERT_EQUAL(webserver(&f, "alice", "a@example.com", long_name),
	    CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_email, "a@example.com"));
	fix_free(&f);
	long_name[200] = '\0';
	CU_ASSERT_EQUAL(webserver(&f, "alice", NULL, long_name),
	    CLAIM_EXTERNAL);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_name, long_name));
	fix_free(&f);

	CU_ASSERT_EQUAL(webserver(&f, "alice", NULL, "   "), CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	fix_free(&f);
	CU_ASSERT_EQUAL(webserver(&f, "alice", NULL, "Al\nice"),
	    CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	fix_free(&f);
	CU_ASSERT_EQUAL(webserver(&f, "alice", NULL, "Al\xffice"),
	    CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	fix_free(&f);
}

/* ident_claim in assertion mode with this X-Second-Assertion value. */
static enum claim_kind
assertion(struct fix *f, const char *value)
{
	fix_init(f, AUTH_EXTERNAL, PROVIDER_ASSERTION);
	f->rq.rq_assertion = xstrdup(value);
	CU_ASSERT_EQUAL(ident_claim(&f->x), ERR_OK);
	return f->x.x_claim.cl_kind;
}

/* An assertion over an arbitrary payload, signed with "secret". */
static void
sign_raw(const char *secret, const char *payload, struct buf *out)
{
	struct cookie_key	 k;

	buf_reset(out);
	cookie_key_derive(&k, secret, strlen(secret));
	CU_ASSERT_EQUAL_FATAL(cookie_sign(&k, A_PURPOSE, A_NAME, payload,
	    strlen(payload), out), 0);
}

static void
test_assertion(void)
{
	struct fix	 f;
	struct buf	 a = BUF_INIT;
	int64_t		 now = (int64_t)time(NULL);

	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob",
	    "bob@example.com", "Bob", now + 60, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_EXTERNAL);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_subject, "bob"));
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_email, "bob@example.com"));
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_name, "Bob"));
	fix_free(&f);

	/* Profile fields are optional. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", NULL, NULL,
	    now + 60, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	fix_free(&f);

	/* Another secret. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make("other", "bob", NULL,
	    NULL, now + 60, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);

	/* Expired, or living longer than ASSERTION_MAX_AGE. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", NULL, NULL,
	    now - 1, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", NULL, NULL,
	    now + ASSERTION_MAX_AGE + 120, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);

	/* A bad subject inside a good signature. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bo b", NULL,
	    NULL, now + 60, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);

	/* A bad email is dropped, the subject stands. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", "bob@",
	    "Bob", now + 60, &a), 0);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	CU_ASSERT_TRUE(unit_streq(f.x.x_claim.cl_name, "Bob"));
	fix_free(&f);

	/* Tampered: one byte of the payload. */
	buf_reset(&a);
	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", NULL, NULL,
	    now + 60, &a), 0);
	a.b_data[20] = a.b_data[20] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);

	CU_ASSERT_EQUAL(assertion(&f, ""), CLAIM_NONE);
	fix_free(&f);
	CU_ASSERT_EQUAL(assertion(&f, "bob"), CLAIM_NONE);
	fix_free(&f);
	CU_ASSERT_EQUAL(assertion(&f, NULL), CLAIM_NONE);
	fix_free(&f);
	buf_free(&a);
}

/* Signed payloads that are not a valid assertion. */
static void
test_assertion_payloads(void)
{
	struct fix	 f;
	struct buf	 a = BUF_INIT, p = BUF_INIT;
	int64_t		 exp = (int64_t)time(NULL) + 60;
	/* Each payload is pre, a good expiry time, post. */
	static const char *const parts[][2] = {
		{ "{\"sub\":\"bob\",\"exp\":", "}" },	/* the good one */
		{ "{\"exp\":", "}" },
		{ "{\"sub\":7,\"exp\":", "}" },
		{ "{\"sub\":null,\"exp\":", "}" },
		{ "{\"sub\":\"bob\",\"exp\":\"", "\"}" },
		{ "{\"sub\":\"bob\",\"exp\":", ".5}" },
		{ "{\"sub\":\"bob\",\"xp\":", "}" },
		{ "[\"bob\",", "]" },
		{ "{\"sub\":\"bob\",\"exp\":", "" },
		{ "", "" },
	};
	size_t		 i;

	for (i = 0; i < UNIT_NCASES(parts); i++) {
		buf_reset(&p);
		buf_printf(&p, "%s%" PRId64 "%s", parts[i][0], exp,
		    parts[i][1]);
		sign_raw(SECRET, p.b_data, &a);
		UNIT_CHECK(assertion(&f, a.b_data) ==
		    (i == 0 ? CLAIM_EXTERNAL : CLAIM_NONE), "payload %s",
		    p.b_data);
		fix_free(&f);
	}
	sign_raw(SECRET, "{\"sub\":\"bob\",\"exp\":0}", &a);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_NONE);
	fix_free(&f);
	/* Non-string profile fields are ignored. */
	buf_reset(&p);
	buf_printf(&p, "{\"sub\":\"bob\",\"exp\":%" PRId64 ",\"email\":1,"
	    "\"name\":[\"Bob\"]}", exp);
	sign_raw(SECRET, p.b_data, &a);
	CU_ASSERT_EQUAL(assertion(&f, a.b_data), CLAIM_EXTERNAL);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_email);
	CU_ASSERT_PTR_NULL(f.x.x_claim.cl_name);
	fix_free(&f);
	buf_free(&a);
	buf_free(&p);
}

/*
 * ident_claim in "mode" for a request with these (NULL: absent) REMOTE_USER,
 * assertion header and Cookie header; with the worker's session key from
 * "key" (NULL: the fixture's).  Leaves the claim in f for the caller.
 */
static enum claim_kind
claim(struct fix *f, enum auth_mode mode, enum provider_kind prov,
    const char *user, const char *assertion_hdr, const char *cookie,
    const char *key)
{
	fix_init(f, mode, prov);
	if (key != NULL) {
		memset(&f->w.ws_keys, 0, sizeof(f->w.ws_keys));
		(void)cookie_keys_add(&f->w.ws_keys, key, strlen(key));
	}
	f->rq.rq_remote_user = xstrdup(user);
	f->rq.rq_assertion = xstrdup(assertion_hdr);
	f->rq.rq_cookie = xstrdup(cookie);
	CU_ASSERT_EQUAL(ident_claim(&f->x), ERR_OK);
	return f->x.x_claim.cl_kind;
}

/* Each mode listens to its own source only. */
static void
test_sources(void)
{
	struct fix		 f;
	struct buf		 a = BUF_INIT, c = BUF_INIT, h = BUF_INIT;
	struct session		 s;
	int64_t			 now = (int64_t)time(NULL);

	CU_ASSERT_EQUAL_FATAL(ident_assertion_make(SECRET, "bob", NULL, NULL,
	    now + 60, &a), 0);
	/* Webserver mode ignores an assertion header. */
	CU_ASSERT_EQUAL(claim(&f, AUTH_EXTERNAL, PROVIDER_WEBSERVER, NULL,
	    a.b_data, NULL, NULL), CLAIM_NONE);
	fix_free(&f);
	/* Assertion mode ignores REMOTE_USER. */
	CU_ASSERT_EQUAL(claim(&f, AUTH_EXTERNAL, PROVIDER_ASSERTION, "alice",
	    NULL, NULL, NULL), CLAIM_NONE);
	fix_free(&f);
	/* None mode ignores both. */
	CU_ASSERT_EQUAL(claim(&f, AUTH_NONE, PROVIDER_UNSET, "alice",
	    a.b_data, NULL, NULL), CLAIM_NONE);
	fix_free(&f);

	/* None mode: the session cookie, once. */
	memset(&s, 0, sizeof(s));
	memcpy(s.s_user_id, UID, ID_LEN + 1);
	s.s_issued = now;
	s.s_expires = now + 3600;
	s.s_version = 3;
	fix_init(&f, AUTH_NONE, PROVIDER_UNSET);
	CU_ASSERT_EQUAL_FATAL(cookie_encode(&f.w.ws_keys.ks_keys[0],
	    "second_session", &s, &c), 0);
	fix_free(&f);
	buf_printf(&h, "other=1; second_session=%s", c.b_data);
	CU_ASSERT_EQUAL(claim(&f, AUTH_NONE, PROVIDER_UNSET, NULL, NULL,
	    h.b_data, NULL), CLAIM_SESSION);
	CU_ASSERT_STRING_EQUAL(f.x.x_claim.cl_sess.s_user_id, UID);
	CU_ASSERT_EQUAL(f.x.x_claim.cl_sess.s_version, 3);
	fix_free(&f);
	/* A cookie signed by a key the worker does not hold. */
	CU_ASSERT_EQUAL(claim(&f, AUTH_NONE, PROVIDER_UNSET, NULL, NULL,
	    h.b_data, "another"), CLAIM_NONE);
	fix_free(&f);
	/* Twice is ambiguous: none. */
	buf_reset(&h);
	buf_printf(&h, "second_session=%s; second_session=%s", c.b_data,
	    c.b_data);
	CU_ASSERT_EQUAL(claim(&f, AUTH_NONE, PROVIDER_UNSET, NULL, NULL,
	    h.b_data, NULL), CLAIM_NONE);
	fix_free(&f);
	/* Under the https name only when the public URL is https. */
	buf_reset(&h);
	buf_printf(&h, "__Host-second_session=%s", c.b_data);
	CU_ASSERT_EQUAL(claim(&f, AUTH_NONE, PROVIDER_UNSET, NULL, NULL,
	    h.b_data, NULL), CLAIM_NONE);
	fix_free(&f);
	buf_free(&a);
	buf_free(&c);
	buf_free(&h);
}

static const struct unit_case cases[] = {
	{ "REMOTE_USER subject rules", test_subject },
	{ "optional profile fields", test_profile_fields },
	{ "signed assertions", test_assertion },
	{ "assertion payloads", test_assertion_payloads },
	{ "each mode reads its own source", test_sources },
};

UNIT_MAIN("ident", cases)
