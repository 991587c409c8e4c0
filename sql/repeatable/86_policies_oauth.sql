-- repeatable/86_policies_oauth.sql: who reads and writes OAuth provider
-- configs, connected accounts and pending connect states.
--
-- Rule: every member of a workspace, and only a member (a context naming
-- a workspace proves nothing by itself), reads its provider configs (never
-- the sealed client secret: a column grant, 007_oauth.sql); only an owner or
-- an admin (integrations:manage, second-api(7); the C code checks the
-- permission too) changes one.  A member reaches only their OWN connected
-- accounts (user_id = the caller) and mints only their own states.
-- second_internal (tool execution, scoped to one app) reads a provider
-- config only when a grant of the app the call names is oauth2 for that
-- provider key, creates one only unconfigured (the setup sync), and reads
-- or refreshes only the account of the user the call is made for
-- (second.user_id: the run's triggering user, or the app viewer) for such
-- a config: a call for app X never uses a config only app Y asked for,
-- and never another user's account.  States are read back only by
-- second.oauth_state_take(), which deletes the state it returns: single
-- use by construction; it also deletes the caller's expired states.  A
-- member holds at most 20 unexpired states per workspace: the trigger
-- oauth_states_admit deletes that member's expired states of the
-- workspace and refuses a 21st with SQLSTATE SE429 (429
-- oauth_too_many_pending), so the table stays bounded by 20 rows per
-- membership without giving members SELECT on it.
--
-- Why it is safe: the three tables are forced under row-level security
-- (007_oauth.sql) and PostgreSQL denies what no policy allows; each
-- policy names its role and the current workspace; one permissive policy
-- per role and command (second-admin audit).  The definer function takes
-- its workspace and user from the transaction's context, never from an
-- argument, and returns a state only to the user it was minted for; the
-- trigger counts and deletes only the rows of the inserted row's own
-- workspace and user (which member_insert has checked are the caller's),
-- under a transaction advisory lock on that pair so two concurrent starts
-- cannot both pass at 19.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes, in one transaction: each policy is dropped and created again.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- oauth_provider_configs
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.oauth_provider_configs;
CREATE POLICY owner_all ON second.oauth_provider_configs TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.oauth_provider_configs;
CREATE POLICY member_select ON second.oauth_provider_configs FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS member_update ON second.oauth_provider_configs;
CREATE POLICY member_update ON second.oauth_provider_configs FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'));
DROP POLICY IF EXISTS internal_select ON second.oauth_provider_configs;
CREATE POLICY internal_select ON second.oauth_provider_configs FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = oauth_provider_configs.workspace_id
                       AND g.app_id = (SELECT second.current_app_id())
                       AND g.auth->>'type' = 'oauth2'
                       AND g.auth->>'providerKey' = oauth_provider_configs.provider_key));
DROP POLICY IF EXISTS internal_insert ON second.oauth_provider_configs;
CREATE POLICY internal_insert ON second.oauth_provider_configs FOR INSERT TO second_internal
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND client_id IS NULL AND client_secret IS NULL
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = oauth_provider_configs.workspace_id
                       AND g.app_id = (SELECT second.current_app_id())
                       AND g.auth->>'type' = 'oauth2'
                       AND g.auth->>'providerKey' = oauth_provider_configs.provider_key));

-------------------------------------------------------------------------------
-- connected_accounts
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.connected_accounts;
CREATE POLICY owner_all ON second.connected_accounts TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.connected_accounts;
CREATE POLICY member_select ON second.connected_accounts FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS member_insert ON second.connected_accounts;
CREATE POLICY member_insert ON second.connected_accounts FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id())
        AND (SELECT second.is_current_member()));
DROP POLICY IF EXISTS member_update ON second.connected_accounts;
CREATE POLICY member_update ON second.connected_accounts FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS member_delete ON second.connected_accounts;
CREATE POLICY member_delete ON second.connected_accounts FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id()));
DROP POLICY IF EXISTS internal_select ON second.connected_accounts;
CREATE POLICY internal_select ON second.connected_accounts FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.oauth_provider_configs p
                     WHERE p.workspace_id = connected_accounts.workspace_id
                       AND p.id = connected_accounts.provider_config_id));
DROP POLICY IF EXISTS internal_update ON second.connected_accounts;
CREATE POLICY internal_update ON second.connected_accounts FOR UPDATE TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id())
        AND EXISTS (SELECT 1 FROM second.oauth_provider_configs p
                     WHERE p.workspace_id = connected_accounts.workspace_id
                       AND p.id = connected_accounts.provider_config_id))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id()));

-------------------------------------------------------------------------------
-- oauth_states
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.oauth_states;
CREATE POLICY owner_all ON second.oauth_states TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_insert ON second.oauth_states;
CREATE POLICY member_insert ON second.oauth_states FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND user_id = (SELECT second.current_user_id())
        AND (SELECT second.is_current_member()));

-- The callback's one read of a state: delete the caller's state whose
-- SHA-256 is p_hash and return it with the current provider config (the
-- sealed client secret included: the token exchange needs it).  No row
-- when the state is unknown, already taken, or minted for another user
-- (whose state stays).  An expired state is deleted and returned with
-- expired true; the caller's other expired states, of any workspace, are
-- deleted too.  The workspace is the state's: the callback's URL names
-- none; the caller opens that workspace under the guard to store tokens.
CREATE OR REPLACE FUNCTION second.oauth_state_take(p_hash bytea)
    RETURNS TABLE (workspace_id text, provider_config_id text,
        code_verifier text, scopes jsonb, expired boolean,
        provider_key text, token_url text, token_auth_method text,
        client_id text, client_secret bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
#variable_conflict use_column
BEGIN
	DELETE FROM second.oauth_states s
	 WHERE s.user_id = second.current_user_id()
	   AND s.expires_at <= now() AND s.state_hash <> p_hash;
	RETURN QUERY
	WITH s AS (
		DELETE FROM second.oauth_states s
		 WHERE s.state_hash = p_hash
		   AND s.user_id = second.current_user_id()
		RETURNING s.workspace_id, s.provider_config_id, s.code_verifier,
		          s.scopes, s.expires_at)
	SELECT s.workspace_id::text, s.provider_config_id::text,
	       s.code_verifier, s.scopes, s.expires_at <= now(),
	       p.provider_key, p.token_url, p.token_auth_method, p.client_id,
	       p.client_secret
	  FROM s JOIN second.oauth_provider_configs p
	    ON p.workspace_id = s.workspace_id AND p.id = s.provider_config_id;
END
$$;
REVOKE ALL ON FUNCTION second.oauth_state_take(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.oauth_state_take(bytea) TO second_member;

-- Before a state is stored: the member's expired states of the workspace
-- go, and a 21st unexpired one is refused (SE429).
CREATE OR REPLACE FUNCTION second.oauth_state_admit()
    RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'second.oauth_states/' || NEW.workspace_id || '/' || NEW.user_id, 0));
	DELETE FROM second.oauth_states s
	 WHERE s.workspace_id = NEW.workspace_id AND s.user_id = NEW.user_id
	   AND s.expires_at <= now();
	IF (SELECT count(*) FROM second.oauth_states s
	     WHERE s.workspace_id = NEW.workspace_id
	       AND s.user_id = NEW.user_id) >= 20 THEN
		RAISE EXCEPTION 'too many pending OAuth connects'
		    USING ERRCODE = 'SE429';
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION second.oauth_state_admit() FROM PUBLIC;
CREATE OR REPLACE TRIGGER oauth_states_admit
    BEFORE INSERT ON second.oauth_states
    FOR EACH ROW EXECUTE FUNCTION second.oauth_state_admit();
