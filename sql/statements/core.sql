-- core.sql: the statements of every request: readiness, the transaction
-- context, the guard, session keys, identities and the audit trail.
-- File format: scripts/stmtgen.awk; second-fcgi --statements prints them
-- all, fragments expanded.

-- name: ping
-- role: second_authenticator
-- params: none
-- returns: ok
-- policy: none (no table)
SELECT 1 AS ok;

-- The first statement of every transaction.  is_local=true everywhere:
-- the settings die with the transaction.  The workspace reference (id or
-- slug) is resolved by a SECURITY DEFINER helper; an unknown one becomes
-- '' and the policies match nothing.
-- name: ctx
-- role: second_authenticator
-- params: $1 text request role; $2 text user id or NULL; $3 text
--   workspace id or slug, or NULL; $4 text external subject or NULL; $5
--   text app id (internal calls) or NULL
-- returns: role, user_id, workspace_id, app_id
-- policy: definer second.resolve_workspace, definer second.subject_user_id
SELECT set_config('role', $1, true) AS role,
       set_config('second.user_id', coalesce(s.uid, ''), true) AS user_id,
       set_config('second.workspace_id',
           coalesce(second.resolve_workspace($3, s.uid), ''), true)
           AS workspace_id,
       set_config('second.app_id', coalesce($5, ''), true) AS app_id
  FROM (SELECT coalesce($2, second.subject_user_id($4)) AS uid) s;

-- The caller's user row, the oldest membership's slug, and their
-- membership (id, slug, name, role, teams) in the context workspace; no
-- row when the user does not exist.
-- name: guard
-- role: second_member
-- params: none
-- returns: user_id, display_name, email, session_version, home_slug,
--   workspace_id, workspace_slug, workspace_name, role, team_ids
-- policy: definer second.current_caller
SELECT * FROM second.current_caller();

-- Run by the authenticator itself, outside any request transaction.
-- name: session_key
-- role: second_authenticator
-- params: $1 text candidate key (hex)
-- returns: key
-- policy: definer second.session_key_ensure
SELECT encode(key, 'hex') AS key
  FROM second.session_key_ensure(decode($1, 'hex'));

-- None mode: create or complete the user for (name, email).
-- name: onboard
-- role: second_anon
-- params: $1 text new user id; $2 text display name; $3 text email
-- returns: user_id, session_version
-- policy: definer second.onboard_identity
SELECT user_id, session_version
  FROM second.onboard_identity($1, $2, $3);

-- External mode: upsert the user by subject.
-- name: external_user
-- role: second_provider
-- params: $1 text new user id; $2 text subject; $3 text email; $4 text
--   display name
-- returns: external_identity
-- policy: users SELECT, users INSERT, users UPDATE
SELECT second.external_identity($1, $2, $3, $4);

-- Append an audit event; workspace and actor from the context only.
-- name: audit
-- role: second_member second_provider second_internal
-- params: $1 second.id event id; $2 text event name; $3 text outcome; $4 text
--   target type; $5 text target id; $6 jsonb metadata; $7 text category
--   (the event table, src/event.c)
-- returns: none
-- policy: audit_events INSERT
INSERT INTO second.audit_events (workspace_id, id, event_name,
    category, actor_type, actor_id, source, target_type, target_id,
    outcome, metadata)
VALUES (second.current_workspace_id(), $1, $2,
    $7, CASE WHEN current_user = 'second_internal' THEN 'worker'
    WHEN second.current_user_id() IS NULL
    THEN 'system' ELSE 'user' END, second.current_user_id(),
    CASE WHEN current_user = 'second_internal' THEN 'worker'
    ELSE 'platform' END, $4, $5, $3, $6::jsonb);

-- Move the context to a workspace just created.
-- name: set_ws
-- role: second_member
-- params: $1 text workspace id
-- returns: workspace_id
-- policy: none (a transaction-local setting)
SELECT set_config('second.workspace_id', $1, true) AS workspace_id;
