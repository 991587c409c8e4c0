-- builder_runs, agent_runs, app_data: two-workspace isolation for every
-- request role granted on them; references, value checks, and the recorded
-- actor is the caller.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 6 + 14);

SELECT * FROM pg_temp.tap_isolation('second.builder_runs', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'a00000000000000000000061', %L, %L)$$, :'wa', :'aa1', :'ua'),
    format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'b00000000000000000000061', %L, %L)$$, :'wb', :'ab1', :'ua'),
    'status = status');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.builder_runs', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'a00000000000000000000062', %L, %L)$$, :'wa', :'aa1', :'ua'),
    format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'b00000000000000000000062', %L, %L)$$, :'wb', :'ab1', :'ub'),
    'status = status');
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.agent_runs', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a00000000000000000000063', %L, 'helper', %L, 'hi')$$, :'wa', :'aa1', :'ua'),
    format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'b00000000000000000000063', %L, 'helper', %L, 'hi')$$, :'wb', :'ab1', :'ua'),
    'status = status');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.agent_runs', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a00000000000000000000064', %L, 'helper', %L, 'hi')$$, :'wa', :'aa1', :'ua'),
    format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'b00000000000000000000064', %L, 'helper', %L, 'hi')$$, :'wb', :'ab1', :'ub'),
    $$status = 'completed', result = '{"ok":true}'$$);
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.app_data', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'draft', 'notes', 'a00000000000000000000065', '{}')$$, :'wa', :'aa1'),
    format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'notes', 'b00000000000000000000065', '{}')$$, :'wb', :'ab1'),
    'data = data');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.app_data', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'notes', 'a00000000000000000000066', '{}')$$, :'wa', :'aa1'),
    format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'notes', 'b00000000000000000000066', '{}')$$, :'wb', :'ab1'),
    'data = data');
SELECT * FROM pg_temp.tap_app(NULL);

-- As the owner of A (a builder of every app of A).
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id) VALUES (%L, 'a00000000000000000000067', %L, %L)$$, :'wa', :'aa1', :'ua2'),
    '42501', NULL, 'a builder run is started by the caller');
SELECT throws_ok(format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a00000000000000000000067', %L, 'helper', %L, 'hi')$$, :'wa', :'aa1', :'ua2'),
    '42501', NULL, 'an agent run is triggered by the caller, never by a body field');
SELECT throws_ok(format($$UPDATE second.agent_runs SET status = 'completed' WHERE workspace_id = %L$$, :'wa'),
    '42501', NULL, 'members do not complete agent runs (the internal API does)');
SELECT throws_ok(format($$DELETE FROM second.builder_runs WHERE workspace_id = %L$$, :'wa'),
    '42501', NULL, 'members do not delete builder runs');
INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt)
    VALUES (:'wa', 'a00000000000000000000069', :'aa1', 'helper', :'ua', 'hi');
SELECT results_eq(format($$SELECT source_version, status, prompt FROM second.agent_runs WHERE workspace_id = %L AND id = 'a00000000000000000000069'$$, :'wa'),
    $$VALUES ('published'::text, 'pending'::text, 'hi'::text)$$, 'an agent run defaults to the published version, pending');
SELECT results_eq(format($$SELECT status, messages FROM second.builder_runs WHERE workspace_id = %L AND id = 'a00000000000000000000061'$$, :'wa'),
    $$VALUES ('pending'::text, '[]'::jsonb)$$, 'a builder run starts pending with no messages');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT results_eq(format($$SELECT status, result FROM second.agent_runs WHERE workspace_id = %L AND id = 'a00000000000000000000054'$$, :'wa'),
    $$VALUES ('completed'::text, '{"ok":true}'::jsonb)$$, 'the internal API completes agent runs of its app');
SELECT * FROM pg_temp.tap_app(:'aa2');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.agent_runs SET status = 'failed' WHERE workspace_id = %L$$, :'wa')),
    0::bigint, 'the internal API cannot touch the runs of another app of its workspace');
SELECT * FROM pg_temp.tap_app(NULL);

-- Without row level security (superuser): the references and value checks.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'notes', 'a00000000000000000000068', '{}')$$, :'wa', :'ab1'),
    '23503', NULL, 'app data cannot name an app of another workspace');
SELECT throws_ok(format($$INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id, prompt) VALUES (%L, 'a00000000000000000000068', %L, 'helper', %L, 'hi')$$, :'wa', :'ab1', :'ua'),
    '23503', NULL, 'an agent run cannot name an app of another workspace');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'no/slash', 'a00000000000000000000068', '{}')$$, :'wa', :'aa1'),
    '23514', NULL, 'a collection name is [A-Za-z0-9_-]{1,64}');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', %L, 'a00000000000000000000068', '{}')$$, :'wa', :'aa1', repeat('c', 65)),
    '23514', NULL, 'a collection name has at most 64 characters');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'published', 'notes', 'a00000000000000000000068', '[1]')$$, :'wa', :'aa1'),
    '23514', NULL, 'a document is a JSON object');
SELECT throws_ok(format($$INSERT INTO second.app_data (workspace_id, app_id, scope, collection, id, data) VALUES (%L, %L, 'live', 'notes', 'a00000000000000000000068', '{}')$$, :'wa', :'aa1'),
    '23514', NULL, 'the data scope is draft or published');

SELECT * FROM finish();
ROLLBACK;
