import * as core from "@actions/core";
import { UserError } from "../core/userError.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionOctokit } from "./actionOctokit.js";
import { postSavedReport } from "./postSavedReport.js";
import { readSavedReport } from "./readSavedReport.js";
import { readEvent } from "./readEvent.js";

/** `workflow_run` with `saved-report`: post a fork PR's saved report on that PR (no checkout needed). */
export async function postSavedReportCommand(inputs: ActionInputs & { savedReport: string }, env: ActionEnvironment): Promise<void> {
  if (!inputs.token) throw new UserError("input 'token' is empty: posting a saved report needs a token that may comment");
  const event = await readEvent(env, "workflow_run");
  const report = await readSavedReport(inputs.savedReport, env.runnerTemp);
  const octokit = actionOctokit(inputs, env);
  const outcome = await postSavedReport({ event, report, octokit, mode: inputs.comment, identity: inputs.identity, log: { info: core.info, warn: core.warning } });
  if (!outcome.posted) {
    core.setOutput("comment-action", "skipped");
    return;
  }
  const { action, url, message } = outcome.result;
  if (action === "forbidden") throw new UserError(`could not comment on PR #${outcome.number}: ${message}`);
  core.setOutput("comment-action", action);
  core.info(`PR #${outcome.number} comment: ${action}${url ? ` (${url})` : ""}`);
}
