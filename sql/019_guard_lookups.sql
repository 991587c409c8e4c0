-- 019_guard_lookups.sql: the two helpers every request runs before its
-- route, as plain index lookups.  Same names, signatures, grants and
-- answers; only the plans change.
--
-- Counted with callgrind on a backend serving the apps list of the bench
-- (instructions per request, the pool's own pipeline): 1.505 M before,
-- 1.415 M with these two functions.
--
-- resolve_workspace(ref, user): "w.id = ref OR w.slug = ref" was a bitmap
-- OR over two indexes on every request.  A slug is never 24 hex digits
-- (003's CHECK) and an id always is, so at most one of the two matches:
-- the slug is looked up first (what URLs carry), then the id.
--
-- current_caller(): 018's single statement joined the user, their
-- membership and workspace, and carried two sub-plans (the oldest
-- membership, the teams); PostgreSQL builds every node of that plan on each
-- call, including the sub-plan it then skips.  Now one lookup per table,
-- and only the lookups the answer needs: the user; their membership in the
-- context workspace; then either that workspace and their teams in it (a
-- member), or the slug of their oldest membership (not a member, or no
-- workspace named).

SELECT set_config('role', 'second_owner', true);

CREATE OR REPLACE FUNCTION second.resolve_workspace(p_ref text, p_user_id text)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
DECLARE
	v_id text;
BEGIN
	IF p_ref IS NULL THEN
		RETURN NULL;
	ELSIF p_ref = '' THEN
		RETURN (SELECT m.workspace_id FROM second.workspace_memberships m
		 WHERE m.user_id = p_user_id
		 ORDER BY m.created_at, m.workspace_id LIMIT 1);
	END IF;
	SELECT w.id INTO v_id FROM second.workspaces w WHERE w.slug = p_ref;
	IF v_id IS NULL THEN
		SELECT w.id INTO v_id FROM second.workspaces w WHERE w.id = p_ref;
	END IF;
	RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION second.current_caller()
    RETURNS TABLE (user_id text, display_name text, email text,
                   session_version integer, home_slug text,
                   workspace_id text, workspace_slug text, workspace_name text,
                   role text, team_ids text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1
    SET search_path = pg_catalog, second
    AS $$
DECLARE
	v_uid text := second.current_user_id();
	v_ws text := second.current_workspace_id();
BEGIN
	SELECT u.id, u.display_name, u.email, u.session_version
	  INTO user_id, display_name, email, session_version
	  FROM second.users u WHERE u.id = v_uid;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT m.role INTO role FROM second.workspace_memberships m
	 WHERE m.workspace_id = v_ws AND m.user_id = v_uid;
	IF role IS NULL THEN
		home_slug := (SELECT w.slug FROM second.workspace_memberships hm
		                JOIN second.workspaces w ON w.id = hm.workspace_id
		               WHERE hm.user_id = v_uid
		               ORDER BY hm.created_at, hm.workspace_id LIMIT 1);
	ELSE
		SELECT w.id, w.slug, w.name
		  INTO workspace_id, workspace_slug, workspace_name
		  FROM second.workspaces w WHERE w.id = v_ws;
		team_ids := (SELECT string_agg(tm.team_id, ',' ORDER BY tm.team_id)
		               FROM second.team_memberships tm
		              WHERE tm.workspace_id = v_ws AND tm.user_id = v_uid);
	END IF;
	RETURN NEXT;
END
$$;
