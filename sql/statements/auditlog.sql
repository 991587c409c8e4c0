-- auditlog.sql: reading the audit log (src/api/auditlog.c).  File format:
-- scripts/stmtgen.awk.

-- A page of the workspace's events, newest first (occurred_at DESC, then
-- id), each filter NULL for none; since is inclusive, until exclusive.  The
-- cursor is the last event id of the previous page: the page goes on
-- after that event in this order (an unknown cursor gives no rows).
-- name: audit_list
-- role: second_member
-- params: $1 text event name or NULL; $2 text category or NULL; $3
--   text actor id or NULL; $4 text target id or NULL; $5 text since
--   (RFC 3339, checked by the caller) or NULL; $6 text until (likewise)
--   or NULL; $7 text cursor (last event id) or NULL; $8 int rows to
--   fetch
-- returns: id, occurred_at, event_name, category, actor_type, actor_id,
--   source, target_type, target_id, outcome, metadata
-- policy: audit_events SELECT
SELECT e.id, floor(date_part('epoch', e.occurred_at))::int8 AS occurred_at,
       e.event_name, e.category, e.actor_type, e.actor_id, e.source,
       e.target_type, e.target_id, e.outcome, e.metadata::text AS metadata
  FROM second.audit_events e
 WHERE e.workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR e.event_name = $1)
   AND ($2::text IS NULL OR e.category = $2)
   AND ($3::text IS NULL OR e.actor_id = $3)
   AND ($4::text IS NULL OR e.target_id = $4)
   AND ($5::text IS NULL OR e.occurred_at >= $5::text::timestamptz)
   AND ($6::text IS NULL OR e.occurred_at < $6::text::timestamptz)
   AND ($7::text IS NULL OR EXISTS (
       SELECT 1 FROM second.audit_events c
        WHERE c.workspace_id = e.workspace_id AND c.id = $7
          AND (e.occurred_at < c.occurred_at
               OR (e.occurred_at = c.occurred_at AND e.id > c.id))))
 ORDER BY e.occurred_at DESC, e.id
 LIMIT $8::int;
