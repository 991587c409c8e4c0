-- repeatable/10_context.sql: the per-request context, as policies read it.
--
-- Rule: each request is one transaction whose first statement sets,
-- transaction-locally, the role and the context:
--
--   SELECT set_config('role', $1, true),
--          set_config('second.user_id', $2, true),
--          set_config('second.workspace_id', $3, true),
--          set_config('second.app_id', $5, true)
--
-- second.app_id is set only by internal calls (second_internal), which
-- name one app of one workspace; their policies key on both.
--
-- Policies never read current_setting() directly: they call the two
-- helpers below, which turn an unset value (NULL) and an empty one ('',
-- what a connection reads back once any earlier transaction has set the
-- variable) into NULL.  Policies wrap them as (SELECT
-- second.current_workspace_id()) so the planner evaluates them once per
-- statement (an InitPlan), not once per row.
--
-- Why it is safe: NULL equals nothing, so a missing or empty context
-- matches no row of any policy.  The helpers read only the transaction's
-- own settings.  search_path is pinned (SET), as on every function of
-- second (second-admin audit, check function_search_path), so no role's
-- search_path can change what current_setting() resolves to.
--
-- Why PL/pgSQL: a function with a SET clause is never inlined, and a
-- LANGUAGE sql one that is not inlined is planned again in every
-- statement that calls it; PL/pgSQL keeps its plan for the connection.
-- Every policy calls them as a sub-select, evaluated once per statement,
-- and the app predicates (25_app_predicates.sql) take the caller's id as
-- an argument instead of calling current_user_id() once per row.  Apps
-- list of a member in a workspace of 2,000 apps, 50 rows (EXPLAIN
-- ANALYZE, median of 10 interleaved rounds of 41 runs): 0.242 ms
-- unpinned and inlined, 0.291 ms pinned as LANGUAGE sql, 0.249 ms pinned
-- as PL/pgSQL.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.current_user_id() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
BEGIN
	RETURN nullif(current_setting('second.user_id', true), '');
END
$$;

CREATE OR REPLACE FUNCTION second.current_workspace_id() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
BEGIN
	RETURN nullif(current_setting('second.workspace_id', true), '');
END
$$;

-- The app an internal call names (second_internal only; NULL elsewhere).
CREATE OR REPLACE FUNCTION second.current_app_id() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
BEGIN
	RETURN nullif(current_setting('second.app_id', true), '');
END
$$;

COMMENT ON FUNCTION second.current_user_id() IS
    'second.user_id of this transaction, NULL when unset or empty';
COMMENT ON FUNCTION second.current_workspace_id() IS
    'second.workspace_id of this transaction, NULL when unset or empty';
COMMENT ON FUNCTION second.current_app_id() IS
    'second.app_id of this transaction, NULL when unset or empty';

REVOKE ALL ON FUNCTION second.current_user_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION second.current_workspace_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION second.current_app_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_user_id(), second.current_workspace_id()
    TO second_anon, second_member, second_internal, second_provider;
GRANT EXECUTE ON FUNCTION second.current_app_id() TO second_internal;
