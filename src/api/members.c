/*
 * members: list, change role, remove.
 *
 * Owner rules: only an owner grants "owner" or changes or removes an
 * owner; the last owner can be neither demoted nor removed (409).  The
 * owners' rows and the target's are locked first, so two concurrent
 * demotions cannot leave a workspace without an owner.
 */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "list.h"
#include "perm.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

/* Queue the member list with the request's pagination. */
enum err
members_list_pre(struct rctx *x)
{
	return list_pre(x, ST_MEMBERS);
}

/* Append a comma list as a JSON array of strings. */
void
json_id_list(struct buf *b, const char *csv)
{
	const char	*p = csv, *c;
	char		 id[ID_LEN + 1];
	int		 n = 0;

	buf_putc(b, '[');
	while (p != NULL && *p != '\0') {
		c = strchr(p, ',');
		if ((c ? (size_t)(c - p) : strlen(p)) == ID_LEN) {
			memcpy(id, p, ID_LEN);
			id[ID_LEN] = '\0';
			if (n++)
				buf_putc(b, ',');
			buf_json_str(b, id);
		}
		p = c ? c + 1 : NULL;
	}
	buf_putc(b, ']');
}

/* {"userId","displayName","email","role","teamIds"} of row i. */
static void
member_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"userId\":");
	buf_json_str(b, PQgetvalue(r, i, COL_MEMBERS_ID));
	buf_puts(b, ",\"displayName\":");
	buf_json_str(b, PQgetvalue(r, i, COL_MEMBERS_DISPLAY_NAME));
	buf_puts(b, ",\"email\":");
	buf_json_str(b, PQgetvalue(r, i, COL_MEMBERS_EMAIL));
	buf_puts(b, ",\"role\":");
	buf_json_str(b, PQgetvalue(r, i, COL_MEMBERS_ROLE));
	buf_puts(b, ",\"teamIds\":");
	json_id_list(b, PQgetvalue(r, i, COL_MEMBERS_TEAM_IDS));
	buf_putc(b, '}');
}

static const struct list_shape member_shape = {
	"members", COL_MEMBERS_ID, member_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/members: users with role and team ids.
 */
enum err
members_list(struct rctx *x)
{
	return list_reply(x, 0, &member_shape, NULL);
}

/*
 * Lock the owners and the target; report the target's role (ROLE_NONE if
 * not a member) and the number of owners.
 */
static enum err
members_lock(struct rctx *x, const char *uid, enum role *target, int *owners)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	int		 i;
	enum err	 rc = ERR_INTERNAL;

	dbb_add(&b, ST_MEMBER_LOCK, uid);
	*target = ROLE_NONE;
	*owners = 0;
	if ((rc = txn_exec(x, &b)) == ERR_OK)
		for (i = 0; i < PQntuples(q.q_res); i++) {
			if (strcmp(PQgetvalue(q.q_res, i, COL_MEMBER_LOCK_ROLE),
			    "owner") == 0)
				(*owners)++;
			if (strcmp(PQgetvalue(q.q_res, i,
			    COL_MEMBER_LOCK_USER_ID), uid) == 0)
				*target = role_parse(PQgetvalue(q.q_res, i,
				    COL_MEMBER_LOCK_ROLE));
		}
	dbb_clear(&b);
	return rc;
}

/*
 * The owner rules for changing "target" (current role) to "to"
 * (ROLE_NONE: removal).  Returns ERR_OK, ERR_FORBIDDEN or ERR_CONFLICT.
 */
static enum err
owner_rules(struct rctx *x, enum role target, enum role to, int owners)
{
	if ((target == ROLE_OWNER || to == ROLE_OWNER) &&
	    x->x_ws.w_role != ROLE_OWNER) {
		x->x_msg = "Only an owner grants or removes the owner role.";
		return ERR_FORBIDDEN;
	}
	if (target == ROLE_OWNER && to != ROLE_OWNER && owners <= 1) {
		x->x_msg = "The last owner cannot be demoted or removed.";
		return ERR_CONFLICT;
	}
	return ERR_OK;
}

/*
 * Lock member uid and apply the owner rules to changing its role to "to"
 * (ROLE_NONE: removal); *target receives its current role.  ERR_OK,
 * ERR_NOT_FOUND when uid is no member of this workspace, the denial of
 * "action" (guard_denied), or ERR_CONFLICT.
 */
static enum err
member_change(struct rctx *x, const char *uid, enum role to,
    const char *action, enum role *target)
{
	int		 owners;
	enum err	 rc = ERR_INTERNAL;

	if (!id_valid(uid))
		return ERR_NOT_FOUND;
	if ((rc = members_lock(x, uid, target, &owners)) != ERR_OK)
		return rc;
	if (*target == ROLE_NONE)
		return ERR_NOT_FOUND;
	if ((rc = owner_rules(x, *target, to, owners)) == ERR_FORBIDDEN)
		rc = guard_denied(x, action);
	return rc;
}

/*
 * PATCH /api/workspaces/{ws}/members/{userId} {role}.
 */
enum err
members_patch(struct rctx *x)
{
	struct jfield	 f[] = { { "role", JF_STRING, true, 16, NULL } };
	const char	*uid = x->x_req->rq_args[1];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct buf	 meta = BUF_INIT;
	json_object	*obj = NULL;
	enum role	 target, to;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK)
		goto out;
	if ((to = role_parse(jsonin_str(&f[0]))) == ROLE_NONE) {
		x->x_field = "role";
		x->x_msg = "role must be owner, admin or member.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = member_change(x, uid, to, "members.role", &target)) !=
	    ERR_OK)
		goto out;
	dbb_add(&b, ST_MEMBER_SET_ROLE, uid, role_name(to));
	buf_puts(&meta, "{\"from\":");
	buf_json_str(&meta, role_name(target));
	buf_puts(&meta, ",\"to\":");
	buf_json_str(&meta, role_name(to));
	buf_putc(&meta, '}');
	audit_queue(x, &ev, &b, EV_MEMBER_ROLE_CHANGED, "success", "user",
	    uid, meta.b_data);
	if (!buf_ok(&meta)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	buf_puts(&x->x_resp->rs_body, "{\"userId\":");
	buf_json_str(&x->x_resp->rs_body, uid);
	buf_puts(&x->x_resp->rs_body, ",\"role\":");
	buf_json_str(&x->x_resp->rs_body, role_name(to));
	buf_putc(&x->x_resp->rs_body, '}');
	resp_json(x->x_resp, 200);
out:
	buf_free(&meta);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * DELETE /api/workspaces/{ws}/members/{userId}: remove (and, through the
 * database's cascading keys, from every team).  204.  userId may be the
 * caller's own: leaving (the last owner cannot, 409).
 */
enum err
members_delete(struct rctx *x)
{
	const char	*uid = x->x_req->rq_args[1];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum role	 target;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = member_change(x, uid, ROLE_NONE, "members.remove",
	    &target)) != ERR_OK)
		goto out;
	/*
	 * The event first: the audit table takes events from members only,
	 * and a member who leaves is not one after the delete.
	 */
	audit_queue(x, &ev, &b, EV_MEMBER_REMOVED, "success", "user", uid,
	    NULL);
	dbb_add(&b, ST_MEMBER_DELETE, uid);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	return rc;
}
