import type { PullRequestSides, PullRequestSidesPort } from "../../usecases/pullRequestSidesPort.js";
import type { GitHubClient } from "./createOctokit.js";
import { pullRequestChanges } from "./pullRequestChanges.js";
import { openTarballFileSource, type TarballLimits } from "./tarballFileSource.js";

/**
 * A pull request's sides without a checkout: the merge base and the changed files from the compare
 * API, then each side read as one archive (the merge base first, then the head).
 */
export function apiPullRequestSides(input: { octokit: GitHubClient; owner: string; repo: string; pullNumber: number; baseSha: string; headSha: string; limits: TarballLimits }): PullRequestSidesPort {
  const { octokit, owner, repo, limits } = input;
  return {
    async open(): Promise<PullRequestSides> {
      const { mergeBase, changes, complete } = await pullRequestChanges({ octokit, owner, repo, pullNumber: input.pullNumber, baseSha: input.baseSha, headSha: input.headSha });
      const base = await openTarballFileSource({ octokit, owner, repo, ref: mergeBase, limits });
      const head = await openTarballFileSource({ octokit, owner, repo, ref: input.headSha, limits });
      // The archives are unpacked into memory: nothing to release.
      return { base, head, changes, changesComplete: complete, close() {} };
    },
  };
}
