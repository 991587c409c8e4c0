-- 005_invitations.sql: workspace invitations (tenant table).
--
-- An invitation is sent through the external identity provider (external
-- mode only) and reconciled by provider sync through external_invitation_id.
-- At most one pending invitation per normalized email and workspace.
-- Revoking sets status = 'revoked'; rows are never deleted by the API, so no
-- role has DELETE.

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.invitations (
	workspace_id           second.id NOT NULL REFERENCES second.workspaces (id),
	id                     second.id NOT NULL,
	email                  text NOT NULL,
	-- lower(btrim(email))
	email_normalized       text NOT NULL,
	role                   text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
	status                 text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
	external_invitation_id text,
	-- global users table: no workspace_id to compose with
	invited_by_user_id     second.id REFERENCES second.users (id),
	created_at             timestamptz NOT NULL DEFAULT now(),
	updated_at             timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX invitations_pending_email_key
    ON second.invitations (workspace_id, email_normalized) WHERE status = 'pending';
CREATE UNIQUE INDEX invitations_external_key
    ON second.invitations (workspace_id, external_invitation_id)
    WHERE external_invitation_id IS NOT NULL;
CREATE INDEX invitations_created_idx ON second.invitations (workspace_id, created_at, id);
CREATE TRIGGER invitations_touch BEFORE UPDATE ON second.invitations
    FOR EACH ROW EXECUTE FUNCTION second.touch_updated_at();

ALTER TABLE second.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.invitations FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.invitations FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_insert ON second.invitations FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_update ON second.invitations FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.invitations FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));

CREATE POLICY provider_select ON second.invitations FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_insert ON second.invitations FOR INSERT TO second_provider
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_update ON second.invitations FOR UPDATE TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.invitations FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.invitations TO second_member, second_provider;
GRANT SELECT ON second.invitations TO second_internal;
