/*
 * stmt: the statement catalogue (see stmt.h).
 */
#include "config.h"

#include "stmt.h"

/*
 * A timestamp as whole seconds since 1970 UTC; the C side formats it
 * (buf_json_utc).  to_char was about 7% of the database's instructions
 * for an apps list (callgrind).
 */
#define EPOCH(c) "floor(date_part('epoch', " c "))::int8"

/*
 * An invitation's status as every read reports it: a pending one past
 * expires_at is expired (sql/026).
 */
#define INVITE_STATUS \
	"CASE WHEN status = 'pending' AND expires_at <= now() " \
	"THEN 'expired' ELSE status END"

/*
 * The app row as every app route reads it (enum app_col in apps.h): the
 * app, its teams and collaborators (apps_visible decides in C, from these
 * and the caller's role, whether the caller builds it).
 * Under RLS the row only exists for a caller who may see the app.
 */
#define APP_COLUMNS \
	"a.id, a.name, a.publish_status, a.created_by_user_id, " \
	"a.draft_hash, a.draft_file_count, a.draft_bytes, " \
	"a.published_hash, a.published_file_count, a.published_bytes, " \
	"a.draft_agents_hash, a.approved_agents_hash, a.published_agents_hash, " \
	EPOCH("a.created_at") ", " \
	"array_to_string(a.team_ids, ','), " \
	"array_to_string(a.collaborator_ids, ','), " \
	"a.published_snapshot_id, " \
	"array_to_string(a.draft_team_ids, ',') "
/*
 * Write the draft snapshot given the new files expression (over the
 * current files "f"), and copy its hash, count and size into the app.
 * $1 app, SID the parameter holding the new snapshot id.
 */
#define DRAFT_WRITE(NEWFILES, SID) \
	"WITH cur AS (SELECT s.files FROM second.app_source_snapshots s " \
	" WHERE s.workspace_id = second.current_workspace_id() " \
	" AND s.app_id = $1 AND s.kind = 'draft'), " \
	"nf AS (SELECT " NEWFILES " AS files FROM (SELECT coalesce(" \
	" (SELECT files FROM cur), '{}'::jsonb) AS f) x), " \
	"m AS (SELECT nf.files, 'sha256:' || encode(sha256(convert_to(" \
	" nf.files::text, 'UTF8')), 'hex') AS hash, " \
	" (SELECT count(*) FROM jsonb_object_keys(nf.files))::int AS n, " \
	" (SELECT coalesce(sum(octet_length(e.v)), 0) " \
	"  FROM jsonb_each_text(nf.files) AS e(k, v))::bigint AS bytes " \
	" FROM nf), " \
	"s AS (INSERT INTO second.app_source_snapshots AS s (workspace_id, " \
	" app_id, kind, id, files, hash, file_count, bytes) " \
	" SELECT second.current_workspace_id(), $1, 'draft', " SID ", m.files, " \
	" m.hash, m.n, m.bytes FROM m " \
	" ON CONFLICT (workspace_id, app_id, kind) DO UPDATE SET " \
	" files = EXCLUDED.files, id = EXCLUDED.id, hash = EXCLUDED.hash, " \
	" file_count = EXCLUDED.file_count, bytes = EXCLUDED.bytes, " \
	" updated_at = now() RETURNING s.id, s.hash, s.file_count, s.bytes) " \
	"UPDATE second.apps a SET draft_snapshot_id = s.id, " \
	"draft_hash = s.hash, draft_file_count = s.file_count, " \
	"draft_bytes = s.bytes, updated_at = now() FROM s " \
	"WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1 " \
	"RETURNING s.file_count, s.bytes"

#define APP_ONE \
	"SELECT " APP_COLUMNS "FROM second.apps a " \
	"WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1"

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
	 * ST_GUARD: the caller's user row, the oldest membership's slug, and
	 * their membership (id, slug, name, role, teams) in the context
	 * workspace; no row when the user does not exist (sql/017).
	 */
	[ST_GUARD] = { "guard", "SELECT * FROM second.current_caller()", 0 },
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
	 * id, $6 metadata, $7 category (event.c).  Workspace and actor from
	 * the context only.
	 */
	[ST_AUDIT] = { "audit",
	  "INSERT INTO second.audit_events (workspace_id, id, event_name, "
	  "category, actor_type, actor_id, source, target_type, target_id, "
	  "outcome, metadata) VALUES (second.current_workspace_id(), $1, $2, "
	  "$7, CASE WHEN second.current_user_id() IS NULL "
	  "THEN 'system' ELSE 'user' END, second.current_user_id(), "
	  "'platform', $4, $5, $3, $6::jsonb)", 7 },
	/* ST_SET_WS: $1 workspace id (after creating it). */
	[ST_SET_WS] = { "set_ws", "SELECT set_config('second.workspace_id', $1, true)", 1 },
	/* ST_MY_WORKSPACES */
	[ST_MY_WORKSPACES] = { "my_workspaces",
	  "SELECT w.id, w.slug, w.name, m.role "
	  "FROM second.workspace_memberships m "
	  "JOIN second.workspaces w ON w.id = m.workspace_id "
	  "WHERE m.user_id = second.current_user_id() "
	  "ORDER BY m.created_at, w.id", 0 },
	/* ST_WS_PAGE: $1 cursor (workspace id) or NULL, $2 rows to fetch. */
	[ST_WS_PAGE] = { "ws_page",
	  "SELECT w.id, w.slug, w.name, m.role "
	  "FROM second.workspace_memberships m "
	  "JOIN second.workspaces w ON w.id = m.workspace_id "
	  "WHERE m.user_id = second.current_user_id() "
	  "AND ($1::text IS NULL OR w.id > $1) ORDER BY w.id LIMIT $2::int",
	  2 },
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
	/*
	 * ST_INVITES: $1 cursor (invitation id) or NULL, $2 rows to fetch, $3
	 * status (as read) or NULL for all.
	 */
	[ST_INVITES] = { "invites",
	  "SELECT id, email, role, " INVITE_STATUS ", "
	  EPOCH("created_at") ", " EPOCH("expires_at") " "
	  "FROM second.invitations "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR id > $1) "
	  "AND ($3::text IS NULL OR " INVITE_STATUS " = $3) "
	  "ORDER BY id LIMIT $2::int", 3 },
	/* ST_INVITE_GET: $1 invitation; its status as read. */
	[ST_INVITE_GET] = { "invite_get",
	  "SELECT " INVITE_STATUS " FROM second.invitations "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "FOR UPDATE", 1 },
	/*
	 * ST_INVITE_EXPIRE: $1 email; store 'expired' on its pending
	 * invitation past expires_at (frees the one-pending-per-email slot).
	 */
	[ST_INVITE_EXPIRE] = { "invite_expire",
	  "UPDATE second.invitations SET status = 'expired', updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() "
	  "AND email_normalized = lower(btrim($1)) AND status = 'pending' "
	  "AND expires_at <= now()", 1 },
	/* ST_INVITE_INSERT: $1 id, $2 email, $3 role, $4 seconds to expiry. */
	[ST_INVITE_INSERT] = { "invite_insert",
	  "INSERT INTO second.invitations (workspace_id, id, email, "
	  "email_normalized, role, invited_by_user_id, expires_at) "
	  "VALUES (second.current_workspace_id(), $1, btrim($2), "
	  "lower(btrim($2)), $3, second.current_user_id(), "
	  "now() + make_interval(secs => $4::int8)) "
	  "RETURNING " EPOCH("created_at") ", " EPOCH("expires_at"), 4 },
	/* ST_INVITE_REVOKE: $1 invitation (pending and not expired). */
	[ST_INVITE_REVOKE] = { "invite_revoke",
	  "UPDATE second.invitations SET status = 'revoked', updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND status = 'pending' AND expires_at > now()", 1 },
	/*
	 * ST_PROVIDER_ORG: $1 organization provider, $2 organization id; the
	 * context moves to the workspace mapped to it ('' when none).
	 */
	[ST_PROVIDER_ORG] = { "provider_org",
	  "SELECT set_config('second.workspace_id', "
	  "coalesce(second.resolve_organization($1, $2), ''), true)", 2 },
	/*
	 * ST_PROVIDER_SYNC: $1 new id, $2 subject, $3 email, $4 name, $5 role
	 * or NULL (sql/026 says which role applies).
	 */
	[ST_PROVIDER_SYNC] = { "provider_sync",
	  "SELECT user_id, workspace_id, role FROM "
	  "second.provider_sync($1, $2, $3, $4, $5)", 5 },
	/* ST_APPS_LIST: $1 cursor (app id) or NULL, $2 rows to fetch. */
	[ST_APPS_LIST] = { "apps_list",
	  "SELECT " APP_COLUMNS "FROM second.apps a "
	  "WHERE a.workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR a.id > $1) ORDER BY a.id LIMIT $2::int", 2 },
	/* ST_APP_GET: $1 app. */
	[ST_APP_GET] = { "app_get", APP_ONE, 1 },
	/* ST_APP_LOCK: $1 app; only builders can lock (UPDATE policy). */
	[ST_APP_LOCK] = { "app_lock", APP_ONE " FOR NO KEY UPDATE OF a", 1 },
	/* ST_APP_REFS: $1 team ids, $2 user ids (text arrays). */
	[ST_APP_REFS] = { "app_refs",
	  "SELECT (SELECT count(*) FROM second.teams "
	  " WHERE workspace_id = second.current_workspace_id() "
	  " AND id = ANY ($1::text[])), "
	  "(SELECT count(*) FROM second.workspace_memberships "
	  " WHERE workspace_id = second.current_workspace_id() "
	  " AND user_id = ANY ($2::text[]))", 2 },
	/* ST_APP_INSERT: $1 id, $2 name; the caller is the creator. */
	[ST_APP_INSERT] = { "app_insert",
	  "INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) "
	  "VALUES (second.current_workspace_id(), $1, $2, "
	  "second.current_user_id())", 2 },
	/* ST_APP_RENAME: $1 app, $2 name. */
	[ST_APP_RENAME] = { "app_rename",
	  "UPDATE second.apps SET name = $2, updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1", 2 },
	/* ST_APP_DELETE: $1 app (children cascade). */
	[ST_APP_DELETE] = { "app_delete",
	  "DELETE FROM second.apps "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1", 1 },
	[ST_APP_CLEAR_TEAMS] = { "app_clear_teams",
	  "DELETE FROM second.app_teams "
	  "WHERE workspace_id = second.current_workspace_id() AND app_id = $1",
	  1 },
	/*
	 * ST_APP_ADD_TEAMS: $1 app, $2 team ids (validated first; a team of
	 * an older review that was deleted since is skipped).
	 */
	[ST_APP_ADD_TEAMS] = { "app_add_teams",
	  "INSERT INTO second.app_teams (workspace_id, app_id, team_id) "
	  "SELECT second.current_workspace_id(), $1, t.id "
	  "FROM second.teams t WHERE t.workspace_id = "
	  "second.current_workspace_id() AND t.id = ANY ($2::text[]) "
	  "ON CONFLICT DO NOTHING", 2 },
	/*
	 * ST_APP_DRAFT_TEAMS: $1 app, $2 team ids: the teams the next review
	 * request proposes (those of this workspace, sorted).
	 */
	[ST_APP_DRAFT_TEAMS] = { "app_draft_teams",
	  "UPDATE second.apps SET draft_team_ids = ARRAY(SELECT t.id::text "
	  " FROM second.teams t WHERE t.workspace_id = "
	  " second.current_workspace_id() AND t.id = ANY ($2::text[]) "
	  " ORDER BY t.id), updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1", 2 },
	/* ST_APP_ADD_COLLABS: $1 app, $2 user ids (validated first). */
	[ST_APP_ADD_COLLABS] = { "app_add_collabs",
	  "INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) "
	  "SELECT second.current_workspace_id(), $1, u "
	  "FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING", 2 },
	/* ST_APP_DROP_COLLABS: $1 app, $2 user ids to keep. */
	[ST_APP_DROP_COLLABS] = { "app_drop_collabs",
	  "DELETE FROM second.app_collaborators "
	  "WHERE workspace_id = second.current_workspace_id() AND app_id = $1 "
	  "AND user_id <> ALL ($2::text[])", 2 },
	/*
	 * ST_SUPERSEDE: $1 app.  A builder's edit of an app in review: the
	 * pending review becomes superseded and the app a draft again,
	 * before the edit applies (same transaction).
	 */
	[ST_SUPERSEDE] = { "supersede",
	  "WITH r AS (UPDATE second.review_requests SET status = 'superseded', "
	  " decided_at = now() "
	  " WHERE workspace_id = second.current_workspace_id() "
	  " AND app_id = $1 AND status = 'pending' RETURNING 1) "
	  "UPDATE second.apps SET publish_status = 'draft', updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND publish_status = 'in_review' RETURNING (SELECT count(*) FROM r)",
	  1 },
	/* ST_FILES_LIST: $1 app, $2 kind. */
	[ST_FILES_LIST] = { "files_list",
	  "SELECT s.id, s.hash, s.file_count, s.bytes, coalesce((SELECT "
	  " jsonb_agg(jsonb_build_object('path', e.k, 'bytes', "
	  " octet_length(e.v)) ORDER BY e.k) "
	  " FROM jsonb_each_text(s.files) AS e(k, v)), '[]'::jsonb)::text "
	  "FROM second.app_source_snapshots s "
	  "WHERE s.workspace_id = second.current_workspace_id() "
	  "AND s.app_id = $1 AND s.kind = $2", 2 },
	/* ST_FILE_GET: $1 app, $2 kind, $3 path. */
	[ST_FILE_GET] = { "file_get",
	  "SELECT s.files ->> $3 FROM second.app_source_snapshots s "
	  "WHERE s.workspace_id = second.current_workspace_id() "
	  "AND s.app_id = $1 AND s.kind = $2 AND s.files ? $3", 3 },
	/*
	 * ST_SNAP_SIZE: $1 app, $2 path: the draft's other files, their
	 * count and the bytes of their paths and contents; the content
	 * bytes of the file at $2, NULL when the draft has none.
	 */
	[ST_SNAP_SIZE] = { "snap_size",
	  "SELECT count(*) FILTER (WHERE e.k <> $2), "
	  "coalesce(sum(octet_length(e.k) + octet_length(e.v)) "
	  " FILTER (WHERE e.k <> $2), 0), "
	  "max(octet_length(e.v)) FILTER (WHERE e.k = $2) "
	  "FROM second.app_source_snapshots s, jsonb_each_text(s.files) AS "
	  "e(k, v) WHERE s.workspace_id = second.current_workspace_id() "
	  "AND s.app_id = $1 AND s.kind = 'draft'", 2 },
	/* ST_FILE_PUT: $1 app, $2 path, $3 content, $4 new snapshot id. */
	[ST_FILE_PUT] = { "file_put",
	  DRAFT_WRITE("x.f || jsonb_build_object($2::text, $3::text)", "$4"),
	  4 },
	/* ST_FILE_DEL: $1 app, $2 path, $3 new snapshot id. */
	[ST_FILE_DEL] = { "file_del", DRAFT_WRITE("x.f - $2::text", "$3"), 3 },
	/* ST_REVIEWS_LIST: $1 cursor, $2 rows to fetch (RLS: builders). */
	[ST_REVIEWS_LIST] = { "reviews_list",
	  "SELECT r.id, r.app_id, r.status, "
	  "array_to_string(r.target_team_ids, ','), r.requested_by_user_id, "
	  "coalesce(r.decided_by_user_id, ''), "
	  EPOCH("r.created_at") " "
	  "FROM second.review_requests r "
	  "WHERE r.workspace_id = second.current_workspace_id() "
	  "AND ($1::text IS NULL OR r.id > $1) ORDER BY r.id LIMIT $2::int",
	  2 },
	/* ST_REVIEW_LOCK: $1 review. */
	[ST_REVIEW_LOCK] = { "review_lock",
	  "SELECT r.id, r.app_id, r.status, "
	  "array_to_string(r.target_team_ids, ',') "
	  "FROM second.review_requests r "
	  "WHERE r.workspace_id = second.current_workspace_id() AND r.id = $1 "
	  "FOR UPDATE", 1 },
	/* ST_REVIEW_INSERT: $1 id, $2 app, $3 team ids, $4 status. */
	[ST_REVIEW_INSERT] = { "review_insert",
	  "INSERT INTO second.review_requests (workspace_id, id, app_id, "
	  "target_team_ids, status, requested_by_user_id, decided_by_user_id, "
	  "decided_at) VALUES (second.current_workspace_id(), $1, $2, "
	  "$3::text[], $4, second.current_user_id(), CASE WHEN $4 = 'pending' "
	  "THEN NULL ELSE second.current_user_id() END, CASE WHEN $4 = "
	  "'pending' THEN NULL ELSE now() END)", 4 },
	/* ST_REVIEW_DECIDE: $1 review, $2 status (from pending only). */
	[ST_REVIEW_DECIDE] = { "review_decide",
	  "UPDATE second.review_requests SET status = $2, "
	  "decided_by_user_id = second.current_user_id(), decided_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  "AND status = 'pending'", 2 },
	/* ST_APP_SET_STATUS: $1 app, $2 status. */
	[ST_APP_SET_STATUS] = { "app_set_status",
	  "UPDATE second.apps SET publish_status = $2, updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1", 2 },
	/*
	 * ST_APP_PROMOTE: $1 app, $2 new published snapshot id.  The draft
	 * snapshot is copied to the published one, and the draft agents
	 * payload becomes the published one only if its hash is approved.
	 */
	[ST_APP_PROMOTE] = { "app_promote",
	  "WITH d AS (SELECT files, hash, file_count, bytes "
	  " FROM second.app_source_snapshots "
	  " WHERE workspace_id = second.current_workspace_id() "
	  " AND app_id = $1 AND kind = 'draft'), "
	  "s AS (INSERT INTO second.app_source_snapshots AS s (workspace_id, "
	  " app_id, kind, id, files, hash, file_count, bytes) "
	  " SELECT second.current_workspace_id(), $1, 'published', $2, "
	  " coalesce(d.files, '{}'::jsonb), d.hash, coalesce(d.file_count, 0), "
	  " coalesce(d.bytes, 0) FROM (SELECT 1) AS one LEFT JOIN d ON true "
	  " ON CONFLICT (workspace_id, app_id, kind) DO UPDATE SET "
	  " files = EXCLUDED.files, id = EXCLUDED.id, hash = EXCLUDED.hash, "
	  " file_count = EXCLUDED.file_count, bytes = EXCLUDED.bytes, "
	  " updated_at = now() RETURNING s.id, s.hash, s.file_count, s.bytes) "
	  "UPDATE second.apps a SET publish_status = 'published', "
	  "published_snapshot_id = s.id, published_hash = s.hash, "
	  "published_file_count = s.file_count, published_bytes = s.bytes, "
	  "published_agents = CASE WHEN a.approved_agents_hash = "
	  " a.draft_agents_hash THEN a.draft_agents END, "
	  "published_agents_hash = CASE WHEN a.approved_agents_hash = "
	  " a.draft_agents_hash THEN a.draft_agents_hash END, "
	  "updated_at = now() FROM s "
	  "WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1",
	  2 },
	/* ST_APP_AGENTS: $1 app. */
	[ST_APP_AGENTS] = { "app_agents",
	  "SELECT a.draft_agents::text, a.published_agents::text "
	  "FROM second.apps a "
	  "WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1",
	  1 },
	/*
	 * ST_APP_SET_DRAFT_AGENTS: $1 app, $2 normalized payload or NULL, $3
	 * its hash or NULL.  An approval survives only an unchanged hash.
	 */
	[ST_APP_SET_DRAFT_AGENTS] = { "app_set_draft_agents",
	  "UPDATE second.apps SET draft_agents = $2::jsonb, "
	  "draft_agents_hash = $3, approved_agents_hash = CASE WHEN "
	  "approved_agents_hash IS NOT DISTINCT FROM $3 THEN "
	  "approved_agents_hash END, updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND id = $1", 3 },
	/* ST_APP_APPROVE_AGENTS: $1 app, $2 hash, $3 approval id. */
	[ST_APP_APPROVE_AGENTS] = { "app_approve_agents",
	  "WITH a AS (UPDATE second.apps SET approved_agents_hash = $2, "
	  " updated_at = now() "
	  " WHERE workspace_id = second.current_workspace_id() AND id = $1 "
	  " AND draft_agents_hash = $2 RETURNING draft_agents) "
	  "INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, "
	  "hash, payload, approved_by_user_id) SELECT "
	  "second.current_workspace_id(), $3, $1, $2, a.draft_agents, "
	  "second.current_user_id() FROM a RETURNING id", 3 },
	/* ST_RUNS_LIST: $1 app, $2 cursor, $3 rows to fetch. */
	[ST_RUNS_LIST] = { "runs_list",
	  "SELECT r.id, r.status, r.messages::text, coalesce(r.usage::text, "
	  "'null'), r.created_by_user_id, " EPOCH("r.created_at") " "
	  "FROM second.builder_runs r "
	  "WHERE r.workspace_id = second.current_workspace_id() "
	  "AND r.app_id = $1 AND ($2::text IS NULL OR r.id > $2) "
	  "ORDER BY r.id LIMIT $3::int", 3 },
	/* ST_RUN_GET: $1 app, $2 run: the run of this app only. */
	[ST_RUN_GET] = { "run_get",
	  "SELECT r.id, r.status, r.messages::text, coalesce(r.usage::text, "
	  "'null'), r.created_by_user_id, " EPOCH("r.created_at") " "
	  "FROM second.builder_runs r "
	  "WHERE r.workspace_id = second.current_workspace_id() "
	  "AND r.app_id = $1 AND r.id = $2", 2 },
	/* ST_RUN_INSERT: $1 id, $2 app, $3 messages (JSON array). */
	[ST_RUN_INSERT] = { "run_insert",
	  "INSERT INTO second.builder_runs (workspace_id, id, app_id, messages, "
	  "created_by_user_id) VALUES (second.current_workspace_id(), $1, $2, "
	  "$3::jsonb, second.current_user_id())", 3 },
	/*
	 * ST_AGENT_RUN_INSERT: $1 id, $2 app, $3 agent, $4 version, $5
	 * prompt.  The triggering user is the context's, never a parameter.
	 */
	[ST_AGENT_RUN_INSERT] = { "agent_run_insert",
	  "INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, "
	  "triggered_by_user_id, source_version, prompt) VALUES "
	  "(second.current_workspace_id(), $1, $2, $3, "
	  "second.current_user_id(), $4, $5)", 5 },
	/* ST_AGENT_RUN_GET: $1 app, $2 run. */
	[ST_AGENT_RUN_GET] = { "agent_run_get",
	  "SELECT r.id, r.agent_id, r.triggered_by_user_id, r.source_version, "
	  "r.prompt, r.status, coalesce(r.result::text, 'null'), "
	  "coalesce(r.usage::text, 'null'), " EPOCH("r.created_at") " "
	  "FROM second.agent_runs r "
	  "WHERE r.workspace_id = second.current_workspace_id() "
	  "AND r.app_id = $1 AND r.id = $2", 2 },
	/* ST_DATA_LIST: $1 app, $2 scope, $3 collection, $4 cursor, $5 fetch. */
	[ST_DATA_LIST] = { "data_list",
	  "SELECT d.id, d.data::text, " EPOCH("d.created_at") ", "
	  EPOCH("d.updated_at") " FROM second.app_data d "
	  "WHERE d.workspace_id = second.current_workspace_id() "
	  "AND d.app_id = $1 AND d.scope = $2 AND d.collection = $3 "
	  "AND ($4::text IS NULL OR d.id > $4) ORDER BY d.id LIMIT $5::int", 5 },
	/* ST_DATA_GET: $1 app, $2 scope, $3 collection, $4 document. */
	[ST_DATA_GET] = { "data_get",
	  "SELECT d.id, d.data::text, " EPOCH("d.created_at") ", "
	  EPOCH("d.updated_at") " FROM second.app_data d "
	  "WHERE d.workspace_id = second.current_workspace_id() "
	  "AND d.app_id = $1 AND d.scope = $2 AND d.collection = $3 "
	  "AND d.id = $4", 4 },
	/* ST_DATA_INSERT: $1 app, $2 scope, $3 collection, $4 id, $5 data. */
	[ST_DATA_INSERT] = { "data_insert",
	  "INSERT INTO second.app_data (workspace_id, app_id, scope, "
	  "collection, id, data) VALUES (second.current_workspace_id(), $1, $2, "
	  "$3, $4, $5::jsonb)", 5 },
	/* ST_DATA_UPDATE: ... $5 fields merged into data. */
	[ST_DATA_UPDATE] = { "data_update",
	  "UPDATE second.app_data SET data = data || $5::jsonb, "
	  "updated_at = now() "
	  "WHERE workspace_id = second.current_workspace_id() AND app_id = $1 "
	  "AND scope = $2 AND collection = $3 AND id = $4 RETURNING id", 5 },
	/* ST_DATA_DELETE: $1 app, $2 scope, $3 collection, $4 document. */
	[ST_DATA_DELETE] = { "data_delete",
	  "DELETE FROM second.app_data "
	  "WHERE workspace_id = second.current_workspace_id() AND app_id = $1 "
	  "AND scope = $2 AND collection = $3 AND id = $4 RETURNING id", 4 },
};
