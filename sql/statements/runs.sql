-- runs.sql: builder runs and agent runs.  File format:
-- scripts/stmtgen.awk.

-- A builder run as the run routes report it.
-- fragment: run
-- returns: id, status, messages, usage, created_by_user_id, created_at,
--   run_reason
r.id, r.status, r.messages::text AS messages,
coalesce(r.usage::text, 'null') AS usage, r.created_by_user_id,
floor(date_part('epoch', r.created_at))::int8 AS created_at, r.run_reason

-- An app's builder runs.
-- name: runs_list
-- role: second_member
-- params: $1 text app id; $2 text cursor (last run id) or NULL; $3 int
--   rows to fetch
-- returns: {{run}}
-- policy: builder_runs SELECT
SELECT {{run}}
  FROM second.builder_runs r
 WHERE r.workspace_id = second.current_workspace_id()
   AND r.app_id = $1 AND ($2::text IS NULL OR r.id > $2)
 ORDER BY r.id LIMIT $3::int;

-- The run of this app only.
-- name: run_get
-- role: second_member second_internal
-- params: $1 text app id; $2 text run id
-- returns: {{run}}
-- policy: builder_runs SELECT
SELECT {{run}}
  FROM second.builder_runs r
 WHERE r.workspace_id = second.current_workspace_id()
   AND r.app_id = $1 AND r.id = $2;

-- name: run_insert
-- role: second_member
-- params: $1 second.id run id; $2 second.id app id; $3 jsonb messages
--   (an array)
-- returns: none
-- policy: builder_runs INSERT
INSERT INTO second.builder_runs (workspace_id, id, app_id, messages,
    created_by_user_id)
VALUES (second.current_workspace_id(), $1, $2, $3::jsonb,
    second.current_user_id());

-- The triggering user is the context's, never a parameter.
-- name: agent_run_insert
-- role: second_member
-- params: $1 second.id run id; $2 second.id app id; $3 text agent id;
--   $4 text source version; $5 text prompt
-- returns: none
-- policy: agent_runs INSERT
INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id,
    triggered_by_user_id, source_version, prompt)
VALUES (second.current_workspace_id(), $1, $2, $3,
    second.current_user_id(), $4, $5);

-- name: agent_run_get
-- role: second_member second_internal
-- params: $1 text app id; $2 text run id
-- returns: id, agent_id, triggered_by_user_id, source_version, prompt,
--   status, result, usage, created_at, error
-- policy: agent_runs SELECT
SELECT r.id, r.agent_id, r.triggered_by_user_id, r.source_version,
       r.prompt, r.status, coalesce(r.result::text, 'null') AS result,
       coalesce(r.usage::text, 'null') AS usage,
       floor(date_part('epoch', r.created_at))::int8 AS created_at,
       r.error
  FROM second.agent_runs r
 WHERE r.workspace_id = second.current_workspace_id()
   AND r.app_id = $1 AND r.id = $2;
