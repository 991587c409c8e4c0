-- repeatable/50_triggers.sql: the triggers and their functions.
--
-- Rule:
--   updated_at       *_touch keeps it current on every table that has one
--   teams            teams_keep_default: the default team ("General") is
--                    neither deleted nor demoted (the API answers 409
--                    before; this is the backstop)
--   audit_events     append-only: UPDATE, DELETE and TRUNCATE are refused
--                    to everyone, the owner and superusers included
--   apps.team_ids,   app_teams_sync, app_collaborators_sync: the links of
--   collaborator_ids an app, mirrored on its row in the statement that
--                    changes app_teams or app_collaborators (which stay the
--                    source: keys, cascades)
--   apps.draft_team_ids  team_drop_from_drafts: a deleted team leaves every
--                    draft's proposal, as the cascade removes it from
--                    app_teams
--
-- Why it is safe: the link triggers apply each change to the current
-- version of the apps row (array_remove, or add and sort), never a
-- recomputation from the statement's snapshot, so two transactions changing
-- one app's links, one through a cascade, cannot lose a committed change.
-- They run as the owner (SECURITY DEFINER, search_path pinned, not
-- executable by PUBLIC): a cascade may be caused by a role that cannot
-- update the app (an admin removing a member, provider sync).  No request
-- role may write the arrays (column grants, 001_baseline.sql).
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE FUNCTION, CREATE OR REPLACE TRIGGER).

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- updated_at
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION second.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION second.touch_updated_at() FROM PUBLIC;
CREATE OR REPLACE TRIGGER users_touch BEFORE UPDATE ON second.users
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER invitations_touch BEFORE UPDATE ON second.invitations
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER apps_touch BEFORE UPDATE ON second.apps
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER app_source_snapshots_touch BEFORE UPDATE ON second.app_source_snapshots
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER builder_runs_touch BEFORE UPDATE ON second.builder_runs
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER agent_runs_touch BEFORE UPDATE ON second.agent_runs
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();
CREATE OR REPLACE TRIGGER app_data_touch BEFORE UPDATE ON second.app_data
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

-------------------------------------------------------------------------------
-- teams
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION second.teams_keep_default() RETURNS trigger
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
CREATE OR REPLACE TRIGGER teams_keep_default BEFORE UPDATE OR DELETE ON second.teams
    FOR EACH ROW WHEN (OLD.is_default)
    EXECUTE FUNCTION second.teams_keep_default();

CREATE OR REPLACE FUNCTION second.team_drop_from_drafts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	UPDATE second.apps a
	   SET draft_team_ids = array_remove(a.draft_team_ids, OLD.id::text)
	 WHERE a.workspace_id = OLD.workspace_id
	   AND OLD.id::text = ANY (a.draft_team_ids);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION second.team_drop_from_drafts() FROM PUBLIC;
CREATE OR REPLACE TRIGGER team_drop_from_drafts AFTER DELETE ON second.teams
    FOR EACH ROW EXECUTE FUNCTION second.team_drop_from_drafts();

-------------------------------------------------------------------------------
-- audit_events
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION second.audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE ALL ON FUNCTION second.audit_events_append_only() FROM PUBLIC;
CREATE OR REPLACE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON second.audit_events
    FOR EACH ROW EXECUTE FUNCTION second.audit_events_append_only();
CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON second.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION second.audit_events_append_only();

-------------------------------------------------------------------------------
-- The links of an app, on its row
-------------------------------------------------------------------------------

-- Sorted, without duplicates.
CREATE OR REPLACE FUNCTION second.text_array_add(p_arr text[], p_val text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
	SELECT ARRAY(SELECT DISTINCT v FROM unnest(array_append(p_arr, p_val)) AS v
	             ORDER BY v)
$$;
REVOKE ALL ON FUNCTION second.text_array_add(text[], text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION second.app_teams_sync() RETURNS trigger
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
CREATE OR REPLACE TRIGGER app_teams_sync AFTER INSERT OR UPDATE OR DELETE ON second.app_teams
    FOR EACH ROW EXECUTE FUNCTION second.app_teams_sync();

CREATE OR REPLACE FUNCTION second.app_collaborators_sync() RETURNS trigger
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
CREATE OR REPLACE TRIGGER app_collaborators_sync AFTER INSERT OR UPDATE OR DELETE
    ON second.app_collaborators
    FOR EACH ROW EXECUTE FUNCTION second.app_collaborators_sync();
