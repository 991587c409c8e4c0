-- team_memberships: two-workspace isolation for every request role granted
-- on it; composite references keep a team membership inside its workspace.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 3 + 4);

SELECT * FROM pg_temp.tap_isolation('second.team_memberships', 'second_member', :'ua', :'wa', :'wb',
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wa', :'ta2', :'ua'),
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wb', :'tb2', :'ub'),
    'user_id = user_id');
SELECT * FROM pg_temp.tap_isolation('second.team_memberships', 'second_internal', NULL, :'wa', :'wb',
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wa', :'ta2', :'ua2'),
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wb', :'tb2', :'uc'),
    'user_id = user_id');
SELECT * FROM pg_temp.tap_isolation('second.team_memberships', 'second_provider', NULL, :'wa', :'wb',
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wa', :'ta2', :'uc'),
    format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wb', :'tb2', :'uc'),
    'user_id = user_id');

-- Composite foreign keys: inside A, neither B's team nor a non-member of A.
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wa', :'tb', :'ua'),
    '23503', NULL, 'a team membership cannot name a team of another workspace');
SELECT throws_ok(format('INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (%L, %L, %L)', :'wa', :'ta', :'ub'),
    '23503', NULL, 'a team membership cannot name a user who is not a member of the workspace');
-- Removing a member removes their team memberships (in that workspace only).
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.workspace_memberships WHERE workspace_id = %L AND user_id = %L', :'wa', :'uc')),
    1::bigint, 'a member can be removed');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq(format('SELECT workspace_id::text FROM second.team_memberships WHERE user_id = %L', :'uc'),
    format('VALUES (%L)', :'wb'),
    'removing a member removes their team memberships of that workspace only');

SELECT * FROM finish();
ROLLBACK;
