-- 016_app_link_arrays.sql: an app's teams and collaborators, also on the
-- apps row, and app visibility decided from that row.
--
-- Why: every app in a list answered its teams and collaborators through a
-- subquery per row over app_teams and app_collaborators, whose own policies
-- look at apps again (a visible app's links), so a page of 50 apps ran the
-- visibility rule about a hundred times (scripts/dev bench: most of the
-- database time of GET /api/workspaces/{ws}/apps).
--
--   apps.team_ids          the team_id of every app_teams row of the app,
--   apps.collaborator_ids  the user_id of every app_collaborators row,
--                          both sorted, kept by the triggers below in the
--                          same statement as the change; app_teams and
--                          app_collaborators stay the source (keys, cascades
--                          and the policies of the tables after 010).
--
-- The triggers apply each change to the current version of the apps row
-- (array_remove, or add and sort), never a recomputation from the
-- statement's snapshot: two transactions changing links of one app, one of
-- them through a cascade (a team or a membership deleted), cannot write an
-- array that misses a committed change.  They run as the owner (SECURITY
-- DEFINER): a cascade may be caused by a role that cannot update the app
-- (an admin removing a member, the identity provider's sync).  No request
-- role may write the arrays themselves (column privileges below), nor
-- UPDATE or TRUNCATE app_teams or app_collaborators.
--
-- Visibility (010's header) is unchanged in substance; the apps policies now
-- read the caller's role once (CASE over current_member_role(), NULL for a
-- non-member: no row) and the app's links from its row:
--   collaborator:  current_user_id() = ANY (collaborator_ids)
--   team viewer:   published once AND team_ids && current_team_ids()
-- current_team_app_ids() has no use left and is dropped.

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.apps
    ADD COLUMN team_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN collaborator_ids text[] NOT NULL DEFAULT '{}';

-- Only the triggers write the arrays: request roles insert and update every
-- other column, as before.
REVOKE INSERT, UPDATE ON second.apps FROM second_member;
GRANT INSERT (workspace_id, id, name, publish_status, created_by_user_id,
              draft_snapshot_id, draft_hash, draft_file_count, draft_bytes,
              published_snapshot_id, published_hash, published_file_count,
              published_bytes, draft_agents, draft_agents_hash,
              approved_agents_hash, published_agents, published_agents_hash,
              created_at, updated_at),
      UPDATE (workspace_id, id, name, publish_status, created_by_user_id,
              draft_snapshot_id, draft_hash, draft_file_count, draft_bytes,
              published_snapshot_id, published_hash, published_file_count,
              published_bytes, draft_agents, draft_agents_hash,
              approved_agents_hash, published_agents, published_agents_hash,
              created_at, updated_at)
    ON second.apps TO second_member;

-- The owner keeps the arrays (the triggers and the backfill below), as it
-- keeps every other table.
CREATE POLICY owner_all ON second.apps TO second_owner
    USING (true) WITH CHECK (true);

-- Sorted, without duplicates.
CREATE FUNCTION second.text_array_add(p_arr text[], p_val text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
	SELECT ARRAY(SELECT DISTINCT v FROM unnest(array_append(p_arr, p_val)) AS v
	             ORDER BY v)
$$;
REVOKE ALL ON FUNCTION second.text_array_add(text[], text) FROM PUBLIC;

CREATE FUNCTION second.app_teams_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		UPDATE second.apps a SET team_ids = array_remove(a.team_ids, OLD.team_id::text)
		 WHERE a.workspace_id = OLD.workspace_id AND a.id = OLD.app_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		UPDATE second.apps a SET team_ids = second.text_array_add(a.team_ids, NEW.team_id)
		 WHERE a.workspace_id = NEW.workspace_id AND a.id = NEW.app_id;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION second.app_teams_sync() FROM PUBLIC;
CREATE TRIGGER app_teams_sync AFTER INSERT OR UPDATE OR DELETE ON second.app_teams
    FOR EACH ROW EXECUTE FUNCTION second.app_teams_sync();

CREATE FUNCTION second.app_collaborators_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		UPDATE second.apps a
		   SET collaborator_ids = array_remove(a.collaborator_ids, OLD.user_id::text)
		 WHERE a.workspace_id = OLD.workspace_id AND a.id = OLD.app_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		UPDATE second.apps a
		   SET collaborator_ids = second.text_array_add(a.collaborator_ids, NEW.user_id)
		 WHERE a.workspace_id = NEW.workspace_id AND a.id = NEW.app_id;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION second.app_collaborators_sync() FROM PUBLIC;
CREATE TRIGGER app_collaborators_sync AFTER INSERT OR UPDATE OR DELETE
    ON second.app_collaborators
    FOR EACH ROW EXECUTE FUNCTION second.app_collaborators_sync();

-- Backfill, without touching updated_at (nothing changed for the user).
ALTER TABLE second.apps DISABLE TRIGGER apps_touch;
UPDATE second.apps a
   SET team_ids = ARRAY(SELECT t.team_id::text FROM second.app_teams t
                         WHERE t.workspace_id = a.workspace_id AND t.app_id = a.id
                         ORDER BY t.team_id),
       collaborator_ids = ARRAY(SELECT c.user_id::text FROM second.app_collaborators c
                                 WHERE c.workspace_id = a.workspace_id AND c.app_id = a.id
                                 ORDER BY c.user_id);
ALTER TABLE second.apps ENABLE TRIGGER apps_touch;

-- The teams of the current user in the current workspace, sorted; empty
-- without context.  Used once per statement, as (SELECT ...).
CREATE FUNCTION second.current_team_ids() RETURNS text[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	RETURN ARRAY(SELECT tm.team_id::text FROM second.team_memberships tm
	              WHERE tm.workspace_id = second.current_workspace_id()
	                AND tm.user_id = second.current_user_id()
	              ORDER BY tm.team_id);
END
$$;
COMMENT ON FUNCTION second.current_team_ids() IS
    'ids of the teams of current_user_id() in current_workspace_id(), sorted';
REVOKE ALL ON FUNCTION second.current_team_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.current_team_ids() TO second_member;

DROP POLICY member_select ON second.apps;
DROP POLICY member_update ON second.apps;
DROP FUNCTION second.current_team_app_ids();

-- Visible apps (010's header).
CREATE POLICY member_select ON second.apps FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND CASE (SELECT second.current_member_role())
            WHEN 'owner' THEN true
            WHEN 'admin' THEN true
            WHEN 'member' THEN
                created_by_user_id = (SELECT second.current_user_id())
                OR (SELECT second.current_user_id()) = ANY (collaborator_ids)
                OR (published_snapshot_id IS NOT NULL
                    AND team_ids && (SELECT second.current_team_ids()))
            ELSE false
        END);
-- Builders update: owners, admins, the creator, the collaborators.
CREATE POLICY member_update ON second.apps FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND CASE (SELECT second.current_member_role())
            WHEN 'owner' THEN true
            WHEN 'admin' THEN true
            WHEN 'member' THEN
                created_by_user_id = (SELECT second.current_user_id())
                OR (SELECT second.current_user_id()) = ANY (collaborator_ids)
            ELSE false
        END)
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND CASE (SELECT second.current_member_role())
            WHEN 'owner' THEN true
            WHEN 'admin' THEN true
            WHEN 'member' THEN
                created_by_user_id = (SELECT second.current_user_id())
                OR (SELECT second.current_user_id()) = ANY (collaborator_ids)
            ELSE false
        END);
