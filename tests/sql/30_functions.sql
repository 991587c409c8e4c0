-- The SECURITY DEFINER functions the C code calls: onboard_identity,
-- create_workspace, session_key_ensure; and who may execute the helpers.
BEGIN;
\ir fixtures.psql
SELECT plan(34);

\set k1 '\\x0101010101010101010101010101010101010101010101010101010101010101'
\set k2 '\\x0202020202020202020202020202020202020202020202020202020202020202'

-------------------------------------------------------------------------------
-- onboard_identity
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_anon', NULL, NULL);
SELECT results_eq($$SELECT * FROM second.onboard_identity('e0000000000000000000000f', 'Nina', ' Nina@Example.TEST ')$$,
    $$VALUES ('e0000000000000000000000f', 1)$$, 'anon: a new email creates a user with the given id');
SELECT results_eq($$SELECT * FROM second.onboard_identity('e00000000000000000000010', 'Nina N', 'nina@example.test')$$,
    $$VALUES ('e0000000000000000000000f', 1)$$, 'anon: a known email (any case, spaces) returns the existing user');
SELECT throws_ok($$SELECT * FROM second.onboard_identity('e00000000000000000000011', 'X', '  ')$$,
    '22023', NULL, 'a blank email is refused');
SELECT throws_ok($$SELECT * FROM second.onboard_identity('e00000000000000000000011', '', 'x@y.test')$$,
    '22023', NULL, 'a blank display name is refused');
SELECT throws_ok($$SELECT * FROM second.onboard_identity('NOT-AN-ID', 'X', 'x@y.test')$$,
    '23514', NULL, 'a malformed id is refused');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq($$SELECT display_name, email, email_normalized FROM second.users WHERE id = 'e0000000000000000000000f'$$,
    $$VALUES ('Nina N'::text, 'Nina@Example.TEST'::text, 'nina@example.test'::text)$$,
    'onboarding stores the trimmed email, its normalized form and the latest display name');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT results_eq(format($$SELECT * FROM second.onboard_identity('e00000000000000000000012', 'Ann', %L)$$, 'ANN@a.test'),
    format('VALUES (%L, 1)', :'ua'), 'member: completing a profile returns the same user');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT throws_ok($$SELECT * FROM second.onboard_identity('e00000000000000000000013', 'X', 'x@y.test')$$,
    '42501', NULL, 'internal cannot onboard identities');

-------------------------------------------------------------------------------
-- create_workspace
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ux1', NULL);
SELECT lives_ok($$SELECT second.create_workspace('d00000000000000000000001', 'delta', 'Delta', 'd00000000000000000000011')$$,
    'member with a profile creates a workspace');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq($$SELECT user_id::text, role FROM second.workspace_memberships WHERE workspace_id = 'd00000000000000000000001'$$,
    format('VALUES (%L, %L)', :'ux1', 'owner'), 'the creator is its owner');
SELECT results_eq($$SELECT id::text, name, is_default FROM second.teams WHERE workspace_id = 'd00000000000000000000001'$$,
    $$VALUES ('d00000000000000000000011', 'General', true)$$, 'it has the default team General');
SELECT results_eq($$SELECT team_id::text, user_id::text FROM second.team_memberships WHERE workspace_id = 'd00000000000000000000001'$$,
    format('VALUES (%L, %L)', 'd00000000000000000000011', :'ux1'), 'the owner is in General');
SELECT * FROM pg_temp.tap_as('second_member', :'ux1', 'd00000000000000000000001');
SELECT results_eq('SELECT slug FROM second.workspaces', $$VALUES ('delta')$$,
    'the creator then sees the new workspace as a member');
SELECT throws_ok($$SELECT second.create_workspace('d00000000000000000000002', 'alpha', 'Other', 'd00000000000000000000012')$$,
    '23505', NULL, 'a taken slug is a unique violation');
SELECT throws_ok($$SELECT second.create_workspace('d00000000000000000000002', 'abcdefabcdefabcdefabcdef', 'Other', 'd00000000000000000000012')$$,
    '23514', NULL, 'a slug that looks like an id is refused');
SELECT * FROM pg_temp.tap_as('second_member', NULL, NULL);
SELECT throws_ok($$SELECT second.create_workspace('d00000000000000000000002', 'echo', 'Echo', 'd00000000000000000000012')$$,
    '42501', NULL, 'no current user: refused');
SELECT * FROM pg_temp.tap_as('second_anon', :'ux2', NULL);
SELECT throws_ok($$SELECT second.create_workspace('d00000000000000000000002', 'echo', 'Echo', 'd00000000000000000000012')$$,
    '42501', NULL, 'anon cannot create workspaces');

-------------------------------------------------------------------------------
-- session_key_ensure: the worker calls it as second_authenticator
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_authenticator', NULL, NULL);
SELECT results_eq(format('SELECT kid, key FROM second.session_key_ensure(%L)', :'k1'),
    format('VALUES (1, %L::bytea)', :'k1'), 'the first candidate becomes key 1');
SELECT results_eq(format('SELECT kid, key FROM second.session_key_ensure(%L)', :'k2'),
    format('VALUES (1, %L::bytea)', :'k1'), 'later candidates get the first key back');
SELECT throws_ok($$SELECT * FROM second.session_key_ensure('\x0102')$$, '22023', NULL,
    'a candidate that is not 32 bytes is refused');
SELECT throws_ok('SELECT * FROM second.session_keys', '42501', NULL,
    'the authenticator cannot read the key table itself');
SELECT pg_temp.tap_refused('second_member', :'ua', :'wa',
    format('SELECT * FROM second.session_key_ensure(%L)', :'k2'),
    'a request role cannot call session_key_ensure');
SELECT throws_ok('SELECT * FROM second.session_keys', '42501', NULL,
    'a request role cannot read the key table');

-------------------------------------------------------------------------------
-- resolve_workspace: what the worker runs in every context statement, as
-- the authenticator, before any role is taken (sql/repeatable/30_guard.sql)
-------------------------------------------------------------------------------
-- uc's membership of B is older than that of A: '' resolves to B.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
UPDATE second.workspace_memberships SET created_at = now() - interval '1 day'
 WHERE workspace_id = :'wb' AND user_id = :'uc';
SELECT * FROM pg_temp.tap_as('second_authenticator', NULL, NULL);
SELECT is(second.resolve_workspace('alpha', NULL), :'wa', 'a slug resolves to its workspace');
SELECT is(second.resolve_workspace(:'wb', NULL), :'wb', 'an id resolves to itself');
SELECT is(second.resolve_workspace('bravo', :'ua'), :'wb',
    'resolution is not authorization: a non-member''s slug still resolves');
SELECT is(second.resolve_workspace('charlie', :'ua'), NULL, 'an unknown slug: NULL');
SELECT is(second.resolve_workspace('cccccccccccccccccccccccc', :'ua'), NULL, 'an unknown id: NULL');
SELECT is(second.resolve_workspace('ALPHA', :'ua'), NULL, 'slugs are exact (no case folding)');
SELECT is(second.resolve_workspace(NULL, :'ua'), NULL, 'no reference: NULL');
SELECT is(second.resolve_workspace('', :'uc'), :'wb', 'empty reference: the oldest membership');
SELECT is(second.resolve_workspace('', :'ux3'), NULL, 'empty reference, no membership: NULL');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

-------------------------------------------------------------------------------
-- Helpers
-------------------------------------------------------------------------------
SELECT pg_temp.tap_refused('second_internal', NULL, :'wa',
    'SELECT second.is_current_member()',
    'is_current_member is for second_member only');
SELECT pg_temp.tap_refused('second_authenticator', NULL, :'wa',
    'SELECT second.current_workspace_id()',
    'the authenticator cannot execute the context helpers');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
