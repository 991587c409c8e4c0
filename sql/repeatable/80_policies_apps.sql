-- repeatable/80_policies_apps.sql: who sees and builds which app, and what
-- an app holds.
--
-- Rule: visibility is in the policies themselves, so a query that forgets
-- a filter still cannot see a hidden app.  apps decides who sees an app;
-- every table below it is reached only through a visible app (EXISTS over
-- apps, itself under its policies), and draft material only by the app's
-- builders (owner, admin, creator, collaborator).  second_internal reaches
-- the one app of the workspace its call names (second.workspace_id and
-- second.app_id, both set from the call's body).  The caller's side (role, teams,
-- collaborations) comes from the helpers of 20_caller.sql, once per
-- statement; who builds an app and who sees it is decided by the two
-- predicates of 25_app_predicates.sql, nowhere else.  Where one rule holds
-- for every command of a role, it is one FOR ALL policy (role_all); which
-- commands a role may run at all is the grants' business (001_baseline.sql).
--
-- A statement cannot both create an app and, in the same statement, add
-- its children: a child's policy sees apps as of the statement's start.
-- Create the app, then the teams and collaborators, in separate statements.
--
-- Why it is safe: every table is forced under row-level security
-- (001_baseline.sql) and PostgreSQL denies what no policy allows; each
-- policy names its role; none reads another user's facts except through
-- the app rows the caller may see.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes, in one transaction: each policy is dropped and created again,
-- so no request ever sees a table without its policies.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- apps
-------------------------------------------------------------------------------

-- Visible to second_member: an app of the current workspace when the
-- caller's role there is owner or admin, or the caller created it, or
-- collaborates on it, or it has a published version (published_snapshot_id
-- set: it was published once, whatever its status now, so team viewers
-- keep the last published app while its builders work on a draft or a
-- review) and shares a team with the caller.  Any member creates an app,
-- as its creator; "builders" (owner, admin, creator, collaborator) update
-- it; the creator, owners and admins delete it.  The policies read the
-- caller's role once (CASE over current_member_role(), NULL for a
-- non-member: builds and sees nothing) and the app's links from its row
-- (team_ids, collaborator_ids).  The owner keeps the link arrays (50_triggers.sql).

DROP POLICY IF EXISTS owner_all ON second.apps;
CREATE POLICY owner_all ON second.apps TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.apps;
CREATE POLICY member_select ON second.apps FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND second.app_visible((SELECT second.current_member_role()),
            (SELECT second.current_user_id()),
            created_by_user_id, collaborator_ids, published_snapshot_id IS NOT NULL,
            team_ids, (SELECT second.current_team_ids())));
DROP POLICY IF EXISTS member_insert ON second.apps;
CREATE POLICY member_insert ON second.apps FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND created_by_user_id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS member_update ON second.apps;
CREATE POLICY member_update ON second.apps FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND second.app_builder((SELECT second.current_member_role()),
            (SELECT second.current_user_id()),
            created_by_user_id, collaborator_ids))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND second.app_builder((SELECT second.current_member_role()),
            (SELECT second.current_user_id()),
            created_by_user_id, collaborator_ids));
DROP POLICY IF EXISTS member_delete ON second.apps;
CREATE POLICY member_delete ON second.apps FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member())
        AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
            OR created_by_user_id = (SELECT second.current_user_id())));
DROP POLICY IF EXISTS internal_select ON second.apps;
CREATE POLICY internal_select ON second.apps FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- app_collaborators
-------------------------------------------------------------------------------

-- The collaborators of a visible app.  An owner, an admin or the app's
-- creator changes them: a collaborator adding collaborators would grant
-- builder rights, so a collaborator changes none but may delete their own
-- row (leave the app), which grants nothing.  No UPDATE: every column is
-- part of the key.

DROP POLICY IF EXISTS owner_all ON second.app_collaborators;
CREATE POLICY owner_all ON second.app_collaborators TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.app_collaborators;
CREATE POLICY member_select ON second.app_collaborators FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id));
DROP POLICY IF EXISTS member_insert ON second.app_collaborators;
CREATE POLICY member_insert ON second.app_collaborators FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id()))));
DROP POLICY IF EXISTS member_delete ON second.app_collaborators;
CREATE POLICY member_delete ON second.app_collaborators FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (user_id = (SELECT second.current_user_id())
            OR EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())))));
DROP POLICY IF EXISTS internal_select ON second.app_collaborators;
CREATE POLICY internal_select ON second.app_collaborators FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- app_teams
-------------------------------------------------------------------------------

-- The teams of a visible app.  Who sees a published app is decided by
-- review: an owner or admin changes the teams; a creator or collaborator
-- only while the app has no published version (nobody sees it through a
-- team yet), or in a transaction that recorded an approved review request
-- of the app (decided_at = now(): the start of this transaction) naming
-- that team (INSERT) or any (DELETE, the old teams).  Whether the caller
-- may approve is the C code's decision (second-tenancy(7)).

DROP POLICY IF EXISTS owner_all ON second.app_teams;
CREATE POLICY owner_all ON second.app_teams TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.app_teams;
CREATE POLICY member_select ON second.app_teams FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id));
DROP POLICY IF EXISTS member_insert ON second.app_teams;
CREATE POLICY member_insert ON second.app_teams FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                            OR a.published_snapshot_id IS NULL
                            OR EXISTS (SELECT 1 FROM second.review_requests r
                                        WHERE r.workspace_id = a.workspace_id
                                          AND r.app_id = a.id
                                          AND r.status = 'approved'
                                          AND r.decided_at = now()
                                          AND app_teams.team_id = ANY (r.target_team_ids)))));
DROP POLICY IF EXISTS member_delete ON second.app_teams;
CREATE POLICY member_delete ON second.app_teams FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                            OR a.published_snapshot_id IS NULL
                            OR EXISTS (SELECT 1 FROM second.review_requests r
                                        WHERE r.workspace_id = a.workspace_id
                                          AND r.app_id = a.id
                                          AND r.status = 'approved'
                                          AND r.decided_at = now()))));
DROP POLICY IF EXISTS internal_select ON second.app_teams;
CREATE POLICY internal_select ON second.app_teams FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- app_source_snapshots
-------------------------------------------------------------------------------

-- A snapshot of a visible app; the draft only to builders, who alone write
-- either kind (publishing copies the draft).  No DELETE.

DROP POLICY IF EXISTS member_select ON second.app_source_snapshots;
CREATE POLICY member_select ON second.app_source_snapshots FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND (app_source_snapshots.kind = 'published'
                           OR second.app_builder((SELECT second.current_member_role()),
                               (SELECT second.current_user_id()),
                               a.created_by_user_id, a.collaborator_ids))));
DROP POLICY IF EXISTS member_insert ON second.app_source_snapshots;
CREATE POLICY member_insert ON second.app_source_snapshots FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_update ON second.app_source_snapshots;
CREATE POLICY member_update ON second.app_source_snapshots FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_source_snapshots.workspace_id
                       AND a.id = app_source_snapshots.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS internal_select ON second.app_source_snapshots;
CREATE POLICY internal_select ON second.app_source_snapshots FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- review_requests
-------------------------------------------------------------------------------

-- Draft material: builders only; the requester recorded is the caller.

DROP POLICY IF EXISTS member_select ON second.review_requests;
CREATE POLICY member_select ON second.review_requests FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_insert ON second.review_requests;
CREATE POLICY member_insert ON second.review_requests FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND requested_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_update ON second.review_requests;
CREATE POLICY member_update ON second.review_requests FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = review_requests.workspace_id
                       AND a.id = review_requests.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS internal_select ON second.review_requests;
CREATE POLICY internal_select ON second.review_requests FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- agent_config_approvals
-------------------------------------------------------------------------------

-- Draft material: builders only; the approver recorded is the caller.

DROP POLICY IF EXISTS member_select ON second.agent_config_approvals;
CREATE POLICY member_select ON second.agent_config_approvals FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_config_approvals.workspace_id
                       AND a.id = agent_config_approvals.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_insert ON second.agent_config_approvals;
CREATE POLICY member_insert ON second.agent_config_approvals FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND approved_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_config_approvals.workspace_id
                       AND a.id = agent_config_approvals.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS internal_select ON second.agent_config_approvals;
CREATE POLICY internal_select ON second.agent_config_approvals FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- builder_runs
-------------------------------------------------------------------------------

-- Draft material: builders only, who start them (as themselves) and
-- update them.

DROP POLICY IF EXISTS member_select ON second.builder_runs;
CREATE POLICY member_select ON second.builder_runs FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_insert ON second.builder_runs;
CREATE POLICY member_insert ON second.builder_runs FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND created_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS member_update ON second.builder_runs;
CREATE POLICY member_update ON second.builder_runs FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = builder_runs.workspace_id
                       AND a.id = builder_runs.app_id
                       AND second.app_builder((SELECT second.current_member_role()),
                           (SELECT second.current_user_id()),
                           a.created_by_user_id, a.collaborator_ids)));
DROP POLICY IF EXISTS internal_select ON second.builder_runs;
DROP POLICY IF EXISTS internal_all ON second.builder_runs;
CREATE POLICY internal_all ON second.builder_runs TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- agent_runs
-------------------------------------------------------------------------------

-- Anyone who sees the app reads and starts (as themselves) runs of the
-- published version; runs of the draft are for builders only.  Members do
-- not update runs: the agent worker completes them (second_internal).

DROP POLICY IF EXISTS member_select ON second.agent_runs;
CREATE POLICY member_select ON second.agent_runs FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_runs.workspace_id
                       AND a.id = agent_runs.app_id
                       AND (agent_runs.source_version = 'published'
                           OR second.app_builder((SELECT second.current_member_role()),
                               (SELECT second.current_user_id()),
                               a.created_by_user_id, a.collaborator_ids))));
DROP POLICY IF EXISTS member_insert ON second.agent_runs;
CREATE POLICY member_insert ON second.agent_runs FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND triggered_by_user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = agent_runs.workspace_id
                       AND a.id = agent_runs.app_id
                       AND (agent_runs.source_version = 'published'
                           OR second.app_builder((SELECT second.current_member_role()),
                               (SELECT second.current_user_id()),
                               a.created_by_user_id, a.collaborator_ids))));
DROP POLICY IF EXISTS internal_all ON second.agent_runs;
CREATE POLICY internal_all ON second.agent_runs TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- app_data
-------------------------------------------------------------------------------

-- Anyone who sees the app reads and writes its published scope; the draft
-- scope is for builders only.  The agent worker (second_internal) reads and
-- writes the app its call names; the C code scopes it further to the
-- version and a collection of the approved payload.

DROP POLICY IF EXISTS member_all ON second.app_data;
CREATE POLICY member_all ON second.app_data TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_data.workspace_id
                       AND a.id = app_data.app_id
                       AND (app_data.scope = 'published'
                           OR second.app_builder((SELECT second.current_member_role()),
                               (SELECT second.current_user_id()),
                               a.created_by_user_id, a.collaborator_ids))));
DROP POLICY IF EXISTS internal_all ON second.app_data;
CREATE POLICY internal_all ON second.app_data TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-- The app predicates took the caller's id from current_user_id() before
-- they took it as an argument (25_app_predicates.sql); now that no policy
-- above calls the old forms, a database migrated before drops them.
DROP FUNCTION IF EXISTS second.app_visible(text, text, text[], boolean, text[], text[]);
DROP FUNCTION IF EXISTS second.app_builder(text, text, text[]);
