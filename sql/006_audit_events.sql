-- 006_audit_events.sql: the append-only audit log (tenant table).
--
-- Governance acts write an event in the same transaction as the change.
-- Append-only twice over: request roles are granted SELECT and INSERT only,
-- and a trigger rejects UPDATE, DELETE and TRUNCATE for everyone, the owner
-- and superusers included.  A retention purge is a deliberate DBA act:
-- ALTER TABLE second.audit_events DISABLE TRIGGER USER, purge, ENABLE again.
-- metadata must already be redacted by the writer (no secrets, no emails).

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.audit_events (
	workspace_id second.id NOT NULL REFERENCES second.workspaces (id),
	id           second.id NOT NULL,
	occurred_at  timestamptz NOT NULL DEFAULT now(),
	-- dot-delimited, e.g. member.role_changed
	event_name   text NOT NULL,
	-- apps, members, integrations, app_data, ...
	category     text NOT NULL,
	-- user, agent, worker, app, system; actor_id is a user id when a user
	actor_type   text NOT NULL,
	actor_id     text,
	-- platform, builder_agent, app_agent, worker, system, ...
	source       text NOT NULL,
	target_type  text,
	target_id    text,
	outcome      text NOT NULL
	    CHECK (outcome IN ('success', 'denial', 'failure', 'started', 'completed')),
	metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
	PRIMARY KEY (workspace_id, id)
);
-- Newest first, paginated by (occurred_at, id).
CREATE INDEX audit_events_occurred_idx
    ON second.audit_events (workspace_id, occurred_at DESC, id);

CREATE FUNCTION second.audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE ALL ON FUNCTION second.audit_events_append_only() FROM PUBLIC;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON second.audit_events
    FOR EACH ROW EXECUTE FUNCTION second.audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON second.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION second.audit_events_append_only();

ALTER TABLE second.audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.audit_events FORCE ROW LEVEL SECURITY;

CREATE POLICY member_select ON second.audit_events FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
CREATE POLICY member_insert ON second.audit_events FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));

CREATE POLICY internal_select ON second.audit_events FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY internal_insert ON second.audit_events FOR INSERT TO second_internal
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));

CREATE POLICY provider_select ON second.audit_events FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));
CREATE POLICY provider_insert ON second.audit_events FOR INSERT TO second_provider
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id()));

REVOKE ALL ON second.audit_events FROM PUBLIC;
GRANT SELECT, INSERT ON second.audit_events
    TO second_member, second_internal, second_provider;
