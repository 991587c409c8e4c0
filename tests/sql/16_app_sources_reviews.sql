-- app_source_snapshots, review_requests, agent_config_approvals: two-workspace
-- isolation for every request role granted on them; references, value checks,
-- one pending review per app, and the recorded actor is the caller.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 6 + 14);

SELECT * FROM pg_temp.tap_isolation('second.app_source_snapshots', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'draft', 'a00000000000000000000049')$$, :'wa', :'aa2'),
    format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'draft', 'b00000000000000000000049')$$, :'wb', :'ab2'),
    'hash = hash');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.app_source_snapshots', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'published', 'a0000000000000000000004a')$$, :'wa', :'aa2'),
    format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'published', 'b0000000000000000000004a')$$, :'wb', :'ab2'),
    'hash = hash');
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.review_requests', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids, requested_by_user_id) VALUES (%L, 'a00000000000000000000057', %L, ARRAY[%L], %L)$$, :'wa', :'aa1', :'ta', :'ua'),
    format($$INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids, requested_by_user_id) VALUES (%L, 'b00000000000000000000057', %L, ARRAY[%L], %L)$$, :'wb', :'ab1', :'tb', :'ua'),
    'status = status');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.review_requests', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a00000000000000000000058', %L, %L)$$, :'wa', :'aa2', :'ua2'),
    format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'b00000000000000000000058', %L, %L)$$, :'wb', :'ab2', :'uc'),
    'status = status');
SELECT * FROM pg_temp.tap_app(NULL);

SELECT * FROM pg_temp.tap_isolation('second.agent_config_approvals', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'a00000000000000000000059', %L, %L, '{}', %L)$$, :'wa', :'aa1', :'h2', :'ua'),
    format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'b00000000000000000000059', %L, %L, '{}', %L)$$, :'wb', :'ab1', :'h2', :'ua'),
    'hash = hash');
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_isolation('second.agent_config_approvals', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'a0000000000000000000005a', %L, %L, '{}', %L)$$, :'wa', :'aa1', :'h2', :'ua'),
    format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'b0000000000000000000005a', %L, %L, '{}', %L)$$, :'wb', :'ab1', :'h2', :'ub'),
    'hash = hash');
SELECT * FROM pg_temp.tap_app(NULL);

-- As the owner of A (a builder of every app of A).
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a0000000000000000000005b', %L, %L)$$, :'wa', :'aa1', :'ua'),
    '23505', NULL, 'at most one pending review request per app');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.review_requests SET status = 'superseded', decided_at = now() WHERE workspace_id = %L AND app_id = %L AND status = 'pending'$$, :'wa', :'aa1')),
    1::bigint, 'the pending request is superseded');
SELECT lives_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a0000000000000000000005b', %L, %L)$$, :'wa', :'aa1', :'ua'),
    'then a new one can be opened');
SELECT throws_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a0000000000000000000005c', %L, %L)$$, :'wa', :'aa2', :'ua2'),
    '42501', NULL, 'a review request is requested by the caller');
SELECT throws_ok(format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'a0000000000000000000005d', %L, %L, '{}', %L)$$, :'wa', :'aa1', :'h2', :'ua2'),
    '42501', NULL, 'an approval is approved by the caller');
SELECT throws_ok(format($$DELETE FROM second.review_requests WHERE workspace_id = %L$$, :'wa'),
    '42501', NULL, 'members never delete review requests');
SELECT throws_ok(format($$UPDATE second.agent_config_approvals SET hash = hash WHERE workspace_id = %L$$, :'wa'),
    '42501', NULL, 'members never change approvals');
SELECT throws_ok(format($$DELETE FROM second.app_source_snapshots WHERE workspace_id = %L$$, :'wa'),
    '42501', NULL, 'members never delete snapshots (a file delete rewrites the draft)');
SELECT lives_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids, requested_by_user_id) VALUES (%L, 'a0000000000000000000005e', %L, '{%s,%s}'::text[], %L)$$, :'wa', :'aa2', :'ta', :'ta2', :'ua'),
    'target team ids are given as a text array');

-- Without row level security (superuser): the references and value checks.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT throws_ok(format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id) VALUES (%L, %L, 'draft', 'a0000000000000000000004b')$$, :'wa', :'ab2'),
    '23503', NULL, 'a snapshot cannot name an app of another workspace');
SELECT throws_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, requested_by_user_id) VALUES (%L, 'a0000000000000000000005f', %L, %L)$$, :'wa', :'ab2', :'ua'),
    '23503', NULL, 'a review request cannot name an app of another workspace');
SELECT throws_ok(format($$INSERT INTO second.app_source_snapshots (workspace_id, app_id, kind, id, files) VALUES (%L, %L, 'draft', 'a0000000000000000000004b', '[]')$$, :'wa', :'aa2'),
    '23514', NULL, 'snapshot files are a JSON object');
SELECT throws_ok(format($$INSERT INTO second.review_requests (workspace_id, id, app_id, target_team_ids, requested_by_user_id) VALUES (%L, 'a0000000000000000000005f', %L, '{not-an-id}', %L)$$, :'wa', :'aa2', :'ua'),
    '23514', NULL, 'target team ids are ids');
SELECT throws_ok(format($$INSERT INTO second.agent_config_approvals (workspace_id, id, app_id, hash, payload, approved_by_user_id) VALUES (%L, 'a0000000000000000000005f', %L, 'abc', '{}', %L)$$, :'wa', :'aa2', :'ua'),
    '23514', NULL, 'an approval hash is v1:<sha256 hex>');

SELECT * FROM finish();
ROLLBACK;
