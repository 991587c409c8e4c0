-- 004_teams.sql: teams, team memberships and workspace creation.
--
-- Tenant tables (workspace_id first in every key):
--   teams             every workspace has exactly one default team, "General",
--                     created with the workspace; it can be neither deleted
--                     nor stop being the default.
--   team_memberships  (workspace_id, team_id, user_id); both references are
--                     composite, so a team membership can only name a team and
--                     a member of its own workspace; removing a member or a
--                     team removes the team memberships (ON DELETE CASCADE).
--
-- Also here:
--   second.create_workspace()  SECURITY DEFINER: the workspace, the caller's
--                              owner membership, the General team and the
--                              caller's membership of it, in one call.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- teams
-------------------------------------------------------------------------------

CREATE TABLE second.teams (
	workspace_id second.id NOT NULL REFERENCES second.workspaces (id),
	id           second.id NOT NULL,
	name         text NOT NULL CHECK (btrim(name) <> ''),
	is_default   boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX teams_name_key ON second.teams (workspace_id, lower(name));
CREATE UNIQUE INDEX teams_default_key ON second.teams (workspace_id) WHERE is_default;

-- The default team stays: it is neither deleted nor demoted (the API answers
-- 409 before getting here; this is the backstop).
CREATE FUNCTION second.teams_keep_default() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
	IF TG_OP = 'DELETE' OR NOT NEW.is_default THEN
		RAISE EXCEPTION 'the default team of a workspace cannot be removed'
		    USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION second.teams_keep_default() FROM PUBLIC;
CREATE TRIGGER teams_keep_default BEFORE UPDATE OR DELETE ON second.teams
    FOR EACH ROW WHEN (OLD.is_default)
    EXECUTE FUNCTION second.teams_keep_default();

ALTER TABLE second.teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.teams FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON second.teams TO second_owner
    USING (true) WITH CHECK (true);

CREATE POLICY member_select ON second.teams FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_insert ON second.teams FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_update ON second.teams FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_delete ON second.teams FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.teams FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

CREATE POLICY provider_select ON second.teams FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.teams FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.teams TO second_member;
GRANT SELECT ON second.teams TO second_internal, second_provider;

-------------------------------------------------------------------------------
-- team_memberships
-------------------------------------------------------------------------------

CREATE TABLE second.team_memberships (
	workspace_id second.id NOT NULL,
	team_id      second.id NOT NULL,
	user_id      second.id NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, team_id, user_id),
	FOREIGN KEY (workspace_id, team_id)
	    REFERENCES second.teams (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE
);
-- A member's teams; also serves the cascade from workspace_memberships.
CREATE INDEX team_memberships_user_idx
    ON second.team_memberships (workspace_id, user_id);

ALTER TABLE second.team_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.team_memberships FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON second.team_memberships TO second_owner
    USING (true) WITH CHECK (true);

-- No UPDATE: every column is part of the key; a move is a delete and an insert.
CREATE POLICY member_select ON second.team_memberships FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_insert ON second.team_memberships FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_delete ON second.team_memberships FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.team_memberships FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

-- The provider puts synced members into the General team.
CREATE POLICY provider_select ON second.team_memberships FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_insert ON second.team_memberships FOR INSERT TO second_provider
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_delete ON second.team_memberships FOR DELETE TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.team_memberships FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.team_memberships TO second_member, second_provider;
GRANT SELECT ON second.team_memberships TO second_internal;

-------------------------------------------------------------------------------
-- second.create_workspace
-------------------------------------------------------------------------------

-- Creates workspace p_workspace_id (slug, name), makes current_user_id() its
-- owner, creates the default team "General" (id p_team_id) with the owner in
-- it.  Called as second_member with second.user_id set (second.workspace_id
-- may be empty).  Errors: 42501 without a current user; 23505 for a taken
-- slug or id; 23514 for a bad slug or id; 23503 for an unknown user.
CREATE FUNCTION second.create_workspace(p_workspace_id text, p_slug text,
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
