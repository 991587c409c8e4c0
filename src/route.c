/*
 * route: the route table and matcher (see route.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "handlers.h"
#include "log.h"
#include "rctx.h"
#include "route.h"

#define R(m, p, k, g, perm, body, name, fn) \
	{ (m), (p), (k), (g), (perm), (body), (name), (fn), NULL }
#define RP(m, p, k, g, perm, name, fn, pre) \
	{ (m), (p), (k), (g), (perm), BODY_NONE, (name), (fn), (pre) }

#define WS	"/api/workspaces/{ws}"

/*
 * The table.  Routes whose guard is GL_WORKSPACE name the workspace in
 * their first capture.  A path matches at most one pattern per method,
 * which tests/unit/test_route.c checks.
 */
static const struct route routes[] = {
	/* Liveness and readiness: no proxy, no identity. */
	R(M_GET, "/api/livez", RK_PUBLIC, GL_NONE, PERM_NONE, BODY_NONE,
	    "livez", sys_livez),
	R(M_GET, "/api/health", RK_PUBLIC, GL_NONE, PERM_NONE, BODY_NONE,
	    "health", sys_health),

	/* Pages. */
	R(M_GET, "/", RK_PAGE, GL_ANY, PERM_NONE, BODY_NONE,
	    "home", onb_home),
	R(M_GET, "/onboarding/identity", RK_PAGE, GL_ANY, PERM_NONE,
	    BODY_NONE, "onboarding.identity", onb_identity_page),
	R(M_POST, "/onboarding/identity", RK_PAGE, GL_ANY, PERM_NONE,
	    BODY_FORM, "onboarding.identity.post", onb_identity_form),
	R(M_GET, "/onboarding/workspace", RK_PAGE, GL_PROFILE, PERM_NONE,
	    BODY_NONE, "onboarding.workspace", onb_workspace_page),
	R(M_POST, "/onboarding/workspace", RK_PAGE, GL_PROFILE, PERM_NONE,
	    BODY_FORM, "onboarding.workspace.post", onb_workspace_form),
	RP(M_GET, "/w/{ws}", RK_PAGE, GL_WORKSPACE, PERM_NONE,
	    "workspace.home", ws_home, ws_home_pre),

	/* Identity and session. */
	R(M_POST, "/api/onboarding/identity", RK_API, GL_ANY, PERM_NONE,
	    BODY_JSON, "onboarding.identity.api", onb_identity_api),
	RP(M_GET, "/api/me", RK_API, GL_IDENTITY, PERM_NONE,
	    "me", onb_me, onb_me_pre),
	R(M_POST, "/api/session/logout", RK_API, GL_IDENTITY, PERM_NONE,
	    BODY_JSON, "session.logout", onb_logout),

	/* Workspaces. */
	RP(M_GET, "/api/workspaces", RK_API, GL_READY, PERM_NONE,
	    "workspaces.list", ws_list, ws_list_pre),
	R(M_POST, "/api/workspaces", RK_API, GL_PROFILE, PERM_NONE, BODY_JSON,
	    "workspaces.create", ws_post),
	R(M_GET, WS, RK_API, GL_WORKSPACE, PERM_NONE, BODY_NONE,
	    "workspaces.get", ws_get),
	R(M_PATCH, WS, RK_API, GL_WORKSPACE, PERM_WORKSPACE_MANAGE, BODY_JSON,
	    "workspaces.rename", ws_patch),

	/* Members. */
	RP(M_GET, WS "/members", RK_API, GL_WORKSPACE, PERM_NONE,
	    "members.list", members_list, members_list_pre),
	R(M_PATCH, WS "/members/{userId}", RK_API, GL_WORKSPACE,
	    PERM_MEMBERS_MANAGE, BODY_JSON, "members.role", members_patch),
	R(M_DELETE, WS "/members/{userId}", RK_API, GL_WORKSPACE,
	    PERM_MEMBERS_MANAGE, BODY_NONE, "members.remove", members_delete),

	/* Teams. */
	RP(M_GET, WS "/teams", RK_API, GL_WORKSPACE, PERM_NONE,
	    "teams.list", teams_list, teams_list_pre),
	R(M_POST, WS "/teams", RK_API, GL_WORKSPACE, PERM_TEAMS_MANAGE,
	    BODY_JSON, "teams.create", teams_post),
	R(M_PATCH, WS "/teams/{teamId}", RK_API, GL_WORKSPACE,
	    PERM_TEAMS_MANAGE, BODY_JSON, "teams.rename", teams_patch),
	R(M_DELETE, WS "/teams/{teamId}", RK_API, GL_WORKSPACE,
	    PERM_TEAMS_MANAGE, BODY_NONE, "teams.delete", teams_delete),
	R(M_PUT, WS "/teams/{teamId}/members/{userId}", RK_API, GL_WORKSPACE,
	    PERM_TEAMS_MANAGE, BODY_NONE, "teams.member.add",
	    teams_member_put),
	R(M_DELETE, WS "/teams/{teamId}/members/{userId}", RK_API,
	    GL_WORKSPACE, PERM_TEAMS_MANAGE, BODY_NONE, "teams.member.remove",
	    teams_member_delete),

	/* Invitations. */
	RP(M_GET, WS "/invitations", RK_API, GL_WORKSPACE,
	    PERM_MEMBERS_INVITE, "invitations.list", invites_list,
	    invites_list_pre),
	R(M_POST, WS "/invitations", RK_API, GL_WORKSPACE,
	    PERM_MEMBERS_INVITE, BODY_JSON, "invitations.create",
	    invites_post),
	R(M_DELETE, WS "/invitations/{id}", RK_API, GL_WORKSPACE,
	    PERM_MEMBERS_INVITE, BODY_NONE, "invitations.revoke",
	    invites_delete),

	/* Apps and everything under them. */
	RP(M_GET, WS "/apps", RK_API, GL_WORKSPACE, PERM_NONE,
	    "apps.list", apps_list, apps_list_pre),
	R(M_POST, WS "/apps", RK_API, GL_WORKSPACE, PERM_NONE, BODY_JSON,
	    "apps.create", apps_post),
	RP(M_GET, WS "/apps/{appId}", RK_API, GL_WORKSPACE, PERM_NONE,
	    "apps.get", apps_show, apps_get_pre),
	R(M_PATCH, WS "/apps/{appId}", RK_API, GL_WORKSPACE, PERM_NONE,
	    BODY_JSON, "apps.update", apps_patch),
	R(M_DELETE, WS "/apps/{appId}", RK_API, GL_WORKSPACE, PERM_NONE,
	    BODY_NONE, "apps.delete", apps_delete),
	RP(M_GET, WS "/apps/{appId}/files", RK_API, GL_WORKSPACE, PERM_NONE,
	    "files.list", files_list, files_list_pre),
	RP(M_GET, WS "/apps/{appId}/files/{path*}", RK_API, GL_WORKSPACE,
	    PERM_NONE, "files.get", files_get, files_get_pre),
	R(M_PUT, WS "/apps/{appId}/files/{path*}", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_LARGE, "files.put", files_put),
	R(M_DELETE, WS "/apps/{appId}/files/{path*}", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_NONE, "files.delete", files_delete),
	R(M_POST, WS "/apps/{appId}/review-requests", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_JSON, "reviews.request", review_request),
	RP(M_GET, WS "/review-requests", RK_API, GL_WORKSPACE, PERM_NONE,
	    "reviews.list", review_list, review_list_pre),
	R(M_POST, WS "/review-requests/{id}/approve", RK_API, GL_WORKSPACE,
	    PERM_APPS_REVIEW, BODY_JSON, "reviews.approve", review_approve),
	R(M_POST, WS "/review-requests/{id}/request-changes", RK_API,
	    GL_WORKSPACE, PERM_APPS_REVIEW, BODY_JSON,
	    "reviews.request_changes", review_request_changes),
	R(M_POST, WS "/apps/{appId}/publish", RK_API, GL_WORKSPACE,
	    PERM_APPS_REVIEW, BODY_JSON, "apps.publish", review_publish),
	RP(M_GET, WS "/apps/{appId}/agents", RK_API, GL_WORKSPACE, PERM_NONE,
	    "agents.get", agentsapi_get, agentsapi_pre),
	R(M_PATCH, WS "/apps/{appId}/agents", RK_API, GL_WORKSPACE, PERM_NONE,
	    BODY_JSON, "agents.update", agentsapi_patch),
	R(M_POST, WS "/apps/{appId}/agents/approval", RK_API, GL_WORKSPACE,
	    PERM_AGENTS_APPROVE, BODY_JSON, "agents.approve",
	    agentsapi_approve),
	RP(M_GET, WS "/apps/{appId}/runs", RK_API, GL_WORKSPACE, PERM_NONE,
	    "runs.list", runs_list, runs_list_pre),
	R(M_POST, WS "/apps/{appId}/runs", RK_API, GL_WORKSPACE, PERM_NONE,
	    BODY_JSON, "runs.create", runs_post),
	RP(M_GET, WS "/apps/{appId}/runs/{runId}", RK_API, GL_WORKSPACE,
	    PERM_NONE, "runs.get", runs_get, runs_get_pre),
	R(M_POST, WS "/apps/{appId}/agent-runs", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_JSON, "agent_runs.create", agent_runs_post),
	RP(M_GET, WS "/apps/{appId}/agent-runs/{runId}", RK_API, GL_WORKSPACE,
	    PERM_NONE, "agent_runs.get", agent_runs_get, agent_runs_get_pre),
	RP(M_GET, WS "/apps/{appId}/data", RK_API, GL_WORKSPACE, PERM_NONE,
	    "data.list", data_list, data_list_pre),
	R(M_POST, WS "/apps/{appId}/data", RK_API, GL_WORKSPACE, PERM_NONE,
	    BODY_JSON, "data.create", data_post),
	RP(M_GET, WS "/apps/{appId}/data/{docId}", RK_API, GL_WORKSPACE,
	    PERM_NONE, "data.get", data_get, data_get_pre),
	R(M_PATCH, WS "/apps/{appId}/data/{docId}", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_JSON, "data.update", data_patch),
	R(M_DELETE, WS "/apps/{appId}/data/{docId}", RK_API, GL_WORKSPACE,
	    PERM_NONE, BODY_NONE, "data.delete", data_delete),
	R(M_POST, WS "/apps/{appId}/app-tools/{toolName}/execute", RK_API,
	    GL_WORKSPACE, PERM_NONE, BODY_JSON, "app_tools.execute",
	    toolexec_app),

	/* Integrations. */
	RP(M_GET, WS "/integrations", RK_API, GL_WORKSPACE, PERM_NONE,
	    "integrations.list", integ_list, integ_list_pre),
	R(M_POST, WS "/integrations", RK_API, GL_WORKSPACE,
	    PERM_INTEGRATIONS_MANAGE, BODY_NONE, "integrations.create",
	    integ_post),
	R(M_PATCH, WS "/integrations/{id}", RK_API, GL_WORKSPACE,
	    PERM_INTEGRATIONS_MANAGE, BODY_JSON, "integrations.update",
	    integ_patch),
	R(M_POST, WS "/integrations/{id}/reset", RK_API, GL_WORKSPACE,
	    PERM_INTEGRATIONS_MANAGE, BODY_NONE, "integrations.reset",
	    integ_reset),
	R(M_DELETE, WS "/integrations/{id}", RK_API, GL_WORKSPACE,
	    PERM_INTEGRATIONS_MANAGE, BODY_NONE, "integrations.delete",
	    integ_delete),
	RP(M_GET, WS "/oauth-provider-configs", RK_API, GL_WORKSPACE,
	    PERM_NONE, "oauth_provider_configs.list", oauthcfg_list,
	    oauthcfg_list_pre),
	R(M_PATCH, WS "/oauth-provider-configs/{id}", RK_API, GL_WORKSPACE,
	    PERM_INTEGRATIONS_MANAGE, BODY_JSON,
	    "oauth_provider_configs.update", oauthcfg_patch),

	/* OAuth connected accounts (the callback is public: below). */
	RP(M_GET, WS "/oauth/{providerConfigId}/start", RK_API, GL_WORKSPACE,
	    PERM_NONE, "oauth.start", oauthconn_start, oauthconn_start_pre),
	RP(M_GET, WS "/connected-accounts", RK_API, GL_WORKSPACE, PERM_NONE,
	    "connected_accounts.list", oauthconn_accounts,
	    oauthconn_accounts_pre),
	R(M_DELETE, WS "/connected-accounts/{accountId}", RK_API,
	    GL_WORKSPACE, PERM_NONE, BODY_NONE, "connected_accounts.delete",
	    oauthconn_account_delete),
	/*
	 * The browser back from the provider: no proxy table (an error page,
	 * never an onboarding redirect); the handler runs the guard for an
	 * identity itself.
	 */
	R(M_GET, "/api/oauth/callback", RK_PUBLIC, GL_IDENTITY, PERM_NONE,
	    BODY_NONE, "oauth.callback", oauthconn_callback),

	/* Audit log. */
	RP(M_GET, WS "/audit-events", RK_API, GL_WORKSPACE, PERM_AUDIT_READ,
	    "audit.list", auditlog_list, auditlog_list_pre),

	/* Internal API. */
	R(M_POST, "/api/internal/provider/sync", RK_INTERNAL, GL_PROVIDER,
	    PERM_NONE, BODY_JSON, "internal.provider.sync",
	    internal_provider_sync),
	R(M_POST, "/api/internal/integration-requirements", RK_INTERNAL,
	    GL_INTERNAL, PERM_NONE, BODY_JSON,
	    "internal.integration_requirements", integ_requirements),
	R(M_POST, "/api/internal/workspace-integrations", RK_INTERNAL,
	    GL_INTERNAL, PERM_NONE, BODY_JSON,
	    "internal.workspace_integrations", integ_workspace),
	R(M_POST, "/api/internal/tool-execute", RK_INTERNAL, GL_INTERNAL,
	    PERM_NONE, BODY_JSON, "internal.tool_execute", toolexec_internal),
	R(M_POST, "/api/internal/app-data-write", RK_INTERNAL, GL_INTERNAL,
	    PERM_NONE, BODY_JSON, "internal.data.write", agentapi_data_write),
	R(M_POST, "/api/internal/app-data-read", RK_INTERNAL, GL_INTERNAL,
	    PERM_NONE, BODY_JSON, "internal.data.read", agentapi_data_read),
	R(M_POST, "/api/internal/agent-run-complete", RK_INTERNAL,
	    GL_INTERNAL, PERM_NONE, BODY_JSON, "internal.agent_run.complete",
	    agentapi_agent_run_complete),
	R(M_POST, "/api/internal/builder-run-complete", RK_INTERNAL,
	    GL_INTERNAL, PERM_NONE, BODY_JSON, "internal.builder_run.complete",
	    agentapi_builder_run_complete),
	R(M_POST, "/api/internal/tool-failure-report", RK_INTERNAL,
	    GL_INTERNAL, PERM_NONE, BODY_JSON, "internal.tool_failure.report",
	    agentapi_tool_failure),
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static const char *const kind_names[RK__MAX] = {
	"public", /* RK_PUBLIC */
	"page", /* RK_PAGE */
	"api", /* RK_API */
	"internal", /* RK_INTERNAL */
};

static const char *const guard_names[GL__MAX] = {
	"none", /* GL_NONE */
	"any", /* GL_ANY */
	"identity", /* GL_IDENTITY */
	"profile", /* GL_PROFILE */
	"ready", /* GL_READY */
	"workspace", /* GL_WORKSPACE */
	"internal", /* GL_INTERNAL */
	"provider", /* GL_PROVIDER */
};

/*
 * Number of routes in the table.
 */
size_t
route_count(void)
{
	return NROUTES;
}

/*
 * Route number i (i < route_count()).
 */
const struct route *
route_at(size_t i)
{
	return i < NROUTES ? &routes[i] : NULL;
}

/*
 * Names of kinds and guard levels, for --routes and logs.
 */
const char *
route_kind_name(enum route_kind k)
{
	return k < RK__MAX ? kind_names[k] : "?";
}

const char *
route_guard_name(enum guard_level g)
{
	return g < GL__MAX ? guard_names[g] : "?";
}

/*
 * Match "path" against "pattern".  On success the raw captures are
 * allocated into args[*nargs...] and 1 is returned; 0 for no match; -1 on
 * memory exhaustion (captures made so far are freed).
 */
static int
pattern_match(const char *pattern, const char *path, char **args,
    size_t *nargs)
{
	const char	*pp = pattern, *sp = path, *pe, *se;
	size_t		 n = 0, i;
	bool		 rest;

	while (*pp == '/' && *sp == '/') {
		pp++;
		sp++;
		pe = strchr(pp, '/');
		if (pe == NULL)
			pe = pp + strlen(pp);
		se = strchr(sp, '/');
		if (se == NULL)
			se = sp + strlen(sp);
		if (*pp == '{') {
			rest = pe - pp >= 3 && pe[-2] == '*';
			if (rest)
				se = sp + strlen(sp);
			if (se == sp || n >= REQ_MAXARGS)
				goto nomatch;
			if ((args[n] = strndup(sp, (size_t)(se - sp))) == NULL)
				goto oom;
			n++;
		} else if (pe - pp != se - sp ||
		    strncmp(pp, sp, (size_t)(pe - pp)) != 0)
			goto nomatch;
		pp = pe;
		sp = se;
	}
	if (*pp != '\0' || *sp != '\0')
		goto nomatch;
	*nargs = n;
	return 1;
nomatch:
	for (i = 0; i < n; i++) {
		free(args[i]);
		args[i] = NULL;
	}
	return 0;
oom:
	for (i = 0; i < n; i++) {
		free(args[i]);
		args[i] = NULL;
	}
	return -1;
}

/*
 * Find the route for (method, raw path).  RM_FOUND sets *rt and the raw
 * captures in args (caller frees them); RM_BAD_METHOD appends the
 * methods the path does accept to "allow" ("GET, POST"); RM_NOT_FOUND
 * otherwise (also on memory exhaustion, which cannot leak a route).
 */
enum route_match
route_lookup(enum http_method m, const char *path, const struct route **rt,
    char **args, size_t *nargs, struct buf *allow)
{
	char		*tmp[REQ_MAXARGS] = { NULL };
	size_t		 i, j, tn = 0;
	bool		 path_known = false;
	unsigned int	 seen = 0;
	int		 r;

	*rt = NULL;
	*nargs = 0;
	for (i = 0; i < NROUTES; i++) {
		if (routes[i].rt_method == m) {
			r = pattern_match(routes[i].rt_pattern, path, args,
			    nargs);
			if (r == 1) {
				*rt = &routes[i];
				return RM_FOUND;
			}
			if (r < 0)
				return RM_NOT_FOUND;
			continue;
		}
		if (seen & (1u << routes[i].rt_method))
			continue;
		r = pattern_match(routes[i].rt_pattern, path, tmp, &tn);
		if (r == 1) {
			for (j = 0; j < tn; j++)
				free(tmp[j]);
			if (seen != 0)
				buf_puts(allow, ", ");
			buf_puts(allow, req_method_name(routes[i].rt_method));
			seen |= 1u << routes[i].rt_method;
			path_known = true;
		}
	}
	return path_known ? RM_BAD_METHOD : RM_NOT_FOUND;
}

/*
 * The request's route state of type t, allocated zeroed on first use.
 * NULL on memory exhaustion, or when the slot holds another type (a bug,
 * logged): the caller answers ERR_INTERNAL.
 */
void *
route_state_new(struct rctx *x, const struct route_state_type *t)
{
	if (x->x_rstype == t)
		return x->x_rstate;
	if (x->x_rstype != NULL) {
		log_err("route: state %s requested, slot holds %s",
		    t->rst_name, x->x_rstype->rst_name);
		return NULL;
	}
	if ((x->x_rstate = calloc(1, t->rst_size)) == NULL)
		return NULL;
	x->x_rstype = t;
	return x->x_rstate;
}

/*
 * The request's route state of type t, or NULL when none was made (or
 * the slot holds another type).
 */
void *
route_state(const struct rctx *x, const struct route_state_type *t)
{
	return x->x_rstype == t ? x->x_rstate : NULL;
}

/*
 * Free the route state and what it owns (end of the request).
 */
void
route_state_free(struct rctx *x)
{
	if (x->x_rstype != NULL && x->x_rstype->rst_free != NULL)
		x->x_rstype->rst_free(x->x_rstate);
	free(x->x_rstate);
	x->x_rstate = NULL;
	x->x_rstype = NULL;
}
