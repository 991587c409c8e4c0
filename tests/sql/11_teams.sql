-- teams: two-workspace isolation for every request role granted on it, and
-- the default team rules.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 3 + 6);

SELECT * FROM pg_temp.tap_isolation('second.teams', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'a00000000000000000000013', 'Ops')$$, :'wa'),
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'b00000000000000000000013', 'Ops')$$, :'wb'),
    'name = name');
SELECT * FROM pg_temp.tap_isolation('second.teams', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'a00000000000000000000014', 'Int')$$, :'wa'),
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'b00000000000000000000014', 'Int')$$, :'wb'),
    'name = name');
SELECT * FROM pg_temp.tap_isolation('second.teams', 'second_provider', NULL, :'wa', :'wb',
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'a00000000000000000000015', 'Prov')$$, :'wa'),
    format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'b00000000000000000000015', 'Prov')$$, :'wb'),
    'name = name');

-- Default team: exactly one per workspace, never deleted nor demoted.
INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (:'wa', :'ta2', :'ua2');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format('DELETE FROM second.teams WHERE workspace_id = %L AND id = %L', :'wa', :'ta'),
    '23514', NULL, 'the default team cannot be deleted');
SELECT throws_ok(format('UPDATE second.teams SET is_default = false WHERE workspace_id = %L AND id = %L', :'wa', :'ta'),
    '23514', NULL, 'the default team cannot stop being the default');
SELECT throws_ok(format($$INSERT INTO second.teams (workspace_id, id, name, is_default) VALUES (%L, 'a00000000000000000000016', 'Second', true)$$, :'wa'),
    '23505', NULL, 'a workspace has one default team');
SELECT throws_ok(format($$INSERT INTO second.teams (workspace_id, id, name) VALUES (%L, 'a00000000000000000000017', 'design')$$, :'wa'),
    '23505', NULL, 'team names are unique per workspace, ignoring case');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.teams WHERE workspace_id = %L AND id = %L', :'wa', :'ta2')),
    1::bigint, 'an ordinary team can be deleted');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.team_memberships WHERE team_id = :'ta2'), 0::bigint,
    'deleting a team removes its team memberships');

SELECT * FROM finish();
ROLLBACK;
