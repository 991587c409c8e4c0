/*
 * internal: routes called by our own machinery, never by a browser.
 *
 * /api/internal/... skip the proxy layer and authenticate with a bearer
 * token, compared in constant time (lengths first, then sodium_memcmp).
 * The token authenticates the caller only: every call is still scoped by
 * the workspace it names, which becomes the transaction's context.
 *
 * INTERNAL_API_TOKEN unset: allowed in development (said once at start),
 * impossible in production (the program refuses to start).  The provider
 * sync route needs SECOND_PROVIDER_TOKEN, external mode, and nothing else
 * lets it through.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "db.h"
#include "egress.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "internal.h"
#include "jsonin.h"
#include "perm.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"

/* Constant-time "Bearer <want>" check of the Authorization header. */
static bool
bearer_ok(const char *authz, const char *want)
{
	size_t	 wl = strlen(want), gl;

	if (authz == NULL || strncmp(authz, "Bearer ", 7) != 0)
		return false;
	authz += 7;
	gl = strlen(authz);
	/* Length is not secret once it differs; the bytes are. */
	if (gl != wl)
		return false;
	return sodium_memcmp(authz, want, wl) == 0;
}

/*
 * The gate of an internal route: ERR_OK or ERR_UNAUTHORIZED (with
 * WWW-Authenticate: Bearer); the provider route is 404 outside external
 * mode.
 */
enum err
internal_auth(struct rctx *x)
{
	const struct conf	*cf = x->x_conf;

	if (x->x_route->rt_guard == GL_PROVIDER) {
		if (cf->cf_auth_mode != AUTH_EXTERNAL)
			return ERR_NOT_FOUND;
		if (cf->cf_provider_token == NULL ||
		    !bearer_ok(x->x_req->rq_authz, cf->cf_provider_token))
			return ERR_UNAUTHORIZED;
		return ERR_OK;
	}
	if (cf->cf_internal_api_token == NULL)
		return cf->cf_env == ENV_PRODUCTION ? ERR_UNAUTHORIZED : ERR_OK;
	return bearer_ok(x->x_req->rq_authz, cf->cf_internal_api_token) ?
	    ERR_OK : ERR_UNAUTHORIZED;
}

/*
 * POST /api/internal/provider/sync
 * {workspaceId | organizationProvider + organizationId, subject, email?,
 * displayName?, role?}: upsert the user by subject, the membership, the
 * General team membership, and accept a pending, unexpired invitation for
 * that email, in one transaction as second_provider in the named
 * workspace.  The workspace is named by Second's id or slug, or by the
 * organization mapped to it (second-admin workspace-link); exactly one of
 * the two; an unknown one is 404.  The role: the one sent (validated:
 * unknown is 422, never elevated), else an existing member's, else the
 * accepted invitation's, else 422.  200 {"userId", "workspaceId", "role"}.
 */
enum err
internal_provider_sync(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "workspaceId", JF_STRING, false, 48, NULL },
		{ "organizationProvider", JF_STRING, false, 64, NULL },
		{ "organizationId", JF_STRING, false, 255, NULL },
		{ "subject", JF_STRING, true, 255, NULL },
		{ "email", JF_STRING, false, 254, NULL },
		{ "displayName", JF_STRING, false, 200, NULL },
		{ "role", JF_STRING, false, 16, NULL },
	};
	struct dbctx	 ctx = { "second_provider", NULL, NULL, NULL, false, NULL };
	struct dbq	 qs[3];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	json_object	*obj = NULL;
	const char	*ws, *oprov, *oid, *email, *name, *rname;
	char		 nid[ID_LEN + 1];
	enum role	 role = ROLE_NONE;
	size_t		 n;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 7)) != ERR_OK)
		goto out;
	ws = jsonin_str(&f[0]);
	oprov = jsonin_str(&f[1]);
	oid = jsonin_str(&f[2]);
	if ((ws != NULL) == (oprov != NULL || oid != NULL) ||
	    (oprov != NULL) != (oid != NULL)) {
		x->x_field = ws != NULL || oprov == NULL ?
		    "workspaceId" : "organizationId";
		x->x_msg = "Name the workspace by workspaceId, or by "
		    "organizationProvider and organizationId; not both.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (ws != NULL && !guard_ws_ref_valid(ws)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	rname = jsonin_str(&f[6]);
	if (rname != NULL && (role = role_parse(rname)) == ROLE_NONE) {
		x->x_field = "role";
		x->x_msg = "role must be owner, admin or member.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	email = jsonin_str(&f[4]);
	name = jsonin_str(&f[5]);
	if ((email != NULL && !jsonin_email_ok(email)) ||
	    (name != NULL && !jsonin_text_ok(name, 200))) {
		x->x_field = email != NULL && !jsonin_email_ok(email) ?
		    "email" : "displayName";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	id_new(nid);
	ctx.c_ws_ref = ws;
	if (ws == NULL)
		dbb_add(&b, ST_PROVIDER_ORG, oprov, oid);
	dbb_add(&b, ST_PROVIDER_SYNC, nid, jsonin_str(&f[3]), email, name,
	    role == ROLE_NONE ? NULL : role_name(role));
	audit_queue(x, &ev, &b, EV_MEMBER_SYNCED, "success", "subject",
	    NULL, NULL);
	n = b.bb_n;	/* the sync's row is qs[n - 2] */
	/* The provider is the actor; the context has no user. */
	rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b);
	if (rc == ERR_VALIDATION_FAILED && x->x_msg == NULL) {
		x->x_field = "role";
		x->x_msg = "No role: none was sent, the user is not a member "
		    "and has no pending invitation.";
	}
	if (rc != ERR_OK)
		goto out;
	if (PQntuples(qs[n - 2].q_res) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	buf_puts(&x->x_resp->rs_body, "{\"userId\":");
	buf_json_str(&x->x_resp->rs_body, PQgetvalue(qs[n - 2].q_res, 0,
	    COL_PROVIDER_SYNC_USER_ID));
	buf_puts(&x->x_resp->rs_body, ",\"workspaceId\":");
	buf_json_str(&x->x_resp->rs_body, PQgetvalue(qs[n - 2].q_res, 0,
	    COL_PROVIDER_SYNC_WORKSPACE_ID));
	buf_puts(&x->x_resp->rs_body, ",\"role\":");
	buf_json_str(&x->x_resp->rs_body, PQgetvalue(qs[n - 2].q_res, 0,
	    COL_PROVIDER_SYNC_ROLE));
	buf_putc(&x->x_resp->rs_body, '}');
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * Tell the provider's webhook about a new invitation: POST JSON
 * {"type":"invitation.created", "invitationId", "workspaceId", "email",
 * "role", "sentAt"} with header X-Second-Signature: a signed value over
 * the body (the assertion format, keyed by SECOND_PROVIDER_SECRET).  No
 * webhook configured: the invitation is only recorded, for the provider
 * to reconcile.  Any failure to deliver is ERR_UNAVAILABLE.
 */
enum err
internal_notify_invite(struct rctx *x, const char *id, const char *email,
    const char *role)
{
	const struct conf	*cf = x->x_conf;
	struct buf		 body = BUF_INIT, sig = BUF_INIT;
	struct cookie_key	 k;
	struct egress_call	 call;
	long			 status = 0;
	enum err		 rc = ERR_UNAVAILABLE;

	if (cf->cf_provider_webhook_url == NULL)
		return ERR_OK;
	buf_puts(&body, "{\"type\":\"invitation.created\",\"invitationId\":");
	buf_json_str(&body, id);
	buf_puts(&body, ",\"workspaceId\":");
	buf_json_str(&body, x->x_ws.w_id);
	buf_puts(&body, ",\"email\":");
	buf_json_str(&body, email);
	buf_puts(&body, ",\"role\":");
	buf_json_str(&body, role);
	buf_printf(&body, ",\"sentAt\":%lld}", (long long)time(NULL));
	/* conf_validate requires the secret whenever a webhook is set. */
	cookie_key_derive(&k, cf->cf_provider_secret,
	    strlen(cf->cf_provider_secret));
	if (!buf_ok(&body) || cookie_sign(&k, "second-webhook",
	    "X-Second-Signature", body.b_data, body.b_len, &sig) != 0) {
		rc = ERR_INTERNAL;
		goto out;
	}
	memset(&call, 0, sizeof(call));
	call.ec_url = cf->cf_provider_webhook_url;
	call.ec_domain = NULL;	/* the configured URL's own host */
	call.ec_body = body.b_data;
	call.ec_body_len = body.b_len;
	call.ec_sig_header = "X-Second-Signature";
	call.ec_sig = sig.b_data;
	if (egress_post_json(cf, &call, &status, NULL) != 0 ||
	    status < 200 || status > 299) {
		x->x_msg = "The identity provider did not accept the "
		    "invitation; nothing was recorded.";
		goto out;
	}
	rc = ERR_OK;
out:
	sodium_memzero(&k, sizeof(k));
	buf_free(&body);
	buf_free(&sig);
	return rc;
}
