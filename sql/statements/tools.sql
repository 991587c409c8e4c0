-- tools.sql: what running an approved custom tool reads (second-api(7),
-- "Tool execution").  File format: scripts/stmtgen.awk.

-- The grant a tool names, by (domain, key slug), of the one app the call
-- is scoped to: grant identity is (workspace, app, domain, key slug), so
-- another app's grant or credential can never answer.
-- name: tool_grant
-- role: second_internal
-- params: $1 text domain; $2 text key slug
-- returns: {{grant}}
-- policy: integrations SELECT, integration_credentials SELECT,
--   integration_secrets SELECT, oauth_provider_configs SELECT
SELECT {{grant}}
  FROM {{grant_from}}
 WHERE g.workspace_id = second.current_workspace_id()
   AND g.app_id = second.current_app_id()
   AND g.domain = $1 AND g.key_slug = $2;

-- The sealed secrets of that grant's dedicated credential, configured
-- or not (the C code decides readiness from tool_grant's reasons).
-- name: tool_secrets
-- role: second_internal
-- params: $1 text domain; $2 text key slug
-- returns: credential_id, name, sealed
-- policy: integrations SELECT, integration_credentials SELECT,
--   integration_secrets SELECT
SELECT s.credential_id, s.name, s.sealed
  FROM second.integrations g
  JOIN second.integration_credentials c
    ON c.workspace_id = g.workspace_id AND c.integration_id = g.id
  JOIN second.integration_secrets s
    ON s.workspace_id = c.workspace_id AND s.credential_id = c.id
 WHERE g.workspace_id = second.current_workspace_id()
   AND g.app_id = second.current_app_id()
   AND g.domain = $1 AND g.key_slug = $2
 ORDER BY s.name;

-- An agent run of the app the call is scoped to (tool-execute's runId).
-- name: tool_run
-- role: second_internal
-- params: $1 text run id
-- returns: id, triggered_by_user_id, source_version
-- policy: agent_runs SELECT
SELECT r.id, r.triggered_by_user_id, r.source_version
  FROM second.agent_runs r
 WHERE r.workspace_id = second.current_workspace_id()
   AND r.app_id = second.current_app_id() AND r.id = $1;

-- The approved agents payload of a version of an app the caller sees:
-- the published one, or the draft's while its approval matches the draft
-- hash (the C code lets only builders name the draft).
-- name: app_tool_payload
-- role: second_member
-- params: $1 text app id; $2 bool the draft version
-- returns: payload
-- policy: apps SELECT
SELECT (CASE WHEN NOT $2::bool THEN a.published_agents
             WHEN a.approved_agents_hash = a.draft_agents_hash
             THEN a.draft_agents END)::text AS payload
  FROM second.apps a
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1;
