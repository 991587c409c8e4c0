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
 * The outbound call is made with no transaction open: the reads commit
 * first, the audit event is written after, in its own transaction.
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
#include "db.h"
#include "egress.h"
#include "guard.h"
#include "handlers.h"
#include "iscope.h"
#include "jsonin.h"
#include "log.h"
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

/* 200 {mock: true, data, reason}: a random mockData entry. */
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

/*
 * The shared part of both doors, with no transaction open: read the
 * grant and its secrets as second_internal scoped to the app, build the
 * request, call or mock, answer, audit.
 */
static enum err
texec_run(struct rctx *x, const struct texec *t)
{
	struct dbctx	 ctx;
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	struct texec_secrets sec;
	struct tool_req	 q;
	struct tool_err	*te;
	struct texec_out o;
	const char	*domain, *slug, *reasons = NULL;
	bool		 ready = false;
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
	ctx.c_readonly = true;
	dbb_add(&b, ST_TOOL_GRANT, domain, slug ? slug : "default");
	dbb_add(&b, ST_TOOL_SECRETS, domain, slug ? slug : "default");
	if ((rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b)) !=
	    ERR_OK)
		goto out;
	if (PQntuples(qs[0].q_res) == 1) {
		snprintf(o.to_grant, sizeof(o.to_grant), "%s",
		    PQgetvalue(qs[0].q_res, 0, COL_GRANT_ID));
		reasons = PQgetvalue(qs[0].q_res, 0, COL_GRANT_SETUP_REASONS);
		ready = strcmp(reasons, "[]") == 0;
	}
	if (ready)
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
	if (brc == ERR_INTEGRATIONS_NEED_SETUP || (brc == ERR_OK && !ready)) {
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
	secrets_free(&sec);
	tool_req_free(&q);
	dbb_clear(&b);
	return rc;
}

/*
 * POST /api/internal/tool-execute {workspaceId, appId, version?,
 * agentId, toolName, toolInput?, runId?}: the agent's tool from the
 * approved payload of that version (403 otherwise, field toolName); a
 * runId must be an agent run of that app (404 otherwise).
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
	if (run != NULL) {
		dbb_add(&b, ST_TOOL_RUN, id_valid(run) ? run : NULL);
		if ((rc = txn_exec(x, &b)) != ERR_OK)
			goto out;
		if (PQntuples(q.q_res) != 1) {
			rc = ERR_NOT_FOUND;
			goto out;
		}
	}
	if ((rc = txn_commit(x, NULL)) != ERR_OK)
		goto out;
	memset(&actx, 0, sizeof(actx));
	actx.c_role = "second_internal";
	actx.c_ws_ref = s.is_ws;
	actx.c_app_id = s.is_app;
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
	actx.c_role = "second_member";
	actx.c_user_id = x->x_user_id;
	actx.c_ws_ref = ws;
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
