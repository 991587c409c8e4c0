/*
 * integ: integration grants, their dedicated credentials and sealed
 * secrets (second-api(7), "Integrations").
 *
 * A grant is created only by an app's setup sync (the internal API); a
 * member with integrations:manage configures it (PATCH: secrets and
 * permission groups), resets or deletes it.  Every answer is the grant
 * shape of grant_json, with secret names only: no route reads a sealed
 * value back, and the values a PATCH receives are sealed (secret.h) with
 * the workspace, the credential and the secret name as associated data
 * before they reach a statement.  Why a grant needs setup is computed in
 * one place, the "grant" fragment of sql/statements/integrations.sql.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "secret.h"
#include "txn.h"

#define INTEG_MAX_SECRETS	32	/* secrets in one PATCH */
#define INTEG_MAX_GROUPS	64	/* permission groups in one PATCH */
#define INTEG_NAME_MAX		64	/* a secret or group name */

/* A JSON boolean from a PostgreSQL boolean column. */
static const char *
pg_bool(const PGresult *r, int i, int col)
{
	return strcmp(PQgetvalue(r, i, col), "t") == 0 ? "true" : "false";
}

/*
 * Append grant row i of r (the columns of the "grant" fragment, first in
 * the row) as the grant object of second-api(7): names of secrets only.
 */
static void
grant_json(struct buf *b, const PGresult *r, int i)
{
	const char	*reasons = PQgetvalue(r, i, COL_GRANT_SETUP_REASONS);

	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_ID));
	buf_puts(b, ",\"name\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_NAME));
	buf_puts(b, ",\"domain\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_DOMAIN));
	buf_puts(b, ",\"keySlug\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_KEY_SLUG));
	buf_puts(b, ",\"keyName\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_KEY_NAME));
	buf_puts(b, ",\"capabilityLabel\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_CAPABILITY_LABEL));
	/* jsonb written back by PostgreSQL: valid JSON, no secret (sync). */
	buf_puts(b, ",\"auth\":");
	buf_puts(b, PQgetvalue(r, i, COL_GRANT_AUTH));
	buf_puts(b, ",\"accessLevel\":");
	buf_json_str(b, PQgetvalue(r, i, COL_GRANT_ACCESS_LEVEL));
	buf_puts(b, ",\"permissionGroups\":");
	buf_puts(b, PQgetvalue(r, i, COL_GRANT_PERMISSION_GROUPS));
	buf_puts(b, ",\"secretRequirements\":");
	buf_puts(b, PQgetvalue(r, i, COL_GRANT_SECRET_REQUIREMENTS));
	buf_puts(b, ",\"setupInstructions\":");
	buf_puts(b, PQgetvalue(r, i, COL_GRANT_SETUP_INSTRUCTIONS));
	buf_puts(b, ",\"configuredSecrets\":");
	buf_puts(b, PQgetvalue(r, i, COL_GRANT_SECRET_NAMES));
	buf_puts(b, ",\"configured\":");
	buf_puts(b, pg_bool(r, i, COL_GRANT_CONFIGURED));
	buf_puts(b, ",\"needsSetup\":");
	buf_puts(b, strcmp(reasons, "[]") != 0 ? "true" : "false");
	buf_puts(b, ",\"setupReasons\":");
	buf_puts(b, reasons);
	buf_putc(b, '}');
}

/* Queue the grants of the visible apps (GET, one round trip). */
enum err
integ_list_pre(struct rctx *x)
{
	txn_pre(x, ST_INTEG_LIST);
	return ERR_OK;
}

/*
 * GET /api/workspaces/{ws}/integrations: [{app: {id, name},
 * integrations: [grant]}], one entry per app with grants, of the apps
 * visible to the caller (the policies decide).
 */
enum err
integ_list(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 0);
	struct buf	*b = &x->x_resp->rs_body;
	const char	*app, *prev = NULL;
	int		 i, n;

	if (r == NULL)
		return ERR_INTERNAL;
	n = PQntuples(r);
	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		app = PQgetvalue(r, i, COL_GRANT_APP_ID);
		if (prev == NULL || strcmp(prev, app) != 0) {
			buf_puts(b, prev == NULL ? "{\"app\":{\"id\":" :
			    "]},{\"app\":{\"id\":");
			buf_json_str(b, app);
			buf_puts(b, ",\"name\":");
			buf_json_str(b, PQgetvalue(r, i,
			    COL_INTEG_LIST_APP_NAME));
			buf_puts(b, "},\"integrations\":[");
		} else
			buf_putc(b, ',');
		grant_json(b, r, i);
		prev = app;
	}
	buf_puts(b, prev == NULL ? "]" : "]}]");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * POST /api/workspaces/{ws}/integrations: 409.  Grants come only from
 * an app's setup sync, never from an app-blind request.
 */
enum err
integ_post(struct rctx *x)
{
	x->x_msg = "Integrations are requested by an app's setup; configure "
	    "one with PATCH.";
	return ERR_CONFLICT;
}

/*
 * Load the grant named by the route into q (ST_INTEG_GET); ERR_NOT_FOUND
 * when it is not an id or not a grant of an app visible to the caller.
 */
static enum err
grant_load(struct rctx *x, struct dbq *q)
{
	const char	*gid = x->x_req->rq_args[1];
	struct dbb	 b = DBB_ONE(*q);
	enum err	 rc = ERR_INTERNAL;

	if (!id_valid(gid))
		return ERR_NOT_FOUND;
	dbb_add(&b, ST_INTEG_GET, gid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		return rc;
	return PQntuples(q->q_res) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

/* True when the JSON array text "list" holds an object whose name is s. */
static bool
names_hold(json_object *list, const char *s)
{
	json_object	*e, *n;
	size_t		 i, len;

	len = json_object_is_type(list, json_type_array) ?
	    json_object_array_length(list) : 0;
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(list, i);
		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), s) == 0)
			return true;
		if (json_object_object_get_ex(e, "name", &n) &&
		    json_object_is_type(n, json_type_string) &&
		    strcmp(json_object_get_string(n), s) == 0)
			return true;
	}
	return false;
}

/* A 422 naming field "prefix" + name (copied: the body is freed first). */
static enum err
field_error(struct rctx *x, const char *prefix, const char *name,
    const char *msg)
{
	snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf), "%s%s", prefix, name);
	x->x_field = x->x_fieldbuf;
	x->x_msg = msg;
	return ERR_VALIDATION_FAILED;
}

/* A secret or permission group name: [A-Za-z0-9_.:-], 1..64 bytes. */
static bool
name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > INTEG_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("_.:-", s[i])))
			return false;
	return true;
}

/*
 * Check the PATCH body against the grant (row 0 of g): every secret
 * named in its secretRequirements, a non-empty string of at most
 * SECRET_MAX_VALUE bytes; every permission group one of its groups,
 * once.  400 for wrong types, 422 (with the field) otherwise.
 */
static enum err
patch_check(struct rctx *x, const PGresult *g, json_object *secrets,
    json_object *groups)
{
	json_object	*reqs = NULL, *pgs = NULL, *e;
	size_t		 i, j, n;
	enum err	 rc = ERR_VALIDATION_FAILED;

	reqs = json_tokener_parse(PQgetvalue(g, 0,
	    COL_GRANT_SECRET_REQUIREMENTS));
	pgs = json_tokener_parse(PQgetvalue(g, 0, COL_GRANT_PERMISSION_GROUPS));
	if (secrets == NULL && groups == NULL) {
		x->x_field = "secrets";
		x->x_msg = "Nothing to change: give secrets or "
		    "permissionGroups.";
		goto out;
	}
	if (secrets != NULL) {
		if (json_object_object_length(secrets) > INTEG_MAX_SECRETS) {
			x->x_field = "secrets";
			x->x_msg = "Too many secrets.";
			goto out;
		}
		json_object_object_foreach(secrets, key, val) {
			if (!name_ok(key) || !names_hold(reqs, key)) {
				rc = field_error(x, "secrets.", key, "Not a "
				    "secret this integration requires.");
				goto out;
			}
			if (!json_object_is_type(val, json_type_string)) {
				snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf),
				    "secrets.%s", key);
				x->x_field = x->x_fieldbuf;
				x->x_msg = "Expected a string.";
				rc = ERR_INVALID_JSON;
				goto out;
			}
			n = (size_t)json_object_get_string_len(val);
			if (n == 0 || n > SECRET_MAX_VALUE ||
			    strlen(json_object_get_string(val)) != n) {
				rc = field_error(x, "secrets.", key, "A secret "
				    "is 1 to 8192 bytes of text.");
				goto out;
			}
		}
	}
	if (groups != NULL) {
		if (!json_object_is_type(groups, json_type_array)) {
			x->x_field = "permissionGroups";
			x->x_msg = "Expected an array of names.";
			rc = ERR_INVALID_JSON;
			goto out;
		}
		n = json_object_array_length(groups);
		if (n > INTEG_MAX_GROUPS) {
			x->x_field = "permissionGroups";
			x->x_msg = "Too many permission groups.";
			goto out;
		}
		for (i = 0; i < n; i++) {
			e = json_object_array_get_idx(groups, i);
			snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf),
			    "permissionGroups[%zu]", i);
			x->x_field = x->x_fieldbuf;
			if (!json_object_is_type(e, json_type_string)) {
				x->x_msg = "Expected an array of names.";
				rc = ERR_INVALID_JSON;
				goto out;
			}
			if (!name_ok(json_object_get_string(e)) ||
			    !names_hold(pgs, json_object_get_string(e))) {
				x->x_msg = "Not a permission group of this "
				    "integration.";
				goto out;
			}
			for (j = 0; j < i; j++)
				if (strcmp(json_object_get_string(e),
				    json_object_get_string(
				    json_object_array_get_idx(groups, j))) == 0) {
					x->x_msg = "A permission group is "
					    "named twice.";
					goto out;
				}
		}
	}
	x->x_field = NULL;
	rc = ERR_OK;
out:
	json_object_put(reqs);
	json_object_put(pgs);
	return rc;
}

/*
 * The credential of grant gid (row 0 of g), bound now if it has none
 * (the first of concurrent requests wins).  Copies its id into cid.
 */
static enum err
cred_ensure(struct rctx *x, const PGresult *g, const char *gid,
    char cid[ID_LEN + 1])
{
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	char		 nid[ID_LEN + 1];
	enum err	 rc = ERR_INTERNAL;

	if (!PQgetisnull(g, 0, COL_GRANT_CREDENTIAL_ID)) {
		snprintf(cid, ID_LEN + 1, "%s",
		    PQgetvalue(g, 0, COL_GRANT_CREDENTIAL_ID));
		return ERR_OK;
	}
	id_new(nid);
	dbb_add(&b, ST_INTEG_CRED_ENSURE, nid, gid);
	dbb_add(&b, ST_INTEG_CRED_ID, gid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[1].q_res) != 1) {
		rc = ERR_NOT_FOUND;	/* the grant went away meanwhile */
		goto out;
	}
	snprintf(cid, ID_LEN + 1, "%s", PQgetvalue(qs[1].q_res, 0,
	    COL_INTEG_CRED_ID_ID));
out:
	dbb_clear(&b);
	return rc;
}

/* Commit b with the grant's read (ST_INTEG_GET) last; answer it, 200. */
static enum err
grant_commit_show(struct rctx *x, struct dbb *b, const char *gid)
{
	const PGresult	*r;
	size_t		 get = b->bb_n;
	enum err	 rc = ERR_INTERNAL;

	dbb_add(b, ST_INTEG_GET, gid);
	if ((rc = txn_commit(x, b)) != ERR_OK)
		return rc;
	r = dbb_res(b, get);
	if (r == NULL || PQntuples(r) != 1)
		return ERR_INTERNAL;
	grant_json(&x->x_resp->rs_body, r, 0);
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * PATCH /api/workspaces/{ws}/integrations/{id} {secrets?: {NAME: value},
 * permissionGroups?: [name]}: configure or rotate.  Each value is sealed
 * for (workspace, credential, NAME) and replaces the secret of that name;
 * the credential is configured when every required secret is there.
 * Audited integration.secret_rotated when a configured secret was
 * replaced, integration.configured otherwise, with names only.
 */
enum err
integ_patch(struct rctx *x)
{
	const char	*gid = x->x_req->rq_args[1];
	struct jfield	 f[] = {
		{ "secrets", JF_OBJECT, false, 0, NULL },
		{ "permissionGroups", JF_ANY, false, 0, NULL },
	};
	struct dbq	 gq = { 0 };
	struct dbq	 qs[2 * INTEG_MAX_SECRETS + 3];
	struct dbb	 b = DBB_ARRAY(qs);
	struct buf	 sealed[INTEG_MAX_SECRETS];
	struct buf	 meta = BUF_INIT, raw = BUF_INIT;
	struct audit_ev	 ev;
	json_object	*obj = NULL, *names = NULL;
	const char	*groups = NULL, *v;
	char		 cid[ID_LEN + 1];
	bool		 rotated = false, first = true;
	size_t		 ns = 0, i;
	enum err	 rc = ERR_INTERNAL;

	for (i = 0; i < INTEG_MAX_SECRETS; i++)
		buf_init(&sealed[i], 0);
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 2)) != ERR_OK ||
	    (rc = grant_load(x, &gq)) != ERR_OK ||
	    (rc = patch_check(x, gq.q_res, f[0].jf_val, f[1].jf_val)) != ERR_OK ||
	    (rc = cred_ensure(x, gq.q_res, gid, cid)) != ERR_OK)
		goto out;
	names = json_tokener_parse(PQgetvalue(gq.q_res, 0,
	    COL_GRANT_SECRET_NAMES));
	buf_puts(&meta, "{\"secretNames\":[");
	if (f[0].jf_val != NULL) {
		json_object_object_foreach(f[0].jf_val, key, val) {
			v = json_object_get_string(val);
			buf_reset(&raw);
			if (secret_seal(&x->x_w->ws_seal, x->x_ws.w_id, cid, key,
			    v, strlen(v), &raw) != 0)
				goto out;
			secret_bytea(raw.b_data, raw.b_len, &sealed[ns]);
			if (!buf_ok(&sealed[ns]))
				goto out;
			rotated = rotated || names_hold(names, key);
			dbb_add(&b, ST_INTEG_SECRET_DEL, cid, key);
			dbb_add(&b, ST_INTEG_SECRET_PUT, cid, key,
			    sealed[ns].b_data);
			if (!first)
				buf_putc(&meta, ',');
			buf_json_str(&meta, key);
			first = false;
			ns++;
		}
	}
	buf_puts(&meta, "]");
	if (f[1].jf_val != NULL) {
		groups = json_object_to_json_string_ext(f[1].jf_val,
		    JSON_C_TO_STRING_PLAIN);
		buf_puts(&meta, ",\"permissionGroups\":");
		buf_puts(&meta, groups);
	}
	buf_putc(&meta, '}');
	if (!buf_ok(&meta))
		goto out;
	dbb_add(&b, ST_INTEG_CRED_UPDATE, cid, groups);
	audit_queue(x, &ev, &b, rotated ? EV_INTEGRATION_SECRET_ROTATED :
	    EV_INTEGRATION_CONFIGURED, "success", "integration", gid,
	    meta.b_data);
	rc = grant_commit_show(x, &b, gid);
out:
	for (i = 0; i < INTEG_MAX_SECRETS; i++)
		buf_free(&sealed[i]);
	buf_free(&raw);
	buf_free(&meta);
	dbb_clear(&b);
	PQclear(gq.q_res);
	json_object_put(names);
	json_object_put(obj);
	return rc;
}

/*
 * POST /api/workspaces/{ws}/integrations/{id}/reset: forget the grant's
 * credential and its secrets; the grant needs setup again.  200 with it.
 */
enum err
integ_reset(struct rctx *x)
{
	const char	*gid = x->x_req->rq_args[1];
	struct dbq	 gq = { 0 };
	struct dbq	 qs[3];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = grant_load(x, &gq)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_INTEG_CRED_DELETE, gid);
	audit_queue(x, &ev, &b, EV_INTEGRATION_RESET, "success",
	    "integration", gid, NULL);
	rc = grant_commit_show(x, &b, gid);
out:
	dbb_clear(&b);
	PQclear(gq.q_res);
	return rc;
}

/*
 * DELETE /api/workspaces/{ws}/integrations/{id}: the grant and its
 * dedicated credential.  204.
 */
enum err
integ_delete(struct rctx *x)
{
	const char	*gid = x->x_req->rq_args[1];
	struct dbq	 gq = { 0 };
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct audit_ev	 ev;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = grant_load(x, &gq)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_INTEG_DELETE, gid);
	audit_queue(x, &ev, &b, EV_INTEGRATION_DELETED, "success",
	    "integration", gid, NULL);
	if ((rc = txn_commit(x, &b)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	PQclear(gq.q_res);
	return rc;
}
