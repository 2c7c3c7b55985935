import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderPauseReport } from "../core/pause/renderPauseReport.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { openPausePullRequest } from "../usecases/openPausePullRequest.js";
import { actionDbt } from "./actionDbt.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionIdentity, actionOctokit } from "./actionOctokit.js";
import { logFenced } from "./fencedLog.js";
import { checkoutAtExpectedCommit } from "./expectedCommit.js";
import { pullRequestFlowInput } from "./pullRequestFlowInput.js";
import { readEvent } from "./readEvent.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";

/**
 * `command: pause` (a `/unskip pause <dim> <models>` dispatched by the bot): the pause is proven with
 * a real dbt parse and opened as a pull request against the default branch, as restores are.
 */
export async function pauseCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const dimension = inputs.dimension;
  if (!dimension) throw new UserError("input 'dimension' is required with command 'pause'");
  if (!inputs.token) throw new UserError("input 'token' is empty: a pause pull request needs a token with contents and pull-requests write");
  const event = await readEvent(env, "repository");
  const head = await checkoutAtExpectedCommit(inputs.workspace, inputs.expectedSha, "ask again");
  const octokit = actionOctokit(inputs, env);
  const identity = await actionIdentity(octokit, inputs);
  const config = await loadConfig(createDiskFileSource(inputs.workspace), inputs.config, { projectDirs: inputs.projectDirs, branchPrefix: inputs.branchPrefix });
  const dbt = await actionDbt(inputs, { announce: true, signal: env.cancelled });
  const result = await openPausePullRequest({ ...pullRequestFlowInput(inputs, { event, head, octokit, identity, config, dbt }), dimension, models: inputs.models });
  core.setOutput("pause-pr", JSON.stringify({ dimension, pr: result.pr, action: result.action, branch: result.branch }));
  core.setOutput("report-path", await writeReportFile(env.runnerTemp, "pause.json", { schema: "dbt-unskip/pause@1", pause: result }));
  const report = result.outcome ? renderPauseReport(result.outcome) : "";
  logFenced(report);
  await writeJobSummary(`## dbt-unskip: pause ${dimension}\n\n${result.action}${result.pr ? ` (#${result.pr})` : ""}${result.error ? `: ${result.error}` : ""}\n\n\`\`\`\n${report.replace(/```/g, "'''")}\`\`\`\n`);
  if (result.action === "failed" || result.action === "human-commits") core.setFailed(`${dimension}: ${result.error}`);
  else if (result.action === "base-moved") core.warning(`${dimension}: ${result.error}`);
}
