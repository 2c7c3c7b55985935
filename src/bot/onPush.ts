import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createDashboardIssue } from "../adapters/github/dashboardIssue.js";
import { restorePullRequests } from "../adapters/github/restorePullRequests.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { openTarballFileSource } from "../adapters/github/tarballFileSource.js";
import { repositoryFileUrl } from "../core/render/repositoryFileUrl.js";
import { MERGE_MARKER } from "../core/render/renderMergeComment.js";
import { UserError } from "../core/userError.js";
import { commentOnMergedPullRequest } from "../usecases/commentOnMergedPullRequest.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { updateDashboard } from "../usecases/updateDashboard.js";
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
  const { reports } = await computeStatus({ files, config, prepare: deps.prepareBuild });
  // Linked as the Action's dashboard links them, so both render the same body for the same state.
  const { result: dashboard } = await updateDashboard({
    reports,
    branchPrefix: config.branchPrefix,
    commit: payload.after,
    fileUrl: repositoryFileUrl(payload.repository.html_url, payload.after),
    prs: restorePullRequests(octokit, { owner, repo }, deps.settings.restoreAuthor),
    dashboard: createDashboardIssue({ octokit, owner, repo, identity: deps.identity }),
  });
  context.log.info(`${owner}/${repo}: dashboard ${dashboard.action}${dashboard.number ? ` (#${dashboard.number})` : ""}`);

  if (!deps.settings.mergeComment || NO_COMMIT.test(payload.before)) return;
  const before = payload.before;
  const comment = await commentOnMergedPullRequest({
    after: reports,
    followUp: { by: "bot", dashboardUrl: dashboard.url ?? null },
    // The commit before is read as an archive through the API: asked for only after a merged PR is found.
    beforeCostsARequest: true,
    ports: {
      async mergedPullRequest() {
        const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: payload.after });
        return pulls.find((pull) => pull.merged_at && pull.base.ref === defaultBranch)?.number ?? null;
      },
      async readinessBefore() {
        try {
          const atBefore = await openTarballFileSource({ octokit, owner, repo, ref: before, limits: deps.settings.tarball });
          return (await computeStatus({ files: atBefore, config, prepare: deps.prepareBuild })).reports;
        } catch (error) {
          // The project may not have been readable before the merge; then there is nothing to compare.
          if (!(error instanceof UserError)) throw error;
          context.log.info(`cannot read the project before the merge (${error.message}); no merge comment`);
          return null;
        }
      },
      async upsertComment(pullRequest, body) {
        const sticky = createStickyComment({ octokit, owner, repo, issueNumber: pullRequest, marker: MERGE_MARKER, identity: await deps.identity() });
        return sticky.upsert(body, { createIfMissing: true });
      },
    },
  });
  if (comment) context.log.info(`${owner}/${repo}#${comment.pullRequest}: merge comment ${comment.result.action}`);
}
