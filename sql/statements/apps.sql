-- apps.sql: apps, their teams and collaborators.  File format:
-- scripts/stmtgen.awk.

-- The app row as every app route reads it: the app, its teams and
-- collaborators (apps_visible decides in C, from these and the caller's
-- role, whether the caller builds it).  Under RLS the row only exists for
-- a caller who may see the app.
-- fragment: app
-- returns: id, name, publish_status, created_by_user_id, draft_hash,
--   draft_file_count, draft_bytes, published_hash, published_file_count,
--   published_bytes, draft_agents_hash, approved_agents_hash,
--   published_agents_hash, created_at, team_ids, collaborator_ids,
--   published_snapshot_id, draft_team_ids
a.id, a.name, a.publish_status, a.created_by_user_id,
a.draft_hash, a.draft_file_count, a.draft_bytes,
a.published_hash, a.published_file_count, a.published_bytes,
a.draft_agents_hash, a.approved_agents_hash, a.published_agents_hash,
floor(date_part('epoch', a.created_at))::int8 AS created_at,
array_to_string(a.team_ids, ',') AS team_ids,
array_to_string(a.collaborator_ids, ',') AS collaborator_ids,
a.published_snapshot_id,
array_to_string(a.draft_team_ids, ',') AS draft_team_ids

-- Visible apps, paginated.
-- name: apps_list
-- role: second_member
-- params: $1 text cursor (last app id) or NULL; $2 int rows to fetch
-- returns: {{app}}
-- policy: apps SELECT
SELECT {{app}}
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR a.id > $1)
 ORDER BY a.id LIMIT $2::int;

-- One app: under RLS, visible or nothing.
-- name: app_get
-- role: second_member
-- params: $1 text app id
-- returns: {{app}}
-- policy: apps SELECT
SELECT {{app}}
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1;

-- The same, locked for a builder's write: only builders can lock (the
-- UPDATE policy).
-- name: app_lock
-- role: second_member
-- params: $1 text app id
-- returns: {{app}}
-- policy: apps SELECT, apps UPDATE
SELECT {{app}}
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1
   FOR NO KEY UPDATE OF a;

-- How many of the team ids and of the user ids are inside the workspace.
-- name: app_refs
-- role: second_member
-- params: $1 text[] team ids; $2 text[] user ids
-- returns: teams, members
-- policy: teams SELECT, workspace_memberships SELECT
SELECT (SELECT count(*) FROM second.teams
         WHERE workspace_id = second.current_workspace_id()
           AND id = ANY ($1::text[])) AS teams,
       (SELECT count(*) FROM second.workspace_memberships
         WHERE workspace_id = second.current_workspace_id()
           AND user_id = ANY ($2::text[])) AS members;

-- The caller is the creator.
-- name: app_insert
-- role: second_member
-- params: $1 second.id app id; $2 text name
-- returns: none
-- policy: apps INSERT
INSERT INTO second.apps (workspace_id, id, name, created_by_user_id)
VALUES (second.current_workspace_id(), $1, $2,
    second.current_user_id());

-- name: app_rename
-- role: second_member
-- params: $1 text app id; $2 text name
-- returns: none
-- policy: apps UPDATE
UPDATE second.apps SET name = $2, updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- Its children cascade.
-- name: app_delete
-- role: second_member
-- params: $1 text app id
-- returns: none
-- policy: apps DELETE
DELETE FROM second.apps
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- name: app_clear_teams
-- role: second_member
-- params: $1 text app id
-- returns: none
-- policy: app_teams DELETE
DELETE FROM second.app_teams
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1;

-- The team ids were validated first; a team of an older review that was
-- deleted since is skipped.
-- name: app_add_teams
-- role: second_member
-- params: $1 second.id app id; $2 text[] team ids
-- returns: none
-- policy: app_teams INSERT, teams SELECT
INSERT INTO second.app_teams (workspace_id, app_id, team_id)
SELECT second.current_workspace_id(), $1, t.id
  FROM second.teams t
 WHERE t.workspace_id = second.current_workspace_id()
   AND t.id = ANY ($2::text[])
ON CONFLICT DO NOTHING;

-- The teams the next review request proposes (those of this workspace,
-- sorted).
-- name: app_draft_teams
-- role: second_member
-- params: $1 text app id; $2 text[] team ids
-- returns: none
-- policy: apps UPDATE, teams SELECT
UPDATE second.apps SET draft_team_ids = ARRAY(SELECT t.id::text
        FROM second.teams t
       WHERE t.workspace_id = second.current_workspace_id()
         AND t.id = ANY ($2::text[])
       ORDER BY t.id), updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- The user ids were validated first.
-- name: app_add_collabs
-- role: second_member
-- params: $1 second.id app id; $2 text[] user ids
-- returns: none
-- policy: app_collaborators INSERT
INSERT INTO second.app_collaborators (workspace_id, app_id, user_id)
SELECT second.current_workspace_id(), $1, u
  FROM unnest($2::text[]) AS u
ON CONFLICT DO NOTHING;

-- All collaborators but the kept ones.
-- name: app_drop_collabs
-- role: second_member
-- params: $1 text app id; $2 text[] user ids to keep
-- returns: none
-- policy: app_collaborators DELETE
DELETE FROM second.app_collaborators
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1
   AND user_id <> ALL ($2::text[]);

-- A builder's edit of an app in review: the pending review becomes
-- superseded and the app a draft again, before the edit applies (same
-- transaction).
-- name: supersede
-- role: second_member
-- params: $1 text app id
-- returns: superseded
-- policy: review_requests UPDATE, apps UPDATE
WITH r AS (UPDATE second.review_requests
              SET status = 'superseded', decided_at = now()
            WHERE workspace_id = second.current_workspace_id()
              AND app_id = $1 AND status = 'pending'
           RETURNING 1)
UPDATE second.apps SET publish_status = 'draft', updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   AND publish_status = 'in_review'
RETURNING (SELECT count(*) FROM r) AS superseded;
