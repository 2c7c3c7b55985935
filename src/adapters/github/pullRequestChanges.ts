import type { ChangedFile } from "../../core/readiness/readinessDiff.js";
import type { GitHubClient } from "./createOctokit.js";

/** The compare endpoint lists at most this many files; past it, the pull request's file list is read. */
const COMPARE_FILE_LIMIT = 300;
/** The pull request's file list stops here. */
const PULL_FILE_LIMIT = 3000;

interface FileLike {
  filename: string;
  status: string;
  previous_filename?: string;
}

/**
 * What `git diff --name-status base...head` says, from the API: the merge base (the commit the PR's
 * base side is read at, as the Action does) and the changed files. Copies count as added, as in the
 * Action's git diff.
 */
export async function pullRequestChanges(input: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pullNumber: number;
  baseSha: string;
  headSha: string;
}): Promise<{ mergeBase: string; changes: ChangedFile[]; complete: boolean }> {
  const { octokit, owner, repo } = input;
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${input.baseSha}...${input.headSha}` });
  let files: FileLike[] = data.files ?? [];
  let complete = true;
  if (files.length >= COMPARE_FILE_LIMIT) {
    // GitHub lists up to 3,000 files of a pull request; beyond that the verdicts stay right and
    // only the "because of this file" notes may be missing.
    files = (await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: input.pullNumber, per_page: 100 })) as FileLike[];
    // At the limit the list may be cut short: the base is then read in full, not derived from it.
    complete = files.length < PULL_FILE_LIMIT;
  }
  return { mergeBase: data.merge_base_commit.sha, changes: files.flatMap(toChange), complete };
}

function toChange(file: FileLike): ChangedFile[] {
  switch (file.status) {
    case "added":
    case "copied":
      return [{ status: "A", path: file.filename }];
    case "removed":
      return [{ status: "D", path: file.filename }];
    case "renamed":
      return file.previous_filename ? [{ status: "R", from: file.previous_filename, path: file.filename }] : [{ status: "A", path: file.filename }];
    case "unchanged":
      return [];
    default:
      return [{ status: "M", path: file.filename }];
  }
}
