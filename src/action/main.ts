import * as core from "@actions/core";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { UserError } from "../core/userError.js";
import { readActionEnvironment, readActionInputs } from "./actionInputs.js";
import { cancelledReport, watchCancellation } from "./cancellation.js";
import { postSavedReportCommand } from "./postSavedReportCommand.js";
import { dashboardCommand } from "./dashboardCommand.js";
import { runCommand } from "./runCommand.js";
import { pauseCommand } from "./pauseCommand.js";
import { planCommand } from "./planCommand.js";
import { pullRequestCommand } from "./pullRequestCommand.js";
import { restoreCommand } from "./restoreCommand.js";
import { statusCommand } from "./statusCommand.js";
import { verifyCommand } from "./verifyCommand.js";
import { writeJobSummary } from "./writeJobSummary.js";

/** The Action entry: inputs and the runner's environment read once, then one path per event. */
async function run(cancelled: AbortSignal): Promise<void> {
  const inputs = readActionInputs();
  const env = { ...readActionEnvironment(), cancelled };
  // The commands that stop on the signal (dbt stopped, a tree change undone, nothing pushed after
  // it) run on after a cancel until they have; any other ends at once, as before.
  stopsOnCancel = ["restore", "pause", "plan", "verify", "run"].includes(inputs.command) || (inputs.command === "auto" && env.eventName === "push");
  if (inputs.command === "restore") return restoreCommand(inputs, env);
  if (inputs.command === "pause") return pauseCommand(inputs, env);
  if (inputs.command === "plan") return planCommand(inputs, env);
  if (inputs.command === "verify") return verifyCommand(inputs, env);
  // Changes the warehouse: gated inside (a manual dispatch, `confirm`, the default branch).
  if (inputs.command === "run") return runCommand(inputs, env);
  if (inputs.command === "rollback") {
    // Dropping relations and re-skipping models is for a person at a terminal, with the plan in view.
    throw new UserError(
      `rollback is not run from a workflow: on a checkout of the branch, run \`dbt-unskip rollback --dimension ${inputs.dimension}\` (it shows the plan and asks before dropping anything), or close the restore pull request before it is merged`,
    );
  }
  if (inputs.command === "auto") {
    if (env.eventName === "pull_request") return pullRequestCommand(inputs, env);
    if (env.eventName === "workflow_run" && inputs.savedReport) return postSavedReportCommand({ ...inputs, savedReport: inputs.savedReport }, env);
    if (env.eventName === "push") return restoreCommand(inputs, env);
    if (env.eventName === "schedule" || env.eventName === "workflow_dispatch") return dashboardCommand(inputs, env);
  }
  if (inputs.command === "status" && (env.eventName === "schedule" || env.eventName === "workflow_dispatch")) return dashboardCommand(inputs, env);
  return statusCommand(inputs, env);
}

// A cancelled workflow run (SIGINT, then SIGTERM) is said as a cancellation, whatever the command
// made of dbt being stopped: never as a failure of the models or an internal error.
let stopsOnCancel = false;
const cancellation = watchCancellation(core.warning, process, (signal) => {
  if (!stopsOnCancel) void sayCancelled(signal).finally(() => process.exit(1));
});
const sayCancelled = async (signal: NodeJS.Signals) => {
  const report = cancelledReport(signal, core.getInput("command") || "auto", stopsOnCancel);
  core.setFailed(report.error);
  await writeJobSummary(report.summary).catch(() => undefined);
};
run(cancellation.signal)
  .then(async () => {
    const signal = cancellation.received();
    if (signal !== null) await sayCancelled(signal);
  })
  .catch(async (error: unknown) => {
    const signal = cancellation.received();
    if (signal !== null) return sayCancelled(signal);
    // Problems the user can act on are one clear line; anything else is a bug, with its stack.
    const clear = error instanceof UserError || error instanceof GitHubApiError;
    core.setFailed(clear ? error.message : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  })
  .finally(() => cancellation.dispose());
