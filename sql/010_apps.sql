-- 010_apps.sql: apps, their collaborators and teams, and app visibility.
--
-- Tenant tables (workspace_id first in every key):
--   apps               an app: name, publish_status draft|in_review|published,
--                      its creator, the draft and published snapshot summaries
--                      (id, hash, file count, bytes) and agents.json payloads.
--   app_collaborators  explicit collaborators: (workspace_id, app_id, user_id);
--                      the user reference is composite to workspace_memberships,
--                      so removing a member removes their collaborations.
--   app_teams          team visibility: (workspace_id, app_id, team_id);
--                      removing a team removes it from every app.
--
-- Visibility is in the policies themselves, so a query that forgets a filter
-- still cannot see a hidden app.  An app is visible to second_member when it
-- is in the current workspace, the caller is a member of it, and
--   the caller's role is owner or admin,
--   or the caller created it,
--   or the caller is one of its collaborators,
--   or it has a published version (published_snapshot_id set: it was
--   published once, whatever its status now, so team viewers keep the last
--   published app while its builders work on the draft or a review) and one
--   of its teams is a team of the caller.
-- "Builder" = owner, admin, creator or collaborator: apps UPDATE is for
-- builders, DELETE for the creator, owners and admins (the C code checks
-- too).  The tables created by the later migrations (snapshots, review
-- requests, approvals, runs, data) are visible only through a visible app
-- (EXISTS over apps, itself under these policies) and draft material only to
-- builders.
--
-- Why helpers: the apps policies cannot read app_collaborators or app_teams
-- under row level security, since the policies of those tables read apps
-- (a visible app's collaborators and teams): PostgreSQL refuses the cycle
-- ("infinite recursion detected in policy").  So the caller's own side is
-- read by SECURITY DEFINER helpers, each evaluated once per statement:
--   second.current_member_role()            role in the current workspace,
--                                           as (SELECT ...): an InitPlan
--   second.current_collaborator_app_ids()   apps the caller collaborates on,
--   second.current_team_app_ids()           apps shared with a team of the
--                                           caller; both SETOF, used as
--                                           "id IN (SELECT ...)": a hashed
--                                           subplan built once, probed per row
-- They return only the current user's own facts in the current workspace,
-- never another user's.  The rule itself stays in the policies.
--
-- A statement cannot both create an app and, in the same statement, add its
-- children: a child's policy sees apps as of the statement's start.  Create
-- the app, then the teams and collaborators, in separate statements.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- second.current_member_role
-------------------------------------------------------------------------------

CREATE FUNCTION second.current_member_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
	SELECT m.role FROM second.workspace_memberships m
	 WHERE m.workspace_id = second.current_workspace_id()
	   AND m.user_id = second.current_user_id()
$$;
COMMENT ON FUNCTION second.current_member_role() IS
    'role (owner, admin, member) of current_user_id() in current_workspace_id(); NULL if none';
REVOKE ALL ON FUNCTION second.current_member_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_member_role() TO second_member;

-------------------------------------------------------------------------------
-- apps
-------------------------------------------------------------------------------

CREATE TABLE second.apps (
	workspace_id          second.id NOT NULL REFERENCES second.workspaces (id),
	id                    second.id NOT NULL,
	name                  text NOT NULL
	    CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
	publish_status        text NOT NULL DEFAULT 'draft'
	    CHECK (publish_status IN ('draft', 'in_review', 'published')),
	-- global users table: the creator stays recorded after leaving
	created_by_user_id    second.id NOT NULL REFERENCES second.users (id),
	-- the draft snapshot (app_source_snapshots kind 'draft') summary
	draft_snapshot_id     second.id,
	draft_hash            text,
	draft_file_count      integer NOT NULL DEFAULT 0 CHECK (draft_file_count >= 0),
	draft_bytes           bigint NOT NULL DEFAULT 0 CHECK (draft_bytes >= 0),
	-- the published snapshot summary
	published_snapshot_id second.id,
	published_hash        text,
	published_file_count  integer NOT NULL DEFAULT 0 CHECK (published_file_count >= 0),
	published_bytes       bigint NOT NULL DEFAULT 0 CHECK (published_bytes >= 0),
	-- normalized agents.json of the draft (NULL: none) and the
	-- v1:<sha256 hex> hash of its canonical form
	draft_agents          jsonb CHECK (jsonb_typeof(draft_agents) = 'object'),
	draft_agents_hash     text CHECK (draft_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	-- the hash approved for the draft (NULL: not approved)
	approved_agents_hash  text CHECK (approved_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	published_agents      jsonb CHECK (jsonb_typeof(published_agents) = 'object'),
	published_agents_hash text CHECK (published_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	created_at            timestamptz NOT NULL DEFAULT now(),
	updated_at            timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	CHECK ((draft_agents IS NULL) = (draft_agents_hash IS NULL)),
	CHECK ((published_agents IS NULL) = (published_agents_hash IS NULL))
);
-- Policy columns: the creator branch and the published branch.
CREATE INDEX apps_creator_idx ON second.apps (workspace_id, created_by_user_id);
CREATE INDEX apps_status_idx ON second.apps (workspace_id, publish_status);
CREATE TRIGGER apps_touch BEFORE UPDATE ON second.apps
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.apps FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- app_collaborators
-------------------------------------------------------------------------------

CREATE TABLE second.app_collaborators (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	user_id      second.id NOT NULL,
	PRIMARY KEY (workspace_id, app_id, user_id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE
);
-- The caller's collaborations (current_collaborator_app_ids); also serves
-- the cascade from workspace_memberships.
CREATE INDEX app_collaborators_user_idx
    ON second.app_collaborators (workspace_id, user_id, app_id);

ALTER TABLE second.app_collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_collaborators FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- app_teams
-------------------------------------------------------------------------------

CREATE TABLE second.app_teams (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	team_id      second.id NOT NULL,
	PRIMARY KEY (workspace_id, app_id, team_id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, team_id)
	    REFERENCES second.teams (workspace_id, id) ON DELETE CASCADE
);
-- The apps of the caller's teams (current_team_app_ids); also serves the
-- cascade from teams.
CREATE INDEX app_teams_team_idx ON second.app_teams (workspace_id, team_id, app_id);

ALTER TABLE second.app_teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_teams FORCE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- The caller's side of app visibility (SECURITY DEFINER, see above)
-------------------------------------------------------------------------------

-- The apps of the current workspace the current user collaborates on; no
-- row without context.  Policies use it as "id IN (SELECT ...)": a hashed
-- subplan, built once per statement.
CREATE FUNCTION second.current_collaborator_app_ids() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER ROWS 10
    SET search_path = pg_catalog, second
    AS $$
	SELECT c.app_id FROM second.app_collaborators c
	 WHERE c.workspace_id = second.current_workspace_id()
	   AND c.user_id = second.current_user_id()
$$;
COMMENT ON FUNCTION second.current_collaborator_app_ids() IS
    'ids of the apps of current_workspace_id() that current_user_id() collaborates on';
REVOKE ALL ON FUNCTION second.current_collaborator_app_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_collaborator_app_ids() TO second_member;

-- The apps of the current workspace shared with at least one team the
-- current user belongs to, whatever their publish_status (the policies add
-- "published"); no row without context.
CREATE FUNCTION second.current_team_app_ids() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER ROWS 50
    SET search_path = pg_catalog, second
    AS $$
	SELECT DISTINCT t.app_id FROM second.team_memberships tm
	  JOIN second.app_teams t
	    ON t.workspace_id = tm.workspace_id AND t.team_id = tm.team_id
	 WHERE tm.workspace_id = second.current_workspace_id()
	   AND tm.user_id = second.current_user_id()
$$;
COMMENT ON FUNCTION second.current_team_app_ids() IS
    'ids of the apps of current_workspace_id() shared with a team of current_user_id()';
REVOKE ALL ON FUNCTION second.current_team_app_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_team_app_ids() TO second_member;

-------------------------------------------------------------------------------
-- Policies and grants: apps
-------------------------------------------------------------------------------

-- second_member: visible apps (see the header).
CREATE POLICY member_select ON second.apps FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
            OR created_by_user_id = (SELECT second.current_user_id())
            OR id IN (SELECT second.current_collaborator_app_ids())
            OR (published_snapshot_id IS NOT NULL
                AND id IN (SELECT second.current_team_app_ids()))));
-- Any member creates an app, as its creator.
CREATE POLICY member_insert ON second.apps FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND created_by_user_id = (SELECT second.current_user_id()));
-- Builders update.
CREATE POLICY member_update ON second.apps FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
            OR created_by_user_id = (SELECT second.current_user_id())
            OR id IN (SELECT second.current_collaborator_app_ids())))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
            OR created_by_user_id = (SELECT second.current_user_id())
            OR id IN (SELECT second.current_collaborator_app_ids())));
-- The creator, owners and admins delete.
CREATE POLICY member_delete ON second.apps FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
            OR created_by_user_id = (SELECT second.current_user_id())));

CREATE POLICY internal_select ON second.apps FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.apps FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.apps TO second_member;
GRANT SELECT ON second.apps TO second_internal;

-------------------------------------------------------------------------------
-- Policies and grants: app_collaborators, app_teams
-------------------------------------------------------------------------------

-- Read by current_collaborator_app_ids() as the owner.
CREATE POLICY owner_all ON second.app_collaborators TO second_owner
    USING (true) WITH CHECK (true);

-- second_member: the collaborators of a visible app; builders change them.
-- No UPDATE: every column is part of the key.
CREATE POLICY member_select ON second.app_collaborators FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id));
CREATE POLICY member_insert ON second.app_collaborators FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_delete ON second.app_collaborators FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.app_collaborators FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.app_collaborators FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.app_collaborators TO second_member;
GRANT SELECT ON second.app_collaborators TO second_internal;

-- Read by current_team_app_ids() as the owner.
CREATE POLICY owner_all ON second.app_teams TO second_owner
    USING (true) WITH CHECK (true);

CREATE POLICY member_select ON second.app_teams FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id));
CREATE POLICY member_insert ON second.app_teams FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_delete ON second.app_teams FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.app_teams FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.app_teams FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.app_teams TO second_member;
GRANT SELECT ON second.app_teams TO second_internal;
