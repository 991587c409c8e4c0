-- Invitation expiry, provider sync's reconciliation and the organization
-- mapping (sql/repeatable/30_guard.sql), as second_provider under its policies.
BEGIN;
\ir fixtures.psql
SELECT plan(20);

\set iexp 'a00000000000000000000026'
\set iadm 'a00000000000000000000027'

-- Expiry column: defaulted to 14 days, required.
SELECT col_not_null('second', 'invitations', 'expires_at', 'invitations.expires_at is required');
SELECT is((SELECT expires_at - created_at FROM second.invitations WHERE id = 'a00000000000000000000021'),
    interval '14 days', 'an invitation inserted without an expiry gets 14 days');

INSERT INTO second.invitations (workspace_id, id, email, email_normalized, role, expires_at) VALUES
    (:'wa', :'iexp', 'late@a.test', 'late@a.test', 'admin', now() - interval '1 second'),
    (:'wa', :'iadm', 'adm@a.test', 'adm@a.test', 'admin', now() + interval '1 day');

-- resolve_organization: an id only for the mapped organization.
UPDATE second.workspaces SET external_organization_provider = 'acme',
    external_organization_id = 'org-a' WHERE id = :'wa';
SELECT throws_ok(format($$UPDATE second.workspaces SET external_organization_provider = 'acme',
    external_organization_id = 'org-a' WHERE id = %L$$, :'wb'),
    '23505', NULL, 'an organization maps to one workspace only');
SELECT throws_ok(format($$UPDATE second.workspaces SET external_organization_id = 'org-b' WHERE id = %L$$, :'wb'),
    '23514', NULL, 'an organization id needs its provider');
SELECT * FROM pg_temp.tap_as('second_provider', NULL, NULL);
SELECT is(second.resolve_organization('acme', 'org-a'), :'wa', 'a mapped organization resolves to its workspace');
SELECT is(second.resolve_organization('other', 'org-a'), NULL, 'the same id under another provider: NULL');
SELECT is(second.resolve_organization('acme', 'org-b'), NULL, 'an unmapped organization: NULL');
SELECT is(second.resolve_organization('acme', :'wa'), NULL, 'a workspace id is no organization id');

-- provider_sync: no workspace in the context is SE404.
SELECT throws_ok($$SELECT * FROM second.provider_sync('e00000000000000000000031', 'sub-z', 'z@a.test', 'Z', 'member')$$,
    'SE404', NULL, 'sync without a workspace is 404');

-- An expired invitation is never accepted, and its role is not used.
SELECT * FROM pg_temp.tap_as('second_provider', NULL, :'wa');
SELECT throws_ok($$SELECT * FROM second.provider_sync('e00000000000000000000032', 'sub-late', 'late@a.test', 'Late', NULL)$$,
    'SE422', NULL, 'no role, not a member, only an expired invitation: 422');
SELECT results_eq($$SELECT role FROM second.provider_sync('e00000000000000000000032', 'sub-late', 'late@a.test', 'Late', 'member')$$,
    $$VALUES ('member'::text)$$, 'with a role sent, the sync applies it');
SELECT is((SELECT status FROM second.invitations WHERE id = :'iexp'), 'expired',
    'the lapsed invitation is stored expired, not accepted');

-- A pending invitation gives its role when none is sent.
SELECT results_eq($$SELECT role FROM second.provider_sync('e00000000000000000000033', 'sub-adm', ' ADM@a.test ', 'Adm', NULL)$$,
    $$VALUES ('admin'::text)$$, 'no role sent: the invited role');
SELECT is((SELECT status FROM second.invitations WHERE id = :'iadm'), 'accepted', 'the invitation is accepted');
SELECT is((SELECT m.role FROM second.workspace_memberships m JOIN second.users u ON u.id = m.user_id
            WHERE m.workspace_id = :'wa' AND u.external_subject = 'sub-adm'), 'admin',
    'the membership has the invited role');
SELECT is((SELECT count(*) FROM second.team_memberships tm JOIN second.users u ON u.id = tm.user_id
            WHERE tm.workspace_id = :'wa' AND tm.team_id = :'ta' AND u.external_subject = 'sub-adm'), 1::bigint,
    'and the General team membership');
SELECT results_eq($$SELECT role FROM second.provider_sync('e00000000000000000000033', 'sub-adm', 'adm@a.test', NULL, NULL)$$,
    $$VALUES ('admin'::text)$$, 'an existing member keeps their role when none is sent');

-- A role sent wins over the invitation's.
SELECT results_eq($$SELECT role FROM second.provider_sync('e00000000000000000000034', 'sub-new', 'new@a.test', 'New', 'admin')$$,
    $$VALUES ('admin'::text)$$, 'the sent role wins over the invited member');
SELECT is((SELECT status FROM second.invitations WHERE id = 'a00000000000000000000021'), 'accepted',
    'that invitation is accepted too');

-- Only workspace A's invitations are touched.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT status FROM second.invitations WHERE id = 'b00000000000000000000021'), 'pending',
    'workspace B''s invitation is untouched');

SELECT * FROM finish();
ROLLBACK;
