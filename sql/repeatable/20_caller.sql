-- repeatable/20_caller.sql: the caller's own side of every member policy.
--
-- Rule: the policies of second_member (repeatable/70_policies_workspace.sql,
-- 80_policies_apps.sql) ask four questions about the caller in the current
-- workspace, each answered by one helper here:
--   second.is_current_member()             is the caller a member?
--   second.current_member_role()           owner, admin, member, or NULL
--   second.current_team_ids()              the caller's teams, sorted
-- Policies call them as (SELECT ...): an InitPlan, once per statement.
-- The app rules (25_app_predicates.sql) read collaborations from the apps
-- row (collaborator_ids, kept by 50_triggers.sql).
--
-- Why SECURITY DEFINER: the policies of workspace_memberships, team
-- memberships and app links read these tables themselves, so a policy that
-- read them under row-level security would recurse ("infinite recursion
-- detected in policy").  The helpers read as the owner instead.
--
-- Why it is safe: each returns only the current user's own facts in the
-- current workspace (nothing without context), never another user's, and
-- decides nothing: the rule stays in the policies.  search_path is pinned,
-- PUBLIC cannot execute them, only second_member may.
--
-- Why PL/pgSQL: a LANGUAGE sql function that carries SET search_path
-- cannot be inlined, so PostgreSQL would parse and plan its body on every
-- call; PL/pgSQL keeps its plans for the life of the connection.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.is_current_member() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN EXISTS (
	    SELECT 1 FROM second.workspace_memberships m
	     WHERE m.workspace_id = second.current_workspace_id()
	       AND m.user_id = second.current_user_id());
END
$$;
COMMENT ON FUNCTION second.is_current_member() IS
    'true iff current_user_id() is a member of current_workspace_id(); false without context';
REVOKE ALL ON FUNCTION second.is_current_member() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.is_current_member() TO second_member;

CREATE OR REPLACE FUNCTION second.current_member_role() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN (SELECT m.role FROM second.workspace_memberships m
	 WHERE m.workspace_id = second.current_workspace_id()
	   AND m.user_id = second.current_user_id());
END
$$;
COMMENT ON FUNCTION second.current_member_role() IS
    'role (owner, admin, member) of current_user_id() in current_workspace_id(); NULL if none';
REVOKE ALL ON FUNCTION second.current_member_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_member_role() TO second_member;

-- Empty without context.  Compared with apps.team_ids (&&).
CREATE OR REPLACE FUNCTION second.current_team_ids() RETURNS text[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN ARRAY(SELECT tm.team_id::text FROM second.team_memberships tm
	              WHERE tm.workspace_id = second.current_workspace_id()
	                AND tm.user_id = second.current_user_id()
	              ORDER BY tm.team_id);
END
$$;
COMMENT ON FUNCTION second.current_team_ids() IS
    'ids of the teams of current_user_id() in current_workspace_id(), sorted';
REVOKE ALL ON FUNCTION second.current_team_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_team_ids() TO second_member;

-- current_collaborator_app_ids() answered the collaborations from
-- app_collaborators until the app rules read them from the apps row; no
-- policy calls it any more, so a database migrated before drops it.
DROP FUNCTION IF EXISTS second.current_collaborator_app_ids();
