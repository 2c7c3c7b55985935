import * as core from "@actions/core";
import { findDbt } from "../adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { gitRemote } from "../adapters/git/gitRemote.js";
import { restorePullRequests } from "../adapters/github/restorePullRequests.js";
import { renderPauseReport } from "../core/pause/renderPauseReport.js";
import { secretValues } from "../core/warehouseRun/secretValues.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { openPausePullRequest } from "../usecases/openPausePullRequest.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionIdentity, actionOctokit } from "./actionOctokit.js";
import { logFenced } from "./fencedLog.js";
import { checkoutAtExpectedCommit } from "./expectedCommit.js";
import { readEvent } from "./readEvent.js";
import { writeReportFile } from "./writeReportFile.js";

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
  const dbt = await findDbt({ explicit: inputs.dbt.command, repoRoot: inputs.workspace });
  core.info(`dbt ${dbt.version} at ${dbt.command}`);
  const result = await openPausePullRequest({
    root: inputs.workspace,
    config,
    dimension,
    models: inputs.models,
    baseBranch: event.defaultBranch,
    baseCommit: head,
    dbt,
    dbtOptions: { profilesDir: inputs.dbt.profilesDir, target: inputs.dbt.target, extraEnv: inputs.dbt.env },
    prs: restorePullRequests(octokit, { owner: event.owner, repo: event.repo }, identity),
    remote: gitRemote(inputs.workspace),
    today: new Date().toISOString().slice(0, 10),
    timeoutMs: inputs.dbt.timeoutMs,
    progress: (line) => logFenced(line),
    secrets: secretValues(process.env, inputs.dbt.env),
  });
  core.setOutput("pause-pr", JSON.stringify({ dimension, pr: result.pr, action: result.action, branch: result.branch }));
  core.setOutput("report-path", await writeReportFile(env.runnerTemp, "pause.json", { schema: "dbt-unskip/pause@1", pause: result }));
  const report = result.outcome ? renderPauseReport(result.outcome) : "";
  logFenced(report);
  await core.summary
    .addRaw(`## dbt-unskip: pause ${dimension}\n\n${result.action}${result.pr ? ` (#${result.pr})` : ""}${result.error ? `: ${result.error}` : ""}\n\n\`\`\`\n${report.replace(/```/g, "'''")}\`\`\`\n`)
    .write();
  if (result.action === "failed" || result.action === "human-commits") core.setFailed(`${dimension}: ${result.error}`);
  else if (result.action === "base-moved") core.warning(`${dimension}: ${result.error}`);
}
