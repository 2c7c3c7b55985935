import type { ChangedFile } from "../core/readiness/readinessDiff.js";
import type { FileSource } from "./fileSource.js";

/**
 * Where a pull request's two sides come from: a checkout and git's object store (the Action), or
 * GitHub's compare API and two archives (the bot). The base is the merge base, as
 * `git diff base...head` reads it, so commits that landed on the base branch meanwhile are not the PR's.
 */
export interface PullRequestSidesPort {
  /** Opened once per check; the check closes it, whatever happened. */
  open(): Promise<PullRequestSides>;
}

export interface PullRequestSides {
  base: FileSource;
  head: FileSource;
  /** What `git diff --name-status base...head` says, relative to the folder the files are read from. */
  changes: ChangedFile[];
  /** False when `changes` may be cut short (an API's limit): the base is then read in full. */
  changesComplete: boolean;
  close(): void;
}
