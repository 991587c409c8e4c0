-- repeatable/10_context.sql: the per-request context, as policies read it.
--
-- Rule: each request is one transaction whose first statement sets,
-- transaction-locally, the role and the context:
--
--   SELECT set_config('role', $1, true),
--          set_config('second.user_id', $2, true),
--          set_config('second.workspace_id', $3, true)
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
-- own settings.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.current_user_id() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('second.user_id', true), '') $$;

CREATE OR REPLACE FUNCTION second.current_workspace_id() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('second.workspace_id', true), '') $$;

COMMENT ON FUNCTION second.current_user_id() IS
    'second.user_id of this transaction, NULL when unset or empty';
COMMENT ON FUNCTION second.current_workspace_id() IS
    'second.workspace_id of this transaction, NULL when unset or empty';

REVOKE ALL ON FUNCTION second.current_user_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION second.current_workspace_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_user_id(), second.current_workspace_id()
    TO second_anon, second_member, second_internal, second_provider;
