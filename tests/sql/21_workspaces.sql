-- workspaces (global): a member sees every workspace it belongs to and
-- updates only the current one; internal and provider see the named one.
BEGIN;
\ir fixtures.psql
SELECT plan(17);

SELECT * FROM pg_temp.tap_as('second_member', NULL, NULL);
SELECT is((SELECT count(*) FROM second.workspaces), 0::bigint, 'member, no context: no workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', NULL);
SELECT results_eq('SELECT slug FROM second.workspaces ORDER BY slug', $$VALUES ('alpha'), ('bravo')$$,
    'a member of A and B sees both without selecting one (/api/me)');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wb');
SELECT results_eq('SELECT slug FROM second.workspaces', $$VALUES ('alpha')$$,
    'a member of A only never sees B, even naming it');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.workspaces SET name = 'x'$$), 0::bigint,
    'a non-member naming B cannot update B (nor A, not current)');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.workspaces SET name = 'x' WHERE id = %L$$, :'wb')),
    0::bigint, 'member in A cannot update B');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.workspaces SET name = 'Alpha 2'$$), 1::bigint,
    'member in A updates A only');
SELECT throws_ok(format('UPDATE second.workspaces SET id = %L', 'd00000000000000000000001'), '42501', NULL,
    'member cannot change the id of the current workspace');
SELECT throws_ok($$INSERT INTO second.workspaces (id, slug, name) VALUES ('d00000000000000000000002', 'delta', 'D')$$,
    '42501', NULL, 'member cannot insert workspaces directly (create_workspace does)');
SELECT throws_ok('DELETE FROM second.workspaces', '42501', NULL, 'member cannot delete workspaces');

SELECT * FROM pg_temp.tap_as('second_internal', NULL, NULL);
SELECT is((SELECT count(*) FROM second.workspaces), 0::bigint, 'internal, no context: no workspace');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT results_eq('SELECT slug FROM second.workspaces', $$VALUES ('alpha')$$, 'internal sees the named workspace only');
SELECT throws_ok($$UPDATE second.workspaces SET name = 'x'$$, '42501', NULL, 'internal cannot update workspaces');
SELECT * FROM pg_temp.tap_as('second_provider', NULL, NULL);
SELECT is((SELECT count(*) FROM second.workspaces), 0::bigint, 'provider, no context: no workspace');
SELECT * FROM pg_temp.tap_as('second_provider', NULL, :'wb');
SELECT results_eq('SELECT slug FROM second.workspaces', $$VALUES ('bravo')$$, 'provider sees the named workspace only');
SELECT pg_temp.tap_refused('second_anon', :'ua', :'wa',
    'SELECT 1 FROM second.workspaces', 'anon cannot read workspaces');

-- Slugs: never 24 hex digits, lowercase, at most 48 characters.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT throws_ok($$INSERT INTO second.workspaces (id, slug, name) VALUES ('d00000000000000000000003', 'abcdefabcdefabcdefabcdef', 'X')$$,
    '23514', NULL, 'a slug cannot look like an id');
SELECT throws_ok($$INSERT INTO second.workspaces (id, slug, name) VALUES ('d00000000000000000000004', 'Bad-Slug', 'X')$$,
    '23514', NULL, 'a slug is lowercase');

SELECT * FROM finish();
ROLLBACK;
