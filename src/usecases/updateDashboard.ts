import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { renderDashboard } from "../core/render/renderDashboard.js";
import type { DashboardIssuePort, DashboardIssueResult } from "./dashboardIssuePort.js";
import type { RestorePullRequestPort } from "./restorePullRequestPort.js";

/**
 * The dashboard issue brought up to date, the same for the Action (`schedule`, `workflow_dispatch`)
 * and the bot (`push`): the open restore pull requests by dimension, the dashboard rendered for this
 * commit with them, and the one issue created once, then edited only when its text changes (so a run
 * on an unchanged commit writes nothing). The caller computes the readiness (it reports it elsewhere
 * too) and says what was written.
 */
export async function updateDashboard(input: {
  reports: readonly ReadinessReport[];
  branchPrefix: string;
  commit: string;
  /** A web link to a file at this commit (the Action and the bot link alike). */
  fileUrl: ((path: string) => string) | undefined;
  prs: Pick<RestorePullRequestPort, "listOpen">;
  dashboard: Pick<DashboardIssuePort, "upsert">;
}): Promise<{ restorePrs: Map<string, number>; result: DashboardIssueResult }> {
  const open = await input.prs.listOpen(input.branchPrefix);
  const restorePrs = new Map(open.map((pr) => [pr.branch.slice(input.branchPrefix.length), pr.number]));
  const body = renderDashboard(input.reports, { commit: input.commit, restorePrs, fileUrl: input.fileUrl });
  return { restorePrs, result: await input.dashboard.upsert({ body }) };
}
