-- repeatable/30_guard.sql: the lookups a request needs before any policy.
--
-- Rule: the guard's first statements turn what the request names into ids
-- and read the caller (src/guard.c):
--   second.resolve_workspace(ref, user)    a workspace slug or id, or the
--                                          caller's oldest membership
--   second.subject_user_id(subject)        the user of an external subject
--   second.resolve_organization(p, org)    the workspace mapped to a
--                                          provider's organization
--   second.current_caller()                the caller's user row, their
--                                          membership (role, teams) in the
--                                          context workspace, or the slug
--                                          of their oldest membership
--   second.session_key_ensure(candidate)   the none-mode cookie key
--
-- Why SECURITY DEFINER: they run before the context exists (or to prove
-- it), so row-level security would hide what they must find.
--
-- Why it is safe: each reveals an id, or the caller's own facts, to the
-- worker, never another user's rows, and decides nothing: membership is
-- proved again by the policies of every tenant table the request then
-- reads or writes.  search_path is pinned; PUBLIC cannot execute them; the
-- grants name the roles that need each.  A slug is never 24 hex digits
-- (workspaces' CHECK) and an id always is, so resolve_workspace's two
-- lookups cannot both match.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants and comments re-asserted).

SELECT set_config('role', 'second_owner', true);

-- NULL: none.  '': the oldest membership of p_user_id (workspace
-- selection's last fallback).  Otherwise the id of the workspace whose slug
-- or id equals p_ref, or NULL.
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
REVOKE ALL ON FUNCTION second.resolve_workspace(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.resolve_workspace(text, text)
    TO second_authenticator, second_anon, second_member, second_internal,
       second_provider, second_dispatcher;

-- The user id of an external subject, or NULL.
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
REVOKE ALL ON FUNCTION second.subject_user_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.subject_user_id(text)
    TO second_authenticator, second_anon, second_member, second_internal,
       second_provider, second_dispatcher;

-- The id of the workspace mapped to that organization (second-admin
-- workspace-link), or NULL; the mapping is unique
-- (workspaces_external_organization_key).
CREATE OR REPLACE FUNCTION second.resolve_organization(p_provider text, p_org text)
    RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
	SELECT w.id FROM second.workspaces w
	WHERE w.external_organization_provider = p_provider
	  AND w.external_organization_id = p_org
$$;
REVOKE ALL ON FUNCTION second.resolve_organization(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.resolve_organization(text, text)
    TO second_provider;

-- No row when current_user_id() names no user.  home_slug is read only
-- when the caller is not a member of the context workspace (or none was
-- named): a member is ready by that membership, and such a request is never
-- redirected elsewhere.  Only the lookups the answer needs run.
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
COMMENT ON FUNCTION second.current_caller() IS
    'the guard row of current_user_id(): user, membership in current_workspace_id(), and the oldest membership slug when not a member there';
REVOKE ALL ON FUNCTION second.current_caller() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_caller() TO second_member;

-- When no SECOND_NO_AUTH_SESSION_SECRET is configured, the first worker to
-- start offers a random 32-byte key.  Stores p_candidate as kid 1 if there
-- is no key yet (concurrent callers: the first commit wins, the others get
-- its key), then returns the current key (highest kid), so every worker on
-- every host gets the same key.  Must run in a read-write transaction.
-- 22023 unless p_candidate is 32 bytes.
CREATE OR REPLACE FUNCTION second.session_key_ensure(p_candidate bytea)
    RETURNS TABLE (kid integer, key bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
#variable_conflict use_column
BEGIN
	IF p_candidate IS NULL OR length(p_candidate) <> 32 THEN
		RAISE EXCEPTION 'session_key_ensure: the candidate key must be 32 bytes'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO second.session_keys AS k (kid, key)
	SELECT 1, p_candidate
	 WHERE NOT EXISTS (SELECT 1 FROM second.session_keys)
	ON CONFLICT (kid) DO NOTHING;
	RETURN QUERY
	SELECT k.kid, k.key FROM second.session_keys k ORDER BY k.kid DESC LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION second.session_key_ensure(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.session_key_ensure(bytea) TO second_authenticator;
