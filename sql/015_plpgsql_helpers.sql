-- 015_plpgsql_helpers.sql: the SECURITY DEFINER helpers of the policies,
-- rewritten in PL/pgSQL.  Same names, signatures, grants and answers.
--
-- Why: a LANGUAGE sql function that carries SET search_path (every
-- SECURITY DEFINER helper here must) cannot be inlined, so PostgreSQL
-- parses and plans its body again on every call.  The policies call these
-- helpers several times per statement (the apps policy, and again through
-- the app_teams and app_collaborators policies that look at apps); on the
-- apps list that planning was most of the database time (scripts/dev
-- bench: 4.8 ms of apps_list went to 1.0 ms).  PL/pgSQL keeps its plans
-- for the life of the connection, and workers keep theirs.

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

CREATE OR REPLACE FUNCTION second.current_collaborator_app_ids()
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 10
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN QUERY SELECT c.app_id::text FROM second.app_collaborators c
	 WHERE c.workspace_id = second.current_workspace_id()
	   AND c.user_id = second.current_user_id();
END
$$;

CREATE OR REPLACE FUNCTION second.current_team_app_ids() RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN QUERY SELECT DISTINCT t.app_id::text
	  FROM second.team_memberships tm
	  JOIN second.app_teams t
	    ON t.workspace_id = tm.workspace_id AND t.team_id = tm.team_id
	 WHERE tm.workspace_id = second.current_workspace_id()
	   AND tm.user_id = second.current_user_id();
END
$$;

CREATE OR REPLACE FUNCTION second.resolve_workspace(p_ref text, p_user_id text)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	IF p_ref IS NULL THEN
		RETURN NULL;
	ELSIF p_ref = '' THEN
		RETURN (SELECT m.workspace_id FROM second.workspace_memberships m
		 WHERE m.user_id = p_user_id
		 ORDER BY m.created_at, m.workspace_id LIMIT 1);
	END IF;
	RETURN (SELECT w.id FROM second.workspaces w
	 WHERE w.id = p_ref OR w.slug = p_ref LIMIT 1);
END
$$;

CREATE OR REPLACE FUNCTION second.subject_user_id(p_subject text)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	IF p_subject IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT u.id FROM second.users u
	 WHERE u.external_subject = p_subject);
END
$$;
