-- repeatable/70_policies_workspace.sql: who sees which row of the
-- identity, workspace, team, invitation and audit tables.
--
-- Rule (tenancy, not permissions): a request role reaches the rows of the
-- workspace its context names, second_member only when it is a member of
-- it (second.is_current_member(), 20_caller.sql); global users and
-- workspaces as described per table.  Whether a member may rename the
-- workspace, change a role or invite is decided by the C code
-- (second-tenancy(7)) before the statement runs.  A table has an owner_all
-- policy for second_owner where a SECURITY DEFINER function needs it:
-- FORCE ROW LEVEL SECURITY applies to the owner too.  Where one rule holds
-- for every command of a role, it is one FOR ALL policy (role_all); which
-- commands a role may run at all is the grants' business (001_baseline.sql).
--
-- Why it is safe: every table is forced under row-level security
-- (001_baseline.sql) and PostgreSQL denies what no policy allows, so each
-- policy below only opens its rows to the role it names; none applies to
-- PUBLIC, and second-admin audit checks both.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes, in one transaction: each policy is dropped and created again,
-- so no request ever sees a table without its policies.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- the ledgers
-------------------------------------------------------------------------------

-- Only the owner; second-admin migrate keeps them as the admin.
DROP POLICY IF EXISTS owner_all ON second.schema_migrations;
CREATE POLICY owner_all ON second.schema_migrations TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS owner_all ON second.schema_repeatable;
CREATE POLICY owner_all ON second.schema_repeatable TO second_owner
    USING (true) WITH CHECK (true);

-------------------------------------------------------------------------------
-- users
-------------------------------------------------------------------------------

-- second_anon: only the row of the identity being onboarded.  second_member:
-- oneself, and the members of the current workspace when a member of it;
-- updates only oneself (profile, logout).  second_internal: the members of
-- the workspace the call names.  second_provider: the identity provider
-- owns identity, across workspaces.

DROP POLICY IF EXISTS owner_all ON second.users;
CREATE POLICY owner_all ON second.users TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS anon_all ON second.users;
CREATE POLICY anon_all ON second.users TO second_anon
    USING (id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS member_select ON second.users;
CREATE POLICY member_select ON second.users FOR SELECT TO second_member
    USING (id = (SELECT second.current_user_id())
        OR ((SELECT second.is_current_member())
            AND EXISTS (SELECT 1 FROM second.workspace_memberships m
                         WHERE m.workspace_id = (SELECT second.current_workspace_id())
                           AND m.user_id = users.id)));
DROP POLICY IF EXISTS member_update ON second.users;
CREATE POLICY member_update ON second.users FOR UPDATE TO second_member
    USING (id = (SELECT second.current_user_id()))
    WITH CHECK (id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS internal_select ON second.users;
CREATE POLICY internal_select ON second.users FOR SELECT TO second_internal
    USING (EXISTS (SELECT 1 FROM second.workspace_memberships m
                    WHERE m.workspace_id = (SELECT second.current_workspace_id())
                      AND m.user_id = users.id));
DROP POLICY IF EXISTS provider_all ON second.users;
CREATE POLICY provider_all ON second.users TO second_provider
    USING (true);

-------------------------------------------------------------------------------
-- workspaces
-------------------------------------------------------------------------------

-- second_member: every workspace the user belongs to (through the member's
-- own-rows policy on workspace_memberships), so /api/me can list them;
-- updates only the current one.  Created by second.create_workspace().

DROP POLICY IF EXISTS owner_all ON second.workspaces;
CREATE POLICY owner_all ON second.workspaces TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.workspaces;
CREATE POLICY member_select ON second.workspaces FOR SELECT TO second_member
    USING (EXISTS (SELECT 1 FROM second.workspace_memberships m
                    WHERE m.workspace_id = workspaces.id
                      AND m.user_id = (SELECT second.current_user_id())));
DROP POLICY IF EXISTS member_update ON second.workspaces;
CREATE POLICY member_update ON second.workspaces FOR UPDATE TO second_member
    USING (id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_select ON second.workspaces;
CREATE POLICY internal_select ON second.workspaces FOR SELECT TO second_internal
    USING (id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_select ON second.workspaces;
CREATE POLICY provider_select ON second.workspaces FOR SELECT TO second_provider
    USING (id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- workspace_memberships
-------------------------------------------------------------------------------

-- second_member: the current workspace when a member of it, plus the user's
-- own membership rows in any workspace (read only).

DROP POLICY IF EXISTS owner_all ON second.workspace_memberships;
CREATE POLICY owner_all ON second.workspace_memberships TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.workspace_memberships;
CREATE POLICY member_select ON second.workspace_memberships FOR SELECT TO second_member
    USING ((workspace_id = (SELECT second.current_workspace_id())
            AND (SELECT second.is_current_member()))
        OR user_id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS member_insert ON second.workspace_memberships;
CREATE POLICY member_insert ON second.workspace_memberships FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS member_update ON second.workspace_memberships;
CREATE POLICY member_update ON second.workspace_memberships FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS member_delete ON second.workspace_memberships;
CREATE POLICY member_delete ON second.workspace_memberships FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_select ON second.workspace_memberships;
CREATE POLICY internal_select ON second.workspace_memberships FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_all ON second.workspace_memberships;
CREATE POLICY provider_all ON second.workspace_memberships TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- teams
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.teams;
CREATE POLICY owner_all ON second.teams TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_all ON second.teams;
CREATE POLICY member_all ON second.teams TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_select ON second.teams;
CREATE POLICY internal_select ON second.teams FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_select ON second.teams;
CREATE POLICY provider_select ON second.teams FOR SELECT TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- team_memberships
-------------------------------------------------------------------------------

-- No UPDATE is granted: every column is part of the key; a move is a
-- delete and an insert.  The provider puts synced members into the General team.

DROP POLICY IF EXISTS owner_all ON second.team_memberships;
CREATE POLICY owner_all ON second.team_memberships TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_all ON second.team_memberships;
CREATE POLICY member_all ON second.team_memberships TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_select ON second.team_memberships;
CREATE POLICY internal_select ON second.team_memberships FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_all ON second.team_memberships;
CREATE POLICY provider_all ON second.team_memberships TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- invitations
-------------------------------------------------------------------------------

-- No DELETE is granted to anyone: revoking is an UPDATE of status.

DROP POLICY IF EXISTS member_all ON second.invitations;
CREATE POLICY member_all ON second.invitations TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_select ON second.invitations;
CREATE POLICY internal_select ON second.invitations FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_all ON second.invitations;
CREATE POLICY provider_all ON second.invitations TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- audit_events
-------------------------------------------------------------------------------

-- Append-only: only SELECT and INSERT are granted, and a trigger refuses
-- UPDATE, DELETE and TRUNCATE to everyone (50_triggers.sql).  Any member
-- records events (their denials included); reading the log is
-- audit:read, held by owners and admins (src/perm.c), here as in the
-- route.

DROP POLICY IF EXISTS member_all ON second.audit_events;
DROP POLICY IF EXISTS member_select ON second.audit_events;
CREATE POLICY member_select ON second.audit_events FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'));
DROP POLICY IF EXISTS member_insert ON second.audit_events;
CREATE POLICY member_insert ON second.audit_events FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS internal_all ON second.audit_events;
CREATE POLICY internal_all ON second.audit_events TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id()));
DROP POLICY IF EXISTS provider_all ON second.audit_events;
CREATE POLICY provider_all ON second.audit_events TO second_provider
    USING (workspace_id = (SELECT second.current_workspace_id()));

-------------------------------------------------------------------------------
-- session_keys
-------------------------------------------------------------------------------

-- Only the owner, i.e. second.session_key_ensure().

DROP POLICY IF EXISTS owner_all ON second.session_keys;
CREATE POLICY owner_all ON second.session_keys TO second_owner
    USING (true) WITH CHECK (true);
