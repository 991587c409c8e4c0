/*
 * apps: create, list, get, rename, delete, and the app every nested
 * route loads first.
 *
 * Visibility is decided twice: the row-level policies on second.apps
 * return no row for an app the caller may not see, and apps_visible
 * applies the same rule in C to what came back (owners and admins see
 * every app; creator and collaborators their app in any state; other
 * members an app that has a published version and shares a team with
 * them, and then only that version).  Hidden is 404
 * for the app and every path under it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "apps.h"
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

#define APP_NAME_MAX	200
#define APP_MAX_REFS	100

/*
 * Capture n of the route (the app is capture 1), or NULL.
 */
const char *
apps_arg(const struct rctx *x, size_t n)
{
	return n < x->x_req->rq_nargs ? x->x_req->rq_args[n] : NULL;
}

/*
 * Capture n when it is an id, else NULL: the statement parameter of an id
 * from the path, which matches no row (404) when the capture is no id.
 */
const char *
apps_id_arg(const struct rctx *x, size_t n)
{
	const char	*id = apps_arg(x, n);

	return id && id_valid(id) ? id : NULL;
}

/*
 * Column c of the app's row.
 */
const char *
apps_get(const struct app *a, enum col_app c)
{
	return PQgetvalue(a->ap_res, a->ap_row, (int)c);
}

/* Does the comma list csv hold the n-byte id? */
static bool
csv_has(const char *csv, const char *id, size_t n)
{
	const char	*q = csv;

	while (q != NULL && *q != '\0') {
		if (strncmp(q, id, n) == 0 && (q[n] == ',' || q[n] == '\0'))
			return true;
		if ((q = strchr(q, ',')) != NULL)
			q++;
	}
	return false;
}

/* Do the comma lists a and b share an id? */
static bool
csv_overlap(const char *a, const char *b)
{
	const char	*p, *c;

	for (p = a; p != NULL && *p != '\0'; p = c ? c + 1 : NULL) {
		c = strchr(p, ',');
		if (csv_has(b, p, c ? (size_t)(c - p) : strlen(p)))
			return true;
	}
	return false;
}

/*
 * True if the caller is one of the app's explicit collaborators.
 */
bool
apps_is_collaborator(const struct rctx *x, const struct app *a)
{
	return csv_has(apps_get(a, COL_APP_COLLABORATOR_IDS), x->x_user_id,
	    strlen(x->x_user_id));
}

/*
 * The visibility rule in C, on a row the database returned: fills a and
 * returns true if the caller may see the app.
 */
bool
apps_visible(const struct rctx *x, const PGresult *r, int row, struct app *a)
{
	memset(a, 0, sizeof(*a));
	if (r == NULL || row >= PQntuples(r) || PQnfields(r) != COL_APP__N)
		return false;
	a->ap_res = r;
	a->ap_row = row;
	a->ap_builder = x->x_ws.w_role == ROLE_OWNER ||
	    x->x_ws.w_role == ROLE_ADMIN ||
	    strcmp(apps_get(a, COL_APP_CREATED_BY_USER_ID),
	    x->x_user_id) == 0 ||
	    apps_is_collaborator(x, a);
	/*
	 * Published once is enough for team viewers: they keep the last
	 * published version while the builders work on the draft or a
	 * review (the same rule as the policy on second.apps).
	 */
	a->ap_published = !PQgetisnull(r, row, COL_APP_PUBLISHED_SNAPSHOT_ID);
	a->ap_in_review = strcmp(apps_get(a, COL_APP_PUBLISH_STATUS),
	    "in_review") == 0;
	if (a->ap_builder)
		return true;
	return a->ap_published && x->x_ws.w_team_ids != NULL &&
	    csv_overlap(apps_get(a, COL_APP_TEAM_IDS), x->x_ws.w_team_ids);
}

/*
 * The app of a GET route, from the pipelined read r: ERR_OK with a
 * filled, or ERR_NOT_FOUND when it is missing or hidden.
 */
enum err
apps_load(struct rctx *x, const PGresult *r, struct app *a)
{
	if (r == NULL || PQntuples(r) != 1 || !apps_visible(x, r, 0, a))
		return ERR_NOT_FOUND;
	return ERR_OK;
}

/*
 * Lock the app named by app_id in the open transaction (the batch lk, of
 * one statement, keeps the row; the caller clears it).  ERR_NOT_FOUND if
 * missing or not lockable: only builders pass the UPDATE policy that FOR
 * NO KEY UPDATE needs, so callers that must tell a viewer (403) from a
 * stranger (404) use apps_require_builder.
 */
enum err
apps_lock(struct rctx *x, const char *app_id, struct dbb *lk, struct app *a)
{
	enum err	 rc = ERR_INTERNAL;

	dbb_reset(lk);
	if (app_id == NULL || !id_valid(app_id)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_add(lk, ST_APP_LOCK, app_id);
	if ((rc = txn_exec(x, lk)) != ERR_OK)
		goto out;
	rc = apps_load(x, dbb_res(lk, 0), a);
out:
	return rc;
}

/*
 * Append a JSON array of ids from json array "v" as a PostgreSQL text
 * array literal ("{a,b}"); ids were validated (hex only).
 */
void
apps_pg_array(struct buf *b, json_object *v)
{
	size_t	 i, n = v ? json_object_array_length(v) : 0;

	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, json_object_get_string(
		    json_object_array_get_idx(v, i)));
	}
	buf_putc(b, '}');
}

/* Number of distinct strings in a JSON array of ids. */
static size_t
distinct(json_object *v)
{
	size_t	 i, j, n = v ? json_object_array_length(v) : 0, d = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(v, i)),
			    json_object_get_string(
			    json_object_array_get_idx(v, j))) == 0)
				break;
		d += j == i;
	}
	return d;
}

/*
 * Check that every team id and user id names a team or member of THIS
 * workspace (one query), and render both as array literals.  A foreign
 * or unknown id is 422 with the field, never a hint about elsewhere.
 */
enum err
apps_ids_in_workspace(struct rctx *x, json_object *teams, json_object *users,
    struct buf *team_arr, struct buf *user_arr)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	apps_pg_array(team_arr, teams);
	apps_pg_array(user_arr, users);
	if (!buf_ok(team_arr) || !buf_ok(user_arr))
		goto out;
	dbb_add(&b, ST_APP_REFS, team_arr->b_data, user_arr->b_data);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if ((size_t)strtoull(PQgetvalue(q.q_res, 0, COL_APP_REFS_TEAMS), NULL,
	    10) !=
	    distinct(teams)) {
		x->x_field = "teamIds";
		x->x_msg = "Every team must belong to this workspace.";
		rc = ERR_VALIDATION_FAILED;
	} else if ((size_t)strtoull(PQgetvalue(q.q_res, 0,
	    COL_APP_REFS_MEMBERS), NULL, 10) !=
	    distinct(users)) {
		x->x_field = "collaboratorUserIds";
		x->x_msg = "Every collaborator must be a member of this "
		    "workspace.";
		rc = ERR_VALIDATION_FAILED;
	}
out:
	dbb_clear(&b);
	return rc;
}

/*
 * {"hash","fileCount","bytes"} of a version, or null.  The count and the
 * size are integer columns: PostgreSQL's text form is a JSON number.
 * (No printf: it was a sixth of the worker's instructions for a list.)
 */
static void
version_json(struct buf *b, const struct app *a, enum col_app h,
    enum col_app f, enum col_app n)
{
	if (PQgetisnull(a->ap_res, a->ap_row, (int)h)) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "{\"hash\":");
	buf_json_str(b, apps_get(a, h));
	buf_puts(b, ",\"fileCount\":");
	buf_puts(b, apps_get(a, f));
	buf_puts(b, ",\"bytes\":");
	buf_puts(b, apps_get(a, n));
	buf_putc(b, '}');
}

static void
opt_str(struct buf *b, const struct app *a, enum col_app c)
{
	if (PQgetisnull(a->ap_res, a->ap_row, (int)c))
		buf_puts(b, "null");
	else
		buf_json_str(b, apps_get(a, c));
}

/*
 * The JSON of an app.  Draft details only for builders.
 */
void
apps_json(struct buf *b, const struct app *a)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, apps_get(a, COL_APP_ID));
	buf_puts(b, ",\"name\":");
	buf_json_str(b, apps_get(a, COL_APP_NAME));
	buf_puts(b, ",\"publishStatus\":");
	buf_json_str(b, apps_get(a, COL_APP_PUBLISH_STATUS));
	buf_puts(b, ",\"createdByUserId\":");
	buf_json_str(b, apps_get(a, COL_APP_CREATED_BY_USER_ID));
	buf_puts(b, ",\"teamIds\":");
	json_id_list(b, apps_get(a, COL_APP_TEAM_IDS));
	buf_puts(b, ",\"collaboratorUserIds\":");
	json_id_list(b, apps_get(a, COL_APP_COLLABORATOR_IDS));
	buf_puts(b, ",\"canEdit\":");
	buf_puts(b, a->ap_builder ? "true" : "false");
	buf_puts(b, ",\"published\":");
	if (a->ap_published)
		version_json(b, a, COL_APP_PUBLISHED_HASH,
		    COL_APP_PUBLISHED_FILE_COUNT, COL_APP_PUBLISHED_BYTES);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"publishedAgentsHash\":");
	opt_str(b, a, COL_APP_PUBLISHED_AGENTS_HASH);
	if (a->ap_builder) {
		buf_puts(b, ",\"draft\":");
		version_json(b, a, COL_APP_DRAFT_HASH, COL_APP_DRAFT_FILE_COUNT,
		    COL_APP_DRAFT_BYTES);
		buf_puts(b, ",\"draftAgentsHash\":");
		opt_str(b, a, COL_APP_DRAFT_AGENTS_HASH);
		buf_puts(b, ",\"approvedAgentsHash\":");
		opt_str(b, a, COL_APP_APPROVED_AGENTS_HASH);
		buf_puts(b, ",\"draftTeamIds\":");
		json_id_list(b, apps_get(a, COL_APP_DRAFT_TEAM_IDS));
	}
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, apps_get(a, COL_APP_CREATED_AT));
	buf_putc(b, '}');
}

/* Queue the app list with the request's pagination. */
enum err
apps_list_pre(struct rctx *x)
{
	return list_pre(x, ST_APPS_LIST);
}

/* The app list's row state: the caller, and the app apps_visible read. */
struct apps_row {
	const struct rctx	*ar_x;
	struct app		 ar_app;
};

/* Whether the caller may see app row i (apps_visible into the state). */
static bool
apps_row_keep(const PGresult *r, int i, void *arg)
{
	struct apps_row	*ar = arg;

	return apps_visible(ar->ar_x, r, i, &ar->ar_app);
}

/* apps_json of the app apps_row_keep just kept. */
static void
apps_row_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	const struct apps_row	*ar = arg;

	apps_json(b, &ar->ar_app);
}

static const struct list_shape apps_shape = {
	"apps", COL_APP_ID, apps_row_json, apps_row_keep,
};

/*
 * GET /api/workspaces/{ws}/apps: the apps the caller may see.
 */
enum err
apps_list(struct rctx *x)
{
	struct apps_row	 ar;

	ar.ar_x = x;
	return list_reply(x, 0, &apps_shape, &ar);
}

/* Queue the app of an app route (capture 1). */
enum err
apps_get_pre(struct rctx *x)
{
	txn_pre(x, ST_APP_GET, apps_id_arg(x, 1));
	return ERR_OK;
}

/*
 * GET /api/workspaces/{ws}/apps/{appId}.
 */
enum err
apps_show(struct rctx *x)
{
	struct app	 a;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	apps_json(&x->x_resp->rs_body, &a);
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * Queue the replacement of the app's teams and/or collaborators (array
 * literals; NULL keeps that set) into b: at most five statements.  The
 * teams become the proposed (draft) ones, and also who sees the
 * published version when visible is true.  The arrays must outlive the
 * batch.
 */
void
apps_queue_refs(struct dbb *b, const char *app, const char *teams,
    bool visible, const char *users)
{
	if (teams != NULL) {
		dbb_add(b, ST_APP_DRAFT_TEAMS, app, teams);
		if (visible) {
			dbb_add(b, ST_APP_CLEAR_TEAMS, app);
			dbb_add(b, ST_APP_ADD_TEAMS, app, teams);
		}
	}
	/*
	 * Collaborators are added before the others are dropped: a
	 * collaborator who hands the app over may only add while still
	 * one (the insert policy wants a builder).
	 */
	if (users != NULL) {
		dbb_add(b, ST_APP_ADD_COLLABS, app, users);
		dbb_add(b, ST_APP_DROP_COLLABS, app, users);
	}
}

/*
 * Append the re-read of app id to b (sized for it), commit the request
 * transaction, and answer the app as JSON with "status", or 204 when the
 * write hid the app from the caller (a collaborator who removed
 * themselves).  The results stay in b for the caller to clear.
 */
enum err
apps_commit_show(struct rctx *x, struct dbb *b, const char *id, int status)
{
	const PGresult	*r;
	struct app	 a;
	size_t		 get = b->bb_n;
	enum err	 rc = ERR_INTERNAL;

	dbb_add(b, ST_APP_GET, id);
	if ((rc = txn_commit(x, b)) != ERR_OK)
		goto out;
	r = dbb_res(b, get);
	if (r != NULL && PQntuples(r) == 0) {
		/* Committed; the caller may no longer see what they wrote. */
		x->x_resp->rs_status = 204;
		goto out;
	}
	if (!apps_visible(x, r, 0, &a)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	apps_json(&x->x_resp->rs_body, &a);
	resp_json(x->x_resp, status);
out:
	return rc;
}

/*
 * POST /api/workspaces/{ws}/apps {name, teamIds?, collaboratorUserIds?}:
 * 201; the app starts as a draft and the caller is its creator.
 */
enum err
apps_post(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "name", JF_STRING, true, APP_NAME_MAX, NULL },
		{ "teamIds", JF_IDARRAY, false, APP_MAX_REFS, NULL },
		{ "collaboratorUserIds", JF_IDARRAY, false, APP_MAX_REFS,
		    NULL },
	};
	struct buf	 ta = BUF_INIT, ua = BUF_INIT;
	struct dbq	 qs[8];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	json_object	*obj = NULL;
	char		 id[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 3)) != ERR_OK)
		goto out;
	if (!jsonin_text_ok(jsonin_str(&f[0]), APP_NAME_MAX)) {
		x->x_field = "name";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = apps_ids_in_workspace(x, f[1].jf_val, f[2].jf_val, &ta,
	    &ua)) != ERR_OK)
		goto out;
	id_new(id);
	dbb_add(&b, ST_APP_INSERT, id, jsonin_str(&f[0]));
	/* Nobody sees a new app through a team: no review needed yet. */
	apps_queue_refs(&b, id, ta.b_data, true, ua.b_data);
	audit_queue(x, &ev, &b, EV_APP_CREATED, "success", "app", id,
	    NULL);
	rc = apps_commit_show(x, &b, id, 201);
out:
	dbb_clear(&b);
	buf_free(&ta);
	buf_free(&ua);
	json_object_put(obj);
	return rc;
}

/*
 * Whether the list ids (a validated JF_IDARRAY) is the app's collaborators
 * less the caller, who is one: a collaborator who is not the creator may
 * only leave, since adding anyone grants the right to build the app.
 */
static bool
collab_leaves(const struct rctx *x, const struct app *a, json_object *ids)
{
	const char	*cur = apps_get(a, COL_APP_COLLABORATOR_IDS), *id;
	size_t		 i, k, len = json_object_array_length(ids), have = 0;

	if (!apps_is_collaborator(x, a))
		return false;
	for (id = cur; id != NULL && *id != '\0'; have++)
		if ((id = strchr(id, ',')) != NULL)
			id++;
	if (len + 1 != have)
		return false;
	for (i = 0; i < len; i++) {
		id = json_object_get_string(json_object_array_get_idx(ids, i));
		if (strcmp(id, x->x_user_id) == 0 ||
		    !csv_has(cur, id, strlen(id)))
			return false;
		for (k = 0; k < i; k++)
			if (strcmp(id, json_object_get_string(
			    json_object_array_get_idx(ids, k))) == 0)
				return false;
	}
	return true;
}

/*
 * PATCH /api/workspaces/{ws}/apps/{appId} {name?, teamIds?,
 * collaboratorUserIds?}: builders only (a viewer gets 403, a hidden app
 * 404).  Any change supersedes a pending review first, as a file write
 * does.  teamIds are the proposed teams; they decide who sees the
 * published version only for apps:review (an owner or admin: audited
 * app.visibility_changed) or while there is no published version.  Only
 * the creator, owners and admins change the collaborators.
 */
enum err
apps_patch(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "name", JF_STRING, false, APP_NAME_MAX, NULL },
		{ "teamIds", JF_IDARRAY, false, APP_MAX_REFS, NULL },
		{ "collaboratorUserIds", JF_IDARRAY, false, APP_MAX_REFS,
		    NULL },
	};
	/* supersede, rename, refs (5), two events, re-read */
	struct dbq	 lq, qs[11];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct buf	 ta = BUF_INIT, ua = BUF_INIT;
	struct audit_ev	 ev, vev;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1);
	bool		 reviewer, visible, leaving;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 3)) != ERR_OK)
		goto out;
	if (f[0].jf_val != NULL && !jsonin_text_ok(jsonin_str(&f[0]),
	    APP_NAME_MAX)) {
		x->x_field = "name";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK)
		goto out;
	reviewer = perm_has(x->x_ws.w_role, PERM_APPS_REVIEW);
	leaving = f[2].jf_val != NULL && !reviewer &&
	    strcmp(apps_get(&a, COL_APP_CREATED_BY_USER_ID), x->x_user_id) != 0;
	if (leaving && !collab_leaves(x, &a, f[2].jf_val)) {
		x->x_msg = "Only the app's creator, admins and owners change "
		    "its collaborators; a collaborator may only remove "
		    "themselves.";
		rc = guard_denied(x, "apps.collaborators");
		goto out;
	}
	if ((f[1].jf_val || f[2].jf_val) && (rc = apps_ids_in_workspace(x,
	    f[1].jf_val, f[2].jf_val, &ta, &ua)) != ERR_OK)
		goto out;
	if (f[0].jf_val || f[1].jf_val || f[2].jf_val)
		dbb_add(&b, ST_SUPERSEDE, id);
	if (f[0].jf_val != NULL)
		dbb_add(&b, ST_APP_RENAME, id, jsonin_str(&f[0]));
	visible = reviewer || !a.ap_published;
	/* Leaving adds nobody: only the caller's own row goes. */
	apps_queue_refs(&b, id, f[1].jf_val ? ta.b_data : NULL, visible,
	    f[2].jf_val && !leaving ? ua.b_data : NULL);
	if (leaving)
		dbb_add(&b, ST_APP_DROP_COLLABS, id, ua.b_data);
	audit_queue(x, &ev, &b, EV_APP_UPDATED, "success", "app", id,
	    NULL);
	if (f[1].jf_val != NULL && reviewer && a.ap_published)
		audit_queue(x, &vev, &b, EV_APP_VISIBILITY_CHANGED,
		    "success", "app", id, NULL);
	rc = apps_commit_show(x, &b, id, 200);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	buf_free(&ta);
	buf_free(&ua);
	json_object_put(obj);
	return rc;
}

/*
 * The app of a builder-only write: locked when the caller builds it.  The
 * lock is tried first (only builders pass the UPDATE policy it needs), so
 * a builder's write costs no extra round trip; only when it finds nothing
 * is the app read to tell a viewer (403) from a stranger (404).  lk (a
 * batch of one) holds the row for a; the caller clears it.
 */
enum err
apps_require_builder(struct rctx *x, const char *id, struct dbb *lk,
    struct app *a)
{
	enum err	 rc = ERR_INTERNAL;

	rc = apps_lock(x, id, lk, a);
	if (rc == ERR_OK && a->ap_builder)
		goto out;
	if (rc != ERR_OK && rc != ERR_NOT_FOUND)
		goto out;
	if (id == NULL || !id_valid(id)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_reset(lk);
	dbb_add(lk, ST_APP_GET, id);
	if ((rc = txn_exec(x, lk)) != ERR_OK ||
	    (rc = apps_load(x, dbb_res(lk, 0), a)) != ERR_OK)
		goto out;
	x->x_msg = "Only the app's creator, collaborators, admins and owners "
	    "can change it.";
	rc = guard_denied(x, "apps.edit");
out:
	return rc;
}

/*
 * DELETE /api/workspaces/{ws}/apps/{appId}: creator, admin or owner
 * (collaborators may not).  204.
 */
enum err
apps_delete(struct rctx *x)
{
	struct dbq	 lq, qs[2];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	const char	*id = apps_arg(x, 1);
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK)
		goto out;
	if (x->x_ws.w_role != ROLE_OWNER && x->x_ws.w_role != ROLE_ADMIN &&
	    strcmp(apps_get(&a, COL_APP_CREATED_BY_USER_ID),
	    x->x_user_id) != 0) {
		x->x_msg = "Only the creator, admins and owners delete an app.";
		rc = guard_denied(x, "apps.delete");
		goto out;
	}
	dbb_add(&b, ST_APP_DELETE, id);
	audit_queue(x, &ev, &b, EV_APP_DELETED, "success", "app", id, NULL);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	return rc;
}
