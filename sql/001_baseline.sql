-- 001_baseline.sql: the roles, the tables and their grants.
--
-- Rule: this file and every later numbered migration hold only what a
-- deployment's data depends on: roles, schema, tables, columns, indexes,
-- constraints, grants and data changes.  Each runs once and never changes
-- after it was applied (second-admin(8) refuses an edited one).  Functions,
-- triggers and policies live in sql/repeatable/, one definition each, run
-- again whenever their text changes; second-tenancy(7) says where each rule
-- is written.
--
-- Why it is safe: every table is created with row-level security enabled
-- and forced, the owner included, and before sql/repeatable/ has run no
-- policy exists, so a request role reads and writes nothing (PostgreSQL
-- denies by default); the policies come in the same `second-admin migrate`.
-- Grants are table privileges only: which rows a role reaches is the
-- policies' business.  It replaces migrations 001-026, which no deployment
-- had applied; scripts/schema-equiv compares the schema it builds with an
-- earlier revision's.
--
-- This file runs as the migrating superuser, after second-admin's bootstrap
-- created schema second and its two ledgers (second.schema_migrations,
-- second.schema_repeatable); everything after the roles is created as
-- second_owner.
--
--   second_owner          NOLOGIN  owns the schema and every object in it;
--                                  SECURITY DEFINER functions run as it.  No
--                                  login role and no request role is ever a
--                                  member of it.
--   second_authenticator  LOGIN    what the workers connect as.  NOINHERIT: it
--                                  has no table privilege of its own and only
--                                  switches (set_config('role', ..., true)) to:
--   second_anon           NOLOGIN  onboarding before an identity exists
--   second_member         NOLOGIN  a signed-in user's request
--   second_internal       NOLOGIN  the internal API (agent worker)
--   second_provider       NOLOGIN  external identity provider sync
--
-- None of them is superuser, BYPASSRLS, CREATEROLE or CREATEDB.  Roles are
-- cluster-wide and may exist from another database; their attributes are
-- (re)asserted here.  The password of second_authenticator is the
-- operator's business (ALTER ROLE ... PASSWORD).

-------------------------------------------------------------------------------
-- Roles and the schema
-------------------------------------------------------------------------------

DO $$
DECLARE
	r        text;
	is_login boolean;
BEGIN
	FOREACH r IN ARRAY ARRAY['second_owner', 'second_authenticator',
	    'second_anon', 'second_member', 'second_internal', 'second_provider']
	LOOP
		is_login := r = 'second_authenticator';
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
		-- (Re)assert the attributes only when one differs: changing
		-- BYPASSRLS needs a superuser even to turn it off.
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles
		            WHERE rolname = r
		              AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
		                   OR rolreplication OR rolcanlogin <> is_login
		                   OR rolinherit = is_login)) THEN
			EXECUTE format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS NOCREATEROLE '
			    'NOCREATEDB NOREPLICATION %s', r,
			    CASE WHEN is_login THEN 'LOGIN NOINHERIT' ELSE 'NOLOGIN INHERIT' END);
		END IF;
		-- The authenticator may switch to each request role.
		IF r NOT IN ('second_owner', 'second_authenticator')
		   AND NOT EXISTS (SELECT 1
		                     FROM pg_catalog.pg_auth_members m
		                     JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
		                     JOIN pg_catalog.pg_roles u ON u.oid = m.member
		                    WHERE g.rolname = r
		                      AND u.rolname = 'second_authenticator') THEN
			EXECUTE format('GRANT %I TO second_authenticator', r);
		END IF;
	END LOOP;
END
$$;

-- Ownership: the bootstrap ran as the superuser.
ALTER SCHEMA second OWNER TO second_owner;
ALTER TABLE second.schema_migrations OWNER TO second_owner;
ALTER TABLE second.schema_repeatable OWNER TO second_owner;

-- Nobody creates objects in public in this database.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Request roles may name objects in second; what they may do with each
-- object is granted next to the object.  The authenticator needs USAGE to
-- call the guard's lookups (sql/repeatable/30_guard.sql) before it takes a
-- request role.
REVOKE ALL ON SCHEMA second FROM PUBLIC;
GRANT USAGE ON SCHEMA second TO second_anon, second_member, second_internal,
    second_provider, second_authenticator;

-- Functions created by second_owner are not executable by PUBLIC unless a
-- grant says so; every function still revokes explicitly.
ALTER DEFAULT PRIVILEGES FOR ROLE second_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The ledgers: only the owner reads and writes them (second-admin migrate
-- as the admin); no request role has any privilege on them.
ALTER TABLE second.schema_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.schema_migrations FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.schema_migrations FROM PUBLIC;
ALTER TABLE second.schema_repeatable ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.schema_repeatable FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.schema_repeatable FROM PUBLIC;

SELECT set_config('role', 'second_owner', true);

-- Every entity id: 24 lowercase hex digits, generated by the C code.
CREATE DOMAIN second.id AS text
    CHECK (VALUE ~ '^[0-9a-f]{24}$');

-------------------------------------------------------------------------------
-- Identity, workspaces and teams
-------------------------------------------------------------------------------

-- users (global): one row per person; a member sees the users of the
-- current workspace.
CREATE TABLE second.users (
	id               second.id PRIMARY KEY,
	display_name     text,
	email            text,
	-- lower(btrim(email)), the identity key in none mode
	email_normalized text UNIQUE,
	-- the provider's stable subject in external mode
	external_subject text,
	-- bumped to invalidate every session cookie of the user (logout)
	session_version  integer NOT NULL DEFAULT 1 CHECK (session_version > 0),
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_external_subject_key ON second.users (external_subject)
    WHERE external_subject IS NOT NULL;
ALTER TABLE second.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.users FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.users FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.users TO second_anon, second_provider;
GRANT SELECT, UPDATE ON second.users TO second_member;
GRANT SELECT ON second.users TO second_internal;

-- workspaces (global): a member sees every workspace they belong to.
CREATE TABLE second.workspaces (
	id                             second.id PRIMARY KEY,
	-- a slug is never 24 hex digits, so a reference is an id or a slug
	slug                           text NOT NULL UNIQUE
	    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'
	        AND slug !~ '^[0-9a-f]{24}$'),
	name                           text NOT NULL,
	external_organization_provider text,
	external_organization_id       text,
	created_at                     timestamptz NOT NULL DEFAULT now(),
	CHECK ((external_organization_provider IS NULL)
	    = (external_organization_id IS NULL))
);
CREATE UNIQUE INDEX workspaces_external_organization_key
    ON second.workspaces (external_organization_provider, external_organization_id)
    WHERE external_organization_id IS NOT NULL;
ALTER TABLE second.workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.workspaces FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.workspaces FROM PUBLIC;
GRANT SELECT, UPDATE ON second.workspaces TO second_member;
GRANT SELECT ON second.workspaces TO second_internal, second_provider;

-- workspace_memberships: the first tenant table, the one every
-- membership check reads.
CREATE TABLE second.workspace_memberships (
	workspace_id       second.id NOT NULL REFERENCES second.workspaces (id),
	user_id            second.id NOT NULL REFERENCES second.users (id),
	role               text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
	-- bumped on every role change (settings read models dedupe on it)
	membership_version integer NOT NULL DEFAULT 1 CHECK (membership_version > 0),
	created_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, user_id)
);
-- "my workspaces" (/api/me, the member's own-rows policy).
CREATE INDEX workspace_memberships_user_idx
    ON second.workspace_memberships (user_id, workspace_id);
ALTER TABLE second.workspace_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.workspace_memberships FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.workspace_memberships FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.workspace_memberships
    TO second_member, second_provider;
GRANT SELECT ON second.workspace_memberships TO second_internal;

-- teams: every workspace has exactly one default team, "General", created
-- with the workspace; it can be neither deleted nor stop being the default
-- (a trigger, repeatable/50_triggers.sql).
CREATE TABLE second.teams (
	workspace_id second.id NOT NULL REFERENCES second.workspaces (id),
	id           second.id NOT NULL,
	name         text NOT NULL CHECK (btrim(name) <> ''),
	is_default   boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX teams_name_key ON second.teams (workspace_id, lower(name));
CREATE UNIQUE INDEX teams_default_key ON second.teams (workspace_id) WHERE is_default;
ALTER TABLE second.teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.teams FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.teams FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.teams TO second_member;
GRANT SELECT ON second.teams TO second_internal, second_provider;

-- team_memberships: both references are composite, so a team membership
-- names a team and a member of its own workspace; removing a member or a
-- team removes them.
CREATE TABLE second.team_memberships (
	workspace_id second.id NOT NULL,
	team_id      second.id NOT NULL,
	user_id      second.id NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, team_id, user_id),
	FOREIGN KEY (workspace_id, team_id)
	    REFERENCES second.teams (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE
);
-- A member's teams; also serves the cascade from workspace_memberships.
CREATE INDEX team_memberships_user_idx
    ON second.team_memberships (workspace_id, user_id);
ALTER TABLE second.team_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.team_memberships FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.team_memberships FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.team_memberships TO second_member, second_provider;
GRANT SELECT ON second.team_memberships TO second_internal;

-------------------------------------------------------------------------------
-- Invitations, the audit log, the session key
-------------------------------------------------------------------------------

-- invitations: sent through the identity provider (external mode),
-- reconciled by provider sync through external_invitation_id.  At most one
-- pending invitation per normalized email and workspace.  Revoking sets
-- status 'revoked'; rows are never deleted by the API, so no role has DELETE.
CREATE TABLE second.invitations (
	workspace_id           second.id NOT NULL REFERENCES second.workspaces (id),
	id                     second.id NOT NULL,
	email                  text NOT NULL,
	-- lower(btrim(email))
	email_normalized       text NOT NULL,
	role                   text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
	status                 text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
	external_invitation_id text,
	-- global users table: no workspace_id to compose with
	invited_by_user_id     second.id REFERENCES second.users (id),
	created_at             timestamptz NOT NULL DEFAULT now(),
	updated_at             timestamptz NOT NULL DEFAULT now(),
	-- a 'pending' row past it is expired (the web tier sets it from
	-- invitation_ttl; the default is the option's default)
	expires_at             timestamptz NOT NULL DEFAULT now() + interval '14 days',
	PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX invitations_pending_email_key
    ON second.invitations (workspace_id, email_normalized) WHERE status = 'pending';
CREATE UNIQUE INDEX invitations_external_key
    ON second.invitations (workspace_id, external_invitation_id)
    WHERE external_invitation_id IS NOT NULL;
CREATE INDEX invitations_created_idx ON second.invitations (workspace_id, created_at, id);
ALTER TABLE second.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.invitations FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.invitations FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.invitations TO second_member, second_provider;
GRANT SELECT ON second.invitations TO second_internal;

-- audit_events: the append-only audit log.  Request roles get SELECT
-- and INSERT only, and a trigger refuses UPDATE, DELETE and TRUNCATE to
-- everyone (repeatable/50_triggers.sql).  A retention purge is a deliberate
-- DBA act: ALTER TABLE second.audit_events DISABLE TRIGGER USER, purge,
-- ENABLE again.  metadata is redacted by the writer (no secrets, no emails).
CREATE TABLE second.audit_events (
	workspace_id second.id NOT NULL REFERENCES second.workspaces (id),
	id           second.id NOT NULL,
	occurred_at  timestamptz NOT NULL DEFAULT now(),
	-- dot-delimited, e.g. member.role_changed
	event_name   text NOT NULL,
	-- apps, members, integrations, app_data, ...
	category     text NOT NULL,
	-- user, agent, worker, app, system; actor_id is a user id when a user
	actor_type   text NOT NULL,
	actor_id     text,
	-- platform, builder_agent, app_agent, worker, system, ...
	source       text NOT NULL,
	target_type  text,
	target_id    text,
	outcome      text NOT NULL
	    CHECK (outcome IN ('success', 'denial', 'failure', 'started', 'completed')),
	metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
	PRIMARY KEY (workspace_id, id)
);
-- Newest first, paginated by (occurred_at, id).
CREATE INDEX audit_events_occurred_idx
    ON second.audit_events (workspace_id, occurred_at DESC, id);
ALTER TABLE second.audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.audit_events FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.audit_events FROM PUBLIC;
GRANT SELECT, INSERT ON second.audit_events
    TO second_member, second_internal, second_provider;

-- session_keys: the none-mode session cookie key shared by all workers.
-- No request role reads it: only second.session_key_ensure(), called by
-- second_authenticator before it takes any request role.
CREATE TABLE second.session_keys (
	kid        integer PRIMARY KEY CHECK (kid > 0),
	key        bytea NOT NULL CHECK (length(key) = 32),
	created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE second.session_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.session_keys FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.session_keys FROM PUBLIC;

-------------------------------------------------------------------------------
-- Apps and their links
-------------------------------------------------------------------------------

-- apps: name, publish_status draft|in_review|published, the creator, the
-- draft and published snapshot summaries and agents.json payloads, and the
-- app's links (team_ids, collaborator_ids) that visibility reads.
CREATE TABLE second.apps (
	workspace_id          second.id NOT NULL REFERENCES second.workspaces (id),
	id                    second.id NOT NULL,
	name                  text NOT NULL
	    CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
	publish_status        text NOT NULL DEFAULT 'draft'
	    CHECK (publish_status IN ('draft', 'in_review', 'published')),
	-- global users table: the creator stays recorded after leaving
	created_by_user_id    second.id NOT NULL REFERENCES second.users (id),
	-- the draft snapshot (app_source_snapshots kind 'draft') summary
	draft_snapshot_id     second.id,
	draft_hash            text,
	draft_file_count      integer NOT NULL DEFAULT 0 CHECK (draft_file_count >= 0),
	draft_bytes           bigint NOT NULL DEFAULT 0 CHECK (draft_bytes >= 0),
	-- the published snapshot summary
	published_snapshot_id second.id,
	published_hash        text,
	published_file_count  integer NOT NULL DEFAULT 0 CHECK (published_file_count >= 0),
	published_bytes       bigint NOT NULL DEFAULT 0 CHECK (published_bytes >= 0),
	-- normalized agents.json of the draft (NULL: none) and the
	-- v1:<sha256 hex> hash of its canonical form
	draft_agents          jsonb CHECK (jsonb_typeof(draft_agents) = 'object'),
	draft_agents_hash     text CHECK (draft_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	-- the hash approved for the draft (NULL: not approved)
	approved_agents_hash  text CHECK (approved_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	published_agents      jsonb CHECK (jsonb_typeof(published_agents) = 'object'),
	published_agents_hash text CHECK (published_agents_hash ~ '^v1:[0-9a-f]{64}$'),
	created_at            timestamptz NOT NULL DEFAULT now(),
	updated_at            timestamptz NOT NULL DEFAULT now(),
	-- the team_id of every app_teams row and the user_id of every
	-- app_collaborators row, sorted, kept by triggers (repeatable/
	-- 50_triggers.sql); the apps policies read them from the row
	team_ids              text[] NOT NULL DEFAULT '{}',
	collaborator_ids      text[] NOT NULL DEFAULT '{}',
	-- the teams the next review request proposes (sorted ids)
	draft_team_ids        text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (workspace_id, id),
	CHECK ((draft_agents IS NULL) = (draft_agents_hash IS NULL)),
	CHECK ((published_agents IS NULL) = (published_agents_hash IS NULL))
);
-- Policy columns: the creator branch and the published branch.
CREATE INDEX apps_creator_idx ON second.apps (workspace_id, created_by_user_id);
CREATE INDEX apps_status_idx ON second.apps (workspace_id, publish_status);
ALTER TABLE second.apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.apps FORCE ROW LEVEL SECURITY;
-- Request roles write every column but the link arrays, which only the
-- triggers (as the owner) write.
REVOKE ALL ON second.apps FROM PUBLIC;
GRANT SELECT, DELETE ON second.apps TO second_member;
GRANT SELECT ON second.apps TO second_internal;
GRANT INSERT (workspace_id, id, name, publish_status, created_by_user_id,
              draft_snapshot_id, draft_hash, draft_file_count, draft_bytes,
              published_snapshot_id, published_hash, published_file_count,
              published_bytes, draft_agents, draft_agents_hash,
              approved_agents_hash, published_agents, published_agents_hash,
              created_at, updated_at, draft_team_ids),
      UPDATE (workspace_id, id, name, publish_status, created_by_user_id,
              draft_snapshot_id, draft_hash, draft_file_count, draft_bytes,
              published_snapshot_id, published_hash, published_file_count,
              published_bytes, draft_agents, draft_agents_hash,
              approved_agents_hash, published_agents, published_agents_hash,
              created_at, updated_at, draft_team_ids)
    ON second.apps TO second_member;

-- app_collaborators: explicit collaborators; the user reference is
-- composite to workspace_memberships, so removing a member removes their
-- collaborations.
CREATE TABLE second.app_collaborators (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	user_id      second.id NOT NULL,
	PRIMARY KEY (workspace_id, app_id, user_id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id)
	    REFERENCES second.workspace_memberships (workspace_id, user_id) ON DELETE CASCADE
);
-- A member's collaborations, by member: serves the cascade from
-- workspace_memberships when a member leaves.
CREATE INDEX app_collaborators_user_idx
    ON second.app_collaborators (workspace_id, user_id, app_id);
ALTER TABLE second.app_collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_collaborators FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.app_collaborators FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.app_collaborators TO second_member;
GRANT SELECT ON second.app_collaborators TO second_internal;

-- app_teams: the teams that see the published app; removing a team
-- removes it from every app.
CREATE TABLE second.app_teams (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	team_id      second.id NOT NULL,
	PRIMARY KEY (workspace_id, app_id, team_id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, team_id)
	    REFERENCES second.teams (workspace_id, id) ON DELETE CASCADE
);
-- A team's apps; also serves the cascade from teams.
CREATE INDEX app_teams_team_idx ON second.app_teams (workspace_id, team_id, app_id);
ALTER TABLE second.app_teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_teams FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.app_teams FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON second.app_teams TO second_member;
GRANT SELECT ON second.app_teams TO second_internal;

-------------------------------------------------------------------------------
-- What an app holds (removed with the app)
-------------------------------------------------------------------------------

-- app_source_snapshots: one row per (app, kind), kind draft or published;
-- files is a JSON object path -> text content, kept off the hot apps row.
-- id changes on every write.  No DELETE: deleting a file rewrites it.
CREATE TABLE second.app_source_snapshots (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('draft', 'published')),
	id           second.id NOT NULL,
	files        jsonb NOT NULL DEFAULT '{}'::jsonb
	    CHECK (jsonb_typeof(files) = 'object'),
	hash         text,
	file_count   integer NOT NULL DEFAULT 0 CHECK (file_count >= 0),
	bytes        bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, app_id, kind),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
ALTER TABLE second.app_source_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_source_snapshots FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.app_source_snapshots FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.app_source_snapshots TO second_member;
GRANT SELECT ON second.app_source_snapshots TO second_internal;

-- review_requests: a request to publish an app to target teams; at most
-- one pending per app.  A decision is an UPDATE of status; never deleted.
CREATE TABLE second.review_requests (
	workspace_id         second.id NOT NULL,
	id                   second.id NOT NULL,
	app_id               second.id NOT NULL,
	target_team_ids      second.id[] NOT NULL DEFAULT '{}',
	status               text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'approved', 'changes_requested', 'superseded')),
	-- global users table: kept after the user leaves
	requested_by_user_id second.id NOT NULL REFERENCES second.users (id),
	decided_by_user_id   second.id REFERENCES second.users (id),
	created_at           timestamptz NOT NULL DEFAULT now(),
	decided_at           timestamptz,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX review_requests_pending_key
    ON second.review_requests (workspace_id, app_id) WHERE status = 'pending';
-- An app's requests, newest first; also serves the cascade from apps.
CREATE INDEX review_requests_app_idx
    ON second.review_requests (workspace_id, app_id, created_at DESC);
ALTER TABLE second.review_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.review_requests FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.review_requests FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.review_requests TO second_member;
GRANT SELECT ON second.review_requests TO second_internal;

-- agent_config_approvals: an approved agents.json: its hash (v1:<sha256
-- hex> of the canonical form), the normalized payload, who approved it and
-- when.  Never changed.
CREATE TABLE second.agent_config_approvals (
	workspace_id        second.id NOT NULL,
	id                  second.id NOT NULL,
	app_id              second.id NOT NULL,
	hash                text NOT NULL CHECK (hash ~ '^v1:[0-9a-f]{64}$'),
	payload             jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
	approved_by_user_id second.id NOT NULL REFERENCES second.users (id),
	approved_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's approvals, newest first; also serves the cascade from apps.
CREATE INDEX agent_config_approvals_app_idx
    ON second.agent_config_approvals (workspace_id, app_id, approved_at DESC);
ALTER TABLE second.agent_config_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.agent_config_approvals FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.agent_config_approvals FROM PUBLIC;
GRANT SELECT, INSERT ON second.agent_config_approvals TO second_member;
GRANT SELECT ON second.agent_config_approvals TO second_internal;

-- builder_runs: a builder-agent conversation on an app's draft.
CREATE TABLE second.builder_runs (
	workspace_id       second.id NOT NULL,
	id                 second.id NOT NULL,
	app_id             second.id NOT NULL,
	status             text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'streaming', 'completed', 'failed')),
	messages           jsonb NOT NULL DEFAULT '[]'::jsonb
	    CHECK (jsonb_typeof(messages) = 'array'),
	usage              jsonb,
	-- global users table: kept after the user leaves
	created_by_user_id second.id NOT NULL REFERENCES second.users (id),
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's runs, newest first; also serves the cascade from apps.
CREATE INDEX builder_runs_app_idx
    ON second.builder_runs (workspace_id, app_id, created_at DESC);
ALTER TABLE second.builder_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.builder_runs FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.builder_runs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON second.builder_runs TO second_member;
GRANT SELECT ON second.builder_runs TO second_internal;

-- agent_runs: a run of one of the app's agents (who triggered it, which
-- source version, the prompt, the result); the agent worker completes it.
CREATE TABLE second.agent_runs (
	workspace_id         second.id NOT NULL,
	id                   second.id NOT NULL,
	app_id               second.id NOT NULL,
	agent_id             text NOT NULL CHECK (agent_id <> ''),
	-- global users table: kept after the user leaves
	triggered_by_user_id second.id NOT NULL REFERENCES second.users (id),
	source_version       text NOT NULL DEFAULT 'published'
	    CHECK (source_version IN ('draft', 'published')),
	prompt               text NOT NULL,
	status               text NOT NULL DEFAULT 'pending'
	    CHECK (status IN ('pending', 'running', 'streaming', 'completed', 'failed')),
	result               jsonb,
	usage                jsonb,
	created_at           timestamptz NOT NULL DEFAULT now(),
	updated_at           timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE
);
-- An app's runs, newest first; also serves the cascade from apps.
CREATE INDEX agent_runs_app_idx
    ON second.agent_runs (workspace_id, app_id, created_at DESC);
ALTER TABLE second.agent_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.agent_runs FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.agent_runs FROM PUBLIC;
GRANT SELECT, INSERT ON second.agent_runs TO second_member;
GRANT SELECT, UPDATE ON second.agent_runs TO second_internal;

-- app_data: one JSON object per (app, scope, collection, id).  Scope
-- 'published' is the published app's data, 'draft' that of draft previews
-- and draft agent runs, so a draft never touches live data.
CREATE TABLE second.app_data (
	workspace_id second.id NOT NULL,
	app_id       second.id NOT NULL,
	scope        text NOT NULL CHECK (scope IN ('draft', 'published')),
	collection   text NOT NULL CHECK (collection ~ '^[A-Za-z0-9_-]{1,64}$'),
	id           second.id NOT NULL,
	data         jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workspace_id, app_id, scope, collection, id),
	FOREIGN KEY (workspace_id, app_id)
	    REFERENCES second.apps (workspace_id, id) ON DELETE CASCADE,
	-- at most 256 KiB as served (data::text), whatever merges a writer
	-- makes; the web tier answers 413 first
	CONSTRAINT app_data_size CHECK (octet_length(data::text) <= 262144)
);
-- The primary key serves the policies (workspace_id, app_id, scope), a
-- collection in id order, and the cascade from apps.
ALTER TABLE second.app_data ENABLE ROW LEVEL SECURITY;
ALTER TABLE second.app_data FORCE ROW LEVEL SECURITY;
REVOKE ALL ON second.app_data FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.app_data TO second_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON second.app_data TO second_internal;
