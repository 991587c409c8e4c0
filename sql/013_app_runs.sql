-- 013_app_runs.sql: builder runs and app agent runs.
--
-- Tenant tables, removed with their app:
--   builder_runs  a builder-agent conversation on an app's draft: status
--                 pending|streaming|completed|failed, messages, usage.
--   agent_runs    a run of one of the app's agents: who triggered it (set
--                 by the server: the caller), which source version, the
--                 prompt, status pending|running|streaming|completed|failed,
--                 result and usage.
--
-- second_member (see 010_apps.sql for visible apps and builders):
--   builder_runs  draft material: builders only, who start (as themselves)
--                 and update them.
--   agent_runs    anyone who sees the app reads and starts (as themselves)
--                 runs of the published version; runs of the draft version
--                 are draft material, for builders only.  Members do not
--                 update runs: the agent worker completes them through the
--                 internal API.
-- second_internal: the runs of the workspace the call names; it completes
-- agent runs (UPDATE).

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- builder_runs
-------------------------------------------------------------------------------

CREATE TABLE second.builder_runs (
	workspace_id       second.id NOT NULL,
	id                 second.id NOT NULL,
	app_id             second.id NOT NULL,
	status             text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'streaming', 'completed', 'failed')),
	messages           jsonb NOT NULL DEFAULT '[]'::jsonb
	    CHECK (jsonb_typeof(messages) = 'array'),
	usage              jsonb,
	-- global users table: kept after the user leaves
	created_by_user_id second.id NOT NULL REFERENCES second.users (id),
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's runs, newest first; also serves the cascade from apps.
CREATE INDEX builder_runs_app_idx
    ON second.builder_runs (workspace_id, app_id, created_at DESC);
CREATE TRIGGER builder_runs_touch BEFORE UPDATE ON second.builder_runs
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.builder_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.builder_runs FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.builder_runs FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.builder_runs FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND created_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_update ON second.builder_runs FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.builder_runs FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.builder_runs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.builder_runs TO second_member;
GRANT SELECT ON second.builder_runs TO second_internal;

-------------------------------------------------------------------------------
-- agent_runs
-------------------------------------------------------------------------------

CREATE TABLE second.agent_runs (
	workspace_id         second.id NOT NULL,
	id                   second.id NOT NULL,
	app_id               second.id NOT NULL,
	agent_id             text NOT NULL CHECK (agent_id <> ''),
	-- global users table: kept after the user leaves
	triggered_by_user_id second.id NOT NULL REFERENCES second.users (id),
	source_version       text NOT NULL DEFAULT 'published'
	    CHECK (source_version IN ('draft', 'published')),
	prompt               text NOT NULL,
	status               text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'running', 'streaming', 'completed', 'failed')),
	result               jsonb,
	usage                jsonb,
	created_at           timestamptz NOT NULL DEFAULT now(),
	updated_at           timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's runs, newest first; also serves the cascade from apps.
CREATE INDEX agent_runs_app_idx
    ON second.agent_runs (workspace_id, app_id, created_at DESC);
CREATE TRIGGER agent_runs_touch BEFORE UPDATE ON second.agent_runs
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.agent_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.agent_runs FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.agent_runs FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_runs.workspace_id
                       AND a.id = agent_runs.app_id
                       AND (agent_runs.source_version = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.agent_runs FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND triggered_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_runs.workspace_id
                       AND a.id = agent_runs.app_id
                       AND (agent_runs.source_version = 'published'
                           OR (SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.agent_runs FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY internal_update ON second.agent_runs FOR UPDATE TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.agent_runs FROM PUBLIC;
GRANT SELECT, INSERT ON second.agent_runs TO second_member;
GRANT SELECT, UPDATE ON second.agent_runs TO second_internal;
