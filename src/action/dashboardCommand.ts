import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { headCommit } from "../adapters/git/gitWorkTree.js";
import { createDashboardIssue } from "../adapters/github/dashboardIssue.js";
import { restorePullRequests } from "../adapters/github/restorePullRequests.js";
import { renderReadinessSummary } from "../core/render/renderDashboard.js";
import { repositoryFileUrl } from "../core/render/repositoryFileUrl.js";
import { propertiesThread, threadsAllowed } from "../adapters/threads/propertiesThread.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { updateDashboard } from "../usecases/updateDashboard.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { actionIdentity, actionOctokit } from "./actionOctokit.js";
import { publishReadiness } from "./setReadinessOutputs.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";

/**
 * `schedule` and `workflow_dispatch` (status): full readiness, and the one dashboard issue kept up
 * to date; edited only when its text changes, so a run on an unchanged commit writes nothing.
 */
export async function dashboardCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const files = createDiskFileSource(inputs.workspace);
  const config = await loadConfig(files, inputs.config, { projectDirs: inputs.projectDirs, branchPrefix: inputs.branchPrefix });
  const prepare = propertiesThread({ enabled: threadsAllowed(process.env.DBT_UNSKIP_THREADS) });
  const { reports } = await computeStatus({ files, config, prepare });
  const reportPath = await writeReportFile(env.runnerTemp, "readiness.json", { schema: "dbt-unskip/status@1", reports });
  const text = publishReadiness(reports, reportPath);
  const repository = env.repository;
  const commit = await headCommit(inputs.workspace);
  const fileUrl = repository ? repositoryFileUrl(`${process.env.GITHUB_SERVER_URL ?? "https://github.com"}/${repository.owner}/${repository.repo}`, commit) : undefined;
  let restorePrs: Map<string, number> | undefined;
  if (!inputs.token || !repository) {
    core.warning("no token (or no GITHUB_REPOSITORY): the dashboard issue is not updated; the report is in the job summary");
  } else {
    const octokit = actionOctokit(inputs, env);
    const identity = await actionIdentity(octokit, inputs);
    const update = await updateDashboard({
      reports,
      branchPrefix: config.branchPrefix,
      commit,
      fileUrl,
      prs: restorePullRequests(octokit, repository, identity),
      dashboard: createDashboardIssue({ octokit, ...repository, identity, log: { info: core.info } }),
    });
    restorePrs = update.restorePrs;
    const { result } = update;
    if (result.action === "forbidden") core.warning(`could not write the dashboard issue: ${result.message}`);
    else core.info(`dashboard issue: ${result.action}${result.url ? ` (${result.url})` : ""}`);
    core.setOutput("dashboard-issue", result.number === null ? "" : String(result.number));
  }
  await writeJobSummary(renderReadinessSummary(reports, { commit, restorePrs, fileUrl }, text));
}
