-- repeatable/25_app_predicates.sql: who builds an app, and who sees it.
--
-- Rule, written here once and used by every policy of 80_policies_apps.sql:
--   second.app_builder(role, user, creator, collaborators)
--       a builder of the app: the caller's role in the workspace is owner
--       or admin, or it is member and the caller (user) created the app or
--       is one of its collaborators.  Any other role (NULL: not a member)
--       builds nothing.
--   second.app_visible(role, user, creator, collaborators, published,
--                      teams, caller_teams)
--       the caller sees the app: a builder, or the app has a published
--       version (published once, whatever its status now, so team viewers
--       keep the last published app while its builders work on a draft or
--       a review) and shares a team with the caller.
-- The policies pass the caller's facts as (SELECT second.current_member_role()),
-- (SELECT second.current_user_id()) and (SELECT second.current_team_ids())
-- (10_context.sql, 20_caller.sql), which PostgreSQL evaluates once per
-- statement, and the app's own columns.
--
-- Why it is safe: both are SECURITY INVOKER and read nothing: each is one
-- expression over its arguments.  A caller who is not a member of the
-- workspace has no role (builds nothing) and no team there
-- (team_memberships references workspace_memberships ON DELETE CASCADE),
-- so sees nothing.  The policies still check the workspace.
--
-- Why an SQL-standard body (RETURN ...) and no SET search_path: these run
-- once per row of every apps scan, so PostgreSQL must inline them into the
-- policy expression (EXPLAIN shows the CASE, not a call), and it never
-- inlines a function with a SET clause: pinned with SET, the apps list of
-- a member in a workspace of 2,000 apps, 50 rows, took 16-30 ms instead
-- of 0.4-0.5 ms (EXPLAIN ANALYZE).  An SQL-standard body is parsed
-- when the function is created: every name and operator in it is bound
-- then, under this file's search_path, and stored resolved, so no
-- caller's search_path can change what it calls; the audit counts that as
-- a fixed search_path.  Each argument that may carry a sub-select is used
-- exactly once, which inlining needs (hence ANY over the collaborators
-- and the creator together).
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.app_builder(p_role text, p_user_id text,
    p_created_by_user_id text, p_collaborator_ids text[])
    RETURNS boolean
    LANGUAGE sql STABLE
    RETURN CASE p_role
	    WHEN 'owner' THEN true
	    WHEN 'admin' THEN true
	    WHEN 'member' THEN
	        p_user_id = ANY (p_collaborator_ids || p_created_by_user_id)
	    ELSE false
	END;
COMMENT ON FUNCTION second.app_builder(text, text, text, text[]) IS
    'the caller (role in the workspace, user id) builds the app with this creator and these collaborators';
REVOKE ALL ON FUNCTION second.app_builder(text, text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.app_builder(text, text, text, text[]) TO second_member;

CREATE OR REPLACE FUNCTION second.app_visible(p_role text, p_user_id text,
    p_created_by_user_id text, p_collaborator_ids text[],
    p_published boolean, p_team_ids text[], p_caller_team_ids text[])
    RETURNS boolean
    LANGUAGE sql STABLE
    RETURN second.app_builder(p_role, p_user_id, p_created_by_user_id,
	    p_collaborator_ids)
	OR (p_published AND p_team_ids && p_caller_team_ids);
COMMENT ON FUNCTION second.app_visible(text, text, text, text[], boolean, text[], text[]) IS
    'the caller sees the app: a builder, or it was published and shares a team with the caller';
REVOKE ALL ON FUNCTION second.app_visible(text, text, text, text[], boolean, text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.app_visible(text, text, text, text[], boolean, text[], text[])
    TO second_member;
