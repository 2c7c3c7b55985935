import { dashboardSearchUrl } from "../core/render/repositoryFileUrl.js";
import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { gitCommitFileSource } from "../adapters/git/gitCommitFileSource.js";
import { WORKFLOW_TOKEN_LOGIN } from "../adapters/github/resolveIdentity.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { renderPlanForPullRequest } from "../core/plan/renderPlanForPullRequest.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { codeSpan } from "../core/render/codeSpan.js";
import { escapeHtml } from "../core/render/escapeHtml.js";
import { MERGE_MARKER } from "../core/render/renderMergeComment.js";
import { tableCell } from "../core/render/tableCell.js";
import type { RestoreOutcome } from "../core/restore/restoreOutcome.js";
import { redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import { UserError } from "../core/userError.js";
import { commentOnMergedPullRequest } from "../usecases/commentOnMergedPullRequest.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { planDimension } from "../usecases/planDimension.js";
import { syncRestorePullRequests, type ExtraSectionsContext, type SyncResult } from "../usecases/syncRestorePullRequests.js";
import { actionDbt } from "./actionDbt.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionIdentity, actionOctokit } from "./actionOctokit.js";
import { logFenced } from "./fencedLog.js";
import { checkoutAtExpectedCommit } from "./expectedCommit.js";
import { pullRequestFlowInput } from "./pullRequestFlowInput.js";
import { readEvent } from "./readEvent.js";
import { publishReadiness } from "./setReadinessOutputs.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";
import { localTreePorts } from "../adapters/localTreePorts.js";

/**
 * A merge to the default branch (or a dispatch with `command: restore`): restore pull requests per
 * dimension with ready models, stale ones closed, and optionally a comment on the merged PR saying
 * what it made ready.
 */
export async function restoreCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const event = await readEvent(env, "repository");
  if (event.ref !== null && event.ref !== `refs/heads/${event.defaultBranch}`) {
    core.info(`push to ${event.ref}, not to the default branch ${event.defaultBranch}: nothing to restore`);
    return;
  }
  if (!inputs.token) throw new UserError("input 'token' is empty: restore pull requests need a token with contents and pull-requests write");
  const head = await checkoutAtExpectedCommit(inputs.workspace, inputs.expectedSha, "ask again");
  const octokit = actionOctokit(inputs, env);
  const identity = await actionIdentity(octokit, inputs);
  const files = createDiskFileSource(inputs.workspace);
  const config = await loadConfig(files, inputs.config, { projectDirs: inputs.projectDirs, branchPrefix: inputs.branchPrefix });
  const { reports } = await computeStatus({ files, config });
  const dbt = await actionDbt(inputs, { announce: true, signal: env.cancelled });
  const { secrets } = dbt;
  const flow = pullRequestFlowInput(inputs, { event, head, octokit, identity, config, dbt });
  // The migration plan of each restore, for its PR body, made only when a PR is written (never on an
  // unchanged rerun): from the manifest of the restore's own last parse when that parse had exactly the
  // committed tree, else from one more `dbt parse` (a scratch copy of the restore branch).
  const planSections = async (outcome: RestoreOutcome, { room, proven }: ExtraSectionsContext): Promise<string[]> => {
    try {
      const plan = await planDimension({ ...localTreePorts, root: inputs.workspace, config, dimension: outcome.dimension, basis: "restored", dbt: dbt.context, secrets, progress: (line) => logFenced(line), proven });
      return [renderPlanForPullRequest(plan, { room })];
    } catch (error) {
      throw new Error(redactSecrets((error as Error).message, secrets));
    }
  };

  const results: { report: ReadinessReport; sync: SyncResult }[] = [];
  for (const report of reports) {
    if (inputs.dimension && !report.dimensions.some((d) => d.name === inputs.dimension)) continue;
    const sync = await syncRestorePullRequests({
      ...flow,
      report,
      dimension: inputs.dimension,
      models: inputs.models,
      workflowToken: identity === WORKFLOW_TOKEN_LOGIN,
      extraSections: planSections,
    });
    results.push({ report, sync });
  }
  if (inputs.dimension && results.length === 0) throw new UserError(`unknown dimension '${inputs.dimension}'`);

  const reportPath = await writeReportFile(env.runnerTemp, "restore.json", { schema: "dbt-unskip/restore@1", reports, restores: results.map((r) => r.sync) });
  const prs = results.flatMap((r) => r.sync.dimensions.map((d) => ({ project: r.report.project.dir, dimension: d.dimension, pr: d.pr, action: d.action, branch: d.branch })));
  core.setOutput("restore-prs", JSON.stringify(prs));
  publishReadiness(reports, reportPath);

  // A cancelled run comments nothing: the comment would name as failed what was only stopped.
  if (event.before && inputs.mergeComment && !/^0+$/.test(event.before) && !env.cancelled?.aborted) {
    const restorePrs = new Map(prs.filter((p) => p.pr !== null && p.action !== "failed" && p.action !== "nothing-restorable" && p.action !== "base-moved").map((p) => [p.dimension, p.pr!]));
    // A failed one is named as failed: the comment never says a pull request is coming when it is not.
    const failed = new Map(
      results
        .flatMap((r) => r.sync.dimensions)
        .filter((d) => d.action === "failed" || d.action === "nothing-restorable" || d.action === "base-moved")
        .map((d) => [d.dimension, d.action === "failed" ? (d.error ?? "failed") : d.action === "base-moved" ? "the default branch moved; the next run makes it" : "dbt rejected every ready model"]),
    );
    const before = event.before;
    // The dashboard by a search link: no extra API call, and the same text on every run.
    const dashboardUrl = dashboardSearchUrl(`${process.env.GITHUB_SERVER_URL ?? "https://github.com"}/${event.owner}/${event.repo}`);
    await commentOnMergedPullRequest({
      after: reports,
      followUp: { by: "action", restorePrs, failed, dashboardUrl },
      // The commit before is read from the checkout: GitHub is asked only when something became ready.
      beforeCostsARequest: false,
      ports: {
        async readinessBefore() {
          const atBefore = await gitCommitFileSource(inputs.workspace, before).catch(() => null);
          if (!atBefore) {
            core.info(`commit ${before.slice(0, 12)} is not in the checkout (fetch-depth 2 or more lets the tool say what a merge made ready)`);
            return null;
          }
          try {
            return (await computeStatus({ files: atBefore, config })).reports;
          } finally {
            atBefore.close();
          }
        },
        async mergedPullRequest() {
          const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: event.owner, repo: event.repo, commit_sha: head });
          return pulls.find((p) => p.merged_at && p.base.ref === event.defaultBranch)?.number ?? null;
        },
        upsertComment: (pullRequest, body) =>
          createStickyComment({ octokit, owner: event.owner, repo: event.repo, issueNumber: pullRequest, marker: MERGE_MARKER, identity, log: { info: core.info, warn: core.warning } }).upsert(body, {
            createIfMissing: true,
          }),
      },
    });
  }
  await writeJobSummary(renderSummary(results));
  // The push that moved the base starts its own run, which rebuilds the branch: a warning, not a failure.
  for (const moved of results.flatMap((r) => r.sync.dimensions).filter((d) => d.action === "base-moved")) core.warning(`${moved.dimension}: ${moved.error}`);
  const failed = results.flatMap((r) => r.sync.dimensions).filter((d) => d.action === "failed");
  if (failed.length > 0) core.setFailed(failed.map((d) => `${d.dimension}: ${d.error}`).join("\n"));
}

function renderSummary(results: { report: ReadinessReport; sync: SyncResult }[]): string {
  const failed = results.flatMap((r) => r.sync.dimensions).filter((d) => d.action === "failed");
  const interrupted = results.flatMap((r) => r.sync.dimensions).filter((d) => d.action === "interrupted");
  const head = ["## dbt-unskip: restore pull requests", ""];
  if (interrupted.length > 0)
    head.push(
      "> [!WARNING]",
      `> **Cancelled while restoring ${interrupted.map((d) => codeSpan(d.dimension)).join(", ")}**: the workflow run was cancelled; nothing of it was pushed. Not a failure of the models: run the workflow again.`,
      "",
    );
  if (failed.length > 0) head.push("> [!CAUTION]", `> **No restore pull request for ${failed.map((d) => codeSpan(d.dimension)).join(", ")}**: see the note in the table, fix it, then run the workflow again.`, "");
  const lines = [...head, "| dimension | result | pull request | note |", "| --- | --- | --- | --- |"];
  for (const { sync } of results) {
    for (const d of sync.dimensions) {
      lines.push(`| ${tableCell(codeSpan(d.dimension))} | ${d.action} | ${d.pr ? `#${d.pr}` : ""} | ${tableCell(escapeHtml(d.error ?? ""))} |`);
    }
    for (const c of sync.closed) lines.push(`| ${tableCell(codeSpan(c.dimension))} | closed | #${c.number} | nothing left to restore |`);
  }
  if (lines.length === head.length + 2) lines.push("| | nothing ready | | |");
  return `${lines.join("\n")}\n`;
}
