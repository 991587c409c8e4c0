-- 005_integrations.sql: integration grants, their dedicated credentials and
-- the sealed secrets of those credentials; the development sealing key.
--
-- Rule: a grant (integrations) is one app's permission to call one service
-- with one key: its identity is (workspace_id, app_id, domain, key_slug),
-- unique, and it exists only while its app does (ON DELETE CASCADE).  A
-- credential belongs to exactly one grant (UNIQUE (workspace_id,
-- integration_id), ON DELETE CASCADE): there is no column through which a
-- credential configured for one app could power another app's grant, and
-- deleting a grant or its app deletes its credential.  A secret is one row
-- per (credential, name), sealed by the web tier (second-tenancy(7),
-- "Sealed secrets") with (workspace id, credential id, name) as associated
-- data, so bytes copied to another row, name or workspace do not open;
-- key_id is the key id inside the sealed bytes (generated, never written),
-- so second-admin secrets-rotate finds what is not under the current key.
-- sealing_keys holds the development sealing key that every worker shares
-- when SECOND_SECRETS_KEY is unset, like session_keys.
--
-- Why it is safe: new tables only, created empty with row-level security
-- enabled and forced, so until sql/repeatable/85_policies_integrations.sql
-- (same `second-admin migrate`) no request role reaches a row.  Foreign
-- keys pair workspace_id with workspace_id, so no row can name another
-- workspace's app, grant or credential.  Members get no SELECT on the
-- sealed column: they write secrets and read their names, never the bytes.

SELECT set_config('role', 'second_owner', true);

CREATE TABLE second.integrations (
	workspace_id        second.id NOT NULL,
	id                  second.id NOT NULL,
	app_id              second.id NOT NULL,
	name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- a lowercase DNS name of at least two labels, no IP literal
	domain              text NOT NULL CHECK (length(domain) <= 253
	    AND domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'),
	key_slug            text NOT NULL CHECK (key_slug ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
	key_name            text NOT NULL CHECK (length(key_name) BETWEEN 1 AND 200),
	capability_label    text NOT NULL CHECK (length(capability_label) BETWEEN 1 AND 200),
	why                 text NOT NULL CHECK (length(why) <= 2000),
	-- {type: static_secret|oauth2, ...non-secret metadata}
	auth                jsonb NOT NULL CHECK (jsonb_typeof(auth) = 'object'
	    AND auth->>'type' IN ('static_secret', 'oauth2')),
	access_level        text NOT NULL DEFAULT 'unknown' CHECK (access_level IN
	    ('read', 'write', 'delete_admin', 'mixed', 'unknown')),
	permission_groups   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(permission_groups) = 'array'),
	secret_requirements jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(secret_requirements) = 'array'),
	setup_instructions  jsonb,
	created_at          timestamptz NOT NULL DEFAULT now(),
	updated_at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	CONSTRAINT integrations_identity UNIQUE (workspace_id, app_id, domain, key_slug),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- integrations_identity serves the foreign key to apps and an app's grants.
ALTER TABLE second.integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.integrations FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.integrations FROM PUBLIC;
GRANT SELECT, DELETE ON second.integrations TO second_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.integrations TO second_internal;

CREATE TABLE second.integration_credentials (
	workspace_id                 second.id NOT NULL,
	id                           second.id NOT NULL,
	integration_id               second.id NOT NULL,
	configured                   boolean NOT NULL DEFAULT false,
	configured_permission_groups jsonb NOT NULL DEFAULT '[]'
	    CHECK (jsonb_typeof(configured_permission_groups) = 'array'),
	created_at                   timestamptz NOT NULL DEFAULT now(),
	updated_at                   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	-- dedicated: one credential per grant, used by that grant only
	CONSTRAINT integration_credentials_dedicated UNIQUE (workspace_id, integration_id),
	FOREIGN KEY (workspace_id, integration_id)
	    REFERENCES second.integrations (workspace_id, id) ON DELETE CASCADE
);
ALTER TABLE second.integration_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.integration_credentials FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.integration_credentials FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.integration_credentials TO second_member;
GRANT SELECT ON second.integration_credentials TO second_internal;

CREATE TABLE second.integration_secrets (
	workspace_id  second.id NOT NULL,
	credential_id second.id NOT NULL,
	name          text NOT NULL CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
	-- 0x01 | key id (4) | nonce (24) | ciphertext and tag (16)
	sealed        bytea NOT NULL CHECK (length(sealed) >= 45
	    AND length(sealed) <= 16384 AND get_byte(sealed, 0) = 1),
	key_id        bytea NOT NULL GENERATED ALWAYS AS (substring(sealed FROM 2 FOR 4)) STORED,
	created_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, credential_id, name),
	FOREIGN KEY (workspace_id, credential_id)
	    REFERENCES second.integration_credentials (workspace_id, id) ON DELETE CASCADE
);
ALTER TABLE second.integration_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.integration_secrets FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.integration_secrets FROM PUBLIC;
-- Members write secrets and read their names, never the sealed bytes.
GRANT SELECT (workspace_id, credential_id, name) ON second.integration_secrets
    TO second_member;
GRANT INSERT (workspace_id, credential_id, name, sealed) ON second.integration_secrets
    TO second_member;
GRANT DELETE ON second.integration_secrets TO second_member;
GRANT SELECT ON second.integration_secrets TO second_internal;

-- sealing_keys: the development sealing key (SECOND_SECRETS_KEY unset),
-- shared by all workers.  No request role reads it: only
-- second.sealing_key_ensure(), called by second_authenticator before it
-- takes any request role, and second-admin.
CREATE TABLE second.sealing_keys (
	kid        integer PRIMARY KEY CHECK (kid = 1),
	key        bytea NOT NULL CHECK (length(key) = 32),
	created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE second.sealing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.sealing_keys FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.sealing_keys FROM PUBLIC;
