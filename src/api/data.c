/*
 * data: app data collections.  Documents are keyed by (workspace, app,
 * scope, collection, id); the scope is "published" (the live app, anyone
 * who sees it) or "draft" (?version=draft, builders only: 404 for
 * others).  Updates merge top-level fields into the document.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "apps.h"
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
#include "route.h"
#include "txn.h"

/* A data route's state: the collection, the scope and a page. */
struct data_state {
	struct list_args ds_list;	/* the page; la_err: any bad argument */
	char		 ds_coll[65];	/* collection, "" if none given */
	const char	*ds_scope;	/* "draft" or "published" */
};

static const struct route_state_type data_state_type = {
	"data", sizeof(struct data_state), NULL,
};

/*
 * Parse ?collection= (required unless the body names it) and ?version=
 * into the route's state, once.  A bad one is kept in ds_list.la_err:
 * the pre-hooks leave it for the handler, which answers it after the
 * guard.  NULL on memory exhaustion.
 */
static struct data_state *
data_args(struct rctx *x)
{
	struct data_state	*ds;
	char			*c = NULL, *v = NULL;

	if ((ds = route_state(x, &data_state_type)) != NULL)
		return ds;
	if ((ds = route_state_new(x, &data_state_type)) == NULL)
		return NULL;
	if (req_query_get(x->x_req, "collection", &c) != ERR_OK ||
	    req_query_get(x->x_req, "version", &v) != ERR_OK) {
		ds->ds_list.la_err = ERR_BAD_REQUEST;
		goto out;
	}
	if (c != NULL && !id_name_ok(c)) {
		x->x_field = "collection";
		ds->ds_list.la_err = ERR_BAD_REQUEST;
		goto out;
	}
	if (c != NULL)
		snprintf(ds->ds_coll, sizeof(ds->ds_coll), "%s", c);
	if (v == NULL || strcmp(v, "published") == 0)
		ds->ds_scope = "published";
	else if (strcmp(v, "draft") == 0)
		ds->ds_scope = "draft";
	else {
		x->x_field = "version";
		ds->ds_list.la_err = ERR_BAD_REQUEST;
	}
out:
	free(c);
	free(v);
	return ds;
}

/* The app, visible, and the draft scope only for builders. */
static enum err
data_app(struct rctx *x, const struct data_state *ds, const PGresult *r,
    struct app *a)
{
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, r, a)) != ERR_OK)
		return rc;
	if (ds->ds_list.la_err != ERR_OK)
		return ds->ds_list.la_err;
	if (strcmp(ds->ds_scope, "draft") == 0 && !a->ap_builder)
		return ERR_NOT_FOUND;
	return ERR_OK;
}

/*
 * Append document row i of r (the document fragment of data.sql) of
 * collection coll: {"id","collection","data","createdAt","updatedAt"}.
 */
void
data_doc_json(struct buf *b, const PGresult *r, int i, const char *coll)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_DOCUMENT_ID));
	buf_puts(b, ",\"collection\":");
	buf_json_str(b, coll);
	buf_printf(b, ",\"data\":%s", PQgetvalue(r, i, COL_DOCUMENT_DATA));
	buf_puts(b, ",\"createdAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_DOCUMENT_CREATED_AT));
	buf_puts(b, ",\"updatedAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_DOCUMENT_UPDATED_AT));
	buf_putc(b, '}');
}

/* data_doc_json of row i, for the collection *arg (a const char *). */
static void
doc_row_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	const char *const	*coll = arg;

	data_doc_json(b, r, i, *coll);
}

/* A page of documents; the writer's arg: the collection's const char *. */
const struct list_shape data_doc_shape = {
	"documents", COL_DOCUMENT_ID, doc_row_json, NULL,
};

/*
 * The start of a data read's pre-hook: queue the app and parse the data
 * arguments into *dsp (with the page arguments when "page"), a missing
 * collection being 400.  A bad argument is left in ds_list.la_err for the
 * handler; ERR_INTERNAL on memory exhaustion.
 */
static enum err
data_read_pre(struct rctx *x, bool page, struct data_state **dsp)
{
	struct data_state	*ds;
	enum err		 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	if ((*dsp = ds = data_args(x)) == NULL)
		return ERR_INTERNAL;
	if (page && ds->ds_list.la_err == ERR_OK)
		list_parse(x, &ds->ds_list);
	if (ds->ds_list.la_err == ERR_OK && ds->ds_coll[0] == '\0') {
		x->x_field = "collection";
		ds->ds_list.la_err = ERR_BAD_REQUEST;
	}
	return ERR_OK;
}

/* Queue the app and a page of the collection. */
enum err
data_list_pre(struct rctx *x)
{
	struct data_state	*ds;
	enum err		 rc = ERR_INTERNAL;

	if ((rc = data_read_pre(x, true, &ds)) != ERR_OK)
		return rc;
	if (ds->ds_list.la_err == ERR_OK)
		txn_pre(x, ST_DATA_LIST, apps_id_arg(x, 1),
		    ds->ds_scope, ds->ds_coll, list_cursor_param(&ds->ds_list),
		    ds->ds_list.la_fetch);
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/data?collection=&version=.
 */
enum err
data_list(struct rctx *x)
{
	const struct data_state	*ds = route_state(x, &data_state_type);
	struct app		 a;
	const char		*coll;
	enum err		 rc = ERR_INTERNAL;

	if (ds == NULL)
		return ERR_INTERNAL;
	if ((rc = data_app(x, ds, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	coll = ds->ds_coll;
	list_write(x, txn_pre_res(x, 1), &ds->ds_list, &data_doc_shape,
	    &coll);
	return ERR_OK;
}

/* Queue the app and one document (capture 2). */
enum err
data_get_pre(struct rctx *x)
{
	struct data_state	*ds;
	enum err		 rc = ERR_INTERNAL;

	if ((rc = data_read_pre(x, false, &ds)) != ERR_OK)
		return rc;
	if (ds->ds_list.la_err == ERR_OK)
		txn_pre(x, ST_DATA_GET, apps_id_arg(x, 1),
		    ds->ds_scope, ds->ds_coll,
		    apps_id_arg(x, 2));
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/data/{docId}?collection=&version=.
 */
enum err
data_get(struct rctx *x)
{
	const struct data_state	*ds = route_state(x, &data_state_type);
	const PGresult		*r = txn_pre_res(x, 1);
	struct app		 a;
	enum err		 rc = ERR_INTERNAL;

	if (ds == NULL)
		return ERR_INTERNAL;
	if ((rc = data_app(x, ds, txn_pre_res(x, 0), &a)) != ERR_OK)
		return rc;
	if (r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	data_doc_json(&x->x_resp->rs_body, r, 0, ds->ds_coll);
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * The app of a data write, visible to the caller, in the open
 * transaction (viewers write the published scope), read into the batch
 * lk (the caller clears it); *dsp is the route's state.
 */
static enum err
data_write_app(struct rctx *x, struct dbb *lk, struct app *a,
    struct data_state **dsp)
{
	enum err	 rc = ERR_INTERNAL;

	if ((*dsp = data_args(x)) == NULL)
		goto out;
	dbb_add(lk, ST_APP_GET, apps_id_arg(x, 1));
	if ((rc = txn_exec(x, lk)) != ERR_OK)
		goto out;
	rc = data_app(x, *dsp, dbb_res(lk, 0), a);
out:
	return rc;
}

/*
 * The "data" field f: an object, serialised into *out, within the limits
 * of a stored document (jsonin_stored); 400 or 413 naming "data"
 * otherwise (the member routes and the internal ones).
 */
enum err
data_field(struct rctx *x, struct jfield *f, const char **out)
{
	if (f->jf_val == NULL || !json_object_is_type(f->jf_val,
	    json_type_object)) {
		x->x_field = "data";
		x->x_msg = "data must be an object.";
		return ERR_INVALID_JSON;
	}
	return jsonin_stored(x, f->jf_val, "data", JSONIN_DOC_MAX, out);
}

/*
 * POST .../apps/{appId}/data?version= {collection, data}: 201 with the
 * document.
 */
enum err
data_post(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "collection", JF_STRING, true, 64, NULL },
		{ "data", JF_ANY, true, 0, NULL },
	};
	struct dbq	 lq, qs[2];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct data_state *ds;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1), *data = NULL;
	char		 did[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK ||
	    (rc = data_field(x, &f[1], &data)) != ERR_OK)
		goto out;
	if (!id_name_ok(jsonin_str(&f[0]))) {
		x->x_field = "collection";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = data_write_app(x, &lk, &a, &ds)) != ERR_OK)
		goto out;
	snprintf(ds->ds_coll, sizeof(ds->ds_coll), "%s", jsonin_str(&f[0]));
	id_new(did);
	dbb_add(&b, ST_DATA_INSERT, id, ds->ds_scope, ds->ds_coll, did, data);
	dbb_add(&b, ST_DATA_GET, id, ds->ds_scope, ds->ds_coll, did);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[1].q_res) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	data_doc_json(&x->x_resp->rs_body, qs[1].q_res, 0, ds->ds_coll);
	resp_json(x->x_resp, 201);
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

/*
 * PATCH .../apps/{appId}/data/{docId}?collection=&version= {data}: merge
 * the fields into the document; 200 with it.
 * DELETE ...: 204.
 */
static enum err
data_change(struct rctx *x, bool del)
{
	struct jfield	 f[] = { { "data", JF_ANY, true, 0, NULL } };
	struct dbq	 lq, qs[2];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct data_state *ds;
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1), *doc = apps_arg(x, 2);
	const char	*data = NULL;
	enum err	 rc = ERR_INTERNAL;

	if (!del && ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK ||
	    (rc = data_field(x, &f[0], &data)) != ERR_OK))
		goto out;
	if ((rc = data_write_app(x, &lk, &a, &ds)) != ERR_OK)
		goto out;
	if (ds->ds_coll[0] == '\0') {
		x->x_field = "collection";
		rc = ERR_BAD_REQUEST;
		goto out;
	}
	if (doc == NULL || !id_valid(doc)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (del)
		dbb_add(&b, ST_DATA_DELETE, id, ds->ds_scope, ds->ds_coll, doc);
	else {
		dbb_add(&b, ST_DATA_UPDATE, id, ds->ds_scope, ds->ds_coll, doc,
		    data);
		dbb_add(&b, ST_DATA_GET, id, ds->ds_scope, ds->ds_coll, doc);
	}
	if ((rc = txn_commit(x, &b)) != ERR_OK) {
		/*
		 * The fields merged are within the limits, the merged
		 * document may not be: the only check an update of data
		 * can break is app_data_size (sql/001_baseline.sql).
		 */
		if (rc == ERR_VALIDATION_FAILED && !del) {
			x->x_field = "data";
			x->x_msg = "The merged document would be too large.";
			rc = ERR_PAYLOAD_TOO_LARGE;
		}
		goto out;
	}
	if (PQntuples(qs[0].q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (del)
		x->x_resp->rs_status = 204;
	else {
		data_doc_json(&x->x_resp->rs_body, qs[1].q_res, 0,
		    ds->ds_coll);
		resp_json(x->x_resp, 200);
	}
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}

enum err
data_patch(struct rctx *x)
{
	return data_change(x, false);
}

enum err
data_delete(struct rctx *x)
{
	return data_change(x, true);
}
