import { COMMIT_TRAILER } from "./restoreOutcome.js";

export interface BranchCommit {
  sha: string;
  /** The whole message, trailers included. */
  message: string;
}

/**
 * Which commits of a restore branch (oldest first, the ones past its merge base with the default
 * branch) the tool did not make. The tool builds every restore branch afresh as exactly one commit
 * whose message ends with its trailer line, so anything else is a person's: a second commit on top
 * (whatever its message says), or a commit that only quotes the trailer somewhere in its text.
 */
export function foreignCommits(commits: readonly BranchCommit[]): string[] {
  return commits.filter((commit, index) => index > 0 || !endsWithTrailer(commit.message)).map((c) => c.sha);
}

function endsWithTrailer(message: string): boolean {
  const lines = message
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "");
  return lines.at(-1) === COMMIT_TRAILER;
}
