/*
 * agentapi: the internal routes the agent worker calls while it carries
 * out runs: its data reads and writes (app-data-read, app-data-write),
 * the end of a run (agent-run-complete, builder-run-complete) and a
 * repair request (tool-failure-report).
 *
 * The bearer token (internal.c) authenticated the caller; iscope.c opens
 * each call as second_internal in the workspace and app its body names,
 * so every row read or written is keyed by both, in the policies too.  A
 * data call must also name an agent of the approved agents payload of
 * the version it names, and a collection that agent declares.  Every
 * write records its audit event in the same transaction; metadata holds
 * identifiers and field names only, never a document's values, a
 * result or a description.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "id.h"
#include "iscope.h"
#include "jsonin.h"
#include "list.h"
#include "rctx.h"
#include "resp.h"
#include "txn.h"

#define ERROR_MAX	4096		/* agent-run-complete error */
#define USAGE_MAX	(16 * 1024)	/* usage, as stored */
#define TOOL_MAX	128		/* toolName */
#define DESC_MAX	4096		/* tool-failure-report description */
#define FIELDS_MAX	64		/* changed field names in an event */
#define FIELD_NAME_MAX	128		/* ... each at most this long */

/* The operations of app-data-write. */
enum dop { DOP_INSERT, DOP_UPDATE, DOP_UPSERT, DOP_DELETE };

static const struct {
	const char	*name;
	enum event	 ev;
} dops[] = {
	[DOP_INSERT] = { "insert", EV_APP_DATA_INSERTED },
	[DOP_UPDATE] = { "update", EV_APP_DATA_UPDATED },
	[DOP_UPSERT] = { "upsert", EV_APP_DATA_UPSERTED },
	[DOP_DELETE] = { "delete", EV_APP_DATA_DELETED },
};

/*
 * Parse the body against f (ISCOPE_FIELDS first) and open the call's
 * scope with flags (iscope_open).  *obj is the caller's to put.
 */
static enum err
agentapi_open(struct rctx *x, json_object **obj, struct jfield *f,
    size_t n, int flags, struct iscope *s)
{
	enum err	 rc = ERR_INTERNAL;

	memset(s, 0, sizeof(*s));
	if ((rc = jsonin_parse(x, obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, *obj, f, n)) != ERR_OK)
		return rc;
	return iscope_open(x, f, flags, s);
}

/*
 * The collection of a data call: well formed (422) and declared by the
 * agent in the approved payload of the version (403 otherwise).
 */
static enum err
agentapi_collection(struct rctx *x, const struct iscope *s,
    const char *coll)
{
	if (!id_name_ok(coll)) {
		x->x_field = "collection";
		x->x_msg = "collection must be 1 to 64 letters, digits, _ "
		    "or -.";
		return ERR_VALIDATION_FAILED;
	}
	if (!agents_has_collection(s->is_payload, s->is_agent, coll)) {
		x->x_field = "collection";
		x->x_msg = "The agent has no such collection in the approved "
		    "agents configuration of that version.";
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

/* Start an event's metadata: {"appId":...,"sourceVersion":... */
static void
meta_begin(struct buf *m, const struct iscope *s)
{
	buf_puts(m, "{\"appId\":");
	buf_json_str(m, s->is_app);
	buf_puts(m, ",\"sourceVersion\":");
	buf_json_str(m, iscope_version(s));
}

/*
 * ,"NAME":"sha256:<hex>" of the stored document of r (a data_get row, its
 * text as PostgreSQL writes it), when r has one: the event records that
 * the document changed and how, never what it holds.
 */
static void
meta_hash(struct buf *m, const char *name, const PGresult *r)
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 hex[2 * crypto_hash_sha256_BYTES + 1];
	const char	*d;

	if (r == NULL || PQntuples(r) != 1)
		return;
	d = PQgetvalue(r, 0, COL_DOCUMENT_DATA);
	crypto_hash_sha256(h, (const unsigned char *)d, strlen(d));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	buf_printf(m, ",\"%s\":\"sha256:%s\"", name, hex);
}

/*
 * ,"changedFields":[top-level keys of data] (at most FIELDS_MAX names of
 * at most FIELD_NAME_MAX bytes; "changedFieldsTruncated":true when some
 * were left out).  Names only: never a value.
 */
static void
meta_fields(struct buf *m, json_object *data)
{
	int	 n = 0;
	bool	 cut = false;

	buf_puts(m, ",\"changedFields\":[");
	if (data != NULL) {
		json_object_object_foreach(data, key, val) {
			(void)val;
			if (n == FIELDS_MAX || strlen(key) > FIELD_NAME_MAX) {
				cut = true;
				continue;
			}
			if (n++ > 0)
				buf_putc(m, ',');
			buf_json_str(m, key);
		}
	}
	buf_putc(m, ']');
	if (cut)
		buf_puts(m, ",\"changedFieldsTruncated\":true");
}

/*
 * The filter of app-data-write: an object holding only "_id", a document
 * id (422 otherwise; 400 for another key or type).  *id is set, or NULL
 * when there is no filter.
 */
static enum err
agentapi_filter(struct rctx *x, json_object *filter, const char **id)
{
	struct jfield	 ff[] = { { "_id", JF_STRING, true, 64, NULL } };
	enum err	 rc = ERR_INTERNAL;

	*id = NULL;
	if (filter == NULL)
		return ERR_OK;
	if ((rc = jsonin_fields(x, filter, ff, 1)) != ERR_OK) {
		if (x->x_field != NULL && strcmp(x->x_field, "_id") == 0)
			x->x_field = "filter._id";
		return rc;
	}
	*id = jsonin_str(&ff[0]);
	if (!id_valid(*id)) {
		x->x_field = "filter._id";
		x->x_msg = "filter._id must be a document id.";
		return ERR_VALIDATION_FAILED;
	}
	return ERR_OK;
}

/*
 * Check the op, filter and data of app-data-write against each other:
 * insert takes data and no filter; update and upsert a filter and data;
 * delete a filter and no data.  Sets *op, *doc (the filter's id) and
 * *data (serialised, NULL for delete).
 */
static enum err
agentapi_write_args(struct rctx *x, const struct jfield *opf,
    const struct jfield *filterf, struct jfield *dataf, enum dop *op,
    const char **doc, const char **data)
{
	const char	*name = jsonin_str(opf);
	size_t		 i;
	enum err	 rc = ERR_INTERNAL;

	for (i = 0; i < sizeof(dops) / sizeof(dops[0]); i++)
		if (strcmp(name, dops[i].name) == 0)
			break;
	if (i == sizeof(dops) / sizeof(dops[0])) {
		x->x_field = "op";
		x->x_msg = "op must be insert, update, upsert or delete.";
		return ERR_VALIDATION_FAILED;
	}
	*op = (enum dop)i;
	if ((rc = agentapi_filter(x, filterf->jf_val, doc)) != ERR_OK)
		return rc;
	if ((*op == DOP_INSERT) != (*doc == NULL)) {
		x->x_field = "filter";
		x->x_msg = *op == DOP_INSERT ? "insert takes no filter." :
		    "update, upsert and delete need filter._id.";
		return ERR_VALIDATION_FAILED;
	}
	*data = NULL;
	if ((*op == DOP_DELETE) != (dataf->jf_val == NULL)) {
		x->x_field = "data";
		x->x_msg = *op == DOP_DELETE ? "delete takes no data." :
		    "data is required.";
		return ERR_VALIDATION_FAILED;
	}
	if (*op == DOP_DELETE)
		return ERR_OK;
	return data_field(x, dataf, data);
}

/*
 * POST /api/internal/app-data-write {workspaceId, appId, version?,
 * agentId, collection, op, filter?: {_id}, data?}: in the version's
 * scope, insert (201 with the document), update as a merge (200, 404 for
 * an unknown document), upsert (201 when it created the document with
 * that id, else 200 after a merge) or delete (200 {"deleted":1}, 404 for
 * an unknown document).  Audited app_data.document.<op>ed.
 */
enum err
agentapi_data_write(struct rctx *x)
{
	struct jfield	 f[] = {
		ISCOPE_FIELDS,
		{ "collection", JF_STRING, true, 64, NULL },
		{ "op", JF_STRING, true, 16, NULL },
		{ "filter", JF_OBJECT, false, 0, NULL },
		{ "data", JF_ANY, false, 0, NULL },
	};
	struct dbq	 qs[3], aq;
	struct dbb	 b = DBB_ARRAY(qs), ab = DBB_ONE(aq);
	struct audit_ev	 ev;
	struct iscope	 s;
	struct buf	 meta = BUF_INIT;
	json_object	*obj = NULL;
	const char	*coll, *doc = NULL, *data = NULL, *scope;
	const PGresult	*before = NULL, *wr, *after = NULL;
	char		 did[ID_LEN + 1];
	enum dop	 op = DOP_INSERT;
	int		 status = 200;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = agentapi_open(x, &obj, f, ISCOPE_NFIELDS + 4, ISCOPE_AGENT,
	    &s)) != ERR_OK)
		goto out;
	coll = jsonin_str(&f[ISCOPE_NFIELDS]);
	if ((rc = agentapi_write_args(x, &f[ISCOPE_NFIELDS + 1],
	    &f[ISCOPE_NFIELDS + 2], &f[ISCOPE_NFIELDS + 3], &op, &doc,
	    &data)) != ERR_OK ||
	    (rc = agentapi_collection(x, &s, coll)) != ERR_OK)
		goto out;
	scope = iscope_version(&s);
	if (op == DOP_INSERT) {
		id_new(did);
		doc = did;
		status = 201;
	}
	/* The document as it was, for the event's before hash. */
	if (op != DOP_INSERT)
		dbb_add(&b, ST_DATA_GET, s.is_app, scope, coll, doc);
	switch (op) {
	case DOP_INSERT:
		dbb_add(&b, ST_DATA_INSERT, s.is_app, scope, coll, doc, data);
		break;
	case DOP_UPDATE:
		dbb_add(&b, ST_DATA_UPDATE, s.is_app, scope, coll, doc, data);
		break;
	case DOP_UPSERT:
		dbb_add(&b, ST_DATA_UPSERT, s.is_app, scope, coll, doc, data);
		break;
	case DOP_DELETE:
		dbb_add(&b, ST_DATA_DELETE, s.is_app, scope, coll, doc);
		break;
	}
	if (op != DOP_DELETE)
		dbb_add(&b, ST_DATA_GET, s.is_app, scope, coll, doc);
	if ((rc = txn_exec(x, &b)) != ERR_OK) {
		/* As data_change: only a merge can outgrow the limit. */
		if (rc == ERR_VALIDATION_FAILED && op != DOP_INSERT) {
			x->x_field = "data";
			x->x_msg = "The merged document would be too large.";
			rc = ERR_PAYLOAD_TOO_LARGE;
		}
		goto out;
	}
	if (op != DOP_INSERT)
		before = qs[0].q_res;
	wr = qs[op != DOP_INSERT].q_res;
	if (op != DOP_DELETE)
		after = qs[1 + (op != DOP_INSERT)].q_res;
	if ((op == DOP_UPDATE || op == DOP_DELETE) && PQntuples(wr) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (op == DOP_UPSERT && PQntuples(wr) == 1 &&
	    strcmp(PQgetvalue(wr, 0, COL_DATA_UPSERT_INSERTED), "t") == 0)
		status = 201;
	if (after != NULL && PQntuples(after) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	meta_begin(&meta, &s);
	buf_puts(&meta, ",\"agentId\":");
	buf_json_str(&meta, s.is_agent);
	buf_puts(&meta, ",\"collection\":");
	buf_json_str(&meta, coll);
	buf_puts(&meta, ",\"docId\":");
	buf_json_str(&meta, doc);
	buf_puts(&meta, ",\"operation\":");
	buf_json_str(&meta, dops[op].name);
	if (op == DOP_UPSERT)
		buf_puts(&meta, status == 201 ? ",\"created\":true" :
		    ",\"created\":false");
	meta_fields(&meta, op == DOP_DELETE ? NULL :
	    f[ISCOPE_NFIELDS + 3].jf_val);
	meta_hash(&meta, "beforeHash", before);
	meta_hash(&meta, "afterHash", after);
	buf_putc(&meta, '}');
	if (!buf_ok(&meta)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	audit_queue(x, &ev, &ab, dops[op].ev, "success", "app_data_document",
	    doc, meta.b_data);
	if ((rc = txn_commit(x, &ab)) != ERR_OK)
		goto out;
	if (op == DOP_DELETE)
		buf_puts(&x->x_resp->rs_body, "{\"deleted\":1}");
	else
		data_doc_json(&x->x_resp->rs_body, after, 0, coll);
	resp_json(x->x_resp, status);
out:
	dbb_clear(&b);
	dbb_clear(&ab);
	buf_free(&meta);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}

/*
 * The page arguments of app-data-read: limit (an integer, default 50)
 * and cursor, refused with id (a single document).
 */
static enum err
agentapi_page(struct rctx *x, const struct jfield *idf,
    const struct jfield *limf, const struct jfield *curf,
    struct list_args *la)
{
	long	 n = LIST_DEFAULT;

	if (idf->jf_val != NULL && (limf->jf_val != NULL ||
	    curf->jf_val != NULL)) {
		x->x_field = limf->jf_val != NULL ? "limit" : "cursor";
		x->x_msg = "A read of one document (id) takes no page.";
		return ERR_VALIDATION_FAILED;
	}
	if (limf->jf_val != NULL) {
		if (!json_object_is_type(limf->jf_val, json_type_int)) {
			x->x_field = "limit";
			x->x_msg = "Expected an integer.";
			return ERR_INVALID_JSON;
		}
		n = (long)json_object_get_int64(limf->jf_val);
	}
	list_set(x, la, n, jsonin_str(curf));
	if (la->la_err != ERR_OK)
		x->x_field = n < 1 || n > LIST_MAX ? "limit" : "cursor";
	return la->la_err;
}

/*
 * POST /api/internal/app-data-read {workspaceId, appId, version?,
 * agentId, collection, id?, limit?, cursor?}: 200 with the document id
 * (404 when there is none), or a page {"documents":[...],"nextCursor"}
 * of the collection in the version's scope.
 */
enum err
agentapi_data_read(struct rctx *x)
{
	struct jfield	 f[] = {
		ISCOPE_FIELDS,
		{ "collection", JF_STRING, true, 64, NULL },
		{ "id", JF_STRING, false, 64, NULL },
		{ "limit", JF_ANY, false, 0, NULL },
		{ "cursor", JF_STRING, false, 64, NULL },
	};
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	struct iscope	 s;
	struct list_args la;
	json_object	*obj = NULL;
	const char	*coll, *doc, *scope;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = agentapi_open(x, &obj, f, ISCOPE_NFIELDS + 4, ISCOPE_AGENT,
	    &s)) != ERR_OK)
		goto out;
	coll = jsonin_str(&f[ISCOPE_NFIELDS]);
	doc = jsonin_str(&f[ISCOPE_NFIELDS + 1]);
	if ((rc = agentapi_page(x, &f[ISCOPE_NFIELDS + 1],
	    &f[ISCOPE_NFIELDS + 2], &f[ISCOPE_NFIELDS + 3], &la)) != ERR_OK ||
	    (rc = agentapi_collection(x, &s, coll)) != ERR_OK)
		goto out;
	scope = iscope_version(&s);
	if (doc != NULL && !id_valid(doc)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (doc != NULL)
		dbb_add(&b, ST_DATA_GET, s.is_app, scope, coll, doc);
	else
		dbb_add(&b, ST_DATA_LIST, s.is_app, scope, coll,
		    list_cursor_param(&la), la.la_fetch);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (doc == NULL)
		list_write(x, q.q_res, &la, &data_doc_shape, &coll);
	else if (PQntuples(q.q_res) != 1)
		rc = ERR_NOT_FOUND;
	else {
		data_doc_json(&x->x_resp->rs_body, q.q_res, 0, coll);
		resp_json(x->x_resp, 200);
	}
out:
	dbb_clear(&b);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}

/*
 * The status of a completion: "completed" or "failed" (422 otherwise);
 * *failed says which.
 */
static enum err
agentapi_status(struct rctx *x, const char *status, bool *failed)
{
	*failed = strcmp(status, "failed") == 0;
	if (!*failed && strcmp(status, "completed") != 0) {
		x->x_field = "status";
		x->x_msg = "status must be \"completed\" or \"failed\".";
		return ERR_VALIDATION_FAILED;
	}
	return ERR_OK;
}

/*
 * An optional JSON value f to store (result, usage, messages): NULL when
 * absent, else serialised within max (jsonin_stored); an array when
 * array, an object when object.
 */
static enum err
agentapi_stored(struct rctx *x, struct jfield *f, size_t max, bool array,
    bool object, const char **out)
{
	*out = NULL;
	if (f->jf_val == NULL)
		return ERR_OK;
	if ((array && !json_object_is_type(f->jf_val, json_type_array)) ||
	    (object && !json_object_is_type(f->jf_val, json_type_object))) {
		x->x_field = f->jf_name;
		x->x_msg = array ? "Expected an array." : "Expected an object.";
		return ERR_INVALID_JSON;
	}
	return jsonin_stored(x, f->jf_val, f->jf_name, max, out);
}

/*
 * After a completion's UPDATE (res 0, a row when it moved the run) and
 * the run's read (res 1): ERR_OK when it moved, 409 when the run was
 * already terminal, 404 when there is no such run in the app.
 */
static enum err
agentapi_moved(struct rctx *x, const struct dbq *qs)
{
	if (PQntuples(qs[0].q_res) == 1 && PQntuples(qs[1].q_res) == 1)
		return ERR_OK;
	if (PQntuples(qs[1].q_res) != 1)
		return ERR_NOT_FOUND;
	x->x_msg = "The run has already ended; it does not change again.";
	return ERR_CONFLICT;
}

/* Queue a completion's event: {"appId","runId","status"}. */
static enum err
agentapi_run_event(struct rctx *x, struct audit_ev *ev, struct dbb *b,
    struct buf *meta, const struct iscope *s, enum event e, bool failed,
    const char *type, const char *run)
{
	meta_begin(meta, s);
	buf_puts(meta, ",\"runId\":");
	buf_json_str(meta, run);
	buf_puts(meta, failed ? ",\"status\":\"failed\"}" :
	    ",\"status\":\"completed\"}");
	if (!buf_ok(meta))
		return ERR_INTERNAL;
	audit_queue(x, ev, b, e, failed ? "failure" : "completed", type, run,
	    meta->b_data);
	return ERR_OK;
}

/*
 * What tells the two run completions apart.  An agent run takes an error
 * (with "failed" only) and answers as agent_run_json; a builder run
 * answers as run_json.
 */
struct run_end {
	bool		 re_agent;	/* an agent run, else a builder run */
	const char	*re_payload;	/* the stored field: result, messages */
	bool		 re_array;	/* ... must be an array */
	enum stmt	 re_complete;	/* the UPDATE */
	enum stmt	 re_get;	/* the read of the run */
	enum event	 re_completed;	/* the events */
	enum event	 re_failed;
	const char	*re_type;	/* the audit target type */
};

static const struct run_end agent_run_end = {
	true, "result", false, ST_AGENT_RUN_COMPLETE, ST_AGENT_RUN_GET,
	EV_APP_AGENT_RUN_COMPLETED, EV_APP_AGENT_RUN_FAILED, "agent_run",
};

static const struct run_end builder_run_end = {
	false, "messages", true, ST_BUILDER_RUN_COMPLETE, ST_RUN_GET,
	EV_BUILDER_RUN_COMPLETED, EV_BUILDER_RUN_FAILED, "builder_run",
};

/*
 * A run completion as k says {workspaceId, appId, runId, status,
 * <payload>?, error? (agent runs), usage?}: the two routes below.
 */
static enum err
agentapi_run_complete(struct rctx *x, const struct run_end *k)
{
	struct jfield	 f[ISCOPE_NFIELDS + 5] = {
		ISCOPE_FIELDS,
		{ "runId", JF_STRING, true, 64, NULL },
		{ "status", JF_STRING, true, 16, NULL },
		{ k->re_payload, JF_ANY, false, 0, NULL },
	};
	struct dbq	 qs[2], aq;
	struct dbb	 b = DBB_ARRAY(qs), ab = DBB_ONE(aq);
	struct audit_ev	 ev;
	struct iscope	 s;
	struct buf	 meta = BUF_INIT;
	json_object	*obj = NULL;
	const char	*run, *payload = NULL, *usage = NULL, *error = NULL;
	const char	*status;
	size_t		 n = ISCOPE_NFIELDS + 3;
	bool		 failed = false;
	enum err	 rc = ERR_INTERNAL;

	if (k->re_agent)
		f[n++] = (struct jfield){ "error", JF_STRING, false, ERROR_MAX,
		    NULL };
	f[n++] = (struct jfield){ "usage", JF_ANY, false, 0, NULL };
	if ((rc = agentapi_open(x, &obj, f, n, 0, &s)) != ERR_OK)
		goto out;
	run = jsonin_str(&f[ISCOPE_NFIELDS]);
	if (k->re_agent)
		error = jsonin_str(&f[ISCOPE_NFIELDS + 3]);
	if ((rc = agentapi_status(x, jsonin_str(&f[ISCOPE_NFIELDS + 1]),
	    &failed)) != ERR_OK ||
	    (rc = agentapi_stored(x, &f[ISCOPE_NFIELDS + 2], JSONIN_DOC_MAX,
	    k->re_array, false, &payload)) != ERR_OK ||
	    (rc = agentapi_stored(x, &f[n - 1], USAGE_MAX, false, true,
	    &usage)) != ERR_OK)
		goto out;
	if (error != NULL && !failed) {
		x->x_field = "error";
		x->x_msg = "error goes with status \"failed\" only.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (!id_valid(run)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	status = failed ? "failed" : "completed";
	if (k->re_agent)
		dbb_add(&b, k->re_complete, s.is_app, run, status, payload,
		    error, usage);
	else
		dbb_add(&b, k->re_complete, s.is_app, run, status, payload,
		    usage);
	dbb_add(&b, k->re_get, s.is_app, run);
	if ((rc = txn_exec(x, &b)) != ERR_OK ||
	    (rc = agentapi_moved(x, qs)) != ERR_OK ||
	    (rc = agentapi_run_event(x, &ev, &ab, &meta, &s, failed ?
	    k->re_failed : k->re_completed, failed, k->re_type, run)) !=
	    ERR_OK ||
	    (rc = txn_commit(x, &ab)) != ERR_OK)
		goto out;
	if (k->re_agent)
		agent_run_json(&x->x_resp->rs_body, qs[1].q_res, s.is_app);
	else
		run_json(&x->x_resp->rs_body, qs[1].q_res, 0, s.is_app);
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&b);
	dbb_clear(&ab);
	buf_free(&meta);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}

/*
 * POST /api/internal/agent-run-complete {workspaceId, appId, runId,
 * status, result?, error?, usage?}: move the agent run, loaded by
 * (workspace, app, run), from pending, running or streaming to completed
 * or failed (error only with failed); 200 with the run as the member
 * route shows it; 409 when it had already ended (unchanged); 404 when
 * there is no such run in that app.  Audited app_agent_run.completed or
 * app_agent_run.failed.
 */
enum err
agentapi_agent_run_complete(struct rctx *x)
{
	return agentapi_run_complete(x, &agent_run_end);
}

/*
 * POST /api/internal/builder-run-complete {workspaceId, appId, runId,
 * status, messages?, usage?}: as agent-run-complete, for a builder run
 * (messages, an array, replaces the run's).  Audited
 * builder_run.completed or builder_run.failed.
 */
enum err
agentapi_builder_run_complete(struct rctx *x)
{
	return agentapi_run_complete(x, &builder_run_end);
}

/*
 * POST /api/internal/tool-failure-report {workspaceId, appId, runId,
 * toolName, description}: the agent run runId of the app (404 when
 * there is none) had a tool fail; open a builder repair run (runReason
 * "app_tool_failure") on behalf of the user who triggered the agent run,
 * its one message naming the run, the tool and the description.  201
 * with the builder run.  Audited app_agent_tool_failure.reported (tool
 * name and run ids, not the description) and builder_run.created.
 */
enum err
agentapi_tool_failure(struct rctx *x)
{
	struct jfield	 f[] = {
		ISCOPE_FIELDS,
		{ "runId", JF_STRING, true, 64, NULL },
		{ "toolName", JF_STRING, true, TOOL_MAX, NULL },
		{ "description", JF_STRING, true, DESC_MAX, NULL },
	};
	struct dbq	 qs[2], aq[2];
	struct dbb	 b = DBB_ARRAY(qs), ab = DBB_ARRAY(aq);
	struct audit_ev	 ev[2];
	struct iscope	 s;
	struct buf	 msgs = BUF_INIT, meta = BUF_INIT, meta2 = BUF_INIT;
	json_object	*obj = NULL;
	const char	*run, *tool;
	char		 rid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = agentapi_open(x, &obj, f, ISCOPE_NFIELDS + 3, 0, &s)) !=
	    ERR_OK)
		goto out;
	run = jsonin_str(&f[ISCOPE_NFIELDS]);
	tool = jsonin_str(&f[ISCOPE_NFIELDS + 1]);
	if (!jsonin_text_ok(tool, TOOL_MAX)) {
		x->x_field = "toolName";
		x->x_msg = "toolName must be text without control characters.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (!id_valid(run)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	id_new(rid);
	buf_puts(&msgs, "[{\"role\":\"user\",\"type\":\"app_tool_failure\","
	    "\"agentRunId\":");
	buf_json_str(&msgs, run);
	buf_puts(&msgs, ",\"toolName\":");
	buf_json_str(&msgs, tool);
	buf_puts(&msgs, ",\"content\":");
	buf_json_str(&msgs, jsonin_str(&f[ISCOPE_NFIELDS + 2]));
	buf_puts(&msgs, "}]");
	meta_begin(&meta, &s);
	buf_puts(&meta, ",\"agentRunId\":");
	buf_json_str(&meta, run);
	buf_puts(&meta, ",\"toolName\":");
	buf_json_str(&meta, tool);
	buf_puts(&meta, ",\"builderRunId\":");
	buf_json_str(&meta, rid);
	buf_putc(&meta, '}');
	meta_begin(&meta2, &s);
	buf_puts(&meta2, ",\"runReason\":\"app_tool_failure\"}");
	if (!buf_ok(&msgs) || !buf_ok(&meta) || !buf_ok(&meta2)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	dbb_add(&b, ST_REPAIR_RUN_INSERT, rid, s.is_app, run, msgs.b_data);
	dbb_add(&b, ST_RUN_GET, s.is_app, rid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) != 1 || PQntuples(qs[1].q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	audit_queue(x, &ev[0], &ab, EV_APP_AGENT_TOOL_FAILURE_REPORTED,
	    "success", "agent_run", run, meta.b_data);
	audit_queue(x, &ev[1], &ab, EV_BUILDER_RUN_CREATED, "started",
	    "builder_run", rid, meta2.b_data);
	if ((rc = txn_commit(x, &ab)) != ERR_OK)
		goto out;
	run_json(&x->x_resp->rs_body, qs[1].q_res, 0, s.is_app);
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&b);
	dbb_clear(&ab);
	buf_free(&msgs);
	buf_free(&meta);
	buf_free(&meta2);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}
