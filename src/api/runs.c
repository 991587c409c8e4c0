/*
 * runs: builder runs (builders only) and app-agent runs (anyone who can
 * see the app).  Every run is loaded by (workspace, app, run): a run id of
 * another app, even in the same workspace, is 404.  The triggering user
 * of an agent run is the caller, set by the database from the context.
 */
#include "config.h"

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
#include "list.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "txn.h"

#define PROMPT_MAX	(64 * 1024)

/*
 * Append builder run row i of r (the run fragment of runs.sql) of app
 * app: {"id","appId","status","messages","usage","createdByUserId",
 * "createdAt","runReason"}; the internal completion answers it too.
 */
void
run_json(struct buf *b, const PGresult *r, int i, const char *app)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_RUN_ID));
	buf_puts(b, ",\"appId\":");
	buf_json_str(b, app);
	buf_puts(b, ",\"status\":");
	buf_json_str(b, PQgetvalue(r, i, COL_RUN_STATUS));
	buf_printf(b, ",\"messages\":%s,\"usage\":%s",
	    PQgetvalue(r, i, COL_RUN_MESSAGES),
	    PQgetvalue(r, i, COL_RUN_USAGE));
	buf_puts(b, ",\"createdByUserId\":");
	buf_json_str(b, PQgetvalue(r, i, COL_RUN_CREATED_BY_USER_ID));
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_RUN_CREATED_AT));
	buf_puts(b, ",\"runReason\":");
	if (PQgetisnull(r, i, COL_RUN_RUN_REASON))
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, i, COL_RUN_RUN_REASON));
	buf_putc(b, '}');
}

/* run_json of row i, for the app id *arg (a const char *). */
static void
run_row_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	const char *const	*app = arg;

	run_json(b, r, i, *app);
}

static const struct list_shape run_shape = {
	"runs", COL_RUN_ID, run_row_json, NULL,
};

/* Queue the app and a page of its builder runs. */
enum err
runs_list_pre(struct rctx *x)
{
	struct list_args	*la;
	enum err		 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	if ((la = list_new(x)) == NULL)
		return ERR_INTERNAL;
	if (la->la_err == ERR_OK)
		txn_pre(x, ST_RUNS_LIST, apps_id_arg(x, 1),
		    list_cursor_param(la), la->la_fetch);
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/runs: builders only (draft material: a viewer
 * gets 404).
 */
enum err
runs_list(struct rctx *x)
{
	struct app	 a;
	const char	*app;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	if (!a.ap_builder)
		return ERR_NOT_FOUND;
	app = apps_get(&a, COL_APP_ID);
	return list_reply(x, 1, &run_shape, &app);
}

/* Queue the app and one run of it (capture 2). */
static enum err
run_pre(struct rctx *x, enum stmt st)
{
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	txn_pre(x, st, apps_id_arg(x, 1), apps_id_arg(x, 2));
	return ERR_OK;
}

enum err
runs_get_pre(struct rctx *x)
{
	return run_pre(x, ST_RUN_GET);
}

/*
 * GET .../apps/{appId}/runs/{runId}: builders only.
 */
enum err
runs_get(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 1);
	struct app	 a;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	if (!a.ap_builder || r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	run_json(&x->x_resp->rs_body, r, 0, apps_get(&a, COL_APP_ID));
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * POST .../apps/{appId}/runs {messages?}: start a builder run (builders;
 * an app in review goes back to draft first).  201 with the run.
 */
enum err
runs_post(struct rctx *x)
{
	struct jfield	 f[] = { { "messages", JF_ANY, false, 0, NULL } };
	struct dbq	 lq, qs[4];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1), *msgs = "[]";
	char		 rid[ID_LEN + 1];
	size_t		 get;
	enum err	 rc = ERR_INTERNAL;

	if (x->x_req->rq_body_len > 0 && ((rc = jsonin_parse(x, &obj)) !=
	    ERR_OK || (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK))
		goto out;
	if (f[0].jf_val != NULL) {
		if (!json_object_is_type(f[0].jf_val, json_type_array)) {
			x->x_field = "messages";
			rc = ERR_INVALID_JSON;
			goto out;
		}
		if ((rc = jsonin_stored(x, f[0].jf_val, "messages",
		    JSONIN_DOC_MAX, &msgs)) != ERR_OK)
			goto out;
	}
	if ((rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK)
		goto out;
	id_new(rid);
	dbb_add(&b, ST_SUPERSEDE, id);
	dbb_add(&b, ST_RUN_INSERT, rid, id, msgs);
	audit_queue(x, &ev, &b, EV_BUILDER_RUN_CREATED, "started",
	    "builder_run", rid, NULL);
	get = b.bb_n;
	dbb_add(&b, ST_RUN_GET, id, rid);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(dbb_res(&b, get)) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	run_json(&x->x_resp->rs_body, dbb_res(&b, get), 0, id);
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * Append the agent run of r (agent_run_get, row 0) of app app; the
 * internal completion answers it too.
 */
void
agent_run_json(struct buf *b, const PGresult *r, const char *app)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_ID));
	buf_puts(b, ",\"appId\":");
	buf_json_str(b, app);
	buf_puts(b, ",\"agentId\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_AGENT_ID));
	buf_puts(b, ",\"triggeredByUserId\":");
	buf_json_str(b, PQgetvalue(r, 0,
	    COL_AGENT_RUN_GET_TRIGGERED_BY_USER_ID));
	buf_puts(b, ",\"sourceVersion\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_SOURCE_VERSION));
	buf_puts(b, ",\"prompt\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_PROMPT));
	buf_puts(b, ",\"status\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_STATUS));
	buf_printf(b, ",\"result\":%s,\"usage\":%s",
	    PQgetvalue(r, 0, COL_AGENT_RUN_GET_RESULT),
	    PQgetvalue(r, 0, COL_AGENT_RUN_GET_USAGE));
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_CREATED_AT));
	buf_puts(b, ",\"error\":");
	if (PQgetisnull(r, 0, COL_AGENT_RUN_GET_ERROR))
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, 0, COL_AGENT_RUN_GET_ERROR));
	buf_putc(b, '}');
}

enum err
agent_runs_get_pre(struct rctx *x)
{
	return run_pre(x, ST_AGENT_RUN_GET);
}

/*
 * GET .../apps/{appId}/agent-runs/{runId}: anyone who sees the app.
 */
enum err
agent_runs_get(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 1);
	struct app	 a;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	if (r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	agent_run_json(&x->x_resp->rs_body, r, apps_get(&a, COL_APP_ID));
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * POST .../apps/{appId}/agent-runs {agentId, prompt, version?}: anyone
 * who sees the app; version "draft" only for builders (404 otherwise).
 * The agent must exist in that version's agents.json (422).  The caller
 * is the triggering user; a body field cannot say otherwise (unknown
 * fields are refused).  201 with the run.
 */
enum err
agent_runs_post(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "agentId", JF_STRING, true, 64, NULL },
		{ "prompt", JF_STRING0, true, PROMPT_MAX, NULL },
		{ "version", JF_STRING, false, 16, NULL },
	};
	struct dbq	 qs[4];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	struct app	 a;
	json_object	*obj = NULL, *agents = NULL;
	const char	*id = apps_arg(x, 1), *ver, *payload;
	char		 rid[ID_LEN + 1];
	size_t		 get;
	bool		 draft;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 3)) != ERR_OK)
		goto out;
	ver = jsonin_str(&f[2]) ? jsonin_str(&f[2]) : "published";
	if (strcmp(ver, "draft") != 0 && strcmp(ver, "published") != 0) {
		x->x_field = "version";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	draft = strcmp(ver, "draft") == 0;
	dbb_add(&b, ST_APP_GET, apps_id_arg(x, 1));
	dbb_add(&b, ST_APP_AGENTS, apps_id_arg(x, 1));
	if ((rc = txn_exec(x, &b)) != ERR_OK ||
	    (rc = apps_load(x, qs[0].q_res, &a)) != ERR_OK)
		goto out;
	if (draft && !a.ap_builder) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	payload = PQntuples(qs[1].q_res) == 1 &&
	    !PQgetisnull(qs[1].q_res, 0, draft ? COL_APP_AGENTS_DRAFT_AGENTS :
	    COL_APP_AGENTS_PUBLISHED_AGENTS) ?
	    PQgetvalue(qs[1].q_res, 0, draft ? COL_APP_AGENTS_DRAFT_AGENTS :
	    COL_APP_AGENTS_PUBLISHED_AGENTS) : NULL;
	if (payload == NULL || (agents = json_tokener_parse(payload)) == NULL ||
	    !agents_has_agent(agents, jsonin_str(&f[0]))) {
		x->x_field = "agentId";
		x->x_msg = "No such agent in that version's agents.json.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	dbb_reset(&b);
	id_new(rid);
	dbb_add(&b, ST_AGENT_RUN_INSERT, rid, id, jsonin_str(&f[0]), ver,
	    jsonin_str(&f[1]));
	audit_queue(x, &ev, &b, EV_APP_AGENT_RUN_CREATED, "started",
	    "agent_run", rid, NULL);
	get = b.bb_n;
	dbb_add(&b, ST_AGENT_RUN_GET, id, rid);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(dbb_res(&b, get)) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	agent_run_json(&x->x_resp->rs_body, dbb_res(&b, get), id);
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&b);
	json_object_put(agents);
	json_object_put(obj);
	return rc;
}
