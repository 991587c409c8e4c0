-- oauthconn.sql: the OAuth connect flow and a member's connected accounts
-- (second-api(7), "OAuth").  File format: scripts/stmtgen.awk.  Never a
-- sealed byte, a state or a verifier is returned to a member: states are
-- stored as their SHA-256 and read back only by second.oauth_state_take().

-- The scopes of the oauth2 grants of p's provider key that the caller
-- sees (the apps' visibility decides), one row (e.v) each.
-- fragment: oauth_scope_rows
SELECT DISTINCT e.v
  FROM second.integrations g,
       jsonb_array_elements_text(CASE
           WHEN jsonb_typeof(g.auth->'scopes') = 'array'
           THEN g.auth->'scopes' ELSE '[]' END) AS e(v)
 WHERE g.workspace_id = p.workspace_id
   AND g.auth->>'type' = 'oauth2'
   AND g.auth->>'providerKey' = p.provider_key

-- Start: the provider config the path names, with what the authorization
-- request needs: the scopes of the oauth2 grants of its provider key that
-- the caller sees (the apps' visibility decides), deduplicated and sorted
-- (as a JSON array and space-separated), and their authorizationParams
-- merged (for a name given twice, the first grant's by id wins; the
-- names the flow sets itself are the C code's to skip).
-- name: oauth_start_config
-- role: second_member
-- params: $1 text provider config id
-- returns: id, provider_key, authorization_url, token_url, client_id,
--   configured, scopes, scope, params
-- policy: oauth_provider_configs SELECT, integrations SELECT
SELECT p.id, p.provider_key, p.authorization_url, p.token_url, p.client_id,
       p.configured,
       coalesce((SELECT jsonb_agg(s.v ORDER BY s.v) FROM (
           {{oauth_scope_rows}}) s), '[]')::text AS scopes,
       coalesce((SELECT string_agg(s.v, ' ' ORDER BY s.v) FROM (
           {{oauth_scope_rows}}) s), '') AS scope,
       coalesce((SELECT jsonb_object_agg(k.key, k.value) FROM (
           SELECT DISTINCT ON (e.key) e.key, e.value
             FROM second.integrations g,
                  jsonb_each_text(CASE
                      WHEN jsonb_typeof(g.auth->'authorizationParams') = 'object'
                      THEN g.auth->'authorizationParams' ELSE '{}' END) AS e
            WHERE g.workspace_id = p.workspace_id
              AND g.auth->>'type' = 'oauth2'
              AND g.auth->>'providerKey' = p.provider_key
            ORDER BY e.key, g.id) k), '{}')::text AS params
  FROM second.oauth_provider_configs p
 WHERE p.workspace_id = second.current_workspace_id() AND p.id = $1;

-- Start: one pending connect of the caller, stored as the SHA-256 of the
-- state ($1: bytea's text form), valid ten minutes (the column default).
-- name: oauth_state_put
-- role: second_member
-- params: $1 bytea state hash; $2 second.id provider config id; $3 text
--   PKCE code verifier; $4 jsonb requested scopes
-- returns: none
-- policy: oauth_states INSERT
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id,
    provider_config_id, code_verifier, scopes)
VALUES (second.current_workspace_id(), $1, second.current_user_id(), $2, $3,
    $4::jsonb);

-- Callback: take (delete and return) the caller's state, with its
-- provider config, in a transaction that names no workspace.
-- name: oauth_state_take
-- role: second_member
-- params: $1 bytea state hash
-- returns: workspace_id, provider_config_id, code_verifier, scopes,
--   expired, provider_key, token_url, token_auth_method, client_id,
--   client_secret
-- policy: definer second.oauth_state_take
SELECT t.workspace_id, t.provider_config_id, t.code_verifier,
       t.scopes::text AS scopes, t.expired, t.provider_key, t.token_url,
       t.token_auth_method, t.client_id, t.client_secret
  FROM second.oauth_state_take($1) AS t;

-- Callback: the caller's account for the config, if connected before
-- (its id is in the associated data of the tokens sealed for it).
-- name: oauth_account_find
-- role: second_member
-- params: $1 text provider config id
-- returns: id
-- policy: connected_accounts SELECT
SELECT a.id FROM second.connected_accounts a
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.provider_config_id = $1;

-- Callback: store the caller's tokens (sealed, bytea's text form); a
-- reconnect replaces the tokens and scopes and clears a revocation.  The
-- update repeats the parameters rather than reading EXCLUDED: a member
-- may not SELECT the sealed columns, and EXCLUDED.x needs that.
-- name: oauth_account_put
-- role: second_member
-- params: $1 second.id account id; $2 second.id provider config id; $3
--   jsonb granted scopes; $4 bytea sealed access token; $5 bytea sealed
--   refresh token or NULL; $6 int8 seconds the access token lives or NULL
-- returns: none
-- policy: connected_accounts INSERT, connected_accounts UPDATE
INSERT INTO second.connected_accounts (workspace_id, id, user_id,
    provider_config_id, granted_scopes, access_token, refresh_token,
    access_expires_at)
VALUES (second.current_workspace_id(), $1, second.current_user_id(), $2,
    $3::jsonb, $4, $5, now() + make_interval(secs => $6::int8))
ON CONFLICT (workspace_id, user_id, provider_config_id) DO UPDATE
   SET granted_scopes = $3::jsonb, access_token = $4, refresh_token = $5,
       access_expires_at = now() + make_interval(secs => $6::int8),
       revoked_at = NULL, updated_at = now();

-- The caller's own accounts in the workspace, never a token.
-- name: oauth_accounts
-- role: second_member
-- params: none
-- returns: id, provider_config_id, provider_key, account_email,
--   granted_scopes, revoked_at, access_expires_at
-- policy: connected_accounts SELECT, oauth_provider_configs SELECT
SELECT a.id, a.provider_config_id, p.provider_key, a.account_email,
       a.granted_scopes::text AS granted_scopes,
       floor(date_part('epoch', a.revoked_at))::int8 AS revoked_at,
       floor(date_part('epoch', a.access_expires_at))::int8 AS access_expires_at
  FROM second.connected_accounts a
  JOIN second.oauth_provider_configs p
    ON p.workspace_id = a.workspace_id AND p.id = a.provider_config_id
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
 ORDER BY p.provider_key, a.id;

-- Delete (revoke) one of the caller's accounts: its tokens are gone.  No
-- row: unknown, or another user's (the policy hides it).
-- name: oauth_account_delete
-- role: second_member
-- params: $1 text account id
-- returns: provider_config_id, provider_key
-- policy: connected_accounts DELETE, connected_accounts SELECT,
--   oauth_provider_configs SELECT
DELETE FROM second.connected_accounts a
 USING second.oauth_provider_configs p
 WHERE a.workspace_id = second.current_workspace_id()
   AND a.user_id = second.current_user_id()
   AND a.id = $1
   AND p.workspace_id = a.workspace_id AND p.id = a.provider_config_id
RETURNING a.provider_config_id, p.provider_key;
