import { checkoutPullRequestSides } from "../adapters/git/checkoutPullRequestSides.js";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import { propertiesThread, threadsAllowed } from "../adapters/threads/propertiesThread.js";
import { READINESS_MARKER } from "../core/render/renderPullRequestComment.js";
import { type CheckPullRequestOutput, checkPullRequest } from "../usecases/checkPullRequest.js";
import type { CommentMode } from "../usecases/pullRequestReadiness.js";
import type { PullRequestEvent } from "../usecases/pullRequestEvent.js";

export interface CheckPullRequestInCheckoutInput {
  /** The checkout (the PR's head, or the merge commit actions/checkout makes), or a folder in it. */
  workspace: string;
  event: PullRequestEvent;
  /** Null, or ignored when the event is read-only: nothing is written then, not even attempted. */
  octokit: GitHubClient | null;
  mode: CommentMode;
  identity?: string | undefined;
  configPath?: string | undefined;
  projectDirs?: string[] | undefined;
  dimension?: string | undefined;
  log?: { info(message: string): void; warn(message: string): void; debug?(message: string): void };
}

/**
 * The Action's adapters for the pull request check: both sides from the checkout and git, the
 * configuration from the checkout (the head), the comment through the workflow's token unless the
 * event is read-only.
 */
export async function checkPullRequestInCheckout(input: CheckPullRequestInCheckoutInput): Promise<CheckPullRequestOutput> {
  const { event, octokit, log } = input;
  const writable = octokit !== null && event.readOnly === null;
  if (event.readOnly) log?.info(`read-only run: ${event.readOnly}; the report goes to the job summary and the report file, nothing is written to GitHub`);
  return checkPullRequest({
    pullRequest: { baseSha: event.baseSha, headSha: event.headSha },
    sides: checkoutPullRequestSides(input.workspace, event.baseSha, log),
    config: { side: "head", path: input.configPath, overrides: { projectDirs: input.projectDirs } },
    dimension: input.dimension,
    mode: input.mode,
    comments: writable && octokit ? createStickyComment({ octokit, owner: event.owner, repo: event.repo, issueNumber: event.number, marker: READINESS_MARKER, identity: input.identity, log }) : null,
    log: log?.debug ? { debug: log.debug } : undefined,
    // pullRequestCommand writes the summary and the report file.
    jobSummary: true,
    // The head's properties YAML on a worker thread on a large project, as `status` does (DBT_UNSKIP_THREADS=0: off).
    prepareHead: propertiesThread({ enabled: threadsAllowed(process.env.DBT_UNSKIP_THREADS) }),
  });
}
