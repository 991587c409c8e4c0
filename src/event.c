/*
 * event: the audit event table (see event.h).
 */
#include "config.h"

#include <stddef.h>

#include "event.h"

static const struct {
	const char	*ev_name;
	const char	*ev_category;
} events[EV__MAX] = {
	[EV_WORKSPACE_CREATED] =	{ "workspace.created", "workspace" },
	[EV_WORKSPACE_RENAMED] =	{ "workspace.renamed", "workspace" },
	[EV_MEMBER_INVITED] =		{ "member.invited", "members" },
	[EV_MEMBER_INVITATION_REVOKED] = { "member.invitation_revoked",
					  "members" },
	[EV_MEMBER_ROLE_CHANGED] =	{ "member.role_changed", "members" },
	[EV_MEMBER_REMOVED] =		{ "member.removed", "members" },
	[EV_MEMBER_SYNCED] =		{ "member.synced", "members" },
	[EV_TEAM_CREATED] =		{ "team.created", "members" },
	[EV_TEAM_RENAMED] =		{ "team.renamed", "members" },
	[EV_TEAM_DELETED] =		{ "team.deleted", "members" },
	[EV_MEMBER_TEAM_ADDED] =	{ "member.team_added", "members" },
	[EV_MEMBER_TEAM_REMOVED] =	{ "member.team_removed", "members" },
	[EV_APP_CREATED] =		{ "app.created", "apps" },
	[EV_APP_UPDATED] =		{ "app.updated", "apps" },
	[EV_APP_VISIBILITY_CHANGED] =	{ "app.visibility_changed", "apps" },
	[EV_APP_DELETED] =		{ "app.deleted", "apps" },
	[EV_APP_FILE_WRITTEN] =		{ "app.file_written", "apps" },
	[EV_APP_FILE_DELETED] =		{ "app.file_deleted", "apps" },
	[EV_APP_PUBLISHED] =		{ "app.published", "apps" },
	[EV_REVIEW_REQUESTED] =		{ "review.requested", "apps" },
	[EV_REVIEW_APPROVED] =		{ "review.approved", "apps" },
	[EV_REVIEW_CHANGES_REQUESTED] =	{ "review.changes_requested", "apps" },
	[EV_AGENTS_CONFIG_UPDATED] =	{ "app.agents_config.updated", "apps" },
	[EV_AGENTS_CONFIG_APPROVED] =	{ "app.agents_config.approved",
					  "apps" },
	[EV_AGENTS_CONFIG_STALE] =	{ "app.agents_config.stale", "apps" },
	[EV_BUILDER_RUN_CREATED] =	{ "builder_run.created", "apps" },
	[EV_APP_AGENT_RUN_CREATED] =	{ "app_agent_run.created", "apps" },
	[EV_ACCESS_DENIED] =		{ "access.denied", "access" },
	[EV_INTEGRATION_REQUESTED] =	{ "integration.requested",
					  "integrations" },
	[EV_INTEGRATION_CONFIGURED] =	{ "integration.configured",
					  "integrations" },
	[EV_INTEGRATION_SECRET_ROTATED] = { "integration.secret_rotated",
					  "integrations" },
	[EV_INTEGRATION_RESET] =	{ "integration.reset", "integrations" },
	[EV_INTEGRATION_DELETED] =	{ "integration.deleted",
					  "integrations" },
	[EV_TOOL_EXECUTED] =		{ "tool.custom.executed", "integrations" },
	[EV_TOOL_DENIED] =		{ "tool.custom.denied", "integrations" },
	[EV_TOOL_MOCKED] =		{ "tool.custom.mocked", "integrations" },
	[EV_TOOL_FAILED] =		{ "tool.custom.failed", "integrations" },
	[EV_BUILDER_RUN_COMPLETED] =	{ "builder_run.completed", "apps" },
	[EV_BUILDER_RUN_FAILED] =	{ "builder_run.failed", "apps" },
	[EV_APP_AGENT_RUN_COMPLETED] =	{ "app_agent_run.completed", "apps" },
	[EV_APP_AGENT_RUN_FAILED] =	{ "app_agent_run.failed", "apps" },
	[EV_APP_AGENT_TOOL_FAILURE_REPORTED] = {
	    "app_agent_tool_failure.reported", "apps" },
	[EV_APP_DATA_INSERTED] =	{ "app_data.document.inserted",
					  "app_data" },
	[EV_APP_DATA_UPDATED] =	{ "app_data.document.updated",
					  "app_data" },
	[EV_APP_DATA_UPSERTED] =	{ "app_data.document.upserted",
					  "app_data" },
	[EV_APP_DATA_DELETED] =	{ "app_data.document.deleted",
					  "app_data" },
	[EV_OAUTH_PROVIDER_CONFIGURED] = { "oauth.provider_configured",
					  "integrations" },
	[EV_OAUTH_PROVIDER_SECRET_ROTATED] = {
	    "oauth.provider_secret_rotated", "integrations" },
	[EV_OAUTH_CONNECTED] =		{ "oauth.connected", "integrations" },
	[EV_OAUTH_CONNECT_FAILED] =	{ "oauth.connect_failed",
					  "integrations" },
	[EV_OAUTH_REVOKED] =		{ "oauth.revoked", "integrations" },
	[EV_OAUTH_TOKEN_REFRESHED] =	{ "oauth.token_refreshed",
					  "integrations" },
};

/*
 * The stored name of an event, such as "app.created"; NULL for a value
 * outside the enum.
 */
const char *
event_name(enum event e)
{
	return (unsigned)e < EV__MAX ? events[e].ev_name : NULL;
}

/*
 * The category of an event, such as "apps"; NULL for a value outside the
 * enum.
 */
const char *
event_category(enum event e)
{
	return (unsigned)e < EV__MAX ? events[e].ev_category : NULL;
}
