-- repeatable/90_dispatch.sql: delivery of runs to the agent worker.
--
-- Rule: the dispatcher (src/dispatch.c) runs as second_dispatcher, which
-- holds no table privilege at all; it reaches the runs of every workspace
-- only through these functions, each SECURITY DEFINER (as second_owner,
-- search_path pinned, EXECUTE for second_dispatcher alone):
--   second.dispatch_listen()       LISTEN second_runs on the session
--   second.dispatch_claim(n)       at most n due pending agent runs and n
--                                  builder runs, locked FOR UPDATE SKIP
--                                  LOCKED (two dispatchers never claim one
--                                  run), each moved to its next attempt by
--                                  the backoff (2^attempts s, at most
--                                  300 s): a claim is a lease, a dispatcher
--                                  that dies leaves the run due again
--   second.dispatch_done(ws, run, kind, ok, error_class)
--                                  delivered, or the failure's class; the
--                                  class "refused" (the worker answered a
--                                  4xx other than 408 and 429) is final:
--                                  delivery failed and a run still pending
--                                  fails
--   second.dispatch_next_due()     milliseconds until the next pending run
--                                  is due (0: now; NULL: none)
-- The claim returns what the POST carries and nothing else: ids, the
-- prompt or the messages, the source version, the agent's entry of the
-- approved agents.json payload of that version (published: the published
-- payload; draft: the draft payload only while its hash is the approved
-- one, else NULL), its enabled tools' names and its system prompt.  No
-- credential, secret, session or user detail is read.
-- The trigger runs_notify sends pg_notify('second_runs', workspace id)
-- after each inserted run; PostgreSQL delivers a notification only when
-- the inserting transaction commits, so a rolled-back run wakes nobody.
--
-- Why it is safe: the functions are the dispatcher's whole reach; they take
-- no workspace from a request and write only the delivery columns (and the
-- status of a run the worker refused); a request role cannot call them.
--
-- Repeatable file: second-admin migrate runs it again whenever its text
-- changes (CREATE OR REPLACE, policies dropped and created again).

SELECT set_config('role', 'second_owner', true);

-- The definer functions below read and update every workspace's runs.
DROP POLICY IF EXISTS owner_all ON second.agent_runs;
CREATE POLICY owner_all ON second.agent_runs TO second_owner
    USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS owner_all ON second.builder_runs;
CREATE POLICY owner_all ON second.builder_runs TO second_owner
    USING (true) WITH CHECK (true);

CREATE OR REPLACE FUNCTION second.runs_notify() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
	PERFORM pg_notify('second_runs', NEW.workspace_id);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION second.runs_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER agent_runs_notify AFTER INSERT ON second.agent_runs
    FOR EACH ROW EXECUTE FUNCTION second.runs_notify();
CREATE OR REPLACE TRIGGER builder_runs_notify AFTER INSERT ON second.builder_runs
    FOR EACH ROW EXECUTE FUNCTION second.runs_notify();

CREATE OR REPLACE FUNCTION second.dispatch_listen() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
BEGIN
	LISTEN second_runs;
	RETURN true;
END
$$;
REVOKE ALL ON FUNCTION second.dispatch_listen() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.dispatch_listen() TO second_dispatcher;

-- The approved agents payload of (app row, version), or NULL.
CREATE OR REPLACE FUNCTION second.dispatch_payload(p_app second.apps,
    p_version text)
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
    AS $$
SELECT CASE WHEN p_version = 'published' THEN p_app.published_agents
            WHEN p_app.draft_agents_hash = p_app.approved_agents_hash
                THEN p_app.draft_agents END
$$;
REVOKE ALL ON FUNCTION second.dispatch_payload(second.apps, text) FROM PUBLIC;

-- The entry of agent p_agent in payload p, or NULL.
CREATE OR REPLACE FUNCTION second.dispatch_agent(p jsonb, p_agent text)
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
    AS $$
SELECT e FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p -> 'agents') = 'array'
                                        THEN p -> 'agents' ELSE '[]' END) e
 WHERE e ->> 'id' = p_agent
 LIMIT 1
$$;
REVOKE ALL ON FUNCTION second.dispatch_agent(jsonb, text) FROM PUBLIC;

-- The names of the enabled tools of agent entry a (an array, maybe empty).
CREATE OR REPLACE FUNCTION second.dispatch_tools(a jsonb)
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
    AS $$
SELECT coalesce(jsonb_agg(t -> 'name'), '[]')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(a -> 'tools') = 'array'
                                 THEN a -> 'tools' ELSE '[]' END) t
 WHERE jsonb_typeof(t -> 'name') = 'string'
   AND (t -> 'enabled') IS DISTINCT FROM 'false'::jsonb
$$;
REVOKE ALL ON FUNCTION second.dispatch_tools(jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION second.dispatch_claim(n integer)
    RETURNS TABLE (kind text, workspace_id text, app_id text, run_id text,
        attempt integer, source_version text, agent_id text, prompt text,
        system_prompt text, agent_config text, allowed_tools text,
        messages text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
BEGIN
	-- A run that ended before it was delivered (stopped, failed) is not
	-- sent any more.  Only due ones: a run claimed and in flight is not
	-- due, and its dispatcher records its outcome.
	UPDATE second.agent_runs r
	   SET delivery_state = 'failed', last_delivery_error = 'run_ended'
	 WHERE r.delivery_state = 'pending' AND r.next_attempt_at <= now()
	   AND r.status IN ('completed', 'failed');
	UPDATE second.builder_runs r
	   SET delivery_state = 'failed', last_delivery_error = 'run_ended'
	 WHERE r.delivery_state = 'pending' AND r.next_attempt_at <= now()
	   AND r.status IN ('completed', 'failed');

	RETURN QUERY
	WITH due AS (
		SELECT r.workspace_id, r.id
		  FROM second.agent_runs r
		 WHERE r.delivery_state = 'pending' AND r.next_attempt_at <= now()
		 ORDER BY r.next_attempt_at
		 LIMIT greatest(n, 0)
		   FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE second.agent_runs r
		   SET delivery_attempts = r.delivery_attempts + 1,
		       next_attempt_at = now() + make_interval(secs =>
		           least(300, power(2, least(r.delivery_attempts, 16))))
		  FROM due
		 WHERE r.workspace_id = due.workspace_id AND r.id = due.id
		RETURNING r.*
	)
	SELECT 'agent'::text, c.workspace_id::text, c.app_id::text, c.id::text,
	       c.delivery_attempts, c.source_version, c.agent_id, c.prompt,
	       g.a ->> 'systemPrompt', g.a::text,
	       second.dispatch_tools(g.a)::text, NULL::text
	  FROM claimed c
	  JOIN second.apps ap ON ap.workspace_id = c.workspace_id AND ap.id = c.app_id
	  CROSS JOIN LATERAL (SELECT second.dispatch_agent(
	      second.dispatch_payload(ap, c.source_version), c.agent_id) AS a) g;

	RETURN QUERY
	WITH due AS (
		SELECT r.workspace_id, r.id
		  FROM second.builder_runs r
		 WHERE r.delivery_state = 'pending' AND r.next_attempt_at <= now()
		 ORDER BY r.next_attempt_at
		 LIMIT greatest(n, 0)
		   FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE second.builder_runs r
		   SET delivery_attempts = r.delivery_attempts + 1,
		       next_attempt_at = now() + make_interval(secs =>
		           least(300, power(2, least(r.delivery_attempts, 16))))
		  FROM due
		 WHERE r.workspace_id = due.workspace_id AND r.id = due.id
		RETURNING r.*
	)
	SELECT 'builder'::text, c.workspace_id::text, c.app_id::text, c.id::text,
	       c.delivery_attempts, 'draft'::text, NULL::text, NULL::text,
	       NULL::text, NULL::text, NULL::text, c.messages::text
	  FROM claimed c;
END
$$;
REVOKE ALL ON FUNCTION second.dispatch_claim(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.dispatch_claim(integer) TO second_dispatcher;

CREATE OR REPLACE FUNCTION second.dispatch_done(p_ws text, p_run text,
    p_kind text, p_ok boolean, p_error text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
	v_final boolean := NOT p_ok AND p_error = 'refused';
	v_n     integer;
BEGIN
	IF p_kind = 'agent' THEN
		UPDATE second.agent_runs r
		   SET delivery_state = CASE WHEN p_ok THEN 'delivered'
		                             WHEN v_final THEN 'failed'
		                             ELSE r.delivery_state END,
		       delivered_at = CASE WHEN p_ok THEN now() ELSE r.delivered_at END,
		       last_delivery_error = CASE WHEN p_ok THEN NULL ELSE p_error END,
		       status = CASE WHEN v_final AND r.status = 'pending' THEN 'failed'
		                     ELSE r.status END
		 WHERE r.workspace_id = p_ws AND r.id = p_run
		   AND r.delivery_state = 'pending';
	ELSIF p_kind = 'builder' THEN
		UPDATE second.builder_runs r
		   SET delivery_state = CASE WHEN p_ok THEN 'delivered'
		                             WHEN v_final THEN 'failed'
		                             ELSE r.delivery_state END,
		       delivered_at = CASE WHEN p_ok THEN now() ELSE r.delivered_at END,
		       last_delivery_error = CASE WHEN p_ok THEN NULL ELSE p_error END,
		       status = CASE WHEN v_final AND r.status = 'pending' THEN 'failed'
		                     ELSE r.status END
		 WHERE r.workspace_id = p_ws AND r.id = p_run
		   AND r.delivery_state = 'pending';
	ELSE
		RAISE EXCEPTION 'dispatch_done: unknown kind' USING ERRCODE = '22023';
	END IF;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n = 1;
END
$$;
REVOKE ALL ON FUNCTION second.dispatch_done(text, text, text, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.dispatch_done(text, text, text, boolean, text)
    TO second_dispatcher;

CREATE OR REPLACE FUNCTION second.dispatch_next_due()
    RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
SELECT CASE WHEN min(t.at) IS NOT NULL THEN
           greatest(0, ceil(extract(epoch FROM min(t.at) - clock_timestamp()) * 1000))::bigint
       END
  FROM (SELECT min(next_attempt_at) AS at FROM second.agent_runs
         WHERE delivery_state = 'pending'
        UNION ALL
        SELECT min(next_attempt_at) FROM second.builder_runs
         WHERE delivery_state = 'pending') t
$$;
REVOKE ALL ON FUNCTION second.dispatch_next_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION second.dispatch_next_due() TO second_dispatcher;
