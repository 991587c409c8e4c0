-- The grant matrix: exactly which privileges each role holds on each table
-- and function of schema second.  A new table or function must be added
-- here (tables_are and functions_are pin the lists).
BEGIN;
\ir fixtures.psql
SELECT plan(1 + 26 * 5 + 1 + 26 * 5 + 26 + 1 + 5 * 2 + 6);

SELECT tables_are('second', ARRAY['schema_migrations', 'schema_repeatable', 'users', 'workspaces',
    'workspace_memberships', 'teams', 'team_memberships', 'invitations',
    'audit_events', 'session_keys', 'apps', 'app_collaborators', 'app_teams',
    'app_source_snapshots', 'review_requests', 'agent_config_approvals', 'builder_runs',
    'agent_runs', 'app_data', 'integrations', 'integration_credentials',
    'integration_secrets', 'sealing_keys', 'oauth_provider_configs', 'connected_accounts',
    'oauth_states'], 'the tables of schema second');

SELECT table_privs_are('second', t, r, p, format('%s on second.%s: {%s}', r, t, array_to_string(p, ',')))
  FROM (VALUES
    ('schema_migrations', 'second_anon', '{}'::text[]),
    ('schema_migrations', 'second_member', '{}'),
    ('schema_migrations', 'second_internal', '{}'),
    ('schema_migrations', 'second_provider', '{}'),
    ('schema_migrations', 'second_authenticator', '{}'),
    ('schema_repeatable', 'second_anon', '{}'),
    ('schema_repeatable', 'second_member', '{}'),
    ('schema_repeatable', 'second_internal', '{}'),
    ('schema_repeatable', 'second_provider', '{}'),
    ('schema_repeatable', 'second_authenticator', '{}'),
    ('users', 'second_anon', '{SELECT,INSERT,UPDATE}'),
    ('users', 'second_member', '{SELECT,UPDATE}'),
    ('users', 'second_internal', '{SELECT}'),
    ('users', 'second_provider', '{SELECT,INSERT,UPDATE}'),
    ('users', 'second_authenticator', '{}'),
    ('workspaces', 'second_anon', '{}'),
    ('workspaces', 'second_member', '{SELECT,UPDATE}'),
    ('workspaces', 'second_internal', '{SELECT}'),
    ('workspaces', 'second_provider', '{SELECT}'),
    ('workspaces', 'second_authenticator', '{}'),
    ('workspace_memberships', 'second_anon', '{}'),
    ('workspace_memberships', 'second_member', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('workspace_memberships', 'second_internal', '{SELECT}'),
    ('workspace_memberships', 'second_provider', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('workspace_memberships', 'second_authenticator', '{}'),
    ('teams', 'second_anon', '{}'),
    ('teams', 'second_member', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('teams', 'second_internal', '{SELECT}'),
    ('teams', 'second_provider', '{SELECT}'),
    ('teams', 'second_authenticator', '{}'),
    ('team_memberships', 'second_anon', '{}'),
    ('team_memberships', 'second_member', '{SELECT,INSERT,DELETE}'),
    ('team_memberships', 'second_internal', '{SELECT}'),
    ('team_memberships', 'second_provider', '{SELECT,INSERT,DELETE}'),
    ('team_memberships', 'second_authenticator', '{}'),
    ('invitations', 'second_anon', '{}'),
    ('invitations', 'second_member', '{SELECT,INSERT,UPDATE}'),
    ('invitations', 'second_internal', '{SELECT}'),
    ('invitations', 'second_provider', '{SELECT,INSERT,UPDATE}'),
    ('invitations', 'second_authenticator', '{}'),
    ('audit_events', 'second_anon', '{}'),
    ('audit_events', 'second_member', '{SELECT,INSERT}'),
    ('audit_events', 'second_internal', '{SELECT,INSERT}'),
    ('audit_events', 'second_provider', '{SELECT,INSERT}'),
    ('audit_events', 'second_authenticator', '{}'),
    ('session_keys', 'second_anon', '{}'),
    ('session_keys', 'second_member', '{}'),
    ('session_keys', 'second_internal', '{}'),
    ('session_keys', 'second_provider', '{}'),
    ('session_keys', 'second_authenticator', '{}'),
    ('apps', 'second_anon', '{}'),
    ('integrations', 'second_anon', '{}'),
    ('integrations', 'second_member', '{SELECT,DELETE}'),
    ('integrations', 'second_internal', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('integrations', 'second_provider', '{}'),
    ('integrations', 'second_authenticator', '{}'),
    ('integration_credentials', 'second_anon', '{}'),
    ('integration_credentials', 'second_member', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('integration_credentials', 'second_internal', '{SELECT}'),
    ('integration_credentials', 'second_provider', '{}'),
    ('integration_credentials', 'second_authenticator', '{}'),
    -- members' SELECT and INSERT on integration_secrets are column grants:
    -- checked below.
    ('integration_secrets', 'second_anon', '{}'),
    ('integration_secrets', 'second_member', '{DELETE}'),
    ('integration_secrets', 'second_internal', '{SELECT}'),
    ('integration_secrets', 'second_provider', '{}'),
    ('integration_secrets', 'second_authenticator', '{}'),
    ('sealing_keys', 'second_anon', '{}'),
    ('sealing_keys', 'second_member', '{}'),
    ('sealing_keys', 'second_internal', '{}'),
    ('sealing_keys', 'second_provider', '{}'),
    ('sealing_keys', 'second_authenticator', '{}'),
    -- members' SELECT and UPDATE on oauth_provider_configs, SELECT, INSERT
    -- and UPDATE on connected_accounts, and second_internal's UPDATE on
    -- connected_accounts are column grants: checked below.
    ('oauth_provider_configs', 'second_anon', '{}'),
    ('oauth_provider_configs', 'second_member', '{}'),
    ('oauth_provider_configs', 'second_internal', '{SELECT,INSERT}'),
    ('oauth_provider_configs', 'second_provider', '{}'),
    ('oauth_provider_configs', 'second_authenticator', '{}'),
    ('connected_accounts', 'second_anon', '{}'),
    ('connected_accounts', 'second_member', '{DELETE}'),
    ('connected_accounts', 'second_internal', '{SELECT}'),
    ('connected_accounts', 'second_provider', '{}'),
    ('connected_accounts', 'second_authenticator', '{}'),
    ('oauth_states', 'second_anon', '{}'),
    ('oauth_states', 'second_member', '{INSERT}'),
    ('oauth_states', 'second_internal', '{}'),
    ('oauth_states', 'second_provider', '{}'),
    ('oauth_states', 'second_authenticator', '{}'),
    -- INSERT and UPDATE on apps are column grants (sql/001_baseline.sql): checked below.
    ('apps', 'second_member', '{SELECT,DELETE}'),
    ('apps', 'second_internal', '{SELECT}'),
    ('apps', 'second_provider', '{}'),
    ('apps', 'second_authenticator', '{}'),
    ('app_collaborators', 'second_anon', '{}'),
    ('app_collaborators', 'second_member', '{SELECT,INSERT,DELETE}'),
    ('app_collaborators', 'second_internal', '{SELECT}'),
    ('app_collaborators', 'second_provider', '{}'),
    ('app_collaborators', 'second_authenticator', '{}'),
    ('app_teams', 'second_anon', '{}'),
    ('app_teams', 'second_member', '{SELECT,INSERT,DELETE}'),
    ('app_teams', 'second_internal', '{SELECT}'),
    ('app_teams', 'second_provider', '{}'),
    ('app_teams', 'second_authenticator', '{}'),
    ('app_source_snapshots', 'second_anon', '{}'),
    ('app_source_snapshots', 'second_member', '{SELECT,INSERT,UPDATE}'),
    ('app_source_snapshots', 'second_internal', '{SELECT}'),
    ('app_source_snapshots', 'second_provider', '{}'),
    ('app_source_snapshots', 'second_authenticator', '{}'),
    ('review_requests', 'second_anon', '{}'),
    ('review_requests', 'second_member', '{SELECT,INSERT,UPDATE}'),
    ('review_requests', 'second_internal', '{SELECT}'),
    ('review_requests', 'second_provider', '{}'),
    ('review_requests', 'second_authenticator', '{}'),
    ('agent_config_approvals', 'second_anon', '{}'),
    ('agent_config_approvals', 'second_member', '{SELECT,INSERT}'),
    ('agent_config_approvals', 'second_internal', '{SELECT}'),
    ('agent_config_approvals', 'second_provider', '{}'),
    ('agent_config_approvals', 'second_authenticator', '{}'),
    ('builder_runs', 'second_anon', '{}'),
    ('builder_runs', 'second_member', '{SELECT,INSERT,UPDATE}'),
    ('builder_runs', 'second_internal', '{SELECT,INSERT,UPDATE}'),
    ('builder_runs', 'second_provider', '{}'),
    ('builder_runs', 'second_authenticator', '{}'),
    ('agent_runs', 'second_anon', '{}'),
    ('agent_runs', 'second_member', '{SELECT,INSERT}'),
    ('agent_runs', 'second_internal', '{SELECT,UPDATE}'),
    ('agent_runs', 'second_provider', '{}'),
    ('agent_runs', 'second_authenticator', '{}'),
    ('app_data', 'second_anon', '{}'),
    ('app_data', 'second_member', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('app_data', 'second_internal', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('app_data', 'second_provider', '{}'),
    ('app_data', 'second_authenticator', '{}')
  ) AS x(t, r, p);

SELECT functions_are('second', ARRAY['current_user_id', 'current_workspace_id', 'current_app_id',
    'touch_updated_at', 'is_current_member', 'onboard_identity', 'teams_keep_default',
    'create_workspace', 'audit_events_append_only', 'session_key_ensure', 'audit_catalog',
    'resolve_workspace', 'subject_user_id', 'external_identity', 'provider_sync',
    'current_member_role', 'current_team_ids',
    'text_array_add', 'app_teams_sync', 'app_collaborators_sync', 'current_caller',
    'team_drop_from_drafts', 'resolve_organization', 'app_builder', 'app_visible',
    'runs_notify', 'dispatch_listen', 'dispatch_payload', 'dispatch_agent',
    'dispatch_tools', 'dispatch_claim', 'dispatch_done', 'dispatch_next_due',
    'sealing_key_ensure', 'oauth_state_take', 'oauth_state_admit'],
    'the functions of schema second');

SELECT is(has_function_privilege(r, f, 'EXECUTE'), e, format('%s %s execute %s', r, CASE WHEN e THEN 'may' ELSE 'may not' END, f))
  FROM (VALUES ('second.onboard_identity(text,text,text)'), ('second.create_workspace(text,text,text,text)'),
               ('second.session_key_ensure(bytea)'), ('second.is_current_member()'),
               ('second.current_user_id()'), ('second.current_workspace_id()'),
               ('second.audit_catalog()'), ('second.touch_updated_at()'),
               ('second.resolve_workspace(text,text)'), ('second.subject_user_id(text)'),
               ('second.external_identity(text,text,text,text)'),
               ('second.provider_sync(text,text,text,text,text)'),
               ('second.current_member_role()'),
               ('second.current_team_ids()'), ('second.current_caller()'),
               ('second.text_array_add(text[],text)'), ('second.app_teams_sync()'),
               ('second.app_collaborators_sync()'),
               ('second.team_drop_from_drafts()'),
               ('second.resolve_organization(text,text)'),
               ('second.app_builder(text,text,text,text[])'),
               ('second.app_visible(text,text,text,text[],boolean,text[],text[])'),
               ('second.current_app_id()'), ('second.sealing_key_ensure(bytea)'),
               ('second.oauth_state_take(bytea)'), ('second.oauth_state_admit()')) AS fx(f)
 CROSS JOIN (VALUES ('second_anon'), ('second_member'), ('second_internal'), ('second_provider'),
                    ('second_authenticator')) AS rx(r)
 CROSS JOIN LATERAL (SELECT CASE
      WHEN f LIKE 'second.onboard_identity%' THEN r IN ('second_anon', 'second_member')
      WHEN f LIKE 'second.create_workspace%' THEN r = 'second_member'
      WHEN f LIKE 'second.session_key_ensure%' THEN r = 'second_authenticator'
      WHEN f LIKE 'second.sealing_key_ensure%' THEN r = 'second_authenticator'
      WHEN f = 'second.current_app_id()' THEN r = 'second_internal'
      WHEN f = 'second.is_current_member()' THEN r = 'second_member'
      WHEN f LIKE 'second.oauth_state_take%' THEN r = 'second_member'
      WHEN f IN ('second.current_member_role()',
                 'second.current_team_ids()', 'second.current_caller()') THEN r = 'second_member'
      WHEN f LIKE 'second.current_%' THEN r <> 'second_authenticator'
      WHEN f LIKE 'second.resolve_workspace%' OR f LIKE 'second.subject_user_id%' THEN true
      WHEN f LIKE 'second.external_identity%' THEN r = 'second_provider'
      WHEN f LIKE 'second.provider_sync%' THEN r = 'second_provider'
      WHEN f LIKE 'second.resolve_organization%' THEN r = 'second_provider'
      WHEN f LIKE 'second.app_builder%' OR f LIKE 'second.app_visible%' THEN r = 'second_member'
      ELSE false END) AS ex(e)
 ORDER BY f, r;

-- Column privileges.  table_privs_are above sees table-level grants only
-- (has_table_privilege), so the column grants are pinned here: the only
-- column ACL entries of schema second are INSERT and UPDATE on apps for
-- second_member, and SELECT of the names and INSERT of integration_secrets
-- for second_member (1), and for each role exactly these columns of apps
-- (5 * 2): every column but team_ids and collaborator_ids, which only the
-- link triggers write; draft_team_ids is the builders'.
SELECT set_eq($$SELECT c.relname::text, a.attname::text, x.grantee::regrole::text, x.privilege_type
                  FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 CROSS JOIN LATERAL aclexplode(a.attacl) x
                 WHERE n.nspname = 'second'
                   AND x.grantee <> c.relowner$$,
    $$SELECT 'apps'::text AS t, col, 'second_member'::text AS r, p
        FROM unnest(ARRAY['workspace_id', 'id', 'name', 'publish_status', 'created_by_user_id',
                          'draft_snapshot_id', 'draft_hash', 'draft_file_count', 'draft_bytes',
                          'published_snapshot_id', 'published_hash', 'published_file_count',
                          'published_bytes', 'draft_agents', 'draft_agents_hash',
                          'approved_agents_hash', 'published_agents', 'published_agents_hash',
                          'created_at', 'updated_at', 'draft_team_ids']) AS col
       CROSS JOIN (VALUES ('INSERT'), ('UPDATE')) AS px(p)
      UNION ALL
      SELECT 'integration_secrets', col, 'second_member', p
        FROM (VALUES ('workspace_id', 'SELECT'), ('credential_id', 'SELECT'), ('name', 'SELECT'),
                     ('workspace_id', 'INSERT'), ('credential_id', 'INSERT'), ('name', 'INSERT'),
                     ('sealed', 'INSERT')) AS cx(col, p)
      UNION ALL
      SELECT 'oauth_provider_configs', col, 'second_member', 'SELECT'
        FROM unnest(ARRAY['workspace_id', 'id', 'provider_key', 'display_name',
                          'authorization_url', 'token_url', 'token_auth_method', 'client_id',
                          'configured', 'created_at', 'updated_at']) AS col
      UNION ALL
      SELECT 'oauth_provider_configs', col, 'second_member', 'UPDATE'
        FROM unnest(ARRAY['display_name', 'authorization_url', 'token_url',
                          'token_auth_method', 'client_id', 'client_secret', 'updated_at']) AS col
      UNION ALL
      SELECT 'connected_accounts', col, 'second_member', 'SELECT'
        FROM unnest(ARRAY['workspace_id', 'id', 'user_id', 'provider_config_id', 'account_email',
                          'granted_scopes', 'access_expires_at', 'revoked_at', 'refreshed_at',
                          'created_at', 'updated_at']) AS col
      UNION ALL
      SELECT 'connected_accounts', col, 'second_member', 'INSERT'
        FROM unnest(ARRAY['workspace_id', 'id', 'user_id', 'provider_config_id', 'account_email',
                          'granted_scopes', 'access_token', 'access_expires_at',
                          'refresh_token']) AS col
      UNION ALL
      SELECT 'connected_accounts', col, 'second_member', 'UPDATE'
        FROM unnest(ARRAY['account_email', 'granted_scopes', 'access_token', 'access_expires_at',
                          'refresh_token', 'revoked_at', 'updated_at']) AS col
      UNION ALL
      SELECT 'connected_accounts', col, 'second_internal', 'UPDATE'
        FROM unnest(ARRAY['granted_scopes', 'access_token', 'access_expires_at', 'refresh_token',
                          'revoked_at', 'refreshed_at', 'updated_at']) AS col$$,
    'the only column grants of schema second: INSERT and UPDATE on apps for second_member, not the link arrays; the names of integration secrets for second_member, never the sealed bytes; provider configs and connected accounts for second_member without the sealed client secret or tokens (which members write, never read); the refreshed tokens for second_internal');

SELECT is(ARRAY(SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = 'second.apps'::regclass AND a.attnum > 0
                   AND NOT a.attisdropped
                   AND has_column_privilege(r, a.attrelid, a.attnum, p)
                 ORDER BY a.attnum),
          CASE WHEN r = 'second_member' THEN
              ARRAY['workspace_id', 'id', 'name', 'publish_status', 'created_by_user_id',
                    'draft_snapshot_id', 'draft_hash', 'draft_file_count', 'draft_bytes',
                    'published_snapshot_id', 'published_hash', 'published_file_count',
                    'published_bytes', 'draft_agents', 'draft_agents_hash',
                    'approved_agents_hash', 'published_agents', 'published_agents_hash',
                    'created_at', 'updated_at', 'draft_team_ids']
          ELSE '{}'::text[] END,
          format('%s may %s these columns of second.apps', r, p))
  FROM (VALUES ('second_anon'), ('second_member'), ('second_internal'), ('second_provider'),
               ('second_authenticator')) AS rx(r)
 CROSS JOIN (VALUES ('INSERT'), ('UPDATE')) AS px(p)
 ORDER BY r, p;

SELECT is(has_column_privilege('second_member', 'second.apps', c, p), c = 'name',
          format('second_member %s %s second.apps.%s', CASE WHEN c = 'name' THEN 'may' ELSE 'may not' END,
                 p, c))
  FROM (VALUES ('name'), ('team_ids'), ('collaborator_ids')) AS cx(c)
 CROSS JOIN (VALUES ('INSERT'), ('UPDATE')) AS px(p)
 ORDER BY c, p;

-- The authenticator reads nothing without switching to a request role.
SELECT * FROM pg_temp.tap_as('second_authenticator', NULL, NULL);
SELECT throws_ok(format('SELECT 1 FROM %s', c.oid::regclass), '42501', NULL,
    format('second_authenticator alone cannot read %s', c.oid::regclass))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'second' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname;
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
