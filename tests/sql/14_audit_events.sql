-- audit_events: two-workspace isolation for every request role granted on
-- it, and append-only for everyone (superuser included).
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 3 + 9);

SELECT * FROM pg_temp.tap_isolation('second.audit_events', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'a00000000000000000000032', 'team.renamed', 'members', 'user', 'platform', 'success')$$, :'wa'),
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'b00000000000000000000032', 'team.renamed', 'members', 'user', 'platform', 'success')$$, :'wb'),
    'metadata = metadata');
SELECT * FROM pg_temp.tap_isolation('second.audit_events', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'a00000000000000000000033', 'app_data.written', 'app_data', 'agent', 'worker', 'success')$$, :'wa'),
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'b00000000000000000000033', 'app_data.written', 'app_data', 'agent', 'worker', 'success')$$, :'wb'),
    'metadata = metadata');
SELECT * FROM pg_temp.tap_isolation('second.audit_events', 'second_provider', NULL, :'wa', :'wb',
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'a00000000000000000000034', 'member.role_changed', 'members', 'system', 'system', 'success')$$, :'wa'),
    format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'b00000000000000000000034', 'member.role_changed', 'members', 'system', 'system', 'success')$$, :'wb'),
    'metadata = metadata');

-- Append-only, even for the superuser and the owner.
SELECT throws_ok($$UPDATE second.audit_events SET outcome = 'failure'$$, '42501', NULL,
    'superuser: UPDATE of audit events is refused');
SELECT throws_ok('DELETE FROM second.audit_events', '42501', NULL,
    'superuser: DELETE of audit events is refused');
SELECT throws_ok('TRUNCATE second.audit_events', '42501', NULL,
    'superuser: TRUNCATE of audit events is refused');
SELECT * FROM pg_temp.tap_as('second_owner', NULL, NULL);
SELECT is(pg_temp.tap_rowcount('DELETE FROM second.audit_events'), 0::bigint,
    'owner: no policy lets it see, so delete, an audit event');
SELECT pg_temp.tap_refused('second_member', :'ua', :'wa',
    $$UPDATE second.audit_events SET outcome = 'failure'$$,
    'member: UPDATE of its own workspace audit events is refused');
-- Reading the log is audit:read (owners and admins); any member records.
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.audit_events'), 0::bigint,
    'a plain member reads no audit event of its own workspace');
SELECT lives_ok(format($$INSERT INTO second.audit_events (workspace_id, id, event_name, category, actor_type, source, outcome) VALUES (%L, 'a00000000000000000000035', 'access.denied', 'access', 'user', 'platform', 'denial')$$, :'wa'),
    'a plain member records an event (a denial) in its workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT ok(pg_temp.tap_count('SELECT count(*) FROM second.audit_events') > 0,
    'the owner reads the log');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.audit_events), 6::bigint,
    'every event is still there');

SELECT * FROM finish();
ROLLBACK;
