-- 001_roles.sql: the database roles and the ownership of schema "second".
--
-- Runs as the migrating superuser (the only file that does), after
-- second-admin's bootstrap has created schema second and
-- second.schema_migrations.  Idempotent: roles are cluster-wide and may exist
-- from another database; their attributes are (re)asserted every time.
--
--   second_owner          NOLOGIN  owns the schema and every object in it.  Later
--                                  migrations run as it; SECURITY DEFINER
--                                  functions run as it.  No login role and no
--                                  request role is ever a member of it.
--   second_authenticator  LOGIN    what the workers connect as.  NOINHERIT: it has
--                                  no table privilege of its own and only
--                                  switches (set_config('role', ..., true)) to:
--   second_anon           NOLOGIN  onboarding before an identity exists
--   second_member         NOLOGIN  a signed-in user's request
--   second_internal       NOLOGIN  the internal API (agent worker)
--   second_provider       NOLOGIN  external identity provider sync
--
-- None of them is superuser, BYPASSRLS, CREATEROLE or CREATEDB.  The password
-- of second_authenticator is the operator's business (ALTER ROLE ... PASSWORD).

DO $$
DECLARE
	r        text;
	is_login boolean;
BEGIN
	FOREACH r IN ARRAY ARRAY['second_owner', 'second_authenticator',
	    'second_anon', 'second_member', 'second_internal', 'second_provider']
	LOOP
		is_login := r = 'second_authenticator';
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
		-- (Re)assert the attributes only when one differs: changing
		-- BYPASSRLS needs a superuser even to turn it off.
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles
		            WHERE rolname = r
		              AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
		                   OR rolreplication OR rolcanlogin <> is_login
		                   OR rolinherit = is_login)) THEN
			EXECUTE format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS NOCREATEROLE '
			    'NOCREATEDB NOREPLICATION %s', r,
			    CASE WHEN is_login THEN 'LOGIN NOINHERIT' ELSE 'NOLOGIN INHERIT' END);
		END IF;
		-- The authenticator may switch to each request role.
		IF r NOT IN ('second_owner', 'second_authenticator')
		   AND NOT EXISTS (SELECT 1
		                     FROM pg_catalog.pg_auth_members m
		                     JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
		                     JOIN pg_catalog.pg_roles u ON u.oid = m.member
		                    WHERE g.rolname = r
		                      AND u.rolname = 'second_authenticator') THEN
			EXECUTE format('GRANT %I TO second_authenticator', r);
		END IF;
	END LOOP;
END
$$;

-- Ownership: the bootstrap ran as the superuser.
ALTER SCHEMA second OWNER TO second_owner;
ALTER TABLE second.schema_migrations OWNER TO second_owner;

-- Nobody creates objects in public in this database.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Request roles may name objects in second; what they may do with each
-- object is granted next to the object.  The authenticator needs USAGE only
-- to call second.session_key_ensure() at worker start.
REVOKE ALL ON SCHEMA second FROM PUBLIC;
GRANT USAGE ON SCHEMA second TO second_anon, second_member, second_internal,
    second_provider, second_authenticator;

-- Functions created by second_owner are not executable by PUBLIC unless a
-- migration grants them; every function still revokes explicitly.
ALTER DEFAULT PRIVILEGES FOR ROLE second_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The migration ledger: only the owner (running migrations) reads and writes
-- it; no request role has any privilege on it.
ALTER TABLE second.schema_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.schema_migrations FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON second.schema_migrations TO second_owner
    USING (true) WITH CHECK (true);
REVOKE ALL ON second.schema_migrations FROM PUBLIC;
