-- dispatch: the dispatcher's role and functions (sql/003_run_delivery.sql,
-- sql/repeatable/90_dispatch.sql).  second_dispatcher holds no privilege
-- on any table (it reads nothing directly) and no request role may call
-- the dispatch functions; the claim returns the runs of every workspace
-- with the agent's entry of the APPROVED payload of the run's version
-- (an unapproved draft gives none), moves each claimed run to its next
-- attempt by the backoff and does not return it again before; done
-- records delivery, a final refusal fails the run, a run that ended is
-- not sent.  That the claim skips rows locked by another transaction is
-- tested with two sessions in tests/regress/dispatch.test.
BEGIN;
\ir fixtures.psql
SELECT plan(29);

-- Privileges.
SELECT is((SELECT count(*) FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'second' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND (has_table_privilege('second_dispatcher', c.oid, 'SELECT')
                   OR has_table_privilege('second_dispatcher', c.oid, 'INSERT')
                   OR has_table_privilege('second_dispatcher', c.oid, 'UPDATE')
                   OR has_table_privilege('second_dispatcher', c.oid, 'DELETE'))),
    0::bigint, 'second_dispatcher holds no privilege on any relation of second');
SELECT ok(NOT r.rolcanlogin AND NOT r.rolsuper AND NOT r.rolbypassrls,
    'second_dispatcher cannot log in and does not bypass row level security')
  FROM pg_catalog.pg_roles r WHERE r.rolname = 'second_dispatcher';
SELECT ok(pg_has_role('second_authenticator', 'second_dispatcher', 'MEMBER'),
    'the authenticator may switch to second_dispatcher');
SELECT is((SELECT count(*) FROM (VALUES ('second_anon'), ('second_member'),
        ('second_internal'), ('second_provider'), ('second_authenticator')) v(r),
        (VALUES ('second.dispatch_claim(integer)'),
                ('second.dispatch_done(text, text, text, boolean, text)'),
                ('second.dispatch_next_due()'), ('second.dispatch_listen()')) f(fn)
     WHERE has_function_privilege(v.r, f.fn, 'EXECUTE')),
    0::bigint, 'no other role may call the dispatch functions');

SELECT * FROM pg_temp.tap_as('second_dispatcher', NULL, NULL);
SELECT throws_ok('SELECT id FROM second.agent_runs', '42501', NULL,
    'second_dispatcher reads no agent run directly');
SELECT throws_ok('SELECT id FROM second.builder_runs', '42501', NULL,
    'second_dispatcher reads no builder run directly');
SELECT throws_ok('SELECT id FROM second.apps', '42501', NULL,
    'second_dispatcher reads no app directly');
SELECT throws_ok($$UPDATE second.agent_runs SET delivery_state = 'delivered'$$, '42501', NULL,
    'second_dispatcher writes no run directly');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok('SELECT * FROM second.dispatch_claim(10)', '42501', NULL,
    'a member cannot claim runs');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT throws_ok($$SELECT second.dispatch_done('x', 'y', 'agent', true, NULL)$$, '42501', NULL,
    'the internal API cannot mark a delivery');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
RESET ROLE;

-- The fixture runs predate nothing here: they are pending.  Give app aa1 a
-- published agent and a draft one that is not approved, and ab1 an approved
-- draft.
UPDATE second.apps SET published_agents = '{"agents":[{"id":"helper","name":"H","systemPrompt":"Be brief.","dataCollections":["notes"],"tools":[{"type":"builtin","name":"WebSearch"},{"type":"builtin","name":"WebFetch","enabled":false}]}]}',
       draft_agents = '{"agents":[{"id":"helper","name":"H2","systemPrompt":"unapproved"}]}',
       draft_agents_hash = :'h2'
 WHERE workspace_id = :'wa' AND id = :'aa1';
UPDATE second.apps SET draft_agents = '{"agents":[{"id":"helper","name":"HB","systemPrompt":"approved draft"}]}',
       draft_agents_hash = :'h2', approved_agents_hash = :'h2'
 WHERE workspace_id = :'wb' AND id = :'ab1';
INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id,
    source_version, prompt) VALUES
    (:'wa', 'a00000000000000000000070', :'aa1', 'helper', :'ua', 'draft', 'draft run'),
    (:'wb', 'b00000000000000000000070', :'ab1', 'helper', :'ub', 'draft', 'draft run B');
INSERT INTO second.agent_runs (workspace_id, id, app_id, agent_id, triggered_by_user_id,
    source_version, prompt, status) VALUES
    (:'wa', 'a00000000000000000000071', :'aa1', 'helper', :'ua', 'published', 'ended', 'failed');

SELECT * FROM pg_temp.tap_as('second_dispatcher', NULL, NULL);
CREATE TEMP TABLE claim1 AS SELECT * FROM second.dispatch_claim(10);
SELECT is((SELECT count(*) FROM claim1 WHERE kind = 'agent'), 4::bigint,
    'the claim returns the pending agent runs of both workspaces');
SELECT is((SELECT count(*) FROM claim1 WHERE kind = 'builder'), 2::bigint,
    'and the pending builder runs of both workspaces');
SELECT is((SELECT array_agg(DISTINCT workspace_id ORDER BY workspace_id) FROM claim1),
    ARRAY[:'wa', :'wb']::text[], 'runs of every workspace');
SELECT results_eq($$SELECT prompt, system_prompt, agent_config::jsonb ->> 'name', allowed_tools::jsonb, attempt
                     FROM claim1 WHERE run_id = 'a00000000000000000000054'$$,
    $$VALUES ('hello'::text, 'Be brief.'::text, 'H'::text, '["WebSearch"]'::jsonb, 1)$$,
    'a published run carries the published agent, its system prompt and its enabled tools');
SELECT results_eq($$SELECT (agent_config::jsonb -> 'dataCollections') FROM claim1 WHERE run_id = 'a00000000000000000000054'$$,
    $$VALUES ('["notes"]'::jsonb)$$, 'with its data collections');
SELECT results_eq($$SELECT agent_config IS NULL, system_prompt IS NULL FROM claim1 WHERE run_id = 'a00000000000000000000070'$$,
    $$VALUES (true, true)$$, 'a draft run of an unapproved draft carries no agent configuration');
SELECT results_eq($$SELECT system_prompt FROM claim1 WHERE run_id = 'b00000000000000000000070'$$,
    $$VALUES ('approved draft'::text)$$, 'a draft run of an approved draft carries the approved draft agent');
SELECT results_eq($$SELECT messages::jsonb, source_version FROM claim1 WHERE run_id = 'a00000000000000000000053'$$,
    $$VALUES ('[]'::jsonb, 'draft'::text)$$, 'a builder run carries its messages');
SELECT is((SELECT count(*) FROM claim1 WHERE run_id = 'a00000000000000000000071'), 0::bigint,
    'a run that ended before delivery is not claimed');
SELECT is((SELECT count(*) FROM second.dispatch_claim(10)), 0::bigint,
    'a claimed run is not claimed again before its backoff');
SELECT ok(second.dispatch_next_due() BETWEEN 1 AND 1000,
    'the next attempt is due within the first backoff (1 s)');
SELECT ok(second.dispatch_done(:'wa', 'a00000000000000000000054', 'agent', true, NULL),
    'done: delivered');
SELECT ok(NOT second.dispatch_done(:'wb', 'a00000000000000000000054', 'agent', true, NULL),
    'done names the run by workspace and id: another workspace''s id changes nothing');
SELECT ok(second.dispatch_done(:'wb', 'b00000000000000000000054', 'agent', false, 'unreachable'),
    'done: a failure to retry');
SELECT ok(second.dispatch_done(:'wa', 'a00000000000000000000053', 'builder', false, 'refused'),
    'done: a final refusal');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
RESET ROLE;
SELECT results_eq($$SELECT id::text, delivery_state, status, delivery_attempts, last_delivery_error, delivered_at IS NOT NULL
                     FROM second.agent_runs WHERE id IN ('a00000000000000000000054', 'b00000000000000000000054', 'a00000000000000000000071')
                     ORDER BY id$$,
    $$VALUES ('a00000000000000000000054'::text, 'delivered'::text, 'pending'::text, 1, NULL::text, true),
             ('a00000000000000000000071', 'failed', 'failed', 0, 'run_ended', false),
             ('b00000000000000000000054', 'pending', 'pending', 1, 'unreachable', false)$$,
    'delivered, ended, and pending for a retry');
SELECT results_eq($$SELECT delivery_state, status FROM second.builder_runs WHERE id = 'a00000000000000000000053'$$,
    $$VALUES ('failed'::text, 'failed'::text)$$, 'a run the worker refused for good fails');
UPDATE second.agent_runs SET next_attempt_at = now() - interval '1 second'
 WHERE id = 'b00000000000000000000054';
SELECT * FROM pg_temp.tap_as('second_dispatcher', NULL, NULL);
SELECT results_eq($$SELECT run_id, attempt FROM second.dispatch_claim(10)$$,
    $$VALUES ('b00000000000000000000054'::text, 2)$$,
    'once due again, the run is claimed again (second attempt); delivered and failed runs are not');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
RESET ROLE;
UPDATE second.agent_runs SET delivery_state = 'delivered';
UPDATE second.builder_runs SET delivery_state = 'delivered';
SELECT * FROM pg_temp.tap_as('second_dispatcher', NULL, NULL);
SELECT is(second.dispatch_next_due(), NULL, 'nothing pending: no next attempt is due');

SELECT * FROM finish();
ROLLBACK;
