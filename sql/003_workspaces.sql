-- 003_workspaces.sql: users, workspaces and workspace memberships.
--
-- users and workspaces are global; workspace_memberships is the first tenant
-- table and the one every membership check reads.  The three live in one file
-- because their policies refer to each other: a member sees the users of the
-- current workspace and every workspace they belong to.
--
-- Also here:
--   second.is_current_member()   SECURITY DEFINER: is current_user_id() a member
--                                of current_workspace_id()?  Reads memberships
--                                as the owner, so policies can call it without
--                                recursing into the memberships policies.
--   second.onboard_identity()    SECURITY DEFINER: none-mode onboarding.
--
-- The policies below enforce tenancy, not permissions: whether a member may
-- rename the workspace or change a role (owner/admin/member) is decided by
-- the C code before the statement runs.
--
-- Each table gets an "owner_all" policy for second_owner: the SECURITY
-- DEFINER functions run as the owner and FORCE ROW LEVEL SECURITY applies to
-- it too.  No request or login role is a member of second_owner
-- (second.audit_catalog() checks).

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- users (global)
-------------------------------------------------------------------------------

CREATE TABLE second.users (
	id               second.id PRIMARY KEY,
	display_name     text,
	email            text,
	-- lower(btrim(email)), the identity key in none mode
	email_normalized text UNIQUE,
	-- the provider's stable subject in external mode
	external_subject text,
	-- bumped to invalidate every session cookie of the user (logout)
	session_version  integer NOT NULL DEFAULT 1 CHECK (session_version > 0),
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_external_subject_key ON second.users (external_subject)
    WHERE external_subject IS NOT NULL;
CREATE TRIGGER users_touch BEFORE UPDATE ON second.users
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.users FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- workspaces (global)
-------------------------------------------------------------------------------

CREATE TABLE second.workspaces (
	id                             second.id PRIMARY KEY,
	-- a slug is never 24 hex digits, so a reference is an id or a slug
	slug                           text NOT NULL UNIQUE
	    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'
	        AND slug !~ '^[0-9a-f]{24}$'),
	name                           text NOT NULL,
	external_organization_provider text,
	external_organization_id       text,
	created_at                     timestamptz NOT NULL DEFAULT now(),
	CHECK ((external_organization_provider IS NULL)
	    = (external_organization_id IS NULL))
);
CREATE UNIQUE INDEX workspaces_external_organization_key
    ON second.workspaces (external_organization_provider, external_organization_id)
    WHERE external_organization_id IS NOT NULL;

ALTER TABLE second.workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.workspaces FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- workspace_memberships (tenant)
-------------------------------------------------------------------------------

CREATE TABLE second.workspace_memberships (
	workspace_id       second.id NOT NULL REFERENCES second.workspaces (id),
	user_id            second.id NOT NULL REFERENCES second.users (id),
	role               text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
	-- bumped on every role change (settings read models dedupe on it)
	membership_version integer NOT NULL DEFAULT 1 CHECK (membership_version > 0),
	created_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, user_id)
);
-- "my workspaces" (/api/me, the member's own-rows policy).
CREATE INDEX workspace_memberships_user_idx
    ON second.workspace_memberships (user_id, workspace_id);

ALTER TABLE second.workspace_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.workspace_memberships FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- Membership helper (used by every second_member policy)
-------------------------------------------------------------------------------

CREATE FUNCTION second.is_current_member() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
	SELECT EXISTS (
	    SELECT 1 FROM second.workspace_memberships m
	     WHERE m.workspace_id = second.current_workspace_id()
	       AND m.user_id = second.current_user_id())
$$;
COMMENT ON FUNCTION second.is_current_member() IS
    'true iff current_user_id() is a member of current_workspace_id(); false without context';
REVOKE ALL ON FUNCTION second.is_current_member() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.is_current_member() TO second_member;

-------------------------------------------------------------------------------
-- Policies and grants: users
-------------------------------------------------------------------------------

CREATE POLICY owner_all ON second.users TO second_owner
    USING (true) WITH CHECK (true);

-- second_anon: only the row of the identity being onboarded.
CREATE POLICY anon_select ON second.users FOR SELECT TO second_anon
    USING (id = (SELECT second.current_user_id()));
CREATE POLICY anon_insert ON second.users FOR INSERT TO second_anon
    WITH CHECK (id = (SELECT second.current_user_id()));
CREATE POLICY anon_update ON second.users FOR UPDATE TO second_anon
    USING (id = (SELECT second.current_user_id()))
    WITH CHECK (id = (SELECT second.current_user_id()));

-- second_member: oneself, and the members of the current workspace when the
-- caller is a member of it; updates only oneself (profile, logout).
CREATE POLICY member_select ON second.users FOR SELECT TO second_member
    USING (id = (SELECT second.current_user_id())
        OR ((SELECT second.is_current_member())
            AND EXISTS (SELECT 1 FROM second.workspace_memberships m
                         WHERE m.workspace_id = (SELECT second.current_workspace_id())
                           AND m.user_id = users.id)));
CREATE POLICY member_update ON second.users FOR UPDATE TO second_member
    USING (id = (SELECT second.current_user_id()))
    WITH CHECK (id = (SELECT second.current_user_id()));

-- second_internal: the members of the workspace the call names.
CREATE POLICY internal_select ON second.users FOR SELECT TO second_internal
    USING (EXISTS (SELECT 1 FROM second.workspace_memberships m
                    WHERE m.workspace_id = (SELECT second.current_workspace_id())
                      AND m.user_id = users.id));

-- second_provider: the identity provider owns identity, across workspaces.
CREATE POLICY provider_select ON second.users FOR SELECT TO second_provider
    USING (true);
CREATE POLICY provider_insert ON second.users FOR INSERT TO second_provider
    WITH CHECK (true);
CREATE POLICY provider_update ON second.users FOR UPDATE TO second_provider
    USING (true) WITH CHECK (true);

REVOKE ALL ON second.users FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.users TO second_anon, second_provider;
GRANT SELECT, UPDATE ON second.users TO second_member;
GRANT SELECT ON second.users TO second_internal;

-------------------------------------------------------------------------------
-- Policies and grants: workspaces
-------------------------------------------------------------------------------

CREATE POLICY owner_all ON second.workspaces TO second_owner
    USING (true) WITH CHECK (true);

-- second_member: every workspace the user belongs to (through the member's
-- own-rows policy on workspace_memberships), so /api/me can list them;
-- updates only the current one.  Created by second.create_workspace().
CREATE POLICY member_select ON second.workspaces FOR SELECT TO second_member
    USING (EXISTS (SELECT 1 FROM second.workspace_memberships m
                    WHERE m.workspace_id = workspaces.id
                      AND m.user_id = (SELECT second.current_user_id())));
CREATE POLICY member_update ON second.workspaces FOR UPDATE TO second_member
    USING (id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.workspaces FOR SELECT TO second_internal
    USING (id = (SELECT second.current_workspace_id()));

CREATE POLICY provider_select ON second.workspaces FOR SELECT TO second_provider
    USING (id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.workspaces FROM PUBLIC;
GRANT SELECT, UPDATE ON second.workspaces TO second_member;
GRANT SELECT ON second.workspaces TO second_internal, second_provider;

-------------------------------------------------------------------------------
-- Policies and grants: workspace_memberships
-------------------------------------------------------------------------------

CREATE POLICY owner_all ON second.workspace_memberships TO second_owner
    USING (true) WITH CHECK (true);

-- second_member: the current workspace when a member of it, plus the
-- user's own membership rows in any workspace (read only).
CREATE POLICY member_select ON second.workspace_memberships FOR SELECT TO second_member
    USING ((workspace_id = (SELECT second.current_workspace_id())
            AND (SELECT second.is_current_member()))
        OR user_id = (SELECT second.current_user_id()));
CREATE POLICY member_insert ON second.workspace_memberships FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_update ON second.workspace_memberships FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_delete ON second.workspace_memberships FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.workspace_memberships FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

CREATE POLICY provider_select ON second.workspace_memberships FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_insert ON second.workspace_memberships FOR INSERT TO second_provider
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_update ON second.workspace_memberships FOR UPDATE TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_delete ON second.workspace_memberships FOR DELETE TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.workspace_memberships FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.workspace_memberships
    TO second_member, second_provider;
GRANT SELECT ON second.workspace_memberships TO second_internal;

-------------------------------------------------------------------------------
-- second.onboard_identity: none-mode onboarding
-------------------------------------------------------------------------------

-- The user whose normalized email is p_email gets p_display_name and is
-- returned; without one, a user is created with id p_id.  Race-safe (one
-- INSERT ... ON CONFLICT).  Errors: 22023 for a blank email or display name,
-- 23514 for a malformed p_id.  Called as second_anon (first visit) or
-- second_member (completing a profile); none mode has no authentication, so
-- whoever knows an email may take its identity, by design.
CREATE FUNCTION second.onboard_identity(p_id text, p_display_name text, p_email text)
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
