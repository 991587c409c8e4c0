-- second.audit_catalog(): zero rows on the migrated schema, and exactly the
-- expected row for each way of breaking the boundary (each break is undone
-- before the next; the whole file rolls back).
BEGIN;
SELECT plan(25);

SELECT is_empty('SELECT * FROM second.audit_catalog()', 'the migrated schema passes the catalog check');

CREATE FUNCTION pg_temp.audit() RETURNS TABLE (check_name text, object_name text)
    LANGUAGE sql AS $$ SELECT check_name, object_name FROM second.audit_catalog() $$;

ALTER TABLE second.teams NO FORCE ROW LEVEL SECURITY;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('rls_not_forced', 'second.teams')$$,
    'a tenant table without FORCE ROW LEVEL SECURITY is reported');
ALTER TABLE second.teams FORCE ROW LEVEL SECURITY;

ALTER TABLE second.invitations DISABLE ROW LEVEL SECURITY;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('rls_not_enabled', 'second.invitations')$$,
    'a tenant table without row level security is reported');
ALTER TABLE second.invitations ENABLE ROW LEVEL SECURITY;

CREATE UNIQUE INDEX teams_id_only ON second.teams (id);
ALTER TABLE second.team_memberships ADD CONSTRAINT team_only FOREIGN KEY (team_id) REFERENCES second.teams (id);
SELECT results_eq('SELECT * FROM pg_temp.audit()',
    $$VALUES ('fk_not_indexed', 'second.team_memberships'), ('fk_without_workspace_id', 'second.team_memberships')$$,
    'a foreign key between tenant tables without workspace_id (and without an index) is reported');
ALTER TABLE second.team_memberships DROP CONSTRAINT team_only;
DROP INDEX second.teams_id_only;

ALTER ROLE second_member BYPASSRLS;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('role_bypassrls', 'second_member')$$,
    'a request role with BYPASSRLS is reported');
ALTER ROLE second_member NOBYPASSRLS;

ALTER ROLE second_authenticator SUPERUSER;
SELECT ok(('role_superuser', 'second_authenticator') IN (SELECT * FROM pg_temp.audit()),
    'a superuser authenticator is reported');
ALTER ROLE second_authenticator NOSUPERUSER;

GRANT SELECT ON second.session_keys TO second_internal;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('policy_missing', 'second.session_keys')$$,
    'a request role granted on a table without a policy for it is reported');
REVOKE SELECT ON second.session_keys FROM second_internal;

GRANT TRUNCATE ON second.teams TO second_member;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('privilege_not_allowed', 'second.teams')$$,
    'TRUNCATE (which ignores policies) granted to a request role is reported');
REVOKE TRUNCATE ON second.teams FROM second_member;

GRANT SELECT ON second.users TO second_authenticator;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('authenticator_table_privilege', 'second.users')$$,
    'a table privilege of the authenticator is reported');
REVOKE SELECT ON second.users FROM second_authenticator;

ALTER TABLE second.invitations OWNER TO second_provider;
SELECT ok(('role_owns_object', 'second_provider') IN (SELECT * FROM pg_temp.audit()),
    'a request role owning a table is reported');
ALTER TABLE second.invitations OWNER TO second_owner;

GRANT second_owner TO second_anon;
SELECT ok(('role_member_of_owner', 'second_anon') IN (SELECT * FROM pg_temp.audit()),
    'a request role that is a member of the owner is reported');
REVOKE second_owner FROM second_anon;

CREATE TABLE second.widgets (id second.id, workspace_id second.id, PRIMARY KEY (id, workspace_id));
ALTER TABLE second.widgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.widgets FORCE ROW LEVEL SECURITY;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('pk_not_leading_workspace_id', 'second.widgets')$$,
    'a tenant table whose primary key does not start with workspace_id is reported');
DROP TABLE second.widgets;

CREATE VIEW second.team_names AS SELECT name FROM second.teams;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('view_not_security_invoker', 'second.team_names')$$,
    'a view without security_invoker is reported');
ALTER VIEW second.team_names SET (security_invoker = on);
SELECT is_empty('SELECT * FROM second.audit_catalog()', 'a security_invoker view passes');
DROP VIEW second.team_names;

CREATE FUNCTION second.leaky() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
SELECT results_eq('SELECT * FROM pg_temp.audit()',
    $$VALUES ('definer_public_execute', 'second.leaky()'), ('definer_search_path', 'second.leaky()')$$,
    'a SECURITY DEFINER function without search_path and with PUBLIC EXECUTE is reported');
DROP FUNCTION second.leaky();

-- The lints (each break alone reported, exactly once).
DROP INDEX second.builder_runs_created_by_idx;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('fk_not_indexed', 'second.builder_runs')$$,
    'a foreign key to users without its index is reported');
CREATE INDEX builder_runs_created_by_idx ON second.builder_runs (workspace_id, created_by_user_id);
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('fk_not_indexed', 'second.builder_runs')$$,
    'an index whose first column is not the key''s does not cover it');
DROP INDEX second.builder_runs_created_by_idx;
CREATE INDEX builder_runs_created_by_idx ON second.builder_runs (created_by_user_id);
SELECT is_empty('SELECT * FROM second.audit_catalog()', 'an index on the key''s column alone covers it');

ALTER FUNCTION second.current_workspace_id() RESET search_path;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('function_search_path', 'second.current_workspace_id()')$$,
    'a function without a fixed search_path is reported');
ALTER FUNCTION second.current_workspace_id() SET search_path = pg_catalog;

CREATE POLICY member_select_again ON second.teams FOR SELECT TO second_member USING (false);
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('multiple_permissive_policies', 'second.teams')$$,
    'two permissive policies for one role and command are reported');
ALTER POLICY member_select_again ON second.teams TO second_anon;
SELECT is_empty('SELECT * FROM second.audit_catalog()', 'one permissive policy per role and command passes');
DROP POLICY member_select_again ON second.teams;

CREATE INDEX teams_again ON second.teams (workspace_id, lower(name));
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('duplicate_index', 'second.teams')$$,
    'a duplicate index is reported');
DROP INDEX second.teams_again;

ALTER TABLE second.session_keys DROP CONSTRAINT session_keys_pkey;
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('table_without_primary_key', 'second.session_keys')$$,
    'a table without a primary key is reported');
ALTER TABLE second.session_keys ADD PRIMARY KEY (kid);

CREATE POLICY internal_all ON second.session_keys TO second_internal USING (true);
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('policy_always_true', 'second.session_keys')$$,
    'a USING (true) policy is reported');
DROP POLICY internal_all ON second.session_keys;

SELECT is_empty('SELECT * FROM second.audit_catalog()', 'every break undone: the check passes again');

SELECT * FROM finish();
ROLLBACK;
