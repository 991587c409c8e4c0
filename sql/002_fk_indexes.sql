-- 002_fk_indexes.sql: an index under every foreign key to users.
--
-- Rule: every foreign key has an index whose first columns are the key's
-- (second-admin audit, check fk_not_indexed).  Seven keys reference the
-- global users table from tenant tables and had none, so deleting or
-- re-keying a user (the ON DELETE / ON UPDATE check of each key) read
-- every row of the table under a lock.  The indexes lead with the user
-- column, not with workspace_id as the tables' other indexes do: the
-- check that needs them looks rows up by the user alone, across
-- workspaces, which an index leading with workspace_id cannot serve;
-- workspace_id comes second so that "this user's rows in this workspace"
-- is served too.  apps_creator_idx (workspace_id, created_by_user_id)
-- stays: it serves the lookups inside one workspace.
--
-- Why it is safe: indexes change no row and no result; they are read by
-- the key checks and by no policy.  The apps list reads apps by its
-- primary key and is not on this path.  Plain CREATE INDEX: second-admin
-- migrate runs in one transaction (CONCURRENTLY cannot); on a large
-- deployment, create them CONCURRENTLY by hand first under the same names
-- and this file's IF NOT EXISTS keeps them.

SELECT set_config('role', 'second_owner', true);

CREATE INDEX IF NOT EXISTS invitations_invited_by_idx
    ON second.invitations (invited_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS apps_created_by_idx
    ON second.apps (created_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS review_requests_requested_by_idx
    ON second.review_requests (requested_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS review_requests_decided_by_idx
    ON second.review_requests (decided_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS agent_config_approvals_approved_by_idx
    ON second.agent_config_approvals (approved_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS builder_runs_created_by_idx
    ON second.builder_runs (created_by_user_id, workspace_id);
CREATE INDEX IF NOT EXISTS agent_runs_triggered_by_idx
    ON second.agent_runs (triggered_by_user_id, workspace_id);
