-- 004_internal_scope.sql: what the internal API (second_internal) may
-- write to carry out runs.
--
-- Rule: the agent worker completes builder runs (builder-run-complete)
-- and opens repair runs (tool-failure-report), so second_internal gets
-- INSERT and UPDATE on builder_runs, as it already has UPDATE on
-- agent_runs.  Nothing else changes: no DELETE, no other table.
--
-- Why it is safe: the grants only say which commands the role may run;
-- the rows stay decided by the policies of repeatable/80_policies_apps.sql,
-- where every second_internal policy keys on both the workspace and the
-- app the call names (second.workspace_id and second.app_id, set from the
-- call's body in the transaction's first statement), so a call can reach
-- neither another workspace nor another app of its own workspace.

SELECT set_config('role', 'second_owner', true);

GRANT INSERT, UPDATE ON second.builder_runs TO second_internal;
