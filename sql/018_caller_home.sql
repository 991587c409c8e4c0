-- 018_caller_home.sql: the guard row reads the caller's home only when
-- the request does not stay in a workspace they belong to.
--
-- second.current_caller() (017) answered, on every request, the slug of
-- the caller's oldest membership: a join of their memberships and
-- workspaces, sorted.  The guard needs it for two things only: to tell
-- "ready" from "needs a workspace", and to redirect a page request to the
-- caller's first workspace.  A caller who is a member of the context
-- workspace is ready by that membership, and such a request is never
-- redirected to another workspace; for them the home is not read (about a
-- fifth of the helper's time, pgbench replay of the apps list).
--
-- home_slug is now the slug of the oldest membership when the caller is
-- not a member of the context workspace (or none was named), and NULL when
-- they are.  Everything else is unchanged: the same columns, the same
-- rights, still only the context user's own rows.

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.current_caller()
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
	       CASE WHEN cm.role IS NULL THEN
	       (SELECT w.slug::text FROM second.workspace_memberships m
	          JOIN second.workspaces w ON w.id = m.workspace_id
	         WHERE m.user_id = u.id
	         ORDER BY m.created_at, m.workspace_id LIMIT 1) END,
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
    'the guard row of current_user_id(): user, membership in current_workspace_id(), and the oldest membership slug when not a member there';
