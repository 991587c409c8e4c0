-- second.audit_catalog(): zero rows on the migrated schema, and exactly the
-- expected row for each way of breaking the boundary (each break is undone
-- before the next; the whole file rolls back).
BEGIN;
SELECT plan(16);

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
SELECT results_eq('SELECT * FROM pg_temp.audit()', $$VALUES ('fk_without_workspace_id', 'second.team_memberships')$$,
    'a foreign key between tenant tables without workspace_id is reported');
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

SELECT is_empty('SELECT * FROM second.audit_catalog()', 'every break undone: the check passes again');

SELECT * FROM finish();
ROLLBACK;
