/*
 * ws: workspaces: create, list, get, rename, and the workspace home page.
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
#include "page.h"
#include "perm.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

#define WS_NAME_MAX	200

/* {"workspaceId","slug","name","role"} of membership row i. */
static void
ws_member_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"workspaceId\":");
	buf_json_str(b, PQgetvalue(r, i, COL_WORKSPACE_ID));
	buf_puts(b, ",\"slug\":");
	buf_json_str(b, PQgetvalue(r, i, COL_WORKSPACE_SLUG));
	buf_puts(b, ",\"name\":");
	buf_json_str(b, PQgetvalue(r, i, COL_WORKSPACE_NAME));
	buf_puts(b, ",\"role\":");
	buf_json_str(b, PQgetvalue(r, i, COL_WORKSPACE_ROLE));
	buf_putc(b, '}');
}

static const struct list_shape ws_shape = {
	"workspaces", COL_WORKSPACE_ID, ws_member_json, NULL,
};

/*
 * Append the JSON array of the first n memberships in r (id, slug, name,
 * role); n < 0 means all.
 */
void
ws_json_list(struct buf *b, const PGresult *r, int n)
{
	if (r == NULL)
		n = 0;
	else if (n < 0 || n > PQntuples(r))
		n = PQntuples(r);
	buf_putc(b, '[');
	list_items(b, r, n, &ws_shape, NULL);
	buf_putc(b, ']');
}

/*
 * Create a workspace named "name" with "slug", the caller its owner, with
 * the default team General holding the caller, in the open request
 * transaction, which is committed with the audit event.  wsid receives
 * the new id.
 */
enum err
ws_create(struct rctx *x, const char *name, const char *slug,
    char wsid[ID_LEN + 1])
{
	struct dbq	 qs[3];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	char		 team[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (!jsonin_text_ok(name, WS_NAME_MAX)) {
		x->x_field = "name";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (!guard_slug_valid(slug)) {
		x->x_field = "slug";
		x->x_msg = "A slug is 1 to 48 lowercase letters, digits and "
		    "inner dashes, and not 24 hex digits.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	id_new(wsid);
	id_new(team);
	dbb_add(&b, ST_WS_CREATE, wsid, slug, name, team);
	/* The audit event belongs to the new workspace. */
	dbb_add(&b, ST_SET_WS, wsid);
	audit_queue(x, &ev, &b, EV_WORKSPACE_CREATED, "success",
	    "workspace", wsid, NULL);
	if ((rc = txn_commit(x, &b)) == ERR_CONFLICT) {
		x->x_field = "slug";
		x->x_msg = "That slug is taken.";
	}
out:
	dbb_clear(&b);
	return rc;
}

/* Queue a page of the caller's memberships. */
enum err
ws_list_pre(struct rctx *x)
{
	return list_pre(x, ST_WS_PAGE);
}

/*
 * GET /api/workspaces: the caller's workspaces, ordered by id.
 */
enum err
ws_list(struct rctx *x)
{
	return list_reply(x, 0, &ws_shape, NULL);
}

/* {"id","slug","name","role","permissions":[...]} of the context. */
static void
ws_json_one(struct rctx *x, const char *name)
{
	struct buf	*b = &x->x_resp->rs_body;
	int		 p, n = 0;

	buf_puts(b, "{\"id\":");
	buf_json_str(b, x->x_ws.w_id);
	buf_puts(b, ",\"slug\":");
	buf_json_str(b, x->x_ws.w_slug ? x->x_ws.w_slug : "");
	buf_puts(b, ",\"name\":");
	buf_json_str(b, name);
	buf_puts(b, ",\"role\":");
	buf_json_str(b, role_name(x->x_ws.w_role));
	buf_puts(b, ",\"permissions\":[");
	for (p = PERM_NONE + 1; p < PERM__MAX; p++)
		if (perm_has(x->x_ws.w_role, (enum perm)p)) {
			if (n++)
				buf_putc(b, ',');
			buf_json_str(b, perm_name((enum perm)p));
		}
	buf_puts(b, "]}");
}

/*
 * POST /api/workspaces {name, slug}: 201 with the workspace.
 */
enum err
ws_post(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "name", JF_STRING, true, WS_NAME_MAX, NULL },
		{ "slug", JF_STRING, true, 48, NULL },
	};
	json_object	*obj = NULL;
	char		 wsid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK ||
	    (rc = ws_create(x, jsonin_str(&f[0]), jsonin_str(&f[1]),
	    wsid)) != ERR_OK)
		goto out;
	memcpy(x->x_ws.w_id, wsid, sizeof(wsid));
	x->x_ws.w_role = ROLE_OWNER;
	free(x->x_ws.w_slug);
	x->x_ws.w_slug = strdup(jsonin_str(&f[1]));
	ws_json_one(x, jsonin_str(&f[0]));
	resp_json(x->x_resp, 201);
out:
	json_object_put(obj);
	return rc;
}

/*
 * GET /api/workspaces/{ws}: the workspace, the caller's role and
 * permissions (all known from the guard: no further query).
 */
enum err
ws_get(struct rctx *x)
{
	ws_json_one(x, x->x_ws.w_name ? x->x_ws.w_name : "");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * PATCH /api/workspaces/{ws} {name}: rename (workspace:manage).
 */
enum err
ws_patch(struct rctx *x)
{
	struct jfield	 f[] = { { "name", JF_STRING, true, WS_NAME_MAX, NULL } };
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	json_object	*obj = NULL;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK)
		goto out;
	if (!jsonin_text_ok(jsonin_str(&f[0]), WS_NAME_MAX)) {
		x->x_field = "name";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	dbb_add(&b, ST_WS_RENAME, jsonin_str(&f[0]));
	audit_queue(x, &ev, &b, EV_WORKSPACE_RENAMED, "success",
	    "workspace", x->x_ws.w_id, NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	ws_json_one(x, jsonin_str(&f[0]));
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/* Queue the home page's reads: members and teams. */
enum err
ws_home_pre(struct rctx *x)
{
	txn_pre(x, ST_MEMBERS, NULL, "201");
	txn_pre(x, ST_TEAMS, NULL, "201");
	return ERR_OK;
}

/*
 * GET /w/{ws}: the workspace home page.
 */
enum err
ws_home(struct rctx *x)
{
	struct buf	*b = &x->x_resp->rs_body;
	const PGresult	*m = txn_pre_res(x, 0), *t = txn_pre_res(x, 1);
	int		 i;

	page_begin(x, x->x_ws.w_name ? x->x_ws.w_name : "Workspace");
	buf_puts(b, "<p>You are ");
	buf_html(b, role_name(x->x_ws.w_role));
	buf_puts(b, " of this workspace.</p><h2>Members</h2><ul>");
	for (i = 0; m != NULL && i < PQntuples(m) && i < 200; i++) {
		buf_puts(b, "<li>");
		buf_html(b, PQgetvalue(m, i, COL_MEMBERS_DISPLAY_NAME));
		buf_puts(b, " (");
		buf_html(b, PQgetvalue(m, i, COL_MEMBERS_ROLE));
		buf_puts(b, ")</li>");
	}
	buf_puts(b, "</ul><h2>Teams</h2><ul>");
	for (i = 0; t != NULL && i < PQntuples(t) && i < 200; i++) {
		buf_puts(b, "<li>");
		buf_html(b, PQgetvalue(t, i, COL_TEAMS_NAME));
		buf_puts(b, "</li>");
	}
	buf_puts(b, "</ul>");
	page_end(x);
	return ERR_OK;
}
