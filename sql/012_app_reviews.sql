-- 012_app_reviews.sql: review requests and agents.json approvals.
--
-- Tenant tables, removed with their app:
--   review_requests         a request to publish an app to target teams;
--                           status pending|approved|changes_requested|
--                           superseded; at most one pending per app.
--   agent_config_approvals  the record of an approved agents.json: its hash
--                           (v1:<sha256 hex> of the canonical form), the
--                           normalized payload, who approved it and when.
--
-- Both are draft material: second_member sees and writes them only for an
-- app it builds (owner, admin, creator, collaborator; see 010_apps.sql).
-- The requester and the approver recorded on a new row are the caller.
-- Members never delete them (a decision is an UPDATE of status; an approval
-- is never changed).  second_internal reads those of the workspace the call
-- names.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- review_requests
-------------------------------------------------------------------------------

CREATE TABLE second.review_requests (
	workspace_id         second.id NOT NULL,
	id                   second.id NOT NULL,
	app_id               second.id NOT NULL,
	target_team_ids      second.id[] NOT NULL DEFAULT '{}',
	status               text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'approved', 'changes_requested', 'superseded')),
	-- global users table: kept after the user leaves
	requested_by_user_id second.id NOT NULL REFERENCES second.users (id),
	decided_by_user_id   second.id REFERENCES second.users (id),
	created_at           timestamptz NOT NULL DEFAULT now(),
	decided_at           timestamptz,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX review_requests_pending_key
    ON second.review_requests (workspace_id, app_id) WHERE status = 'pending';
-- An app's requests, newest first; also serves the cascade from apps.
CREATE INDEX review_requests_app_idx
    ON second.review_requests (workspace_id, app_id, created_at DESC);

ALTER TABLE second.review_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.review_requests FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.review_requests FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.review_requests FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND requested_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_update ON second.review_requests FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.review_requests FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.review_requests FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.review_requests TO second_member;
GRANT SELECT ON second.review_requests TO second_internal;

-------------------------------------------------------------------------------
-- agent_config_approvals
-------------------------------------------------------------------------------

CREATE TABLE second.agent_config_approvals (
	workspace_id        second.id NOT NULL,
	id                  second.id NOT NULL,
	app_id              second.id NOT NULL,
	hash                text NOT NULL CHECK (hash ~ '^v1:[0-9a-f]{64}$'),
	payload             jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
	approved_by_user_id second.id NOT NULL REFERENCES second.users (id),
	approved_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's approvals, newest first; also serves the cascade from apps.
CREATE INDEX agent_config_approvals_app_idx
    ON second.agent_config_approvals (workspace_id, app_id, approved_at DESC);

ALTER TABLE second.agent_config_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.agent_config_approvals FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.agent_config_approvals FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_config_approvals.workspace_id
                       AND a.id = agent_config_approvals.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));
CREATE POLICY member_insert ON second.agent_config_approvals FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND approved_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_config_approvals.workspace_id
                       AND a.id = agent_config_approvals.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())
                           OR a.id IN (SELECT second.current_collaborator_app_ids()))));

CREATE POLICY internal_select ON second.agent_config_approvals FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.agent_config_approvals FROM PUBLIC;
GRANT SELECT, INSERT ON second.agent_config_approvals TO second_member;
GRANT SELECT ON second.agent_config_approvals TO second_internal;
