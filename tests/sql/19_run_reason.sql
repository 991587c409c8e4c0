-- 19_run_reason.sql: the columns of migration 006 (builder_runs.run_reason,
-- agent_runs.error) and the repair runs the internal API opens: only in
-- the one app its call names.
BEGIN;
\ir fixtures.psql
SELECT plan(9);

-- As the internal API naming app aa1 of workspace A.
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT lives_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id, run_reason) VALUES (%L, 'a00000000000000000000071', %L, %L, 'app_tool_failure')$$, :'wa', :'aa1', :'ua'),
    'internal opens a repair run of the app it names');
SELECT throws_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id, run_reason) VALUES (%L, 'a00000000000000000000072', %L, %L, 'app_tool_failure')$$, :'wa', :'aa2', :'ua'),
    '42501', NULL, 'internal opens no run of another app of its workspace');
SELECT throws_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id, run_reason) VALUES (%L, 'b00000000000000000000072', %L, %L, 'app_tool_failure')$$, :'wb', :'ab1', :'ub'),
    '42501', NULL, 'internal opens no run in another workspace');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.agent_runs SET status = 'failed', error = 'boom' WHERE workspace_id = %L AND id = 'a00000000000000000000054'$$, :'wa')),
    1::bigint, 'internal fails an agent run of its app, with an error');
SELECT * FROM pg_temp.tap_app(:'aa2');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.builder_runs SET status = 'completed' WHERE workspace_id = %L AND id = 'a00000000000000000000053'$$, :'wa')),
    0::bigint, 'internal naming another app completes no builder run of aa1');
SELECT * FROM pg_temp.tap_app(NULL);

-- The value checks (superuser, no row level security).
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT results_eq(format($$SELECT run_reason FROM second.builder_runs WHERE workspace_id = %L AND id IN ('a00000000000000000000053', 'a00000000000000000000071') ORDER BY id$$, :'wa'),
    $$VALUES (NULL::text), ('app_tool_failure'::text)$$, 'a run a builder started has no reason; a repair run has its own');
SELECT throws_ok(format($$INSERT INTO second.builder_runs (workspace_id, id, app_id, created_by_user_id, run_reason) VALUES (%L, 'a00000000000000000000073', %L, %L, 'whim')$$, :'wa', :'aa1', :'ua'),
    '23514', NULL, 'the only run reason is app_tool_failure');
SELECT throws_ok(format($$UPDATE second.agent_runs SET error = '' WHERE workspace_id = %L$$, :'wa'),
    '23514', NULL, 'an agent run error is not empty');
SELECT throws_ok(format($$UPDATE second.agent_runs SET error = repeat('e', 4097) WHERE workspace_id = %L$$, :'wa'),
    '23514', NULL, 'an agent run error has at most 4096 bytes');

SELECT * FROM finish();
ROLLBACK;
