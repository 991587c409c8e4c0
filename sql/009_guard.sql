-- 009_guard.sql: the helpers the guard's first statement needs.
--
-- Every request transaction starts with one statement (src/stmt.c "ctx"):
--   SELECT set_config('role', $1, true),
--          set_config('second.user_id', ..., true),
--          set_config('second.workspace_id', ..., true)
-- It must turn what the request names (a workspace slug or id, or an
-- external subject) into ids before any policy runs, so the two lookups
-- below are SECURITY DEFINER with a fixed search_path.  They reveal only
-- an id, to the worker, never rows: membership is proved afterwards by the
-- guard query under row-level security.
--
-- The authenticator needs USAGE on the schema to prepare statements; it
-- still holds no privilege on any table.

SELECT set_config('role', 'second_owner', true);

-- Resolve a workspace reference.  NULL: none.  '': the oldest membership
-- of p_user_id (workspace selection's last fallback).  Otherwise the id of
-- the workspace whose id or slug equals p_ref, or NULL.
CREATE FUNCTION second.resolve_workspace(p_ref text, p_user_id text)
    RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
	SELECT CASE
	    WHEN p_ref IS NULL THEN NULL
	    WHEN p_ref = '' THEN (
		SELECT m.workspace_id FROM second.workspace_memberships m
		WHERE m.user_id = p_user_id
		ORDER BY m.created_at, m.workspace_id LIMIT 1)
	    ELSE (
		SELECT w.id FROM second.workspaces w
		WHERE w.id = p_ref OR w.slug = p_ref LIMIT 1)
	END
$$;
REVOKE ALL ON FUNCTION second.resolve_workspace(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.resolve_workspace(text, text)
    TO second_authenticator, second_anon, second_member, second_internal,
       second_provider;

-- The user id of an external subject, or NULL.
CREATE FUNCTION second.subject_user_id(p_subject text)
    RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
	SELECT u.id FROM second.users u
	WHERE p_subject IS NOT NULL AND u.external_subject = p_subject
$$;
REVOKE ALL ON FUNCTION second.subject_user_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.subject_user_id(text)
    TO second_authenticator, second_anon, second_member, second_internal,
       second_provider;

-- External mode, first sight or changed profile: upsert the user by its
-- stable subject.  Email and name are updated only when given.  Runs as
-- the caller (second_provider), under that role's policies.
CREATE FUNCTION second.external_identity(p_id text, p_subject text,
    p_email text, p_name text)
    RETURNS text
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, second
    AS $$
	INSERT INTO second.users (id, external_subject, email,
	    email_normalized, display_name)
	VALUES (p_id, p_subject, nullif(btrim(p_email), ''),
	    nullif(lower(btrim(p_email)), ''), nullif(btrim(p_name), ''))
	ON CONFLICT (external_subject) WHERE external_subject IS NOT NULL
	DO UPDATE SET
	    email = coalesce(EXCLUDED.email, users.email),
	    email_normalized = coalesce(EXCLUDED.email_normalized,
		users.email_normalized),
	    display_name = coalesce(EXCLUDED.display_name, users.display_name),
	    updated_at = now()
	RETURNING id
$$;
REVOKE ALL ON FUNCTION second.external_identity(text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.external_identity(text, text, text, text)
    TO second_provider;




-- Provider sync (POST /api/internal/provider/sync), in the workspace of the
-- context, as the caller (second_provider) under its policies: upsert the
-- user by subject, the membership with the given (already validated) role,
-- the default team membership, and accept a pending invitation for the
-- email.  Returns no row when the context names no workspace.
CREATE FUNCTION second.provider_sync(p_id text, p_subject text,
    p_email text, p_name text, p_role text)
    RETURNS TABLE (user_id text, workspace_id text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, second
    AS $$
DECLARE
	v_ws   text := second.current_workspace_id();
	v_user text;
BEGIN
	IF v_ws IS NULL THEN
		RETURN;
	END IF;
	v_user := second.external_identity(p_id, p_subject, p_email, p_name);
	INSERT INTO second.workspace_memberships AS m (workspace_id, user_id, role)
	VALUES (v_ws, v_user, p_role)
	ON CONFLICT ON CONSTRAINT workspace_memberships_pkey DO UPDATE SET
	    role = EXCLUDED.role,
	    membership_version = m.membership_version + 1
	    WHERE m.role IS DISTINCT FROM EXCLUDED.role;
	INSERT INTO second.team_memberships (workspace_id, team_id, user_id)
	SELECT v_ws, t.id, v_user FROM second.teams t
	WHERE t.workspace_id = v_ws AND t.is_default
	ON CONFLICT DO NOTHING;
	IF p_email IS NOT NULL THEN
		UPDATE second.invitations i SET status = 'accepted', updated_at = now()
		WHERE i.workspace_id = v_ws AND i.status = 'pending'
		  AND i.email_normalized = lower(btrim(p_email));
	END IF;
	user_id := v_user;
	workspace_id := v_ws;
	RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION second.provider_sync(text, text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.provider_sync(text, text, text, text, text)
    TO second_provider;
