-- integrations.sql: integration grants, their dedicated credentials and
-- sealed secrets (second-api(7), "Integrations").  File format:
-- scripts/stmtgen.awk.  Never a sealed byte is returned to a member: the
-- grant row carries secret names only.

-- A grant as every route answers it: the grant, its credential (NULL
-- columns when none is bound), the names of the configured secrets, and
-- why it needs setup (second-api(7), "Setup reasons"; [] when ready):
-- written here once for every reader (member and internal routes, tool
-- execution, the publishing gate).  An oauth2 grant is ready when the
-- workspace's provider config for its providerKey is configured and has
-- the grant's URLs and token auth method (a later sync that names other
-- URLs waits for an admin's PATCH).  FROM: {{grant_from}}.
-- fragment: grant
-- returns: id, app_id, name, domain, key_slug, key_name, capability_label,
--   auth, access_level, permission_groups, secret_requirements,
--   setup_instructions, credential_id, configured, secret_names,
--   setup_reasons
g.id, g.app_id, g.name, g.domain, g.key_slug, g.key_name, g.capability_label,
g.auth::text AS auth, g.access_level, g.permission_groups::text AS permission_groups,
g.secret_requirements::text AS secret_requirements,
coalesce(g.setup_instructions::text, 'null') AS setup_instructions,
c.id AS credential_id, coalesce(c.configured, false) AS configured,
coalesce((SELECT json_agg(s.name ORDER BY s.name)
            FROM second.integration_secrets s
           WHERE s.workspace_id = c.workspace_id AND s.credential_id = c.id),
         '[]')::text AS secret_names,
coalesce((SELECT json_agg(x.reason ORDER BY x.o, x.n) FROM (
    SELECT 1 AS o, 0::bigint AS n, 'oauth_provider_missing' AS reason
     WHERE g.auth->>'type' = 'oauth2'
       AND NOT EXISTS (SELECT 1 FROM second.oauth_provider_configs p
                        WHERE p.workspace_id = g.workspace_id
                          AND p.provider_key = g.auth->>'providerKey')
    UNION ALL
    SELECT 1, 1, 'oauth_provider_not_configured'
      FROM second.oauth_provider_configs p
     WHERE g.auth->>'type' = 'oauth2' AND p.workspace_id = g.workspace_id
       AND p.provider_key = g.auth->>'providerKey' AND NOT p.configured
    UNION ALL
    SELECT 1, 2, 'oauth_provider_urls_changed'
      FROM second.oauth_provider_configs p
     WHERE g.auth->>'type' = 'oauth2' AND p.workspace_id = g.workspace_id
       AND p.provider_key = g.auth->>'providerKey'
       AND (p.authorization_url, p.token_url, p.token_auth_method)
           IS DISTINCT FROM (g.auth->>'authorizationUrl', g.auth->>'tokenUrl',
                             g.auth->>'tokenAuthMethod')
    UNION ALL
    SELECT 2, 0, 'no_credential'
     WHERE g.auth->>'type' = 'static_secret' AND c.id IS NULL
    UNION ALL
    SELECT 3, 0, 'credential_unconfigured'
     WHERE g.auth->>'type' = 'static_secret' AND NOT c.configured
    UNION ALL
    SELECT 4, r.n, 'missing_secret:' || (r.v->>'name')
      FROM jsonb_array_elements(g.secret_requirements) WITH ORDINALITY AS r(v, n)
     WHERE (r.v->>'required')::boolean
       AND NOT EXISTS (SELECT 1 FROM second.integration_secrets s
                        WHERE s.workspace_id = c.workspace_id
                          AND s.credential_id = c.id
                          AND s.name = r.v->>'name')
    UNION ALL
    SELECT 5, p.n, 'missing_permission_group:' || (p.v->>'name')
      FROM jsonb_array_elements(g.permission_groups) WITH ORDINALITY AS p(v, n)
     WHERE NOT coalesce(c.configured_permission_groups, '[]'::jsonb) ? (p.v->>'name')
    ) x), '[]')::text AS setup_reasons

-- fragment: grant_from
second.integrations g
LEFT JOIN second.integration_credentials c
       ON c.workspace_id = g.workspace_id AND c.integration_id = g.id

-- The grants of the apps visible to the caller, grouped by app.
-- name: integ_list
-- role: second_member
-- params: none
-- returns: {{grant}}, app_name
-- policy: integrations SELECT, apps SELECT, integration_credentials
--   SELECT, integration_secrets SELECT, oauth_provider_configs SELECT
SELECT {{grant}}, a.name AS app_name
  FROM {{grant_from}}
  JOIN second.apps a ON a.workspace_id = g.workspace_id AND a.id = g.app_id
 WHERE g.workspace_id = second.current_workspace_id()
 ORDER BY a.name, a.id, g.domain, g.key_slug;

-- One grant of an app visible to the caller.
-- name: integ_get
-- role: second_member
-- params: $1 text grant id
-- returns: {{grant}}
-- policy: integrations SELECT, integration_credentials SELECT,
--   integration_secrets SELECT, oauth_provider_configs SELECT
SELECT {{grant}}
  FROM {{grant_from}}
 WHERE g.workspace_id = second.current_workspace_id() AND g.id = $1;

-- Bind a dedicated credential to the grant unless it has one (a concurrent
-- request may have: the first wins), then read its id.
-- name: integ_cred_ensure
-- role: second_member
-- params: $1 second.id new credential id; $2 second.id grant id
-- returns: none
-- policy: integration_credentials INSERT
INSERT INTO second.integration_credentials (workspace_id, id, integration_id)
VALUES (second.current_workspace_id(), $1, $2)
ON CONFLICT (workspace_id, integration_id) DO NOTHING;

-- name: integ_cred_id
-- role: second_member
-- params: $1 text grant id
-- returns: id
-- policy: integration_credentials SELECT
SELECT c.id FROM second.integration_credentials c
 WHERE c.workspace_id = second.current_workspace_id()
   AND c.integration_id = $1;

-- name: integ_secret_del
-- role: second_member
-- params: $1 text credential id; $2 text secret name
-- returns: none
-- policy: integration_secrets DELETE
DELETE FROM second.integration_secrets
 WHERE workspace_id = second.current_workspace_id()
   AND credential_id = $1 AND name = $2;

-- $3 is the sealed value in bytea's text form ("\x" and hex).
-- name: integ_secret_put
-- role: second_member
-- params: $1 second.id credential id; $2 text secret name; $3 bytea sealed
-- returns: none
-- policy: integration_secrets INSERT
INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed)
VALUES (second.current_workspace_id(), $1, $2, $3);

-- After the secrets of a PATCH: configured when every required secret is
-- there; the permission groups when given ($2 NULL keeps them).
-- name: integ_cred_update
-- role: second_member
-- params: $1 text credential id; $2 jsonb permission group names or NULL
-- returns: none
-- policy: integration_credentials UPDATE,
--   integrations SELECT, integration_secrets SELECT
UPDATE second.integration_credentials c
   SET configured_permission_groups = coalesce($2::jsonb, c.configured_permission_groups),
       configured = NOT EXISTS (
           SELECT 1
             FROM second.integrations g,
                  jsonb_array_elements(g.secret_requirements) AS r(v)
            WHERE g.workspace_id = c.workspace_id AND g.id = c.integration_id
              AND (r.v->>'required')::boolean
              AND NOT EXISTS (SELECT 1 FROM second.integration_secrets s
                               WHERE s.workspace_id = c.workspace_id
                                 AND s.credential_id = c.id
                                 AND s.name = r.v->>'name')),
       updated_at = now()
 WHERE c.workspace_id = second.current_workspace_id() AND c.id = $1;

-- Reset: forget the credential and its secrets (cascade).
-- name: integ_cred_delete
-- role: second_member
-- params: $1 text grant id
-- returns: none
-- policy: integration_credentials DELETE
DELETE FROM second.integration_credentials
 WHERE workspace_id = second.current_workspace_id() AND integration_id = $1;

-- The grant, its credential and secrets (cascade).
-- name: integ_delete
-- role: second_member
-- params: $1 text grant id
-- returns: none
-- policy: integrations DELETE
DELETE FROM second.integrations
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- Run by the authenticator itself, outside any request transaction, when
-- SECOND_SECRETS_KEY is unset.
-- name: sealing_key
-- role: second_authenticator
-- params: $1 text candidate key (hex)
-- returns: key
-- policy: definer second.sealing_key_ensure
SELECT encode(key, 'hex') AS key
  FROM second.sealing_key_ensure(decode($1, 'hex'));

-- The internal API (second_internal, scoped to one workspace and app).

-- The grants of the app the call names.
-- name: integ_app_grants
-- role: second_internal
-- params: none
-- returns: {{grant}}
-- policy: integrations SELECT, integration_credentials SELECT,
--   integration_secrets SELECT, oauth_provider_configs SELECT
SELECT {{grant}}
  FROM {{grant_from}}
 WHERE g.workspace_id = second.current_workspace_id()
   AND g.app_id = second.current_app_id()
 ORDER BY g.domain, g.key_slug;

-- Setup sync: one grant of the app, by (domain, key_slug).  inserted: new.
-- name: integ_upsert
-- role: second_internal
-- params: $1 second.id new grant id; $2 text name; $3 text domain; $4 text
--   key slug; $5 text key name; $6 text capability label; $7 text why; $8
--   jsonb auth; $9 text access level; $10 jsonb permission groups; $11
--   jsonb secret requirements; $12 jsonb setup instructions or NULL
-- returns: id, inserted
-- policy: integrations INSERT, integrations UPDATE
INSERT INTO second.integrations AS g (workspace_id, id, app_id, name, domain,
    key_slug, key_name, capability_label, why, auth, access_level,
    permission_groups, secret_requirements, setup_instructions)
VALUES (second.current_workspace_id(), $1, second.current_app_id(), $2, $3,
    $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11::jsonb, $12::jsonb)
ON CONFLICT (workspace_id, app_id, domain, key_slug) DO UPDATE
   SET name = EXCLUDED.name, key_name = EXCLUDED.key_name,
       capability_label = EXCLUDED.capability_label, why = EXCLUDED.why,
       auth = EXCLUDED.auth, access_level = EXCLUDED.access_level,
       permission_groups = EXCLUDED.permission_groups,
       secret_requirements = EXCLUDED.secret_requirements,
       setup_instructions = EXCLUDED.setup_instructions, updated_at = now()
RETURNING g.id, (g.xmax = 0) AS inserted;

-- Setup sync: remove the app's grants the sync no longer lists (their
-- credentials and secrets cascade).
-- name: integ_prune
-- role: second_internal
-- params: $1 jsonb [[domain, key slug], ...] listed
-- returns: id
-- policy: integrations DELETE
DELETE FROM second.integrations g
 WHERE g.workspace_id = second.current_workspace_id()
   AND g.app_id = second.current_app_id()
   AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements($1::jsonb) k(v)
                    WHERE k.v->>0 = g.domain AND k.v->>1 = g.key_slug)
RETURNING g.id;

-- Setup sync, after the grant upserts (the insert policy wants the app's
-- oauth2 grant for the key): the workspace's provider config for an
-- oauth2 entry's providerKey, unconfigured, unless one exists (whose URLs
-- an admin accepted: a sync never changes them; the grant's setup
-- reasons say when they differ).
-- name: oauthcfg_ensure
-- role: second_internal
-- params: $1 second.id new config id; $2 text provider key; $3 text
--   display name; $4 text authorization URL; $5 text token URL; $6 text
--   token auth method
-- returns: none
-- policy: oauth_provider_configs INSERT
INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key,
    display_name, authorization_url, token_url, token_auth_method)
VALUES (second.current_workspace_id(), $1, $2, $3, $4, $5, $6)
ON CONFLICT (workspace_id, provider_key) DO NOTHING;
