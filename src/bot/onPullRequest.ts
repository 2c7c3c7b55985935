import type { Context } from "probot";
import { apiPullRequestSides } from "../adapters/github/apiPullRequestSides.js";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { READINESS_MARKER } from "../core/render/renderPullRequestComment.js";
import { checkPullRequest } from "../usecases/checkPullRequest.js";
import type { BotDependencies } from "./botDependencies.js";

export const PULL_REQUEST_EVENTS = ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"] as const;

/**
 * The Action's PR check without a checkout: base (the merge base, as the Action reads it) and head
 * each read as one archive, the changed files from the compare API, the same use case and the same
 * sticky comment. The configuration comes from the base side, so a PR cannot change how it is checked.
 */
export async function onPullRequest(context: Context<(typeof PULL_REQUEST_EVENTS)[number]>, deps: BotDependencies): Promise<void> {
  const { pull_request: pr, repository } = context.payload;
  const owner = repository.owner.login;
  const repo = repository.name;
  const octokit = context.octokit as GitHubClient;
  const pullRequest = { baseSha: pr.base.sha, headSha: pr.head.sha };
  const result = await checkPullRequest({
    pullRequest,
    sides: apiPullRequestSides({ octokit, owner, repo, pullNumber: pr.number, ...pullRequest, limits: deps.settings.tarball }),
    config: { side: "base" },
    mode: deps.settings.comment,
    comments: {
      // The app's login is asked of GitHub only when a comment is to be written.
      upsert: async (body, options) => createStickyComment({ octokit, owner, repo, issueNumber: pr.number, marker: READINESS_MARKER, identity: await deps.identity() }).upsert(body, options),
    },
    log: { debug: (message) => context.log.debug(message) },
    jobSummary: false,
    // The head's properties YAML on a worker thread on a large project, as the Action's PR check reads it.
    prepareHead: deps.prepareBuild,
  });
  const comment = "result" in result.comment ? `${result.comment.result.action}${result.comment.result.url ? ` (${result.comment.result.url})` : ""}` : result.comment.decision;
  context.log.info(`${owner}/${repo}#${pr.number}: readiness ${result.changed ? "changed" : "unchanged"}; comment ${comment}`);
}
