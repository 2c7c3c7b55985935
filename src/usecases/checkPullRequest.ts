import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { gitCommitFileSource } from "../adapters/git/gitCommitFileSource.js";
import { changedFiles, checkoutState, pathExistsAt, resolveBaseRevision, type BaseRevision } from "../adapters/git/gitRevisions.js";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { createStickyComment } from "../adapters/github/stickyComment.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { READINESS_MARKER } from "../core/render/renderPullRequestComment.js";
import type { FileSource } from "./fileSource.js";
import { loadConfig } from "./loadConfig.js";
import { pullRequestReadiness, type CommentMode, type PullRequestReadinessResult } from "./pullRequestReadiness.js";
import type { PullRequestEvent } from "./pullRequestEvent.js";

export interface CheckPullRequestInput {
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

export interface CheckPullRequestOutput extends PullRequestReadinessResult {
  base: BaseRevision;
  head: string;
  config: UnskipConfig;
}

/**
 * The PR path wired to its adapters: the head from the working tree, the base read from git's
 * object store (no second checkout), the diff from git, the comment through the GitHub client.
 */
export async function checkPullRequest(input: CheckPullRequestInput): Promise<CheckPullRequestOutput> {
  const { event } = input;
  const { head, prefix } = await checkoutState(input.workspace);
  const base = await resolveBaseRevision(input.workspace, event.baseSha, head);
  if (base.approximate) input.log?.info(`no merge base of ${event.baseSha.slice(0, 12)} and HEAD in this shallow checkout: comparing with the base commit itself`);
  const changes = await changedFiles(input.workspace, base.rev, head);
  const headFiles = createDiskFileSource(input.workspace);
  const config = await loadConfig(headFiles, input.configPath, { projectDirs: input.projectDirs });
  const baseFiles = await openBase(input.workspace, base.rev, prefix);
  try {
    const writable = input.octokit !== null && event.readOnly === null;
    if (event.readOnly) input.log?.info(`read-only run: ${event.readOnly}; the report goes to the job summary and the report file, nothing is written to GitHub`);
    const result = await pullRequestReadiness({
      files: { base: baseFiles, head: headFiles },
      changes,
      log: input.log?.debug ? { debug: input.log.debug } : undefined,
      config,
      dimension: input.dimension,
      pullRequest: { baseSha: event.baseSha, headSha: event.headSha },
      mode: input.mode,
      comments:
        writable && input.octokit
          ? createStickyComment({
              octokit: input.octokit,
              owner: event.owner,
              repo: event.repo,
              issueNumber: event.number,
              marker: READINESS_MARKER,
              identity: input.identity,
              log: input.log,
            })
          : null,
    });
    return { ...result, base, head, config };
  } finally {
    baseFiles.close();
  }
}

/** The base commit's tree under the working folder; an empty tree when the folder did not exist yet. */
async function openBase(repo: string, rev: string, prefix: string): Promise<FileSource & { close(): void }> {
  if (prefix) {
    if (!(await pathExistsAt(repo, rev, prefix))) return { list: async () => [], glob: async () => [], read: async () => null, close() {} };
  }
  return gitCommitFileSource(repo, prefix ? `${rev}:${prefix}` : rev);
}
