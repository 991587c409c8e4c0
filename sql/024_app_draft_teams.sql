-- 024_app_draft_teams.sql: who sees a published app is decided by review.
--
-- Rule (seeds, guard and tenancy: "Publishing or review approval promotes
-- that approved payload with the published snapshot"): the teams of an
-- app's published version (app_teams, mirrored in apps.team_ids, which the
-- apps SELECT policy reads) change only when a version is published, by a
-- review approval or a publish, or directly by an owner or admin.  A
-- creator or collaborator proposes teams instead:
--
--   apps.draft_team_ids  the teams the next review request proposes
--                        (sorted ids); the draft's visibility, as the
--                        draft snapshot is the draft's source.  Publishing
--                        copies the published teams into it.  Deleting a
--                        team removes it here too (trigger below), as the
--                        cascade does for app_teams.
--
-- Policies replaced here (010_apps.sql):
--   app_teams INSERT, DELETE     an owner or admin; a creator or collaborator
--                                only while the app has no published version
--                                (nobody sees it through a team yet), or in a
--                                transaction that recorded an approved review
--                                request of the app (decided_at = now(): the
--                                start of this transaction) naming that team
--                                (INSERT) or any (DELETE, the old teams).
--   app_collaborators INSERT,    an owner, an admin or the app's creator: a
--   DELETE                       collaborator adding collaborators would
--                                grant builder rights, so a collaborator
--                                changes no collaborator but may delete
--                                their own row (leave the app), which
--                                grants nothing.
--
-- What SQL cannot say: whether the caller may approve.  In none mode a
-- creator's review request is approved at once (one trusted person), so
-- members keep inserting approved review requests; the C code decides who
-- may (second-tenancy(7)).  The policy still makes a member's change of a
-- published app's teams impossible without an approved request naming
-- those teams in the same transaction.
--
-- Why safe: the new column defaults to, and is backfilled with, each app's
-- current teams, so nothing anybody sees changes; the policies only narrow
-- (owners and admins keep everything; creators and collaborators keep
-- every write the C code makes for them: app creation, changes of a draft
-- never published, publication).  No request role may write app_teams
-- otherwise, and no grant is widened but the new column's.

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.apps ADD COLUMN draft_team_ids text[] NOT NULL DEFAULT '{}';

-- Backfill, without touching updated_at (nothing changed for the user).
ALTER TABLE second.apps DISABLE TRIGGER apps_touch;
UPDATE second.apps SET draft_team_ids = team_ids;
ALTER TABLE second.apps ENABLE TRIGGER apps_touch;

-- Builders write the proposal (the apps UPDATE policy decides who).
GRANT INSERT (draft_team_ids), UPDATE (draft_team_ids) ON second.apps TO second_member;

CREATE FUNCTION second.team_drop_from_drafts() RETURNS trigger
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
CREATE TRIGGER team_drop_from_drafts AFTER DELETE ON second.teams
    FOR EACH ROW EXECUTE FUNCTION second.team_drop_from_drafts();

DROP POLICY member_insert ON second.app_teams;
DROP POLICY member_delete ON second.app_teams;
CREATE POLICY member_insert ON second.app_teams FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR ((a.created_by_user_id = (SELECT second.current_user_id())
                                OR (SELECT second.current_user_id()) = ANY (a.collaborator_ids))
                               AND (a.published_snapshot_id IS NULL
                                    OR EXISTS (SELECT 1 FROM second.review_requests r
                                                WHERE r.workspace_id = a.workspace_id
                                                  AND r.app_id = a.id
                                                  AND r.status = 'approved'
                                                  AND r.decided_at = now()
                                                  AND app_teams.team_id = ANY (r.target_team_ids)))))));
CREATE POLICY member_delete ON second.app_teams FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_teams.workspace_id
                       AND a.id = app_teams.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR ((a.created_by_user_id = (SELECT second.current_user_id())
                                OR (SELECT second.current_user_id()) = ANY (a.collaborator_ids))
                               AND (a.published_snapshot_id IS NULL
                                    OR EXISTS (SELECT 1 FROM second.review_requests r
                                                WHERE r.workspace_id = a.workspace_id
                                                  AND r.app_id = a.id
                                                  AND r.status = 'approved'
                                                  AND r.decided_at = now()))))));

DROP POLICY member_insert ON second.app_collaborators;
DROP POLICY member_delete ON second.app_collaborators;
CREATE POLICY member_insert ON second.app_collaborators FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id()))));
CREATE POLICY member_delete ON second.app_collaborators FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (user_id = (SELECT second.current_user_id())
            OR EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = app_collaborators.workspace_id
                       AND a.id = app_collaborators.app_id
                       AND ((SELECT second.current_member_role()) IN ('owner', 'admin')
                           OR a.created_by_user_id = (SELECT second.current_user_id())))));
