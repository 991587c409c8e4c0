-- 007_oauth.sql: customer-owned OAuth provider configurations, the
-- connect flow's pending states, and users' connected accounts.
--
-- Rule: a provider config is one workspace's OAuth client for one
-- provider key, (workspace_id, provider_key) unique; the setup sync of an
-- app whose grant is oauth2 creates it with the grant's URLs, an owner or
-- admin adds the client id and the sealed client secret.  `configured` is
-- generated from those columns, so it cannot disagree with them.  A
-- connected account is one user's tokens for one provider config of one
-- workspace, (workspace_id, user_id, provider_config_id) unique; it exists
-- only while its user is a member of that workspace and its provider
-- config exists (ON DELETE CASCADE on both), so removing a member forgets
-- their tokens.  Tokens and client secrets are sealed by the web tier
-- (second-tenancy(7), "Sealed secrets") with (workspace id, row id, kind)
-- as associated data; key_id columns (generated) let second-admin
-- secrets-rotate find what is not under the current key.  A state is one
-- pending connect: the SHA-256 of the random state sent to the browser,
-- bound to workspace, user and provider config, with its PKCE verifier,
-- valid for ten minutes and taken (deleted) by the callback.
--
-- Why it is safe: new tables only, created empty with row-level security
-- enabled and forced, so until sql/repeatable/86_policies_oauth.sql (same
-- `second-admin migrate`) no request role reaches a row.  Foreign keys
-- pair workspace_id with workspace_id, so no row names another
-- workspace's config, member or account.  Members get no SELECT on a
-- sealed column, nor on oauth_states at all: the callback takes its state
-- through second.oauth_state_take() (86_policies_oauth.sql).

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.oauth_provider_configs (
	workspace_id      second.id NOT NULL REFERENCES second.workspaces (id),
	id                second.id NOT NULL,
	provider_key      text NOT NULL CHECK (provider_key ~ '^[A-Za-z0-9_-]{1,64}$'),
	display_name      text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
	authorization_url text NOT NULL CHECK (length(authorization_url) <= 2048
	    AND authorization_url ~ '^https://'),
	token_url         text NOT NULL CHECK (length(token_url) <= 2048
	    AND token_url ~ '^https://'),
	token_auth_method text NOT NULL CHECK (token_auth_method IN
	    ('client_secret_post', 'client_secret_basic', 'none')),
	client_id         text CHECK (length(client_id) BETWEEN 1 AND 512),
	-- 0x01 | key id (4) | nonce (24) | ciphertext and tag (16)
	client_secret     bytea CHECK (length(client_secret) BETWEEN 45 AND 16384
	    AND get_byte(client_secret, 0) = 1),
	key_id            bytea GENERATED ALWAYS AS
	    (substring(client_secret FROM 2 FOR 4)) STORED,
	configured        boolean NOT NULL GENERATED ALWAYS AS
	    (client_id IS NOT NULL AND (client_secret IS NOT NULL
	        OR token_auth_method = 'none')) STORED,
	created_at        timestamptz NOT NULL DEFAULT now(),
	updated_at        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	CONSTRAINT oauth_provider_configs_key UNIQUE (workspace_id, provider_key)
);
ALTER TABLE second.oauth_provider_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.oauth_provider_configs FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.oauth_provider_configs FROM PUBLIC;
-- Members read everything but the sealed secret; owners and admins
-- (policies) change the client and the URLs.
GRANT SELECT (workspace_id, id, provider_key, display_name, authorization_url,
    token_url, token_auth_method, client_id, configured, created_at, updated_at)
    ON second.oauth_provider_configs TO second_member;
GRANT UPDATE (display_name, authorization_url, token_url, token_auth_method,
    client_id, client_secret, updated_at)
    ON second.oauth_provider_configs TO second_member;
GRANT SELECT, INSERT ON second.oauth_provider_configs TO second_internal;

CREATE TABLE second.connected_accounts (
	workspace_id       second.id NOT NULL,
	id                 second.id NOT NULL,
	user_id            second.id NOT NULL,
	provider_config_id second.id NOT NULL,
	account_email      text CHECK (length(account_email) BETWEEN 3 AND 320),
	granted_scopes     jsonb NOT NULL DEFAULT '[]'
	    CHECK (jsonb_typeof(granted_scopes) = 'array'),
	access_token       bytea CHECK (length(access_token) BETWEEN 45 AND 16384
	    AND get_byte(access_token, 0) = 1),
	access_expires_at  timestamptz,
	refresh_token      bytea CHECK (length(refresh_token) BETWEEN 45 AND 16384
	    AND get_byte(refresh_token, 0) = 1),
	access_key_id      bytea GENERATED ALWAYS AS
	    (substring(access_token FROM 2 FOR 4)) STORED,
	refresh_key_id     bytea GENERATED ALWAYS AS
	    (substring(refresh_token FROM 2 FOR 4)) STORED,
	revoked_at         timestamptz,
	refreshed_at       timestamptz,
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	CONSTRAINT connected_accounts_owner UNIQUE (workspace_id, user_id, provider_config_id),
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, provider_config_id)
	    REFERENCES second.oauth_provider_configs (workspace_id, id) ON DELETE CASCADE
);
-- connected_accounts_owner serves the membership key; this one the config's.
CREATE INDEX connected_accounts_config_idx
    ON second.connected_accounts (workspace_id, provider_config_id);
ALTER TABLE second.connected_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.connected_accounts FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.connected_accounts FROM PUBLIC;
-- A member reads the non-secret columns of their own accounts (policies),
-- writes the sealed tokens of their own account at connect time, and
-- deletes it.
GRANT SELECT (workspace_id, id, user_id, provider_config_id, account_email,
    granted_scopes, access_expires_at, revoked_at, refreshed_at, created_at,
    updated_at) ON second.connected_accounts TO second_member;
GRANT INSERT (workspace_id, id, user_id, provider_config_id, account_email,
    granted_scopes, access_token, access_expires_at, refresh_token)
    ON second.connected_accounts TO second_member;
GRANT UPDATE (account_email, granted_scopes, access_token, access_expires_at,
    refresh_token, revoked_at, updated_at)
    ON second.connected_accounts TO second_member;
GRANT DELETE ON second.connected_accounts TO second_member;
-- Tool execution reads the tokens and stores a refreshed pair.
GRANT SELECT ON second.connected_accounts TO second_internal;
GRANT UPDATE (granted_scopes, access_token, access_expires_at, refresh_token,
    revoked_at, refreshed_at, updated_at)
    ON second.connected_accounts TO second_internal;

CREATE TABLE second.oauth_states (
	workspace_id       second.id NOT NULL,
	state_hash         bytea NOT NULL CHECK (length(state_hash) = 32),
	user_id            second.id NOT NULL,
	provider_config_id second.id NOT NULL,
	-- RFC 7636 4.1: 43 to 128 unreserved characters
	code_verifier      text NOT NULL CHECK (code_verifier ~ '^[A-Za-z0-9._~-]{43,128}$'),
	scopes             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(scopes) = 'array'),
	expires_at         timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
	created_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, state_hash),
	-- the callback finds a state by its hash alone (its URL names no workspace)
	CONSTRAINT oauth_states_hash UNIQUE (state_hash),
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, provider_config_id)
	    REFERENCES second.oauth_provider_configs (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX oauth_states_member_idx ON second.oauth_states (workspace_id, user_id);
CREATE INDEX oauth_states_config_idx ON second.oauth_states (workspace_id, provider_config_id);
ALTER TABLE second.oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.oauth_states FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.oauth_states FROM PUBLIC;
-- Members only mint states (their own, policies); reading one back is
-- second.oauth_state_take()'s, which deletes it.
GRANT INSERT ON second.oauth_states TO second_member;
