-- 007_session_keys.sql: the none-mode session cookie key shared by all workers.
--
-- When SECOND_NO_AUTH_SESSION_SECRET is not configured, the first worker to
-- start offers a random 32-byte key; the first offer is stored as kid 1 and
-- every worker, on every host, gets the same key back.  No request role can
-- read the table: only second.session_key_ensure(), called by
-- second_authenticator before it switches to any request role.

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.session_keys (
	kid        integer PRIMARY KEY CHECK (kid > 0),
	key        bytea NOT NULL CHECK (length(key) = 32),
	created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE second.session_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.session_keys FORCE ROW LEVEL SECURITY;

-- Only the owner, i.e. second.session_key_ensure().
CREATE POLICY owner_all ON second.session_keys TO second_owner
    USING (true) WITH CHECK (true);
REVOKE ALL ON second.session_keys FROM PUBLIC;

-- Stores p_candidate as kid 1 if there is no key yet (concurrent callers:
-- the first commit wins, the others get its key), then returns the current
-- key (highest kid).  Must run in a read-write transaction.  22023 unless
-- p_candidate is 32 bytes.
CREATE FUNCTION second.session_key_ensure(p_candidate bytea)
    RETURNS TABLE (kid integer, key bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
#variable_conflict use_column
BEGIN
	IF p_candidate IS NULL OR length(p_candidate) <> 32 THEN
		RAISE EXCEPTION 'session_key_ensure: the candidate key must be 32 bytes'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO second.session_keys AS k (kid, key)
	SELECT 1, p_candidate
	 WHERE NOT EXISTS (SELECT 1 FROM second.session_keys)
	ON CONFLICT (kid) DO NOTHING;
	RETURN QUERY
	SELECT k.kid, k.key FROM second.session_keys k ORDER BY k.kid DESC LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION second.session_key_ensure(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.session_key_ensure(bytea) TO second_authenticator;
