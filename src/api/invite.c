/*
 * invite: workspace invitations and the provider's membership sync.
 *
 * None mode sends no invitations: creating one is 409
 * external_auth_required with a message saying why (the seeds: "invitation
 * actions explain that external authentication is required").  External
 * mode records the invitation and notifies the provider's webhook;
 * the provider reports acceptance through POST /api/internal/provider/sync.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "internal.h"
#include "jsonin.h"
#include "list.h"
#include "perm.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

/* The statuses an invitation is reported with (sql/001_baseline.sql). */
static const char *const invite_statuses[] = {
	"pending", "accepted", "revoked", "expired", NULL,
};

/*
 * Queue the invitation list with the request's pagination and its
 * ?status= filter; an unknown status is 400, reported by invites_list.
 */
enum err
invites_list_pre(struct rctx *x)
{
	struct list_args	*la;
	const char		*status = NULL;
	char			*want = NULL;
	int			 i;
	enum err		 rc = ERR_INTERNAL;

	if ((la = list_new(x)) == NULL)
		goto out;
	rc = ERR_OK;	/* a bad argument is the handler's to answer */
	if (la->la_err != ERR_OK)
		goto out;
	if (req_query_get(x->x_req, "status", &want) != ERR_OK) {
		la->la_err = ERR_BAD_REQUEST;
		goto out;
	}
	for (i = 0; want != NULL && invite_statuses[i] != NULL; i++)
		if (strcmp(want, invite_statuses[i]) == 0)
			status = invite_statuses[i];
	if (want != NULL && status == NULL) {
		la->la_err = ERR_BAD_REQUEST;
		x->x_msg = "status must be pending, accepted, revoked or "
		    "expired.";
		goto out;
	}
	txn_pre(x, ST_INVITES, list_cursor_param(la), la->la_fetch, status);
out:
	free(want);
	return rc;
}

/* {"id","email","role","status","createdAt","expiresAt"} of row i. */
static void
invite_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_INVITES_ID));
	buf_puts(b, ",\"email\":");
	buf_json_str(b, PQgetvalue(r, i, COL_INVITES_EMAIL));
	buf_puts(b, ",\"role\":");
	buf_json_str(b, PQgetvalue(r, i, COL_INVITES_ROLE));
	buf_puts(b, ",\"status\":");
	buf_json_str(b, PQgetvalue(r, i, COL_INVITES_STATUS));
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_INVITES_CREATED_AT));
	buf_puts(b, ",\"expiresAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_INVITES_EXPIRES_AT));
	buf_putc(b, '}');
}

static const struct list_shape invite_shape = {
	"invitations", COL_INVITES_ID, invite_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/invitations[?status=] (members:invite).  A
 * pending invitation past its expiry is listed, and filtered, as expired.
 */
enum err
invites_list(struct rctx *x)
{
	return list_reply(x, 0, &invite_shape, NULL);
}

/*
 * POST /api/workspaces/{ws}/invitations {email, role} (members:invite).
 * None mode: 409 external_auth_required.  External mode: 201, expiring
 * invitation_ttl seconds from now; a pending invitation for the same
 * normalized email is 409 (an expired or revoked one is not: it is
 * stored expired first); only an owner invites an owner.
 */
enum err
invites_post(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "email", JF_STRING, true, 254, NULL },
		{ "role", JF_STRING, true, 16, NULL },
	};
	struct dbq	 qs[3];
	struct dbb	 qb = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct buf	*b = &x->x_resp->rs_body;
	json_object	*obj = NULL;
	char		 iid[ID_LEN + 1], ttl[24];
	enum role	 role;
	enum err	 rc = ERR_INTERNAL;

	if (x->x_conf->cf_auth_mode == AUTH_NONE) {
		x->x_msg = "Local mode (SECOND_AUTH_MODE=none) sends no "
		    "invitations: inviting needs external authentication. "
		    "Use second-admin member-add to add a local user.";
		rc = ERR_EXTERNAL_AUTH_REQUIRED;
		goto out;
	}
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK)
		goto out;
	if (!jsonin_email_ok(jsonin_str(&f[0]))) {
		x->x_field = "email";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((role = role_parse(jsonin_str(&f[1]))) == ROLE_NONE) {
		x->x_field = "role";
		x->x_msg = "role must be owner, admin or member.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (role == ROLE_OWNER && x->x_ws.w_role != ROLE_OWNER) {
		rc = guard_denied(x, "invitations.owner");
		goto out;
	}
	id_new(iid);
	snprintf(ttl, sizeof(ttl), "%lld", x->x_conf->cf_invitation_ttl);
	dbb_add(&qb, ST_INVITE_EXPIRE, jsonin_str(&f[0]));
	dbb_add(&qb, ST_INVITE_INSERT, iid, jsonin_str(&f[0]), role_name(role),
	    ttl);
	audit_queue(x, &ev, &qb, EV_MEMBER_INVITED, "success",
	    "invitation", iid, NULL);
	if ((rc = txn_exec(x, &qb)) != ERR_OK) {
		if (rc == ERR_CONFLICT)
			x->x_msg = "A pending invitation for this email "
			    "exists.";
		goto out;
	}
	/* Notify the provider before committing: no send, no record. */
	if ((rc = internal_notify_invite(x, iid, jsonin_str(&f[0]),
	    role_name(role))) != ERR_OK)
		goto out;
	buf_puts(b, "{\"id\":");
	buf_json_str(b, iid);
	buf_puts(b, ",\"email\":");
	buf_json_str(b, jsonin_str(&f[0]));
	buf_puts(b, ",\"role\":");
	buf_json_str(b, role_name(role));
	buf_puts(b, ",\"status\":\"pending\",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(qs[1].q_res, 0,
	    COL_INVITE_INSERT_CREATED_AT));
	buf_puts(b, ",\"expiresAt\":");
	buf_json_utc(b, PQgetvalue(qs[1].q_res, 0,
	    COL_INVITE_INSERT_EXPIRES_AT));
	buf_putc(b, '}');
	dbb_clear(&qb);
	if ((rc = txn_commit(x, NULL)) != ERR_OK)
		goto out;
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&qb);
	json_object_put(obj);
	return rc;
}

/*
 * DELETE /api/workspaces/{ws}/invitations/{id}: revoke a pending
 * invitation.  204; missing is 404; already decided or expired is 409.
 */
enum err
invites_delete(struct rctx *x)
{
	const char	*iid = x->x_req->rq_args[1];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum err	 rc = ERR_INTERNAL;

	if (!id_valid(iid)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_add(&b, ST_INVITE_GET, iid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (strcmp(PQgetvalue(qs[0].q_res, 0, COL_INVITE_GET_STATUS),
	    "pending") != 0) {
		x->x_msg = "The invitation is no longer pending.";
		rc = ERR_CONFLICT;
		goto out;
	}
	dbb_reset(&b);
	dbb_add(&b, ST_INVITE_REVOKE, iid);
	audit_queue(x, &ev, &b, EV_MEMBER_INVITATION_REVOKED, "success",
	    "invitation", iid, NULL);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	return rc;
}
