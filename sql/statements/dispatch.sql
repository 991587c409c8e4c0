-- dispatch.sql: the dispatcher's statements (src/dispatch.c), run as
-- second_dispatcher, which reaches the runs only through the SECURITY
-- DEFINER functions of sql/repeatable/90_dispatch.sql.  File format:
-- scripts/stmtgen.awk.

-- Listen for new runs (effective when the transaction commits).
-- name: dispatch_listen
-- role: second_dispatcher
-- params: none
-- returns: listening
-- policy: definer second.dispatch_listen
SELECT second.dispatch_listen() AS listening;

-- Claim due runs of every workspace (a lease: each moves to its next
-- attempt by the backoff).
-- name: dispatch_claim
-- role: second_dispatcher
-- params: $1 int at most this many agent runs and as many builder runs
-- returns: kind, workspace_id, app_id, run_id, attempt, source_version,
--   agent_id, prompt, system_prompt, agent_config, allowed_tools, messages
-- policy: definer second.dispatch_claim
SELECT c.kind, c.workspace_id, c.app_id, c.run_id, c.attempt,
       c.source_version, c.agent_id, c.prompt, c.system_prompt,
       c.agent_config, c.allowed_tools, c.messages
  FROM second.dispatch_claim($1::int) c;

-- A delivery's outcome: delivered, or the class of its failure.
-- name: dispatch_done
-- role: second_dispatcher
-- params: $1 text workspace id; $2 text run id; $3 text kind ("agent",
--   "builder"); $4 bool delivered; $5 text error class or NULL
-- returns: updated
-- policy: definer second.dispatch_done
SELECT second.dispatch_done($1, $2, $3, $4::bool, $5) AS updated;

-- Milliseconds until the next pending run is due; NULL when none is.
-- name: dispatch_next_due
-- role: second_dispatcher
-- params: none
-- returns: ms
-- policy: definer second.dispatch_next_due
SELECT second.dispatch_next_due() AS ms;
