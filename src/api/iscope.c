/*
 * iscope: the scope of an internal call (see iscope.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "agents.h"
#include "db.h"
#include "iscope.h"
#include "rctx.h"
#include "txn.h"

/*
 * Open the call's scope from the first ISCOPE_NFIELDS entries of f (the
 * body already checked by jsonin_fields).  workspaceId and appId must be
 * entity ids (else 404, as a missing app); version is "published" (the
 * default) or "draft" (else 422).  The request transaction is then open
 * as second_internal in that workspace and app, and the app is loaded:
 * 404 when it is not an app of that workspace.  With ISCOPE_AGENT the
 * call must name agentId (422), the version must have an approved payload
 * (403, field version: an unapproved draft grants nothing) and the agent
 * must be in it (403, field agentId).  On success s holds the payload;
 * iscope_close frees it whatever the outcome.
 */
enum err
iscope_open(struct rctx *x, const struct jfield *f, int flags,
    struct iscope *s)
{
	struct dbctx	 ctx;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	const char	*ws = jsonin_str(&f[0]), *app = jsonin_str(&f[1]);
	const char	*ver = jsonin_str(&f[2]);
	enum err	 rc = ERR_INTERNAL;

	memset(s, 0, sizeof(*s));
	s->is_agent = jsonin_str(&f[3]);
	if (ver != NULL && strcmp(ver, "draft") != 0 &&
	    strcmp(ver, "published") != 0) {
		x->x_field = "version";
		x->x_msg = "version must be \"published\" or \"draft\".";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	s->is_draft = ver != NULL && strcmp(ver, "draft") == 0;
	if ((flags & ISCOPE_AGENT) && s->is_agent == NULL) {
		x->x_field = "agentId";
		x->x_msg = "agentId is required.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (ws == NULL || app == NULL || !id_valid(ws) || !id_valid(app)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	snprintf(s->is_ws, sizeof(s->is_ws), "%s", ws);
	snprintf(s->is_app, sizeof(s->is_app), "%s", app);
	/* For the request's log line. */
	snprintf(x->x_ws.w_id, sizeof(x->x_ws.w_id), "%s", ws);

	memset(&ctx, 0, sizeof(ctx));
	ctx.c_role = "second_internal";
	ctx.c_ws_ref = s->is_ws;
	ctx.c_app_id = s->is_app;
	dbb_add(&b, ST_INTERNAL_APP, s->is_app, s->is_draft ? "t" : "f");
	if ((rc = txn_begin(x, &ctx, &b)) != ERR_OK)
		goto out;
	if (PQntuples(q.q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (!PQgetisnull(q.q_res, 0, COL_INTERNAL_APP_PAYLOAD)) {
		s->is_payload = json_tokener_parse(PQgetvalue(q.q_res, 0,
		    COL_INTERNAL_APP_PAYLOAD));
		if (s->is_payload == NULL) {
			rc = ERR_INTERNAL;
			goto out;
		}
		snprintf(s->is_hash, sizeof(s->is_hash), "%s",
		    PQgetvalue(q.q_res, 0, COL_INTERNAL_APP_PAYLOAD_HASH));
	}
	rc = ERR_OK;
	if (!(flags & ISCOPE_AGENT))
		goto out;
	if (s->is_payload == NULL) {
		x->x_field = "version";
		x->x_msg = "That version of the app has no approved agents "
		    "configuration.";
		rc = ERR_FORBIDDEN;
	} else if (!agents_has_agent(s->is_payload, s->is_agent)) {
		x->x_field = "agentId";
		x->x_msg = "The agent is not in the approved agents "
		    "configuration of that version.";
		rc = ERR_FORBIDDEN;
	}
out:
	dbb_clear(&b);
	return rc;
}

/*
 * Free what iscope_open kept (safe on a scope it failed to open).
 */
void
iscope_close(struct iscope *s)
{
	json_object_put(s->is_payload);
	s->is_payload = NULL;
}

/*
 * The version the call names, as stored: "draft" or "published".
 */
const char *
iscope_version(const struct iscope *s)
{
	return s->is_draft ? "draft" : "published";
}
