/*
 * event: the catalogue of audit events, one enum constant each, with its
 * dot-delimited name and its category (second-api(7), "AUDIT EVENTS").
 * Names follow the event catalogue of the product documentation: the
 * singular resource, then what happened (app.created, member.invited,
 * review.approved); the category groups them for reading the log (apps,
 * members, workspace, access).  A new event is one row here and one line
 * in second-api(7); tests/unit/test_event.c checks both.
 */
#ifndef SECOND_EVENT_H
#define SECOND_EVENT_H

enum event {
	EV_WORKSPACE_CREATED = 0,
	EV_WORKSPACE_RENAMED,
	EV_MEMBER_INVITED,
	EV_MEMBER_INVITATION_REVOKED,
	EV_MEMBER_ROLE_CHANGED,
	EV_MEMBER_REMOVED,
	EV_MEMBER_SYNCED,
	EV_TEAM_CREATED,
	EV_TEAM_RENAMED,
	EV_TEAM_DELETED,
	EV_MEMBER_TEAM_ADDED,
	EV_MEMBER_TEAM_REMOVED,
	EV_APP_CREATED,
	EV_APP_UPDATED,
	EV_APP_VISIBILITY_CHANGED,
	EV_APP_DELETED,
	EV_APP_FILE_WRITTEN,
	EV_APP_FILE_DELETED,
	EV_APP_PUBLISHED,
	EV_REVIEW_REQUESTED,
	EV_REVIEW_APPROVED,
	EV_REVIEW_CHANGES_REQUESTED,
	EV_AGENTS_CONFIG_UPDATED,
	EV_AGENTS_CONFIG_APPROVED,
	EV_AGENTS_CONFIG_STALE,
	EV_BUILDER_RUN_CREATED,
	EV_APP_AGENT_RUN_CREATED,
	EV_ACCESS_DENIED,
	EV_INTEGRATION_REQUESTED,
	EV_INTEGRATION_CONFIGURED,
	EV_INTEGRATION_SECRET_ROTATED,
	EV_INTEGRATION_RESET,
	EV_INTEGRATION_DELETED,
	EV_TOOL_EXECUTED,
	EV_TOOL_DENIED,
	EV_TOOL_MOCKED,
	EV_TOOL_FAILED,
	EV_BUILDER_RUN_COMPLETED,
	EV_BUILDER_RUN_FAILED,
	EV_APP_AGENT_RUN_COMPLETED,
	EV_APP_AGENT_RUN_FAILED,
	EV_APP_AGENT_TOOL_FAILURE_REPORTED,
	EV_APP_DATA_INSERTED,
	EV_APP_DATA_UPDATED,
	EV_APP_DATA_UPSERTED,
	EV_APP_DATA_DELETED,
	EV_OAUTH_TOKEN_REFRESHED,
	EV__MAX
};

const char	*event_name(enum event);
const char	*event_category(enum event);

#endif
