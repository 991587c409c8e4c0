-- 003_run_delivery.sql: agent runs and builder runs carry their delivery
-- to the agent worker, and a role to deliver them.
--
-- Rule: a run row is its own outbox entry (second-fcgi(8), "The dispatcher
-- and the agent worker").  delivery_state is pending until the dispatcher
-- has POSTed the run to WORKER_URL and the worker accepted it (delivered),
-- or the worker refused it for good (failed); delivery_attempts counts the
-- claims, next_attempt_at is when the dispatcher may claim it again (the
-- claim moves it forward by the backoff, so a dispatcher that dies with a
-- claimed run leaves it due again later: at least once), delivered_at when
-- it was accepted, last_delivery_error the class of the last failure (a
-- short word such as "unreachable"; never a response body, never a URL).
-- A partial index per table serves the claim (due pending runs, oldest
-- first).  second_dispatcher is the role the dispatcher switches to: it
-- holds no privilege on any table and reaches the runs only through the
-- SECURITY DEFINER functions of sql/repeatable/90_dispatch.sql, which read
-- every workspace's due runs and return only what the POST carries.
--
-- Why it is safe: the new columns have constant defaults (no table
-- rewrite) and no request role is granted anything new; second_dispatcher
-- is NOLOGIN and, like the other request roles, only
-- second_authenticator may switch to it.  Runs that exist when this runs
-- were created before any delivery existed: they are marked failed
-- ("predates_dispatch") rather than sent to a worker in one burst, long
-- after their user gave up on them; an operator who wants them sent sets
-- them back to pending.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
	                WHERE rolname = 'second_dispatcher') THEN
		CREATE ROLE second_dispatcher NOLOGIN;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles
	            WHERE rolname = 'second_dispatcher'
	              AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
	                   OR rolreplication OR rolcanlogin OR NOT rolinherit)) THEN
		ALTER ROLE second_dispatcher NOSUPERUSER NOBYPASSRLS NOCREATEROLE
		    NOCREATEDB NOREPLICATION NOLOGIN INHERIT;
	END IF;
	IF NOT EXISTS (SELECT 1
	                 FROM pg_catalog.pg_auth_members m
	                 JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
	                 JOIN pg_catalog.pg_roles u ON u.oid = m.member
	                WHERE g.rolname = 'second_dispatcher'
	                  AND u.rolname = 'second_authenticator') THEN
		GRANT second_dispatcher TO second_authenticator;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA second TO second_dispatcher;

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.agent_runs
    ADD COLUMN delivery_state text NOT NULL DEFAULT 'failed'
	CHECK (delivery_state IN ('pending', 'delivered', 'failed')),
    ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0
	CHECK (delivery_attempts >= 0),
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN last_delivery_error text DEFAULT 'predates_dispatch'
	CHECK (last_delivery_error ~ '^[a-z_]{1,32}$');
ALTER TABLE second.agent_runs
    ALTER COLUMN delivery_state SET DEFAULT 'pending',
    ALTER COLUMN last_delivery_error SET DEFAULT NULL;

ALTER TABLE second.builder_runs
    ADD COLUMN delivery_state text NOT NULL DEFAULT 'failed'
	CHECK (delivery_state IN ('pending', 'delivered', 'failed')),
    ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0
	CHECK (delivery_attempts >= 0),
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN last_delivery_error text DEFAULT 'predates_dispatch'
	CHECK (last_delivery_error ~ '^[a-z_]{1,32}$');
ALTER TABLE second.builder_runs
    ALTER COLUMN delivery_state SET DEFAULT 'pending',
    ALTER COLUMN last_delivery_error SET DEFAULT NULL;

-- The claim: due pending runs of every workspace, oldest due first.
CREATE INDEX agent_runs_delivery_due_idx
    ON second.agent_runs (next_attempt_at) WHERE delivery_state = 'pending';
CREATE INDEX builder_runs_delivery_due_idx
    ON second.builder_runs (next_attempt_at) WHERE delivery_state = 'pending';
