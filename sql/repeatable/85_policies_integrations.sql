-- repeatable/85_policies_integrations.sql: who reads and writes integration
-- grants, their credentials and sealed secrets; the development sealing key.
--
-- Rule: a member reaches a grant through an app visible to them (EXISTS over
-- apps, itself under the policies of 80_policies_apps.sql), a credential
-- through its grant, a secret through its credential.  Only an owner or an
-- admin (the roles holding integrations:manage, second-api(7); the C code
-- checks the permission too) writes: deletes a grant, creates, changes or
-- deletes a credential, adds or deletes a secret.  Members never create or
-- change a grant: grants come only from the app's setup sync (internal API).
-- second_internal reaches the rows of the workspace AND the app its call
-- names (second.current_app_id(), 10_context.sql): a call for app X never
-- sees, changes or uses the grant, credential or secret of app Y, even in
-- the same workspace.  Which columns members may read at all is the grants'
-- business (005_integrations.sql): never the sealed bytes.
--
-- Why it is safe: the three tables are forced under row-level security
-- (005_integrations.sql) and PostgreSQL denies what no policy allows; each
-- policy names its role and the current workspace; one permissive policy
-- per role and command (second-admin audit).
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes, in one transaction: each policy is dropped and created again.

SELECT set_config('role', 'second_owner', true);

-------------------------------------------------------------------------------
-- integrations (grants)
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.integrations;
CREATE POLICY owner_all ON second.integrations TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.integrations;
CREATE POLICY member_select ON second.integrations FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = integrations.workspace_id
                       AND a.id = integrations.app_id));
DROP POLICY IF EXISTS member_delete ON second.integrations;
CREATE POLICY member_delete ON second.integrations FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin')
        AND EXISTS (SELECT 1 FROM second.apps a
                     WHERE a.workspace_id = integrations.workspace_id
                       AND a.id = integrations.app_id));
DROP POLICY IF EXISTS internal_all ON second.integrations;
CREATE POLICY internal_all ON second.integrations TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND app_id = (SELECT second.current_app_id()));

-------------------------------------------------------------------------------
-- integration_credentials
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.integration_credentials;
CREATE POLICY owner_all ON second.integration_credentials TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.integration_credentials;
CREATE POLICY member_select ON second.integration_credentials FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = integration_credentials.workspace_id
                       AND g.id = integration_credentials.integration_id));
DROP POLICY IF EXISTS member_insert ON second.integration_credentials;
CREATE POLICY member_insert ON second.integration_credentials FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin')
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = integration_credentials.workspace_id
                       AND g.id = integration_credentials.integration_id));
DROP POLICY IF EXISTS member_update ON second.integration_credentials;
CREATE POLICY member_update ON second.integration_credentials FOR UPDATE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'))
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin')
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = integration_credentials.workspace_id
                       AND g.id = integration_credentials.integration_id));
DROP POLICY IF EXISTS member_delete ON second.integration_credentials;
CREATE POLICY member_delete ON second.integration_credentials FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'));
DROP POLICY IF EXISTS internal_select ON second.integration_credentials;
CREATE POLICY internal_select ON second.integration_credentials FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.integrations g
                     WHERE g.workspace_id = integration_credentials.workspace_id
                       AND g.id = integration_credentials.integration_id
                       AND g.app_id = (SELECT second.current_app_id())));

-------------------------------------------------------------------------------
-- integration_secrets
-------------------------------------------------------------------------------

DROP POLICY IF EXISTS owner_all ON second.integration_secrets;
CREATE POLICY owner_all ON second.integration_secrets TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS member_select ON second.integration_secrets;
CREATE POLICY member_select ON second.integration_secrets FOR SELECT TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.integration_credentials c
                     WHERE c.workspace_id = integration_secrets.workspace_id
                       AND c.id = integration_secrets.credential_id));
DROP POLICY IF EXISTS member_insert ON second.integration_secrets;
CREATE POLICY member_insert ON second.integration_secrets FOR INSERT TO second_member
    WITH CHECK (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin')
        AND EXISTS (SELECT 1 FROM second.integration_credentials c
                     WHERE c.workspace_id = integration_secrets.workspace_id
                       AND c.id = integration_secrets.credential_id));
DROP POLICY IF EXISTS member_delete ON second.integration_secrets;
CREATE POLICY member_delete ON second.integration_secrets FOR DELETE TO second_member
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND (SELECT second.current_member_role()) IN ('owner', 'admin'));
DROP POLICY IF EXISTS internal_select ON second.integration_secrets;
CREATE POLICY internal_select ON second.integration_secrets FOR SELECT TO second_internal
    USING (workspace_id = (SELECT second.current_workspace_id())
        AND EXISTS (SELECT 1 FROM second.integration_credentials c
                      JOIN second.integrations g
                        ON g.workspace_id = c.workspace_id AND g.id = c.integration_id
                     WHERE c.workspace_id = integration_secrets.workspace_id
                       AND c.id = integration_secrets.credential_id
                       AND g.app_id = (SELECT second.current_app_id())));

-------------------------------------------------------------------------------
-- sealing_keys
-------------------------------------------------------------------------------

-- Only the owner, i.e. second.sealing_key_ensure().
DROP POLICY IF EXISTS owner_all ON second.sealing_keys;
CREATE POLICY owner_all ON second.sealing_keys TO second_owner
    USING (true) WITH CHECK (true);

-- When SECOND_SECRETS_KEY is unset (development only: production refuses to
-- start), the first worker to need it offers 32 random bytes.  Stores
-- p_candidate unless a key exists (concurrent callers: the first commit
-- wins, the others get its key), then returns the key, so every worker on
-- every host seals and opens with the same one.  Read-write transaction.
-- 22023 unless p_candidate is 32 bytes.
CREATE OR REPLACE FUNCTION second.sealing_key_ensure(p_candidate bytea)
    RETURNS TABLE (key bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, second
    AS $$
#variable_conflict use_column
BEGIN
	IF p_candidate IS NULL OR length(p_candidate) <> 32 THEN
		RAISE EXCEPTION 'sealing_key_ensure: the candidate key must be 32 bytes'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO second.sealing_keys AS k (kid, key)
	VALUES (1, p_candidate)
	ON CONFLICT (kid) DO NOTHING;
	RETURN QUERY SELECT k.key FROM second.sealing_keys k WHERE k.kid = 1;
END
$$;
REVOKE ALL ON FUNCTION second.sealing_key_ensure(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.sealing_key_ensure(bytea) TO second_authenticator;
