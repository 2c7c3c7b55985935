import { join } from "node:path";
import { UserError } from "../../src/core/userError.js";
import { type TreeChange, type TreeChangeResult, TreeTransactionAborted, type WorkTree } from "../../src/usecases/workTree.js";

/** One commit the stand-in made: its branch, message and the files as they were then. */
export interface MemoryCommit {
  sha: string;
  branch: string;
  message: string;
  files: Record<string, string>;
}

/**
 * A `WorkTree` stand-in over a repository held in memory (`texts`, absolute paths to text, as
 * memoryDisk keeps them): a clean tree at commit `c0` on `main`, changes applied to `texts` and
 * recorded as commits whose files a switch puts back. What a test can set: `dirty` (uncommitted
 * lines), `branches` (name to commit).
 */
export function memoryWorkTree(texts: Map<string, string>, root: string) {
  const state = { head: "c0", branch: "main" as string | null, branches: new Map([["main", "c0"]]), dirty: [] as string[], locked: [] as string[], commits: [] as MemoryCommit[] };
  const snapshots = new Map([["c0", Object.fromEntries(texts)]]);
  // A switch puts the files of the commit checked out in place, as git does on a clean tree.
  const checkOut = (sha: string, branch: string | null) => {
    const files = snapshots.get(sha);
    if (!files) throw new Error(`no commit ${sha}`);
    texts.clear();
    for (const [path, text] of Object.entries(files)) texts.set(path, text);
    state.head = sha;
    state.branch = branch;
  };
  const workTree: WorkTree = {
    repositoryRoot: async (dir) => (dir.startsWith(root) ? root : null),
    uncommittedChanges: async (_dir, path) => state.dirty.filter((line) => path === undefined || line.endsWith(path)),
    currentBranch: async () => state.branch,
    headCommit: async () => state.head,
    gitPrefix: async (dir) => dir.slice(root.length + 1).replace(/([^/])$/, "$1/"),
    // The history a plan or a run reads back is not kept: no restore commit, and "git cannot say".
    commitBlobChanges: async () => null,
    latestCommitMatching: async () => null,
    changedFiles: async () => [],
    fileAtRevision: async (_dir, rev, path) => Promise.reject(new Error(`no ${path} at ${rev}`)),
    branchExists: async (_dir, branch) => state.branches.has(branch),
    hasCommitIdentity: async () => true,
    async withLock(_root, purpose, work) {
      state.locked.push(purpose);
      return work();
    },
    async checkRename(projectRoot, rename, verb) {
      if (!texts.has(join(projectRoot, rename.from))) throw new UserError(`${rename.from}: no longer exists`);
      if (texts.has(join(projectRoot, rename.to))) throw new UserError(`${rename.to}: already exists; ${verb} would overwrite it`);
    },
    async switchBranch(_dir, branch, create) {
      if (create) state.branches.set(branch, state.head);
      const sha = state.branches.get(branch);
      if (!sha) throw new Error(`no branch ${branch}`);
      checkOut(sha, branch);
    },
    switchDetached: async (_dir, commit) => checkOut(commit, null),
    async deleteBranchIfAny(_dir, branch) {
      if (branch !== state.branch) state.branches.delete(branch);
    },
    applyChange: (at, change, options) => apply(at, change, options),
  };

  // All of it or none of it, as the real transaction: everything is worked out before `texts` changes.
  async function apply(
    at: string,
    change: TreeChange,
    options: { signal?: AbortSignal | undefined; onStep?: ((step: "objects" | "commit" | "branch" | "index" | "rename" | "state-document" | "head") => void) | undefined },
  ): Promise<TreeChangeResult> {
    if (change.expectedHead && change.expectedHead !== state.head) throw new Error(`HEAD moved from ${change.expectedHead} to ${state.head}; nothing was changed`);
    const next = new Map(texts);
    const result: TreeChangeResult = { sha: null, edits: [], notes: [] };
    for (const { from, to } of change.renames) {
      const text = next.get(join(at, from));
      if (text === undefined) throw new Error(`${from} is not committed`);
      next.delete(join(at, from));
      next.set(join(at, to), text);
    }
    for (const { path, edit } of change.edits) {
      const text = next.get(join(at, path));
      const out = text === undefined ? { error: `${path} is not committed, so it was not changed` } : edit(text);
      if ("error" in out) result.edits.push({ path, committed: false, problem: out.error });
      else {
        next.set(join(at, path), out.text);
        result.edits.push({ path, committed: true, problem: null });
      }
    }
    for (const { path, text } of change.creates ?? []) {
      if (next.has(join(at, path))) throw new Error(`${path} exists already; a new file is never written over one`);
      next.set(join(at, path), text);
      result.edits.push({ path, committed: true, problem: null });
    }
    for (const step of ["objects", "commit", "branch", "index", "rename", "state-document", "head"] as const) {
      options.onStep?.(step);
      if (options.signal?.aborted) throw new TreeTransactionAborted(step);
    }
    texts.clear();
    for (const [path, text] of next) texts.set(path, text);
    if (change.commit) {
      const { branch, message } = change.commit;
      result.sha = `c${state.commits.length + 1}`;
      state.commits.push({ sha: result.sha, branch, message: typeof message === "string" ? message : message(result.edits), files: Object.fromEntries(texts) });
      snapshots.set(result.sha, Object.fromEntries(texts));
      state.head = result.sha;
      state.branch = branch;
      state.branches.set(branch, result.sha);
    }
    return result;
  }
  return Object.assign(workTree, { state });
}
