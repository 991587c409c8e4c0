/*
 * test_event: the audit event table (event.c) against an independent
 * copy of the catalogue, and its documentation in second-api(7).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "event.h"
#include "unit.h"

/* The catalogue as second-api(7) "AUDIT EVENTS" lists it. */
static const struct {
	enum event	 e;
	const char	*name;
	const char	*category;
} want[] = {
	{ EV_WORKSPACE_CREATED, "workspace.created", "workspace" },
	{ EV_WORKSPACE_RENAMED, "workspace.renamed", "workspace" },
	{ EV_MEMBER_INVITED, "member.invited", "members" },
	{ EV_MEMBER_INVITATION_REVOKED, "member.invitation_revoked",
	    "members" },
	{ EV_MEMBER_ROLE_CHANGED, "member.role_changed", "members" },
	{ EV_MEMBER_REMOVED, "member.removed", "members" },
	{ EV_MEMBER_SYNCED, "member.synced", "members" },
	{ EV_TEAM_CREATED, "team.created", "members" },
	{ EV_TEAM_RENAMED, "team.renamed", "members" },
	{ EV_TEAM_DELETED, "team.deleted", "members" },
	{ EV_MEMBER_TEAM_ADDED, "member.team_added", "members" },
	{ EV_MEMBER_TEAM_REMOVED, "member.team_removed", "members" },
	{ EV_APP_CREATED, "app.created", "apps" },
	{ EV_APP_UPDATED, "app.updated", "apps" },
	{ EV_APP_VISIBILITY_CHANGED, "app.visibility_changed", "apps" },
	{ EV_APP_DELETED, "app.deleted", "apps" },
	{ EV_APP_FILE_WRITTEN, "app.file_written", "apps" },
	{ EV_APP_FILE_DELETED, "app.file_deleted", "apps" },
	{ EV_APP_PUBLISHED, "app.published", "apps" },
	{ EV_REVIEW_REQUESTED, "review.requested", "apps" },
	{ EV_REVIEW_APPROVED, "review.approved", "apps" },
	{ EV_REVIEW_CHANGES_REQUESTED, "review.changes_requested", "apps" },
	{ EV_AGENTS_CONFIG_UPDATED, "app.agents_config.updated", "apps" },
	{ EV_AGENTS_CONFIG_APPROVED, "app.agents_config.approved", "apps" },
	{ EV_AGENTS_CONFIG_STALE, "app.agents_config.stale", "apps" },
	{ EV_BUILDER_RUN_CREATED, "builder_run.created", "apps" },
	{ EV_APP_AGENT_RUN_CREATED, "app_agent_run.created", "apps" },
	{ EV_ACCESS_DENIED, "access.denied", "access" },
	{ EV_INTEGRATION_REQUESTED, "integration.requested", "integrations" },
	{ EV_INTEGRATION_CONFIGURED, "integration.configured",
	    "integrations" },
	{ EV_INTEGRATION_SECRET_ROTATED, "integration.secret_rotated",
	    "integrations" },
	{ EV_INTEGRATION_RESET, "integration.reset", "integrations" },
	{ EV_INTEGRATION_DELETED, "integration.deleted", "integrations" },
	{ EV_TOOL_EXECUTED, "tool.custom.executed", "integrations" },
	{ EV_TOOL_DENIED, "tool.custom.denied", "integrations" },
	{ EV_TOOL_MOCKED, "tool.custom.mocked", "integrations" },
	{ EV_TOOL_FAILED, "tool.custom.failed", "integrations" },
	{ EV_BUILDER_RUN_COMPLETED, "builder_run.completed", "apps" },
	{ EV_BUILDER_RUN_FAILED, "builder_run.failed", "apps" },
	{ EV_APP_AGENT_RUN_COMPLETED, "app_agent_run.completed", "apps" },
	{ EV_APP_AGENT_RUN_FAILED, "app_agent_run.failed", "apps" },
	{ EV_APP_AGENT_TOOL_FAILURE_REPORTED, "app_agent_tool_failure.reported",
	    "apps" },
	{ EV_APP_DATA_INSERTED, "app_data.document.inserted", "app_data" },
	{ EV_APP_DATA_UPDATED, "app_data.document.updated", "app_data" },
	{ EV_APP_DATA_UPSERTED, "app_data.document.upserted", "app_data" },
	{ EV_APP_DATA_DELETED, "app_data.document.deleted", "app_data" },
	{ EV_OAUTH_PROVIDER_CONFIGURED, "oauth.provider_configured",
	    "integrations" },
	{ EV_OAUTH_PROVIDER_SECRET_ROTATED, "oauth.provider_secret_rotated",
	    "integrations" },
	{ EV_OAUTH_CONNECTED, "oauth.connected", "integrations" },
	{ EV_OAUTH_CONNECT_FAILED, "oauth.connect_failed", "integrations" },
	{ EV_OAUTH_REVOKED, "oauth.revoked", "integrations" },
	{ EV_OAUTH_TOKEN_REFRESHED, "oauth.token_refreshed", "integrations" },
};

/* Each row of the copy matches, and the copy covers the whole enum. */
static void
test_event_rows(void)
{
	bool	 seen[EV__MAX] = { false };
	size_t	 i;
	int	 e;

	for (i = 0; i < UNIT_NCASES(want); i++) {
		UNIT_CHECK(unit_streq(event_name(want[i].e), want[i].name),
		    "row %zu: name %s want %s", i,
		    UNIT_S(event_name(want[i].e)), want[i].name);
		UNIT_CHECK(unit_streq(event_category(want[i].e),
		    want[i].category), "%s: category %s want %s",
		    want[i].name, UNIT_S(event_category(want[i].e)),
		    want[i].category);
		UNIT_CHECK(!seen[want[i].e], "%s listed twice", want[i].name);
		seen[want[i].e] = true;
	}
	for (e = 0; e < EV__MAX; e++)
		UNIT_CHECK(seen[e], "event %d missing from the copy", e);
	CU_ASSERT_PTR_NULL(event_name(EV__MAX));
	CU_ASSERT_PTR_NULL(event_category(EV__MAX));
	CU_ASSERT_PTR_NULL(event_name((enum event)-1));
}

/*
 * Names are distinct, dot-delimited lowercase words, and never the old
 * plural prefixes ("apps.created").
 */
static void
test_event_names(void)
{
	const char	*n, *p;
	int		 e, f, dots;

	for (e = 0; e < EV__MAX; e++) {
		n = event_name((enum event)e);
		UNIT_CHECK(n != NULL && event_category((enum event)e) != NULL,
		    "event %d has no row", e);
		if (n == NULL)
			continue;
		for (dots = 0, p = n; *p != '\0'; p++) {
			if (*p == '.')
				dots++;
			UNIT_CHECK((*p >= 'a' && *p <= 'z') || *p == '_' ||
			    (*p == '.' && p != n && p[1] != '\0' &&
			    p[1] != '.'), "%s: bad character", n);
		}
		UNIT_CHECK(dots >= 1, "%s: no dot", n);
		UNIT_CHECK(strncmp(n, "apps.", 5) != 0 &&
		    strncmp(n, "teams.", 6) != 0 &&
		    strncmp(n, "members.", 8) != 0, "%s: plural prefix", n);
		for (f = e + 1; f < EV__MAX; f++)
			UNIT_CHECK(!unit_streq(n, event_name((enum event)f)),
			    "%s: events %d and %d", n, e, f);
	}
}

/* Every name and its category appear in second-api(7). */
static void
event_line(const char *line, void *arg)
{
	bool	*found = arg;
	char	 want_line[256];
	int	 e;

	/* The list holds ".It Ql NAME Ta CATEGORY" lines. */
	for (e = 0; e < EV__MAX; e++) {
		snprintf(want_line, sizeof(want_line), ".It Ql %s Ta %s\n",
		    event_name((enum event)e), event_category((enum event)e));
		if (strcmp(line, want_line) == 0)
			found[e] = true;
	}
}

static void
test_event_documented(void)
{
	bool	 found[EV__MAX] = { false };
	int	 e;

	unit_man_lines("man/second-api.7", event_line, found);
	for (e = 0; e < EV__MAX; e++)
		UNIT_CHECK(found[e], "%s (%s) not in the AUDIT EVENTS list of "
		    "man/second-api.7", event_name((enum event)e),
		    event_category((enum event)e));
}

static const struct unit_case cases[] = {
	{ "rows against an independent copy", test_event_rows },
	{ "names", test_event_names },
	{ "documented in second-api(7)", test_event_documented },
};

UNIT_MAIN("event", cases)
