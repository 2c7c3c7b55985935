import type { ChangedFile } from "../core/readiness/readinessDiff.js";

/**
 * The git work tree a restore or a pause changes, as those use cases see it: what state it is in,
 * its lock, one change applied all or nothing, the branch switches of the pull-request flows, and
 * the history a plan, a run and a rollback read the latest restore from. `adapters/git/localWorkTree.ts` is the real one
 * (git through runGit, the repository's lock file); a test can hand in another. Paths are absolute
 * unless a type says otherwise.
 */
export interface WorkTree {
  /** The repository's top folder, or null when `dir` is not inside one. */
  repositoryRoot(dir: string): Promise<string | null>;
  /** Uncommitted changes below `dir` (or of one path relative to it), one line each as `git status --porcelain` says them. */
  uncommittedChanges(dir: string, path?: string): Promise<string[]>;
  /** The branch checked out, or null when HEAD is detached. */
  currentBranch(dir: string): Promise<string | null>;
  headCommit(dir: string): Promise<string>;
  /** `dir`'s path below the repository's top folder (`""` at the top), as rollback.sh names paths; null outside git. */
  gitPrefix(dir: string): Promise<string | null>;
  /** The newest of HEAD's last 1000 commits whose message contains `grep` and starts with `messageStart`; null when none. */
  latestCommitMatching(dir: string, grep: string, messageStart: string): Promise<{ sha: string; message: string } | null>;
  /** What changed between two commits, paths relative to `dir` (changes outside it left out). */
  changedFiles(dir: string, from: string, to: string): Promise<ChangedFile[]>;
  /** A file's text as commit `rev` holds it; `path` relative to `dir`. */
  fileAtRevision(dir: string, rev: string, path: string): Promise<string>;
  /** What commit `sha` changed below `dir`, by path relative to it: each file's blob before and after (a rename is a deletion and an addition); null when git cannot say. */
  commitBlobChanges(dir: string, sha: string): Promise<Map<string, { before: string; after: string }> | null>;
  branchExists(dir: string, branch: string): Promise<boolean>;
  /** Whether git has a name and e-mail to commit with. */
  hasCommitIdentity(dir: string): Promise<boolean>;
  /** Runs `work` holding the repository's lock (one restore or pause at a time); `onStale` is told when a dead run's lock is taken over. */
  withLock<T>(root: string, purpose: string, work: () => Promise<T>, onStale: (owner: { purpose: string; pid: number; startedAt: string }) => void): Promise<T>;
  /** Refuses (UserError) a rename that would follow a link, overwrite a file or leave the project; paths relative to `projectRoot`. */
  checkRename(projectRoot: string, rename: { from: string; to: string }, verb: "restore" | "pause"): Promise<void>;
  /** Checks out a branch (`create`: a new one at HEAD). */
  switchBranch(dir: string, branch: string, create: boolean): Promise<void>;
  /** Checks out a commit with no branch (HEAD detached at it). */
  switchDetached(dir: string, commit: string): Promise<void>;
  /** Deletes a local branch where git can; a missing one, or one git refuses to delete, is left alone (a clean-up step). */
  deleteBranchIfAny(dir: string, branch: string): Promise<void>;
  /** Applies the change completely or not at all; throws (TreeTransactionAborted on the signal) after undoing every step done. */
  applyChange(root: string, change: TreeChange, options: { signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined }): Promise<TreeChangeResult>;
}

/**
 * One change to a repository that happens completely or not at all: files renamed, text files
 * edited, and (unless only staged) one commit on a branch. Shared by `restore` and `pause`.
 */
export interface TreeChange {
  /** Repository-relative paths (relative to the `root` given). The commit gets HEAD's bytes of `from`. */
  renames: { from: string; to: string }[];
  /**
   * Text files to change. `edit` gets HEAD's text for the commit; a person's uncommitted version in
   * the index or the working tree gets the same edit on top of it (or is left alone when the edit
   * does not apply to it). An edit that returns `{ error }` for HEAD's text is not made anywhere.
   */
  edits: { path: string; edit: (text: string) => { text: string } | { error: string } }[];
  /**
   * New text files (a pause's first state document for a dimension). Neither HEAD nor the working
   * tree may have them: the change is refused before anything is done, and a file that appears
   * meanwhile is never overwritten. Folders made for them go again on undo.
   */
  creates?: { path: string; text: string }[] | undefined;
  /** The commit, or null to leave the change staged (no commit, HEAD and branches untouched). */
  commit: {
    /** The message, or made from what the edits came to (an edit that did not apply is not committed). */
    message: string | ((edits: TreeChangeResult["edits"]) => string);
    branch: string;
    createBranch: boolean;
    env?: Record<string, string> | undefined;
  } | null;
  /** The commit the caller checked the tree against; if HEAD moved since, nothing is done. */
  expectedHead?: string | undefined;
}

/**
 * The steps, in order. `objects` and `commit` write only unreachable git objects; from `branch` on
 * each step is visible and undone if a later one fails or the signal fires.
 */
export type TreeStep = "objects" | "commit" | "branch" | "index" | "rename" | "state-document" | "head";

export interface TreeChangeResult {
  sha: string | null;
  edits: { path: string; committed: boolean; problem: string | null }[];
  /** Things a person should know (their uncommitted edit that the change could not be layered on). */
  notes: string[];
}

/** The signal fired before a visible step finished: every step done was undone. */
export class TreeTransactionAborted extends Error {
  /**
   * `signal`: the signal that killed a git the transaction ran, when that is how it learnt of the
   * interrupt (the same Ctrl-C or SIGTERM reaches the whole process group, and git's death can be
   * seen before this process's own handler has run): the name to say when no abort carries one.
   */
  constructor(
    readonly step: TreeStep,
    readonly signal: string | null = null,
  ) {
    super(`interrupted at step ${step}; everything done was undone`);
    this.name = "TreeTransactionAborted";
  }
}
