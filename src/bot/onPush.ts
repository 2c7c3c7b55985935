import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createDashboardIssue } from "../adapters/github/dashboardIssue.js";
import { restorePullRequests } from "../adapters/github/restorePullRequests.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { openTarballFileSource } from "../adapters/github/tarballFileSource.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { repositoryFileUrl } from "../core/render/repositoryFileUrl.js";
import { renderDashboard } from "../core/render/renderDashboard.js";
import { MERGE_MARKER, newlyReadyModels, renderMergeComment } from "../core/render/renderMergeComment.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "../usecases/computeStatus.js";
import type { BotDependencies } from "./botDependencies.js";
import { readRepository } from "./readRepository.js";

const NO_COMMIT = /^0+$/;

/**
 * A push to the default branch: the dashboard issue brought up to date (created once, edited only
 * when its text changes), then "this merge made N models ready" on the merged pull request. The
 * dashboard carries no time, so a redelivered push edits nothing.
 */
export async function onPush(context: Context<"push">, deps: BotDependencies): Promise<void> {
  const { payload } = context;
  const defaultBranch = payload.repository.default_branch;
  if (payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted || NO_COMMIT.test(payload.after)) {
    context.log.debug(`push to ${payload.ref}: not a new commit on ${defaultBranch}, nothing to do`);
    return;
  }
  const owner = payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0]!;
  const repo = payload.repository.name;
  const octokit = context.octokit as GitHubClient;
  const { files, config } = await readRepository({ octokit, owner, repo, ref: payload.after, limits: deps.settings.tarball });
  const { reports } = await computeStatus({ files, config });
  // Linked as the Action's dashboard links them, so both render the same body for the same state.
  const open = await restorePullRequests(octokit, { owner, repo }, deps.settings.restoreAuthor).listOpen(config.branchPrefix);
  const restorePrs = new Map(open.map((pr) => [pr.branch.slice(config.branchPrefix.length), pr.number]));
  const dashboard = await createDashboardIssue({ octokit, owner, repo, identity: deps.identity }).upsert({
    body: renderDashboard(reports, { commit: payload.after, restorePrs, fileUrl: repositoryFileUrl(payload.repository.html_url, payload.after) }),
  });
  context.log.info(`${owner}/${repo}: dashboard ${dashboard.action}${dashboard.number ? ` (#${dashboard.number})` : ""}`);

  if (deps.settings.mergeComment && !NO_COMMIT.test(payload.before)) {
    await commentOnMergedPullRequest({ context, deps, octokit, owner, repo, defaultBranch, config, after: reports, dashboardUrl: dashboard.url });
  }
}

async function commentOnMergedPullRequest(ctx: {
  dashboardUrl: string | null;
  context: Context<"push">;
  deps: BotDependencies;
  octokit: GitHubClient;
  owner: string;
  repo: string;
  defaultBranch: string;
  config: UnskipConfig;
  after: ReadinessReport[];
}): Promise<void> {
  const { octokit, owner, repo, context } = ctx;
  const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: context.payload.after });
  const merged = pulls.find((pull) => pull.merged_at && pull.base.ref === ctx.defaultBranch);
  if (!merged) return;
  let before: ReadinessReport[];
  try {
    const files = await openTarballFileSource({ octokit, owner, repo, ref: context.payload.before, limits: ctx.deps.settings.tarball });
    before = (await computeStatus({ files, config: ctx.config })).reports;
  } catch (error) {
    // The project may not have been readable before the merge; then there is nothing to compare.
    if (!(error instanceof UserError)) throw error;
    context.log.info(`cannot read the project before the merge (${error.message}); no merge comment`);
    return;
  }
  const newly = newlyReadyModels(before, ctx.after);
  if (newly.length === 0) return;
  const sticky = createStickyComment({ octokit, owner, repo, issueNumber: merged.number, marker: MERGE_MARKER, identity: await ctx.deps.identity() });
  const result = await sticky.upsert(renderMergeComment(newly, { by: "bot", dashboardUrl: ctx.dashboardUrl ?? null }), { createIfMissing: true });
  context.log.info(`${owner}/${repo}#${merged.number}: merge comment ${result.action}`);
}
