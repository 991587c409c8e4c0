/*
 * test_guard: the guard's onboarding states and the proxy table of
 * second-api(7), as far as they need no database: the state names, the
 * workspace reference rules, and what every guarded route of the table
 * answers a caller without an identity (missing-identity): an API is
 * 401 identity_required, a page in none mode redirects to
 * /onboarding/identity, a page in external mode (no onboarding form)
 * is identity_required too, and only routes at level "any" run.
 * The state machine (guard_state) and the proxy table (guard_proxy) are
 * checked against an independent copy of second-api(7)'s table, for
 * every level, state and mode.
 */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "guard.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "unit.h"

static void
test_state_names(void)
{
	CU_ASSERT_STRING_EQUAL(guard_state_name(OB_MISSING_IDENTITY),
	    "missing-identity");
	CU_ASSERT_STRING_EQUAL(guard_state_name(OB_NEEDS_PROFILE),
	    "needs-profile");
	CU_ASSERT_STRING_EQUAL(guard_state_name(OB_NEEDS_WORKSPACE),
	    "needs-workspace");
	CU_ASSERT_STRING_EQUAL(guard_state_name(OB_READY), "ready");
	CU_ASSERT_STRING_EQUAL(guard_state_name(OB__MAX), "?");
	/* The states are ordered: each reaches every level below it. */
	CU_ASSERT_TRUE(OB_MISSING_IDENTITY < OB_NEEDS_PROFILE &&
	    OB_NEEDS_PROFILE < OB_NEEDS_WORKSPACE &&
	    OB_NEEDS_WORKSPACE < OB_READY);
}

struct ref_case {
	const char	*ref;
	bool		 slug, ref_ok;
};

static void
test_refs(void)
{
	static const struct ref_case cases[] = {
		{ "acme", true, true },
		{ "a", true, true },
		{ "0", true, true },
		{ "a-b-c", true, true },
		{ "123456789012345678901234567890123456789012345678", true,
		    true },
		{ "1234567890123456789012345678901234567890123456789", false,
		    false },
		{ "65a0b1c2d3e4f5a6b7c8d9e0", false, true },	/* an id */
		{ "65a0b1c2d3e4f5a6b7c8d9e", true, true },	/* 23 hex */
		{ "65a0b1c2d3e4f5a6b7c8d9e0f", true, true },	/* 25 hex */
		{ "", false, false },
		{ "-acme", false, false },
		{ "acme-", false, false },
		{ "Acme", false, false },
		{ "ac_me", false, false },
		{ "ac.me", false, false },
		{ "ac%6De", false, false },
		{ "65A0B1C2D3E4F5A6B7C8D9E0", false, false },
	};
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(cases); i++) {
		UNIT_CHECK(guard_slug_valid(cases[i].ref) == cases[i].slug,
		    "slug \"%s\"", cases[i].ref);
		UNIT_CHECK(guard_ws_ref_valid(cases[i].ref) ==
		    cases[i].ref_ok, "ref \"%s\"", cases[i].ref);
	}
}

static char	 public_url[] = "http://127.0.0.1:8080";

/*
 * guard_run for route rt and a caller presenting no identity.  The
 * session keys count as loaded, so nothing reaches the database.
 */
static enum err
run_anonymous(const struct route *rt, enum auth_mode mode, struct resp *rs)
{
	struct conf	 cf;
	struct req	 rq;
	struct wstate	 w;
	struct rctx	 x;
	enum err	 rc;

	memset(&cf, 0, sizeof(cf));
	cf.cf_auth_mode = mode;
	cf.cf_provider = mode == AUTH_EXTERNAL ? PROVIDER_WEBSERVER :
	    PROVIDER_UNSET;
	cf.cf_public_url = public_url;
	memset(&w, 0, sizeof(w));
	w.ws_keys_loaded = true;
	req_init(&rq);
	rq.rq_method = rt->rt_method;
	if (rt->rt_guard == GL_WORKSPACE) {
		rq.rq_args[0] = strdup("acme");
		CU_ASSERT_PTR_NOT_NULL_FATAL(rq.rq_args[0]);
		rq.rq_nargs = 1;
	}
	memset(&x, 0, sizeof(x));
	x.x_conf = &cf;
	x.x_req = &rq;
	x.x_resp = rs;
	x.x_w = &w;
	x.x_route = rt;
	rc = guard_run(&x);
	CU_ASSERT_EQUAL(x.x_state, OB_MISSING_IDENTITY);
	CU_ASSERT_FALSE(x.x_txn.t_open);
	guard_free(&x);
	req_free(&rq);
	return rc;
}

static bool
redirects_to(const struct resp *rs, const char *to)
{
	char	 want[128];

	snprintf(want, sizeof(want), "Location: %s\r\n", to);
	return rs->rs_status == 302 && rs->rs_head.b_data != NULL &&
	    strstr(rs->rs_head.b_data, want) != NULL;
}

static void
test_missing_identity(void)
{
	const struct route	*rt;
	struct resp		 rs;
	size_t			 i, n = 0, pages = 0, apis = 0;
	enum err		 rc, want;

	for (i = 0; i < route_count(); i++) {
		rt = route_at(i);
		if (rt->rt_guard < GL_ANY || rt->rt_guard > GL_WORKSPACE ||
		    (rt->rt_kind != RK_PAGE && rt->rt_kind != RK_API))
			continue;
		n++;
		pages += rt->rt_kind == RK_PAGE;
		apis += rt->rt_kind == RK_API;
		want = rt->rt_guard == GL_ANY ? ERR_OK :
		    ERR_IDENTITY_REQUIRED;

		/* None mode. */
		resp_init(&rs);
		rc = run_anonymous(rt, AUTH_NONE, &rs);
		if (rt->rt_kind == RK_PAGE && rt->rt_guard != GL_ANY) {
			UNIT_CHECK(rc == ERR_OK && redirects_to(&rs,
			    "/onboarding/identity"), "none %s %s: rc %d, "
			    "status %d", req_method_name(rt->rt_method),
			    rt->rt_pattern, rc, rs.rs_status);
		} else {
			UNIT_CHECK(rc == want && rs.rs_status != 302,
			    "none %s %s: rc %d", req_method_name(rt->rt_method),
			    rt->rt_pattern, rc);
		}
		resp_free(&rs);

		/* External mode: no onboarding pages to send anyone to. */
		resp_init(&rs);
		rc = run_anonymous(rt, AUTH_EXTERNAL, &rs);
		UNIT_CHECK(rc == want && rs.rs_status != 302,
		    "external %s %s: rc %d", req_method_name(rt->rt_method),
		    rt->rt_pattern, rc);
		resp_free(&rs);
	}
	/* The table has guarded pages and APIs at every level. */
	CU_ASSERT_TRUE(pages > 0);
	CU_ASSERT_TRUE(apis > 0);
	CU_ASSERT_EQUAL(n, pages + apis);
}

/* guard_state: a known caller's state from its profile and memberships. */
static void
test_state_machine(void)
{
	CU_ASSERT_EQUAL(guard_state(false, false), OB_NEEDS_PROFILE);
	CU_ASSERT_EQUAL(guard_state(false, true), OB_NEEDS_PROFILE);
	CU_ASSERT_EQUAL(guard_state(true, false), OB_NEEDS_WORKSPACE);
	CU_ASSERT_EQUAL(guard_state(true, true), OB_READY);
}

/*
 * second-api(7)'s proxy table, written out again by hand: for each level,
 * the lowest state that passes; below it, an API answers the state's
 * error and a page in none mode is sent to the form of the first missing
 * step.
 */
static const enum onboard copy_need[GL__MAX] = {
	[GL_ANY] = OB_MISSING_IDENTITY,
	[GL_IDENTITY] = OB_NEEDS_PROFILE,
	[GL_PROFILE] = OB_NEEDS_WORKSPACE,
	[GL_READY] = OB_READY,
	[GL_WORKSPACE] = OB_READY,
};
static const enum err copy_api[OB__MAX] = {
	[OB_MISSING_IDENTITY] = ERR_IDENTITY_REQUIRED,
	[OB_NEEDS_PROFILE] = ERR_PROFILE_REQUIRED,
	[OB_NEEDS_WORKSPACE] = ERR_WORKSPACE_REQUIRED,
	[OB_READY] = ERR_OK,
};
static const char *const copy_page[OB__MAX] = {
	[OB_MISSING_IDENTITY] = "/onboarding/identity",
	[OB_NEEDS_PROFILE] = "/onboarding/identity",
	[OB_NEEDS_WORKSPACE] = "/onboarding/workspace",
	[OB_READY] = NULL,
};

static void
test_proxy_table(void)
{
	const char	*to;
	enum err	 rc;
	int		 gl, s, redirect;
	bool		 pass;

	for (gl = GL_ANY; gl <= GL_WORKSPACE; gl++)
		for (s = 0; s < OB__MAX; s++)
			for (redirect = 0; redirect < 2; redirect++) {
				to = "unset";
				rc = guard_proxy(gl, s, redirect, &to);
				pass = s >= (int)copy_need[gl];
				if (pass) {
					UNIT_CHECK(rc == ERR_OK && to == NULL,
					    "level %d state %d passes", gl, s);
				} else if (redirect) {
					UNIT_CHECK(rc == ERR_OK && to != NULL &&
					    strcmp(to, copy_page[s]) == 0,
					    "level %d state %d redirects",
					    gl, s);
				} else {
					UNIT_CHECK(rc == copy_api[s] &&
					    to == NULL, "level %d state %d "
					    "answers %d", gl, s, rc);
				}
			}
}

static const struct unit_case cases[] = {
	{ "onboarding state names", test_state_names },
	{ "onboarding state machine", test_state_machine },
	{ "proxy table, every level, state and mode", test_proxy_table },
	{ "workspace references", test_refs },
	{ "missing identity, every guarded route", test_missing_identity },
};

UNIT_MAIN("guard", cases)
