/*
 * agentsapi: agents.json governance over HTTP.
 *
 * The draft agents.json lives in the draft snapshot (as the file
 * "agents.json") and, validated and normalized, in apps.draft_agents with
 * its hash "v1:<sha256 of the JCS form>".  An approval (agents:approve)
 * names the hash the approver saw; a different current hash is 409
 * stale_approval.  Any change of the draft hash clears the approval and
 * records app.agents_config.stale.  Publishing promotes the approved
 * payload only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agents.h"
#include "apps.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

/* Queue the app and its agents payloads. */
enum err
agentsapi_pre(struct rctx *x)
{
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	txn_pre(x, ST_APP_AGENTS, apps_id_arg(x, 1));
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/agents: the draft for builders, the published
 * payload for viewers: {"version", "hash", "approvedHash"?, "agents"}.
 */
enum err
agentsapi_get(struct rctx *x)
{
	struct buf	*b = &x->x_resp->rs_body;
	const PGresult	*r = txn_pre_res(x, 1);
	struct app	 a;
	int		 col;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	if (r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	col = a.ap_builder ? COL_APP_AGENTS_DRAFT_AGENTS :
	    COL_APP_AGENTS_PUBLISHED_AGENTS;
	buf_puts(b, "{\"version\":");
	buf_json_str(b, a.ap_builder ? "draft" : "published");
	buf_puts(b, ",\"hash\":");
	if (PQgetisnull(a.ap_res, 0, a.ap_builder ? COL_APP_DRAFT_AGENTS_HASH :
	    COL_APP_PUBLISHED_AGENTS_HASH))
		buf_puts(b, "null");
	else
		buf_json_str(b, apps_get(&a, a.ap_builder ?
		    COL_APP_DRAFT_AGENTS_HASH : COL_APP_PUBLISHED_AGENTS_HASH));
	if (a.ap_builder) {
		buf_puts(b, ",\"approvedHash\":");
		if (PQgetisnull(a.ap_res, 0, COL_APP_APPROVED_AGENTS_HASH))
			buf_puts(b, "null");
		else
			buf_json_str(b,
			    apps_get(&a, COL_APP_APPROVED_AGENTS_HASH));
	}
	buf_printf(b, ",\"agents\":%s}", PQgetisnull(r, 0, col) ? "null" :
	    PQgetvalue(r, 0, col));
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * Validate, normalize and hash doc; keep "hash NUL canonical" in d.  422
 * names the field.
 */
static enum err
payload_prepare(struct rctx *x, json_object *doc, struct agents_draft *d,
    const char **hash, const char **canon)
{
	struct agents_err	 ae;
	struct buf		 b = BUF_INIT;
	char			 h[AGENTS_HASH_SIZE];
	size_t			 hl;

	if (agents_validate(doc, &ae) != 0) {
		snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf), "%s",
		    ae.ae_field[0] ? ae.ae_field : "agents.json");
		x->x_field = x->x_fieldbuf;
		x->x_msg = ae.ae_msg;
		return ERR_VALIDATION_FAILED;
	}
	if (agents_hash(doc, h) != 0)
		return ERR_INTERNAL;	/* only memory, once validated */
	hl = strlen(h);
	buf_add(&b, h, hl + 1);
	if (agents_canonical(doc, &b) != 0 || !buf_ok(&b)) {
		buf_free(&b);
		return ERR_INTERNAL;
	}
	free(d->ad_buf);
	if ((d->ad_buf = buf_steal(&b)) == NULL)
		return ERR_INTERNAL;
	*hash = d->ad_buf;
	*canon = d->ad_buf + hl + 1;
	return ERR_OK;
}

/*
 * Free what a draft write's agents hook kept.  The struct itself is the
 * caller's.
 */
void
agentsapi_draft_free(struct agents_draft *d)
{
	free(d->ad_buf);
	d->ad_buf = NULL;
}

/*
 * Queue the draft-agents update for a new payload (hash NULL: removed),
 * and the stale event (kept in d) when an approval existed for another
 * hash.
 */
static void
queue_agents(struct rctx *x, const struct app *a, const char *canon,
    const char *hash, struct dbb *b, struct agents_draft *d)
{
	const char	*id = apps_get(a, COL_APP_ID);
	bool		 approved = !PQgetisnull(a->ap_res, a->ap_row,
			    COL_APP_APPROVED_AGENTS_HASH);

	dbb_add(b, ST_APP_SET_DRAFT_AGENTS, id, canon, hash);
	if (approved && (hash == NULL ||
	    strcmp(hash, apps_get(a, COL_APP_APPROVED_AGENTS_HASH)) != 0))
		audit_queue(x, &d->ad_ev, b,
		    EV_AGENTS_CONFIG_STALE, "success", "app", id, NULL);
}

/*
 * Called by a draft file write: when the file is agents.json, validate
 * it (422 if invalid: nothing is written) and queue the draft-agents
 * update into b, keeping the payload in d (the caller frees it with
 * agentsapi_draft_free after the batch has run).
 */
enum err
agentsapi_file_hook(struct rctx *x, const struct app *a, const char *path,
    const char *content, struct dbb *b, struct agents_draft *d)
{
	json_object	*doc = NULL;
	struct jsonin_why why;
	const char	*hash = NULL, *canon = NULL;
	enum err	 rc = ERR_INTERNAL;

	if (strcmp(path, AGENTS_FILE) != 0) {
		rc = ERR_OK;
		goto out;
	}
	if (content == NULL) {
		queue_agents(x, a, NULL, NULL, b, d);
		rc = ERR_OK;
		goto out;
	}
	/*
	 * The rules of a request body, as for PATCH .../agents: json-c
	 * alone would cut a key at a \u0000, store a lone surrogate as
	 * U+FFFD and keep the last of two equal keys, so the file a
	 * builder wrote and the payload approved could differ.
	 */
	if (jsonin_object(content, strlen(content), &doc, &why) != ERR_OK) {
		x->x_field = "content";
		x->x_msg = why.jw_msg;
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = payload_prepare(x, doc, d, &hash, &canon)) != ERR_OK)
		goto out;
	queue_agents(x, a, canon, hash, b, d);
out:
	json_object_put(doc);
	return rc;
}

/*
 * PATCH .../apps/{appId}/agents <agents.json>: builders.  Writes the
 * normalized document into the draft (file and payload), superseding a
 * pending review, within the draft's limits as a file write (413).
 * 200 {"hash", "approvedHash"}.
 */
enum err
agentsapi_patch(struct rctx *x)
{
	struct dbq	 lq, qs[6];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct agents_draft d = { NULL };
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*doc = NULL;
	const char	*id = apps_arg(x, 1), *hash, *canon;
	char		 sid[ID_LEN + 1];
	bool		 kept;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &doc)) != ERR_OK ||
	    (rc = payload_prepare(x, doc, &d, &hash, &canon)) != ERR_OK ||
	    (rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK ||
	    (rc = files_draft_room(x, id, AGENTS_FILE, canon, false)) !=
	    ERR_OK)
		goto out;
	kept = !PQgetisnull(a.ap_res, 0, COL_APP_APPROVED_AGENTS_HASH) &&
	    strcmp(apps_get(&a, COL_APP_APPROVED_AGENTS_HASH), hash) == 0;
	id_new(sid);
	dbb_add(&b, ST_SUPERSEDE, id);
	queue_agents(x, &a, canon, hash, &b, &d);
	dbb_add(&b, ST_FILE_PUT, id, AGENTS_FILE, canon, sid);
	audit_queue(x, &ev, &b, EV_AGENTS_CONFIG_UPDATED, "success",
	    "app", id, NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	buf_puts(&x->x_resp->rs_body, "{\"hash\":");
	buf_json_str(&x->x_resp->rs_body, hash);
	buf_puts(&x->x_resp->rs_body, ",\"approvedHash\":");
	if (kept)
		buf_json_str(&x->x_resp->rs_body, hash);
	else
		buf_puts(&x->x_resp->rs_body, "null");
	buf_putc(&x->x_resp->rs_body, '}');
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	agentsapi_draft_free(&d);
	json_object_put(doc);
	return rc;
}

/*
 * POST .../apps/{appId}/agents/approval {hash} (agents:approve): the
 * hash must be the current draft hash (409 stale_approval otherwise).
 * 200 {"hash", "approvalId"}.
 */
enum err
agentsapi_approve(struct rctx *x)
{
	struct jfield	 f[] = { { "hash", JF_STRING, true, 80, NULL } };
	struct dbq	 lq, qs[2];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1);
	char		 aid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK ||
	    (rc = apps_lock(x, id, &lk, &a)) != ERR_OK)
		goto out;
	if (PQgetisnull(a.ap_res, 0, COL_APP_DRAFT_AGENTS_HASH) ||
	    strcmp(apps_get(&a, COL_APP_DRAFT_AGENTS_HASH),
	    jsonin_str(&f[0])) != 0) {
		rc = ERR_STALE_APPROVAL;
		goto out;
	}
	id_new(aid);
	dbb_add(&b, ST_APP_APPROVE_AGENTS, id, jsonin_str(&f[0]), aid);
	audit_queue(x, &ev, &b, EV_AGENTS_CONFIG_APPROVED, "success",
	    "app", id, NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) != 1) {
		rc = ERR_STALE_APPROVAL;
		goto out;
	}
	buf_puts(&x->x_resp->rs_body, "{\"hash\":");
	buf_json_str(&x->x_resp->rs_body, jsonin_str(&f[0]));
	buf_puts(&x->x_resp->rs_body, ",\"approvalId\":");
	buf_json_str(&x->x_resp->rs_body, aid);
	buf_putc(&x->x_resp->rs_body, '}');
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}
