import * as core from "@actions/core";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { UserError } from "../core/userError.js";
import { readActionEnvironment, readActionInputs } from "./actionInputs.js";
import { runPostSavedReport } from "./runPostSavedReport.js";
import { runDashboard } from "./runDashboard.js";
import { runMigration } from "./runMigration.js";
import { runPausePullRequest } from "./runPausePullRequest.js";
import { runPlan } from "./runPlan.js";
import { runPullRequest } from "./runPullRequest.js";
import { runRestorePullRequests } from "./runRestorePullRequests.js";
import { runStatus } from "./runStatus.js";
import { runVerify } from "./runVerify.js";

/** The Action entry: inputs and the runner's environment read once, then one path per event. */
async function run(): Promise<void> {
  const inputs = readActionInputs();
  const env = readActionEnvironment();
  if (inputs.command === "restore") return runRestorePullRequests(inputs, env);
  if (inputs.command === "pause") return runPausePullRequest(inputs, env);
  if (inputs.command === "plan") return runPlan(inputs, env);
  if (inputs.command === "verify") return runVerify(inputs, env);
  // Changes the warehouse: gated inside (a manual dispatch, `confirm`, the default branch).
  if (inputs.command === "run") return runMigration(inputs, env);
  if (inputs.command === "rollback") {
    // Dropping relations and re-skipping models is for a person at a terminal, with the plan in view.
    throw new UserError(
      `rollback is not run from a workflow: on a checkout of the branch, run \`dbt-unskip rollback --dimension ${inputs.dimension}\` (it shows the plan and asks before dropping anything), or close the restore pull request before it is merged`,
    );
  }
  if (inputs.command === "auto") {
    if (env.eventName === "pull_request") return runPullRequest(inputs, env);
    if (env.eventName === "workflow_run" && inputs.savedReport) return runPostSavedReport({ ...inputs, savedReport: inputs.savedReport }, env);
    if (env.eventName === "push") return runRestorePullRequests(inputs, env);
    if (env.eventName === "schedule" || env.eventName === "workflow_dispatch") return runDashboard(inputs, env);
  }
  if (inputs.command === "status" && (env.eventName === "schedule" || env.eventName === "workflow_dispatch")) return runDashboard(inputs, env);
  return runStatus(inputs, env);
}

run().catch((error: unknown) => {
  // Problems the user can act on are one clear line; anything else is a bug, with its stack.
  const clear = error instanceof UserError || error instanceof GitHubApiError;
  core.setFailed(clear ? error.message : `internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
});
