import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import type { SavedPullRequestReport } from "../core/readiness/savedPullRequestReport.js";
import { READINESS_MARKER, renderPullRequestComment } from "../core/render/renderPullRequestComment.js";
import type { CommentMode } from "../usecases/pullRequestReadiness.js";
import type { StickyCommentResult } from "../usecases/stickyCommentPort.js";
import type { WorkflowRunEvent } from "./workflowRunEvent.js";

export interface PostSavedReportInput {
  event: WorkflowRunEvent;
  /** Checked against the schema already; still a fork's word on everything but its shape. */
  report: SavedPullRequestReport;
  octokit: GitHubClient;
  mode: CommentMode;
  identity?: string | undefined;
  log?: { info(message: string): void; warn(message: string): void };
}

export type PostSavedReportResult = { posted: false; reason: string } | { posted: true; number: number; result: StickyCommentResult };

/**
 * The second half of the fork recipe: a `workflow_run` job (trusted, with a write token) posts the
 * report a fork's `pull_request` run saved. What the artifact claims is only believed where GitHub
 * confirms it: the commit must be the run's `head_sha` (from the event, not the file), and the PR
 * must be one whose head is that commit right now. The Markdown is rendered here, from data.
 */
export async function postSavedReport(input: PostSavedReportInput): Promise<PostSavedReportResult> {
  const { event, report, octokit } = input;
  const here = `${event.owner}/${event.repo}`.toLowerCase();
  if (event.triggeringEvent !== "pull_request") return skip(`the run was triggered by '${event.triggeringEvent}', not pull_request`);
  if (event.headRepository?.toLowerCase() === here) return skip("same-repository pull requests are commented on by their own pull_request run");
  if (report.pullRequest.headSha !== event.headSha) return skip("the saved report is for another commit than the run's head_sha");
  if (event.pullRequestNumbers.length > 0 && !event.pullRequestNumbers.includes(report.pullRequest.number)) {
    return skip(`the saved report names PR #${report.pullRequest.number}, which is not among the run's pull requests`);
  }
  if (input.mode === "never") return skip("comment: never");
  const number = report.pullRequest.number;
  const { data: pull } = await octokit.rest.pulls.get({ owner: event.owner, repo: event.repo, pull_number: number });
  if (pull.base.repo.full_name.toLowerCase() !== here) return skip(`PR #${number} is not a pull request into ${here}`);
  if (pull.head.sha !== event.headSha) return skip(`PR #${number}'s head is now ${pull.head.sha.slice(0, 12)}, not ${event.headSha.slice(0, 12)}: the newer run will post`);
  if (pull.state !== "open") return skip(`PR #${number} is ${pull.state}`);

  const body = renderPullRequestComment({ diffs: report.diffs, baseSha: report.pullRequest.baseSha, headSha: event.headSha });
  const sticky = createStickyComment({ octokit, owner: event.owner, repo: event.repo, issueNumber: number, marker: READINESS_MARKER, identity: input.identity, log: input.log });
  const createIfMissing = input.mode === "always" || report.diffs.some((d) => d.changed);
  return { posted: true, number, result: await sticky.upsert(body, { createIfMissing }) };

  function skip(reason: string): PostSavedReportResult {
    input.log?.info(`not posting: ${reason}`);
    return { posted: false, reason };
  }
}
