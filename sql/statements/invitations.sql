-- invitations.sql: a workspace's invitations.  File format:
-- scripts/stmtgen.awk.

-- An invitation's status as every read reports it: a pending one past
-- expires_at is expired.
-- fragment: invite_status
CASE WHEN status = 'pending' AND expires_at <= now()
     THEN 'expired' ELSE status END

-- Timestamps are whole seconds since 1970 UTC, formatted by the C side
-- (buf_json_utc): to_char was about 7% of the database's instructions
-- for an apps list (callgrind).
-- name: invites
-- role: second_member
-- params: $1 text cursor (last invitation id) or NULL; $2 int rows to
--   fetch; $3 text status (as read) or NULL for all
-- returns: id, email, role, status, created_at, expires_at
-- policy: invitations SELECT
SELECT id, email, role, {{invite_status}} AS status,
       floor(date_part('epoch', created_at))::int8 AS created_at,
       floor(date_part('epoch', expires_at))::int8 AS expires_at
  FROM second.invitations
 WHERE workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR id > $1)
   AND ($3::text IS NULL OR {{invite_status}} = $3)
 ORDER BY id LIMIT $2::int;

-- Lock one invitation; its status as read.
-- name: invite_get
-- role: second_member
-- params: $1 text invitation id
-- returns: status
-- policy: invitations SELECT, invitations UPDATE
SELECT {{invite_status}} AS status FROM second.invitations
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   FOR UPDATE;

-- Store 'expired' on an email's pending invitation past expires_at (frees
-- the one-pending-per-email slot).
-- name: invite_expire
-- role: second_member
-- params: $1 text email
-- returns: none
-- policy: invitations UPDATE
UPDATE second.invitations SET status = 'expired', updated_at = now()
 WHERE workspace_id = second.current_workspace_id()
   AND email_normalized = lower(btrim($1)) AND status = 'pending'
   AND expires_at <= now();

-- name: invite_insert
-- role: second_member
-- params: $1 second.id invitation id; $2 text email; $3 text role; $4 int8
--   seconds to expiry
-- returns: created_at, expires_at
-- policy: invitations INSERT
INSERT INTO second.invitations (workspace_id, id, email,
    email_normalized, role, invited_by_user_id, expires_at)
VALUES (second.current_workspace_id(), $1, btrim($2),
    lower(btrim($2)), $3, second.current_user_id(),
    now() + make_interval(secs => $4::int8))
RETURNING floor(date_part('epoch', created_at))::int8 AS created_at,
          floor(date_part('epoch', expires_at))::int8 AS expires_at;

-- Pending and not expired only.
-- name: invite_revoke
-- role: second_member
-- params: $1 text invitation id
-- returns: none
-- policy: invitations UPDATE
UPDATE second.invitations SET status = 'revoked', updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   AND status = 'pending' AND expires_at > now();
