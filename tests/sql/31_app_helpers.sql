-- The SECURITY DEFINER helpers of app visibility: current_member_role(),
-- current_team_ids().  Each answers only for the current user in the
-- current workspace, NULL or an empty array without one, and only
-- second_member may call them.
BEGIN;
\ir fixtures.psql

-- ua in three teams of A; t0 sorts before the fixture's teams and is
-- inserted last, so only an ORDER BY puts it first.
\set t0 'a00000000000000000000010'
INSERT INTO second.teams (workspace_id, id, name) VALUES (:'wa', :'t0', 'Zero');
INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES
    (:'wa', :'ta2', :'ua'), (:'wa', :'t0', :'ua');

SELECT plan(18);

-------------------------------------------------------------------------------
-- current_member_role
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(second.current_member_role(), 'owner', 'the owner of A is owner in A');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(second.current_member_role(), 'member', 'uc is member in A');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wb');
SELECT is(second.current_member_role(), 'admin', 'uc is admin in B');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wb');
SELECT is(second.current_member_role(), NULL, 'a non-member naming B has no role there');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', NULL);
SELECT is(second.current_member_role(), NULL, 'no workspace: no role');
SELECT * FROM pg_temp.tap_as('second_member', NULL, :'wa');
SELECT is(second.current_member_role(), NULL, 'no user: no role');

-------------------------------------------------------------------------------
-- current_team_ids
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(second.current_team_ids(), ARRAY[:'t0', :'ta', :'ta2'],
    'the teams of ua in A, sorted by id');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT is(second.current_team_ids(), ARRAY[:'ta'],
    'ua2 gets their own team only, not the other teams of the workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(second.current_team_ids(), ARRAY[:'ta'],
    'uc in A gets their team of A only (not General of B)');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wb');
SELECT is(second.current_team_ids(), ARRAY[:'tb'], 'uc in B gets their team of B');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wb');
SELECT is(second.current_team_ids(), '{}'::text[], 'a non-member naming B gets an empty array');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', NULL);
SELECT is(second.current_team_ids(), '{}'::text[], 'no workspace: empty array');
SELECT * FROM pg_temp.tap_as('second_member', NULL, NULL);
SELECT is(second.current_team_ids(), '{}'::text[], 'no context: empty array');

-------------------------------------------------------------------------------
-- Who may call them
-------------------------------------------------------------------------------
SELECT pg_temp.tap_refused('second_internal', NULL, :'wa',
    'SELECT second.current_member_role()',
    'current_member_role is for second_member only');
SELECT throws_ok('SELECT second.current_team_ids()', '42501', NULL,
    'second_internal cannot call current_team_ids');
SELECT pg_temp.tap_refused('second_anon', :'ua', :'wa',
    'SELECT second.current_team_ids()',
    'second_anon cannot call current_team_ids');
SELECT pg_temp.tap_refused('second_authenticator', :'ua', :'wa',
    'SELECT second.current_member_role()',
    'the authenticator cannot call current_member_role');
SELECT throws_ok('SELECT second.current_team_ids()', '42501', NULL,
    'the authenticator cannot call current_team_ids');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
