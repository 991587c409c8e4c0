-- oauthcfg.sql: a workspace's OAuth provider configs (second-api(7),
-- "OAuth provider configs").  File format: scripts/stmtgen.awk.  No
-- statement of a member reads the sealed client secret (members have no
-- SELECT on the column); a PATCH writes it in a statement of its own.
-- The setup sync creates configs (oauthcfg_ensure, integrations.sql).

-- A config as the routes answer it: never the secret, nor whether one
-- is stored (configured says whether the client is complete).
-- fragment: oauthcfg
-- returns: id, provider_key, display_name, authorization_url, token_url,
--   token_auth_method, client_id, configured
p.id, p.provider_key, p.display_name, p.authorization_url, p.token_url,
p.token_auth_method, p.client_id, p.configured

-- name: oauthcfg_list
-- role: second_member
-- params: none
-- returns: {{oauthcfg}}
-- policy: oauth_provider_configs SELECT
SELECT {{oauthcfg}}
  FROM second.oauth_provider_configs p
 WHERE p.workspace_id = second.current_workspace_id()
 ORDER BY p.provider_key;

-- The config a PATCH changes, locked until the request commits so the
-- changed fields it audits are the ones it wrote.
-- name: oauthcfg_lock
-- role: second_member
-- params: $1 text config id
-- returns: {{oauthcfg}}
-- policy: oauth_provider_configs SELECT, oauth_provider_configs UPDATE
SELECT {{oauthcfg}}
  FROM second.oauth_provider_configs p
 WHERE p.workspace_id = second.current_workspace_id() AND p.id = $1
   FOR UPDATE;

-- The non-secret fields of a PATCH: NULL keeps a field, but for the
-- client id, which $6 says to write ($7 NULL clears it).
-- name: oauthcfg_update
-- role: second_member
-- params: $1 text config id; $2 text display name or NULL; $3 text
--   authorization URL or NULL; $4 text token URL or NULL; $5 text token
--   auth method or NULL; $6 boolean write the client id; $7 text client id
--   or NULL
-- returns: none
-- policy: oauth_provider_configs UPDATE
UPDATE second.oauth_provider_configs p
   SET display_name = coalesce($2, p.display_name),
       authorization_url = coalesce($3, p.authorization_url),
       token_url = coalesce($4, p.token_url),
       token_auth_method = coalesce($5, p.token_auth_method),
       client_id = CASE WHEN $6 THEN $7 ELSE p.client_id END,
       updated_at = now()
 WHERE p.workspace_id = second.current_workspace_id() AND p.id = $1;

-- The sealed client secret ("\x" and hex), or NULL to forget it.
-- name: oauthcfg_secret
-- role: second_member
-- params: $1 text config id; $2 bytea sealed client secret or NULL
-- returns: none
-- policy: oauth_provider_configs UPDATE
UPDATE second.oauth_provider_configs p
   SET client_secret = $2, updated_at = now()
 WHERE p.workspace_id = second.current_workspace_id() AND p.id = $1;

-- name: oauthcfg_get
-- role: second_member
-- params: $1 text config id
-- returns: {{oauthcfg}}
-- policy: oauth_provider_configs SELECT
SELECT {{oauthcfg}}
  FROM second.oauth_provider_configs p
 WHERE p.workspace_id = second.current_workspace_id() AND p.id = $1;
