-- 006_run_reason.sql: why a builder run was opened, and why an agent run
-- failed.
--
-- Rule: builder_runs.run_reason says why the run exists when a person
-- did not start it: 'app_tool_failure' for a repair run the agent worker
-- asks for (POST /api/internal/tool-failure-report); NULL for a run a
-- builder started.  agent_runs.error holds the worker's short failure
-- text (POST /api/internal/agent-run-complete), at most 4096 bytes; NULL
-- until the run fails.
--
-- Why it is safe: two nullable columns without a default, so no row is
-- rewritten and no existing writer has to name them; their CHECKs hold
-- for every existing row (NULL).  No policy, grant or key changes: the
-- rows stay under the policies of repeatable/80_policies_apps.sql, keyed
-- on the workspace and, for second_internal, the app the call names.

SELECT set_config('role', 'second_owner', true);

ALTER TABLE second.builder_runs ADD COLUMN run_reason text
    CHECK (run_reason IN ('app_tool_failure'));
ALTER TABLE second.agent_runs ADD COLUMN error text
    CHECK (octet_length(error) BETWEEN 1 AND 4096);
