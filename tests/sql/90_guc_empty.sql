-- Context on a reused connection.  Once a transaction has set
-- second.workspace_id, later transactions on the same connection read it back
-- as '' (not NULL).  The helpers must turn that into "no context": nothing
-- matches.  The role, set with set_config(..., true), ends with its
-- transaction too.
--
-- Not wrapped in one transaction (it needs several): the fixtures are
-- committed, so run.test gives this file, like every file, its own copy of
-- the migrated database.
\ir fixtures.psql
SELECT plan(17);

BEGIN;
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT ok((SELECT count(*) FROM second.teams) > 0, 'with context the member sees its teams');
COMMIT;

SELECT is(current_user::text, 'postgres', 'the role ended with the transaction');

BEGIN;
SELECT set_config('role', 'second_member', true) AS role_set \gset
SELECT is(current_setting('second.workspace_id', true), '', 'a variable set by an earlier transaction reads back as empty');
SELECT is(current_setting('second.user_id', true), '', 'same for the user');
SELECT is(second.current_workspace_id(), NULL, 'current_workspace_id() turns empty into NULL');
SELECT is(second.current_user_id(), NULL, 'current_user_id() turns empty into NULL');
SELECT is((SELECT count(*) FROM second.teams), 0::bigint, 'member, empty context: no team');
SELECT is((SELECT count(*) FROM second.workspace_memberships), 0::bigint, 'member, empty context: no membership');
SELECT is((SELECT count(*) FROM second.users), 0::bigint, 'member, empty context: no user');
SELECT is((SELECT count(*) FROM second.workspaces), 0::bigint, 'member, empty context: no workspace');
SELECT is((SELECT count(*) FROM second.apps), 0::bigint, 'member, empty context: no app');
SELECT is((SELECT count(*) FROM second.app_data), 0::bigint, 'member, empty context: no app data');
SELECT is(second.current_member_role(), NULL, 'member, empty context: no role');
COMMIT;

BEGIN;
SELECT set_config('role', 'second_internal', true) AS role_set \gset
SELECT is((SELECT count(*) FROM second.audit_events), 0::bigint, 'internal, empty context: no audit event');
SELECT is((SELECT count(*) FROM second.invitations), 0::bigint, 'internal, empty context: no invitation');
SELECT is((SELECT count(*) FROM second.agent_runs), 0::bigint, 'internal, empty context: no agent run');
SELECT is((SELECT count(*) FROM second.app_data), 0::bigint, 'internal, empty context: no app data');
COMMIT;

SELECT * FROM finish();
