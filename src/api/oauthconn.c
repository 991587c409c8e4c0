/*
 * oauthconn: connecting a member's account at an OAuth provider, and the
 * member's connected accounts (second-api(7), "OAuth").
 *
 * start mints a random state and a PKCE verifier, stores the state's
 * SHA-256 bound to the workspace, the user and the provider config (ten
 * minutes, single use), and sends the browser to the provider.  The
 * callback takes the caller's state back (second.oauth_state_take deletes
 * it: a state works once, and only for the user it was minted for),
 * exchanges the code on the server (oauth_token, through egress, which
 * checks the token URL again), seals the tokens with the workspace, the
 * account row and the token kind as associated data, and sends the
 * browser back to the workspace page.  A refused callback stores nothing
 * and answers an HTML error page.  No code, state, verifier, token or
 * client secret is ever logged, answered or put in an audit event.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "egress.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "list.h"
#include "log.h"
#include "oauth.h"
#include "page.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "secret.h"
#include "txn.h"

#define OAUTH_CALLBACK_PATH	"/api/oauth/callback"
#define OAUTH_CODE_MAX		2048	/* bytes of an authorization code */

/* The parameters the flow sets itself: authorizationParams never do. */
static const char *const flow_params[] = { "response_type", "client_id",
	"redirect_uri", "scope", "state", "code_challenge",
	"code_challenge_method", NULL };

/* A transaction context as the caller, in workspace ws (NULL: none). */
static struct dbctx
member_ctx(const struct rctx *x, const char *ws)
{
	struct dbctx	 c;

	memset(&c, 0, sizeof(c));
	c.c_role = "second_member";
	c.c_user_id = x->x_user_id;
	c.c_ws_ref = ws;
	c.c_readonly = false;
	return c;
}

/* Append our callback URL: public_url (no trailing "/") and the path. */
static void
redirect_uri(const struct conf *cf, struct buf *b)
{
	size_t	 n = strlen(cf->cf_public_url);

	while (n > 0 && cf->cf_public_url[n - 1] == '/')
		n--;
	buf_add(b, cf->cf_public_url, n);
	buf_puts(b, OAUTH_CALLBACK_PATH);
}

/*
 * Append "name=value" to a URL's query, both percent-encoded, after
 * *sep ('?', '&', or nothing when 0); the next one follows an '&'.
 */
static void
query_add(struct buf *b, char *sep, const char *name, const char *value)
{
	if (*sep != '\0')
		buf_putc(b, *sep);
	*sep = '&';
	buf_pct(b, name, strlen(name));
	buf_putc(b, '=');
	buf_pct(b, value, strlen(value));
}

static bool
flow_param(const char *name)
{
	size_t	 i;

	for (i = 0; flow_params[i] != NULL; i++)
		if (strcmp(name, flow_params[i]) == 0)
			return true;
	return false;
}

/*
 * Pre-hook of GET .../oauth/{providerConfigId}/start: the provider config
 * and the scopes of its grants, with the guard's round trip.
 */
enum err
oauthconn_start_pre(struct rctx *x)
{
	txn_pre(x, ST_OAUTH_START_CONFIG, x->x_req->rq_args[1]);
	return ERR_OK;
}

/*
 * The authorization request URL of config row r into b: its
 * authorizationUrl with response_type, client_id, redirect_uri, scope,
 * state, the S256 challenge of verifier, and the grants'
 * authorizationParams (but never one of the names the flow sets).
 */
static void
start_url(struct rctx *x, const PGresult *r, const char *state,
    const char *verifier, struct buf *b)
{
	const char	*au = PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_AUTHORIZATION_URL);
	char		 challenge[OAUTH_RANDOM_LEN + 1];
	struct buf	 ru = BUF_INIT;
	json_object	*params;
	size_t		 n = strlen(au);
	char		 sep = '?';

	/* A URL with a query already: "&", or nothing after "?" or "&". */
	if (strchr(au, '?') != NULL)
		sep = n > 0 && (au[n - 1] == '?' || au[n - 1] == '&') ?
		    '\0' : '&';
	oauth_challenge(verifier, challenge);
	redirect_uri(x->x_conf, &ru);
	buf_puts(b, au);
	query_add(b, &sep, "response_type", "code");
	query_add(b, &sep, "client_id",
	    PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_CLIENT_ID));
	query_add(b, &sep, "redirect_uri", buf_ok(&ru) ? ru.b_data : "");
	query_add(b, &sep, "scope",
	    PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_SCOPE));
	query_add(b, &sep, "state", state);
	query_add(b, &sep, "code_challenge", challenge);
	query_add(b, &sep, "code_challenge_method", "S256");
	params = json_tokener_parse(PQgetvalue(r, 0,
	    COL_OAUTH_START_CONFIG_PARAMS));
	if (params != NULL && json_object_is_type(params, json_type_object)) {
		json_object_object_foreach(params, k, v) {
			if (!flow_param(k) &&
			    json_object_is_type(v, json_type_string))
				query_add(b, &sep, k,
				    json_object_get_string(v));
		}
	}
	json_object_put(params);
	buf_free(&ru);
}

/*
 * GET /api/workspaces/{ws}/oauth/{providerConfigId}/start: a member
 * starts connecting their account.  404 for a config not of this
 * workspace, 409 oauth_provider_not_configured without its client, 403
 * oauth_url_refused when its authorization or token URL is not https or
 * resolves to an address egress refuses; else the state is stored and
 * the answer is a 302 to the provider.
 */
enum err
oauthconn_start(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 0);
	char		 state[OAUTH_RANDOM_LEN + 1];
	char		 verifier[OAUTH_RANDOM_LEN + 1];
	unsigned char	 h[OAUTH_HASH_LEN];
	struct buf	 hash = BUF_INIT, url = BUF_INIT;
	struct dbctx	 ctx;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	state[0] = verifier[0] = '\0';
	if (r == NULL)
		goto out;
	if (PQntuples(r) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (strcmp(PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_CONFIGURED),
	    "t") != 0) {
		rc = ERR_OAUTH_NOT_CONFIGURED;
		goto out;
	}
	if (egress_url_check(x->x_conf, PQgetvalue(r, 0,
	    COL_OAUTH_START_CONFIG_AUTHORIZATION_URL)) != EGRESS_OK) {
		x->x_field = "authorizationUrl";
		rc = ERR_OAUTH_URL_REFUSED;
		goto out;
	}
	if (egress_url_check(x->x_conf, PQgetvalue(r, 0,
	    COL_OAUTH_START_CONFIG_TOKEN_URL)) != EGRESS_OK) {
		x->x_field = "tokenUrl";
		rc = ERR_OAUTH_URL_REFUSED;
		goto out;
	}
	oauth_random(state);
	oauth_random(verifier);
	oauth_hash(state, h);
	secret_bytea(h, sizeof(h), &hash);
	start_url(x, r, state, verifier, &url);
	if (!buf_ok(&hash) || !buf_ok(&url))
		goto out;
	ctx = member_ctx(x, x->x_ws.w_id);
	dbb_add(&b, ST_OAUTH_STATE_PUT, hash.b_data,
	    PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_ID), verifier,
	    PQgetvalue(r, 0, COL_OAUTH_START_CONFIG_SCOPES));
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b)) !=
	    ERR_OK)
		goto out;
	resp_redirect(x->x_resp, 302, url.b_data);
	rc = ERR_OK;
out:
	sodium_memzero(state, sizeof(state));
	sodium_memzero(verifier, sizeof(verifier));
	if (url.b_data != NULL)
		sodium_memzero(url.b_data, url.b_len);
	dbb_clear(&b);
	buf_free(&hash);
	buf_free(&url);
	return rc;
}

/* What the callback knows of the state it took (borrowed from its row). */
struct cb_state {
	const char	*cs_ws;
	const char	*cs_config;
	const char	*cs_verifier;
	const char	*cs_scopes;	/* JSON array, as requested */
	const char	*cs_key;	/* provider key */
	const char	*cs_token_url;
	const char	*cs_method;
	const char	*cs_client_id;	/* NULL: not configured */
	const char	*cs_secret;	/* sealed, bytea text; NULL: none */
	bool		 cs_expired;
};

/*
 * A provider's error code as safe to record: at most 63 characters of
 * [A-Za-z0-9_.-], else "invalid".
 */
static void
safe_code(const char *s, char out[OAUTH_ERROR_LEN])
{
	size_t	 i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '.' || s[i] == '-'))
			break;
	snprintf(out, OAUTH_ERROR_LEN, "%s",
	    n > 0 && i == n && n < OAUTH_ERROR_LEN ? s : "invalid");
}

/*
 * Record oauth.connect_failed in the state's workspace, in a transaction
 * of its own (the taking of the state has committed; nothing else is
 * stored).  Metadata: provider key, config id, reason, provider error.
 */
static void
cb_failed(struct rctx *x, const struct cb_state *s, const char *reason,
    const char *perr)
{
	struct dbctx	 ctx = member_ctx(x, s->cs_ws);
	struct audit_ev	 ev;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	struct buf	 meta = BUF_INIT;

	buf_puts(&meta, "{\"providerKey\":");
	buf_json_str(&meta, s->cs_key);
	buf_puts(&meta, ",\"configId\":");
	buf_json_str(&meta, s->cs_config);
	buf_puts(&meta, ",\"reason\":");
	buf_json_str(&meta, reason);
	if (perr != NULL && perr[0] != '\0') {
		buf_puts(&meta, ",\"providerError\":");
		buf_json_str(&meta, perr);
	}
	buf_putc(&meta, '}');
	log_info("oauth: connect to %s (config %s) failed: %s%s%s",
	    s->cs_key, s->cs_config, reason, perr != NULL && perr[0] != '\0' ?
	    " " : "", perr != NULL ? perr : "");
	if (buf_ok(&meta)) {
		audit_queue(x, &ev, &b, EV_OAUTH_CONNECT_FAILED, "failure",
		    "oauth_provider_config", s->cs_config, meta.b_data);
		if (db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b) !=
		    ERR_OK)
			log_warn("oauth: connect_failed event not recorded");
	}
	dbb_clear(&b);
	buf_free(&meta);
}

/*
 * Store the tokens as the caller's account for the config, in the
 * state's workspace under the guard (the caller must still be a member),
 * with oauth.connected; the workspace's slug into slug (caller frees).
 */
static enum err
cb_store(struct rctx *x, const struct cb_state *s,
    const struct oauth_tokens *t, char **slug)
{
	struct dbctx	 ctx = member_ctx(x, s->cs_ws);
	struct dbq	 qs[2], ws[2];
	struct dbb	 b = DBB_ARRAY(qs), w = DBB_ARRAY(ws);
	struct audit_ev	 ev;
	struct buf	 access = BUF_INIT, refresh = BUF_INIT;
	struct buf	 scopes = BUF_INIT, meta = BUF_INIT;
	char		 aid[ID_LEN + 1], life[24];
	enum err	 rc = ERR_INTERNAL;

	*slug = NULL;
	dbb_add(&b, ST_GUARD);
	dbb_add(&b, ST_OAUTH_ACCOUNT_FIND, s->cs_config);
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN, &b)) != ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) != 1 ||
	    PQgetisnull(qs[0].q_res, 0, COL_GUARD_ROLE)) {
		rc = ERR_OAUTH_STATE_INVALID;	/* no longer a member */
		goto out;
	}
	if (PQntuples(qs[1].q_res) == 1)
		snprintf(aid, sizeof(aid), "%s",
		    PQgetvalue(qs[1].q_res, 0, COL_OAUTH_ACCOUNT_FIND_ID));
	else
		id_new(aid);
	rc = ERR_INTERNAL;
	if ((*slug = strdup(PQgetvalue(qs[0].q_res, 0,
	    COL_GUARD_WORKSPACE_SLUG))) == NULL)
		goto out;
	if (secret_seal_bytea(&x->x_w->ws_seal, s->cs_ws, aid,
	    "access_token", t->ot_access, strlen(t->ot_access), &access) !=
	    0 || (t->ot_refresh != NULL &&
	    secret_seal_bytea(&x->x_w->ws_seal, s->cs_ws, aid,
	    "refresh_token", t->ot_refresh, strlen(t->ot_refresh),
	    &refresh) != 0))
		goto out;
	buf_puts(&scopes, t->ot_scope != NULL ? t->ot_scope : s->cs_scopes);
	snprintf(life, sizeof(life), "%ld", t->ot_expires_in);
	buf_puts(&meta, "{\"providerKey\":");
	buf_json_str(&meta, s->cs_key);
	buf_puts(&meta, ",\"configId\":");
	buf_json_str(&meta, s->cs_config);
	buf_puts(&meta, ",\"accountId\":");
	buf_json_str(&meta, aid);
	buf_puts(&meta, ",\"scopes\":");
	if (buf_ok(&scopes))
		buf_puts(&meta, scopes.b_data);
	buf_putc(&meta, '}');
	if (!buf_ok(&scopes) || !buf_ok(&meta))
		goto out;
	dbb_add(&w, ST_OAUTH_ACCOUNT_PUT, aid, s->cs_config, scopes.b_data,
	    access.b_data, t->ot_refresh != NULL ? refresh.b_data : NULL,
	    t->ot_expires_in > 0 ? life : NULL);
	audit_queue(x, &ev, &w, EV_OAUTH_CONNECTED, "success",
	    "connected_account", aid, meta.b_data);
	rc = db_batch(x->x_db, NULL, DB_COMMIT, &w);
out:
	if (rc != ERR_OK) {
		free(*slug);
		*slug = NULL;
	}
	dbb_clear(&b);
	dbb_clear(&w);
	buf_free(&access);
	buf_free(&refresh);
	buf_free(&scopes);
	buf_free(&meta);
	return rc;
}

/* The error answer of a failed token exchange. */
static enum err
exchange_err(enum oauth_fail f)
{
	switch (f) {
	case OAUTH_REFUSED:
		return ERR_OAUTH_URL_REFUSED;
	case OAUTH_REJECTED:
		return ERR_OAUTH_CONNECT_FAILED;
	case OAUTH_UNAVAILABLE:
	case OAUTH_BAD_ANSWER:
		return ERR_UPSTREAM_FAILED;
	case OAUTH_OK:
	case OAUTH_INTERNAL:
	default:
		return ERR_INTERNAL;
	}
}

/*
 * Exchange code for tokens at the state's token URL (the client secret
 * opened for the call and wiped after), then store them (cb_store).
 */
static enum err
cb_exchange(struct rctx *x, const struct cb_state *s, const char *code,
    char **slug)
{
	struct oauth_client	 c;
	struct oauth_tokens	 t;
	struct buf		 sealed = BUF_INIT, plain = BUF_INIT;
	struct buf		 ru = BUF_INIT;
	const char		*params[9];
	char			 perr[OAUTH_ERROR_LEN], safe[OAUTH_ERROR_LEN];
	enum oauth_fail		 f;
	enum err		 rc = ERR_INTERNAL;

	memset(&t, 0, sizeof(t));
	memset(&c, 0, sizeof(c));
	if (s->cs_client_id == NULL) {
		cb_failed(x, s, "not_configured", NULL);
		rc = ERR_OAUTH_NOT_CONFIGURED;
		goto out;
	}
	if (s->cs_secret != NULL) {
		if (secret_from_bytea(s->cs_secret, &sealed) != 0 ||
		    secret_open(&x->x_w->ws_seal, s->cs_ws, s->cs_config,
		    "client_secret", sealed.b_data, sealed.b_len,
		    &plain) != 0) {
			log_warn("oauth: the client secret of config %s does "
			    "not open", s->cs_config);
			cb_failed(x, s, "client_secret_unusable", NULL);
			rc = ERR_OAUTH_NOT_CONFIGURED;
			goto out;
		}
		buf_putc(&plain, '\0');
		if (!buf_ok(&plain))
			goto out;
		c.oc_client_secret = plain.b_data;
	}
	redirect_uri(x->x_conf, &ru);
	if (!buf_ok(&ru))
		goto out;
	c.oc_token_url = s->cs_token_url;
	c.oc_auth_method = s->cs_method;
	c.oc_client_id = s->cs_client_id;
	params[0] = "grant_type";
	params[1] = "authorization_code";
	params[2] = "code";
	params[3] = code;
	params[4] = "redirect_uri";
	params[5] = ru.b_data;
	params[6] = "code_verifier";
	params[7] = s->cs_verifier;
	params[8] = NULL;
	if ((f = oauth_token(x->x_conf, &c, params, &t, perr)) != OAUTH_OK) {
		safe_code(perr, safe);
		cb_failed(x, s, oauth_fail_name(f), perr[0] != '\0' ?
		    safe : NULL);
		rc = exchange_err(f);
		goto out;
	}
	rc = cb_store(x, s, &t, slug);
out:
	oauth_tokens_clear(&t);
	if (plain.b_data != NULL)
		sodium_memzero(plain.b_data, plain.b_len);
	buf_free(&plain);
	buf_free(&sealed);
	buf_free(&ru);
	return rc;
}

/* Read the state's row (of ST_OAUTH_STATE_TAKE) into s. */
static void
cb_state_read(const PGresult *r, struct cb_state *s)
{
	s->cs_ws = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_WORKSPACE_ID);
	s->cs_config = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_PROVIDER_CONFIG_ID);
	s->cs_verifier = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_CODE_VERIFIER);
	s->cs_scopes = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_SCOPES);
	s->cs_expired = strcmp(PQgetvalue(r, 0,
	    COL_OAUTH_STATE_TAKE_EXPIRED), "t") == 0;
	s->cs_key = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_PROVIDER_KEY);
	s->cs_token_url = PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_TOKEN_URL);
	s->cs_method = PQgetvalue(r, 0,
	    COL_OAUTH_STATE_TAKE_TOKEN_AUTH_METHOD);
	s->cs_client_id = PQgetisnull(r, 0, COL_OAUTH_STATE_TAKE_CLIENT_ID) ?
	    NULL : PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_CLIENT_ID);
	s->cs_secret = PQgetisnull(r, 0,
	    COL_OAUTH_STATE_TAKE_CLIENT_SECRET) ? NULL :
	    PQgetvalue(r, 0, COL_OAUTH_STATE_TAKE_CLIENT_SECRET);
}

/*
 * The callback proper, after the guard: take the state, refuse what
 * must be refused (recording oauth.connect_failed once the workspace is
 * known), exchange and store.  ERR_OK with the workspace page's path in
 * *to (caller frees).
 */
static enum err
callback(struct rctx *x, char **to)
{
	struct dbctx	 ctx = member_ctx(x, NULL);
	struct dbq	 q = { 0 };
	struct dbb	 b = DBB_ONE(q);
	struct cb_state	 s;
	struct buf	 hash = BUF_INIT, path = BUF_INIT;
	unsigned char	 h[OAUTH_HASH_LEN];
	char		*state = NULL, *code = NULL, *perr = NULL;
	char		*slug = NULL, safe[OAUTH_ERROR_LEN];
	enum err	 rc = ERR_INTERNAL;

	*to = NULL;
	if (req_query_get(x->x_req, "state", &state) != ERR_OK ||
	    req_query_get(x->x_req, "code", &code) != ERR_OK ||
	    req_query_get(x->x_req, "error", &perr) != ERR_OK ||
	    state == NULL || strlen(state) != OAUTH_RANDOM_LEN) {
		rc = ERR_OAUTH_STATE_INVALID;
		goto out;
	}
	oauth_hash(state, h);
	secret_bytea(h, sizeof(h), &hash);
	if (!buf_ok(&hash))
		goto out;
	dbb_add(&b, ST_OAUTH_STATE_TAKE, hash.b_data);
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b)) !=
	    ERR_OK)
		goto out;
	if (PQntuples(q.q_res) != 1) {
		rc = ERR_OAUTH_STATE_INVALID;	/* unknown, used or foreign */
		goto out;
	}
	cb_state_read(q.q_res, &s);
	if (s.cs_expired) {
		cb_failed(x, &s, "state_expired", NULL);
		rc = ERR_OAUTH_STATE_INVALID;
		goto out;
	}
	if (perr != NULL) {
		safe_code(perr, safe);
		cb_failed(x, &s, "provider_error", safe);
		rc = ERR_OAUTH_CONNECT_FAILED;
		goto out;
	}
	if (code == NULL || code[0] == '\0' ||
	    strlen(code) > OAUTH_CODE_MAX) {
		cb_failed(x, &s, "no_code", NULL);
		rc = ERR_OAUTH_CONNECT_FAILED;
		goto out;
	}
	if ((rc = cb_exchange(x, &s, code, &slug)) != ERR_OK)
		goto out;
	rc = ERR_INTERNAL;
	buf_puts(&path, "/w/");
	buf_pct(&path, slug, strlen(slug));
	if (!buf_ok(&path))
		goto out;
	*to = buf_steal(&path);
	rc = ERR_OK;
out:
	if (state != NULL)
		sodium_memzero(state, strlen(state));
	if (code != NULL)
		sodium_memzero(code, strlen(code));
	free(state);
	free(code);
	free(perr);
	free(slug);
	dbb_clear(&b);
	buf_free(&hash);
	buf_free(&path);
	return rc;
}

/*
 * GET /api/oauth/callback?code&state (or ?error&state): the browser
 * coming back from the provider.  A public route (no proxy table): this
 * handler runs the guard itself, for an identity (the state names the
 * workspace; the URL names none), and answers every refusal as an HTML
 * error page (the caller is a browser): 401 without an identity, 400
 * oauth_state_invalid for an unknown, used, expired or foreign state,
 * 400 oauth_connect_failed when the provider refused (its ?error, or the
 * code exchange), 403 oauth_url_refused when egress refuses the token
 * URL, 502 upstream_failed when the token endpoint did not answer
 * usably.  On success, 302 to /w/{slug}.
 */
enum err
oauthconn_callback(struct rctx *x)
{
	char		*to = NULL;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = guard_run(x)) == ERR_OK) {
		txn_end(x);	/* the guard's read-only transaction */
		rc = callback(x, &to);
	}
	if (rc == ERR_OK)
		resp_redirect(x->x_resp, 302, to);
	else
		page_error(x, rc);
	free(to);
	return ERR_OK;
}

/* Pre-hook of GET .../connected-accounts: the caller's accounts. */
enum err
oauthconn_accounts_pre(struct rctx *x)
{
	txn_pre(x, ST_OAUTH_ACCOUNTS);
	return ERR_OK;
}

/*
 * Append account row i of r as {id, providerConfigId, providerKey,
 * accountEmail, grantedScopes, revokedAt, accessExpiresAt}.
 */
static void
account_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTH_ACCOUNTS_ID));
	buf_puts(b, ",\"providerConfigId\":");
	buf_json_str(b, PQgetvalue(r, i,
	    COL_OAUTH_ACCOUNTS_PROVIDER_CONFIG_ID));
	buf_puts(b, ",\"providerKey\":");
	buf_json_str(b, PQgetvalue(r, i, COL_OAUTH_ACCOUNTS_PROVIDER_KEY));
	buf_puts(b, ",\"accountEmail\":");
	if (PQgetisnull(r, i, COL_OAUTH_ACCOUNTS_ACCOUNT_EMAIL))
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, i,
		    COL_OAUTH_ACCOUNTS_ACCOUNT_EMAIL));
	buf_puts(b, ",\"grantedScopes\":");
	buf_puts(b, PQgetvalue(r, i, COL_OAUTH_ACCOUNTS_GRANTED_SCOPES));
	buf_puts(b, ",\"revokedAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_OAUTH_ACCOUNTS_REVOKED_AT));
	buf_puts(b, ",\"accessExpiresAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_OAUTH_ACCOUNTS_ACCESS_EXPIRES_AT));
	buf_putc(b, '}');
}

/* The accounts of a GET, one array without a cursor (list_items). */
static const struct list_shape account_shape = {
	NULL, COL_OAUTH_ACCOUNTS_ID, account_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/connected-accounts: the caller's own accounts
 * [account_json], never a token.
 */
enum err
oauthconn_accounts(struct rctx *x)
{
	const PGresult	*r = txn_pre_res(x, 0);
	struct buf	*b = &x->x_resp->rs_body;

	if (r == NULL)
		return ERR_INTERNAL;
	buf_putc(b, '[');
	list_items(b, r, PQntuples(r), &account_shape, NULL);
	buf_putc(b, ']');
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * DELETE /api/workspaces/{ws}/connected-accounts/{accountId}: the owner
 * of the account revokes it: the row and its sealed tokens are deleted,
 * with oauth.revoked.  Another user's or an unknown account is 404.  204.
 */
enum err
oauthconn_account_delete(struct rctx *x)
{
	const char	*aid = x->x_req->rq_args[1];
	struct dbq	 q = { 0 }, qa;
	struct dbb	 b = DBB_ONE(q), a = DBB_ONE(qa);
	struct audit_ev	 ev;
	struct buf	 meta = BUF_INIT;
	enum err	 rc = ERR_INTERNAL;

	dbb_add(&b, ST_OAUTH_ACCOUNT_DELETE, aid);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	if (PQntuples(q.q_res) != 1) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	rc = ERR_INTERNAL;
	buf_puts(&meta, "{\"providerKey\":");
	buf_json_str(&meta, PQgetvalue(q.q_res, 0,
	    COL_OAUTH_ACCOUNT_DELETE_PROVIDER_KEY));
	buf_puts(&meta, ",\"configId\":");
	buf_json_str(&meta, PQgetvalue(q.q_res, 0,
	    COL_OAUTH_ACCOUNT_DELETE_PROVIDER_CONFIG_ID));
	buf_puts(&meta, ",\"accountId\":");
	buf_json_str(&meta, aid);
	buf_putc(&meta, '}');
	if (!buf_ok(&meta))
		goto out;
	audit_queue(x, &ev, &a, EV_OAUTH_REVOKED, "success",
	    "connected_account", aid, meta.b_data);
	if ((rc = txn_commit(x, &a)) == ERR_OK)
		x->x_resp->rs_status = 204;
out:
	dbb_clear(&b);
	dbb_clear(&a);
	buf_free(&meta);
	return rc;
}
