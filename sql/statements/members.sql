-- members.sql: a workspace's members.  File format: scripts/stmtgen.awk.

-- name: members
-- role: second_member
-- params: $1 text cursor (last user id) or NULL; $2 int rows to fetch
-- returns: id, display_name, email, role, team_ids
-- policy: workspace_memberships SELECT, users SELECT,
--   team_memberships SELECT
SELECT u.id, coalesce(u.display_name, '') AS display_name,
       coalesce(u.email, '') AS email, m.role,
       coalesce((SELECT string_agg(tm.team_id, ',' ORDER BY tm.team_id)
                   FROM second.team_memberships tm
                  WHERE tm.workspace_id = m.workspace_id
                    AND tm.user_id = m.user_id), '') AS team_ids
  FROM second.workspace_memberships m
  JOIN second.users u ON u.id = m.user_id
 WHERE m.workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR m.user_id > $1)
 ORDER BY m.user_id LIMIT $2::int;

-- Lock the owners and the target member, in user id order.
-- name: member_lock
-- role: second_member
-- params: $1 text target user id
-- returns: user_id, role
-- policy: workspace_memberships SELECT, workspace_memberships UPDATE
SELECT user_id, role FROM second.workspace_memberships
 WHERE workspace_id = second.current_workspace_id()
   AND (role = 'owner' OR user_id = $1)
 ORDER BY user_id FOR UPDATE;

-- name: member_set_role
-- role: second_member
-- params: $1 text user id; $2 text role
-- returns: none
-- policy: workspace_memberships UPDATE
UPDATE second.workspace_memberships SET role = $2,
       membership_version = membership_version + 1
 WHERE workspace_id = second.current_workspace_id()
   AND user_id = $1;

-- Team memberships cascade.
-- name: member_delete
-- role: second_member
-- params: $1 text user id
-- returns: none
-- policy: workspace_memberships DELETE
DELETE FROM second.workspace_memberships
 WHERE workspace_id = second.current_workspace_id()
   AND user_id = $1;

-- name: is_member
-- role: second_member
-- params: $1 text user id
-- returns: is_member
-- policy: workspace_memberships SELECT
SELECT 1 AS is_member FROM second.workspace_memberships
 WHERE workspace_id = second.current_workspace_id()
   AND user_id = $1;
