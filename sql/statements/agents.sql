-- agents.sql: an app's agents payload (agents.json) and its approvals.
-- File format: scripts/stmtgen.awk.

-- The draft and published agents payloads.
-- name: app_agents
-- role: second_member
-- params: $1 text app id
-- returns: draft_agents, published_agents
-- policy: apps SELECT
SELECT a.draft_agents::text AS draft_agents,
       a.published_agents::text AS published_agents
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1;

-- A new draft payload: an approval survives only an unchanged hash.
-- name: app_set_draft_agents
-- role: second_member
-- params: $1 text app id; $2 jsonb normalized payload or NULL; $3 text
--   its hash or NULL
-- returns: none
-- policy: apps UPDATE
UPDATE second.apps SET draft_agents = $2::jsonb, draft_agents_hash = $3,
       approved_agents_hash = CASE WHEN approved_agents_hash
           IS NOT DISTINCT FROM $3 THEN approved_agents_hash END,
       updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- Record an approval of the current hash.
-- name: app_approve_agents
-- role: second_member
-- params: $1 text app id; $2 text hash; $3 second.id approval id
-- returns: id
-- policy: apps UPDATE, agent_config_approvals INSERT
WITH a AS (UPDATE second.apps SET approved_agents_hash = $2,
                  updated_at = now()
            WHERE workspace_id = second.current_workspace_id() AND id = $1
              AND draft_agents_hash = $2
           RETURNING draft_agents)
INSERT INTO second.agent_config_approvals (workspace_id, id, app_id,
    hash, payload, approved_by_user_id)
SELECT second.current_workspace_id(), $3, $1, $2, a.draft_agents,
       second.current_user_id()
  FROM a
RETURNING id;
