-- data.sql: an app's stored documents.  File format: scripts/stmtgen.awk.

-- A document as the data routes report it.
-- fragment: document
-- returns: id, data, created_at, updated_at
d.id, d.data::text AS data,
floor(date_part('epoch', d.created_at))::int8 AS created_at,
floor(date_part('epoch', d.updated_at))::int8 AS updated_at

-- name: data_list
-- role: second_member second_internal
-- params: $1 text app id; $2 text scope; $3 text collection; $4 text
--   cursor (last document id) or NULL; $5 int rows to fetch
-- returns: {{document}}
-- policy: app_data SELECT
SELECT {{document}}
  FROM second.app_data d
 WHERE d.workspace_id = second.current_workspace_id()
   AND d.app_id = $1 AND d.scope = $2 AND d.collection = $3
   AND ($4::text IS NULL OR d.id > $4)
 ORDER BY d.id LIMIT $5::int;

-- name: data_get
-- role: second_member second_internal
-- params: $1 text app id; $2 text scope; $3 text collection; $4 text
--   document id
-- returns: {{document}}
-- policy: app_data SELECT
SELECT {{document}}
  FROM second.app_data d
 WHERE d.workspace_id = second.current_workspace_id()
   AND d.app_id = $1 AND d.scope = $2 AND d.collection = $3
   AND d.id = $4;

-- name: data_insert
-- role: second_member second_internal
-- params: $1 second.id app id; $2 text scope; $3 text collection; $4
--   second.id document id; $5 jsonb data
-- returns: none
-- policy: app_data INSERT
INSERT INTO second.app_data (workspace_id, app_id, scope, collection,
    id, data)
VALUES (second.current_workspace_id(), $1, $2, $3, $4, $5::jsonb);

-- The fields sent are merged into the document.
-- name: data_update
-- role: second_member second_internal
-- params: $1 text app id; $2 text scope; $3 text collection; $4 text
--   document id; $5 jsonb fields
-- returns: id
-- policy: app_data SELECT, app_data UPDATE
UPDATE second.app_data SET data = data || $5::jsonb, updated_at = now()
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1
   AND scope = $2 AND collection = $3 AND id = $4
RETURNING id;

-- name: data_delete
-- role: second_member second_internal
-- params: $1 text app id; $2 text scope; $3 text collection; $4 text
--   document id
-- returns: id
-- policy: app_data SELECT, app_data DELETE
DELETE FROM second.app_data
 WHERE workspace_id = second.current_workspace_id() AND app_id = $1
   AND scope = $2 AND collection = $3 AND id = $4
RETURNING id;
