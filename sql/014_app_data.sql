-- 014_app_data.sql: the documents apps store.
--
-- Tenant table app_data: one JSON object per (app, scope, collection, id).
-- Scope 'published' is the data of the published app; scope 'draft' that of
-- draft previews and draft agent runs, so a draft never touches live data.
-- Removed with the app.
--
-- second_member (see 010_apps.sql for visible apps and builders): anyone
-- who sees the app reads and writes its published scope; the draft scope
-- is draft material, for builders only.
-- second_internal: the agent worker reads and writes the data of the
-- workspace the call names (the C code scopes it further to the app and an
-- approved collection).

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.app_data (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	scope        text NOT NULL CHECK (scope IN ('draft', 'published')),
	collection   text NOT NULL CHECK (collection ~ '^[A-Za-z0-9_-]{1,64}$'),
	id           second.id NOT NULL,
	data         jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, app_id, scope, collection, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- The primary key serves the policies (workspace_id, app_id, scope), a
-- collection in id order, and the cascade from apps.
CREATE TRIGGER app_data_touch BEFORE UPDATE ON second.app_data
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.app_data ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_data FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.app_data FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.app_data FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_update ON second.app_data FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_delete ON second.app_data FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.app_data FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY internal_insert ON second.app_data FOR INSERT TO second_internal
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY internal_update ON second.app_data FOR UPDATE TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY internal_delete ON second.app_data FOR DELETE TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.app_data FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.app_data TO second_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.app_data TO second_internal;
