-- repeatable/60_audit_catalog.sql: the catalog check behind
-- `second-admin audit`.
--
-- second.audit_catalog() returns one row per violation of the rules that keep
-- tenants apart (second-admin(8), command audit, lists them); no row means the
-- boundary holds.  It reads only the system catalogs, as its caller
-- (SECURITY INVOKER); EXECUTE is not granted to PUBLIC: the admin (a
-- superuser or a member of second_owner) runs it.
--
-- "Request roles" are second_anon, second_member, second_internal,
-- second_provider and second_dispatcher; "guarded roles" are those plus
-- second_authenticator.
--
--   check_name                     object_name      rule
--   rls_not_enabled                table            every table in second has RLS enabled
--   rls_not_forced                 table            ... and forced (the owner too)
--   policy_missing                 table            a request role with a privilege on a
--                                                   table has a policy naming it
--   policy_to_public               table            every policy names its roles
--   privilege_not_allowed          table            request roles hold only SELECT,
--                                                   INSERT, UPDATE, DELETE (TRUNCATE
--                                                   ignores RLS)
--   pk_not_leading_workspace_id    table            a tenant table's primary key starts
--                                                   with workspace_id
--   fk_without_workspace_id        table            a foreign key to a tenant table pairs
--                                                   workspace_id with workspace_id
--   role_missing                   role             every guarded role exists
--   role_superuser, role_bypassrls role             no guarded role bypasses RLS
--   role_can_login                 role             request roles cannot log in
--   role_owns_object               role             no guarded role owns anything in second
--   role_member_of_owner           role             ... nor is a member of an owner
--   authenticator_table_privilege  relation         second_authenticator holds no
--                                                   privilege on any relation in second
--   view_not_security_invoker      view             views run with the caller's rights
--   materialized_view              view             no materialized view (no RLS on them)
--   definer_search_path            function         SECURITY DEFINER functions pin
--                                                   search_path
--   definer_public_execute         function         ... and are not executable by PUBLIC
--
-- and the lints a Postgres linter (Supabase's splinter) reports, written
-- for this schema; their exceptions are listed, each with its reason, in
-- one place: the "exceptions" list below.
--
--   fk_not_indexed                 table            every foreign key has a valid,
--                                                   non-partial index whose first
--                                                   columns are the key's (any order)
--   function_search_path           function         every other function pins
--                                                   search_path (SET), or has an
--                                                   SQL-standard body (RETURN, BEGIN
--                                                   ATOMIC): its names are bound when
--                                                   it is created
--   multiple_permissive_policies   table            one permissive policy at most per
--                                                   role and command (FOR ALL counts
--                                                   for each)
--   duplicate_index                table            no two indexes with the same
--                                                   columns, expressions, operator
--                                                   classes, collations, order and
--                                                   predicate
--   table_without_primary_key      table            every table has a primary key
--   policy_always_true             table            no policy, for any role, whose
--                                                   USING or WITH CHECK is the
--                                                   constant true
--
-- (view_not_security_invoker above is the last of that family.)
--
-- Why it is safe: it only reads the catalogs and changes nothing.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; comment and grants re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.audit_catalog()
    RETURNS TABLE (check_name text, object_name text, detail text)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = pg_catalog
    AS $$
WITH
request_roles AS (
	SELECT v.rolname, r.oid, r.rolsuper, r.rolbypassrls, r.rolcanlogin
	  FROM (VALUES ('second_anon'), ('second_member'), ('second_internal'),
	               ('second_provider'), ('second_dispatcher')) AS v(rolname)
	  LEFT JOIN pg_roles r ON r.rolname = v.rolname
),
guarded_roles AS (
	SELECT * FROM request_roles
	UNION ALL
	SELECT 'second_authenticator', r.oid, r.rolsuper, r.rolbypassrls, r.rolcanlogin
	  FROM (VALUES (1)) AS one
	  LEFT JOIN pg_roles r ON r.rolname = 'second_authenticator'
),
relations AS (
	SELECT c.oid, c.oid::regclass::text AS name, c.relkind, c.reloptions,
	       c.relrowsecurity, c.relforcerowsecurity,
	       (SELECT a.attnum FROM pg_attribute a
	         WHERE a.attrelid = c.oid AND a.attname = 'workspace_id'
	           AND a.attnum > 0 AND NOT a.attisdropped) AS ws_attnum
	  FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'second'
),
tables AS (
	SELECT * FROM relations WHERE relkind IN ('r', 'p')
),
objects AS (
	SELECT c.relowner AS owner, 'relation ' || c.oid::regclass::text AS what
	  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'second'
	UNION ALL
	SELECT p.proowner, 'function ' || p.oid::regprocedure::text
	  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'second'
	UNION ALL
	SELECT t.typowner, 'type ' || t.oid::regtype::text
	  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
	 WHERE n.nspname = 'second'
	UNION ALL
	SELECT n.nspowner, 'schema second' FROM pg_namespace n WHERE n.nspname = 'second'
),
definers AS (
	SELECT p.oid, p.oid::regprocedure::text AS name, p.proconfig, p.proacl
	  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'second' AND p.prosecdef
),
-- Findings of the lints below that are the design, each with its reason;
-- NULL object_name: on every table.  The audit reports all others.
exceptions (check_name, object_name, subject, reason) AS (VALUES
	('policy_always_true', NULL::text, 'owner_all TO second_owner',
	 'second_owner owns every table and FORCE ROW LEVEL SECURITY subjects it '
	 'to the policies too; its SECURITY DEFINER helpers and triggers must '
	 'reach every row, and no guarded role is or may become it '
	 '(role_member_of_owner)'),
	('policy_always_true', 'second.users', 'provider_all TO second_provider',
	 'users is global (no workspace_id): the identity provider sync creates '
	 'and updates any user by subject; its grants (SELECT, INSERT, UPDATE) '
	 'bound what it does')
),
policy_cmds AS (
	SELECT p.oid, p.polrelid, p.polname, p.polpermissive, p.polroles,
	       cmd.name AS cmd
	  FROM pg_policy p
	  JOIN tables t ON t.oid = p.polrelid
	 CROSS JOIN LATERAL (
	        SELECT c.name
	          FROM (VALUES ('r', 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'),
	                       ('d', 'DELETE')) AS c(code, name)
	         WHERE p.polcmd = '*' OR p.polcmd::text = c.code) AS cmd
),
index_keys AS (
	SELECT i.indexrelid, i.indrelid, i.indkey, i.indnkeyatts, i.indclass,
	       i.indcollation, i.indoption, i.indpred, i.indisvalid,
	       pg_get_expr(i.indexprs, i.indrelid) AS exprs,
	       pg_get_expr(i.indpred, i.indrelid) AS pred
	  FROM pg_index i JOIN tables t ON t.oid = i.indrelid
),
lints AS (
	SELECT 'fk_not_indexed' AS check_name, t.name AS object_name,
	       fk.conname::text AS subject,
	       'foreign key ' || fk.conname || ' ('
	       || (SELECT string_agg(a.attname, ', ' ORDER BY k.i)
	             FROM unnest(fk.conkey) WITH ORDINALITY AS k(attnum, i)
	             JOIN pg_attribute a ON a.attrelid = fk.conrelid
	                                AND a.attnum = k.attnum)
	       || ') has no index starting with its columns: deleting or re-keying '
	       || 'a referenced row reads the whole table' AS detail
	  FROM tables t
	  JOIN pg_constraint fk ON fk.conrelid = t.oid AND fk.contype = 'f'
	 WHERE NOT EXISTS (
	        SELECT 1 FROM index_keys ix
	         WHERE ix.indrelid = t.oid AND ix.indisvalid AND ix.indpred IS NULL
	           AND ix.indnkeyatts >= cardinality(fk.conkey)
	           AND (SELECT array_agg(ix.indkey[s] ORDER BY ix.indkey[s])
	                  FROM generate_series(0, cardinality(fk.conkey) - 1) AS s)
	               = (SELECT array_agg(k ORDER BY k) FROM unnest(fk.conkey) AS k))
	UNION ALL
	SELECT 'function_search_path', p.oid::regprocedure::text, p.oid::regprocedure::text,
	       'search_path is not fixed: pin it (SET search_path = pg_catalog) '
	       'or give the function an SQL-standard body'
	  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'second' AND NOT p.prosecdef AND p.prosqlbody IS NULL
	   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c(setting)
	                    WHERE c.setting LIKE 'search\_path=%')
	UNION ALL
	SELECT 'multiple_permissive_policies', pc.polrelid::regclass::text,
	       r.name || ' ' || pc.cmd,
	       'permissive policies ' || string_agg(pc.polname, ', ' ORDER BY pc.polname)
	       || ' all apply to ' || r.name || ' for ' || pc.cmd
	       || ': each is evaluated and OR-ed; merge them into one'
	  FROM policy_cmds pc
	 CROSS JOIN LATERAL (
	        SELECT CASE WHEN pr.oid = 0 THEN 'PUBLIC' ELSE pr.oid::regrole::text END
	          FROM unnest(pc.polroles) AS pr(oid)) AS r(name)
	 WHERE pc.polpermissive
	 GROUP BY pc.polrelid, r.name, pc.cmd
	HAVING count(*) > 1
	UNION ALL
	SELECT 'duplicate_index', i2.indrelid::regclass::text,
	       i2.indexrelid::regclass::text,
	       'index ' || i2.indexrelid::regclass::text || ' duplicates '
	       || i1.indexrelid::regclass::text || ': drop one'
	  FROM index_keys i1
	  JOIN index_keys i2 ON i2.indrelid = i1.indrelid
	                    AND i2.indexrelid::regclass::text > i1.indexrelid::regclass::text
	 WHERE i2.indkey::text = i1.indkey::text
	   AND i2.indnkeyatts = i1.indnkeyatts
	   AND i2.indclass::text = i1.indclass::text
	   AND i2.indcollation::text = i1.indcollation::text
	   AND i2.indoption::text = i1.indoption::text
	   AND i2.exprs IS NOT DISTINCT FROM i1.exprs
	   AND i2.pred IS NOT DISTINCT FROM i1.pred
	UNION ALL
	SELECT 'table_without_primary_key', t.name, t.name,
	       'table without a primary key'
	  FROM tables t
	 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint pk
	                    WHERE pk.conrelid = t.oid AND pk.contype = 'p')
	UNION ALL
	SELECT 'policy_always_true', t.name,
	       p.polname || ' TO ' || (SELECT string_agg(r.name, ', ' ORDER BY r.name)
	                                 FROM unnest(p.polroles) AS pr(oid)
	                                CROSS JOIN LATERAL (
	                                       SELECT CASE WHEN pr.oid = 0 THEN 'PUBLIC'
	                                              ELSE pr.oid::regrole::text END) AS r(name)),
	       'policy ' || p.polname || ' is '
	       || concat_ws(' and ',
	              CASE WHEN pg_get_expr(p.polqual, p.polrelid) = 'true'
	                   THEN 'USING (true)' END,
	              CASE WHEN pg_get_expr(p.polwithcheck, p.polrelid) = 'true'
	                   THEN 'WITH CHECK (true)' END)
	       || ': it lets its roles reach every row'
	  FROM tables t JOIN pg_policy p ON p.polrelid = t.oid
	 WHERE pg_get_expr(p.polqual, p.polrelid) = 'true'
	    OR pg_get_expr(p.polwithcheck, p.polrelid) = 'true'
),
violations AS (
	SELECT 'rls_not_enabled' AS check_name, t.name AS object_name,
	       'row level security is not enabled' AS detail
	  FROM tables t WHERE NOT t.relrowsecurity
	UNION ALL
	SELECT 'rls_not_forced', t.name,
	       'row level security is not forced: the owner bypasses every policy'
	  FROM tables t WHERE NOT t.relforcerowsecurity
	UNION ALL
	SELECT 'policy_missing', t.name,
	       r.rolname || ' holds privileges on it but no policy applies to ' || r.rolname
	  FROM tables t CROSS JOIN request_roles r
	 WHERE r.oid IS NOT NULL
	   AND (has_table_privilege(r.oid, t.oid,
	            'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
	        OR has_any_column_privilege(r.oid, t.oid,
	            'SELECT, INSERT, UPDATE, REFERENCES'))
	   AND NOT EXISTS (
	        SELECT 1 FROM pg_policy p, unnest(p.polroles) AS pr(oid)
	         WHERE p.polrelid = t.oid
	           AND (pr.oid = 0 OR pg_has_role(r.oid, pr.oid, 'USAGE')))
	UNION ALL
	SELECT 'policy_to_public', t.name, 'policy ' || p.polname || ' applies to PUBLIC'
	  FROM tables t JOIN pg_policy p ON p.polrelid = t.oid
	 WHERE 0 = ANY (p.polroles)
	UNION ALL
	SELECT 'privilege_not_allowed', t.name, r.rolname || ' holds ' || priv
	  FROM tables t CROSS JOIN request_roles r
	 CROSS JOIN (VALUES ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS x(priv)
	 WHERE r.oid IS NOT NULL AND has_table_privilege(r.oid, t.oid, priv)
	UNION ALL
	SELECT 'pk_not_leading_workspace_id', t.name,
	       CASE WHEN pk.oid IS NULL THEN 'tenant table without a primary key'
	            ELSE 'primary key ' || pk.conname || ' does not start with workspace_id' END
	  FROM tables t
	  LEFT JOIN pg_constraint pk ON pk.conrelid = t.oid AND pk.contype = 'p'
	 WHERE t.ws_attnum IS NOT NULL
	   AND (pk.oid IS NULL OR pk.conkey[1] <> t.ws_attnum)
	UNION ALL
	SELECT 'fk_without_workspace_id', t.name,
	       'foreign key ' || fk.conname || ' references tenant table '
	       || fk.confrelid::regclass::text || ' without matching workspace_id'
	  FROM tables t
	  JOIN pg_constraint fk ON fk.conrelid = t.oid AND fk.contype = 'f'
	  JOIN pg_attribute ra ON ra.attrelid = fk.confrelid AND ra.attname = 'workspace_id'
	                      AND ra.attnum > 0 AND NOT ra.attisdropped
	 WHERE NOT EXISTS (
	        SELECT 1 FROM generate_subscripts(fk.conkey, 1) AS i
	         WHERE fk.conkey[i] = t.ws_attnum AND fk.confkey[i] = ra.attnum)
	UNION ALL
	SELECT 'role_missing', g.rolname, 'role does not exist'
	  FROM guarded_roles g WHERE g.oid IS NULL
	UNION ALL
	SELECT 'role_superuser', g.rolname, 'is a superuser: row level security does not apply'
	  FROM guarded_roles g WHERE g.rolsuper
	UNION ALL
	SELECT 'role_bypassrls', g.rolname, 'has BYPASSRLS: row level security does not apply'
	  FROM guarded_roles g WHERE g.rolbypassrls
	UNION ALL
	SELECT 'role_can_login', r.rolname, 'a request role can log in; only second_authenticator should'
	  FROM request_roles r WHERE r.rolcanlogin
	UNION ALL
	SELECT 'role_owns_object', g.rolname, 'owns ' || o.what
	  FROM guarded_roles g JOIN objects o ON o.owner = g.oid
	UNION ALL
	SELECT DISTINCT 'role_member_of_owner', g.rolname,
	       'is a member of ' || o.owner::regrole::text || ', which owns objects in second'
	  FROM guarded_roles g JOIN objects o ON o.owner <> g.oid
	 WHERE pg_has_role(g.oid, o.owner, 'MEMBER')
	UNION ALL
	SELECT 'authenticator_table_privilege', rel.name,
	       'second_authenticator holds a privilege on it without switching role'
	  FROM relations rel CROSS JOIN guarded_roles g
	 WHERE g.rolname = 'second_authenticator' AND g.oid IS NOT NULL
	   AND rel.relkind IN ('r', 'p', 'v', 'm', 'f')
	   AND (has_table_privilege(g.oid, rel.oid,
	            'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
	        OR has_any_column_privilege(g.oid, rel.oid,
	            'SELECT, INSERT, UPDATE, REFERENCES'))
	UNION ALL
	SELECT 'view_not_security_invoker', rel.name,
	       'view runs with its owner''s rights; set security_invoker = true'
	  FROM relations rel
	 WHERE rel.relkind = 'v'
	   AND NOT EXISTS (SELECT 1 FROM pg_options_to_table(rel.reloptions) o
	                    WHERE o.option_name = 'security_invoker'
	                      AND o.option_value::boolean)
	UNION ALL
	SELECT 'materialized_view', rel.name,
	       'materialized views have no row level security'
	  FROM relations rel WHERE rel.relkind = 'm'
	UNION ALL
	SELECT 'definer_search_path', d.name, 'SECURITY DEFINER without a fixed search_path'
	  FROM definers d
	 WHERE NOT EXISTS (SELECT 1 FROM unnest(d.proconfig) AS c(setting)
	                    WHERE c.setting LIKE 'search\_path=%')
	UNION ALL
	SELECT 'definer_public_execute', d.name, 'SECURITY DEFINER executable by PUBLIC'
	  FROM definers d
	 WHERE d.proacl IS NULL
	    OR EXISTS (SELECT 1 FROM aclexplode(d.proacl) a
	                WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
	UNION ALL
	SELECT l.check_name, l.object_name, l.detail
	  FROM lints l
	 WHERE NOT EXISTS (
	        SELECT 1 FROM exceptions e
	         WHERE e.check_name = l.check_name AND e.subject = l.subject
	           AND (e.object_name IS NULL OR e.object_name = l.object_name))
)
SELECT v.check_name, v.object_name, v.detail
  FROM violations v
 ORDER BY v.check_name, v.object_name, v.detail
$$;

COMMENT ON FUNCTION second.audit_catalog() IS
    'one row per violation of the tenancy catalog rules; no row = the boundary holds';
REVOKE ALL ON FUNCTION second.audit_catalog() FROM PUBLIC;
