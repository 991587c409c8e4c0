-- 017_current_caller.sql: the guard's read of the caller, as one helper.
--
-- The guard (src/guard.c, statement "guard") reads, after the context is
-- set, the caller's user row, the slug of their oldest membership, and
-- their membership (role, teams) in the context workspace.  It did so under
-- row-level security as second_member, so every table it joined evaluated
-- its member policies, and those policies call the membership helpers
-- again: about a third of the database time of a simple read.
--
-- second.current_caller() answers the same row, or no row when
-- current_user_id() names no user.  Like the other helpers of the context
-- it is SECURITY DEFINER with a fixed search_path, only second_member may
-- call it, and it reads nothing but the current user's own facts: their
-- user row, their own membership rows (which the member policy of
-- workspace_memberships shows them anyway) with those workspaces' slug and
-- name, and their own team memberships in the context workspace.  It
-- decides nothing: membership is still proved again by the policies of
-- every tenant table the request then reads or writes.

SELECT set_config('role', 'second_owner', true);

CREATE FUNCTION second.current_caller()
    RETURNS TABLE (user_id text, display_name text, email text,
                   session_version integer, home_slug text,
                   workspace_id text, workspace_slug text, workspace_name text,
                   role text, team_ids text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN QUERY
	SELECT u.id::text, u.display_name, u.email, u.session_version,
	       (SELECT w.slug::text FROM second.workspace_memberships m
	          JOIN second.workspaces w ON w.id = m.workspace_id
	         WHERE m.user_id = u.id
	         ORDER BY m.created_at, m.workspace_id LIMIT 1),
	       cw.id::text, cw.slug::text, cw.name, cm.role,
	       (SELECT string_agg(tm.team_id, ',' ORDER BY tm.team_id)
	          FROM second.team_memberships tm
	         WHERE tm.workspace_id = cm.workspace_id AND tm.user_id = u.id)
	  FROM second.users u
	  LEFT JOIN second.workspace_memberships cm
	    ON cm.workspace_id = second.current_workspace_id() AND cm.user_id = u.id
	  LEFT JOIN second.workspaces cw ON cw.id = cm.workspace_id
	 WHERE u.id = second.current_user_id();
END
$$;
COMMENT ON FUNCTION second.current_caller() IS
    'the guard row of current_user_id(): user, oldest membership slug, membership in current_workspace_id()';
REVOKE ALL ON FUNCTION second.current_caller() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_caller() TO second_member;
