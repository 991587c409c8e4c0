-- 011_app_sources.sql: the draft and published source of each app.
--
-- Tenant table app_source_snapshots: one row per (app, kind), kind draft or
-- published; files is a JSON object path -> text content, kept off the hot
-- apps row (which carries the id, hash, count and size of each snapshot).
-- id changes on every write.  Removed with the app.
--
-- second_member: a snapshot of a visible app (see 010_apps.sql); the draft
-- only to builders (owner, admin, creator, collaborator), who alone write
-- either kind (publishing copies the draft, done by a builder).  No DELETE:
-- deleting a file rewrites the snapshot.
-- second_internal: the snapshots of the workspace the call names (read only).

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.app_source_snapshots (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('draft', 'published')),
	id           second.id NOT NULL,
	files        jsonb NOT NULL DEFAULT '{}'::jsonb
	    CHECK (jsonb_typeof(files) = 'object'),
	hash         text,
	file_count   integer NOT NULL DEFAULT 0 CHECK (file_count >= 0),
	bytes        bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, app_id, kind),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
CREATE TRIGGER app_source_snapshots_touch BEFORE UPDATE ON second.app_source_snapshots
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.app_source_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_source_snapshots FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.app_source_snapshots FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND (app_source_snapshots.kind = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.app_source_snapshots FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_update ON second.app_source_snapshots FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.app_source_snapshots FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.app_source_snapshots FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.app_source_snapshots TO second_member;
GRANT SELECT ON second.app_source_snapshots TO second_internal;
