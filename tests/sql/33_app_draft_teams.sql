-- Who sees a published app is decided by review (sql/repeatable/80_policies_apps.sql): a creator or
-- collaborator changes the teams of a published app only in a transaction
-- that recorded an approved review request naming them; they propose teams
-- in apps.draft_team_ids instead.  Only the creator, owners and admins
-- change the collaborators.  Deleting a team removes it from the proposals.
--
-- The fixtures run in this test's transaction, so aa1's approved review
-- (by ua, team General) was decided "now": it is moved to yesterday first,
-- as an approval of an earlier request would be.
BEGIN;
\ir fixtures.psql

\set rr 'a00000000000000000000061'

SELECT plan(7 + 4 + 4 + 3 + 2);

UPDATE second.review_requests SET decided_at = now() - interval '1 day'
 WHERE app_id = :'aa1';

-------------------------------------------------------------------------------
-- ua2, a plain member, collaborates on the published aa1 (7)
-------------------------------------------------------------------------------
SELECT pg_temp.tap_refused('second_member', :'ua2', :'wa',
    format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'ta2'),
    'a collaborator cannot share a published app with another team');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_teams WHERE app_id = %L', :'aa1')),
    0::bigint, 'a collaborator cannot unshare a published app');
SELECT is(pg_temp.team_ids(:'aa1'), ARRAY[:'ta'], 'who sees aa1 is unchanged');
SELECT is(pg_temp.tap_rowcount(format('UPDATE second.apps SET draft_team_ids = ARRAY[%L] WHERE id = %L',
    :'ta2', :'aa1')), 1::bigint, 'a collaborator proposes teams');
SELECT is(pg_temp.draft_team_ids(:'aa1'), ARRAY[:'ta2'], 'the proposal is stored');
SELECT throws_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'uc'), '42501', NULL,
    'a collaborator cannot add a collaborator');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_collaborators WHERE app_id = %L AND user_id <> %L',
    :'aa1', :'ua2')), 0::bigint, 'a collaborator cannot remove other collaborators');

-------------------------------------------------------------------------------
-- Publishing in this transaction: an approved request naming the team (4)
-------------------------------------------------------------------------------
SELECT lives_ok(format('INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids,
    status, requested_by_user_id, decided_by_user_id, decided_at) VALUES (%L, %L, %L, ARRAY[%L],
    ''approved'', %L, %L, now())', :'wa', :'rr', :'aa1', :'ta2', :'ua2', :'ua2'),
    'a builder records an approved request (none mode publishes at once)');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_teams WHERE app_id = %L', :'aa1')),
    1::bigint, 'with it, the old teams go');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'ta2'), 'and the approved team comes');
SELECT throws_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'ta'), '42501', NULL,
    'a team the approved request does not name still cannot');

-------------------------------------------------------------------------------
-- The creator of a draft never published; the owner (4)
-------------------------------------------------------------------------------
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'ta'), 'the creator shares a draft nobody sees through a team yet');
SELECT lives_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'uc'), 'the creator adds a collaborator');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'ta'), 'an owner changes who sees a published app directly');
SELECT lives_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'aa1', :'uc'), 'an owner adds a collaborator to an app she did not create');

-------------------------------------------------------------------------------
-- uc, now a collaborator of aa2 (not its creator) (3)
-------------------------------------------------------------------------------
SELECT pg_temp.tap_refused('second_member', :'uc', :'wa',
    format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'ua'),
    'a collaborator of a draft cannot add collaborators either');
SELECT is(pg_temp.collaborator_ids(:'aa2'), ARRAY[:'uc'], 'aa2''s collaborators are unchanged');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_collaborators WHERE app_id = %L AND user_id = %L',
    :'aa2', :'uc')), 1::bigint, 'but may leave: their own row goes');

-------------------------------------------------------------------------------
-- A team deleted leaves the proposals (2)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
UPDATE second.apps SET draft_team_ids = ARRAY[:'ta', :'ta2'] WHERE id = :'aa2';
DELETE FROM second.teams WHERE id = :'ta2';
SELECT is(pg_temp.draft_team_ids(:'aa2'), ARRAY[:'ta'], 'the deleted team left aa2''s proposal');
SELECT is(pg_temp.draft_team_ids(:'aa1'), '{}'::text[], 'and aa1''s');

SELECT * FROM finish();
ROLLBACK;
