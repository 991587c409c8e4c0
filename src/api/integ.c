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
#include "iscope.h"
#include "jsonin.h"
#include "oauth.h"
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

/*
 * The internal API: the setup sync of an app and the read of its grants.
 * iscope_open opens the transaction as second_internal in the workspace
 * and app the body names (404 when the app is not in that workspace); the
 * policies key every row on both.
 */

#define INTEG_MAX_GRANTS	50	/* entries of one setup sync */
#define INTEG_TEXT_MAX		200	/* name, keyName, capabilityLabel */
#define INTEG_WHY_MAX		2000

/* Append the grants of the scoped app as {"integrations":[grant...]}. */
static void
grants_json(struct buf *b, const PGresult *r)
{
	int	 i, n = PQntuples(r);

	buf_puts(b, "{\"integrations\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		grant_json(b, r, i);
	}
	buf_puts(b, "]}");
}

/*
 * POST /api/internal/workspace-integrations {workspaceId, appId}: 200
 * {integrations: [grant]}, the grants of that app (names only).
 */
enum err
integ_workspace(struct rctx *x)
{
	struct jfield	 f[] = { ISCOPE_FIELDS };
	struct iscope	 s;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	json_object	*obj = NULL;
	enum err	 rc = ERR_INTERNAL;

	memset(&s, 0, sizeof(s));
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, ISCOPE_NFIELDS)) != ERR_OK ||
	    (rc = iscope_open(x, f, 0, &s)) != ERR_OK)
		goto out;
	dbb_add(&b, ST_INTEG_APP_GRANTS);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	grants_json(&x->x_resp->rs_body, q.q_res);
	resp_json(x->x_resp, 200);
out:
	dbb_clear(&b);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}

/*
 * A lowercase DNS name of at least two labels: letters, digits and inner
 * hyphens, labels of 1..63, at most 253 bytes, the last label starting
 * with a letter (so no IPv4 literal); no port, userinfo, trailing dot or
 * IPv6 literal can pass.
 */
static bool
domain_ok(const char *s)
{
	size_t	 n = strlen(s), i, label = 0, labels = 1, last = 0;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			last = i + 1;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && label > 0)))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-' && labels >= 2 &&
	    s[last] >= 'a' && s[last] <= 'z';
}

/* A key slug: [a-z0-9][a-z0-9_-]{0,63}. */
static bool
slug_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '_')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_'))
			return false;
	return true;
}

/* A secret name, as the environment names it: [A-Za-z_][A-Za-z0-9_]{0,63}. */
static bool
secret_name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The keys of auth an entry may give, by type: no secret ever. */
static const char *const auth_static_keys[] = { "type", NULL };
static const char *const auth_oauth_keys[] = { "type", "providerKey",
	"identity", "authorizationUrl", "tokenUrl", "scopes", "tokenAuthMethod",
	"authorizationParams", "tokenParams", NULL };
static const char *const access_levels[] = { "read", "write",
	"delete_admin", "mixed", "unknown", NULL };

/* True when s is one of list. */
static bool
one_of(const char *s, const char *const *list)
{
	size_t	 i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* One entry, checked (struct jfield values borrowed from the body). */
struct setup_entry {
	const char	*se_name, *se_domain, *se_slug, *se_key_name;
	const char	*se_label, *se_why, *se_access;
	const char	*se_auth, *se_groups, *se_secrets, *se_instr;
	/* oauth2 only (NULL otherwise): what its provider config needs */
	const char	*se_key, *se_auth_url, *se_token_url, *se_method;
};

/* Set x_field to "integrations[i].<what>"; return rc. */
static enum err
entry_error(struct rctx *x, size_t i, const char *what, const char *msg,
    enum err rc)
{
	snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf), "integrations[%zu]%s%s",
	    i, what[0] != '\0' ? "." : "", what);
	x->x_field = x->x_fieldbuf;
	x->x_msg = msg;
	return rc;
}

/* The plain JSON text of v (json-c keeps it with v). */
static const char *
json_text(json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/*
 * The string auth.<key> of entry i, checked by ok, into *out: 400 when
 * it is not a string, 422 (naming the field) when missing or refused.
 */
static enum err
entry_auth_str(struct rctx *x, size_t i, json_object *auth, const char *key,
    bool (*ok)(const char *), const char *msg, const char **out)
{
	json_object	*v;
	char		 what[64];

	snprintf(what, sizeof(what), "auth.%s", key);
	if (!json_object_object_get_ex(auth, key, &v) || v == NULL)
		return entry_error(x, i, what, msg, ERR_VALIDATION_FAILED);
	if (!json_object_is_type(v, json_type_string))
		return entry_error(x, i, what, "Expected a string.",
		    ERR_INVALID_JSON);
	*out = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(*out) || !ok(*out))
		return entry_error(x, i, what, msg, ERR_VALIDATION_FAILED);
	return ERR_OK;
}

/*
 * The oauth2 auth of entry i, as far as its provider config needs
 * (sql/007_oauth.sql's checks): providerKey, authorizationUrl, tokenUrl
 * and tokenAuthMethod present and valid, scopes (when given) an array
 * of strings.  Sets se's se_key, se_auth_url, se_token_url, se_method.
 */
static enum err
entry_oauth(struct rctx *x, size_t i, json_object *auth,
    struct setup_entry *se)
{
	json_object	*sc;
	size_t		 k;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = entry_auth_str(x, i, auth, "providerKey", id_name_ok,
	    "A provider key: [A-Za-z0-9_-], 1 to 64.", &se->se_key)) != ERR_OK ||
	    (rc = entry_auth_str(x, i, auth, "authorizationUrl", oauth_url_ok,
	    "An https:// URL of at most 2048 bytes.",
	    &se->se_auth_url)) != ERR_OK ||
	    (rc = entry_auth_str(x, i, auth, "tokenUrl", oauth_url_ok,
	    "An https:// URL of at most 2048 bytes.",
	    &se->se_token_url)) != ERR_OK ||
	    (rc = entry_auth_str(x, i, auth, "tokenAuthMethod", oauth_method_ok,
	    "client_secret_post, client_secret_basic or none.",
	    &se->se_method)) != ERR_OK)
		return rc;
	if (json_object_object_get_ex(auth, "scopes", &sc)) {
		if (!json_object_is_type(sc, json_type_array))
			return entry_error(x, i, "auth.scopes", "Expected an "
			    "array of strings.", ERR_INVALID_JSON);
		for (k = 0; k < json_object_array_length(sc); k++)
			if (!json_object_is_type(json_object_array_get_idx(sc,
			    k), json_type_string))
				return entry_error(x, i, "auth.scopes",
				    "Expected an array of strings.",
				    ERR_INVALID_JSON);
	}
	return ERR_OK;
}

/*
 * Check auth (NULL: {"type":"static_secret"}): an object whose type is
 * static_secret or oauth2 and whose keys are those of its type, an
 * oauth2 one as entry_oauth says; the text to store in se_auth.
 */
static enum err
entry_auth(struct rctx *x, size_t i, json_object *auth,
    struct setup_entry *se)
{
	json_object	*t;
	const char	*type;
	enum err	 rc = ERR_INTERNAL;

	if (auth == NULL) {
		se->se_auth = "{\"type\":\"static_secret\"}";
		return ERR_OK;
	}
	if (!json_object_is_type(auth, json_type_object))
		return entry_error(x, i, "auth", "Expected an object.",
		    ERR_INVALID_JSON);
	if (!json_object_object_get_ex(auth, "type", &t) ||
	    !json_object_is_type(t, json_type_string))
		return entry_error(x, i, "auth.type", "auth.type is "
		    "static_secret or oauth2.", ERR_VALIDATION_FAILED);
	type = json_object_get_string(t);
	if (strcmp(type, "static_secret") != 0 && strcmp(type, "oauth2") != 0)
		return entry_error(x, i, "auth.type", "auth.type is "
		    "static_secret or oauth2.", ERR_VALIDATION_FAILED);
	json_object_object_foreach(auth, key, val) {
		(void)val;
		if (!one_of(key, strcmp(type, "oauth2") == 0 ?
		    auth_oauth_keys : auth_static_keys))
			return entry_error(x, i, "auth", "auth holds only "
			    "the non-secret metadata of its type.",
			    ERR_VALIDATION_FAILED);
	}
	if (strcmp(type, "oauth2") == 0 &&
	    (rc = entry_oauth(x, i, auth, se)) != ERR_OK)
		return rc;
	se->se_auth = json_text(auth);
	return ERR_OK;
}

/*
 * Check a list of named objects (permission groups or secret
 * requirements): an array of at most max objects, each with a name valid
 * by name_valid, named once, and only the keys of "keys"; string values
 * but for "required" (boolean) and "permissions" (array of strings).
 */
static enum err
entry_named(struct rctx *x, size_t i, const char *what, json_object *list,
    size_t max, bool (*name_valid)(const char *), const char *const *keys)
{
	json_object	*e, *n, *p;
	size_t		 k, j, len;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return entry_error(x, i, what, "Expected an array.",
		    list == NULL ? ERR_VALIDATION_FAILED : ERR_INVALID_JSON);
	len = json_object_array_length(list);
	if (len > max)
		return entry_error(x, i, what, "Too many entries.",
		    ERR_VALIDATION_FAILED);
	for (k = 0; k < len; k++) {
		e = json_object_array_get_idx(list, k);
		if (!json_object_is_type(e, json_type_object))
			return entry_error(x, i, what, "Expected objects.",
			    ERR_INVALID_JSON);
		if (!json_object_object_get_ex(e, "name", &n) ||
		    !json_object_is_type(n, json_type_string) ||
		    !name_valid(json_object_get_string(n)))
			return entry_error(x, i, what, "Each entry has a "
			    "valid name.", ERR_VALIDATION_FAILED);
		for (j = 0; j < k; j++) {
			json_object_object_get_ex(
			    json_object_array_get_idx(list, j), "name", &p);
			if (strcmp(json_object_get_string(p),
			    json_object_get_string(n)) == 0)
				return entry_error(x, i, what, "A name is "
				    "given twice.", ERR_VALIDATION_FAILED);
		}
		json_object_object_foreach(e, key, val) {
			bool	 ok;

			if (!one_of(key, keys))
				return entry_error(x, i, what, "Unknown "
				    "field.", ERR_INVALID_JSON);
			if (strcmp(key, "required") == 0)
				ok = json_object_is_type(val,
				    json_type_boolean);
			else if (strcmp(key, "permissions") == 0) {
				ok = json_object_is_type(val,
				    json_type_array);
				for (j = 0; ok && j <
				    json_object_array_length(val); j++)
					ok = json_object_is_type(
					    json_object_array_get_idx(val, j),
					    json_type_string);
			} else
				ok = json_object_is_type(val,
				    json_type_string) &&
				    json_object_get_string_len(val) <=
				    INTEG_WHY_MAX;
			if (!ok)
				return entry_error(x, i, what, "A value has "
				    "the wrong type or is too long.",
				    ERR_VALIDATION_FAILED);
		}
	}
	return ERR_OK;
}

static const char *const group_keys[] = { "name", "description",
	"permissions", NULL };
static const char *const secret_keys[] = { "name", "label", "description",
	"required", NULL };

/*
 * Check setup entry i (second-docs integration-setup.json) into *se.
 * 400 for a wrong type or unknown field, 422 for a bad value; x_field
 * "integrations[i].field".
 */
static enum err
entry_check(struct rctx *x, size_t i, json_object *e, struct setup_entry *se)
{
	struct jfield	 f[] = {
		{ "name", JF_STRING, true, INTEG_TEXT_MAX, NULL },
		{ "domain", JF_STRING, true, 253, NULL },
		{ "keySlug", JF_STRING, false, 64, NULL },
		{ "keyName", JF_STRING, true, INTEG_TEXT_MAX, NULL },
		{ "capabilityLabel", JF_STRING, true, INTEG_TEXT_MAX, NULL },
		{ "why", JF_STRING0, true, INTEG_WHY_MAX, NULL },
		{ "auth", JF_ANY, false, 0, NULL },
		{ "accessLevel", JF_STRING, false, 16, NULL },
		{ "permissionGroups", JF_ANY, true, 0, NULL },
		{ "secrets", JF_ANY, true, 0, NULL },
		{ "setupInstructions", JF_ANY, false, 0, NULL },
	};
	char		 what[128];
	enum err	 rc = ERR_INTERNAL;

	if (!json_object_is_type(e, json_type_object))
		return entry_error(x, i, "", "Expected an object.",
		    ERR_INVALID_JSON);
	if ((rc = jsonin_fields(x, e, f, sizeof(f) / sizeof(f[0]))) != ERR_OK) {
		/* x_field may be x_fieldbuf, which entry_error rewrites. */
		snprintf(what, sizeof(what), "%s", x->x_field != NULL ?
		    x->x_field : "");
		return entry_error(x, i, what, x->x_msg, rc);
	}
	memset(se, 0, sizeof(*se));
	se->se_name = jsonin_str(&f[0]);
	se->se_domain = jsonin_str(&f[1]);
	se->se_slug = f[2].jf_val != NULL ? jsonin_str(&f[2]) : "default";
	se->se_key_name = jsonin_str(&f[3]);
	se->se_label = jsonin_str(&f[4]);
	se->se_why = jsonin_str(&f[5]);
	se->se_access = f[7].jf_val != NULL ? jsonin_str(&f[7]) : "unknown";
	if (!jsonin_text_ok(se->se_name, INTEG_TEXT_MAX))
		return entry_error(x, i, "name", "Not a display name.",
		    ERR_VALIDATION_FAILED);
	if (!domain_ok(se->se_domain))
		return entry_error(x, i, "domain", "A lowercase DNS name "
		    "(no IP address, port or user).", ERR_VALIDATION_FAILED);
	if (!slug_ok(se->se_slug))
		return entry_error(x, i, "keySlug", "[a-z0-9][a-z0-9_-]*, at "
		    "most 64.", ERR_VALIDATION_FAILED);
	if (!jsonin_text_ok(se->se_key_name, INTEG_TEXT_MAX))
		return entry_error(x, i, "keyName", "Not a display name.",
		    ERR_VALIDATION_FAILED);
	if (!jsonin_text_ok(se->se_label, INTEG_TEXT_MAX))
		return entry_error(x, i, "capabilityLabel", "Not a display "
		    "name.", ERR_VALIDATION_FAILED);
	if (!one_of(se->se_access, access_levels))
		return entry_error(x, i, "accessLevel", "One of read, write, "
		    "delete_admin, mixed, unknown.", ERR_VALIDATION_FAILED);
	if ((rc = entry_auth(x, i, f[6].jf_val, se)) != ERR_OK ||
	    (rc = entry_named(x, i, "permissionGroups", f[8].jf_val,
	    INTEG_MAX_GROUPS, name_ok, group_keys)) != ERR_OK ||
	    (rc = entry_named(x, i, "secrets", f[9].jf_val, INTEG_MAX_SECRETS,
	    secret_name_ok, secret_keys)) != ERR_OK)
		return rc;
	se->se_groups = json_text(f[8].jf_val);
	se->se_secrets = json_text(f[9].jf_val);
	if (f[10].jf_val != NULL) {
		if (!json_object_is_type(f[10].jf_val, json_type_object))
			return entry_error(x, i, "setupInstructions",
			    "Expected an object.", ERR_INVALID_JSON);
		se->se_instr = json_text(f[10].jf_val);
	}
	x->x_field = NULL;
	return ERR_OK;
}

/*
 * Stored secret requirements: each with "required" (true unless it says
 * false), so the setup reasons read one shape.  Appends to out.
 */
static void
requirements_norm(const char *secrets, struct buf *out)
{
	json_object	*list = json_tokener_parse(secrets), *e, *r;
	size_t		 i, n;

	n = list != NULL ? json_object_array_length(list) : 0;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		if (!json_object_object_get_ex(e, "required", &r))
			json_object_object_add(e, "required",
			    json_object_new_boolean(1));
	}
	buf_puts(out, list != NULL ? json_text(list) : "[]");
	json_object_put(list);
}

/*
 * POST /api/internal/integration-requirements {workspaceId, appId,
 * integrations: [setup entry]}: replace the app's grant set.  Every entry
 * is checked first (400/422 naming integrations[i].field, nothing
 * changes); then each is upserted by (domain, keySlug) and the grants it
 * does not list are removed with their dedicated credentials and secrets.
 * An oauth2 entry creates the workspace's provider config for its
 * providerKey, unconfigured, when there is none (an existing one keeps
 * its URLs: the grant's setup reasons say when they differ).
 * Idempotent.  A new grant is audited integration.requested, a removed
 * one integration.deleted.  200 {integrations: [grant]}.
 */
enum err
integ_requirements(struct rctx *x)
{
	struct jfield		 f[] = { ISCOPE_FIELDS,
		{ "integrations", JF_ANY, true, 0, NULL } };
	struct setup_entry	 se[INTEG_MAX_GRANTS];
	struct buf		 reqs[INTEG_MAX_GRANTS];
	char			 ids[INTEG_MAX_GRANTS][ID_LEN + 1];
	char			 pids[INTEG_MAX_GRANTS][ID_LEN + 1];
	struct audit_ev		 ev[2 * INTEG_MAX_GRANTS];
	char			 meta[INTEG_MAX_GRANTS][400];
	struct dbq		 qs[2 * INTEG_MAX_GRANTS + 1];
	struct dbb		 b = DBB_ARRAY(qs);
	struct dbq		 as[2 * INTEG_MAX_GRANTS + 1];
	struct dbb		 ab = DBB_ARRAY(as);
	struct buf		 keys = BUF_INIT, m = BUF_INIT;
	struct iscope		 s;
	json_object		*obj = NULL, *list;
	const PGresult		*r;
	size_t			 n = 0, i, j, nev = 0;
	int			 k;
	enum err		 rc = ERR_INTERNAL;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < INTEG_MAX_GRANTS; i++)
		buf_init(&reqs[i], 0);
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, ISCOPE_NFIELDS + 1)) != ERR_OK)
		goto out;
	list = f[ISCOPE_NFIELDS].jf_val;
	if (!json_object_is_type(list, json_type_array)) {
		x->x_field = "integrations";
		x->x_msg = "Expected an array of setup entries.";
		rc = ERR_INVALID_JSON;
		goto out;
	}
	if ((n = json_object_array_length(list)) > INTEG_MAX_GRANTS) {
		x->x_field = "integrations";
		x->x_msg = "Too many integrations (at most 50).";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	buf_putc(&keys, '[');
	for (i = 0; i < n; i++) {
		if ((rc = entry_check(x, i, json_object_array_get_idx(list, i),
		    &se[i])) != ERR_OK)
			goto out;
		for (j = 0; j < i; j++)
			if (strcmp(se[i].se_domain, se[j].se_domain) == 0 &&
			    strcmp(se[i].se_slug, se[j].se_slug) == 0) {
				rc = entry_error(x, i, "keySlug", "Two entries "
				    "name the same domain and keySlug.",
				    ERR_VALIDATION_FAILED);
				goto out;
			}
		requirements_norm(se[i].se_secrets, &reqs[i]);
		if (i > 0)
			buf_putc(&keys, ',');
		buf_puts(&keys, "[");
		buf_json_str(&keys, se[i].se_domain);
		buf_putc(&keys, ',');
		buf_json_str(&keys, se[i].se_slug);
		buf_putc(&keys, ']');
	}
	buf_putc(&keys, ']');
	if (!buf_ok(&keys))
		goto out;
	for (i = 0; i < n; i++)
		if (!buf_ok(&reqs[i]))
			goto out;
	if ((rc = iscope_open(x, f, 0, &s)) != ERR_OK)
		goto out;

	for (i = 0; i < n; i++) {
		id_new(ids[i]);
		dbb_add(&b, ST_INTEG_UPSERT, ids[i], se[i].se_name,
		    se[i].se_domain, se[i].se_slug, se[i].se_key_name,
		    se[i].se_label, se[i].se_why, se[i].se_auth,
		    se[i].se_access, se[i].se_groups, reqs[i].b_data,
		    se[i].se_instr);
	}
	dbb_add(&b, ST_INTEG_PRUNE, keys.b_data);
	/* After the upserts: the insert policy wants the oauth2 grant. */
	for (i = 0; i < n; i++) {
		if (se[i].se_key == NULL)
			continue;
		id_new(pids[i]);
		dbb_add(&b, ST_OAUTHCFG_ENSURE, pids[i], se[i].se_key,
		    se[i].se_name, se[i].se_auth_url, se[i].se_token_url,
		    se[i].se_method);
	}
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	for (i = 0; i < n; i++) {
		r = qs[i].q_res;
		if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0,
		    COL_INTEG_UPSERT_INSERTED), "t") != 0)
			continue;
		buf_reset(&m);
		buf_puts(&m, "{\"domain\":");
		buf_json_str(&m, se[i].se_domain);
		buf_puts(&m, ",\"keySlug\":");
		buf_json_str(&m, se[i].se_slug);
		buf_putc(&m, '}');
		if (!buf_ok(&m) || m.b_len >= sizeof(meta[0]))
			goto out;
		memcpy(meta[i], m.b_data, m.b_len + 1);
		audit_queue(x, &ev[nev++], &ab, EV_INTEGRATION_REQUESTED,
		    "success", "integration", PQgetvalue(r, 0,
		    COL_INTEG_UPSERT_ID), meta[i]);
	}
	r = qs[n].q_res;
	for (k = 0; k < PQntuples(r) && nev < 2 * INTEG_MAX_GRANTS; k++)
		audit_queue(x, &ev[nev++], &ab, EV_INTEGRATION_DELETED,
		    "success", "integration", PQgetvalue(r, k,
		    COL_INTEG_PRUNE_ID), NULL);
	dbb_add(&ab, ST_INTEG_APP_GRANTS);
	if ((rc = txn_commit(x, &ab)) != ERR_OK)
		goto out;
	grants_json(&x->x_resp->rs_body, dbb_res(&ab, ab.bb_n - 1));
	resp_json(x->x_resp, 200);
out:
	for (i = 0; i < INTEG_MAX_GRANTS; i++)
		buf_free(&reqs[i]);
	buf_free(&keys);
	buf_free(&m);
	dbb_clear(&ab);
	dbb_clear(&b);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}
