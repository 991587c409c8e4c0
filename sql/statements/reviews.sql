-- reviews.sql: review requests and publishing.  File format:
-- scripts/stmtgen.awk.

-- Review requests the caller may see (RLS: builders).
-- name: reviews_list
-- role: second_member
-- params: $1 text cursor (last review id) or NULL; $2 int rows to fetch
-- returns: id, app_id, status, target_team_ids, requested_by_user_id,
--   decided_by_user_id, created_at
-- policy: review_requests SELECT
SELECT r.id, r.app_id, r.status,
       array_to_string(r.target_team_ids, ',') AS target_team_ids,
       r.requested_by_user_id,
       coalesce(r.decided_by_user_id, '') AS decided_by_user_id,
       floor(date_part('epoch', r.created_at))::int8 AS created_at
  FROM second.review_requests r
 WHERE r.workspace_id = second.current_workspace_id()
   AND ($1::text IS NULL OR r.id > $1)
 ORDER BY r.id LIMIT $2::int;

-- One review request, locked.
-- name: review_lock
-- role: second_member
-- params: $1 text review id
-- returns: id, app_id, status, target_team_ids
-- policy: review_requests SELECT, review_requests UPDATE
SELECT r.id, r.app_id, r.status,
       array_to_string(r.target_team_ids, ',') AS target_team_ids
  FROM second.review_requests r
 WHERE r.workspace_id = second.current_workspace_id() AND r.id = $1
   FOR UPDATE;

-- name: review_insert
-- role: second_member
-- params: $1 second.id review id; $2 second.id app id; $3 text[] team
--   ids; $4 text status
-- returns: none
-- policy: review_requests INSERT
INSERT INTO second.review_requests (workspace_id, id, app_id,
    target_team_ids, status, requested_by_user_id, decided_by_user_id,
    decided_at)
VALUES (second.current_workspace_id(), $1, $2, $3::text[], $4,
    second.current_user_id(),
    CASE WHEN $4 = 'pending' THEN NULL ELSE second.current_user_id() END,
    CASE WHEN $4 = 'pending' THEN NULL ELSE now() END);

-- From pending only.
-- name: review_decide
-- role: second_member
-- params: $1 text review id; $2 text status
-- returns: none
-- policy: review_requests UPDATE
UPDATE second.review_requests SET status = $2,
       decided_by_user_id = second.current_user_id(), decided_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1
   AND status = 'pending';

-- name: app_set_status
-- role: second_member
-- params: $1 text app id; $2 text status
-- returns: none
-- policy: apps UPDATE
UPDATE second.apps SET publish_status = $2, updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND id = $1;

-- The draft snapshot is copied to the published one, and the draft agents
-- payload becomes the published one only if its hash is approved.
-- name: app_promote
-- role: second_member
-- params: $1 text app id; $2 second.id new published
--   snapshot id
-- returns: none
-- policy: app_source_snapshots SELECT, app_source_snapshots INSERT,
--   app_source_snapshots UPDATE, apps UPDATE
WITH d AS (SELECT files, hash, file_count, bytes
             FROM second.app_source_snapshots
            WHERE workspace_id = second.current_workspace_id()
              AND app_id = $1 AND kind = 'draft'),
     s AS (INSERT INTO second.app_source_snapshots AS s (workspace_id,
               app_id, kind, id, files, hash, file_count, bytes)
           SELECT second.current_workspace_id(), $1, 'published', $2,
                  coalesce(d.files, '{}'::jsonb), d.hash,
                  coalesce(d.file_count, 0), coalesce(d.bytes, 0)
             FROM (SELECT 1) AS one LEFT JOIN d ON true
           ON CONFLICT (workspace_id, app_id, kind) DO UPDATE SET
               files = EXCLUDED.files, id = EXCLUDED.id,
               hash = EXCLUDED.hash, file_count = EXCLUDED.file_count,
               bytes = EXCLUDED.bytes, updated_at = now()
           RETURNING s.id, s.hash, s.file_count, s.bytes)
UPDATE second.apps a SET publish_status = 'published',
       published_snapshot_id = s.id, published_hash = s.hash,
       published_file_count = s.file_count, published_bytes = s.bytes,
       published_agents = CASE WHEN a.approved_agents_hash =
           a.draft_agents_hash THEN a.draft_agents END,
       published_agents_hash = CASE WHEN a.approved_agents_hash =
           a.draft_agents_hash THEN a.draft_agents_hash END,
       updated_at = now()
  FROM s
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1;

-- How many of the app's grants need setup (the "grant" fragment's
-- reasons): approving or publishing waits for none (409
-- integrations_need_setup).
-- name: app_grants_unready
-- role: second_member
-- params: $1 text app id
-- returns: n
-- policy: integrations SELECT, integration_credentials SELECT,
--   integration_secrets SELECT, oauth_provider_configs SELECT
SELECT count(*) AS n
  FROM (SELECT {{grant}}
          FROM {{grant_from}}
         WHERE g.workspace_id = second.current_workspace_id()
           AND g.app_id = $1) x
 WHERE x.setup_reasons <> '[]';
