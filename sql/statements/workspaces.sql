-- workspaces.sql: the caller's workspaces, logout, creating and renaming a
-- workspace.  File format: scripts/stmtgen.awk.

-- A membership as the workspace list reports it.
-- fragment: workspace
-- returns: id, slug, name, role
w.id, w.slug, w.name, m.role

-- name: my_workspaces
-- role: second_member
-- params: none
-- returns: {{workspace}}
-- policy: workspace_memberships SELECT, workspaces SELECT
SELECT {{workspace}}
  FROM second.workspace_memberships m
  JOIN second.workspaces w ON w.id = m.workspace_id
 WHERE m.user_id = second.current_user_id()
 ORDER BY m.created_at, w.id;

-- name: ws_page
-- role: second_member
-- params: $1 text cursor (last workspace id) or NULL; $2 int rows to fetch
-- returns: {{workspace}}
-- policy: workspace_memberships SELECT, workspaces SELECT
SELECT {{workspace}}
  FROM second.workspace_memberships m
  JOIN second.workspaces w ON w.id = m.workspace_id
 WHERE m.user_id = second.current_user_id()
   AND ($1::text IS NULL OR w.id > $1)
 ORDER BY w.id LIMIT $2::int;

-- Bump session_version: every cookie issued before is void.
-- name: logout
-- role: second_member
-- params: none
-- returns: none
-- policy: users UPDATE
UPDATE second.users SET session_version = session_version + 1
 WHERE id = second.current_user_id();

-- The workspace, the caller as its owner, and its General team.
-- name: ws_create
-- role: second_member
-- params: $1 text workspace id; $2 text slug; $3 text name; $4 text
--   General team id
-- returns: create_workspace
-- policy: definer second.create_workspace
SELECT second.create_workspace($1, $2, $3, $4);

-- name: ws_rename
-- role: second_member
-- params: $1 text name
-- returns: none
-- policy: workspaces UPDATE
UPDATE second.workspaces SET name = $1
 WHERE id = second.current_workspace_id();
