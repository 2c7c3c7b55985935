import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { pullRequestChanges } from "../adapters/github/pullRequestChanges.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { openTarballFileSource } from "../adapters/github/tarballFileSource.js";
import { READINESS_MARKER } from "../core/render/renderPullRequestComment.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { pullRequestReadiness } from "../usecases/pullRequestReadiness.js";
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
  const limits = deps.settings.tarball;
  const { mergeBase, changes, complete } = await pullRequestChanges({ octokit, owner, repo, pullNumber: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha });
  const base = await openTarballFileSource({ octokit, owner, repo, ref: mergeBase, limits });
  const head = await openTarballFileSource({ octokit, owner, repo, ref: pr.head.sha, limits });
  const result = await pullRequestReadiness({
    files: { base, head },
    changes,
    changesComplete: complete,
    log: { debug: (message) => context.log.debug(message) },
    config: await loadConfig(base),
    pullRequest: { baseSha: pr.base.sha, headSha: pr.head.sha },
    mode: deps.settings.comment,
    comments: createStickyComment({ octokit, owner, repo, issueNumber: pr.number, marker: READINESS_MARKER, identity: await deps.identity() }),
  });
  const comment = "result" in result.comment ? `${result.comment.result.action}${result.comment.result.url ? ` (${result.comment.result.url})` : ""}` : result.comment.decision;
  context.log.info(`${owner}/${repo}#${pr.number}: readiness ${result.changed ? "changed" : "unchanged"}; comment ${comment}`);
}
