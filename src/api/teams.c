/*
 * teams: list, create, rename, delete, and team membership.
 *
 * The default team "General" holds every member: it cannot be renamed or
 * deleted, and nobody is removed from it except by leaving the
 * workspace (409 otherwise).  A user added to a team must be a member of
 * this workspace (422, never a hint about other workspaces).
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
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

#define TEAM_NAME_MAX	100

/* Queue the team list with the request's pagination. */
enum err
teams_list_pre(struct rctx *x)
{
	return list_pre(x, ST_TEAMS);
}

/* {"id","name","isDefault","memberIds"} of row i. */
static void
team_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_TEAMS_ID));
	buf_puts(b, ",\"name\":");
	buf_json_str(b, PQgetvalue(r, i, COL_TEAMS_NAME));
	buf_puts(b, ",\"isDefault\":");
	buf_puts(b, strcmp(PQgetvalue(r, i, COL_TEAMS_IS_DEFAULT), "t") == 0 ?
	    "true" : "false");
	buf_puts(b, ",\"memberIds\":");
	json_id_list(b, PQgetvalue(r, i, COL_TEAMS_MEMBER_IDS));
	buf_putc(b, '}');
}

static const struct list_shape team_shape = {
	"teams", COL_TEAMS_ID, team_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/teams.
 */
enum err
teams_list(struct rctx *x)
{
	return list_reply(x, 0, &team_shape, NULL);
}

/* Parse {name} into *name; 400/415/422 as jsonin says. */
static enum err
team_name_body(struct rctx *x, json_object **obj, const char **name)
{
	struct jfield	 f[] = { { "name", JF_STRING, true, TEAM_NAME_MAX,
			    NULL } };
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, *obj, f, 1)) != ERR_OK)
		return rc;
	*name = jsonin_str(&f[0]);
	if (!jsonin_text_ok(*name, TEAM_NAME_MAX)) {
		x->x_field = "name";
		return ERR_VALIDATION_FAILED;
	}
	return ERR_OK;
}

/*
 * Commit a team write (b), then answer status with {"id","name" and the
 * rest of the team object ("rest", from its first comma or closing brace).
 */
static enum err
team_commit(struct rctx *x, struct dbb *b, const char *tid,
    const char *name, const char *rest, int status)
{
	struct buf	*body = &x->x_resp->rs_body;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = txn_commit(x, b)) != ERR_OK)
		return rc;
	buf_puts(body, "{\"id\":");
	buf_json_str(body, tid);
	buf_puts(body, ",\"name\":");
	buf_json_str(body, name);
	buf_puts(body, rest);
	resp_json(x->x_resp, status);
	return ERR_OK;
}

/*
 * POST /api/workspaces/{ws}/teams {name}: 201 with the team; a name
 * already used in this workspace is 409.
 */
enum err
teams_post(struct rctx *x)
{
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	json_object	*obj = NULL;
	const char	*name = NULL;
	char		 tid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = team_name_body(x, &obj, &name)) != ERR_OK)
		goto out;
	id_new(tid);
	dbb_add(&b, ST_TEAM_INSERT, tid, name);
	audit_queue(x, &ev, &b, EV_TEAM_CREATED, "success", "team", tid,
	    NULL);
	rc = team_commit(x, &b, tid, name,
	    ",\"isDefault\":false,\"memberIds\":[]}", 201);
out:
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * Lock team tid of this workspace; ERR_NOT_FOUND if absent (or not an
 * id), ERR_CONFLICT if it is the default team and "no_default".
 */
static enum err
team_lock(struct rctx *x, const char *tid, bool no_default)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	if (!id_valid(tid)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_add(&b, ST_TEAM_GET, tid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(q.q_res) != 1)
		rc = ERR_NOT_FOUND;
	else if (no_default && strcmp(PQgetvalue(q.q_res, 0,
	    COL_TEAM_GET_IS_DEFAULT), "t") == 0) {
		x->x_msg = "The default team General cannot be renamed, "
		    "deleted or left.";
		rc = ERR_CONFLICT;
	}
out:
	dbb_clear(&b);
	return rc;
}

/*
 * PATCH /api/workspaces/{ws}/teams/{teamId} {name}.
 */
enum err
teams_patch(struct rctx *x)
{
	const char	*tid = x->x_req->rq_args[1];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	json_object	*obj = NULL;
	const char	*name = NULL;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = team_name_body(x, &obj, &name)) != ERR_OK ||
	    (rc = team_lock(x, tid, true)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_TEAM_RENAME, tid, name);
	audit_queue(x, &ev, &b, EV_TEAM_RENAMED, "success", "team", tid,
	    NULL);
	rc = team_commit(x, &b, tid, name, "}", 200);
out:
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * DELETE /api/workspaces/{ws}/teams/{teamId}: 204; General is 409.
 */
enum err
teams_delete(struct rctx *x)
{
	const char	*tid = x->x_req->rq_args[1];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = team_lock(x, tid, true)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_TEAM_DELETE, tid);
	audit_queue(x, &ev, &b, EV_TEAM_DELETED, "success", "team", tid,
	    NULL);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	return rc;
}

/*
 * PUT and DELETE /api/workspaces/{ws}/teams/{teamId}/members/{userId}:
 * add to or remove from a team.  204.  The user must be a member of this
 * workspace (422); General cannot be left (409).
 */
static enum err
team_member(struct rctx *x, bool add)
{
	const char	*tid = x->x_req->rq_args[1];
	const char	*uid = x->x_req->rq_args[2];
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = team_lock(x, tid, !add)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_IS_MEMBER, uid);
	if (!id_valid(uid) || (rc = txn_exec(x, &b)) != ERR_OK ||
	    PQntuples(qs[0].q_res) != 1) {
		if (rc != ERR_OK)
			goto out;
		x->x_field = "userId";
		x->x_msg = "The user is not a member of this workspace.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	dbb_reset(&b);
	dbb_add(&b, add ? ST_TEAM_MEMBER_ADD : ST_TEAM_MEMBER_DEL, tid, uid);
	audit_queue(x, &ev, &b, add ? EV_MEMBER_TEAM_ADDED :
	    EV_MEMBER_TEAM_REMOVED, "success", "user", uid, NULL);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	return rc;
}

enum err
teams_member_put(struct rctx *x)
{
	return team_member(x, true);
}

enum err
teams_member_delete(struct rctx *x)
{
	return team_member(x, false);
}
