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

-- The provider config of an OAuth tool, by provider key, of the workspace
-- the call is scoped to; second_internal sees it only when a grant of the
-- app is oauth2 for that key (86_policies_oauth.sql).  The sealed client
-- secret is for a refresh only.
-- name: tool_oauth_config
-- role: second_internal
-- params: $1 text provider key
-- returns: id, authorization_url, token_url, token_auth_method, client_id,
--   client_secret, configured
-- policy: oauth_provider_configs SELECT, integrations SELECT
SELECT p.id, p.authorization_url, p.token_url, p.token_auth_method,
       p.client_id, p.client_secret, p.configured
  FROM second.oauth_provider_configs p
 WHERE p.workspace_id = second.current_workspace_id()
   AND p.provider_key = $1;

-- A connected account as a call reads it, with whether its access token
-- must be refreshed first (none, or expiring within 60 seconds).
-- fragment: oauth_account
-- returns: id, granted_scopes, access_token, refresh_token, revoked,
--   refresh_needed
a.id, a.granted_scopes::text AS granted_scopes, a.access_token,
a.refresh_token, a.revoked_at IS NOT NULL AS revoked,
(a.access_token IS NULL
 OR coalesce(a.access_expires_at < now() + interval '60 seconds',
             false)) AS refresh_needed

-- The connected account of the user the call is made for (the
-- transaction's user: the run's triggering user or the app viewer) for
-- the workspace's provider config of that provider key.  Never another
-- user's, workspace's or config's account.
-- name: tool_oauth_account
-- role: second_internal
-- params: $1 text provider key
-- returns: {{oauth_account}}
-- policy: connected_accounts SELECT, oauth_provider_configs SELECT,
--   integrations SELECT
SELECT {{oauth_account}}
  FROM second.connected_accounts a
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.provider_config_id = (SELECT p.id
         FROM second.oauth_provider_configs p
        WHERE p.workspace_id = second.current_workspace_id()
          AND p.provider_key = $1);

-- The refresh's lock wait: a worker waits at most oauth_refresh_lock_timeout
-- (second.conf(5), default 35 s: longer than the egress timeout a holder
-- may spend on the token endpoint) for another worker's refresh of the
-- same account, then fails instead of hanging.  Transaction-local.
-- name: tool_oauth_lock_timeout
-- role: second_internal
-- params: $1 text the timeout, "Ns"
-- returns: lock_timeout
-- policy: none (a transaction-local setting)
SELECT set_config('lock_timeout', $1, true) AS lock_timeout;

-- The same account, row-locked: one refresh at a time per account across
-- every worker.  Read again under the lock, since another worker may
-- have refreshed it while this one waited.
-- name: tool_oauth_account_lock
-- role: second_internal
-- params: $1 text account id
-- returns: {{oauth_account}}
-- policy: connected_accounts SELECT, connected_accounts UPDATE,
--   oauth_provider_configs SELECT, integrations SELECT
SELECT {{oauth_account}}
  FROM second.connected_accounts a
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.id = $1
   FOR UPDATE OF a;

-- Store a refresh's answer: the new sealed access token and its expiry
-- (NULL: the provider said none), the rotated refresh token when the
-- provider sent one (NULL keeps the old), the granted scopes when it said
-- them (NULL keeps them).
-- name: tool_oauth_refreshed
-- role: second_internal
-- params: $1 text account id; $2 bytea sealed access token; $3 int4
--   seconds to expiry or NULL; $4 bytea sealed refresh token or NULL; $5
--   jsonb granted scopes or NULL
-- returns: none
-- policy: connected_accounts SELECT, connected_accounts UPDATE,
--   oauth_provider_configs SELECT, integrations SELECT
UPDATE second.connected_accounts a
   SET access_token = $2,
       access_expires_at = CASE WHEN $3::int4 IS NULL THEN NULL
           ELSE now() + make_interval(secs => $3::int4) END,
       refresh_token = coalesce($4, a.refresh_token),
       granted_scopes = coalesce($5::jsonb, a.granted_scopes),
       refreshed_at = now(), updated_at = now()
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.id = $1;

-- A refresh the provider rejected (the refresh token revoked or rotated
-- away): the account is marked revoked, so its user reconnects.
-- name: tool_oauth_revoked
-- role: second_internal
-- params: $1 text account id
-- returns: none
-- policy: connected_accounts SELECT, connected_accounts UPDATE,
--   oauth_provider_configs SELECT, integrations SELECT
UPDATE second.connected_accounts a
   SET revoked_at = now(), updated_at = now()
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.id = $1;
