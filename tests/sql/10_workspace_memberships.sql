-- workspace_memberships: two-workspace isolation for every request role
-- granted on it, and the member's own rows across workspaces.
BEGIN;
\ir fixtures.psql
SELECT plan(6 + 12 * 3);

-- uc belongs to A and B: with no workspace selected it sees exactly its own
-- two rows (/api/me), and nobody else's.
SELECT * FROM pg_temp.tap_as('second_member', :'uc', NULL);
SELECT results_eq(
    'SELECT workspace_id::text, user_id::text FROM second.workspace_memberships ORDER BY 1',
    format('VALUES (%L, %L), (%L, %L)', :'wa', :'uc', :'wb', :'uc'),
    'member without a workspace sees only its own memberships, in every workspace');
SELECT is(pg_temp.tap_rowcount('UPDATE second.workspace_memberships SET role = role'), 0::bigint,
    'own rows outside the current workspace are read only (UPDATE)');
SELECT is(pg_temp.tap_rowcount('DELETE FROM second.workspace_memberships'), 0::bigint,
    'own rows outside the current workspace are read only (DELETE)');
-- In A, uc sees all of A's members and its own row in B, nothing else of B.
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is((SELECT count(*) FROM second.workspace_memberships WHERE workspace_id = :'wa'), 3::bigint,
    'member in A sees every membership of A');
SELECT results_eq(
    format('SELECT user_id::text FROM second.workspace_memberships WHERE workspace_id = %L', :'wb'),
    format('VALUES (%L)', :'uc'),
    'member in A sees of B only its own membership');
-- ua2 (member of A only) with workspace B selected: nothing but its own A row.
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wb');
SELECT results_eq('SELECT workspace_id::text FROM second.workspace_memberships',
    format('VALUES (%L)', :'wa'), 'non-member naming B sees only its own row in A');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM pg_temp.tap_isolation('second.workspace_memberships', 'second_member', :'ua',
    :'wa', :'wb',
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wa', :'ux1'),
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wb', :'ux1'),
    'membership_version = membership_version + 1');
SELECT * FROM pg_temp.tap_isolation('second.workspace_memberships', 'second_internal', NULL,
    :'wa', :'wb',
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wa', :'ux2'),
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wb', :'ux2'),
    'membership_version = membership_version + 1');
SELECT * FROM pg_temp.tap_isolation('second.workspace_memberships', 'second_provider', NULL,
    :'wa', :'wb',
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wa', :'ux3'),
    format($$INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (%L, %L, 'member')$$, :'wb', :'ux3'),
    'membership_version = membership_version + 1');

SELECT * FROM finish();
ROLLBACK;
