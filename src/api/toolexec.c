/*
 * toolexec: running an approved custom tool (second-api(7), "Tool
 * execution").
 *
 * Two doors lead here: the agent worker's POST /api/internal/tool-execute
 * (an agent's tool, scoped by iscope to one app of one workspace) and a
 * viewer's POST .../apps/{appId}/app-tools/{toolName}/execute (an app's
 * appTools[] entry, the app frame's integration bridge).  Either way the
 * tool is taken from the approved agents payload of the version named,
 * never from the request, and then, in the order of second-docs §5.7:
 * the grant by (workspace, app, domain, keySlug), the grant's own
 * credential (its sealed secrets opened with the workspace, credential
 * and name as associated data), the placeholders filled (tool.c), the
 * call made through the locked egress client (egress.c), and the
 * execution audited.  A grant that is not ready answers a random mockData
 * entry; another app's credential is never read.  Nothing of the request
 * or the answer but names, classes and statuses reaches the log or the
 * audit trail.
 *
 * An OAuth tool (integration.auth of type oauth2) acts as one user: the
 * run's triggering user, or the app viewer, never a user the caller
 * names.  Its grant's auth must match the tool's, the workspace's
 * provider config by provider key must be configured with the same URLs,
 * and the user's connected account for that config (read with that user
 * in the transaction's context: the policies show no other) must hold
 * the tool's scopes; else the answer is mock data.  An access token
 * missing or expiring within 60 seconds is refreshed first, under a row
 * lock on the account, so one refresh at a time per account across every
 * worker; the bearer token is added to the request here and wiped after.
 *
 * The outbound call is made with no transaction open: the reads commit
 * first, the audit event is written after, in its own transaction.  The
 * refresh is the one exception: its transaction holds the account's row
 * lock over the token endpoint's call.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "apps.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "egress.h"
#include "guard.h"
#include "handlers.h"
#include "iscope.h"
#include "jsonin.h"
#include "log.h"
#include "oauth.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "secret.h"
#include "tool.h"
#include "txn.h"
#include "utf8.h"

#define TEXEC_MAX_SECRETS	32	/* secrets of one credential used */

/* The route's state: where a 422's field and message live. */
static const struct route_state_type texec_state_type = {
	"toolexec", sizeof(struct tool_err), NULL,
};

/* One execution: what the two doors have resolved. */
struct texec {
	const char	*te_ws;		/* workspace id */
	const char	*te_app;	/* app id */
	const char	*te_name;	/* tool name */
	json_object	*te_tool;	/* the approved tool (borrowed) */
	json_object	*te_input;	/* the input, or NULL */
	const char	*te_input_field; /* "toolInput" or "input" */
	const char	*te_user;	/* OAuth: the user acted for, or NULL */
	const struct dbctx *te_audit;	/* context of the audit event */
};

/* What happened, for the audit event and the answer. */
struct texec_out {
	enum event	 to_event;
	const char	*to_outcome;
	const char	*to_mode;	/* "live" or "mock" */
	const char	*to_reason;	/* mock: why; failure: error class */
	char		 to_grant[32];	/* grant id, "" when none */
	long		 to_status;	/* provider status, 0 when none */
	char		 to_config[ID_LEN + 1];	 /* OAuth: config id or "" */
	char		 to_account[ID_LEN + 1]; /* OAuth: account id or "" */
};

/* The tool's integration.domain and keySlug (validated by agents.c). */
static void
tool_binding(json_object *tool, const char **domain, const char **slug)
{
	json_object	*in = NULL, *v;

	*domain = *slug = NULL;
	if (!json_object_object_get_ex(tool, "integration", &in))
		return;
	if (json_object_object_get_ex(in, "domain", &v))
		*domain = json_object_get_string(v);
	if (json_object_object_get_ex(in, "keySlug", &v))
		*slug = json_object_get_string(v);
}

/* The tool's integration.auth when it is oauth2 (agents.c), else NULL. */
static json_object *
tool_oauth(json_object *tool)
{
	json_object	*in, *a, *v;

	if (!json_object_object_get_ex(tool, "integration", &in) ||
	    !json_object_object_get_ex(in, "auth", &a) ||
	    !json_object_object_get_ex(a, "type", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "oauth2") != 0)
		return NULL;
	return a;
}

/* String member key of auth, or "" (absent or not a string). */
static const char *
auth_str(json_object *auth, const char *key)
{
	json_object	*v;

	if (auth == NULL || !json_object_object_get_ex(auth, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/*
 * The input's shape, before any tool is looked up: absent, null, an
 * object, or JSON text (a string, parsed by tool_build); another type is
 * 400 invalid_json at once, as every wrong type of a body, field named by
 * the caller.
 */
static enum err
input_shape(struct rctx *x, json_object *in, const char *field)
{
	if (in == NULL || json_object_is_type(in, json_type_object) ||
	    json_object_is_type(in, json_type_string))
		return ERR_OK;
	x->x_field = field;
	x->x_msg = "The input must be an object, or JSON text of one.";
	return ERR_INVALID_JSON;
}

/*
 * A tool the approved payload holds may still not be runnable here: a
 * builtin tool runs in the agent worker, and a tool switched off runs
 * nowhere.  ERR_OK or ERR_FORBIDDEN with the field.
 */
static enum err
tool_runnable(struct rctx *x, json_object *tool, const char *field)
{
	json_object	*v;

	if (!json_object_object_get_ex(tool, "type", &v) ||
	    strcmp(json_object_get_string(v), "custom") != 0) {
		x->x_field = field;
		x->x_msg = "Only custom tools run through this route.";
		return ERR_FORBIDDEN;
	}
	if (json_object_object_get_ex(tool, "enabled", &v) &&
	    !json_object_get_boolean(v)) {
		x->x_field = field;
		x->x_msg = "The tool is disabled in the approved agents "
		    "configuration.";
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

/*
 * The safe facts of an OAuth tool's execution, appended to the metadata
 * md: provider key, the tool's scope names, and the config and account
 * ids when they were found.  Nothing for a static tool.
 */
static void
oauth_facts(struct buf *md, const struct texec *t, const struct texec_out *o)
{
	json_object	*auth = tool_oauth(t->te_tool), *sc;

	if (auth == NULL)
		return;
	buf_puts(md, ",\"providerKey\":");
	buf_json_str(md, auth_str(auth, "providerKey"));
	if (json_object_object_get_ex(auth, "scopes", &sc)) {
		buf_puts(md, ",\"scopes\":");
		buf_puts(md, json_object_to_json_string_ext(sc,
		    JSON_C_TO_STRING_PLAIN));
	}
	if (o->to_config[0] != '\0') {
		buf_puts(md, ",\"providerConfigId\":");
		buf_json_str(md, o->to_config);
	}
	if (o->to_account[0] != '\0') {
		buf_puts(md, ",\"accountId\":");
		buf_json_str(md, o->to_account);
	}
}

/*
 * Write the audit event of an execution in a transaction of its own
 * (the reads have committed and the call is over): tool, grant, mode,
 * outcome and status only.
 */
static void
texec_audit(struct rctx *x, const struct texec *t,
    const struct texec_out *o)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	struct audit_ev	 ev;
	struct buf	 md = BUF_INIT;
	const char	*domain, *slug;

	tool_binding(t->te_tool, &domain, &slug);
	buf_puts(&md, "{\"tool\":");
	buf_json_str(&md, t->te_name);
	buf_puts(&md, ",\"domain\":");
	buf_json_str(&md, domain ? domain : "");
	buf_puts(&md, ",\"keySlug\":");
	buf_json_str(&md, slug ? slug : "");
	buf_puts(&md, ",\"appId\":");
	buf_json_str(&md, t->te_app);
	buf_puts(&md, ",\"mode\":");
	buf_json_str(&md, o->to_mode);
	if (o->to_grant[0] != '\0') {
		buf_puts(&md, ",\"integrationId\":");
		buf_json_str(&md, o->to_grant);
	}
	if (o->to_reason != NULL) {
		buf_puts(&md, ",\"reason\":");
		buf_json_str(&md, o->to_reason);
	}
	if (o->to_status > 0)
		buf_printf(&md, ",\"status\":%ld", o->to_status);
	oauth_facts(&md, t, o);
	buf_putc(&md, '}');
	if (!buf_ok(&md)) {
		log_err("toolexec: no memory for the audit event");
		goto out;
	}
	audit_queue(x, &ev, &b, o->to_event, o->to_outcome, "tool",
	    t->te_name, md.b_data);
	if (db_batch(x->x_db, t->te_audit, DB_BEGIN | DB_COMMIT, &b) !=
	    ERR_OK)
		log_err("toolexec: the audit event of %s was not written",
		    event_name(o->to_event));
out:
	dbb_clear(&b);
	buf_free(&md);
}

/* The opened secrets of an execution: owned names and values. */
struct texec_secrets {
	struct tool_secret	 ts[TEXEC_MAX_SECRETS];	/* views of the two below */
	char			*names[TEXEC_MAX_SECRETS];
	char			*values[TEXEC_MAX_SECRETS];
	size_t			 n;
};

/* Free the opened secrets, wiping their values. */
static void
secrets_free(struct texec_secrets *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		sodium_memzero(s->values[i], strlen(s->values[i]));
		free(s->values[i]);
		free(s->names[i]);
	}
	s->n = 0;
}

/*
 * Open the sealed secrets of rows r (tool_secrets) into s: name and
 * value, NUL-terminated.  A value that does not open (copied from another
 * row, name or workspace, or sealed under an unknown key) is left out, so
 * the grant answers as not ready; that is logged without the value.
 */
static void
secrets_open(struct rctx *x, const char *ws, const PGresult *r,
    struct texec_secrets *s)
{
	struct buf	 sealed = BUF_INIT, plain = BUF_INIT;
	const char	*cid, *name;
	int		 i;

	for (i = 0; i < PQntuples(r) && s->n < TEXEC_MAX_SECRETS; i++) {
		cid = PQgetvalue(r, i, COL_TOOL_SECRETS_CREDENTIAL_ID);
		name = PQgetvalue(r, i, COL_TOOL_SECRETS_NAME);
		buf_reset(&sealed);
		buf_reset(&plain);
		if (secret_from_bytea(PQgetvalue(r, i,
		    COL_TOOL_SECRETS_SEALED), &sealed) != 0 ||
		    secret_open(&x->x_w->ws_seal, ws, cid, name,
		    sealed.b_data, sealed.b_len, &plain) != 0) {
			log_warn("toolexec: secret %s of credential %s does "
			    "not open", name, cid);
			continue;
		}
		buf_putc(&plain, '\0');
		if (!buf_ok(&plain) || memchr(plain.b_data, '\0',
		    plain.b_len - 1) != NULL)
			continue;
		s->names[s->n] = strdup(name);
		s->values[s->n] = strdup(plain.b_data);
		if (s->names[s->n] == NULL || s->values[s->n] == NULL) {
			free(s->names[s->n]);
			free(s->values[s->n]);
			continue;
		}
		s->ts[s->n].ts_name = s->names[s->n];
		s->ts[s->n].ts_value = s->values[s->n];
		s->n++;
	}
	if (plain.b_data != NULL)
		sodium_memzero(plain.b_data, plain.b_len);
	buf_free(&sealed);
	buf_free(&plain);
}

/* Whether a mock reason is the user's to clear, by connecting again. */
static bool
reason_reconnect(const char *reason)
{
	return strcmp(reason, "oauth_not_connected") == 0 ||
	    strcmp(reason, "oauth_revoked") == 0 ||
	    strcmp(reason, "oauth_missing_scope") == 0;
}

/*
 * 200 {mock: true, data, reason}: a random mockData entry; with
 * "reconnect": true when the user must connect their account (again).
 */
static enum err
answer_mock(struct rctx *x, const struct texec *t, struct texec_out *o,
    const char *reason)
{
	json_object	*m = tool_mock_pick(t->te_tool);
	struct buf	*b = &x->x_resp->rs_body;

	o->to_event = EV_TOOL_MOCKED;
	o->to_outcome = "success";
	o->to_mode = "mock";
	o->to_reason = reason;
	buf_puts(b, "{\"mock\":true,\"data\":");
	buf_puts(b, m != NULL ? json_object_to_json_string_ext(m,
	    JSON_C_TO_STRING_PLAIN) : "null");
	buf_puts(b, ",\"reason\":");
	buf_json_str(b, reason);
	if (reason_reconnect(reason))
		buf_puts(b, ",\"reconnect\":true");
	buf_putc(b, '}');
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/* Whether a Content-Type names JSON (application/json, +json). */
static bool
ctype_json(const char *ct)
{
	const char	*semi = strchr(ct, ';');
	size_t		 n = semi ? (size_t)(semi - ct) : strlen(ct);

	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	    (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/*
 * 200 {mock: false, status, headers: {content-type}, body}: body is the
 * parsed JSON when the provider says JSON and it parses, else the text
 * when it is UTF-8, else base64 with "bodyEncoding": "base64".
 */
static void
answer_live(struct rctx *x, const struct egress_resp *er,
    const struct buf *body)
{
	struct buf	*b = &x->x_resp->rs_body;
	json_object	*j = NULL;
	json_tokener	*tk;
	const char	*data = body->b_data ? body->b_data : "";
	char		*b64;
	size_t		 n = body->b_len, cap;

	buf_printf(b, "{\"mock\":false,\"status\":%ld,\"headers\":{",
	    er->es_status);
	if (er->es_content_type[0] != '\0') {
		buf_puts(b, "\"content-type\":");
		buf_json_str(b, utf8_valid(er->es_content_type,
		    strlen(er->es_content_type)) ? er->es_content_type : "");
	}
	buf_puts(b, "},\"body\":");
	if (ctype_json(er->es_content_type) && utf8_valid(data, n) &&
	    (tk = json_tokener_new_ex(JSONIN_MAX_DEPTH)) != NULL) {
		j = json_tokener_parse_ex(tk, data, (int)n);
		if (json_tokener_get_error(tk) != json_tokener_success ||
		    json_tokener_get_parse_end(tk) != n) {
			json_object_put(j);
			j = NULL;
		}
		json_tokener_free(tk);
	}
	if (j != NULL) {
		buf_puts(b, json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN));
		json_object_put(j);
	} else if (utf8_valid(data, n) && memchr(data, '\0', n) == NULL) {
		buf_json_str(b, data);
	} else {
		cap = sodium_base64_ENCODED_LEN(n,
		    sodium_base64_VARIANT_ORIGINAL);
		if ((b64 = malloc(cap)) != NULL) {
			sodium_bin2base64(b64, cap, (const unsigned char *)data,
			    n, sodium_base64_VARIANT_ORIGINAL);
			buf_json_str(b, b64);
			free(b64);
		} else
			buf_puts(b, "null");
		buf_puts(b, ",\"bodyEncoding\":\"base64\"");
	}
	buf_putc(b, '}');
	resp_json(x->x_resp, 200);
}

/*
 * 502 upstream_failed with the redacted diagnostics {providerStatus,
 * errorCategory, retryable}: never the provider's body or headers.
 */
static void
answer_failed(struct rctx *x, long status, const char *category,
    bool retryable)
{
	struct buf	*b = &x->x_resp->rs_body;

	resp_error(x->x_resp, ERR_UPSTREAM_FAILED, status > 0 ?
	    "The tool's endpoint answered an error." :
	    "The tool's endpoint could not be reached.", NULL);
	/* resp_error wrote {...}: reopen it for the diagnostics. */
	if (b->b_len > 0 && b->b_data[b->b_len - 1] == '}') {
		b->b_len--;
		if (status > 0)
			buf_printf(b, ",\"providerStatus\":%ld", status);
		else
			buf_puts(b, ",\"providerStatus\":null");
		buf_puts(b, ",\"errorCategory\":");
		buf_json_str(b, category);
		buf_printf(b, ",\"retryable\":%s}", retryable ? "true" :
		    "false");
	}
}

/*
 * Make the call of request q and answer it: 200 live (a 2xx or 3xx of
 * the provider; a redirect is reported, never followed), 502 with
 * diagnostics (a provider 4xx/5xx, or no usable answer), 403 (the URL or
 * an address refused by the egress rules).
 */
static enum err
texec_call(struct rctx *x, const struct tool_req *q, struct texec_out *o)
{
	struct egress_req	 er;
	struct egress_resp	 rs;
	struct buf		 body = BUF_INIT;
	enum err		 rc = ERR_INTERNAL;

	memset(&er, 0, sizeof(er));
	memset(&rs, 0, sizeof(rs));
	er.er_method = q->tr_method;
	er.er_url = q->tr_url;
	er.er_domain = q->tr_domain;
	er.er_headers = (const char *const *)q->tr_headers;
	er.er_nheaders = q->tr_nheaders;
	er.er_body = q->tr_body;
	er.er_body_len = q->tr_body_len;
	buf_init(&body, EGRESS_MAX_RESPONSE);
	rs.es_body = &body;
	o->to_mode = "live";
	if (egress_request(x->x_conf, &er, &rs) != 0) {
		o->to_reason = egress_err_name(rs.es_err);
		o->to_outcome = "failure";
		if (rs.es_err == EGRESS_REFUSED_URL ||
		    rs.es_err == EGRESS_REFUSED_ADDRESS ||
		    rs.es_err == EGRESS_REFUSED_REQUEST) {
			o->to_event = EV_TOOL_DENIED;
			o->to_outcome = "denial";
			x->x_field = "endpoint";
			x->x_msg = "The tool's URL or address is refused by "
			    "the outbound rules.";
			rc = ERR_FORBIDDEN;
			goto out;
		}
		o->to_event = EV_TOOL_FAILED;
		answer_failed(x, 0, o->to_reason, rs.es_retryable);
		rc = ERR_OK;
		goto out;
	}
	o->to_status = rs.es_status;
	if (rs.es_status >= 400) {
		o->to_event = EV_TOOL_FAILED;
		o->to_outcome = "failure";
		o->to_reason = rs.es_status >= 500 ? "provider_unavailable" :
		    "provider_rejected";
		answer_failed(x, rs.es_status, o->to_reason,
		    rs.es_status >= 500 || rs.es_status == 429);
		rc = ERR_OK;
		goto out;
	}
	o->to_event = EV_TOOL_EXECUTED;
	o->to_outcome = "success";
	answer_live(x, &rs, &body);
	rc = ERR_OK;
out:
	buf_free(&body);
	return rc;
}

/* Every scope of need (an array of strings, or NULL) is one of have's. */
static bool
scopes_held(json_object *need, json_object *have)
{
	json_object	*h;
	const char	*s;
	size_t		 i, j, n, m;
	bool		 found;

	n = json_object_is_type(need, json_type_array) ?
	    json_object_array_length(need) : 0;
	m = json_object_is_type(have, json_type_array) ?
	    json_object_array_length(have) : 0;
	for (i = 0; i < n; i++) {
		s = json_object_get_string(json_object_array_get_idx(need, i));
		found = false;
		for (j = 0; j < m && !found; j++) {
			h = json_object_array_get_idx(have, j);
			found = json_object_is_type(h, json_type_string) &&
			    strcmp(json_object_get_string(h), s) == 0;
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * Whether the synced grant's auth (its JSON text) is the approved tool's:
 * oauth2 with the same provider key, URLs and client authentication, and
 * every scope of the tool among the grant's.
 */
static bool
grant_matches(json_object *auth, const char *grant_auth)
{
	static const char *const keys[] = { "type", "providerKey",
		"authorizationUrl", "tokenUrl", "tokenAuthMethod", NULL };
	json_object	*g, *gs = NULL, *ts = NULL;
	size_t		 i;
	bool		 ok = false;

	if ((g = json_tokener_parse(grant_auth)) == NULL)
		return false;
	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(auth_str(auth, keys[i]), auth_str(g, keys[i])) != 0)
			goto out;
	json_object_object_get_ex(auth, "scopes", &ts);
	json_object_object_get_ex(g, "scopes", &gs);
	ok = scopes_held(ts, gs);
out:
	json_object_put(g);
	return ok;
}

/* Wipe and free a plain token or secret (NULL is fine). */
static void
plain_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/*
 * Open the sealed bytea text v of row owner, kind name, into a new plain
 * string (plain_free it); NULL when it does not open (logged without a
 * value) or holds a NUL.
 */
static char *
unseal(struct rctx *x, const char *ws, const char *owner, const char *name,
    const char *v)
{
	struct buf	 sealed = BUF_INIT, plain = BUF_INIT;
	char		*s = NULL;

	if (secret_from_bytea(v, &sealed) != 0 ||
	    secret_open(&x->x_w->ws_seal, ws, owner, name, sealed.b_data,
	    sealed.b_len, &plain) != 0) {
		log_warn("toolexec: the %s of %s does not open", name, owner);
		goto out;
	}
	if (plain.b_len == 0 || memchr(plain.b_data, '\0', plain.b_len) !=
	    NULL || (s = malloc(plain.b_len + 1)) == NULL)
		goto out;
	memcpy(s, plain.b_data, plain.b_len);
	s[plain.b_len] = '\0';
out:
	if (plain.b_data != NULL)
		sodium_memzero(plain.b_data, plain.b_len);
	buf_free(&sealed);
	buf_free(&plain);
	return s;
}

/* What an OAuth tool's reads found (results borrowed from texec_run). */
struct texec_oauth {
	json_object	*xo_auth;	/* the tool's integration.auth */
	const PGresult	*xo_grant;	/* tool_grant */
	const PGresult	*xo_config;	/* tool_oauth_config */
	const PGresult	*xo_account;	/* tool_oauth_account */
};

/*
 * The checks of an OAuth tool before a token is touched (second-docs
 * §5.7, §5.8): the grant's auth matches the tool's; the provider config
 * is configured with the tool's URLs and client authentication, and both
 * URLs pass the egress rules; the user has an account, not revoked,
 * holding the tool's scopes.  ERR_OK with *reason NULL when the call goes
 * on, or the mock reason; ERR_FORBIDDEN (field set) for a refused URL.
 */
static enum err
oauth_check(struct rctx *x, const struct texec_oauth *xo,
    struct texec_out *o, const char **reason)
{
	static const struct {
		const char	*key;
		int		 col;
	} urls[] = {
		{ "authorizationUrl", COL_TOOL_OAUTH_CONFIG_AUTHORIZATION_URL },
		{ "tokenUrl", COL_TOOL_OAUTH_CONFIG_TOKEN_URL },
	};
	const PGresult	*c = xo->xo_config, *a = xo->xo_account;
	json_object	*granted, *sc = NULL;
	enum egress_err	 e;
	size_t		 i;
	bool		 held;

	*reason = NULL;
	if (PQntuples(xo->xo_grant) != 1) {
		*reason = "no_grant";
		return ERR_OK;
	}
	if (!grant_matches(xo->xo_auth, PQgetvalue(xo->xo_grant, 0,
	    COL_GRANT_AUTH))) {
		*reason = "oauth_grant_mismatch";
		return ERR_OK;
	}
	if (PQntuples(c) != 1) {
		*reason = "oauth_provider_missing";
		return ERR_OK;
	}
	if (strcmp(PQgetvalue(c, 0, COL_TOOL_OAUTH_CONFIG_CONFIGURED), "t") !=
	    0) {
		*reason = "oauth_provider_not_configured";
		return ERR_OK;
	}
	snprintf(o->to_config, sizeof(o->to_config), "%s",
	    PQgetvalue(c, 0, COL_TOOL_OAUTH_CONFIG_ID));
	if (strcmp(auth_str(xo->xo_auth, "tokenAuthMethod"), PQgetvalue(c, 0,
	    COL_TOOL_OAUTH_CONFIG_TOKEN_AUTH_METHOD)) != 0) {
		*reason = "oauth_provider_urls_changed";
		return ERR_OK;
	}
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		if (strcmp(auth_str(xo->xo_auth, urls[i].key),
		    PQgetvalue(c, 0, urls[i].col)) != 0) {
			*reason = "oauth_provider_urls_changed";
			return ERR_OK;
		}
		if ((e = egress_url_check(x->x_conf, PQgetvalue(c, 0,
		    urls[i].col))) != EGRESS_OK) {
			o->to_event = EV_TOOL_DENIED;
			o->to_outcome = "denial";
			o->to_reason = egress_err_name(e);
			snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf),
			    "integration.auth.%s", urls[i].key);
			x->x_field = x->x_fieldbuf;
			x->x_msg = "The provider's URL or address is refused "
			    "by the outbound rules.";
			return ERR_FORBIDDEN;
		}
	}
	if (PQntuples(a) != 1) {
		*reason = "oauth_not_connected";
		return ERR_OK;
	}
	snprintf(o->to_account, sizeof(o->to_account), "%s",
	    PQgetvalue(a, 0, COL_OAUTH_ACCOUNT_ID));
	if (strcmp(PQgetvalue(a, 0, COL_OAUTH_ACCOUNT_REVOKED), "t") ==
	    0) {
		*reason = "oauth_revoked";
		return ERR_OK;
	}
	granted = json_tokener_parse(PQgetvalue(a, 0,
	    COL_OAUTH_ACCOUNT_GRANTED_SCOPES));
	json_object_object_get_ex(xo->xo_auth, "scopes", &sc);
	held = scopes_held(sc, granted);
	json_object_put(granted);
	if (!held)
		*reason = "oauth_missing_scope";
	return ERR_OK;
}

/*
 * Queue the oauth.token_refreshed event of a refresh into batch b: safe
 * facts only (provider key, config, account, tool, outcome, and on
 * failure its class and the provider's error code).
 */
static void
refresh_audit(struct rctx *x, const struct texec *t,
    const struct texec_oauth *xo, const struct texec_out *o,
    enum oauth_fail f, const char *error, struct dbb *b,
    struct audit_ev *ev, struct buf *md)
{
	buf_puts(md, "{\"providerKey\":");
	buf_json_str(md, auth_str(xo->xo_auth, "providerKey"));
	buf_puts(md, ",\"providerConfigId\":");
	buf_json_str(md, o->to_config);
	buf_puts(md, ",\"accountId\":");
	buf_json_str(md, o->to_account);
	buf_puts(md, ",\"tool\":");
	buf_json_str(md, t->te_name);
	buf_puts(md, ",\"outcome\":");
	buf_json_str(md, f == OAUTH_OK ? "refreshed" : oauth_fail_name(f));
	if (error[0] != '\0') {
		buf_puts(md, ",\"error\":");
		buf_json_str(md, error);
	}
	buf_putc(md, '}');
	if (!buf_ok(md)) {
		log_err("toolexec: no memory for the refresh event");
		return;
	}
	audit_queue(x, ev, b, EV_OAUTH_TOKEN_REFRESHED, f == OAUTH_OK ?
	    "success" : "failure", "connected_account", o->to_account,
	    md->b_data);
}

/*
 * Refresh the access token of the checked account, one refresh at a time
 * per account: the account's row is locked (waiting at most
 * oauth_refresh_lock_timeout, then 503), read again (another worker may
 * have refreshed it meanwhile: then its token is used), the token
 * endpoint called with the refresh token while the lock is held, and the
 * new access token, its expiry, the rotated refresh token (the old one
 * kept when none came) and the event committed together.  *token gets
 * the access token; or *reason a mock reason (the refresh token rejected
 * with invalid_grant marks the account revoked); or the 502 or 403 answer
 * is written and *answered set.
 */
static enum err
oauth_refresh(struct rctx *x, const struct texec *t,
    const struct texec_oauth *xo, struct texec_out *o, char **token,
    const char **reason, bool *answered)
{
	struct dbctx		 ctx;
	struct dbq		 qs[2], us[2];
	struct dbb		 b = DBB_ARRAY(qs), ub = DBB_ARRAY(us);
	struct audit_ev		 ev;
	struct oauth_client	 cl;
	struct oauth_tokens	 tok;
	struct buf		 sa = BUF_INIT, sr = BUF_INIT;
	struct buf		 md = BUF_INIT;
	const PGresult		*c = xo->xo_config, *r;
	const char		*params[5], *method;
	char			*rt = NULL, *secret = NULL;
	char			 error[OAUTH_ERROR_LEN], exp[24], wait[24];
	enum oauth_fail		 f;
	enum err		 rc = ERR_INTERNAL;

	memset(&tok, 0, sizeof(tok));
	memset(&ctx, 0, sizeof(ctx));
	error[0] = '\0';
	ctx.c_role = "second_internal";
	ctx.c_user_id = t->te_user;
	ctx.c_ws_ref = t->te_ws;
	ctx.c_app_id = t->te_app;
	snprintf(wait, sizeof(wait), "%llds",
	    x->x_conf->cf_oauth_refresh_lock_timeout);
	dbb_add(&b, ST_TOOL_OAUTH_LOCK_TIMEOUT, wait);
	dbb_add(&b, ST_TOOL_OAUTH_ACCOUNT_LOCK, o->to_account);
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN, &b)) != ERR_OK)
		goto out;	/* rolled back (a lock timeout: 503) */
	r = qs[1].q_res;
	rc = ERR_OK;
	if (PQntuples(r) != 1) {
		*reason = "oauth_not_connected";	/* deleted meanwhile */
		goto release;
	}
	if (strcmp(PQgetvalue(r, 0, COL_OAUTH_ACCOUNT_REVOKED),
	    "t") == 0) {
		*reason = "oauth_revoked";
		goto release;
	}
	if (strcmp(PQgetvalue(r, 0,
	    COL_OAUTH_ACCOUNT_REFRESH_NEEDED), "t") != 0) {
		/* Another worker refreshed it while this one waited. */
		if ((*token = unseal(x, t->te_ws, o->to_account,
		    "access_token", PQgetvalue(r, 0,
		    COL_OAUTH_ACCOUNT_ACCESS_TOKEN))) == NULL)
			*reason = "oauth_not_connected";
		goto release;
	}
	method = PQgetvalue(c, 0, COL_TOOL_OAUTH_CONFIG_TOKEN_AUTH_METHOD);
	if (PQgetisnull(r, 0, COL_OAUTH_ACCOUNT_REFRESH_TOKEN) ||
	    (rt = unseal(x, t->te_ws, o->to_account, "refresh_token",
	    PQgetvalue(r, 0, COL_OAUTH_ACCOUNT_REFRESH_TOKEN))) ==
	    NULL) {
		*reason = "oauth_not_connected";  /* expired, no way back */
		goto release;
	}
	if (strcmp(method, "none") != 0 && (PQgetisnull(c, 0,
	    COL_TOOL_OAUTH_CONFIG_CLIENT_SECRET) || (secret = unseal(x,
	    t->te_ws, o->to_config, "client_secret", PQgetvalue(c, 0,
	    COL_TOOL_OAUTH_CONFIG_CLIENT_SECRET))) == NULL)) {
		*reason = "oauth_provider_not_configured";
		goto release;
	}
	cl.oc_token_url = PQgetvalue(c, 0, COL_TOOL_OAUTH_CONFIG_TOKEN_URL);
	cl.oc_auth_method = method;
	cl.oc_client_id = PQgetvalue(c, 0, COL_TOOL_OAUTH_CONFIG_CLIENT_ID);
	cl.oc_client_secret = secret;
	params[0] = "grant_type";
	params[1] = "refresh_token";
	params[2] = "refresh_token";
	params[3] = rt;
	params[4] = NULL;
	f = oauth_token(x->x_conf, &cl, params, &tok, error);
	if (f == OAUTH_OK) {
		snprintf(exp, sizeof(exp), "%ld", tok.ot_expires_in);
		if (secret_seal_bytea(&x->x_w->ws_seal, t->te_ws,
		    o->to_account, "access_token", tok.ot_access,
		    strlen(tok.ot_access), &sa) != 0 ||
		    (tok.ot_refresh != NULL &&
		    secret_seal_bytea(&x->x_w->ws_seal, t->te_ws,
		    o->to_account, "refresh_token", tok.ot_refresh,
		    strlen(tok.ot_refresh), &sr) != 0)) {
			rc = ERR_INTERNAL;
			goto out;
		}
		dbb_add(&ub, ST_TOOL_OAUTH_REFRESHED, o->to_account, sa.b_data,
		    tok.ot_expires_in > 0 ? exp : NULL,
		    tok.ot_refresh != NULL ? sr.b_data : NULL,
		    tok.ot_scope);
	} else if (f == OAUTH_REJECTED && strcmp(error, "invalid_grant") == 0)
		dbb_add(&ub, ST_TOOL_OAUTH_REVOKED, o->to_account);
	refresh_audit(x, t, xo, o, f, error, &ub, &ev, &md);
	if ((rc = db_batch(x->x_db, NULL, DB_COMMIT, &ub)) != ERR_OK)
		goto out;
	switch (f) {
	case OAUTH_OK:
		*token = tok.ot_access;
		tok.ot_access = NULL;
		break;
	case OAUTH_REJECTED:
		if (strcmp(error, "invalid_grant") == 0) {
			*reason = "oauth_revoked";
			break;
		}
		/* FALLTHROUGH */
	case OAUTH_UNAVAILABLE:
	case OAUTH_BAD_ANSWER:
		o->to_event = EV_TOOL_FAILED;
		o->to_outcome = "failure";
		o->to_reason = f == OAUTH_UNAVAILABLE ?
		    "oauth_refresh_unavailable" : "oauth_refresh_failed";
		answer_failed(x, 0, o->to_reason, f == OAUTH_UNAVAILABLE);
		*answered = true;
		break;
	case OAUTH_REFUSED:
		o->to_event = EV_TOOL_DENIED;
		o->to_outcome = "denial";
		o->to_reason = "oauth_refresh_refused";
		x->x_field = "integration.auth.tokenUrl";
		x->x_msg = "The provider's URL or address is refused by the "
		    "outbound rules.";
		rc = ERR_FORBIDDEN;
		break;
	default:
		rc = ERR_INTERNAL;
		break;
	}
	goto out;
release:
	/* Nothing to write: end the transaction, and the lock with it. */
	rc = db_batch(x->x_db, NULL, DB_COMMIT, NULL);
out:
	oauth_tokens_clear(&tok);
	plain_free(rt);
	plain_free(secret);
	dbb_clear(&b);
	dbb_clear(&ub);
	buf_free(&sa);
	buf_free(&sr);
	buf_free(&md);
	return rc;
}

/*
 * The bearer token of the checked account into *token (plain_free it):
 * the stored access token, or a refreshed one when it is missing or
 * expires within 60 seconds (oauth_refresh, which may instead set
 * *reason or answer).
 */
static enum err
oauth_bearer(struct rctx *x, const struct texec *t,
    const struct texec_oauth *xo, struct texec_out *o, char **token,
    const char **reason, bool *answered)
{
	const PGresult	*a = xo->xo_account;

	if (strcmp(PQgetvalue(a, 0, COL_OAUTH_ACCOUNT_REFRESH_NEEDED),
	    "t") == 0)
		return oauth_refresh(x, t, xo, o, token, reason, answered);
	if ((*token = unseal(x, t->te_ws, o->to_account, "access_token",
	    PQgetvalue(a, 0, COL_OAUTH_ACCOUNT_ACCESS_TOKEN))) == NULL)
		*reason = "oauth_not_connected";
	return ERR_OK;
}

/*
 * Add "Authorization: Bearer TOKEN" to request q (the tool itself may not
 * set Authorization: agents.c); req_wipe clears it with the rest.
 */
static enum err
bearer_add(struct tool_req *q, const char *token)
{
	char	**h, *v;
	size_t	  n = strlen(token) + sizeof("Authorization: Bearer ");

	if ((v = malloc(n)) == NULL)
		return ERR_INTERNAL;
	if ((h = realloc(q->tr_headers, (q->tr_nheaders + 1) *
	    sizeof(*h))) == NULL) {
		free(v);
		return ERR_INTERNAL;
	}
	snprintf(v, n, "Authorization: Bearer %s", token);
	q->tr_headers = h;
	q->tr_headers[q->tr_nheaders++] = v;
	return ERR_OK;
}

/*
 * Wipe the request's URL, header lines and body, which may hold a
 * secret or the bearer token, before tool_req_free.
 */
static void
req_wipe(struct tool_req *q)
{
	size_t	 i;

	for (i = 0; i < q->tr_nheaders; i++)
		sodium_memzero(q->tr_headers[i], strlen(q->tr_headers[i]));
	if (q->tr_url != NULL)
		sodium_memzero(q->tr_url, strlen(q->tr_url));
	if (q->tr_body != NULL)
		sodium_memzero(q->tr_body, q->tr_body_len);
}

/*
 * The shared part of both doors, with no transaction open: read the
 * grant and its secrets (an OAuth tool: the provider config and the
 * user's account) as second_internal scoped to the app, build the
 * request, call or mock, answer, audit.
 */
static enum err
texec_run(struct rctx *x, const struct texec *t)
{
	struct dbctx	 ctx;
	struct dbq	 qs[3];
	struct dbb	 b = DBB_ARRAY(qs);
	struct texec_secrets sec;
	struct texec_oauth xo;
	struct tool_req	 q;
	struct tool_err	*te;
	struct texec_out o;
	json_object	*auth = tool_oauth(t->te_tool);
	const char	*domain, *slug, *reasons = NULL, *why = NULL;
	char		*token = NULL;
	bool		 ready = false, answered = false;
	enum err	 rc = ERR_INTERNAL, brc;

	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	memset(&sec, 0, sizeof(sec));
	o.to_event = EV_TOOL_FAILED;
	o.to_outcome = "failure";
	o.to_mode = "live";
	if ((te = route_state_new(x, &texec_state_type)) == NULL)
		goto out;
	tool_binding(t->te_tool, &domain, &slug);
	memset(&ctx, 0, sizeof(ctx));
	ctx.c_role = "second_internal";
	ctx.c_ws_ref = t->te_ws;
	ctx.c_app_id = t->te_app;
	/* The account policy shows only the current user's account. */
	ctx.c_user_id = auth != NULL ? t->te_user : NULL;
	ctx.c_readonly = true;
	dbb_add(&b, ST_TOOL_GRANT, domain, slug ? slug : "default");
	if (auth == NULL)
		dbb_add(&b, ST_TOOL_SECRETS, domain, slug ? slug : "default");
	else {
		dbb_add(&b, ST_TOOL_OAUTH_CONFIG,
		    auth_str(auth, "providerKey"));
		dbb_add(&b, ST_TOOL_OAUTH_ACCOUNT,
		    auth_str(auth, "providerKey"));
	}
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b)) !=
	    ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) == 1) {
		snprintf(o.to_grant, sizeof(o.to_grant), "%s",
		    PQgetvalue(qs[0].q_res, 0, COL_GRANT_ID));
		reasons = PQgetvalue(qs[0].q_res, 0, COL_GRANT_SETUP_REASONS);
		ready = strcmp(reasons, "[]") == 0;
	}
	if (ready && auth == NULL)
		secrets_open(x, t->te_ws, qs[1].q_res, &sec);

	/* Input errors win over "not ready" (tool.h), so build first. */
	brc = tool_build(t->te_tool, t->te_input, sec.ts, sec.n, &q,
	    te);
	if (brc == ERR_VALIDATION_FAILED) {
		x->x_field = strcmp(te->te_field, "toolInput") == 0 ?
		    t->te_input_field : te->te_field;
		x->x_msg = te->te_msg[0] != '\0' ? te->te_msg : NULL;
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (auth != NULL && brc == ERR_OK) {
		/* OAuth: readiness is these checks, not the grant's. */
		xo.xo_auth = auth;
		xo.xo_grant = qs[0].q_res;
		xo.xo_config = qs[1].q_res;
		xo.xo_account = qs[2].q_res;
		if ((rc = oauth_check(x, &xo, &o, &why)) == ERR_OK &&
		    why == NULL)
			rc = oauth_bearer(x, t, &xo, &o, &token, &why,
			    &answered);
		if (rc == ERR_OK && why == NULL && !answered)
			rc = bearer_add(&q, token);
		if (rc == ERR_FORBIDDEN || answered) {
			texec_audit(x, t, &o);
			goto out;
		}
		if (rc != ERR_OK)
			goto out;
		if (why != NULL) {
			rc = answer_mock(x, t, &o, why);
			texec_audit(x, t, &o);
			goto out;
		}
	} else if (brc == ERR_INTEGRATIONS_NEED_SETUP ||
	    (brc == ERR_OK && !ready)) {
		rc = answer_mock(x, t, &o, PQntuples(qs[0].q_res) != 1 ?
		    "no_grant" : !ready ? "needs_setup" : "missing_secret");
		texec_audit(x, t, &o);
		goto out;
	}
	if (brc != ERR_OK) {
		rc = brc;
		goto out;
	}
	rc = texec_call(x, &q, &o);
	texec_audit(x, t, &o);
out:
	plain_free(token);
	secrets_free(&sec);
	req_wipe(&q);
	tool_req_free(&q);
	dbb_clear(&b);
	return rc;
}

/*
 * POST /api/internal/tool-execute {workspaceId, appId, version?,
 * agentId, toolName, toolInput?, runId?}: the agent's tool from the
 * approved payload of that version (403 otherwise, field toolName); a
 * runId must be an agent run of that app (404 otherwise), and an OAuth
 * tool needs one (422): it acts for the run's triggering user.
 */
enum err
toolexec_internal(struct rctx *x)
{
	struct jfield	 f[] = {
		ISCOPE_FIELDS,
		{ "toolName", JF_STRING, true, 128, NULL },
		{ "toolInput", JF_ANY, false, 0, NULL },
		{ "runId", JF_STRING, false, 64, NULL },
	};
	struct iscope	 s;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	struct dbctx	 actx;
	struct texec	 t;
	json_object	*obj = NULL, *tool;
	const char	*run;
	char		 user[ID_LEN + 1];
	bool		 oauth;
	enum err	 rc = ERR_INTERNAL;

	memset(&s, 0, sizeof(s));
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, ISCOPE_NFIELDS + 3)) != ERR_OK ||
	    (rc = input_shape(x, f[ISCOPE_NFIELDS + 1].jf_val, "toolInput")) !=
	    ERR_OK)
		goto out;
	if ((rc = guard_seal_keys(x)) != ERR_OK ||
	    (rc = iscope_open(x, f, ISCOPE_AGENT, &s)) != ERR_OK)
		goto out;
	tool = agents_find_agent_tool(s.is_payload, s.is_agent,
	    jsonin_str(&f[ISCOPE_NFIELDS]));
	if (tool == NULL) {
		x->x_field = "toolName";
		x->x_msg = "The tool is not in the agent's approved "
		    "configuration for that version.";
		rc = ERR_FORBIDDEN;
		goto out;
	}
	if ((rc = tool_runnable(x, tool, "toolName")) != ERR_OK)
		goto out;
	run = jsonin_str(&f[ISCOPE_NFIELDS + 2]);
	oauth = tool_oauth(tool) != NULL;
	if (oauth && run == NULL) {
		x->x_field = "runId";
		x->x_msg = "An OAuth tool acts for the user who triggered "
		    "the run: runId is required.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	user[0] = '\0';
	if (run != NULL) {
		dbb_add(&b, ST_TOOL_RUN, id_valid(run) ? run : NULL);
		if ((rc = txn_exec(x, &b)) != ERR_OK)
			goto out;
		if (PQntuples(q.q_res) != 1) {
			rc = ERR_NOT_FOUND;
			goto out;
		}
		/* The run's own row names the user, never the caller. */
		snprintf(user, sizeof(user), "%s", PQgetvalue(q.q_res, 0,
		    COL_TOOL_RUN_TRIGGERED_BY_USER_ID));
	}
	if ((rc = txn_commit(x, NULL)) != ERR_OK)
		goto out;
	memset(&actx, 0, sizeof(actx));
	memset(&t, 0, sizeof(t));
	actx.c_role = "second_internal";
	actx.c_ws_ref = s.is_ws;
	actx.c_app_id = s.is_app;
	actx.c_user_id = oauth ? user : NULL;
	t.te_user = oauth ? user : NULL;
	t.te_ws = s.is_ws;
	t.te_app = s.is_app;
	t.te_name = jsonin_str(&f[ISCOPE_NFIELDS]);
	t.te_tool = tool;
	t.te_input = f[ISCOPE_NFIELDS + 1].jf_val;
	t.te_input_field = "toolInput";
	t.te_audit = &actx;
	rc = texec_run(x, &t);
out:
	dbb_clear(&b);
	iscope_close(&s);
	json_object_put(obj);
	return rc;
}

/*
 * POST /api/workspaces/{ws}/apps/{appId}/app-tools/{toolName}/execute
 * ?version= {input?}: an appTools[] entry of the approved payload of the
 * version the caller may see (published; the draft for builders), run
 * as the current viewer.  The frame names only the tool and the input.
 */
enum err
toolexec_app(struct rctx *x)
{
	struct jfield	 f[] = {
		{ "input", JF_ANY, false, 0, NULL },
	};
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct dbctx	 actx;
	struct texec	 t;
	struct app	 a;
	json_object	*obj = NULL, *payload = NULL, *tool;
	const char	*app = apps_id_arg(x, 1), *name = apps_arg(x, 2);
	char		*ver = NULL;
	char		 ws[ID_LEN + 1], appid[ID_LEN + 1];
	bool		 draft;
	enum err	 rc = ERR_INTERNAL;

	if (req_query_get(x->x_req, "version", &ver) != ERR_OK ||
	    (ver != NULL && strcmp(ver, "draft") != 0 &&
	    strcmp(ver, "published") != 0)) {
		x->x_field = "version";
		rc = ERR_BAD_REQUEST;
		goto out;
	}
	draft = ver != NULL && strcmp(ver, "draft") == 0;
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK ||
	    (rc = input_shape(x, f[0].jf_val, "input")) != ERR_OK)
		goto out;
	dbb_add(&b, ST_APP_GET, app);
	dbb_add(&b, ST_APP_TOOL_PAYLOAD, app, draft ? "t" : "f");
	if ((rc = txn_exec(x, &b)) != ERR_OK ||
	    (rc = apps_load(x, qs[0].q_res, &a)) != ERR_OK)
		goto out;
	if (draft && !a.ap_builder) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (PQntuples(qs[1].q_res) != 1 ||
	    PQgetisnull(qs[1].q_res, 0, COL_APP_TOOL_PAYLOAD_PAYLOAD) ||
	    (payload = json_tokener_parse(PQgetvalue(qs[1].q_res, 0,
	    COL_APP_TOOL_PAYLOAD_PAYLOAD))) == NULL ||
	    (tool = agents_find_tool(payload, name)) == NULL) {
		/* The tool is named by the path: no body field to blame. */
		x->x_msg = "The tool is not in the app's approved "
		    "configuration for that version.";
		rc = ERR_FORBIDDEN;
		goto out;
	}
	if ((rc = tool_runnable(x, tool, NULL)) != ERR_OK ||
	    (rc = txn_commit(x, NULL)) != ERR_OK)
		goto out;
	snprintf(ws, sizeof(ws), "%s", x->x_ws.w_id);
	snprintf(appid, sizeof(appid), "%s", app);
	memset(&actx, 0, sizeof(actx));
	memset(&t, 0, sizeof(t));
	actx.c_role = "second_member";
	actx.c_user_id = x->x_user_id;
	actx.c_ws_ref = ws;
	/* OAuth identity is the current viewer (second-docs §5.7). */
	t.te_user = x->x_user_id[0] != '\0' ? x->x_user_id : NULL;
	t.te_ws = ws;
	t.te_app = appid;
	t.te_name = name;
	t.te_tool = tool;
	t.te_input = f[0].jf_val;
	t.te_input_field = "input";
	t.te_audit = &actx;
	rc = texec_run(x, &t);
out:
	dbb_clear(&b);
	json_object_put(payload);
	json_object_put(obj);
	free(ver);
	return rc;
}
