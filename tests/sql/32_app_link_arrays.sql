-- apps.team_ids and apps.collaborator_ids (sql/repeatable/50_triggers.sql): kept equal to the sorted
-- ids of app_teams and app_collaborators by the link triggers, whoever
-- changes the links (a builder, a cascade from a team or a membership
-- removed by a role that cannot update the app); never written by a request
-- role; read by the apps policies.  And second.current_caller() (sql/repeatable/30_guard.sql), the
-- guard row of the current user.
--
-- 18_app_visibility.sql covers visibility over fixed links; here the links
-- change under the readers.  15_apps.sql covers a non-member naming the
-- workspace (tap_isolation).
BEGIN;
\ir fixtures.psql

-- t0: a team of A whose id sorts before the fixture's (General ta, Design
-- ta2).  pz: a published app of A by ua, without links.
\set t0 'a00000000000000000000010'
\set pz 'a000000000000000000000b1'
\set pn 'a000000000000000000000b2'
\set nobody 'e000000000000000000000ff'

-- seen_by(user, workspace, app): switch to that user as a second_member
-- of the workspace (the role stays switched) and count the rows of the app
-- they see.
CREATE FUNCTION pg_temp.seen_by(p_user text, p_ws text, p_app text)
    RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.tap_as('second_member', p_user, p_ws);
	RETURN (SELECT count(*) FROM second.apps WHERE id = p_app);
END
$$;

-- Apps whose arrays differ from their link rows (sorted).
CREATE FUNCTION pg_temp.out_of_sync() RETURNS bigint
    LANGUAGE sql SECURITY DEFINER AS $$
	SELECT count(*) FROM second.apps a
	 WHERE a.team_ids IS DISTINCT FROM
	       ARRAY(SELECT t.team_id::text FROM second.app_teams t
	              WHERE t.workspace_id = a.workspace_id AND t.app_id = a.id
	              ORDER BY t.team_id)
	    OR a.collaborator_ids IS DISTINCT FROM
	       ARRAY(SELECT c.user_id::text FROM second.app_collaborators c
	              WHERE c.workspace_id = a.workspace_id AND c.app_id = a.id
	              ORDER BY c.user_id)
$$;

SELECT plan(2 + 17 + 16 + 11 + 8 + 3 + 3 + 3 + 2);

-------------------------------------------------------------------------------
-- After the fixtures (2)
-------------------------------------------------------------------------------
SELECT is(pg_temp.out_of_sync(), 0::bigint,
    'every app''s team_ids and collaborator_ids equal its sorted link rows');
SELECT results_eq('SELECT id::text, team_ids, collaborator_ids FROM second.apps ORDER BY workspace_id, id',
    format('VALUES (%L, ARRAY[%L], ARRAY[%L]), (%L, ''{}''::text[], ''{}''::text[]),
                   (%L, ARRAY[%L], ARRAY[%L]), (%L, ''{}'', ''{}'')',
           :'aa1', :'ta', :'ua2', :'aa2', :'ab1', :'tb', :'uc', :'ab2'),
    'the fixtures'' links are on the apps rows');

INSERT INTO second.teams (workspace_id, id, name) VALUES (:'wa', :'t0', 'Zero');
INSERT INTO second.apps (workspace_id, id, name, publish_status, created_by_user_id,
    published_snapshot_id) VALUES
    (:'wa', :'pz', 'Zed', 'published', :'ua', 'a000000000000000000000b9');

-------------------------------------------------------------------------------
-- A builder changes the links (17): ua2, a plain member, created aa2
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'ta2'), 'the creator shares aa2 with Design');
SELECT is(pg_temp.team_ids(:'aa2'), ARRAY[:'ta2'], 'team_ids has the team');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L), (%L, %L, %L) ON CONFLICT DO NOTHING',
    :'wa', :'aa2', :'t0', :'wa', :'aa2', :'ta2'), 'one statement adds a team and repeats one (ON CONFLICT DO NOTHING)');
SELECT is(pg_temp.team_ids(:'aa2'), ARRAY[:'t0', :'ta2'], 'team_ids is sorted, without a duplicate');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'ta'), 'the creator shares aa2 with General');
SELECT is(pg_temp.team_ids(:'aa2'), ARRAY[:'t0', :'ta', :'ta2'], 'a team in the middle lands in order');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_teams WHERE app_id = %L AND team_id = %L', :'aa2', :'ta')),
    1::bigint, 'the creator unshares General');
SELECT is(pg_temp.team_ids(:'aa2'), ARRAY[:'t0', :'ta2'], 'the team leaves team_ids');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_teams WHERE app_id = %L', :'aa2')),
    2::bigint, 'one statement removes both remaining teams');
SELECT is(pg_temp.team_ids(:'aa2'), '{}'::text[], 'team_ids is empty');
SELECT lives_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'aa2', :'uc'), 'the creator adds uc as collaborator');
SELECT lives_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L), (%L, %L, %L) ON CONFLICT DO NOTHING',
    :'wa', :'aa2', :'ua', :'wa', :'aa2', :'uc'), 'and ua, repeating uc');
SELECT is(pg_temp.collaborator_ids(:'aa2'), ARRAY[:'ua', :'uc'], 'collaborator_ids is sorted, without a duplicate');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_collaborators WHERE app_id = %L AND user_id = %L', :'aa2', :'uc')),
    1::bigint, 'the creator removes uc');
SELECT is(pg_temp.collaborator_ids(:'aa2'), ARRAY[:'ua'], 'uc leaves collaborator_ids');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq('SELECT id::text, team_ids, collaborator_ids FROM second.apps WHERE id <> ''' || :'aa2' || ''' ORDER BY workspace_id, id',
    format('VALUES (%L, ARRAY[%L], ARRAY[%L]), (%L, ''{}''::text[], ''{}''::text[]),
                   (%L, ARRAY[%L], ARRAY[%L]), (%L, ''{}'', ''{}'')',
           :'aa1', :'ta', :'ua2', :'pz', :'ab1', :'tb', :'uc', :'ab2'),
    'the other apps'' arrays are untouched');
SELECT is(pg_temp.out_of_sync(), 0::bigint, 'every app is still in sync');

-------------------------------------------------------------------------------
-- Visibility follows the arrays (16): uc is a plain member of A, in General
-------------------------------------------------------------------------------
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 0::bigint,
    'a published app without links is invisible to a plain member');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'pz', :'ta2'), 'the owner shares pz with Design');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 0::bigint,
    'a member outside Design does not see it');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)',
    :'wa', :'pz', :'ta'), 'the owner shares pz with General too');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 1::bigint,
    'a member of General sees the published app shared with it');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('UPDATE second.apps SET published_snapshot_id = NULL WHERE id = %L', :'pz')),
    1::bigint, 'the owner unpublishes pz (published_snapshot_id NULL)');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 0::bigint,
    'an unpublished app is invisible to its team');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET published_snapshot_id = 'a000000000000000000000b9' WHERE id = %L$$, :'pz')),
    1::bigint, 'the owner publishes pz again');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_teams WHERE app_id = %L AND team_id = %L', :'pz', :'ta')),
    1::bigint, 'the owner unshares General');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 0::bigint,
    'the member of General no longer sees it');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT lives_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)',
    :'wa', :'pz', :'uc'), 'the owner makes uc a collaborator of pz');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 1::bigint, 'the collaborator sees it');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET name = 'Zed by uc' WHERE id = %L$$, :'pz')),
    1::bigint, 'the collaborator updates it');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.app_collaborators WHERE app_id = %L AND user_id = %L', :'pz', :'uc')),
    1::bigint, 'the owner removes the collaborator');
SELECT is(pg_temp.seen_by(:'uc', :'wa', :'pz'), 0::bigint, 'the former collaborator no longer sees it');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET name = 'Zed again' WHERE id = %L$$, :'pz')),
    0::bigint, 'nor updates it');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

-------------------------------------------------------------------------------
-- current_caller() (11)
-------------------------------------------------------------------------------
-- ua in two teams of A, t0 added last; ua's session version bumped; uc's
-- membership of B older than that of A (so the oldest is not the smallest
-- workspace id).
INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES (:'wa', :'t0', :'ua');
UPDATE second.users SET session_version = 3 WHERE id = :'ua';
UPDATE second.workspace_memberships SET created_at = now() - interval '1 day'
 WHERE workspace_id = :'wb' AND user_id = :'uc';

\set caller 'SELECT user_id, display_name, email, session_version, home_slug, workspace_id, workspace_slug, workspace_name, role, team_ids FROM second.current_caller()'
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'Ann A', 'ann@a.test', 3, NULL, %L, 'alpha', 'Alpha', 'owner', %L)$$,
           :'ua', :'wa', :'t0' || ',' || :'ta'),
    'ua in A: one row, the owner, their teams of A sorted, no home (a member of A)');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'Cy AB', 'cy@c.test', 1, NULL, %L, 'alpha', 'Alpha', 'member', %L)$$,
           :'uc', :'wa', :'ta'),
    'uc in A: member, General of A only, no home');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', NULL);
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'Cy AB', 'cy@c.test', 1, 'bravo', NULL, NULL, NULL, NULL, NULL)$$, :'uc'),
    'uc, no workspace named: home is the oldest membership (B)');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wb');
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'Cy AB', 'cy@c.test', 1, NULL, %L, 'bravo', 'Bravo', 'admin', %L)$$,
           :'uc', :'wb', :'tb'),
    'uc in B: admin, General of B');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wb');
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'Ann A', 'ann@a.test', 3, 'alpha', NULL, NULL, NULL, NULL, NULL)$$, :'ua'),
    'ua naming B (not a member): the user row and home, no workspace columns');
SELECT * FROM pg_temp.tap_as('second_member', :'ux1', :'wa');
SELECT results_eq(:'caller',
    format($$VALUES (%L, 'X One', 'x1@x.test', 1, NULL, NULL, NULL, NULL, NULL, NULL)$$, :'ux1'),
    'a user without membership: the user row, no home, no workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'nobody', :'wa');
SELECT is_empty('SELECT * FROM second.current_caller()', 'a user that does not exist: no row');
SELECT * FROM pg_temp.tap_as('second_member', NULL, :'wa');
SELECT is_empty('SELECT * FROM second.current_caller()', 'no user: no row');
SELECT pg_temp.tap_refused('second_anon', :'ua', :'wa',
    'SELECT * FROM second.current_caller()',
    'second_anon cannot call current_caller');
SELECT pg_temp.tap_refused('second_internal', :'ua', :'wa',
    'SELECT * FROM second.current_caller()',
    'second_internal cannot call current_caller');
SELECT pg_temp.tap_refused('second_authenticator', :'ua', :'wa',
    'SELECT * FROM second.current_caller()',
    'the authenticator cannot call current_caller');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

-------------------------------------------------------------------------------
-- No request role writes the arrays (8)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT throws_ok(format('UPDATE second.apps SET team_ids = ARRAY[%L] WHERE id = %L', :'ta', :'aa2'),
    '42501', NULL, 'the creator cannot set team_ids');
SELECT throws_ok(format('UPDATE second.apps SET collaborator_ids = ARRAY[%L] WHERE id = %L', :'uc', :'aa2'),
    '42501', NULL, 'the creator cannot set collaborator_ids');
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id, team_ids) VALUES (%L, %L, 'Mine', %L, ARRAY[%L])$$,
    :'wa', :'pn', :'ua2', :'ta'), '42501', NULL, 'a member cannot insert an app with team_ids');
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id, collaborator_ids) VALUES (%L, %L, 'Mine', %L, ARRAY[%L])$$,
    :'wa', :'pn', :'ua2', :'uc'), '42501', NULL, 'a member cannot insert an app with collaborator_ids');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET name = 'Renamed' WHERE id = %L$$, :'aa2')),
    1::bigint, 'the creator still renames the app');
SELECT lives_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, %L, 'Mine', %L)$$,
    :'wa', :'pn', :'ua2'), 'and still creates an app');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format('UPDATE second.apps SET team_ids = team_ids WHERE id = %L', :'aa1'),
    '42501', NULL, 'the owner of the workspace cannot write team_ids either');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq(format('SELECT name, team_ids, collaborator_ids FROM second.apps WHERE id IN (%L, %L) ORDER BY id', :'aa2', :'pn'),
    format($$VALUES ('Renamed', '{}'::text[], ARRAY[%L]), ('Mine', '{}', '{}')$$, :'ua'),
    'the rename kept the arrays; the new app has none');

-------------------------------------------------------------------------------
-- Removing a team removes it from every app (3)
-------------------------------------------------------------------------------
-- Design (ta2) on aa1, aa2 and pz (pz already, from above).
INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES
    (:'wa', :'aa1', :'ta2'), (:'wa', :'aa2', :'ta2');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.teams WHERE workspace_id = %L AND id = %L', :'wa', :'ta2')),
    1::bigint, 'the owner deletes Design');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.apps WHERE :'ta2' = ANY (team_ids)), 0::bigint,
    'no app has Design in team_ids any more');
SELECT results_eq(format('SELECT id::text, team_ids FROM second.apps WHERE id IN (%L, %L, %L) ORDER BY id', :'aa1', :'aa2', :'pz'),
    format($$VALUES (%L, ARRAY[%L]), (%L, '{}'::text[]), (%L, '{}')$$, :'aa1', :'ta', :'aa2', :'pz'),
    'the apps keep their other teams');

-------------------------------------------------------------------------------
-- Removing a member removes their collaborations (3): by the identity
-- provider, which holds no privilege on apps
-------------------------------------------------------------------------------
-- uc collaborates on aa1 (with ua2) and pz in A, and on ab1 in B.
INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES
    (:'wa', :'aa1', :'uc'), (:'wa', :'pz', :'uc');
SELECT * FROM pg_temp.tap_as('second_provider', NULL, :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.workspace_memberships WHERE workspace_id = %L AND user_id = %L', :'wa', :'uc')),
    1::bigint, 'the provider removes uc from A');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq(format('SELECT id::text, collaborator_ids FROM second.apps WHERE id IN (%L, %L, %L) ORDER BY id', :'aa1', :'ab1', :'pz'),
    format($$VALUES (%L, ARRAY[%L]), (%L, '{}'::text[]), (%L, ARRAY[%L])$$, :'aa1', :'ua2', :'pz', :'ab1', :'uc'),
    'uc left the collaborator_ids of A''s apps, not of B''s');
SELECT is(pg_temp.out_of_sync(), 0::bigint, 'every app is in sync after the cascades');

-------------------------------------------------------------------------------
-- Deleting apps with links (3)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE id = %L', :'aa1')),
    1::bigint, 'the owner deletes aa1 (a team, a collaborator, everything under it)');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE id = %L', :'aa2')),
    1::bigint, 'the creator deletes aa2 (a collaborator)');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.app_teams WHERE app_id IN (:'aa1', :'aa2'))
        + (SELECT count(*) FROM second.app_collaborators WHERE app_id IN (:'aa1', :'aa2')),
    0::bigint, 'their links are gone');

-------------------------------------------------------------------------------
-- In the end (2)
-------------------------------------------------------------------------------
SELECT is(pg_temp.out_of_sync(), 0::bigint, 'every app is in sync');
SELECT ok((SELECT count(*) FROM second.apps WHERE team_ids <> '{}' AND collaborator_ids <> '{}') > 0,
    'and not vacuously: some app still has both kinds of links');

SELECT * FROM finish();
ROLLBACK;
