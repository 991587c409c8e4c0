-- repeatable/40_identity.sql: onboarding, workspace creation and
-- provider sync.
--
-- Rule:
--   second.onboard_identity()   none mode: the user of a normalized email,
--                               created or renamed (SECURITY DEFINER: the
--                               caller has no identity yet)
--   second.create_workspace()   the workspace, the caller as its owner, the
--                               General team with the caller in it, in one
--                               call (SECURITY DEFINER: the caller is not a
--                               member of it yet)
--   second.external_identity()  external mode: upsert the user by subject
--   second.provider_sync()      POST /api/internal/provider/sync: the user,
--                               the membership, General, and a pending
--                               invitation of the email accepted
-- external_identity and provider_sync run as the caller (second_provider)
-- under its policies.
--
-- Why it is safe: the two definers write only rows for the current user
-- (create_workspace refuses without one, 42501) or for the email given,
-- which in none mode is the identity by design (no authentication).  The
-- others widen nothing: second_provider's own policies apply.  search_path
-- is pinned and each function is executable only by the roles granted.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE; grants re-asserted).

SELECT set_config('role', 'second_owner', true);

-- The user whose normalized email is p_email gets p_display_name and is
-- returned; without one, a user is created with id p_id.  Race-safe (one
-- INSERT ... ON CONFLICT).  Errors: 22023 for a blank email or display name,
-- 23514 for a malformed p_id.  Called as second_anon (first visit) or
-- second_member (completing a profile); none mode has no authentication, so
-- whoever knows an email may take its identity, by design.
CREATE OR REPLACE FUNCTION second.onboard_identity(p_id text, p_display_name text, p_email text)
    RETURNS TABLE (user_id text, session_version integer)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
#variable_conflict use_column
BEGIN
	IF coalesce(btrim(p_email), '') = '' OR coalesce(btrim(p_display_name), '') = '' THEN
		RAISE EXCEPTION 'onboard_identity: display name and email are required'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	INSERT INTO second.users AS u (id, display_name, email, email_normalized)
	VALUES (p_id, p_display_name, btrim(p_email), lower(btrim(p_email)))
	ON CONFLICT (email_normalized) DO UPDATE
	    SET display_name = EXCLUDED.display_name
	RETURNING u.id::text, u.session_version;
END
$$;
REVOKE ALL ON FUNCTION second.onboard_identity(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.onboard_identity(text, text, text)
    TO second_anon, second_member;

-- Creates workspace p_workspace_id (slug, name), makes current_user_id() its
-- owner, creates the default team "General" (id p_team_id) with the owner in
-- it.  Called as second_member with second.user_id set (second.workspace_id
-- may be empty).  Errors: 42501 without a current user; 23505 for a taken
-- slug or id; 23514 for a bad slug or id; 23503 for an unknown user.
CREATE OR REPLACE FUNCTION second.create_workspace(p_workspace_id text, p_slug text,
    p_name text, p_team_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
DECLARE
	v_user text := second.current_user_id();
BEGIN
	IF v_user IS NULL THEN
		RAISE EXCEPTION 'create_workspace: no current user'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	INSERT INTO second.workspaces (id, slug, name)
	    VALUES (p_workspace_id, p_slug, p_name);
	INSERT INTO second.workspace_memberships (workspace_id, user_id, role)
	    VALUES (p_workspace_id, v_user, 'owner');
	INSERT INTO second.teams (workspace_id, id, name, is_default)
	    VALUES (p_workspace_id, p_team_id, 'General', true);
	INSERT INTO second.team_memberships (workspace_id, team_id, user_id)
	    VALUES (p_workspace_id, p_team_id, v_user);
END
$$;
REVOKE ALL ON FUNCTION second.create_workspace(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.create_workspace(text, text, text, text) TO second_member;

-- External mode, first sight or changed profile: upsert the user by its
-- stable subject.  Email and name are updated only when given.
CREATE OR REPLACE FUNCTION second.external_identity(p_id text, p_subject text,
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

-- In the workspace of the context (SE404 when it names none, so nothing,
-- not even the user, is written): upsert the user by subject; expire, then
-- accept, a pending invitation of the email; the membership with the role
-- sent, else the member's current role, else the accepted invitation's
-- (SE422 when none); the default team membership.  Returns the role
-- applied.
CREATE OR REPLACE FUNCTION second.provider_sync(p_id text, p_subject text,
    p_email text, p_name text, p_role text)
    RETURNS TABLE (user_id text, workspace_id text, role text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, second
    AS $$
DECLARE
	v_ws       text := second.current_workspace_id();
	v_email    text := nullif(lower(btrim(p_email)), '');
	v_user     text;
	v_role     text;
	v_invited  text;
BEGIN
	IF v_ws IS NULL THEN
		RAISE EXCEPTION 'no such workspace' USING ERRCODE = 'SE404';
	END IF;
	v_user := second.external_identity(p_id, p_subject, p_email, p_name);
	IF v_email IS NOT NULL THEN
		UPDATE second.invitations i SET status = 'expired', updated_at = now()
		WHERE i.workspace_id = v_ws AND i.status = 'pending'
		  AND i.email_normalized = v_email AND i.expires_at <= now();
		UPDATE second.invitations i SET status = 'accepted', updated_at = now()
		WHERE i.workspace_id = v_ws AND i.status = 'pending'
		  AND i.email_normalized = v_email
		RETURNING i.role INTO v_invited;
	END IF;
	SELECT m.role INTO v_role FROM second.workspace_memberships m
	WHERE m.workspace_id = v_ws AND m.user_id = v_user;
	v_role := coalesce(p_role, v_role, v_invited);
	IF v_role IS NULL THEN
		RAISE EXCEPTION 'no role: none sent, no membership, no invitation'
		    USING ERRCODE = 'SE422';
	END IF;
	INSERT INTO second.workspace_memberships AS m (workspace_id, user_id, role)
	VALUES (v_ws, v_user, v_role)
	ON CONFLICT ON CONSTRAINT workspace_memberships_pkey DO UPDATE SET
	    role = EXCLUDED.role,
	    membership_version = m.membership_version + 1
	    WHERE m.role IS DISTINCT FROM EXCLUDED.role;
	INSERT INTO second.team_memberships (workspace_id, team_id, user_id)
	SELECT v_ws, t.id, v_user FROM second.teams t
	WHERE t.workspace_id = v_ws AND t.is_default
	ON CONFLICT DO NOTHING;
	user_id := v_user;
	workspace_id := v_ws;
	role := v_role;
	RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION second.provider_sync(text, text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.provider_sync(text, text, text, text, text)
    TO second_provider;
