import type { FileSource } from "../../usecases/fileSource.js";
import type { PullRequestSides, PullRequestSidesPort } from "../../usecases/pullRequestSidesPort.js";
import { createDiskFileSource } from "../files/diskFileSource.js";
import { gitCommitFileSource } from "./gitCommitFileSource.js";
import { changedFiles, checkoutState, pathExistsAt, resolveBaseRevision } from "./gitRevisions.js";

/**
 * A pull request's sides in a checkout: the head is the working tree (the PR's head, or the merge
 * commit actions/checkout makes), the base is read from git's object store (no second checkout),
 * the changes from `git diff`. `workspace` may be a folder inside the repository: both sides and
 * the changes are then read below it.
 */
export function checkoutPullRequestSides(workspace: string, baseSha: string, log?: { info(message: string): void }): PullRequestSidesPort {
  return {
    async open(): Promise<PullRequestSides> {
      const { head, prefix } = await checkoutState(workspace);
      const base = await resolveBaseRevision(workspace, baseSha, head);
      if (base.approximate) log?.info(`no merge base of ${baseSha.slice(0, 12)} and HEAD in this shallow checkout: comparing with the base commit itself`);
      const changes = await changedFiles(workspace, base.rev, head);
      const baseFiles = await openBase(workspace, base.rev, prefix);
      return { base: baseFiles, head: createDiskFileSource(workspace), changes, changesComplete: true, close: () => baseFiles.close() };
    },
  };
}

/** The base commit's tree under the working folder; an empty tree when the folder did not exist yet. */
async function openBase(repo: string, rev: string, prefix: string): Promise<FileSource & { close(): void }> {
  if (prefix) {
    if (!(await pathExistsAt(repo, rev, prefix))) return { list: async () => [], glob: async () => [], read: async () => null, close() {} };
  }
  return gitCommitFileSource(repo, prefix ? `${rev}:${prefix}` : rev);
}
