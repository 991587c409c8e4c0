-- provider.sql: the identity provider's membership sync.  File format:
-- scripts/stmtgen.awk.

-- The context moves to the workspace mapped to the organization ('' when
-- none).
-- name: provider_org
-- role: second_provider
-- params: $1 text organization provider; $2 text organization id
-- returns: workspace_id
-- policy: definer second.resolve_organization
SELECT set_config('second.workspace_id',
    coalesce(second.resolve_organization($1, $2), ''), true)
    AS workspace_id;

-- The role: the one sent, else an existing member's, else the accepted
-- invitation's (second-tenancy(7)).
-- name: provider_sync
-- role: second_provider
-- params: $1 text new user id; $2 text subject; $3 text email; $4 text
--   display name; $5 text role or NULL
-- returns: user_id, workspace_id, role
-- policy: users SELECT, users INSERT, users UPDATE, invitations UPDATE,
--   workspace_memberships SELECT, workspace_memberships INSERT,
--   workspace_memberships UPDATE, teams SELECT, team_memberships INSERT
SELECT user_id, workspace_id, role
  FROM second.provider_sync($1, $2, $3, $4, $5);
