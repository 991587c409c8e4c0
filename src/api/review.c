/*
 * review: the draft -> review -> published lifecycle.
 *
 * A creator or collaborator asks for review with target teams (by default
 * the proposed ones, apps.draft_team_ids).  In none mode (one trusted
 * person, no approval workflow) that publishes at once and records an
 * approved request; in external mode it opens a pending review and the
 * app is in_review.  An owner or admin (apps:review)
 * approves (the draft snapshot and its approved agents payload become the
 * published ones, and the app's teams become the review's, atomically) or
 * requests changes; a decided or superseded review is 409
 * review_superseded.  Self-publish records an approved request too.
 */
#include "config.h"

#include <string.h>

#include "apps.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
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

/* Queue the review list with the request's pagination. */
enum err
review_list_pre(struct rctx *x)
{
	return list_pre(x, ST_REVIEWS_LIST);
}

/*
 * {"id","appId","status","teamIds","requestedByUserId","decidedByUserId",
 * "createdAt"} of row i.
 */
static void
review_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_REVIEWS_LIST_ID));
	buf_puts(b, ",\"appId\":");
	buf_json_str(b, PQgetvalue(r, i, COL_REVIEWS_LIST_APP_ID));
	buf_puts(b, ",\"status\":");
	buf_json_str(b, PQgetvalue(r, i, COL_REVIEWS_LIST_STATUS));
	buf_puts(b, ",\"teamIds\":");
	json_id_list(b, PQgetvalue(r, i, COL_REVIEWS_LIST_TARGET_TEAM_IDS));
	buf_puts(b, ",\"requestedByUserId\":");
	buf_json_str(b, PQgetvalue(r, i,
	    COL_REVIEWS_LIST_REQUESTED_BY_USER_ID));
	buf_puts(b, ",\"decidedByUserId\":");
	if (PQgetvalue(r, i, COL_REVIEWS_LIST_DECIDED_BY_USER_ID)[0] == '\0')
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, i,
		    COL_REVIEWS_LIST_DECIDED_BY_USER_ID));
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_REVIEWS_LIST_CREATED_AT));
	buf_putc(b, '}');
}

static const struct list_shape review_shape = {
	"reviewRequests", COL_REVIEWS_LIST_ID, review_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/review-requests: owners and admins see all;
 * others those of apps they build (row-level security decides).
 */
enum err
review_list(struct rctx *x)
{
	return list_reply(x, 0, &review_shape, NULL);
}

/*
 * Queue "promote to published with these teams": they become who sees it
 * and the proposed teams.  Four statements.
 */
static void
queue_publish(struct dbb *b, const char *app, const char *teams,
    const char *sid)
{
	apps_queue_refs(b, app, teams, true, NULL);
	dbb_add(b, ST_APP_PROMOTE, app, sid);
}

/*
 * Render the teamIds field f as the array literal ta, or else the app's
 * proposed teams.
 */
static enum err
review_teams(struct rctx *x, const struct app *a, struct jfield *f,
    struct buf *ta, struct buf *ua)
{
	enum err	 rc = ERR_INTERNAL;

	if (f->jf_val != NULL) {
		if ((rc = apps_ids_in_workspace(x, f->jf_val, NULL, ta, ua)) !=
		    ERR_OK)
			return rc;
	} else
		buf_printf(ta, "{%s}", apps_get(a, COL_APP_DRAFT_TEAM_IDS));
	return buf_ok(ta) ? ERR_OK : ERR_INTERNAL;
}

/*
 * ERR_INTEGRATIONS_NEED_SETUP while a grant of app id needs setup
 * (second-api(7), "Integrations"): a version whose tools cannot run is
 * not published.  In the open transaction.
 */
static enum err
review_grants_ready(struct rctx *x, const char *id)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	dbb_add(&b, ST_APP_GRANTS_UNREADY, id);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (strcmp(PQgetvalue(q.q_res, 0, COL_APP_GRANTS_UNREADY_N),
	    "0") != 0) {
		x->x_msg = "An integration of this app needs setup first.";
		rc = ERR_INTEGRATIONS_NEED_SETUP;
	}
out:
	dbb_clear(&b);
	return rc;
}

/*
 * POST .../apps/{appId}/review-requests {teamIds?}: creator or
 * collaborator; without teamIds the app's proposed teams.  201 {"id",
 * "status", "publishStatus"}.
 */
enum err
review_request(struct rctx *x)
{
	struct jfield	 f[] = { { "teamIds", JF_IDARRAY, false, 100, NULL } };
	struct buf	 ta = BUF_INIT, ua = BUF_INIT;
	struct dbq	 lq, qs[8];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1);
	bool		 now = x->x_conf->cf_auth_mode == AUTH_NONE;
	char		 rid[ID_LEN + 1], sid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (x->x_req->rq_body_len > 0 && ((rc = jsonin_parse(x, &obj)) !=
	    ERR_OK || (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK))
		goto out;
	if ((rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK)
		goto out;
	/* App-level access, not a role: owners and admins use publish. */
	if (strcmp(apps_get(&a, COL_APP_CREATED_BY_USER_ID),
	    x->x_user_id) != 0 &&
	    !apps_is_collaborator(x, &a)) {
		x->x_msg = "Only the app's creator and collaborators request "
		    "review.";
		rc = guard_denied(x, "apps.review_request");
		goto out;
	}
	if ((rc = review_teams(x, &a, &f[0], &ta, &ua)) != ERR_OK ||
	    (now && (rc = review_grants_ready(x, id)) != ERR_OK))
		goto out;
	id_new(rid);
	id_new(sid);
	dbb_add(&b, ST_SUPERSEDE, id);
	dbb_add(&b, ST_REVIEW_INSERT, rid, id, ta.b_data,
	    now ? "approved" : "pending");
	if (now)
		queue_publish(&b, id, ta.b_data, sid);
	else {
		apps_queue_refs(&b, id, ta.b_data, false, NULL);
		dbb_add(&b, ST_APP_SET_STATUS, id, "in_review");
	}
	audit_queue(x, &ev, &b, now ? EV_APP_PUBLISHED :
	    EV_REVIEW_REQUESTED, "success", "review_request", rid, NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	buf_puts(&x->x_resp->rs_body, "{\"id\":");
	buf_json_str(&x->x_resp->rs_body, rid);
	buf_printf(&x->x_resp->rs_body, ",\"status\":\"%s\","
	    "\"publishStatus\":\"%s\"}", now ? "approved" : "pending",
	    now ? "published" : "in_review");
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	buf_free(&ta);
	buf_free(&ua);
	json_object_put(obj);
	return rc;
}

/*
 * Approve or request changes on review {id} (apps:review, checked by the
 * route).  A review that is not pending is 409 review_superseded.
 */
static enum err
review_decide(struct rctx *x, bool approve)
{
	struct dbq	 rv, lq, qs[6];
	struct dbb	 rb = DBB_ONE(rv), lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	struct buf	 ta = BUF_INIT;
	json_object	*obj = NULL;
	const char	*rid = apps_arg(x, 1), *app;
	char		 sid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	/* No fields are taken, but a body must still be a JSON object. */
	if (x->x_req->rq_body_len > 0 && ((rc = jsonin_parse(x, &obj)) !=
	    ERR_OK || (rc = jsonin_fields(x, obj, NULL, 0)) != ERR_OK))
		goto out;
	if (rid == NULL || !id_valid(rid)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_add(&rb, ST_REVIEW_LOCK, rid);
	if ((rc = txn_exec(x, &rb)) != ERR_OK)
		goto out;
	if (PQntuples(rv.q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (strcmp(PQgetvalue(rv.q_res, 0, COL_REVIEW_LOCK_STATUS),
	    "pending") != 0) {
		rc = ERR_REVIEW_SUPERSEDED;
		goto out;
	}
	app = PQgetvalue(rv.q_res, 0, COL_REVIEW_LOCK_APP_ID);
	if ((rc = apps_lock(x, app, &lk, &a)) != ERR_OK ||
	    (approve && (rc = review_grants_ready(x, app)) != ERR_OK))
		goto out;
	buf_printf(&ta, "{%s}", PQgetvalue(rv.q_res, 0,
	    COL_REVIEW_LOCK_TARGET_TEAM_IDS));
	if (!buf_ok(&ta)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	id_new(sid);
	dbb_add(&b, ST_REVIEW_DECIDE, rid,
	    approve ? "approved" : "changes_requested");
	if (approve)
		queue_publish(&b, app, ta.b_data, sid);
	else
		dbb_add(&b, ST_APP_SET_STATUS, app, "draft");
	audit_queue(x, &ev, &b, approve ? EV_REVIEW_APPROVED :
	    EV_REVIEW_CHANGES_REQUESTED, "success", "review_request", rid,
	    NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	buf_puts(&x->x_resp->rs_body, "{\"id\":");
	buf_json_str(&x->x_resp->rs_body, rid);
	buf_printf(&x->x_resp->rs_body, ",\"status\":\"%s\","
	    "\"publishStatus\":\"%s\"}", approve ? "approved" :
	    "changes_requested", approve ? "published" : "draft");
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&rb);
	dbb_clear(&lk);
	dbb_clear(&b);
	buf_free(&ta);
	json_object_put(obj);
	return rc;
}

enum err
review_approve(struct rctx *x)
{
	return review_decide(x, true);
}

enum err
review_request_changes(struct rctx *x)
{
	return review_decide(x, false);
}

/*
 * POST .../apps/{appId}/publish {teamIds?} (apps:review): publish the
 * draft now, superseding a pending review, and record an approved review
 * request.  Without teamIds the app's proposed teams are published.
 */
enum err
review_publish(struct rctx *x)
{
	struct jfield	 f[] = { { "teamIds", JF_IDARRAY, false, 100, NULL } };
	struct buf	 ta = BUF_INIT, ua = BUF_INIT;
	struct dbq	 lq, qs[8];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1);
	char		 rid[ID_LEN + 1], sid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (x->x_req->rq_body_len > 0 && ((rc = jsonin_parse(x, &obj)) !=
	    ERR_OK || (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK))
		goto out;
	if ((rc = apps_lock(x, id, &lk, &a)) != ERR_OK ||
	    (rc = review_grants_ready(x, id)) != ERR_OK)
		goto out;
	if ((rc = review_teams(x, &a, &f[0], &ta, &ua)) != ERR_OK)
		goto out;
	id_new(rid);
	id_new(sid);
	dbb_add(&b, ST_SUPERSEDE, id);
	dbb_add(&b, ST_REVIEW_INSERT, rid, id, ta.b_data, "approved");
	queue_publish(&b, id, ta.b_data, sid);
	audit_queue(x, &ev, &b, EV_APP_PUBLISHED, "success", "app", id,
	    NULL);
	rc = apps_commit_show(x, &b, id, 200);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	buf_free(&ta);
	buf_free(&ua);
	json_object_put(obj);
	return rc;
}
