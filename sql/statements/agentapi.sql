-- agentapi.sql: what the agent worker writes through the internal API
-- (src/api/agentapi.c), as second_internal in the workspace and app its
-- call names.  File format: scripts/stmtgen.awk.

-- Insert the document, or merge the fields into it when it exists.
-- name: data_upsert
-- role: second_internal
-- params: $1 second.id app id; $2 text scope; $3 text collection; $4
--   second.id document id; $5 jsonb data
-- returns: inserted
-- policy: app_data SELECT, app_data INSERT, app_data UPDATE
INSERT INTO second.app_data (workspace_id, app_id, scope, collection,
    id, data)
VALUES (second.current_workspace_id(), $1, $2, $3, $4, $5::jsonb)
ON CONFLICT (workspace_id, app_id, scope, collection, id)
DO UPDATE SET data = second.app_data.data || EXCLUDED.data,
    updated_at = now()
RETURNING (xmax = 0) AS inserted;

-- Complete an agent run that is not terminal yet; no row: missing or
-- already terminal (the caller reads the run to tell them apart).
-- name: agent_run_complete
-- role: second_internal
-- params: $1 text app id; $2 text run id; $3 text status; $4 jsonb
--   result or NULL (kept); $5 text error or NULL; $6 jsonb usage or NULL
--   (kept)
-- returns: id
-- policy: agent_runs SELECT, agent_runs UPDATE
UPDATE second.agent_runs
   SET status = $3, result = coalesce($4::jsonb, result), error = $5,
       usage = coalesce($6::jsonb, usage), updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1
   AND id = $2 AND status NOT IN ('completed', 'failed')
RETURNING id;

-- Complete a builder run that is not terminal yet (as above).
-- name: builder_run_complete
-- role: second_internal
-- params: $1 text app id; $2 text run id; $3 text status; $4 jsonb
--   messages or NULL (kept); $5 jsonb usage or NULL (kept)
-- returns: id
-- policy: builder_runs SELECT, builder_runs UPDATE
UPDATE second.builder_runs
   SET status = $3, messages = coalesce($4::jsonb, messages),
       usage = coalesce($5::jsonb, usage), updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1
   AND id = $2 AND status NOT IN ('completed', 'failed')
RETURNING id;

-- A builder repair run for a failed tool of an agent run of this app,
-- on behalf of the user who triggered that run; no row: no such agent
-- run in this app.
-- name: repair_run_insert
-- role: second_internal
-- params: $1 second.id run id; $2 text app id; $3 text agent run id; $4
--   jsonb messages (an array)
-- returns: id
-- policy: agent_runs SELECT, builder_runs INSERT
INSERT INTO second.builder_runs (workspace_id, id, app_id, messages,
    created_by_user_id, run_reason)
SELECT r.workspace_id, $1, r.app_id, $4::jsonb, r.triggered_by_user_id,
       'app_tool_failure'
  FROM second.agent_runs r
 WHERE r.workspace_id = second.current_workspace_id() AND r.app_id = $2
   AND r.id = $3
RETURNING id;
