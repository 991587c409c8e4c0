/*
 * oauthcfg: a workspace's OAuth provider configs (second-api(7), "OAuth
 * provider configs").
 *
 * A config is created unconfigured by the setup sync of an app whose
 * grant is oauth2 (integ.c); every member lists them, an owner or admin
 * (integrations:manage) gives the client id and secret and may change
 * the URLs and the token auth method.  No answer, log line or audit event
 * holds the client secret: a PATCH seals it (secret.h) with the
 * workspace, the config and "client_secret" as associated data before it
 * reaches a statement, and no statement of a member reads it back.  The
 * config is read at each use, so a PATCH takes effect at once.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "egress.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "list.h"
#include "oauth.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "secret.h"
#include "txn.h"

#define OAUTHCFG_NAME_MAX	200	/* display name */
#define OAUTHCFG_CLIENT_ID_MAX	512	/* client id */

/* Append config row i of r (the "oauthcfg" fragment) as a config object. */
static void
config_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_ID));
	buf_puts(b, ",\"providerKey\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_PROVIDER_KEY));
	buf_puts(b, ",\"displayName\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_DISPLAY_NAME));
	buf_puts(b, ",\"authorizationUrl\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_AUTHORIZATION_URL));
	buf_puts(b, ",\"tokenUrl\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_TOKEN_URL));
	buf_puts(b, ",\"tokenAuthMethod\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_TOKEN_AUTH_METHOD));
	buf_puts(b, ",\"clientId\":");
	if (PQgetisnull(r, i, COL_OAUTHCFG_CLIENT_ID))
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, i, COL_OAUTHCFG_CLIENT_ID));
	buf_puts(b, ",\"configured\":");
	buf_puts(b, strcmp(PQgetvalue(r, i, COL_OAUTHCFG_CONFIGURED), "t") ==
	    0 ? "true" : "false");
	buf_putc(b, '}');
}

/* The configs of a GET, one array without a cursor (list_items). */
static const struct list_shape config_shape = {
	NULL, COL_OAUTHCFG_ID, config_json, NULL,
};

/* Queue the workspace's configs (GET, one round trip). */
enum err
oauthcfg_list_pre(struct rctx *x)
{
	txn_pre(x, ST_OAUTHCFG_LIST);
	return ERR_OK;
}

/*
 * GET /api/workspaces/{ws}/oauth-provider-configs: [config], by provider
 * key; never the client secret.
 */
enum err
oauthcfg_list(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 0);
	struct buf	*b = &x->x_resp->rs_body;

	if (r == NULL)
		return ERR_INTERNAL;
	buf_putc(b, '[');
	list_items(b, r, PQntuples(r), &config_shape, NULL);
	buf_putc(b, ']');
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/* A 422 on field with msg. */
static enum err
invalid(struct rctx *x, const char *field, const char *msg)
{
	x->x_field = field;
	x->x_msg = msg;
	return ERR_VALIDATION_FAILED;
}

/*
 * A provider URL of a PATCH: https:// syntax (oauth_url_ok), then where
 * it resolves (egress_url_check: public, or in egress_allow_cidrs).  422
 * on field naming why.
 */
static enum err
url_check(struct rctx *x, const char *field, const char *url)
{
	if (!oauth_url_ok(url))
		return invalid(x, field, "Not an https:// URL of at most 2048 "
		    "bytes.");
	switch (egress_url_check(x->x_conf, url)) {
	case EGRESS_OK:
		return ERR_OK;
	case EGRESS_REFUSED_URL:
		return invalid(x, field, "Not https, or names a user or an "
		    "address the egress rules refuse.");
	case EGRESS_REFUSED_ADDRESS:
		return invalid(x, field, "The host resolves to a non-public "
		    "address.");
	case EGRESS_CONNECT_FAILED:
		return invalid(x, field, "The host does not resolve.");
	default:
		return ERR_INTERNAL;
	}
}

/* The PATCH body, checked; NULL members are not changed. */
struct cfg_patch {
	const char	*cp_name, *cp_auth_url, *cp_token_url, *cp_method;
	bool		 cp_set_id;	/* clientId given (NULL: clear) */
	const char	*cp_id;
	bool		 cp_set_secret;	/* clientSecret given (NULL: clear) */
	const char	*cp_secret;
	size_t		 cp_secret_len;
};

/*
 * The string or null field "name" of obj into *set and *out (*out NULL
 * for null or ""); 400 for another type.
 */
static enum err
nullable_str(struct rctx *x, json_object *obj, const char *name, bool *set,
    const char **out, size_t *len)
{
	json_object	*v;

	*set = json_object_object_get_ex(obj, name, &v);
	*out = NULL;
	*len = 0;
	if (!*set || v == NULL)
		return ERR_OK;
	if (!json_object_is_type(v, json_type_string)) {
		x->x_field = name;
		x->x_msg = "Expected a string or null.";
		return ERR_INVALID_JSON;
	}
	*len = (size_t)json_object_get_string_len(v);
	if (*len > 0)
		*out = json_object_get_string(v);
	return ERR_OK;
}

/*
 * Check a PATCH body into *p: 400 for an unknown field or a wrong type,
 * 422 naming the field for a bad value or when nothing is given.
 */
static enum err
patch_parse(struct rctx *x, json_object *obj, struct cfg_patch *p)
{
	struct jfield	 f[] = {
		{ "clientId", JF_ANY, false, 0, NULL },
		{ "clientSecret", JF_ANY, false, 0, NULL },
		{ "displayName", JF_STRING, false, OAUTHCFG_NAME_MAX, NULL },
		{ "authorizationUrl", JF_STRING, false, OAUTH_URL_MAX, NULL },
		{ "tokenUrl", JF_STRING, false, OAUTH_URL_MAX, NULL },
		{ "tokenAuthMethod", JF_STRING, false, 32, NULL },
	};
	size_t		 idlen;
	enum err	 rc = ERR_INTERNAL;

	memset(p, 0, sizeof(*p));
	if ((rc = jsonin_fields(x, obj, f, sizeof(f) / sizeof(f[0]))) !=
	    ERR_OK ||
	    (rc = nullable_str(x, obj, "clientId", &p->cp_set_id, &p->cp_id,
	    &idlen)) != ERR_OK ||
	    (rc = nullable_str(x, obj, "clientSecret", &p->cp_set_secret,
	    &p->cp_secret, &p->cp_secret_len)) != ERR_OK)
		return rc;
	x->x_field = NULL;
	p->cp_name = f[2].jf_val != NULL ? jsonin_str(&f[2]) : NULL;
	p->cp_auth_url = f[3].jf_val != NULL ? jsonin_str(&f[3]) : NULL;
	p->cp_token_url = f[4].jf_val != NULL ? jsonin_str(&f[4]) : NULL;
	p->cp_method = f[5].jf_val != NULL ? jsonin_str(&f[5]) : NULL;
	if (!p->cp_set_id && !p->cp_set_secret && p->cp_name == NULL &&
	    p->cp_auth_url == NULL && p->cp_token_url == NULL &&
	    p->cp_method == NULL)
		return invalid(x, "displayName", "Nothing to change: give "
		    "at least one field.");
	/* f[0] is NULL for null: "" is no client id. */
	if ((f[0].jf_val != NULL && p->cp_id == NULL) ||
	    (p->cp_id != NULL && (idlen > OAUTHCFG_CLIENT_ID_MAX ||
	    strlen(p->cp_id) != idlen ||
	    !jsonin_text_ok(p->cp_id, OAUTHCFG_CLIENT_ID_MAX))))
		return invalid(x, "clientId", "A client id is 1 to 512 bytes "
		    "of text without control characters; null forgets it.");
	if (p->cp_secret != NULL && (p->cp_secret_len > SECRET_MAX_VALUE ||
	    strlen(p->cp_secret) != p->cp_secret_len))
		return invalid(x, "clientSecret", "A client secret is at most "
		    "8192 bytes of text; \"\" or null forgets it.");
	if (p->cp_name != NULL &&
	    !jsonin_text_ok(p->cp_name, OAUTHCFG_NAME_MAX))
		return invalid(x, "displayName", "Not a display name.");
	if (p->cp_method != NULL && !oauth_method_ok(p->cp_method))
		return invalid(x, "tokenAuthMethod", "client_secret_post, "
		    "client_secret_basic or none.");
	if (p->cp_auth_url != NULL &&
	    (rc = url_check(x, "authorizationUrl", p->cp_auth_url)) != ERR_OK)
		return rc;
	if (p->cp_token_url != NULL &&
	    (rc = url_check(x, "tokenUrl", p->cp_token_url)) != ERR_OK)
		return rc;
	return ERR_OK;
}

/* Add "name" to the JSON array text in m when v is given and differs. */
static void
changed(struct buf *m, bool *any, const char *name, bool given,
    const char *v, const PGresult *r, int col)
{
	const char	*old = PQgetisnull(r, 0, col) ? NULL :
	    PQgetvalue(r, 0, col);

	if (!given || (v == NULL ? old == NULL :
	    (old != NULL && strcmp(v, old) == 0)))
		return;
	if (*any)
		buf_putc(m, ',');
	buf_json_str(m, name);
	*any = true;
}

/*
 * PATCH /api/workspaces/{ws}/oauth-provider-configs/{id} {clientId?,
 * clientSecret?, displayName?, authorizationUrl?, tokenUrl?,
 * tokenAuthMethod?}: 200 with the config.  Another workspace's config,
 * or a non-id, is 404.  Audited oauth.provider_configured when a
 * non-secret field changed ({providerKey, configId, fields}) and
 * oauth.provider_secret_rotated when clientSecret was given ({providerKey,
 * configId, cleared}); never a secret.
 */
enum err
oauthcfg_patch(struct rctx *x)
{
	const char	*cid = x->x_req->rq_args[1];
	struct cfg_patch p;
	struct dbq	 lq[1], qs[5];
	struct dbb	 lb = DBB_ARRAY(lq), b = DBB_ARRAY(qs);
	struct buf	 sealed = BUF_INIT;
	struct buf	 cm = BUF_INIT, sm = BUF_INIT;
	struct audit_ev	 ev[2];
	json_object	*obj = NULL;
	const PGresult	*cur, *r;
	const char	*key;
	bool		 any = false;
	size_t		 get;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = patch_parse(x, obj, &p)) != ERR_OK)
		goto out;
	if (!id_valid(cid)) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	dbb_add(&lb, ST_OAUTHCFG_LOCK, cid);
	if ((rc = txn_exec(x, &lb)) != ERR_OK)
		goto out;
	cur = lq[0].q_res;
	if (PQntuples(cur) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	key = PQgetvalue(cur, 0, COL_OAUTHCFG_PROVIDER_KEY);

	buf_puts(&cm, "{\"providerKey\":");
	buf_json_str(&cm, key);
	buf_puts(&cm, ",\"configId\":");
	buf_json_str(&cm, cid);
	buf_puts(&cm, ",\"fields\":[");
	changed(&cm, &any, "clientId", p.cp_set_id, p.cp_id, cur,
	    COL_OAUTHCFG_CLIENT_ID);
	changed(&cm, &any, "displayName", p.cp_name != NULL, p.cp_name, cur,
	    COL_OAUTHCFG_DISPLAY_NAME);
	changed(&cm, &any, "authorizationUrl", p.cp_auth_url != NULL,
	    p.cp_auth_url, cur, COL_OAUTHCFG_AUTHORIZATION_URL);
	changed(&cm, &any, "tokenUrl", p.cp_token_url != NULL, p.cp_token_url,
	    cur, COL_OAUTHCFG_TOKEN_URL);
	changed(&cm, &any, "tokenAuthMethod", p.cp_method != NULL, p.cp_method,
	    cur, COL_OAUTHCFG_TOKEN_AUTH_METHOD);
	buf_puts(&cm, "]}");
	if (!buf_ok(&cm))
		goto out;
	if (any) {
		dbb_add(&b, ST_OAUTHCFG_UPDATE, cid, p.cp_name, p.cp_auth_url,
		    p.cp_token_url, p.cp_method, p.cp_set_id ? "t" : "f",
		    p.cp_id);
		audit_queue(x, &ev[0], &b, EV_OAUTH_PROVIDER_CONFIGURED,
		    "success", "oauth_provider_config", cid, cm.b_data);
	}
	if (p.cp_set_secret) {
		if (p.cp_secret != NULL) {
			if (secret_seal_bytea(&x->x_w->ws_seal, x->x_ws.w_id,
			    cid, "client_secret", p.cp_secret,
			    p.cp_secret_len, &sealed) != 0)
				goto out;
		}
		dbb_add(&b, ST_OAUTHCFG_SECRET, cid, p.cp_secret != NULL ?
		    sealed.b_data : NULL);
		buf_puts(&sm, "{\"providerKey\":");
		buf_json_str(&sm, key);
		buf_puts(&sm, ",\"configId\":");
		buf_json_str(&sm, cid);
		buf_puts(&sm, p.cp_secret != NULL ? ",\"cleared\":false}" :
		    ",\"cleared\":true}");
		if (!buf_ok(&sm))
			goto out;
		audit_queue(x, &ev[1], &b, EV_OAUTH_PROVIDER_SECRET_ROTATED,
		    "success", "oauth_provider_config", cid, sm.b_data);
	}
	get = b.bb_n;
	dbb_add(&b, ST_OAUTHCFG_GET, cid);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	r = dbb_res(&b, get);
	if (r == NULL || PQntuples(r) != 1) {
		rc = ERR_INTERNAL;
		goto out;
	}
	config_json(&x->x_resp->rs_body, r, 0, NULL);
	resp_json(x->x_resp, 200);
out:
	buf_free(&sealed);
	buf_free(&cm);
	buf_free(&sm);
	dbb_clear(&lb);
	dbb_clear(&b);
	json_object_put(obj);
	return rc;
}
