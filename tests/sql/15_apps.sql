-- apps, app_collaborators, app_teams: two-workspace isolation for every
-- request role granted on them; composite references keep collaborators,
-- teams and children inside the app's workspace; cascades; value checks.
-- Visibility inside one workspace: 18_app_visibility.sql.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 6 + 18);

SELECT * FROM pg_temp.tap_isolation('second.apps', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000045', 'New', %L)$$, :'wa', :'ua'),
    format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'b00000000000000000000045', 'New', %L)$$, :'wb', :'ua'),
    'name = name');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.apps', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000046', 'New', %L)$$, :'wa', :'ua'),
    format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'b00000000000000000000046', 'New', %L)$$, :'wb', :'ub'),
    'name = name');
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.app_collaborators', 'second_member', :'ua', :'wa', :'wb',
    format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wa', :'aa1', :'uc'),
    format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wb', :'ab1', :'ub'),
    'user_id = user_id');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.app_collaborators', 'second_internal', NULL, :'wa', :'wb',
    format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wa', :'aa2', :'uc'),
    format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wb', :'ab2', :'ub'),
    'user_id = user_id');
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.app_teams', 'second_member', :'ua', :'wa', :'wb',
    format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'aa1', :'ta2'),
    format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wb', :'ab1', :'tb2'),
    'team_id = team_id');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.app_teams', 'second_internal', NULL, :'wa', :'wb',
    format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'aa2', :'ta2'),
    format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wb', :'ab2', :'tb2'),
    'team_id = team_id');
SELECT * FROM pg_temp.tap_app(NULL);

-- Composite foreign keys, as a builder of aa1 in A (the policies pass, the
-- references refuse).
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wa', :'aa1', :'ub'),
    '23503', NULL, 'a collaborator must be a member of the app''s workspace');
SELECT throws_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'aa1', :'tb'),
    '23503', NULL, 'an app team must be a team of the app''s workspace');
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000047', 'X', %L)$$, :'wa', :'ub'),
    '42501', NULL, 'a member creates apps only as their creator');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
-- Without row level security (superuser): the references alone.
SELECT throws_ok(format('INSERT INTO second.app_collaborators (workspace_id, app_id, user_id) VALUES (%L, %L, %L)', :'wa', :'ab1', :'ua'),
    '23503', NULL, 'a collaborator row cannot name an app of another workspace');
SELECT throws_ok(format('INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (%L, %L, %L)', :'wa', :'ab1', :'ta'),
    '23503', NULL, 'an app team row cannot name an app of another workspace');

-- Value checks.
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000048', '', %L)$$, :'wa', :'ua'),
    '23514', NULL, 'an app name is not empty');
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000048', '   ', %L)$$, :'wa', :'ua'),
    '23514', NULL, 'an app name is not blank');
SELECT throws_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000048', repeat('x', 201), %L)$$, :'wa', :'ua'),
    '23514', NULL, 'an app name has at most 200 characters');
SELECT lives_ok(format($$INSERT INTO second.apps (workspace_id, id, name, created_by_user_id) VALUES (%L, 'a00000000000000000000048', repeat('é', 200), %L)$$, :'wa', :'ua'),
    'an app name of 200 characters is fine');
SELECT throws_ok(format($$UPDATE second.apps SET publish_status = 'live' WHERE workspace_id = %L AND id = %L$$, :'wa', :'aa2'),
    '23514', NULL, 'publish_status is draft, in_review or published');
SELECT throws_ok(format($$UPDATE second.apps SET draft_agents = '{}', draft_agents_hash = 'sha256:00' WHERE workspace_id = %L AND id = %L$$, :'wa', :'aa2'),
    '23514', NULL, 'an agents hash is v1:<sha256 hex>');
SELECT throws_ok(format($$UPDATE second.apps SET draft_agents = '{}' WHERE workspace_id = %L AND id = %L$$, :'wa', :'aa2'),
    '23514', NULL, 'draft agents come with their hash');
SELECT results_eq(format($$SELECT publish_status, draft_file_count, draft_bytes, published_file_count, published_bytes FROM second.apps WHERE workspace_id = %L AND id = %L$$, :'wa', :'aa2'),
    $$VALUES ('draft'::text, 0, 0::bigint, 0, 0::bigint)$$, 'a new app is a draft with empty snapshots');

-- Cascades: removing a team removes it from its apps; removing an app removes
-- everything under it, in its workspace only.
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.teams WHERE workspace_id = %L AND id = %L', :'wa', :'ta2')),
    1::bigint, 'a team can be removed');
INSERT INTO second.app_teams (workspace_id, app_id, team_id) VALUES (:'wa', :'aa2', :'ta');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format('DELETE FROM second.apps WHERE workspace_id = %L AND id = %L', :'wa', :'aa1')),
    1::bigint, 'the owner deletes an app');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT sum(n) FROM (
        SELECT count(*) AS n FROM second.app_collaborators WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.app_teams WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.app_source_snapshots WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.review_requests WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.agent_config_approvals WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.builder_runs WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.agent_runs WHERE app_id = :'aa1'
        UNION ALL SELECT count(*) FROM second.app_data WHERE app_id = :'aa1') c),
    0::numeric, 'deleting an app removes its collaborators, teams, snapshots, reviews, approvals, runs and data');
SELECT results_eq(format('SELECT app_id::text, team_id::text FROM second.app_teams WHERE workspace_id = %L', :'wa'),
    format('VALUES (%L, %L)', :'aa2', :'ta'), 'other apps of the workspace keep their teams');
SELECT is((SELECT count(*) FROM second.app_data WHERE workspace_id = :'wb'), 2::bigint,
    'the other workspace keeps its data');

SELECT * FROM finish();
ROLLBACK;
