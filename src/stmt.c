/*
 * stmt: the statement catalogue (see stmt.h).
 */
#include "config.h"

#include "stmt.h"

const struct stmt_def stmt_defs[ST__MAX] = {
	/* ST_PING */
	[ST_PING] = { "ping", "SELECT 1", 0 },
	/*
	 * ST_CTX: the first statement of every transaction.  is_local=true
	 * everywhere: the settings die with the transaction.  The workspace
	 * reference (id or slug) is resolved by a SECURITY DEFINER helper;
	 * an unknown one becomes '' and the policies match nothing.
	 */
	[ST_CTX] = { "ctx",
	  "SELECT set_config('role', $1, true), "
	  "set_config('second.user_id', coalesce(s.uid, ''), true), "
	  "set_config('second.workspace_id', "
	  "coalesce(second.resolve_workspace($3, s.uid), ''), true) "
	  "FROM (SELECT coalesce($2, second.subject_user_id($4)) AS uid) s",
	  4 },
	/*
	 * ST_GUARD: the caller's user row, whether they have any
	 * membership, the oldest membership's slug, and their membership
	 * (role, teams) in the context workspace.  Runs under RLS as
	 * second_member: it can only see the caller's own rows.
	 */
	[ST_GUARD] = { "guard",
	  "SELECT u.id, u.display_name, u.email, u.session_version, "
	  " (SELECT w.slug FROM second.workspace_memberships m "
	  "  JOIN second.workspaces w ON w.id = m.workspace_id "
	  "  WHERE m.user_id = u.id ORDER BY m.created_at, m.workspace_id "
	  "  LIMIT 1), "
	  " cw.id, cw.slug, cw.name, cm.role, "
	  " (SELECT string_agg(tm.team_id, ',' ORDER BY tm.team_id) "
	  "  FROM second.team_memberships tm "
	  "  WHERE tm.workspace_id = cm.workspace_id AND tm.user_id = u.id) "
	  "FROM second.users u "
	  "LEFT JOIN second.workspace_memberships cm "
	  " ON cm.workspace_id = second.current_workspace_id() "
	  " AND cm.user_id = u.id "
	  "LEFT JOIN second.workspaces cw ON cw.id = cm.workspace_id "
	  "WHERE u.id = second.current_user_id()", 0 },
	/* ST_SESSION_KEY: run by the authenticator itself, no context. */
	[ST_SESSION_KEY] = { "session_key",
	  "SELECT encode(key, 'hex') FROM "
	  "second.session_key_ensure(decode($1, 'hex'))", 1 },
	/* ST_ONBOARD: $1 new id, $2 display name, $3 email. */
	[ST_ONBOARD] = { "onboard",
	  "SELECT user_id, session_version FROM "
	  "second.onboard_identity($1, $2, $3)", 3 },
	/* ST_EXTERNAL_USER: $1 new id, $2 subject, $3 email, $4 name. */
	[ST_EXTERNAL_USER] = { "external_user",
	  "SELECT second.external_identity($1, $2, $3, $4)", 4 },
	/*
	 * ST_AUDIT: $1 id, $2 event, $3 outcome, $4 target type, $5 target
	 * id, $6 metadata.  Workspace and actor from the context only.
	 */
	[ST_AUDIT] = { "audit",
	  "INSERT INTO second.audit_events (workspace_id, id, event_name, "
	  "category, actor_type, actor_id, source, target_type, target_id, "
	  "outcome, metadata) VALUES (second.current_workspace_id(), $1, $2, "
	  "split_part($2, '.', 1), CASE WHEN second.current_user_id() IS NULL "
	  "THEN 'system' ELSE 'user' END, second.current_user_id(), "
	  "'platform', $4, $5, $3, $6::jsonb)", 6 },
	/* ST_SET_WS: $1 workspace id (after creating it). */
	[ST_SET_WS] = { "set_ws", "SELECT set_config('second.workspace_id', $1, true)", 1 },
	/* ST_MY_WORKSPACES */
	[ST_MY_WORKSPACES] = { "my_workspaces",
	  "SELECT w.id, w.slug, w.name, m.role "
	  "FROM second.workspace_memberships m "
	  "JOIN second.workspaces w ON w.id = m.workspace_id "
	  "WHERE m.user_id = second.current_user_id() "
	  "ORDER BY m.created_at, w.id", 0 },
	/* ST_LOGOUT */
	[ST_LOGOUT] = { "logout",
	  "UPDATE second.users SET session_version = session_version + 1 "
	  "WHERE id = second.current_user_id()", 0 },
	/* ST_WS_CREATE: $1 id, $2 slug, $3 name, $4 General's id. */
	[ST_WS_CREATE] = { "ws_create", "SELECT second.create_workspace($1, $2, $3, $4)", 4 },
	/* ST_WS_RENAME: $1 name. */
	[ST_WS_RENAME] = { "ws_rename",
	  "UPDATE second.workspaces SET name = $1 "
	  "WHERE id = second.current_workspace_id()", 1 },
	/* ST_MEMBERS: $1 cursor (user id) or NULL, $2 rows to fetch. */
	[ST_MEMBERS] = { "members",
	  "SELECT u.id, coalesce(u.display_name, ''), coalesce(u.email, ''), "
	  " m.role, coalesce((SELECT string_agg(tm.team_id, ',' "
	  "  ORDER BY tm.team_id) FROM second.team_memberships tm "
	  "  WHERE tm.workspace_id = m.workspace_id "
	  "  AND tm.user_id = m.user_id), '') "
	  "FROM second.workspace_memberships m "
	  "JOIN second.users u ON u.id = m.user_id "
	  "WHERE m.workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR m.user_id > $1) "
	  "ORDER BY m.user_id LIMIT $2::int", 2 },
	/* ST_MEMBER_LOCK: $1 target user. */
	[ST_MEMBER_LOCK] = { "member_lock",
	  "SELECT user_id, role FROM second.workspace_memberships "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND (role = 'owner' OR user_id = $1) ORDER BY user_id FOR UPDATE",
	  1 },
	/* ST_MEMBER_SET_ROLE: $1 user, $2 role. */
	[ST_MEMBER_SET_ROLE] = { "member_set_role",
	  "UPDATE second.workspace_memberships SET role = $2, "
	  "membership_version = membership_version + 1 "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND user_id = $1", 2 },
	/* ST_MEMBER_DELETE: $1 user (team memberships cascade). */
	[ST_MEMBER_DELETE] = { "member_delete",
	  "DELETE FROM second.workspace_memberships "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND user_id = $1", 1 },
	/* ST_IS_MEMBER: $1 user. */
	[ST_IS_MEMBER] = { "is_member",
	  "SELECT 1 FROM second.workspace_memberships "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND user_id = $1", 1 },
	/* ST_TEAMS: $1 cursor (team id) or NULL, $2 rows to fetch. */
	[ST_TEAMS] = { "teams",
	  "SELECT t.id, t.name, t.is_default, coalesce((SELECT "
	  " string_agg(tm.user_id, ',' ORDER BY tm.user_id) "
	  " FROM second.team_memberships tm "
	  " WHERE tm.workspace_id = t.workspace_id AND tm.team_id = t.id), '') "
	  "FROM second.teams t "
	  "WHERE t.workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR t.id > $1) "
	  "ORDER BY t.id LIMIT $2::int", 2 },
	/* ST_TEAM_GET: $1 team. */
	[ST_TEAM_GET] = { "team_get",
	  "SELECT id, name, is_default FROM second.teams "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "FOR UPDATE", 1 },
	/* ST_TEAM_INSERT: $1 id, $2 name. */
	[ST_TEAM_INSERT] = { "team_insert",
	  "INSERT INTO second.teams (workspace_id, id, name) "
	  "VALUES (second.current_workspace_id(), $1, $2)", 2 },
	/* ST_TEAM_RENAME: $1 team, $2 name. */
	[ST_TEAM_RENAME] = { "team_rename",
	  "UPDATE second.teams SET name = $2 "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND NOT is_default", 2 },
	/* ST_TEAM_DELETE: $1 team (its memberships cascade). */
	[ST_TEAM_DELETE] = { "team_delete",
	  "DELETE FROM second.teams "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND NOT is_default", 1 },
	/* ST_TEAM_MEMBER_ADD: $1 team, $2 user. */
	[ST_TEAM_MEMBER_ADD] = { "team_member_add",
	  "INSERT INTO second.team_memberships (workspace_id, team_id, user_id) "
	  "VALUES (second.current_workspace_id(), $1, $2) "
	  "ON CONFLICT DO NOTHING", 2 },
	/* ST_TEAM_MEMBER_DEL: $1 team, $2 user. */
	[ST_TEAM_MEMBER_DEL] = { "team_member_del",
	  "DELETE FROM second.team_memberships "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND team_id = $1 AND user_id = $2", 2 },
	/* ST_INVITES: $1 cursor (invitation id) or NULL, $2 rows to fetch. */
	[ST_INVITES] = { "invites",
	  "SELECT id, email, role, status, "
	  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	  "FROM second.invitations "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2::int", 2 },
	/* ST_INVITE_GET: $1 invitation. */
	[ST_INVITE_GET] = { "invite_get",
	  "SELECT status FROM second.invitations "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "FOR UPDATE", 1 },
	/* ST_INVITE_INSERT: $1 id, $2 email, $3 role. */
	[ST_INVITE_INSERT] = { "invite_insert",
	  "INSERT INTO second.invitations (workspace_id, id, email, "
	  "email_normalized, role, invited_by_user_id) "
	  "VALUES (second.current_workspace_id(), $1, btrim($2), "
	  "lower(btrim($2)), $3, second.current_user_id())", 3 },
	/* ST_INVITE_REVOKE: $1 invitation. */
	[ST_INVITE_REVOKE] = { "invite_revoke",
	  "UPDATE second.invitations SET status = 'revoked', updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND status = 'pending'", 1 },
	/* ST_PROVIDER_SYNC: $1 new id, $2 subject, $3 email, $4 name, $5 role. */
	[ST_PROVIDER_SYNC] = { "provider_sync",
	  "SELECT user_id, workspace_id FROM "
	  "second.provider_sync($1, $2, $3, $4, $5)", 5 },
};
