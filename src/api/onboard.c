/*
 * onboard: identity and first workspace, for people (pages) and clients
 * (JSON), plus /api/me and logout.
 *
 * None mode only for the identity routes: in external mode identity is
 * the provider's, and they answer 404 like any unknown path.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "guard.h"
#include "perm.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "page.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "txn.h"
#include "xsite.h"

#define NAME_MAX_BYTES	200

/* /api/me's state: the workspace the request selects. */
struct me_state {
	char	 ms_sel[64];	/* selected by header or cookie, "" if none */
	bool	 ms_bad;	/* ... and malformed */
};

static const struct route_state_type me_state_type = {
	"me", sizeof(struct me_state), NULL,
};

/*
 * Create or complete the user for (name, email) as second_anon; the
 * email is the key in none mode.  Sets the session cookie.  On success
 * *uid holds the user id.
 */
static enum err
onboard_user(struct rctx *x, const char *name, const char *email,
    char uid[ID_LEN + 1])
{
	struct dbctx	 ctx = { "second_anon", NULL, NULL, NULL, false, NULL };
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	char		 nid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (!jsonin_text_ok(name, NAME_MAX_BYTES)) {
		x->x_field = "displayName";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (!jsonin_email_ok(email)) {
		x->x_field = "email";
		x->x_msg = "Not a valid email address.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	txn_end(x);	/* the guard's read, if any */
	id_new(nid);
	ctx.c_user_id = nid;
	dbb_add(&b, ST_ONBOARD, nid, name, email);
	rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b);
	if (rc == ERR_OK && PQntuples(q.q_res) == 1) {
		snprintf(uid, ID_LEN + 1, "%s", PQgetvalue(q.q_res, 0,
		    COL_ONBOARD_USER_ID));
		page_set_session(x, uid, strtoll(PQgetvalue(q.q_res, 0,
		    COL_ONBOARD_SESSION_VERSION),
		    NULL, 10));
		if (x->x_set_cookie == NULL)
			rc = ERR_INTERNAL;
	} else if (rc == ERR_OK)
		rc = ERR_INTERNAL;
out:
	dbb_clear(&b);
	return rc;
}

/* The JSON of the current user. */
static void
json_user(struct buf *b, const char *id, const char *name, const char *email)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, id);
	buf_puts(b, ",\"displayName\":");
	if (name != NULL)
		buf_json_str(b, name);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"email\":");
	if (email != NULL)
		buf_json_str(b, email);
	else
		buf_puts(b, "null");
	buf_puts(b, "}");
}

/*
 * POST /api/onboarding/identity {displayName, email}: 201 with the user
 * and Set-Cookie.
 */
enum err
onb_identity_api(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "displayName", JF_STRING, true, NAME_MAX_BYTES, NULL },
		{ "email", JF_STRING, true, 254, NULL },
	};
	json_object	*obj = NULL;
	char		 uid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (x->x_conf->cf_auth_mode != AUTH_NONE) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK ||
	    (rc = onboard_user(x, jsonin_str(&f[0]), jsonin_str(&f[1]),
	    uid)) != ERR_OK)
		goto out;
	json_user(&x->x_resp->rs_body, uid, jsonin_str(&f[0]),
	    jsonin_str(&f[1]));
	resp_json(x->x_resp, 201);
out:
	json_object_put(obj);
	return rc;
}

/* Redirect a page request by onboarding state; true if it redirected. */
static bool
onb_route_by_state(struct rctx *x, enum onboard allowed_lo,
    enum onboard allowed_hi)
{
	struct buf	 to = BUF_INIT;

	if (x->x_state >= allowed_lo && x->x_state <= allowed_hi)
		return false;
	if (x->x_state == OB_READY && x->x_first_slug != NULL) {
		buf_puts(&to, "/w/");
		buf_puts(&to, x->x_first_slug);
		resp_redirect(x->x_resp, 302, buf_ok(&to) ? to.b_data : "/");
	} else if (x->x_state >= OB_NEEDS_WORKSPACE)
		resp_redirect(x->x_resp, 302, "/onboarding/workspace");
	else
		resp_redirect(x->x_resp, 302, "/onboarding/identity");
	buf_free(&to);
	return true;
}

/*
 * GET /: send the person where their onboarding state says.
 */
enum err
onb_home(struct rctx *x)
{
	/*
	 * External mode never redirects a page into onboarding (the
	 * provider owns login and profile): the page answers the state.
	 */
	if (x->x_conf->cf_auth_mode == AUTH_EXTERNAL) {
		switch (x->x_state) {
		case OB_MISSING_IDENTITY:
			return ERR_IDENTITY_REQUIRED;
		case OB_NEEDS_PROFILE:
			return ERR_PROFILE_REQUIRED;
		case OB_NEEDS_WORKSPACE:
			return ERR_WORKSPACE_REQUIRED;
		default:
			break;
		}
	}
	(void)onb_route_by_state(x, OB__MAX, OB__MAX);
	return ERR_OK;
}

/* The identity form, with an optional error line. */
static void
identity_form(struct rctx *x, const char *error)
{
	struct buf	*b = &x->x_resp->rs_body;

	page_begin(x, "Who are you?");
	if (error != NULL) {
		buf_puts(b, "<p role=\"alert\">");
		buf_html(b, error);
		buf_puts(b, "</p>");
	}
	buf_puts(b, "<form method=\"post\" action=\"/onboarding/identity\">"
	    "<label>Display name <input name=\"displayName\" required "
	    "maxlength=\"200\"></label><label>Email <input name=\"email\" "
	    "type=\"email\" required maxlength=\"254\"></label>"
	    "<button>Continue</button></form>"
	    "<p>Local mode: anyone who reaches this server can create an "
	    "identity. Do not expose it to the internet.</p>");
	page_end(x);
}

/*
 * GET /onboarding/identity: the form (missing identity or profile only).
 */
enum err
onb_identity_page(struct rctx *x)
{
	if (x->x_conf->cf_auth_mode != AUTH_NONE)
		return ERR_NOT_FOUND;
	if (onb_route_by_state(x, OB_MISSING_IDENTITY, OB_NEEDS_PROFILE))
		return ERR_OK;
	identity_form(x, NULL);
	return ERR_OK;
}

/*
 * POST /onboarding/identity (form): create or complete the user, set the
 * cookie, 303 onwards.  Invalid input re-renders the form with 422.
 */
enum err
onb_identity_form(struct rctx *x)
{
	char		*name = NULL, *email = NULL, uid[ID_LEN + 1];
	const char	*body = x->x_req->rq_body ? x->x_req->rq_body : "";
	enum err	 rc = ERR_INTERNAL;

	if (x->x_conf->cf_auth_mode != AUTH_NONE) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if ((rc = xsite_form_check(x)) != ERR_OK)
		goto out;
	if ((rc = req_form_get(body, "displayName", &name)) != ERR_OK ||
	    (rc = req_form_get(body, "email", &email)) != ERR_OK)
		goto out;
	rc = onboard_user(x, name ? name : "", email ? email : "", uid);
	if (rc == ERR_VALIDATION_FAILED) {
		identity_form(x, x->x_field && strcmp(x->x_field, "email") == 0 ?
		    "Enter a valid email address." : "Enter a display name.");
		x->x_resp->rs_status = 422;
		rc = ERR_OK;
		goto out;
	}
	if (rc == ERR_OK)
		resp_redirect(x->x_resp, 303, "/onboarding/workspace");
out:
	free(name);
	free(email);
	return rc;
}

/* The workspace form, with an optional error line. */
static void
workspace_form(struct rctx *x, const char *error)
{
	struct buf	*b = &x->x_resp->rs_body;

	page_begin(x, "Create a workspace");
	if (error != NULL) {
		buf_puts(b, "<p role=\"alert\">");
		buf_html(b, error);
		buf_puts(b, "</p>");
	}
	buf_puts(b, "<form method=\"post\" action=\"/onboarding/workspace\">");
	page_csrf_field(x);
	buf_puts(b, "<label>Name <input name=\"name\" required "
	    "maxlength=\"200\"></label><label>Slug <input name=\"slug\" "
	    "required maxlength=\"48\" pattern=\"[a-z0-9][a-z0-9-]*\">"
	    "</label><button>Create</button></form>");
	page_end(x);
}

/*
 * GET /onboarding/workspace: the form (needs-workspace only).
 */
enum err
onb_workspace_page(struct rctx *x)
{
	if (onb_route_by_state(x, OB_NEEDS_WORKSPACE, OB_NEEDS_WORKSPACE))
		return ERR_OK;
	workspace_form(x, NULL);
	return ERR_OK;
}

/*
 * POST /onboarding/workspace (form): create it, 303 to /w/{slug}.
 */
enum err
onb_workspace_form(struct rctx *x)
{
	const char	*body = x->x_req->rq_body ? x->x_req->rq_body : "";
	char		*name = NULL, *slug = NULL;
	char		 wsid[ID_LEN + 1];
	struct buf	 to = BUF_INIT;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = xsite_form_check(x)) != ERR_OK)
		goto out;
	if ((rc = req_form_get(body, "name", &name)) != ERR_OK ||
	    (rc = req_form_get(body, "slug", &slug)) != ERR_OK)
		goto out;
	rc = ws_create(x, name ? name : "", slug ? slug : "", wsid);
	if (rc == ERR_VALIDATION_FAILED || rc == ERR_CONFLICT) {
		workspace_form(x, rc == ERR_CONFLICT ? "That slug is taken." :
		    "Enter a name and a slug of lowercase letters, digits and "
		    "dashes.");
		x->x_resp->rs_status = rc == ERR_CONFLICT ? 409 : 422;
		rc = ERR_OK;
		goto out;
	}
	if (rc != ERR_OK)
		goto out;
	buf_printf(&to, "/w/%s", slug);
	resp_redirect(x->x_resp, 303, buf_ok(&to) ? to.b_data : "/");
out:
	buf_free(&to);
	free(name);
	free(slug);
	return rc;
}

/*
 * Queue the caller's memberships for a pipelined read, and select the
 * current workspace: the X-Second-Workspace-Id header, else the
 * second_workspace_id cookie, else the oldest membership.  A malformed
 * selection is remembered and answered 404 (no fallback).
 */
enum err
onb_me_pre(struct rctx *x)
{
	const struct req	*rq = x->x_req;
	const char		*v = rq->rq_ws_header;
	size_t			 len = v ? strlen(v) : 0;
	struct me_state		*ms;

	if ((ms = route_state_new(x, &me_state_type)) == NULL)
		return ERR_INTERNAL;
	if (v == NULL && (v = req_cookie_get(rq, "second_workspace_id",
	    &len)) == NULL) {
		v = "";
		len = 0;
	}
	txn_pre(x, ST_MY_WORKSPACES);
	if (len >= sizeof(ms->ms_sel)) {
		ms->ms_bad = true;
		return ERR_OK;
	}
	memcpy(ms->ms_sel, v, len);
	ms->ms_sel[len] = '\0';
	if (len > 0 && !guard_ws_ref_valid(ms->ms_sel))
		ms->ms_bad = true;
	else
		x->x_ws_ref = ms->ms_sel;	/* the state outlives the guard */
	return ERR_OK;
}

/*
 * GET /api/me: the user, the onboarding state and the memberships.
 */
enum err
onb_me(struct rctx *x)
{
	struct buf		*b = &x->x_resp->rs_body;
	const struct me_state	*ms = route_state(x, &me_state_type);
	const PGresult		*r = txn_pre_res(x, 0);

	if (ms == NULL)
		return ERR_INTERNAL;
	/* A selection that is malformed or not a membership: 404. */
	if (ms->ms_bad || (ms->ms_sel[0] != '\0' &&
	    x->x_ws.w_role == ROLE_NONE))
		return ERR_NOT_FOUND;
	buf_puts(b, "{\"user\":");
	json_user(b, x->x_user_id, x->x_user_name, x->x_user_email);
	buf_puts(b, ",\"onboardingState\":");
	buf_json_str(b, guard_state_name(x->x_state));
	buf_puts(b, ",\"memberships\":");
	ws_json_list(b, r, -1);
	buf_puts(b, ",\"currentWorkspace\":");
	if (x->x_ws.w_role != ROLE_NONE) {
		buf_puts(b, "{\"workspaceId\":");
		buf_json_str(b, x->x_ws.w_id);
		buf_puts(b, ",\"slug\":");
		buf_json_str(b, x->x_ws.w_slug ? x->x_ws.w_slug : "");
		buf_puts(b, ",\"role\":");
		buf_json_str(b, role_name(x->x_ws.w_role));
		buf_puts(b, "}");
	} else
		buf_puts(b, "null");
	buf_puts(b, "}");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * POST /api/session/logout: bump session_version (every cookie issued
 * before dies) and clear the cookie.  204.
 */
enum err
onb_logout(struct rctx *x)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	dbb_add(&b, ST_LOGOUT);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	if (x->x_conf->cf_auth_mode == AUTH_NONE)
		page_clear_session(x);
	x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	return rc;
}
