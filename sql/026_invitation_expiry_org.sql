-- 026_invitation_expiry_org.sql: invitations expire; provider sync may name
-- a workspace by the provider's organization.
--
-- Rules:
--  1. Every invitation has expires_at (the web tier sets it from
--     invitation_ttl; the default here is the option's default, 14 days).
--     A 'pending' row whose expires_at has passed is expired: every read
--     reports it so (the CASE in src/stmt.c), and every write that needs
--     the email's pending slot (a new invitation, provider sync) first
--     stores status 'expired', so the one-pending-per-email index frees
--     the slot and an expired invitation is never accepted.
--  2. second.resolve_organization(provider, id): the id of the workspace
--     mapped to that organization (second-admin workspace-link), or NULL.
--     SECURITY DEFINER like resolve_workspace (009): it reveals an id to
--     the provider's connection, never a row; only second_provider may
--     call it.  The mapping itself is unique already
--     (workspaces_external_organization_key, 003).
--  3. second.provider_sync: the role may be NULL (the provider sent none):
--     an existing member keeps their role, a new member gets the role of
--     the pending invitation it accepts, neither is SE422.  A role sent
--     wins over both.  An unknown workspace is SE404, so nothing (not even
--     the user) is written for it.  It now returns the role applied.
--
-- Why it is safe: existing rows get created_at + 14 days, the expiry the
-- default configuration gives new ones, so no pending invitation changes
-- meaning before that; the column is filled in the same transaction that
-- adds it.  No policy or grant is widened: the new function is callable by
-- second_provider only and provider_sync keeps its grant.

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.invitations
    ADD COLUMN expires_at timestamptz;
UPDATE second.invitations SET expires_at = created_at + interval '14 days';
ALTER TABLE second.invitations
    ALTER COLUMN expires_at SET DEFAULT now() + interval '14 days',
    ALTER COLUMN expires_at SET NOT NULL;

CREATE FUNCTION second.resolve_organization(p_provider text, p_org text)
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

DROP FUNCTION second.provider_sync(text, text, text, text, text);
CREATE FUNCTION second.provider_sync(p_id text, p_subject text,
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
