-- repeatable/25_app_predicates.sql: who builds an app, and who sees it.
--
-- Rule, written here once and used by every policy of 80_policies_apps.sql:
--   second.app_builder(role, creator, collaborators)
--       a builder of the app: the caller's role in the workspace is owner
--       or admin, or it is member and the caller created the app or is one
--       of its collaborators.  Any other role (NULL: not a member) builds
--       nothing.
--   second.app_visible(role, creator, collaborators, published, teams,
--                      caller_teams)
--       the caller sees the app: a builder, or the app has a published
--       version (published once, whatever its status now, so team viewers
--       keep the last published app while its builders work on a draft or
--       a review) and shares a team with the caller.
-- The policies pass the caller's facts as (SELECT second.current_member_role())
-- and (SELECT second.current_team_ids()) (20_caller.sql), which PostgreSQL
-- evaluates once per statement, and the app's own columns.
--
-- Why it is safe: both are SECURITY INVOKER and read nothing: each is one
-- expression over its arguments and second.current_user_id().  A caller
-- who is not a member of the workspace has no role (builds nothing) and no
-- team there (team_memberships references workspace_memberships ON DELETE
-- CASCADE), so sees nothing.  The policies still check the workspace.
--
-- Why no SET search_path (the rule for SECURITY DEFINER functions): a
-- LANGUAGE sql function with a SET clause, or with a sub-select in its
-- body, is never inlined, and these run once per row of every apps scan.
-- As they are, PostgreSQL inlines them into the policy expression (EXPLAIN
-- shows the CASE, not a call).  Every name in them is schema-qualified and
-- pg_catalog is searched first, so the caller's search_path changes
-- nothing; and they run with the caller's rights anyway.  Each argument
-- that may carry a sub-select is used exactly once, which inlining needs.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.app_builder(p_role text,
    p_created_by_user_id text, p_collaborator_ids text[])
    RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT CASE p_role
	    WHEN 'owner' THEN true
	    WHEN 'admin' THEN true
	    WHEN 'member' THEN
	        p_created_by_user_id = second.current_user_id()
	        OR second.current_user_id() = ANY (p_collaborator_ids)
	    ELSE false
	END
$$;
COMMENT ON FUNCTION second.app_builder(text, text, text[]) IS
    'the caller (role in the workspace, current_user_id()) builds the app with this creator and these collaborators';
REVOKE ALL ON FUNCTION second.app_builder(text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.app_builder(text, text, text[]) TO second_member;

CREATE OR REPLACE FUNCTION second.app_visible(p_role text,
    p_created_by_user_id text, p_collaborator_ids text[],
    p_published boolean, p_team_ids text[], p_caller_team_ids text[])
    RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT second.app_builder(p_role, p_created_by_user_id, p_collaborator_ids)
	    OR (p_published AND p_team_ids && p_caller_team_ids)
$$;
COMMENT ON FUNCTION second.app_visible(text, text, text[], boolean, text[], text[]) IS
    'the caller sees the app: a builder, or it was published and shares a team with the caller';
REVOKE ALL ON FUNCTION second.app_visible(text, text, text[], boolean, text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.app_visible(text, text, text[], boolean, text[], text[])
    TO second_member;
