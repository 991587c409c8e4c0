-- App visibility inside one workspace (A), as second_member, straight against
-- the policies (no WHERE clause does the filtering):
--   owners and admins see every app; creator and collaborators their app in
--   any state with its draft material; a member in a team of a published app
--   sees the app, its published snapshot and published data, never draft
--   material; a member outside the app's teams sees nothing of it; a draft or
--   in_review app is invisible to its teams; removing a member removes their
--   collaborations.
BEGIN;
\ir fixtures.psql

-- The cast, in A (fixture: ua owner, ua2 and uc members, all in General ta).
\set uad 'a00000000000000000000003'
\set ucr 'a00000000000000000000004'
\set uco 'a00000000000000000000005'
\set utm 'a00000000000000000000006'
\set uout 'a00000000000000000000007'
\set tv 'a00000000000000000000013'
-- pp published, pd draft, pr in_review: by ucr, team tv; uco collaborates on
-- pp and pd.  ph published by ua, team ta2 (nobody in it).
\set pp 'a000000000000000000000a1'
\set pd 'a000000000000000000000a2'
\set pr 'a000000000000000000000a3'
\set ph 'a000000000000000000000a4'
\set pv 'a000000000000000000000a5'

INSERT INTO second.users (id, display_name, email, email_normalized) VALUES
    (:'uad', 'Ada Admin', 'ada@a.test', 'ada@a.test'),
    (:'ucr', 'Cora Creator', 'cora@a.test', 'cora@a.test'),
    (:'uco', 'Colin Collab', 'colin@a.test', 'colin@a.test'),
    (:'utm', 'Tess Team', 'tess@a.test', 'tess@a.test'),
    (:'uout', 'Otto Out', 'otto@a.test', 'otto@a.test');
INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES
    (:'wa', :'uad', 'admin'), (:'wa', :'ucr', 'member'), (:'wa', :'uco', 'member'),
    (:'wa', :'utm', 'member'), (:'wa', :'uout', 'member');
INSERT INTO second.teams (workspace_id, id, name) VALUES (:'wa', :'tv', 'Viewers');
INSERT INTO second.team_memberships (workspace_id, team_id, user_id) VALUES
    (:'wa', :'ta', :'utm'), (:'wa', :'ta', :'uout'), (:'wa', :'tv', :'utm');

INSERT INTO second.apps (workspace_id, id, name, publish_status, created_by_user_id) VALUES
    (:'wa', :'pp', 'Published', 'published', :'ucr'),
    (:'wa', :'pd', 'Draft', 'draft', :'ucr'),
    (:'wa', :'pr', 'In review', 'in_review', :'ucr'),
    (:'wa', :'ph', 'Hidden', 'published', :'ua');
-- Published once: pp and ph; pv is back in review after its first
-- publication, so its team still sees it (the last published version).
INSERT INTO second.apps (workspace_id, id, name, publish_status,
    created_by_user_id, published_snapshot_id) VALUES
    (:'wa', :'pv', 'Republishing', 'in_review', :'ua', 'a000000000000000000000c7');
UPDATE second.apps SET published_snapshot_id = 'a000000000000000000000c8'
 WHERE workspace_id = :'wa' AND id IN (:'pp', :'ph');
INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES
    (:'wa', :'pp', :'uco'), (:'wa', :'pd', :'uco');
INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES
    (:'wa', :'pp', :'tv'), (:'wa', :'pd', :'tv'), (:'wa', :'pr', :'tv'), (:'wa', :'ph', :'ta2'),
    (:'wa', :'pv', :'tv');
INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES
    (:'wa', :'pp', 'draft', 'a000000000000000000000c1'),
    (:'wa', :'pp', 'published', 'a000000000000000000000c2'),
    (:'wa', :'pd', 'draft', 'a000000000000000000000c3'),
    (:'wa', :'pr', 'draft', 'a000000000000000000000c4'),
    (:'wa', :'ph', 'published', 'a000000000000000000000c5');
INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES
    (:'wa', :'pp', 'published', 'leads', 'a000000000000000000000d1', '{"n":1}'),
    (:'wa', :'pp', 'draft', 'leads', 'a000000000000000000000d2', '{"n":2}'),
    (:'wa', :'pd', 'draft', 'leads', 'a000000000000000000000d3', '{"n":3}'),
    (:'wa', :'ph', 'published', 'leads', 'a000000000000000000000d4', '{"n":4}');
INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES
    (:'wa', 'a000000000000000000000e1', :'pp', :'ucr'),
    (:'wa', 'a000000000000000000000e2', :'pd', :'uco');
INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids, status,
    requested_by_user_id) VALUES
    (:'wa', 'a000000000000000000000e3', :'pp', ARRAY[:'tv'], 'approved', :'ucr'),
    (:'wa', 'a000000000000000000000e4', :'pr', ARRAY[:'tv'], 'pending', :'ucr');
INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload,
    approved_by_user_id) VALUES
    (:'wa', 'a000000000000000000000e5', :'pp', :'h2', '{"agents":[]}', :'uad');
INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id,
    source_version, prompt) VALUES
    (:'wa', 'a000000000000000000000e6', :'pp', 'helper', :'utm', 'published', 'live run'),
    (:'wa', 'a000000000000000000000e7', :'pp', 'helper', :'ucr', 'draft', 'draft run');

-- tap_nothing_of(apps, who): 9 tests, the caller sees no row of these apps
-- in apps or any table under them.
CREATE FUNCTION pg_temp.tap_nothing_of(p_apps text[], p_who text)
    RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	RETURN NEXT is(pg_temp.tap_count(format('SELECT count(*) FROM second.apps WHERE id = ANY (%L)', p_apps)),
	    0::bigint, p_who || ': no app');
	FOREACH t IN ARRAY ARRAY['app_collaborators', 'app_teams', 'app_source_snapshots',
	    'review_requests', 'agent_config_approvals', 'builder_runs', 'agent_runs', 'app_data']
	LOOP
		RETURN NEXT is(pg_temp.tap_count(format('SELECT count(*) FROM second.%I WHERE app_id = ANY (%L)', t, p_apps)),
		    0::bigint, p_who || ': nothing in ' || t);
	END LOOP;
END
$$;

SELECT plan(6 + 1 + 9 + 8 + 9 + 9 + 18 + 6 + 3 + 2 + 5 + 2 + 4);

-------------------------------------------------------------------------------
-- Which apps each kind of member sees (6)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1', :'aa2', :'pp', :'pd', :'pr', :'ph', :'pv'],
    'owner sees every app');
SELECT * FROM pg_temp.tap_as('second_member', :'uad', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1', :'aa2', :'pp', :'pd', :'pr', :'ph', :'pv'],
    'admin sees every app');
SELECT * FROM pg_temp.tap_as('second_member', :'ucr', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'pp', :'pd', :'pr'],
    'creator sees their apps in every state');
SELECT * FROM pg_temp.tap_as('second_member', :'uco', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'pp', :'pd'],
    'collaborator sees the apps they collaborate on, draft included');
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1', :'pp', :'pv'],
    'team member sees the apps of their teams that have a published version, in review too');
SELECT * FROM pg_temp.tap_as('second_member', :'uout', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1'],
    'member outside the app''s teams does not see it');

-------------------------------------------------------------------------------
-- Unpublished apps are invisible to their teams (1)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT is((SELECT count(*) FROM second.apps WHERE id IN (:'pd', :'pr')), 0::bigint,
    'a draft or in_review app shared with the member''s team stays invisible');

-------------------------------------------------------------------------------
-- Builders see draft material (9)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ucr', :'wa');
SELECT set_eq(format('SELECT kind FROM second.app_source_snapshots WHERE app_id = %L', :'pp'),
    ARRAY['draft', 'published'], 'creator sees both snapshots of their published app');
SELECT set_eq(format('SELECT scope FROM second.app_data WHERE app_id = %L', :'pp'),
    ARRAY['draft', 'published'], 'creator sees both data scopes');
SELECT set_eq(format('SELECT status FROM second.review_requests WHERE app_id IN (%L, %L)', :'pp', :'pr'),
    ARRAY['approved', 'pending'], 'creator sees the review requests of their apps');
SELECT set_eq(format('SELECT source_version FROM second.agent_runs WHERE app_id = %L', :'pp'),
    ARRAY['draft', 'published'], 'creator sees draft and published agent runs');
SELECT * FROM pg_temp.tap_as('second_member', :'uco', :'wa');
SELECT set_eq(format('SELECT id::text FROM second.app_source_snapshots WHERE app_id = %L', :'pd'),
    ARRAY['a000000000000000000000c3'], 'collaborator sees the draft snapshot of a draft app');
SELECT set_eq(format('SELECT id::text FROM second.app_data WHERE app_id = %L', :'pd'),
    ARRAY['a000000000000000000000d3'], 'collaborator sees the draft data of a draft app');
SELECT set_eq('SELECT id::text FROM second.builder_runs', ARRAY['a000000000000000000000e1', 'a000000000000000000000e2'],
    'collaborator sees the builder runs of their apps');
SELECT set_eq('SELECT id::text FROM second.agent_config_approvals', ARRAY['a000000000000000000000e5'],
    'collaborator sees the approvals of their apps');
SELECT * FROM pg_temp.tap_as('second_member', :'uad', :'wa');
SELECT is((SELECT count(*) FROM second.builder_runs WHERE app_id IN (:'pp', :'pd')), 2::bigint,
    'admin sees the builder runs of every app');

-------------------------------------------------------------------------------
-- A team member sees the published side of a published app only (8)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT set_eq(format('SELECT kind FROM second.app_source_snapshots WHERE app_id = %L', :'pp'),
    ARRAY['published'], 'team member sees the published snapshot, not the draft');
SELECT set_eq(format('SELECT id::text FROM second.app_data WHERE app_id = %L', :'pp'),
    ARRAY['a000000000000000000000d1'], 'team member sees published data, not draft data');
SELECT set_eq(format('SELECT id::text FROM second.agent_runs WHERE app_id = %L', :'pp'),
    ARRAY['a000000000000000000000e6'], 'team member sees published agent runs, not draft ones');
SELECT is((SELECT count(*) FROM second.builder_runs), 0::bigint, 'team member sees no builder run');
SELECT is((SELECT count(*) FROM second.review_requests), 0::bigint, 'team member sees no review request');
SELECT is((SELECT count(*) FROM second.agent_config_approvals), 0::bigint, 'team member sees no approval');
SELECT set_eq(format('SELECT user_id::text FROM second.app_collaborators WHERE app_id = %L', :'pp'),
    ARRAY[:'uco'], 'team member sees who collaborates on a visible app');
SELECT set_eq('SELECT app_id::text || team_id FROM second.app_teams',
    ARRAY[:'aa1' || :'ta', :'pp' || :'tv', :'pv' || :'tv'], 'team member sees the teams of visible apps only');

-------------------------------------------------------------------------------
-- Nothing of hidden apps (9 + 9)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'uout', :'wa');
SELECT * FROM pg_temp.tap_nothing_of(ARRAY[:'pp', :'pd', :'pr', :'ph'], 'member outside the teams');
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT * FROM pg_temp.tap_nothing_of(ARRAY[:'pd', :'pr', :'ph'], 'team member, unpublished or other-team apps');

-------------------------------------------------------------------------------
-- What a viewer (team member of pp) may write (18)
-------------------------------------------------------------------------------
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET name = 'Mine' WHERE id = %L$$, :'pp')),
    0::bigint, 'viewer cannot UPDATE the app');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE id = %L', :'pp')),
    0::bigint, 'viewer cannot DELETE the app');
SELECT is(pg_temp.tap_count(format('SELECT count(*) FROM (SELECT 1 FROM second.apps WHERE id = %L FOR NO KEY UPDATE) l', :'pp')),
    0::bigint, 'viewer cannot lock the app for a write');
SELECT lives_ok(format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a000000000000000000000f1', %L, 'helper', %L, 'go')$$, :'wa', :'pp', :'utm'),
    'viewer starts a published agent run of a visible app');
SELECT throws_ok(format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a000000000000000000000f2', %L, 'helper', %L, 'go')$$, :'wa', :'ph', :'utm'),
    '42501', NULL, 'viewer cannot start an agent run of a hidden app');
SELECT throws_ok(format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, source_version, prompt) VALUES (%L, 'a000000000000000000000f3', %L, 'helper', %L, 'draft', 'go')$$, :'wa', :'pp', :'utm'),
    '42501', NULL, 'viewer cannot run the draft version');
SELECT lives_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'leads', 'a000000000000000000000f4', '{"n":5}')$$, :'wa', :'pp'),
    'viewer inserts published data of a visible app');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.app_data SET data = '{"n":6}' WHERE app_id = %L$$, :'pp')),
    2::bigint, 'viewer updates the published data of a visible app (and only that)');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'draft', 'leads', 'a000000000000000000000f5', '{}')$$, :'wa', :'pp'),
    '42501', NULL, 'viewer cannot insert draft data');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'leads', 'a000000000000000000000f6', '{}')$$, :'wa', :'ph'),
    '42501', NULL, 'viewer cannot insert data of a hidden app');
SELECT throws_ok(format($$UPDATE second.app_data SET scope = 'draft' WHERE app_id = %L$$, :'pp'),
    '42501', NULL, 'viewer cannot move published data into the draft scope');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.app_source_snapshots SET files = '{}' WHERE app_id = %L$$, :'pp')),
    0::bigint, 'viewer cannot change a snapshot');
SELECT throws_ok(format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'draft', 'a000000000000000000000f7') ON CONFLICT DO NOTHING$$, :'wa', :'pp'),
    '42501', NULL, 'viewer cannot write a snapshot');
SELECT throws_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'a000000000000000000000f8', %L, %L)$$, :'wa', :'pp', :'utm'),
    '42501', NULL, 'viewer cannot start a builder run');
SELECT throws_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a000000000000000000000f9', %L, %L)$$, :'wa', :'pp', :'utm'),
    '42501', NULL, 'viewer cannot request a review');
SELECT throws_ok(format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'a000000000000000000000fa', %L, %L, '{}', %L)$$, :'wa', :'pp', :'h2', :'utm'),
    '42501', NULL, 'viewer cannot approve agents');
SELECT throws_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'pp', :'ta'),
    '42501', NULL, 'viewer cannot share the app with a team');
SELECT throws_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wa', :'pp', :'utm'),
    '42501', NULL, 'viewer cannot make themselves a collaborator');

-------------------------------------------------------------------------------
-- What builders may write (6)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'uco', :'wa');
SELECT is(pg_temp.tap_count(format('SELECT count(*) FROM (SELECT 1 FROM second.apps WHERE id = %L FOR NO KEY UPDATE) l', :'pd')),
    1::bigint, 'collaborator locks the app for a write');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET name = 'Renamed' WHERE id = %L$$, :'pp')),
    1::bigint, 'collaborator updates the app');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE id = %L', :'pd')),
    0::bigint, 'collaborator cannot delete the app');
SELECT lives_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'pd', :'ta'),
    'collaborator shares the app with a team');
SELECT lives_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'a000000000000000000000fb', %L, %L)$$, :'wa', :'pd', :'uco'),
    'collaborator starts a builder run');
SELECT * FROM pg_temp.tap_as('second_member', :'ucr', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE id = %L', :'pr')),
    1::bigint, 'creator deletes their app');

-------------------------------------------------------------------------------
-- Publishing makes an app visible to its teams, its draft still not (3)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'uad', :'wa');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.apps SET publish_status = 'published', published_snapshot_id = 'a000000000000000000000c9' WHERE id = %L$$, :'pd')),
    1::bigint, 'admin publishes the draft app');
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1', :'pp', :'pd', :'pv'],
    'once published, the team member sees it');
SELECT is((SELECT count(*) FROM second.app_source_snapshots WHERE app_id = :'pd'), 0::bigint,
    'but still not its draft snapshot');

-------------------------------------------------------------------------------
-- Leaving a team hides the team's apps (2)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.team_memberships WHERE team_id = %L AND user_id = %L', :'tv', :'utm')),
    1::bigint, 'the member leaves the team');
SELECT * FROM pg_temp.tap_as('second_member', :'utm', :'wa');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa1', :'pd'],
    'the team''s apps disappear (pd is also shared with General now)');

-------------------------------------------------------------------------------
-- A removed member loses their collaborations (5)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.workspace_memberships WHERE workspace_id = %L AND user_id = %L', :'wa', :'uco')),
    1::bigint, 'the owner removes the collaborator from the workspace');
SELECT is((SELECT count(*) FROM second.app_collaborators WHERE user_id = :'uco'), 0::bigint,
    'their collaborations are gone');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.app_collaborators WHERE user_id = :'uco'), 0::bigint,
    'their collaborations are gone (seen without row level security)');
SELECT * FROM pg_temp.tap_as('second_member', :'uco', :'wa');
SELECT is((SELECT count(*) FROM second.apps), 0::bigint, 'the removed collaborator sees no app');
SELECT is((SELECT count(*) FROM second.builder_runs), 0::bigint,
    'nor the builder runs they started');

-------------------------------------------------------------------------------
-- A removed creator sees nothing either (2)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.workspace_memberships WHERE workspace_id = %L AND user_id = %L', :'wa', :'ucr')),
    1::bigint, 'the owner removes the creator from the workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'ucr', :'wa');
SELECT is((SELECT count(*) FROM second.apps), 0::bigint, 'a creator who left sees none of their apps');

-------------------------------------------------------------------------------
-- second_internal sees the one app of the workspace it names (4)
-------------------------------------------------------------------------------
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.apps'), 0::bigint,
    'internal without an app named sees no app');
SELECT * FROM pg_temp.tap_app(:'aa2');
SELECT set_eq('SELECT id::text FROM second.apps', ARRAY[:'aa2'],
    'internal sees only the app it names');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.app_teams WHERE app_id <> %L$$, :'aa2')),
    0::bigint, 'internal sees no child row of another app of the workspace');
SELECT * FROM pg_temp.tap_app(:'ab1');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.apps'), 0::bigint,
    'internal naming an app of another workspace sees nothing');
SELECT * FROM pg_temp.tap_app(NULL);
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
