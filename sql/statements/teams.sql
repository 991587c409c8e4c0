-- teams.sql: a workspace's teams and their members.  File format:
-- scripts/stmtgen.awk.

-- name: teams
-- role: second_member
-- params: $1 text cursor (last team id) or NULL; $2 int rows to fetch
-- returns: id, name, is_default, member_ids
-- policy: teams SELECT, team_memberships SELECT
SELECT t.id, t.name, t.is_default,
       coalesce((SELECT string_agg(tm.user_id, ',' ORDER BY tm.user_id)
                   FROM second.team_memberships tm
                  WHERE tm.workspace_id = t.workspace_id
                    AND tm.team_id = t.id), '') AS member_ids
  FROM second.teams t
 WHERE t.workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR t.id > $1)
 ORDER BY t.id LIMIT $2::int;

-- Lock one team.
-- name: team_get
-- role: second_member
-- params: $1 text team id
-- returns: id, name, is_default
-- policy: teams SELECT, teams UPDATE
SELECT id, name, is_default FROM second.teams
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   FOR UPDATE;

-- name: team_insert
-- role: second_member
-- params: $1 second.id team id; $2 text name
-- returns: none
-- policy: teams INSERT
INSERT INTO second.teams (workspace_id, id, name)
VALUES (second.current_workspace_id(), $1, $2);

-- name: team_rename
-- role: second_member
-- params: $1 text team id; $2 text name
-- returns: none
-- policy: teams UPDATE
UPDATE second.teams SET name = $2
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   AND NOT is_default;

-- Its memberships cascade.
-- name: team_delete
-- role: second_member
-- params: $1 text team id
-- returns: none
-- policy: teams DELETE
DELETE FROM second.teams
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   AND NOT is_default;

-- name: team_member_add
-- role: second_member
-- params: $1 second.id team id; $2 second.id user id
-- returns: none
-- policy: team_memberships INSERT
INSERT INTO second.team_memberships (workspace_id, team_id, user_id)
VALUES (second.current_workspace_id(), $1, $2)
ON CONFLICT DO NOTHING;

-- name: team_member_del
-- role: second_member
-- params: $1 text team id; $2 text user id
-- returns: none
-- policy: team_memberships DELETE
DELETE FROM second.team_memberships
 WHERE workspace_id = second.current_workspace_id()
   AND team_id = $1 AND user_id = $2;
