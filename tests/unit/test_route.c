/*
 * test_route: the real route table and its matcher.
 *
 * Fixed cases pin the routes that exist today; the invariants walk the
 * whole table, so every route added later is checked too: its own pattern
 * (with sample captures) finds it, no two routes of one method share a
 * path, captures come back raw, other methods answer 405 with the right
 * Allow list, and kinds, guards and prefixes agree.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "buf.h"
#include "route.h"
#include "unit.h"

static const enum http_method methods[] = {
	M_GET, M_POST, M_PUT, M_PATCH, M_DELETE, M_OTHER,
};

/* ------------------------------------------------------ fixed cases */

struct lookup_case {
	enum http_method	 method;
	const char		*path;
	enum route_match	 rm;
	const char		*name;	/* RM_FOUND */
	const char		*allow;	/* RM_BAD_METHOD */
};

static const struct lookup_case lookup_cases[] = {
	{ M_GET, "/api/livez", RM_FOUND, "livez", NULL },
	{ M_GET, "/api/health", RM_FOUND, "health", NULL },
	{ M_POST, "/api/livez", RM_BAD_METHOD, NULL, "GET" },
	{ M_PUT, "/api/livez", RM_BAD_METHOD, NULL, "GET" },
	{ M_PATCH, "/api/livez", RM_BAD_METHOD, NULL, "GET" },
	{ M_DELETE, "/api/livez", RM_BAD_METHOD, NULL, "GET" },
	{ M_OTHER, "/api/livez", RM_BAD_METHOD, NULL, "GET" },
	{ M_DELETE, "/api/health", RM_BAD_METHOD, NULL, "GET" },
	{ M_GET, "/api/livez/", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/liv", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/livezz", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "api/livez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "//api/livez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api//livez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/API/livez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/Livez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/livez?x=1", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/%6civez", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/api/livez/x", RM_NOT_FOUND, NULL, NULL },
	{ M_GET, "/x/api/livez", RM_NOT_FOUND, NULL, NULL },
	{ M_POST, "/api/liv", RM_NOT_FOUND, NULL, NULL },
	{ M_POST, "/api/livez/", RM_NOT_FOUND, NULL, NULL },
};

static void
test_lookup_cases(void)
{
	const struct lookup_case	*c;
	const struct route		*rt;
	struct buf			 allow = BUF_INIT;
	char				*args[REQ_MAXARGS] = { NULL };
	size_t				 i, nargs;
	enum route_match		 rm;

	for (i = 0; i < UNIT_NCASES(lookup_cases); i++) {
		c = &lookup_cases[i];
		buf_reset(&allow);
		buf_puts(&allow, "");
		rt = route_at(0);
		nargs = 99;
		rm = route_lookup(c->method, c->path, &rt, args, &nargs,
		    &allow);
		UNIT_CHECK(rm == c->rm, "row %zu %s %s: match %d want %d", i,
		    req_method_name(c->method), c->path, rm, c->rm);
		if (rm == RM_FOUND)
			UNIT_CHECK(rt != NULL && unit_streq(rt->rt_name,
			    c->name) && nargs == 0, "row %zu: route %s", i,
			    rt ? UNIT_S(rt->rt_name) : "(none)");
		else
			UNIT_CHECK(rt == NULL && nargs == 0, "row %zu: route "
			    "or captures set on a miss", i);
		if (rm == RM_BAD_METHOD)
			UNIT_CHECK(unit_streq(allow.b_data, c->allow),
			    "row %zu: allow \"%s\" want \"%s\"", i,
			    UNIT_S(allow.b_data), c->allow);
		else if (rm == RM_NOT_FOUND)
			UNIT_CHECK(allow.b_len == 0, "row %zu: allow \"%s\" "
			    "on 404", i, UNIT_S(allow.b_data));
	}
	buf_free(&allow);
}

/*
 * Captures through real routes of second-api(7): raw (not decoded), in
 * path order; and a 405 lists every method of the path in table order.
 */
static void	free_args(char **, size_t);

struct capture_case {
	enum http_method	 method;
	const char		*path;
	enum route_match	 rm;
	const char		*pattern;	/* RM_FOUND */
	const char		*args[4];	/* RM_FOUND, NULL-terminated */
	const char		*allow;		/* RM_BAD_METHOD */
};

static const struct capture_case capture_cases[] = {
	{ M_GET, "/api/workspaces/w1", RM_FOUND, "/api/workspaces/{ws}",
	    { "w1" }, NULL },
	{ M_GET, "/api/workspaces/%41b%2Fc", RM_FOUND, "/api/workspaces/{ws}",
	    { "%41b%2Fc" }, NULL },
	{ M_PATCH, "/api/workspaces/w1/members/u1", RM_FOUND,
	    "/api/workspaces/{ws}/members/{userId}", { "w1", "u1" }, NULL },
	{ M_PUT, "/api/workspaces/w1/teams/t1/members/u1", RM_FOUND,
	    "/api/workspaces/{ws}/teams/{teamId}/members/{userId}",
	    { "w1", "t1", "u1" }, NULL },
	{ M_POST, "/api/workspaces/w1", RM_BAD_METHOD, NULL, { NULL },
	    "GET, PATCH" },
	{ M_GET, "/api/workspaces/w1/members/u1", RM_BAD_METHOD, NULL,
	    { NULL }, "PATCH, DELETE" },
	{ M_GET, "/api/workspaces/w1/", RM_NOT_FOUND, NULL, { NULL }, NULL },
	{ M_GET, "/api/workspaces//members", RM_NOT_FOUND, NULL, { NULL },
	    NULL },
	{ M_PATCH, "/api/workspaces/w1/members/", RM_NOT_FOUND, NULL,
	    { NULL }, NULL },
	{ M_PATCH, "/api/workspaces/w1/members/u1/x", RM_NOT_FOUND, NULL,
	    { NULL }, NULL },
};

static void
test_capture_cases(void)
{
	const struct capture_case	*c;
	const struct route		*rt;
	struct buf			 allow = BUF_INIT;
	char				*args[REQ_MAXARGS] = { NULL };
	size_t				 i, k, nargs, nwant;
	enum route_match		 rm;
	bool				 ok;

	for (i = 0; i < UNIT_NCASES(capture_cases); i++) {
		c = &capture_cases[i];
		buf_reset(&allow);
		buf_puts(&allow, "");
		rm = route_lookup(c->method, c->path, &rt, args, &nargs,
		    &allow);
		UNIT_CHECK(rm == c->rm, "%s %s: match %d want %d",
		    req_method_name(c->method), c->path, rm, c->rm);
		if (rm == RM_FOUND) {
			for (nwant = 0; nwant < 4 && c->args[nwant]; nwant++)
				;
			ok = rt != NULL && unit_streq(rt->rt_pattern,
			    c->pattern) && nargs == nwant;
			for (k = 0; ok && k < nargs; k++)
				ok = unit_streq(args[k], c->args[k]);
			UNIT_CHECK(ok, "%s %s: pattern %s, %zu captures "
			    "(first %s)", req_method_name(c->method), c->path,
			    rt ? UNIT_S(rt->rt_pattern) : "-", nargs,
			    nargs ? UNIT_S(args[0]) : "-");
			free_args(args, nargs);
		}
		if (rm == RM_BAD_METHOD && c->rm == RM_BAD_METHOD)
			UNIT_CHECK(unit_streq(allow.b_data, c->allow),
			    "%s %s: allow \"%s\" want \"%s\"",
			    req_method_name(c->method), c->path,
			    UNIT_S(allow.b_data), c->allow);
	}
	buf_free(&allow);
}

/* route_at is bounded; route_count counts what route_at returns. */
static void
test_table_bounds(void)
{
	size_t	 n = route_count();

	CU_ASSERT_TRUE(n >= 2);
	CU_ASSERT_PTR_NOT_NULL(route_at(0));
	CU_ASSERT_PTR_NOT_NULL(route_at(n - 1));
	CU_ASSERT_PTR_NULL(route_at(n));
	CU_ASSERT_PTR_NULL(route_at((size_t)-1));
	CU_ASSERT_STRING_EQUAL(route_kind_name(RK_PUBLIC), "public");
	CU_ASSERT_STRING_EQUAL(route_kind_name(RK_PAGE), "page");
	CU_ASSERT_STRING_EQUAL(route_kind_name(RK_API), "api");
	CU_ASSERT_STRING_EQUAL(route_kind_name(RK_INTERNAL), "internal");
	CU_ASSERT_STRING_EQUAL(route_kind_name(RK__MAX), "?");
	CU_ASSERT_STRING_EQUAL(route_guard_name(GL_NONE), "none");
	CU_ASSERT_STRING_EQUAL(route_guard_name(GL_WORKSPACE), "workspace");
	CU_ASSERT_STRING_EQUAL(route_guard_name(GL_PROVIDER), "provider");
	CU_ASSERT_STRING_EQUAL(route_guard_name(GL__MAX), "?");
}

/* ----------------------------------------------- pattern helpers */

/* Number of "{...}" segments, and whether the last one is "{x*}". */
struct pat_info {
	size_t	 ncap;
	bool	 rest;
	bool	 wellformed;
	char	 why[128];
};

static void
pattern_info(const char *pat, struct pat_info *pi)
{
	const char	*seg, *end;
	size_t		 len;

	memset(pi, 0, sizeof(*pi));
	pi->wellformed = false;
	if (pat == NULL || pat[0] != '/') {
		snprintf(pi->why, sizeof(pi->why), "does not start with /");
		return;
	}
	if (strcmp(pat, "/") == 0) {
		pi->wellformed = true;
		return;
	}
	for (seg = pat + 1; ; seg = end + 1) {
		end = strchr(seg, '/');
		len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0) {
			snprintf(pi->why, sizeof(pi->why), "empty segment");
			return;
		}
		if (pi->rest) {
			snprintf(pi->why, sizeof(pi->why), "{x*} not last");
			return;
		}
		if (seg[0] == '{') {
			if (len < 3 || seg[len - 1] != '}' ||
			    memchr(seg + 1, '{', len - 1) != NULL ||
			    (seg[len - 2] == '*' && len < 4)) {
				snprintf(pi->why, sizeof(pi->why),
				    "bad capture segment");
				return;
			}
			pi->ncap++;
			if (seg[len - 2] == '*')
				pi->rest = true;
		} else if (memchr(seg, '{', len) != NULL ||
		    memchr(seg, '}', len) != NULL ||
		    memchr(seg, '*', len) != NULL) {
			snprintf(pi->why, sizeof(pi->why),
			    "brace or star inside a literal");
			return;
		}
		if (end == NULL)
			break;
	}
	if (pi->ncap > REQ_MAXARGS) {
		snprintf(pi->why, sizeof(pi->why), "more than REQ_MAXARGS");
		return;
	}
	pi->wellformed = true;
}

/*
 * Substitute captures: "{x}" becomes one, "{x*}" becomes rest.  The
 * values substituted are also recorded in want[] (pointers to one/rest).
 */
static char *
pattern_fill(const char *pat, const char *one, const char *rest,
    const char **want, size_t *nwant)
{
	struct buf	 b = BUF_INIT;
	const char	*p = pat, *close;

	*nwant = 0;
	while (*p != '\0') {
		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			if (close[-1] == '*') {
				buf_puts(&b, rest);
				if (*nwant < REQ_MAXARGS)
					want[(*nwant)++] = rest;
			} else {
				buf_puts(&b, one);
				if (*nwant < REQ_MAXARGS)
					want[(*nwant)++] = one;
			}
			p = close + 1;
		} else
			buf_putc(&b, *p++);
	}
	return buf_steal(&b);
}

/*
 * Reference matcher, written independently of route.c: split both on
 * "/"; a literal matches itself, "{x}" one non-empty segment, "{x*}" the
 * non-empty rest of the path.
 */
static bool
ref_match(const char *pat, const char *path)
{
	const char	*pe, *se;
	size_t		 plen, slen;

	if (pat[0] != '/' || path[0] != '/')
		return false;
	pat++;
	path++;
	for (;;) {
		pe = strchr(pat, '/');
		plen = pe ? (size_t)(pe - pat) : strlen(pat);
		if (plen >= 4 && pat[0] == '{' && pat[plen - 2] == '*')
			return path[0] != '\0';
		se = strchr(path, '/');
		slen = se ? (size_t)(se - path) : strlen(path);
		if (pat[0] == '{') {
			if (slen == 0)
				return false;
		} else if (plen != slen || memcmp(pat, path, plen) != 0)
			return false;
		if (pe == NULL || se == NULL)
			return pe == NULL && se == NULL;
		pat = pe + 1;
		path = se + 1;
	}
}

/* Well-formed patterns only: the others are reported by test_table_rows. */
static bool
usable(const struct route *r)
{
	struct pat_info	 pi;

	pattern_info(r->rt_pattern, &pi);
	return pi.wellformed;
}

static void
free_args(char **args, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && i < REQ_MAXARGS; i++) {
		free(args[i]);
		args[i] = NULL;
	}
}

/* The reference matcher agrees with the fixed cases. */
static void
test_ref_matcher(void)
{
	CU_ASSERT_TRUE(ref_match("/api/livez", "/api/livez"));
	CU_ASSERT_FALSE(ref_match("/api/livez", "/api/livez/"));
	CU_ASSERT_FALSE(ref_match("/api/livez", "/api/liv"));
	CU_ASSERT_FALSE(ref_match("/api/livez", ""));
	CU_ASSERT_TRUE(ref_match("/a/{x}/b", "/a/1/b"));
	CU_ASSERT_FALSE(ref_match("/a/{x}/b", "/a//b"));
	CU_ASSERT_FALSE(ref_match("/a/{x}/b", "/a/1/2/b"));
	CU_ASSERT_FALSE(ref_match("/a/{x}", "/a/1/"));
	CU_ASSERT_TRUE(ref_match("/a/{x*}", "/a/1/2"));
	CU_ASSERT_TRUE(ref_match("/a/{x*}", "/a/1"));
	CU_ASSERT_FALSE(ref_match("/a/{x*}", "/a/"));
	CU_ASSERT_FALSE(ref_match("/a/{x*}", "/a"));
}

/* ------------------------------------------------------- invariants */

/* Every row is well-formed and consistently classified. */
static void
test_table_rows(void)
{
	const struct route	*r, *o;
	struct pat_info		 pi;
	size_t			 i, j, n = route_count();
	bool			 api, internal;

	for (i = 0; i < n; i++) {
		r = route_at(i);
		CU_ASSERT_FATAL(r != NULL);
		pattern_info(r->rt_pattern, &pi);
		UNIT_CHECK(pi.wellformed, "%s: pattern %s: %s",
		    UNIT_S(r->rt_name), UNIT_S(r->rt_pattern), pi.why);
		if (!pi.wellformed)
			continue;
		UNIT_CHECK(r->rt_name != NULL && r->rt_name[0] != '\0',
		    "route %zu (%s) has no name", i, r->rt_pattern);
		UNIT_CHECK(r->rt_fn != NULL, "%s: no handler",
		    UNIT_S(r->rt_name));
		UNIT_CHECK(r->rt_method < M_OTHER, "%s: method %d",
		    UNIT_S(r->rt_name), r->rt_method);
		UNIT_CHECK(r->rt_kind < RK__MAX, "%s: kind %d",
		    UNIT_S(r->rt_name), r->rt_kind);
		UNIT_CHECK(r->rt_guard < GL__MAX, "%s: guard %d",
		    UNIT_S(r->rt_name), r->rt_guard);
		UNIT_CHECK(r->rt_perm < PERM__MAX, "%s: perm %d",
		    UNIT_S(r->rt_name), r->rt_perm);
		UNIT_CHECK(r->rt_body <= BODY_LARGE, "%s: body %d",
		    UNIT_S(r->rt_name), r->rt_body);

		api = strncmp(r->rt_pattern, "/api/", 5) == 0;
		internal = strncmp(r->rt_pattern, "/api/internal/", 14) == 0;
		if (r->rt_kind == RK_API || r->rt_kind == RK_INTERNAL ||
		    r->rt_kind == RK_PUBLIC)
			UNIT_CHECK(api, "%s: %s route %s is not under /api/",
			    UNIT_S(r->rt_name), route_kind_name(r->rt_kind),
			    r->rt_pattern);
		if (r->rt_kind == RK_PAGE)
			UNIT_CHECK(!api, "%s: page %s is under /api/",
			    UNIT_S(r->rt_name), r->rt_pattern);
		UNIT_CHECK(internal == (r->rt_kind == RK_INTERNAL),
		    "%s: %s is kind %s", UNIT_S(r->rt_name), r->rt_pattern,
		    route_kind_name(r->rt_kind));
		UNIT_CHECK((r->rt_kind == RK_INTERNAL) ==
		    (r->rt_guard == GL_INTERNAL || r->rt_guard == GL_PROVIDER),
		    "%s: kind %s with guard %s", UNIT_S(r->rt_name),
		    route_kind_name(r->rt_kind),
		    route_guard_name(r->rt_guard));
		/* A role permission only means something inside a workspace. */
		if (r->rt_perm != PERM_NONE)
			UNIT_CHECK(r->rt_guard == GL_WORKSPACE, "%s: perm %s "
			    "without workspace guard", UNIT_S(r->rt_name),
			    perm_name(r->rt_perm));
		if (r->rt_method == M_GET)
			UNIT_CHECK(r->rt_body == BODY_NONE, "%s: GET with a "
			    "body", UNIT_S(r->rt_name));

		for (j = i + 1; j < n; j++) {
			o = route_at(j);
			UNIT_CHECK(!unit_streq(r->rt_name, o->rt_name),
			    "routes %zu and %zu share the name %s", i, j,
			    UNIT_S(r->rt_name));
			UNIT_CHECK(r->rt_method != o->rt_method ||
			    !unit_streq(r->rt_pattern, o->rt_pattern),
			    "routes %zu and %zu: same method and pattern %s",
			    i, j, UNIT_S(r->rt_pattern));
		}
	}
}

/* Sample capture values: one segment, and the rest of a path. */
struct sample {
	const char	*one;
	const char	*rest;
};

static const struct sample samples[] = {
	{ "abc", "a/b" },
	{ "0123456789abcdef01234567", "x" },
	{ "%41%2F", "a/b/c.json" },
	{ "caf\xc3\xa9", "%2e%2e/x" },
};

/*
 * For each route and sample: its own path finds it (same row) with the
 * raw captures; the reference matcher says no other route of the method
 * matches; every other method gets FOUND, 405 with exactly the methods
 * that match, or 404, as the reference predicts.
 */
static void
test_table_self_lookup(void)
{
	const struct route	*r, *o, *rt;
	const char		*want[REQ_MAXARGS];
	struct buf		 allow = BUF_INIT, want_allow = BUF_INIT;
	char			*path, *args[REQ_MAXARGS] = { NULL };
	size_t			 i, j, k, s, m, nwant, nargs, n = route_count();
	enum route_match	 rm;
	bool			 argsok, any, seen[M__MAX];

	for (i = 0; i < n; i++)
		for (s = 0; s < UNIT_NCASES(samples); s++) {
			r = route_at(i);
			if (!usable(r))
				continue;
			path = pattern_fill(r->rt_pattern, samples[s].one,
			    samples[s].rest, want, &nwant);
			CU_ASSERT_FATAL(path != NULL);
			UNIT_CHECK(ref_match(r->rt_pattern, path), "ref "
			    "matcher refuses %s for %s", path, r->rt_pattern);

			rm = route_lookup(r->rt_method, path, &rt, args,
			    &nargs, &allow);
			UNIT_CHECK(rm == RM_FOUND && rt == r, "%s %s: match %d "
			    "route %s, want %s", req_method_name(r->rt_method),
			    path, rm, rt ? UNIT_S(rt->rt_name) : "(none)",
			    UNIT_S(r->rt_name));
			argsok = rm == RM_FOUND && nargs == nwant;
			for (k = 0; argsok && k < nargs; k++)
				argsok = unit_streq(args[k], want[k]);
			UNIT_CHECK(argsok, "%s %s: %zu captures, want %zu "
			    "(first %s)", req_method_name(r->rt_method), path,
			    nargs, nwant, nargs ? UNIT_S(args[0]) : "-");
			if (rm == RM_FOUND)
				free_args(args, nargs);

			/* No second route of the method takes this path. */
			for (j = 0; j < n; j++) {
				o = route_at(j);
				if (j == i || o->rt_method != r->rt_method ||
				    !usable(o))
					continue;
				UNIT_CHECK(!ref_match(o->rt_pattern, path),
				    "%s %s matches both %s and %s",
				    req_method_name(r->rt_method), path,
				    UNIT_S(r->rt_name), UNIT_S(o->rt_name));
			}

			/* Every method, as the reference predicts. */
			for (m = 0; m < UNIT_NCASES(methods); m++) {
				memset(seen, 0, sizeof(seen));
				any = false;
				buf_reset(&want_allow);
				buf_puts(&want_allow, "");
				for (j = 0; j < n; j++) {
					o = route_at(j);
					if (!usable(o) ||
					    !ref_match(o->rt_pattern, path))
						continue;
					if (o->rt_method == methods[m])
						any = true;
					else if (!seen[o->rt_method]) {
						if (want_allow.b_len > 0)
							buf_puts(&want_allow,
							    ", ");
						buf_puts(&want_allow,
						    req_method_name(
						    o->rt_method));
					}
					seen[o->rt_method] = true;
				}
				buf_reset(&allow);
				buf_puts(&allow, "");
				rm = route_lookup(methods[m], path, &rt, args,
				    &nargs, &allow);
				if (rm == RM_FOUND)
					free_args(args, nargs);
				if (any)
					UNIT_CHECK(rm == RM_FOUND && rt != NULL &&
					    rt->rt_method == methods[m],
					    "%s %s: match %d",
					    req_method_name(methods[m]), path,
					    rm);
				else
					UNIT_CHECK(rm == RM_BAD_METHOD &&
					    unit_streq(allow.b_data,
					    want_allow.b_data), "%s %s: match "
					    "%d allow \"%s\" want 405 \"%s\"",
					    req_method_name(methods[m]), path,
					    rm, UNIT_S(allow.b_data),
					    UNIT_S(want_allow.b_data));
			}
			free(path);
		}
	buf_free(&allow);
	buf_free(&want_allow);
}

/*
 * Captures never match an empty segment, "{x}" never spans a "/", and a
 * route's path with a suffix or with a segment dropped is not that route.
 */
static void
test_table_near_misses(void)
{
	const struct route	*r, *rt;
	const char		*want[REQ_MAXARGS];
	struct buf		 allow = BUF_INIT, b = BUF_INIT;
	struct pat_info		 pi;
	char			*path, *args[REQ_MAXARGS] = { NULL }, *slash;
	size_t			 i, nwant, nargs, n = route_count(), v;
	enum route_match	 rm;
	static const char *const one_bad[] = { "", "a/b" };

	for (i = 0; i < n; i++) {
		r = route_at(i);
		pattern_info(r->rt_pattern, &pi);
		if (!pi.wellformed)
			continue;
		for (v = 0; v < UNIT_NCASES(one_bad); v++) {
			if (pi.ncap == 0 || (pi.ncap == 1 && pi.rest))
				break;
			path = pattern_fill(r->rt_pattern, one_bad[v], "r",
			    want, &nwant);
			CU_ASSERT_FATAL(path != NULL);
			rm = route_lookup(r->rt_method, path, &rt, args,
			    &nargs, &allow);
			UNIT_CHECK(rm != RM_FOUND || rt != r, "%s matched %s "
			    "with capture \"%s\"", UNIT_S(r->rt_name), path,
			    one_bad[v]);
			if (rm == RM_FOUND)
				free_args(args, nargs);
			free(path);
		}
		if (pi.rest) {
			path = pattern_fill(r->rt_pattern, "abc", "", want,
			    &nwant);
			CU_ASSERT_FATAL(path != NULL);
			rm = route_lookup(r->rt_method, path, &rt, args,
			    &nargs, &allow);
			UNIT_CHECK(rm != RM_FOUND || rt != r, "%s matched %s "
			    "with an empty rest", UNIT_S(r->rt_name), path);
			if (rm == RM_FOUND)
				free_args(args, nargs);
			free(path);
		}

		/* Suffixes "/", "x", "/x" (unless a capture swallows them). */
		path = pattern_fill(r->rt_pattern, "abc", "a/b", want, &nwant);
		CU_ASSERT_FATAL(path != NULL);
		if (!pi.rest) {
			static const char *const sfx[] = { "/", "x", "/x" };

			for (v = 0; v < UNIT_NCASES(sfx); v++) {
				/* "{x}x" is just another capture value. */
				if (sfx[v][0] != '/' &&
				    r->rt_pattern[strlen(r->rt_pattern) - 1] ==
				    '}')
					continue;
				buf_reset(&b);
				buf_printf(&b, "%s%s", path, sfx[v]);
				rm = route_lookup(r->rt_method, b.b_data, &rt,
				    args, &nargs, &allow);
				UNIT_CHECK(rm != RM_FOUND || rt != r,
				    "%s matched %s", UNIT_S(r->rt_name),
				    b.b_data);
				if (rm == RM_FOUND)
					free_args(args, nargs);
			}
		}
		/* Without its last segment. */
		if ((slash = strrchr(path, '/')) != NULL && slash != path) {
			*slash = '\0';
			rm = route_lookup(r->rt_method, path, &rt, args,
			    &nargs, &allow);
			UNIT_CHECK(rm != RM_FOUND || rt != r || pi.rest,
			    "%s matched %s", UNIT_S(r->rt_name), path);
			if (rm == RM_FOUND)
				free_args(args, nargs);
		}
		free(path);
	}
	buf_free(&allow);
	buf_free(&b);
}

/* A long or deep path is a plain 404, not a crash or a capture overflow. */
static void
test_long_paths(void)
{
	const struct route	*rt;
	struct buf		 allow = BUF_INIT, b = BUF_INIT;
	char			*args[REQ_MAXARGS] = { NULL };
	size_t			 i, nargs;
	enum route_match	 rm;

	buf_puts(&b, "/api");
	for (i = 0; i < 2000; i++)
		buf_puts(&b, "/x");
	rm = route_lookup(M_GET, b.b_data, &rt, args, &nargs, &allow);
	CU_ASSERT_EQUAL(rm, RM_NOT_FOUND);
	buf_reset(&b);
	buf_puts(&b, "/api/");
	for (i = 0; i < 5000; i++)
		buf_putc(&b, 'a');
	rm = route_lookup(M_GET, b.b_data, &rt, args, &nargs, &allow);
	CU_ASSERT_EQUAL(rm, RM_NOT_FOUND);
	buf_reset(&b);
	for (i = 0; i < 3000; i++)
		buf_putc(&b, '/');
	rm = route_lookup(M_GET, b.b_data, &rt, args, &nargs, &allow);
	CU_ASSERT_EQUAL(rm, RM_NOT_FOUND);
	CU_ASSERT_EQUAL(nargs, 0);
	buf_free(&b);
	buf_free(&allow);
}

static const struct unit_case cases[] = {
	{ "lookup fixed cases", test_lookup_cases },
	{ "captures and Allow on real routes", test_capture_cases },
	{ "table bounds and names", test_table_bounds },
	{ "reference matcher", test_ref_matcher },
	{ "every row well-formed and classified", test_table_rows },
	{ "every route finds itself, 405 and Allow", test_table_self_lookup },
	{ "near misses never match", test_table_near_misses },
	{ "long paths", test_long_paths },
};

UNIT_MAIN("route", cases)
