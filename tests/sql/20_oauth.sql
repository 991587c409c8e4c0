-- oauth_provider_configs, connected_accounts, oauth_states and
-- second.oauth_state_take(): two-workspace isolation for every request
-- role granted on them, and the rules of sql/repeatable/86_policies_oauth.sql
-- (each test names the policy or grant it pins: loosening that policy makes
-- the test fail).  A member reads the configs of the context workspace only
-- while a member of it, never the client secret, and only an owner or admin
-- changes one; a member reaches only their OWN accounts and states; a
-- state is read back only through oauth_state_take(), once, by its user,
-- which also deletes that user's expired states; the trigger
-- oauth_states_admit keeps at most 20 unexpired states per member and
-- workspace (SE429);
-- the internal API with app X reads a config only through an oauth2 grant
-- of X, and an account only of the call's user for such a config.  Last,
-- the CHECK constraints and the generated `configured` of 007_oauth.sql.
BEGIN;
\ir fixtures.psql
SELECT plan(12 * 4 + 78);

\set ga1 'a00000000000000000000081'
\set ga2 'a00000000000000000000082'
\set ga3 'a00000000000000000000083'
\set ga4 'a00000000000000000000084'
\set gb1 'b00000000000000000000081'
\set pa1 'a00000000000000000000091'
\set pa2 'a00000000000000000000092'
\set pb1 'b00000000000000000000091'
\set acua 'a000000000000000000000a1'
\set acua2 'a000000000000000000000a2'
\set acuc 'a000000000000000000000a3'
\set acuc2 'a000000000000000000000a4'
\set acub 'b000000000000000000000a1'
\set acbuc 'b000000000000000000000a2'
-- 45 bytes: version 1, key id, nonce, tag (no plain byte)
SELECT '\x01' || repeat('ab', 44) AS sealed \gset
SELECT repeat('v', 43) AS verifier \gset

-- Grants: aa1 asks for provider gh (oauth2) and ji (oauth2, no config yet);
-- its static_secret grant names providerKey gl, which must not count; aa2
-- asks for gl; ab1 in B for gh.
INSERT INTO second.integrations (workspace_id, id, app_id, name, domain, key_slug,
    key_name, capability_label, why, auth) VALUES
    (:'wa', :'ga1', :'aa1', 'GH', 'gh.example', 'default', 'k', 'c', 'w', '{"type":"oauth2","providerKey":"gh"}'),
    (:'wa', :'ga2', :'aa2', 'GL', 'gl.example', 'default', 'k', 'c', 'w', '{"type":"oauth2","providerKey":"gl"}'),
    (:'wa', :'ga3', :'aa1', 'GL', 'gl.example', 'default', 'k', 'c', 'w', '{"type":"static_secret","providerKey":"gl"}'),
    (:'wa', :'ga4', :'aa1', 'JI', 'ji.example', 'default', 'k', 'c', 'w', '{"type":"oauth2","providerKey":"ji"}'),
    (:'wb', :'gb1', :'ab1', 'GH', 'gh.example', 'default', 'k', 'c', 'w', '{"type":"oauth2","providerKey":"gh"}');
INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name,
    authorization_url, token_url, token_auth_method, client_id, client_secret) VALUES
    (:'wa', :'pa1', 'gh', 'GH', 'https://gh.example/a', 'https://gh.example/t', 'client_secret_post', 'cid-a', :'sealed'),
    (:'wa', :'pa2', 'gl', 'GL', 'https://gl.example/a', 'https://gl.example/t', 'client_secret_basic', NULL, NULL),
    (:'wb', :'pb1', 'gh', 'GH', 'https://gh.example/a', 'https://gh.example/t', 'client_secret_post', 'cid-b', :'sealed');
INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id,
    access_token, refresh_token) VALUES
    (:'wa', :'acua', :'ua', :'pa1', :'sealed', :'sealed'),
    (:'wa', :'acua2', :'ua2', :'pa1', :'sealed', :'sealed'),
    (:'wa', :'acuc', :'uc', :'pa1', :'sealed', :'sealed'),
    (:'wa', :'acuc2', :'uc', :'pa2', :'sealed', :'sealed'),
    (:'wb', :'acub', :'ub', :'pb1', :'sealed', :'sealed'),
    (:'wb', :'acbuc', :'uc', :'pb1', :'sealed', :'sealed');
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id,
    code_verifier, scopes, expires_at) VALUES
    (:'wa', sha256('s-ua2'), :'ua2', :'pa1', :'verifier', '["repo"]', now() + interval '10 minutes'),
    (:'wa', sha256('s-uc'), :'uc', :'pa1', :'verifier', '[]', now() + interval '10 minutes'),
    (:'wb', sha256('s-ub'), :'ub', :'pb1', :'verifier', '[]', now() + interval '10 minutes'),
    (:'wb', sha256('s-ucb'), :'uc', :'pb1', :'verifier', '[]', now() + interval '10 minutes');

-------------------------------------------------------------------------------
-- Provider configs, members
-------------------------------------------------------------------------------

-- As the owner of A: member_select (workspace AND membership), member_update
-- (owner/admin, this workspace), no INSERT/DELETE grant.  Test 10 pins
-- member_select's membership check: ua names B without being a member.
SELECT * FROM pg_temp.tap_isolation('second.oauth_provider_configs', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a00000000000000000000093', 'zz', 'Z', 'https://z.example/a', 'https://z.example/t', 'none')$$, :'wa'),
    format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'b00000000000000000000093', 'zz', 'Z', 'https://z.example/a', 'https://z.example/t', 'none')$$, :'wb'),
    'display_name = display_name');

-- ua2, a plain member of A.
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
-- member_select: every member reads the workspace's configs ...
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.oauth_provider_configs'),
    2::bigint, 'a plain member reads the provider configs of the workspace');
-- ... of this workspace only (member_select's workspace_id).
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.oauth_provider_configs WHERE workspace_id = %L$$, :'wb')),
    0::bigint, 'a member of A sees no provider config of B');
-- Column grant (007_oauth.sql): no SELECT on client_secret, not even key_id.
SELECT throws_ok('SELECT client_secret FROM second.oauth_provider_configs',
    '42501', NULL, 'a member cannot read client_secret');
SELECT throws_ok('SELECT key_id FROM second.oauth_provider_configs',
    '42501', NULL, 'a member cannot read the key id of the client secret');
-- member_update USING: owner or admin only.  The UPDATE and DELETE tests
-- that pin a write policy have no WHERE clause: a WHERE clause makes
-- PostgreSQL apply the SELECT policies too, which would hide a loosened
-- write policy.
SELECT is(pg_temp.tap_rowcount($$UPDATE second.oauth_provider_configs SET client_id = 'evil'$$),
    0::bigint, 'a plain member updates no provider config');
-- No INSERT grant for members (the setup sync creates configs).
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a00000000000000000000094', 'yy', 'Y', 'https://y.example/a', 'https://y.example/t', 'none')$$, :'wa'),
    '42501', NULL, 'a member cannot create a provider config');
SELECT throws_ok(format($$DELETE FROM second.oauth_provider_configs WHERE id = %L$$, :'pa1'),
    '42501', NULL, 'a member cannot delete a provider config');
-- member_update: the role is the one held in the context workspace; uc is
-- admin of B but a plain member of A.
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(pg_temp.tap_rowcount($$UPDATE second.oauth_provider_configs SET client_id = 'evil'$$),
    0::bigint, 'an admin of B is a plain member in A: updates no config of A');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wb');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.oauth_provider_configs SET client_id = 'cid-b2', client_secret = %L WHERE id = %L$$, :'sealed', :'pb1')),
    1::bigint, 'an admin updates the client of a provider config');
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.oauth_provider_configs SET client_id = 'cid-a2' WHERE id = %L$$, :'pa1')),
    1::bigint, 'an owner updates the client of a provider config');
-- member_update WITH CHECK: workspace_id has no UPDATE grant, so grant it
-- for this test alone to reach the policy; the move is still refused
-- (without WITH CHECK the keys would answer 23503 or 23505).
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
GRANT UPDATE (workspace_id) ON second.oauth_provider_configs TO second_member;
SELECT * FROM pg_temp.tap_as('second_member', :'ua', :'wa');
SELECT throws_ok(format($$UPDATE second.oauth_provider_configs SET workspace_id = %L$$, :'wb'),
    '42501', NULL, 'an owner cannot move a provider config to another workspace (WITH CHECK)');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
REVOKE UPDATE (workspace_id) ON second.oauth_provider_configs FROM second_member;

-------------------------------------------------------------------------------
-- Connected accounts, members
-------------------------------------------------------------------------------

-- As ua (owner of A, own account acua): member_select/update/delete keyed
-- on workspace and own user; member_insert on workspace, own user and
-- membership (test 11: ua names B, inserting "their own" account there).
SELECT * FROM pg_temp.tap_isolation('second.connected_accounts', 'second_member', :'ua', :'wa', :'wb',
    format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id) VALUES (%L, 'a000000000000000000000a5', %L, %L)$$, :'wa', :'ua', :'pa2'),
    format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id) VALUES (%L, 'b000000000000000000000a5', %L, %L)$$, :'wb', :'ua', :'pb1'),
    'account_email = account_email');

SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
-- member_select: own user only.
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.connected_accounts'),
    1::bigint, 'a member sees exactly one account: their own');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE user_id <> %L$$, :'ua2')),
    0::bigint, 'a member sees no account of another member of the workspace');
-- Column grants: tokens are never read by a member.
SELECT throws_ok('SELECT access_token FROM second.connected_accounts',
    '42501', NULL, 'a member cannot read access_token');
SELECT throws_ok('SELECT refresh_token FROM second.connected_accounts',
    '42501', NULL, 'a member cannot read refresh_token');
-- member_insert: user_id must be the caller ...
SELECT throws_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id, access_token) VALUES (%L, 'a000000000000000000000a6', %L, %L, %L)$$, :'wa', :'ua', :'pa2', :'sealed'),
    '42501', NULL, 'a member cannot connect an account for another user');
-- ... and the workspace the current one.
SELECT throws_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id, access_token) VALUES (%L, 'b000000000000000000000a6', %L, %L, %L)$$, :'wb', :'uc', :'pb1', :'sealed'),
    '42501', NULL, 'a member cannot connect an account in another workspace');
SELECT lives_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id, access_token) VALUES (%L, 'a000000000000000000000a7', %L, %L, %L)$$, :'wa', :'ua2', :'pa2', :'sealed'),
    'a member connects their own account in the current workspace');
-- member_update / member_delete USING: own user only (no WHERE: see
-- above).  ua2 now has two accounts, A has six.
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.connected_accounts SET access_token = %L$$, :'sealed')),
    2::bigint, 'a member''s UPDATE reaches their own two accounts, no other member''s');
SELECT is(pg_temp.tap_rowcount('DELETE FROM second.connected_accounts'),
    2::bigint, 'a member''s DELETE removes their own two accounts, no other member''s');
-- member_update WITH CHECK: user_id has no UPDATE grant; grant it for this
-- test alone.  Handing one's account to another member is refused.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
GRANT UPDATE (user_id) ON second.connected_accounts TO second_member;
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT throws_ok(format($$UPDATE second.connected_accounts SET user_id = %L$$, :'ua2'),
    '42501', NULL, 'a member cannot give their account to another user (WITH CHECK)');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
REVOKE UPDATE (user_id) ON second.connected_accounts FROM second_member;
-- ON DELETE CASCADE from the membership (007_oauth.sql): ux1 joins A,
-- connects, mints a state, leaves.
INSERT INTO second.workspace_memberships (workspace_id, user_id, role) VALUES (:'wa', :'ux1', 'member');
INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id)
    VALUES (:'wa', 'a000000000000000000000a8', :'ux1', :'pa1');
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier)
    VALUES (:'wa', sha256('s-ux1'), :'ux1', :'pa1', :'verifier');
DELETE FROM second.workspace_memberships WHERE workspace_id = :'wa' AND user_id = :'ux1';
SELECT is((SELECT count(*) FROM second.connected_accounts WHERE user_id = :'ux1'),
    0::bigint, 'removing a member deletes their connected accounts');
SELECT is((SELECT count(*) FROM second.oauth_states WHERE user_id = :'ux1'),
    0::bigint, 'removing a member deletes their pending states');

-------------------------------------------------------------------------------
-- States and oauth_state_take()
-------------------------------------------------------------------------------

SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
-- Grant (007_oauth.sql): members only INSERT states.
SELECT throws_ok('SELECT count(*) FROM second.oauth_states',
    '42501', NULL, 'a member cannot read states');
SELECT throws_ok(format($$DELETE FROM second.oauth_states WHERE user_id = %L$$, :'uc'),
    '42501', NULL, 'a member cannot delete states');
-- member_insert: own user, current workspace, membership.
SELECT lives_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-new'), %L, %L, %L)$$, :'wa', :'ua2', :'pa1', :'verifier'),
    'a member mints their own state');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-forged'), %L, %L, %L)$$, :'wa', :'uc', :'pa1', :'verifier'),
    '42501', NULL, 'a member cannot mint a state for another user');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-forged'), %L, %L, %L)$$, :'wb', :'uc', :'pb1', :'verifier'),
    '42501', NULL, 'a member cannot mint a state in another workspace');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wb');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-forged'), %L, %L, %L)$$, :'wb', :'ua2', :'pb1', :'verifier'),
    '42501', NULL, 'a non-member naming B cannot mint a state there');

-- oauth_state_take: the caller's state, once, with its config.
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT results_eq(
    $$SELECT workspace_id, provider_config_id, code_verifier, scopes, expired, provider_key, token_url, client_id, client_secret IS NOT NULL
        FROM second.oauth_state_take(sha256('s-ua2'))$$,
    format($$VALUES (%L::text, %L::text, %L::text, '["repo"]'::jsonb, false, 'gh'::text, 'https://gh.example/t'::text, 'cid-a2'::text, true)$$,
        :'wa', :'pa1', :'verifier'),
    'oauth_state_take returns the caller''s state with its provider config');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-ua2'))$$),
    0::bigint, 'a state is taken once: the second take returns no row');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-uc'))$$),
    0::bigint, 'another member''s state of the same workspace is not returned');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-ub'))$$),
    0::bigint, 'a state of another workspace''s member is not returned');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-unknown'))$$),
    0::bigint, 'an unknown state returns no row');
-- The expired state is stored only now: the member's insert and takes
-- above would have swept it (oauth_states_admit, oauth_state_take).
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id,
    code_verifier, scopes, expires_at) VALUES
    (:'wa', sha256('s-old'), :'ua2', :'pa1', :'verifier', '[]', now() - interval '1 second');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT is(pg_temp.tap_count($$SELECT expired::int FROM second.oauth_state_take(sha256('s-old'))$$),
    1::bigint, 'an expired state is returned with expired = true');
-- The state's workspace, not the context's: the callback URL names none.
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-ucb')) WHERE workspace_id = 'bbbbbbbbbbbbbbbbbbbbbbbb'$$),
    1::bigint, 'a member takes their own state of another of their workspaces, naming it');
-- Without a user, nothing.
SELECT * FROM pg_temp.tap_as('second_member', NULL, :'wa');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-uc'))$$),
    0::bigint, 'no user in the context: no state is returned');
-- What was not the caller's is still there; what was taken is gone.
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.oauth_states WHERE state_hash IN (sha256('s-uc'), sha256('s-ub'))),
    2::bigint, 'the states refused to another user still exist');
SELECT is((SELECT count(*) FROM second.oauth_states WHERE state_hash IN (sha256('s-ua2'), sha256('s-old'), sha256('s-ucb'))),
    0::bigint, 'taken states (expired included) are deleted');
-- A take also deletes the caller's expired states, of every workspace,
-- and nobody else's.
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id,
    code_verifier, expires_at) VALUES
    (:'wa', sha256('s-uc-exp'), :'uc', :'pa1', :'verifier', now() - interval '1 second'),
    (:'wb', sha256('s-ucb-exp'), :'uc', :'pb1', :'verifier', now() - interval '1 second'),
    (:'wb', sha256('s-ub-exp'), :'ub', :'pb1', :'verifier', now() - interval '1 second');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT is(pg_temp.tap_count($$SELECT count(*) FROM second.oauth_state_take(sha256('s-unknown'))$$),
    0::bigint, 'a take of an unknown state answers no row');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.oauth_states WHERE state_hash IN (sha256('s-uc-exp'), sha256('s-ucb-exp'))),
    0::bigint, '...and deletes the caller''s expired states of both their workspaces');
SELECT is((SELECT count(*) FROM second.oauth_states WHERE state_hash IN (sha256('s-uc'), sha256('s-ub-exp'))),
    2::bigint, '...but neither their unexpired state nor another user''s expired one');

-- oauth_states_admit: at most 20 unexpired states per member and
-- workspace; a start sweeps the member's expired states of the workspace.
DELETE FROM second.oauth_states WHERE workspace_id = :'wa' AND user_id = :'ua2';
INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id,
    code_verifier, expires_at) VALUES
    (:'wa', sha256('s-ua2-exp'), :'ua2', :'pa1', :'verifier', now() - interval '1 second');
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT lives_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) SELECT %L, sha256(('s-many-' || i)::bytea), %L, %L, %L FROM generate_series(1, 20) AS i$$, :'wa', :'ua2', :'pa1', :'verifier'),
    'a member holds 20 pending states');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-21st'), %L, %L, %L)$$, :'wa', :'ua2', :'pa1', :'verifier'),
    'SE429', 'too many pending OAuth connects', 'a 21st is refused with SE429');
SELECT * FROM pg_temp.tap_as('second_member', :'uc', :'wa');
SELECT lives_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-uc-more'), %L, %L, %L)$$, :'wa', :'uc', :'pa1', :'verifier'),
    'another member of the workspace still starts');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT is((SELECT count(*) FROM second.oauth_states WHERE workspace_id = :'wa' AND user_id = :'ua2'),
    20::bigint, 'the expired state went, the 21st was not stored');
UPDATE second.oauth_states SET expires_at = now() - interval '1 second'
 WHERE state_hash = sha256('s-many-1'::bytea);
SELECT * FROM pg_temp.tap_as('second_member', :'ua2', :'wa');
SELECT lives_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-21st'), %L, %L, %L)$$, :'wa', :'ua2', :'pa1', :'verifier'),
    'once one has expired, a start works again');
SELECT * FROM pg_temp.tap_as('none', NULL, NULL);

-- EXECUTE: second_member only.
SELECT ok(NOT has_function_privilege('second_internal', 'second.oauth_state_take(bytea)', 'EXECUTE'),
    'second_internal cannot execute oauth_state_take');
SELECT ok(NOT has_function_privilege('second_anon', 'second.oauth_state_take(bytea)', 'EXECUTE'),
    'second_anon cannot execute oauth_state_take');
SELECT ok(NOT has_function_privilege('second_provider', 'second.oauth_state_take(bytea)', 'EXECUTE'),
    'second_provider cannot execute oauth_state_take');
SELECT pg_temp.tap_refused('second_internal', :'uc', :'wa',
    $$SELECT * FROM second.oauth_state_take(sha256('s-uc'))$$,
    'calling oauth_state_take as second_internal is refused');

-------------------------------------------------------------------------------
-- Internal API (app-scoped)
-------------------------------------------------------------------------------

-- internal_insert refuses a config with a client (the setup sync creates
-- them unconfigured): checked before the isolation run creates ji's.
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method, client_id) VALUES (%L, 'a00000000000000000000095', 'ji', 'J', 'https://ji.example/a', 'https://ji.example/t', 'none', 'cid')$$, :'wa'),
    '42501', NULL, 'internal cannot create a config with a client id');
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method, client_secret) VALUES (%L, 'a00000000000000000000095', 'ji', 'J', 'https://ji.example/a', 'https://ji.example/t', 'client_secret_post', %L)$$, :'wa', :'sealed'),
    '42501', NULL, 'internal cannot create a config with a client secret');
-- internal_insert: only for a provider key an oauth2 grant of the app names.
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a00000000000000000000095', 'zz', 'Z', 'https://z.example/a', 'https://z.example/t', 'none')$$, :'wa'),
    '42501', NULL, 'internal cannot create a config no grant of the app asks for');

-- App aa1: internal_select/internal_insert per workspace (no UPDATE or
-- DELETE grant).
SELECT * FROM pg_temp.tap_isolation('second.oauth_provider_configs', 'second_internal', NULL, :'wa', :'wb',
    format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a00000000000000000000096', 'ji', 'J', 'https://ji.example/a', 'https://ji.example/t', 'client_secret_post')$$, :'wa'),
    format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'b00000000000000000000096', 'gh2', 'G', 'https://gh.example/a', 'https://gh.example/t', 'client_secret_post')$$, :'wb'),
    'display_name = display_name');

-- internal_select on configs: app X sees only what an oauth2 grant of X names.
SELECT * FROM pg_temp.tap_as('second_internal', :'uc', :'wa');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.oauth_provider_configs WHERE id = %L$$, :'pa1')),
    1::bigint, 'internal for app aa1 reads the config of its oauth2 grant');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.oauth_provider_configs WHERE id = %L$$, :'pa2')),
    0::bigint, 'internal for app aa1 does not read the config only app aa2 asks for (nor through a static_secret grant)');
SELECT * FROM pg_temp.tap_app(:'aa2');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.oauth_provider_configs WHERE id = %L$$, :'pa1')),
    0::bigint, 'internal for app aa2 does not read the config of app aa1');
SELECT * FROM pg_temp.tap_app(NULL);
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.oauth_provider_configs'),
    0::bigint, 'internal without an app reads no config');

-- internal_select on accounts: the call's user, a config of the app.
SELECT * FROM pg_temp.tap_app(:'aa1');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.connected_accounts'),
    1::bigint, 'internal for app aa1 and user uc reads one account');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE id = %L AND access_token IS NOT NULL$$, :'acuc')),
    1::bigint, 'it is uc''s account for aa1''s provider, tokens included');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE id = %L$$, :'acuc2')),
    0::bigint, 'internal for app aa1 does not read the user''s account for app aa2''s provider');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.connected_accounts SET refreshed_at = now(), access_token = %L WHERE id = %L$$, :'sealed', :'acuc')),
    1::bigint, 'internal for app aa1 refreshes the user''s account of its provider');
-- internal_update USING (no WHERE, see above): neither the user's account
-- of app aa2's provider nor another user's.
SELECT is(pg_temp.tap_rowcount('UPDATE second.connected_accounts SET refreshed_at = now()'),
    1::bigint, 'internal for app aa1 and user uc refreshes exactly that one account');
SELECT throws_ok(format($$UPDATE second.connected_accounts SET user_id = %L WHERE id = %L$$, :'ua', :'acuc'),
    '42501', NULL, 'internal cannot reassign an account (no grant on user_id)');
SELECT throws_ok(format($$DELETE FROM second.connected_accounts WHERE id = %L$$, :'acuc'),
    '42501', NULL, 'internal cannot delete an account');
SELECT * FROM pg_temp.tap_as('second_internal', :'ua', :'wa');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE user_id = %L$$, :'ua')),
    1::bigint, 'internal for user ua reads ua''s account');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE user_id <> %L$$, :'ua')),
    0::bigint, 'internal for user ua reads no other user''s account');
SELECT * FROM pg_temp.tap_as('second_internal', NULL, :'wa');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.connected_accounts'),
    0::bigint, 'internal without a user reads no account');

-- Workspace B: never from A's context, never with an app of A.
SELECT * FROM pg_temp.tap_as('second_internal', :'uc', :'wa');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE workspace_id = %L$$, :'wb')),
    0::bigint, 'internal in A reads no account of B');
SELECT is(pg_temp.tap_rowcount(format($$UPDATE second.connected_accounts SET refreshed_at = now() WHERE workspace_id = %L$$, :'wb')),
    0::bigint, 'internal in A refreshes no account of B');
SELECT * FROM pg_temp.tap_as('second_internal', :'uc', :'wb');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.connected_accounts'),
    0::bigint, 'internal naming B with an app of A reads no account of B');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.oauth_provider_configs'),
    0::bigint, 'internal naming B with an app of A reads no config of B');
SELECT * FROM pg_temp.tap_app(:'ab1');
SELECT is(pg_temp.tap_count(format($$SELECT count(*) FROM second.connected_accounts WHERE id = %L$$, :'acbuc')),
    1::bigint, 'internal naming B with app ab1 reads uc''s account there');
SELECT * FROM pg_temp.tap_as('second_internal', :'uc', :'wa');
SELECT is(pg_temp.tap_count('SELECT count(*) FROM second.connected_accounts'),
    0::bigint, 'internal naming A with app ab1 reads nothing');
SELECT throws_ok('SELECT count(*) FROM second.oauth_states',
    '42501', NULL, 'internal cannot read states');

-------------------------------------------------------------------------------
-- CHECK constraints and the generated column (no row level security)
-------------------------------------------------------------------------------

SELECT * FROM pg_temp.tap_as('none', NULL, NULL);
SELECT * FROM pg_temp.tap_app(NULL);
INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name,
    authorization_url, token_url, token_auth_method, client_id, client_secret) VALUES
    (:'wa', 'a000000000000000000000b1', 'c1', 'C', 'https://c.example/a', 'https://c.example/t', 'client_secret_post', 'cid', NULL),
    (:'wa', 'a000000000000000000000b2', 'c2', 'C', 'https://c.example/a', 'https://c.example/t', 'none', 'cid', NULL),
    (:'wa', 'a000000000000000000000b3', 'c3', 'C', 'https://c.example/a', 'https://c.example/t', 'client_secret_basic', NULL, :'sealed'),
    (:'wa', 'a000000000000000000000b4', 'c4', 'C', 'https://c.example/a', 'https://c.example/t', 'none', NULL, NULL);
SELECT results_eq(
    $$SELECT provider_key::text, configured FROM second.oauth_provider_configs WHERE workspace_id = 'aaaaaaaaaaaaaaaaaaaaaaaa' AND provider_key IN ('gh', 'gl', 'c1', 'c2', 'c3', 'c4') ORDER BY provider_key$$,
    $$VALUES ('c1'::text, false), ('c2', true), ('c3', false), ('c4', false), ('gh', true), ('gl', false)$$,
    'configured: a client id and (a secret, or method none)');
SELECT throws_ok(format($$UPDATE second.oauth_provider_configs SET configured = true WHERE id = %L$$, :'pa2'),
    '428C9', NULL, 'configured cannot be written');
UPDATE second.oauth_provider_configs SET client_secret = NULL WHERE id = :'pa1';
SELECT is((SELECT configured FROM second.oauth_provider_configs WHERE id = :'pa1'),
    false, 'removing the client secret unconfigures a post/basic config');
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a000000000000000000000b5', 'c5', 'C', 'https://c.example/a', 'http://c.example/t', 'none')$$, :'wa'),
    '23514', NULL, 'an http:// token_url is refused');
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a000000000000000000000b5', 'c5', 'C', 'http://c.example/a', 'https://c.example/t', 'none')$$, :'wa'),
    '23514', NULL, 'an http:// authorization_url is refused');
SELECT throws_ok(format($$INSERT INTO second.oauth_provider_configs (workspace_id, id, provider_key, display_name, authorization_url, token_url, token_auth_method) VALUES (%L, 'a000000000000000000000b5', 'c5', 'C', 'https://c.example/a', 'https://c.example/t', 'private_key_jwt')$$, :'wa'),
    '23514', NULL, 'an unknown token_auth_method is refused');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-v1'), %L, %L, %L)$$, :'wa', :'ua', :'pa1', repeat('v', 42)),
    '23514', NULL, 'a code_verifier of 42 characters is refused');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-v2'), %L, %L, %L)$$, :'wa', :'ua', :'pa1', repeat('v', 129)),
    '23514', NULL, 'a code_verifier of 129 characters is refused');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-v3'), %L, %L, %L)$$, :'wa', :'ua', :'pa1', repeat('v', 42) || '+'),
    '23514', NULL, 'a code_verifier with a character outside [A-Za-z0-9._~-] is refused');
SELECT lives_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, sha256('s-v4'), %L, %L, %L)$$, :'wa', :'ua', :'pa1', repeat('Az09._~-', 16)),
    'a code_verifier of 128 unreserved characters is accepted');
SELECT throws_ok(format($$INSERT INTO second.oauth_states (workspace_id, state_hash, user_id, provider_config_id, code_verifier) VALUES (%L, '\x00', %L, %L, %L)$$, :'wa', :'ua', :'pa1', :'verifier'),
    '23514', NULL, 'a state hash is 32 bytes');
SELECT throws_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id) VALUES (%L, 'a000000000000000000000b6', %L, %L)$$, :'wa', :'ub', :'pa1'),
    '23503', NULL, 'an account belongs to a member of its workspace');
SELECT throws_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id) VALUES (%L, 'a000000000000000000000b6', %L, %L)$$, :'wa', :'ua', :'pb1'),
    '23503', NULL, 'an account cannot name a provider config of another workspace');
SELECT throws_ok(format($$INSERT INTO second.connected_accounts (workspace_id, id, user_id, provider_config_id) VALUES (%L, 'a000000000000000000000b6', %L, %L)$$, :'wa', :'ua', :'pa1'),
    '23505', NULL, 'one account per user and provider config');
DELETE FROM second.oauth_provider_configs WHERE id = :'pa2';
SELECT is((SELECT count(*) FROM second.connected_accounts WHERE provider_config_id = :'pa2'),
    0::bigint, 'deleting a provider config deletes its accounts');

SELECT * FROM finish();
ROLLBACK;
