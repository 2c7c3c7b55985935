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
