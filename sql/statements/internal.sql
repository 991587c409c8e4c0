-- internal.sql: what every internal call (the agent worker) reads first.
-- File format: scripts/stmtgen.awk.

-- The app an internal call names, with the approved agents payload of
-- the version it names: the published payload (promoted with its
-- approval), or the draft's only while the draft approval matches the
-- draft hash.  payload NULL: that version grants nothing.  No row: not
-- an app of the context workspace and app (404).
-- name: internal_app
-- role: second_internal
-- params: $1 text app id; $2 bool the draft version
-- returns: id, name, payload, payload_hash
-- policy: apps SELECT
SELECT a.id, a.name,
       (CASE WHEN NOT $2::bool THEN a.published_agents
             WHEN a.approved_agents_hash = a.draft_agents_hash
             THEN a.draft_agents END)::text AS payload,
       CASE WHEN NOT $2::bool THEN a.published_agents_hash
            WHEN a.approved_agents_hash = a.draft_agents_hash
            THEN a.draft_agents_hash END AS payload_hash
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1;
