-- files.sql: an app's source snapshots and their files.  File format:
-- scripts/stmtgen.awk.

-- Write the draft snapshot with the files {{new_files}} (an expression
-- over the current files x.f), and copy its hash, count and size into the
-- app; $1 is the app, {{snapshot_id}} the new snapshot id.
-- fragment: draft_write
-- returns: file_count, bytes
WITH cur AS (SELECT s.files FROM second.app_source_snapshots s
              WHERE s.workspace_id = second.current_workspace_id()
                AND s.app_id = $1 AND s.kind = 'draft'),
     nf AS (SELECT {{new_files}} AS files
              FROM (SELECT coalesce((SELECT files FROM cur), '{}'::jsonb)
                        AS f) x),
     m AS (SELECT nf.files,
                  'sha256:' || encode(sha256(convert_to(nf.files::text,
                      'UTF8')), 'hex') AS hash,
                  (SELECT count(*) FROM jsonb_object_keys(nf.files))::int
                      AS n,
                  (SELECT coalesce(sum(octet_length(e.v)), 0)
                     FROM jsonb_each_text(nf.files) AS e(k, v))::bigint
                      AS bytes
             FROM nf),
     s AS (INSERT INTO second.app_source_snapshots AS s (workspace_id,
               app_id, kind, id, files, hash, file_count, bytes)
           SELECT second.current_workspace_id(), $1, 'draft',
                  {{snapshot_id}}, m.files, m.hash, m.n, m.bytes
             FROM m
           ON CONFLICT (workspace_id, app_id, kind) DO UPDATE SET
               files = EXCLUDED.files, id = EXCLUDED.id,
               hash = EXCLUDED.hash, file_count = EXCLUDED.file_count,
               bytes = EXCLUDED.bytes, updated_at = now()
           RETURNING s.id, s.hash, s.file_count, s.bytes)
UPDATE second.apps a SET draft_snapshot_id = s.id,
       draft_hash = s.hash, draft_file_count = s.file_count,
       draft_bytes = s.bytes, updated_at = now()
  FROM s
 WHERE a.workspace_id = second.current_workspace_id() AND a.id = $1
RETURNING s.file_count, s.bytes

-- A snapshot's file list.
-- name: files_list
-- role: second_member
-- params: $1 text app id; $2 text kind (draft or published)
-- returns: id, hash, file_count, bytes, files
-- policy: app_source_snapshots SELECT
SELECT s.id, s.hash, s.file_count, s.bytes,
       coalesce((SELECT jsonb_agg(jsonb_build_object('path', e.k,
                        'bytes', octet_length(e.v)) ORDER BY e.k)
                   FROM jsonb_each_text(s.files) AS e(k, v)),
                '[]'::jsonb)::text AS files
  FROM second.app_source_snapshots s
 WHERE s.workspace_id = second.current_workspace_id()
   AND s.app_id = $1 AND s.kind = $2;

-- One file of a snapshot.
-- name: file_get
-- role: second_member
-- params: $1 text app id; $2 text kind; $3 text path
-- returns: content
-- policy: app_source_snapshots SELECT
SELECT s.files ->> $3 AS content FROM second.app_source_snapshots s
 WHERE s.workspace_id = second.current_workspace_id()
   AND s.app_id = $1 AND s.kind = $2 AND s.files ? $3;

-- The draft's other files, their count and the bytes of their paths and
-- contents; the content bytes of the file at $2, NULL when the draft has
-- none.
-- name: snap_size
-- role: second_member
-- params: $1 text app id; $2 text path
-- returns: other_files, other_bytes, file_bytes
-- policy: app_source_snapshots SELECT
SELECT count(*) FILTER (WHERE e.k <> $2) AS other_files,
       coalesce(sum(octet_length(e.k) + octet_length(e.v))
           FILTER (WHERE e.k <> $2), 0) AS other_bytes,
       max(octet_length(e.v)) FILTER (WHERE e.k = $2) AS file_bytes
  FROM second.app_source_snapshots s, jsonb_each_text(s.files) AS e(k, v)
 WHERE s.workspace_id = second.current_workspace_id()
   AND s.app_id = $1 AND s.kind = 'draft';

-- Write one draft file.
-- name: file_put
-- role: second_member
-- params: $1 text app id; $2 text path; $3 text content; $4 second.id
--   new snapshot id
-- returns: {{draft_write}}
-- policy: app_source_snapshots SELECT, app_source_snapshots INSERT,
--   app_source_snapshots UPDATE, apps UPDATE
-- let: new_files = x.f || jsonb_build_object($2::text, $3::text)
-- let: snapshot_id = $4
{{draft_write}};

-- Delete one draft file.
-- name: file_del
-- role: second_member
-- params: $1 text app id; $2 text path; $3 second.id new snapshot id
-- returns: {{draft_write}}
-- policy: app_source_snapshots SELECT, app_source_snapshots INSERT,
--   app_source_snapshots UPDATE, apps UPDATE
-- let: new_files = x.f - $2::text
-- let: snapshot_id = $3
{{draft_write}};
