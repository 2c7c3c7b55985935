import * as core from "@actions/core";
import { codeSpan } from "../core/render/codeSpan.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionOctokit } from "./actionOctokit.js";
import { annotate } from "./annotate.js";
import { checkPullRequestInCheckout } from "./checkPullRequestInCheckout.js";
import { PULL_REQUEST_ACTIONS } from "./pullRequestEvent.js";
import { readEvent } from "./readEvent.js";
import { SAVED_REPORT_SCHEMA } from "../core/readiness/savedPullRequestReport.js";
import { publishReadiness } from "./setReadinessOutputs.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";

/** `pull_request`: readiness of head vs base, one sticky comment, summary, annotations, outputs. */
export async function pullRequestCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const event = await readEvent(env, "pull_request");
  if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(event.action)) {
    core.info(`pull_request.${event.action} changes no file: nothing to check (runs on ${PULL_REQUEST_ACTIONS.join(", ")})`);
    return;
  }
  if (!inputs.token && !event.readOnly) core.warning("no token given: the report goes to the job summary only");
  const octokit = inputs.token ? actionOctokit(inputs, env) : null;

  const result = await checkPullRequestInCheckout({
    workspace: inputs.workspace,
    event,
    octokit,
    mode: inputs.comment,
    identity: inputs.identity,
    configPath: inputs.config,
    projectDirs: inputs.projectDirs,
    dimension: inputs.dimension,
    log: { info: core.info, warn: core.warning, debug: core.debug },
  });

  // The saved report is what a `workflow_run` job posts for a fork: data, never Markdown, so the
  // poster renders it again with its own escaping.
  const reportPath = await writeReportFile(env.runnerTemp, "pull-request-readiness.json", {
    schema: SAVED_REPORT_SCHEMA,
    pullRequest: { number: event.number, baseSha: event.baseSha, headSha: event.headSha },
    changed: result.changed,
    diffs: result.diffs,
  });
  core.setOutput("newly-ready", JSON.stringify(result.diffs.flatMap((d) => d.newlyReady.map((m) => ({ project: d.project.dir, name: m.name, file: m.file, dimension: m.dimension })))));
  annotate(result.diffs, inputs.workspace, env.repositoryRoot);
  publishReadiness(result.reports, reportPath);

  const comment = result.comment;
  let note = "";
  core.setOutput("comment-action", "result" in comment ? comment.result.action : "skipped");
  if (comment.decision === "read-only") {
    note = `> **Not posted:** ${codeSpan(event.readOnly ?? "no token")}. The report is saved at the \`report-path\` output for a \`workflow_run\` job to post.\n\n`;
  } else if ("result" in comment) {
    const { action, url, message } = comment.result;
    if (action === "forbidden") {
      core.warning(`could not write the PR comment: ${message}`);
      note = "> **Not posted:** the token may not comment on this pull request (it needs `pull-requests: write`).\n\n";
    } else {
      core.info(`PR comment: ${action}${url ? ` (${url})` : ""}`);
    }
  }
  await writeJobSummary(note + result.summary);
}
