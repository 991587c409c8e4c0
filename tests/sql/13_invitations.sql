-- invitations: two-workspace isolation for every request role granted on it,
-- and one pending invitation per email and workspace.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 3 + 3);

SELECT * FROM pg_temp.tap_isolation('second.invitations', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'a00000000000000000000022', 'm@x.test', 'm@x.test', 'member')$$, :'wa'),
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'b00000000000000000000022', 'm@x.test', 'm@x.test', 'member')$$, :'wb'),
    'status = status');
SELECT * FROM pg_temp.tap_isolation('second.invitations', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'a00000000000000000000023', 'i@x.test', 'i@x.test', 'member')$$, :'wa'),
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'b00000000000000000000023', 'i@x.test', 'i@x.test', 'member')$$, :'wb'),
    'status = status');
SELECT * FROM pg_temp.tap_isolation('second.invitations', 'second_provider', NULL, :'wa', :'wb',
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'a00000000000000000000024', 'p@x.test', 'p@x.test', 'member')$$, :'wa'),
    format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'b00000000000000000000024', 'p@x.test', 'p@x.test', 'member')$$, :'wb'),
    'status = status');

SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'a00000000000000000000025', 'NEW@a.test', 'new@a.test', 'member')$$, :'wa'),
    '23505', NULL, 'one pending invitation per email and workspace');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.invitations SET status = 'revoked' WHERE workspace_id = %L AND email_normalized = 'new@a.test'$$, :'wa')),
    1::bigint, 'an invitation can be revoked');
SELECT lives_ok(format($$INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role) VALUES (%L, 'a00000000000000000000025', 'NEW@a.test', 'new@a.test', 'member')$$, :'wa'),
    'after a revoke the email can be invited again');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

SELECT * FROM finish();
ROLLBACK;
