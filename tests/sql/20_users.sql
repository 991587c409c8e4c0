-- users (global): each request role sees and changes only what its policies
-- allow.
BEGIN;
\ir fixtures.psql
SELECT plan(23);

-- second_anon: only the identity being onboarded.
SELECT * FROM pg_temp.tap_as('second_anon', NULL, NULL);
SELECT is((SELECT count(*) FROM second.users), 0::bigint, 'anon, no context: no user');
SELECT * FROM pg_temp.tap_as('second_anon', 'e00000000000000000000009', NULL);
SELECT lives_ok($$INSERT INTO second.users (id, email, email_normalized) VALUES ('e00000000000000000000009', 'n@x.test', 'n@x.test')$$,
    'anon creates its own user');
SELECT throws_ok($$INSERT INTO second.users (id) VALUES ('e0000000000000000000000a')$$, '42501', NULL,
    'anon cannot create another user');
SELECT results_eq('SELECT id::text FROM second.users', $$VALUES ('e00000000000000000000009')$$,
    'anon sees only its own user');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.users SET display_name = 'N'$$), 1::bigint,
    'anon updates only its own user');
SELECT throws_ok($$UPDATE second.users SET id = 'e0000000000000000000000a'$$, '42501', NULL,
    'anon cannot turn its row into another user');
SELECT throws_ok('DELETE FROM second.users', '42501', NULL, 'anon cannot delete users');

-- second_member: oneself, plus the members of the current workspace.
SELECT * FROM pg_temp.tap_as('second_member', NULL, NULL);
SELECT is((SELECT count(*) FROM second.users), 0::bigint, 'member, no context: no user');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', NULL);
SELECT results_eq('SELECT id::text FROM second.users', format('VALUES (%L)', :'ua'),
    'member without a workspace sees only itself');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT results_eq('SELECT id::text FROM second.users ORDER BY id',
    format('VALUES (%L), (%L), (%L)', :'ua', :'ua2', :'uc'),
    'member in A sees exactly the members of A');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.users SET display_name = 'x' WHERE id = %L$$, :'uc')),
    0::bigint, 'member cannot update another member');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.users SET session_version = session_version + 1$$),
    1::bigint, 'member updates only itself (logout)');
SELECT throws_ok($$UPDATE second.users SET id = 'e0000000000000000000000b'$$,
    '42501', NULL, 'member cannot turn its row into another user');
SELECT throws_ok($$INSERT INTO second.users (id) VALUES ('e0000000000000000000000c')$$, '42501', NULL,
    'member cannot create users');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wb');
SELECT results_eq('SELECT id::text FROM second.users', format('VALUES (%L)', :'ua'),
    'member naming a workspace it is not in sees only itself');

-- second_internal: the members of the named workspace, read only.
SELECT * FROM pg_temp.tap_as('second_internal', NULL, NULL);
SELECT is((SELECT count(*) FROM second.users), 0::bigint, 'internal, no context: no user');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wb');
SELECT results_eq('SELECT id::text FROM second.users ORDER BY id',
    format('VALUES (%L), (%L)', :'ub', :'uc'), 'internal in B sees exactly the members of B');
SELECT throws_ok($$UPDATE second.users SET display_name = 'x'$$, '42501', NULL,
    'internal cannot update users');

-- second_provider: owns identity across workspaces.
SELECT * FROM pg_temp.tap_as('second_provider', NULL, NULL);
SELECT is((SELECT count(*) FROM second.users), 8::bigint,
    'provider sees every user (7 fixtures + the one anon created)');
SELECT lives_ok($$INSERT INTO second.users (id, external_subject) VALUES ('e0000000000000000000000d', 'sub-1')$$,
    'provider creates users');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.users SET display_name = 'Sub' WHERE external_subject = 'sub-1'$$),
    1::bigint, 'provider updates users');
SELECT throws_ok($$INSERT INTO second.users (id, external_subject) VALUES ('e0000000000000000000000e', 'sub-1')$$,
    '23505', NULL, 'external subjects are unique');
SELECT throws_ok('DELETE FROM second.users', '42501', NULL, 'provider cannot delete users');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
