-- integrations, integration_credentials, integration_secrets: two-workspace
-- isolation for every request role granted on them; a member without
-- integrations:manage writes nothing; a member reads the grants of the apps
-- visible to them and never the sealed bytes; the internal API with app X
-- never reaches app Y's grant, credential or secret; a credential belongs
-- to one grant; the development sealing key is kept once.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 6 + 27);

\set ga1 'a00000000000000000000081'
\set ga2 'a00000000000000000000082'
\set ga3 'a00000000000000000000083'
\set gb1 'b00000000000000000000081'
\set gb2 'b00000000000000000000082'
\set ca1 'a00000000000000000000084'
\set ca2 'a00000000000000000000085'
\set cb1 'b00000000000000000000084'
-- 45 bytes: version 1, key id, nonce, tag (no plain byte)
SELECT '\x01' || repeat('ab', 44) AS sealed \gset

INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug,
    key_name, capability_label, why, auth) VALUES
    (:'wa', :'ga1', :'aa1', 'Linear', 'linear.app', 'default', 'Linear key', 'Issues', 'why', '{"type":"static_secret"}'),
    (:'wa', :'ga2', :'aa2', 'Linear', 'linear.app', 'default', 'Linear key', 'Issues', 'why', '{"type":"static_secret"}'),
    (:'wa', :'ga3', :'aa1', 'Slack', 'slack.com', 'default', 'Slack key', 'Chat', 'why', '{"type":"static_secret"}'),
    (:'wb', :'gb1', :'ab1', 'Linear', 'linear.app', 'default', 'Linear key', 'Issues', 'why', '{"type":"static_secret"}'),
    (:'wb', :'gb2', :'ab1', 'Slack', 'slack.com', 'default', 'Slack key', 'Chat', 'why', '{"type":"static_secret"}');
INSERT INTO second.integration_credentials (workspace_id, id, integration_id, configured) VALUES
    (:'wa', :'ca1', :'ga1', true),
    (:'wa', :'ca2', :'ga2', true),
    (:'wb', :'cb1', :'gb1', true);
INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES
    (:'wa', :'ca1', 'TOKEN', :'sealed'),
    (:'wa', :'ca2', 'TOKEN', :'sealed'),
    (:'wb', :'cb1', 'TOKEN', :'sealed');

-- As the owner of A (integrations:manage).  Members never insert or update
-- a grant: grants come from the setup sync.
SELECT * FROM pg_temp.tap_isolation('second.integrations', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'a00000000000000000000086', %L, 'X', 'x.example', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wa', :'aa1'),
    format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'b00000000000000000000086', %L, 'X', 'x.example', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wb', :'ab1'),
    'name = name');
SELECT * FROM pg_temp.tap_isolation('second.integration_credentials', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'a00000000000000000000087', %L)$$, :'wa', :'ga3'),
    format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'b00000000000000000000087', %L)$$, :'wb', :'gb2'),
    'configured = configured');
SELECT * FROM pg_temp.tap_isolation('second.integration_secrets', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES (%L, %L, 'OTHER', %L)$$, :'wa', :'ca1', :'sealed'),
    format($$INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES (%L, %L, 'OTHER', %L)$$, :'wb', :'cb1', :'sealed'),
    'name = name');

-- The internal API with the context of app aa1 (and, for the other
-- workspace, of ab1 is never set: a context names one app).
SELECT set_config('second.app_id', :'aa1', true);
SELECT * FROM pg_temp.tap_isolation('second.integrations', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'a00000000000000000000088', %L, 'X', 'y.example', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wa', :'aa1'),
    format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'b00000000000000000000088', %L, 'X', 'y.example', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wb', :'ab1'),
    'name = name');
SELECT * FROM pg_temp.tap_isolation('second.integration_credentials', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'a00000000000000000000089', %L)$$, :'wa', :'ga3'),
    format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'b00000000000000000000089', %L)$$, :'wb', :'gb2'),
    'configured = configured');
SELECT * FROM pg_temp.tap_isolation('second.integration_secrets', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES (%L, %L, 'MORE', %L)$$, :'wa', :'ca1', :'sealed'),
    format($$INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES (%L, %L, 'MORE', %L)$$, :'wb', :'cb1', :'sealed'),
    'name = name');

-- Internal, app aa1: app aa2's grant, credential and secret (same
-- workspace) are out of reach; without an app, nothing.
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integrations WHERE app_id = %L$$, :'aa2')),
    0::bigint, 'internal for app aa1 does not see the grant of app aa2');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integration_credentials WHERE id = %L$$, :'ca2')),
    0::bigint, 'internal for app aa1 does not see the credential of app aa2');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integration_secrets WHERE credential_id = %L$$, :'ca2')),
    0::bigint, 'internal for app aa1 does not read the secret of app aa2');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.integrations SET name = 'x' WHERE id = %L$$, :'ga2')),
    0::bigint, 'internal for app aa1 does not change the grant of app aa2');
SELECT is(pg_temp.tap_rowcount(format($$DELETE FROM second.integrations WHERE id = %L$$, :'ga2')),
    0::bigint, 'internal for app aa1 does not delete the grant of app aa2');
SELECT throws_ok(format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'a0000000000000000000008a', %L, 'X', 'z.example', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wa', :'aa2'),
    '42501', NULL, 'internal for app aa1 cannot create a grant for app aa2');
SELECT throws_ok(format($$UPDATE second.integrations SET app_id = %L WHERE id = %L$$, :'aa2', :'ga1'),
    '42501', NULL, 'internal cannot move a grant to another app');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integration_secrets WHERE credential_id <> %L$$, :'ca1')),
    0::bigint, 'internal for app aa1 reads the secrets of its own grants only');
SELECT set_config('second.app_id', '', true);
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.integrations'),
    0::bigint, 'internal without an app sees no grant');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.integration_secrets'),
    0::bigint, 'internal without an app reads no secret');

-- A member without integrations:manage (ua2, member of A, builder of aa1
-- and aa2) reads but writes nothing.
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.integrations'),
    4::bigint, 'a member reads the grants of the apps visible to them');
SELECT is(pg_temp.tap_rowcount(format($$DELETE FROM second.integrations WHERE id = %L$$, :'ga1')),
    0::bigint, 'a member without integrations:manage deletes no grant');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.integration_credentials SET configured = false WHERE id = %L$$, :'ca1')),
    0::bigint, 'a member without integrations:manage changes no credential');
SELECT is(pg_temp.tap_rowcount(format($$DELETE FROM second.integration_credentials WHERE id = %L$$, :'ca1')),
    0::bigint, 'a member without integrations:manage deletes no credential');
SELECT is(pg_temp.tap_rowcount(format($$DELETE FROM second.integration_secrets WHERE credential_id = %L$$, :'ca1')),
    0::bigint, 'a member without integrations:manage deletes no secret');
SELECT throws_ok(format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'a0000000000000000000008b', %L)$$, :'wa', :'ga3'),
    '42501', NULL, 'a member without integrations:manage creates no credential');
SELECT throws_ok(format($$INSERT INTO second.integration_secrets (workspace_id, credential_id, name, sealed) VALUES (%L, %L, 'NEW', %L)$$, :'wa', :'ca1', :'sealed'),
    '42501', NULL, 'a member without integrations:manage writes no secret');
SELECT throws_ok('SELECT sealed FROM second.integration_secrets',
    '42501', NULL, 'a member never reads sealed bytes');
-- uc is a member of A in team General: sees aa1 (published to General), not
-- the draft aa2 of ua2.
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integrations WHERE app_id = %L$$, :'aa2')),
    0::bigint, 'a member does not see the grants of an app hidden from them');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.integration_secrets WHERE credential_id = %L$$, :'ca2')),
    0::bigint, 'nor the secret names of its credential');
-- The owner of A reads names (never bytes) and writes.
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok('SELECT * FROM second.integration_secrets',
    '42501', NULL, 'not even an owner reads sealed bytes');

-- Without row level security: a credential is dedicated to one grant of its
-- workspace; the cascade; the stored key id.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT throws_ok(format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'a0000000000000000000008c', %L)$$, :'wa', :'ga1'),
    '23505', NULL, 'a grant has one credential at most');
SELECT throws_ok(format($$INSERT INTO second.integration_credentials (workspace_id, id, integration_id) VALUES (%L, 'a0000000000000000000008d', %L)$$, :'wa', :'gb2'),
    '23503', NULL, 'a credential cannot belong to a grant of another workspace');
SELECT throws_ok(format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'a0000000000000000000008e', %L, 'X', 'linear.app', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wa', :'aa1'),
    '23505', NULL, 'grant identity (workspace, app, domain, keySlug) is unique');
SELECT throws_ok(format($$INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug, key_name, capability_label, why, auth) VALUES (%L, 'a0000000000000000000008f', %L, 'X', '10.0.0.1', 'default', 'k', 'c', 'w', '{"type":"static_secret"}')$$, :'wa', :'aa1'),
    '23514', NULL, 'a grant domain is no IP literal');
SELECT is((SELECT encode(key_id, 'hex') FROM second.integration_secrets WHERE credential_id = :'ca1' AND name = 'TOKEN'),
    'abababab', 'key_id is the key id inside the sealed bytes');
DELETE FROM second.apps WHERE workspace_id = :'wa' AND id = :'aa2';
SELECT is((SELECT count(*) FROM second.integration_secrets WHERE credential_id = :'ca2'),
    0::bigint, 'deleting an app deletes its grants, credentials and secrets');

SELECT * FROM finish();
ROLLBACK;
