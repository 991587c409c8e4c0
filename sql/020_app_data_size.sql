-- 020_app_data_size.sql: an app data document is at most 256 KiB as it is
-- served.
--
-- Rule: octet_length(data::text) <= 262144, the form every read returns.
-- The web tier already refuses a document, or a set of fields to merge,
-- that would be larger once PostgreSQL writes it back (numbers in full,
-- a space after each ',' and ':'); what it cannot see is the result of a
-- merge (PATCH: data || fields), which could otherwise grow a document
-- without bound, one request at a time.  The check holds that too, for
-- every writer, whatever role it runs as.
--
-- Why it is safe: no deployment holds data yet, and the web tier's own
-- limit is the same, so no write it accepts today fails here except a
-- merge past the limit, which it answers 413 payload_too_large.

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.app_data
    ADD CONSTRAINT app_data_size CHECK (octet_length(data::text) <= 262144);
