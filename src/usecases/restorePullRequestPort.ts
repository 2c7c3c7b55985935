import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { DbtInstallation } from "./dbtRun.js";
import type { ScratchDbtInput } from "./scratchDbt.js";
import type { TreeChangePorts } from "./treeChangePorts.js";

/** A restore pull request the tool opened (found by its branch and hidden marker, authored by the tool). */
export interface RestorePullRequest {
  number: number;
  branch: string;
  title: string;
  body: string;
  url: string;
}

/** What the push path needs from GitHub's pull requests. */
export interface RestorePullRequestPort {
  /** The tool's open restore pull requests (head branch under the prefix, marker in the body, the tool's author). */
  listOpen(branchPrefix: string): Promise<RestorePullRequest[]>;
  /** Opens one; when GitHub says one already exists for the branch, finds and returns that one. */
  create(input: { branch: string; base: string; title: string; body: string }): Promise<RestorePullRequest & { created: boolean }>;
  update(number: number, input: { title: string; body: string }): Promise<void>;
  close(number: number, comment: string): Promise<void>;
}

/** What the push path needs from the remote repository. */
export interface RemoteBranchPort {
  /**
   * The branch's commit on the remote now (`git ls-remote`), or null when it does not exist: a restore
   * branch before restoring, and the base branch again right before pushing a restore built on it.
   */
  head(branch: string): Promise<string | null>;
  /** Brings the remote branch's commits into the local repository. */
  fetch(branch: string): Promise<void>;
  /** Commits in `base..tip` that do not carry the tool's trailer (a person's work). */
  foreignCommits(base: string, tip: string): Promise<string[]>;
  /** The newest commit both histories share. */
  mergeBase(a: string, b: string): Promise<string>;
  /** The parent of a commit (the base a restore branch was built on). */
  parentOf(commit: string): Promise<string | null>;
  /** Pushes HEAD to the branch only if the remote still holds `expected` (null: must not exist yet). */
  pushWithLease(branch: string, expected: string | null): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/**
 * What the flows that open pull requests from the Action's checkout take (restore pull requests, the
 * pause pull request): the checkout at the default branch's commit, dbt, GitHub's pull requests and
 * the remote branch.
 */
export interface PullRequestFlowInput extends TreeChangePorts {
  root: string;
  config: UnskipConfig;
  baseBranch: string;
  /** The default branch's commit this run is for (checked out at `root`). */
  baseCommit: string;
  dbt: DbtInstallation;
  /** dbt settings passed through to each restore or pause. */
  dbtOptions?: Pick<ScratchDbtInput, "profilesDir" | "target" | "extraEnv">;
  prs: RestorePullRequestPort;
  remote: RemoteBranchPort;
  today: string;
  timeoutMs: number;
  /** Fires when the run is cancelled (the Action's SIGINT/SIGTERM): dbt stops, a tree change is undone, no further dimension starts. */
  signal?: AbortSignal | undefined;
  progress: (line: string) => void;
  /** Values hidden wherever dbt's words reach the PR body, the result or the log (RELIABILITY 15). */
  secrets?: readonly string[];
}
