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

/* A collection name: ^[A-Za-z0-9_-]{1,64}$. */
static bool
collection_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/*
 * Parse ?collection= (required unless "body_coll") and ?version= into
 * x_dcoll / x_dscope.  Errors are kept in x_list.la_err so that pre
 * hooks, which cannot fail, leave them for the handler.
 */
static void
data_args(struct rctx *x)
{
	char	*c = NULL, *v = NULL;

	if (req_query_get(x->x_req, "collection", &c) != ERR_OK ||
	    req_query_get(x->x_req, "version", &v) != ERR_OK) {
		x->x_list.la_err = ERR_BAD_REQUEST;
		goto out;
	}
	if (c != NULL && !collection_ok(c)) {
		x->x_field = "collection";
		x->x_list.la_err = ERR_BAD_REQUEST;
		goto out;
	}
	if (c != NULL)
		snprintf(x->x_dcoll, sizeof(x->x_dcoll), "%s", c);
	if (v == NULL || strcmp(v, "published") == 0)
		x->x_dscope = "published";
	else if (strcmp(v, "draft") == 0)
		x->x_dscope = "draft";
	else {
		x->x_field = "version";
		x->x_list.la_err = ERR_BAD_REQUEST;
	}
out:
	free(c);
	free(v);
}

/* The app, visible, and the draft scope only for builders. */
static enum err
data_app(struct rctx *x, const PGresult *r, struct app *a)
{
	enum err	 rc;

	if ((rc = apps_load(x, r, a)) != ERR_OK)
		return rc;
	if (x->x_list.la_err != ERR_OK)
		return x->x_list.la_err;
	if (strcmp(x->x_dscope, "draft") == 0 && !a->ap_builder)
		return ERR_NOT_FOUND;
	return ERR_OK;
}

static void
doc_json(struct buf *b, const PGresult *r, int i, const char *coll)
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

/* Queue the app and a page of the collection. */
void
data_list_pre(struct rctx *x)
{
	const char	*id = apps_arg(x, 1);

	apps_get_pre(x);
	data_args(x);
	if (x->x_list.la_err == ERR_OK)
		list_parse(x, &x->x_list);
	if (x->x_list.la_err == ERR_OK && x->x_dcoll[0] == '\0') {
		x->x_field = "collection";
		x->x_list.la_err = ERR_BAD_REQUEST;
	}
	if (x->x_list.la_err == ERR_OK)
		guard_pre(x, ST_DATA_LIST, id && id_valid(id) ? id : NULL,
		    x->x_dscope, x->x_dcoll);
	/* guard_pre takes three parameters; the page follows. */
	if (x->x_npre == 2) {
		x->x_pre[1].q_params[3] = list_cursor_param(&x->x_list);
		x->x_pre[1].q_params[4] = x->x_list.la_fetch;
	}
}

/*
 * GET .../apps/{appId}/data?collection=&version=.
 */
enum err
data_list(struct rctx *x)
{
	struct buf	*b = &x->x_resp->rs_body;
	const PGresult	*r = x->x_pre[1].q_res;
	struct app	 a;
	int		 i, n;
	enum err	 rc;

	if ((rc = data_app(x, x->x_pre[0].q_res, &a)) != ERR_OK)
		return rc;
	n = list_rows(r, &x->x_list);
	buf_puts(b, "{\"documents\":[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		doc_json(b, r, i, x->x_dcoll);
	}
	list_end(b, r, &x->x_list, COL_DOCUMENT_ID);
	buf_putc(b, '}');
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/* Queue the app and one document (capture 2). */
void
data_get_pre(struct rctx *x)
{
	const char	*id = apps_arg(x, 1), *doc = apps_arg(x, 2);

	apps_get_pre(x);
	data_args(x);
	if (x->x_list.la_err == ERR_OK && x->x_dcoll[0] == '\0') {
		x->x_field = "collection";
		x->x_list.la_err = ERR_BAD_REQUEST;
	}
	if (x->x_list.la_err == ERR_OK)
		guard_pre(x, ST_DATA_GET, id && id_valid(id) ? id : NULL,
		    x->x_dscope, x->x_dcoll);
	if (x->x_npre == 2)
		x->x_pre[1].q_params[3] = doc && id_valid(doc) ? doc : NULL;
}

/*
 * GET .../apps/{appId}/data/{docId}?collection=&version=.
 */
enum err
data_get(struct rctx *x)
{
	const PGresult	*r = x->x_pre[1].q_res;
	struct app	 a;
	enum err	 rc;

	if ((rc = data_app(x, x->x_pre[0].q_res, &a)) != ERR_OK)
		return rc;
	if (r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	doc_json(&x->x_resp->rs_body, r, 0, x->x_dcoll);
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * The app of a data write, visible to the caller, in the open
 * transaction (viewers write the published scope).
 */
static enum err
data_write_app(struct rctx *x, struct dbq *q, struct app *a)
{
	const char	*id = apps_arg(x, 1);
	enum err	 rc;

	memset(q, 0, sizeof(*q));
	data_args(x);
	q->q_stmt = ST_APP_GET;
	q->q_params[0] = id && id_valid(id) ? id : NULL;
	if ((rc = guard_exec(x, q, 1)) != ERR_OK)
		return rc;
	return data_app(x, q->q_res, a);
}

/*
 * The "data" field: an object, serialised, within the limits of a stored
 * document (jsonin_stored).
 */
static enum err
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
	struct dbq	 lk, qs[2];
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1), *data = NULL;
	char		 did[ID_LEN + 1];
	enum err	 rc;

	memset(qs, 0, sizeof(qs));
	memset(&lk, 0, sizeof(lk));
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK ||
	    (rc = data_field(x, &f[1], &data)) != ERR_OK)
		goto out;
	if (!collection_ok(jsonin_str(&f[0]))) {
		x->x_field = "collection";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = data_write_app(x, &lk, &a)) != ERR_OK)
		goto out;
	snprintf(x->x_dcoll, sizeof(x->x_dcoll), "%s", jsonin_str(&f[0]));
	id_new(did);
	qs[0].q_stmt = ST_DATA_INSERT;
	qs[0].q_params[0] = id;
	qs[0].q_params[1] = x->x_dscope;
	qs[0].q_params[2] = x->x_dcoll;
	qs[0].q_params[3] = did;
	qs[0].q_params[4] = data;
	qs[1].q_stmt = ST_DATA_GET;
	memcpy(qs[1].q_params, qs[0].q_params, 4 * sizeof(char *));
	if ((rc = guard_commit(x, qs, 2)) != ERR_OK)
		goto out;
	if (PQntuples(qs[1].q_res) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	doc_json(&x->x_resp->rs_body, qs[1].q_res, 0, x->x_dcoll);
	resp_json(x->x_resp, 201);
out:
	dbq_clear(&lk, 1);
	dbq_clear(qs, 2);
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
	struct dbq	 lk, qs[2];
	struct app	 a;
	json_object	*obj = NULL;
	const char	*id = apps_arg(x, 1), *doc = apps_arg(x, 2);
	const char	*data = NULL;
	enum err	 rc;

	memset(qs, 0, sizeof(qs));
	memset(&lk, 0, sizeof(lk));
	if (!del && ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK ||
	    (rc = data_field(x, &f[0], &data)) != ERR_OK))
		goto out;
	if ((rc = data_write_app(x, &lk, &a)) != ERR_OK)
		goto out;
	if (x->x_dcoll[0] == '\0') {
		x->x_field = "collection";
		rc = ERR_BAD_REQUEST;
		goto out;
	}
	if (doc == NULL || !id_valid(doc)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	qs[0].q_stmt = del ? ST_DATA_DELETE : ST_DATA_UPDATE;
	qs[0].q_params[0] = id;
	qs[0].q_params[1] = x->x_dscope;
	qs[0].q_params[2] = x->x_dcoll;
	qs[0].q_params[3] = doc;
	qs[0].q_params[4] = data;
	qs[1].q_stmt = ST_DATA_GET;
	memcpy(qs[1].q_params, qs[0].q_params, 4 * sizeof(char *));
	if ((rc = guard_commit(x, qs, del ? 1 : 2)) != ERR_OK) {
		/*
		 * The fields merged are within the limits, the merged
		 * document may not be: the only check an update of data
		 * can break is app_data_size (sql/020).
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
		doc_json(&x->x_resp->rs_body, qs[1].q_res, 0, x->x_dcoll);
		resp_json(x->x_resp, 200);
	}
out:
	dbq_clear(&lk, 1);
	dbq_clear(qs, 2);
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
