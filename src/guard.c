/*
 * guard: who, where, allowed, permitted (see guard.h and the seeds'
 * "Guard and Tenancy").
 *
 * The guard's query opens the request transaction (txn_begin), so a GET
 * costs one round trip with the route's reads (see txn.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "db.h"
#include "guard.h"
#include "id.h"
#include "ident.h"
#include "log.h"
#include "perm.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "txn.h"

static const char *const state_names[OB__MAX] = {
	"missing-identity", /* OB_MISSING_IDENTITY */
	"needs-profile", /* OB_NEEDS_PROFILE */
	"needs-workspace", /* OB_NEEDS_WORKSPACE */
	"ready", /* OB_READY */
};

/*
 * The public name of an onboarding state.
 */
const char *
guard_state_name(enum onboard s)
{
	return s < OB__MAX ? state_names[s] : "?";
}

/*
 * The session cookie's name: "__Host-second_session" when the public URL
 * is https (the browser then enforces Secure, Path=/ and no Domain).
 */
const char *
guard_cookie_name(const struct conf *cf)
{
	return conf_public_https(cf) ? "__Host-second_session" :
	    "second_session";
}

/*
 * A workspace slug: ^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$ and not 24 hex
 * characters (which would read as an id).
 */
bool
guard_slug_valid(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > 48 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return !id_valid(s);
}

/*
 * A workspace reference as it appears, raw, in a path or header: an id or
 * a slug.  Anything else (percent escapes, upper case, 25 hex digits,
 * empty) is not, and the request is 404 with no fallback.
 */
bool
guard_ws_ref_valid(const char *s)
{
	return id_valid(s) || guard_slug_valid(s);
}

/* cookie_fetch_fn over the worker's connection (ST_SESSION_KEY). */
static int
fetch_db_key(void *arg, const char *cand_hex, char out_hex[65])
{
	struct db	*db = arg;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	int		 rc = -1;

	dbb_add(&b, ST_SESSION_KEY, cand_hex);
	if (db_batch(db, NULL, 0, &b) == ERR_OK &&
	    PQntuples(q.q_res) == 1 &&
	    strlen(PQgetvalue(q.q_res, 0, COL_SESSION_KEY_KEY)) == 64) {
		memcpy(out_hex, PQgetvalue(q.q_res, 0, COL_SESSION_KEY_KEY),
		    65);
		rc = 0;
	}
	dbb_clear(&b);
	return rc;
}

/*
 * Load the session keys once per worker (see cookie_keys_load).  While
 * the database is away this is ERR_UNAVAILABLE and is retried by the
 * next request.
 */
enum err
guard_keys(struct rctx *x)
{
	struct wstate	*w = x->x_w;

	if (w->ws_keys_loaded)
		return ERR_OK;
	if (cookie_keys_load(&w->ws_keys, x->x_conf->cf_session_secret,
	    x->x_conf->cf_session_previous_secrets, fetch_db_key,
	    x->x_db) != 0)
		return ERR_UNAVAILABLE;
	w->ws_keys_loaded = true;
	return ERR_OK;
}

/*
 * Load the sealing keys once per worker: SECOND_SECRETS_KEY and its
 * previous keys when set, else the development key kept in the database
 * (a random candidate offered, the stored one returned: every worker
 * shares it).  Must run before the request's transaction opens.  While
 * the database is away this is ERR_UNAVAILABLE and is retried by the next
 * request.
 */
enum err
guard_seal_keys(struct rctx *x)
{
	const struct conf	*cf = x->x_conf;
	struct wstate		*w = x->x_w;
	struct dbq		 q;
	struct dbb		 b = DBB_ONE(q);
	unsigned char		 cand[32], key[32];
	char			 hex[65];
	const char		*got;
	size_t			 binlen;
	enum err		 rc = ERR_UNAVAILABLE;

	if (w->ws_seal_loaded)
		return ERR_OK;
	if (cf->cf_secrets_key != NULL) {
		if (secret_keys_load(&w->ws_seal, cf->cf_secrets_key,
		    strlen(cf->cf_secrets_key),
		    cf->cf_secrets_previous_keys) != 0)
			return ERR_INTERNAL;
		w->ws_seal_loaded = true;
		return ERR_OK;
	}
	randombytes_buf(cand, sizeof(cand));
	sodium_bin2hex(hex, sizeof(hex), cand, sizeof(cand));
	dbb_add(&b, ST_SEALING_KEY, hex);
	if (db_batch(x->x_db, NULL, 0, &b) != ERR_OK ||
	    PQntuples(q.q_res) != 1)
		goto out;
	got = PQgetvalue(q.q_res, 0, COL_SEALING_KEY_KEY);
	if (sodium_hex2bin(key, sizeof(key), got, strlen(got), NULL, &binlen,
	    NULL) != 0 || binlen != sizeof(key) ||
	    secret_keys_load(&w->ws_seal, key, sizeof(key), NULL) != 0)
		goto out;
	w->ws_seal_loaded = true;
	rc = ERR_OK;
out:
	dbb_clear(&b);
	sodium_memzero(cand, sizeof(cand));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

static char *
dupval(const PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? NULL : strdup(PQgetvalue(r, 0, col));
}

/*
 * Read the guard row into x.  Returns true if the user row exists.
 */
static bool
guard_read(struct rctx *x, const PGresult *r)
{
	if (r == NULL || PQntuples(r) != 1)
		return false;
	snprintf(x->x_user_id, sizeof(x->x_user_id), "%s", PQgetvalue(r, 0,
	    COL_GUARD_USER_ID));
	x->x_user_name = dupval(r, COL_GUARD_DISPLAY_NAME);
	x->x_user_email = dupval(r, COL_GUARD_EMAIL);
	x->x_user_sv = strtoll(PQgetvalue(r, 0, COL_GUARD_SESSION_VERSION),
	    NULL, 10);
	x->x_first_slug = dupval(r, COL_GUARD_HOME_SLUG);
	if (!PQgetisnull(r, 0, COL_GUARD_WORKSPACE_ID)) {
		snprintf(x->x_ws.w_id, sizeof(x->x_ws.w_id), "%s",
		    PQgetvalue(r, 0, COL_GUARD_WORKSPACE_ID));
		x->x_ws.w_slug = dupval(r, COL_GUARD_WORKSPACE_SLUG);
		x->x_ws.w_name = dupval(r, COL_GUARD_WORKSPACE_NAME);
		x->x_ws.w_role = role_parse(PQgetvalue(r, 0,
		    COL_GUARD_ROLE));
		x->x_ws.w_team_ids = PQgetisnull(r, 0, COL_GUARD_TEAM_IDS) ?
		    strdup("") : dupval(r, COL_GUARD_TEAM_IDS);
	}
	return true;
}

/* Forget what a previous guard_read stored (before a retry). */
static void
guard_forget(struct rctx *x)
{
	free(x->x_user_name);
	free(x->x_user_email);
	free(x->x_first_slug);
	free(x->x_ws.w_slug);
	free(x->x_ws.w_name);
	free(x->x_ws.w_team_ids);
	x->x_user_name = x->x_user_email = x->x_first_slug = NULL;
	memset(&x->x_ws, 0, sizeof(x->x_ws));
	x->x_user_id[0] = '\0';
}

/*
 * Free what the guard stored in x (claim, user, workspace, cookie).
 */
void
guard_free(struct rctx *x)
{
	guard_forget(x);
	ident_claim_free(&x->x_claim);
	free(x->x_set_cookie);
	x->x_set_cookie = NULL;
}

/*
 * Open the request transaction as second_member for the claim, run the
 * guard query (and, for reads, the route's queued reads and COMMIT in the
 * same round trip: txn_begin), and read the user and workspace into x.
 * Returns ERR_OK with *found telling whether the user row exists.
 */
static enum err
guard_open(struct rctx *x, bool *found)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	struct dbctx	 ctx;
	enum err	 rc = ERR_INTERNAL;

	/* The route's reads first: /api/me's selects the workspace. */
	if ((rc = txn_queue(x)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_GUARD);
	ctx.c_role = "second_member";
	ctx.c_user_id = x->x_claim.cl_kind == CLAIM_SESSION ?
	    x->x_claim.cl_sess.s_user_id : NULL;
	ctx.c_subject = x->x_claim.cl_kind == CLAIM_EXTERNAL ?
	    x->x_claim.cl_subject : NULL;
	ctx.c_ws_ref = x->x_ws_ref;
	ctx.c_readonly = false;		/* txn_begin decides */
	ctx.c_app_id = NULL;
	if ((rc = txn_begin(x, &ctx, &b)) != ERR_OK)
		goto out;
	*found = guard_read(x, q.q_res);
out:
	dbb_clear(&b);
	return rc;
}

/*
 * External mode, first sight or changed profile: upsert the user by its
 * subject in a transaction of its own (the request's may be read-only),
 * as second_provider, the role that owns identity data.
 */
static enum err
guard_external_upsert(struct rctx *x)
{
	struct dbctx	 ctx = { "second_provider", NULL, NULL, NULL, false, NULL };
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	char		 nid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	id_new(nid);
	dbb_add(&b, ST_EXTERNAL_USER, nid, x->x_claim.cl_subject,
	    x->x_claim.cl_email, x->x_claim.cl_name);
	rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b);
	dbb_clear(&b);
	return rc;
}

static bool
str_differs(const char *claimed, const char *stored)
{
	return claimed != NULL && claimed[0] != '\0' &&
	    (stored == NULL || strcmp(claimed, stored) != 0);
}

/*
 * The onboarding state of a caller the database knows (a caller it does
 * not know is OB_MISSING_IDENTITY): without a display name or an email
 * needs-profile; with both but no membership needs-workspace; else ready.
 */
enum onboard
guard_state(bool has_profile, bool has_membership)
{
	if (!has_profile)
		return OB_NEEDS_PROFILE;
	return has_membership ? OB_READY : OB_NEEDS_WORKSPACE;
}

/*
 * The proxy table of second-api(7) for a route of level gl (GL_ANY to
 * GL_WORKSPACE) and a caller in state s.  ERR_OK with *to NULL: the caller
 * reaches the route's level and goes on to the guard.  ERR_OK with *to an
 * onboarding page: redirect there (redirect is true for pages in none
 * mode).  Otherwise the error the API answers.  needs-workspace is 403
 * workspace_required whatever the path names: the state comes from the
 * caller's memberships alone, so the answer says nothing about the
 * reference.
 */
enum err
guard_proxy(enum guard_level gl, enum onboard s, bool redirect,
    const char **to)
{
	enum onboard	 need = OB_READY;

	*to = NULL;
	if (gl == GL_ANY)
		need = OB_MISSING_IDENTITY;
	else if (gl == GL_IDENTITY)
		need = OB_NEEDS_PROFILE;
	else if (gl == GL_PROFILE)
		need = OB_NEEDS_WORKSPACE;
	if (s >= need)
		return ERR_OK;
	if (redirect) {
		*to = s <= OB_NEEDS_PROFILE ? "/onboarding/identity" :
		    "/onboarding/workspace";
		return ERR_OK;
	}
	if (s == OB_MISSING_IDENTITY)
		return ERR_IDENTITY_REQUIRED;
	return s == OB_NEEDS_PROFILE ? ERR_PROFILE_REQUIRED :
	    ERR_WORKSPACE_REQUIRED;
}

/*
 * Resolve identity and onboarding state into x (x_state, user fields).
 */
static enum err
guard_resolve(struct rctx *x)
{
	bool		 found = false;
	enum err	 rc = ERR_INTERNAL;
	int		 attempt;

	x->x_state = OB_MISSING_IDENTITY;
	if ((rc = guard_keys(x)) != ERR_OK)
		return rc;
	if ((rc = ident_claim(x)) != ERR_OK)
		return rc;
	if (x->x_claim.cl_kind == CLAIM_NONE)
		return ERR_OK;
	/* Before the request's transaction opens (guard_open). */
	if ((rc = guard_seal_keys(x)) != ERR_OK)
		return rc;
	for (attempt = 0; attempt < 2; attempt++) {
		if ((rc = guard_open(x, &found)) != ERR_OK)
			return rc;
		if (x->x_claim.cl_kind != CLAIM_EXTERNAL || attempt > 0)
			break;
		if (found && !str_differs(x->x_claim.cl_email,
		    x->x_user_email) && !str_differs(x->x_claim.cl_name,
		    x->x_user_name))
			break;
		/* Upsert outside the (maybe read-only) request tx, retry. */
		txn_end(x);
		guard_forget(x);
		if ((rc = guard_external_upsert(x)) != ERR_OK)
			return rc;
	}
	if (!found)
		return ERR_OK;	/* deleted user, or cookie from elsewhere */
	if (x->x_claim.cl_kind == CLAIM_SESSION &&
	    x->x_claim.cl_sess.s_version != x->x_user_sv)
		return ERR_OK;	/* logged out since: missing identity */
	x->x_state = guard_state(x->x_user_name != NULL &&
	    x->x_user_name[0] != '\0' && x->x_user_email != NULL &&
	    x->x_user_email[0] != '\0',
	    x->x_first_slug != NULL || x->x_ws.w_id[0] != '\0');
	return ERR_OK;
}

/* Page redirect for a state that does not reach the page's level. */
static enum err
page_redirect(struct rctx *x, const char *to)
{
	resp_redirect(x->x_resp, 302, to);
	return ERR_OK;
}

/*
 * Record a permission denial inside the caller's own workspace, in a
 * transaction of its own (the request's may be read-only and is rolled
 * back), then return ERR_FORBIDDEN.
 */
enum err
guard_denied(struct rctx *x, const char *what)
{
	txn_end(x);
	(void)audit_write_alone(x, EV_ACCESS_DENIED, "denial", "route",
	    what);
	return ERR_FORBIDDEN;
}

/*
 * The proxy layer and the guard for the matched route.  Returns ERR_OK
 * when the handler may run (or when a page redirect was written: then
 * x_resp has status 302 and the caller must not run the handler).
 */
enum err
guard_run(struct rctx *x)
{
	const struct route	*rt = x->x_route;
	bool			 page = rt->rt_kind == RK_PAGE;
	bool			 external = x->x_conf->cf_auth_mode ==
				    AUTH_EXTERNAL;
	const char		*ref = NULL;
	const char		*to = NULL;
	enum err		 rc = ERR_INTERNAL;

	if (rt->rt_guard == GL_WORKSPACE) {
		/* By convention the workspace is the route's first capture. */
		ref = x->x_req->rq_nargs > 0 ? x->x_req->rq_args[0] : NULL;
		if (ref != NULL && guard_ws_ref_valid(ref))
			x->x_ws_ref = ref;
	}
	if ((rc = guard_resolve(x)) != ERR_OK)
		return rc;

	if ((rc = guard_proxy(rt->rt_guard, x->x_state,
	    page && !external, &to)) != ERR_OK)
		return rc;
	if (to != NULL)
		return page_redirect(x, to);
	if (x->x_state != OB_READY)
		return ERR_OK;	/* a level below ready, reached */
	if (rt->rt_guard == GL_WORKSPACE) {
		/* Malformed reference or not a member: the same 404. */
		if (x->x_ws_ref == NULL || x->x_ws.w_role == ROLE_NONE)
			return ERR_NOT_FOUND;
		if (!perm_has(x->x_ws.w_role, rt->rt_perm))
			return guard_denied(x, rt->rt_name);
	}
	return ERR_OK;
}
