import { type TreeChange, type TreeChangeResult, type TreeStep, TreeTransactionAborted, type WorkTree } from "./workTree.js";

/** Who commits when git has no identity configured (a fresh CI runner). */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: "dbt-unskip",
  GIT_AUTHOR_EMAIL: "dbt-unskip@users.noreply.github.com",
  GIT_COMMITTER_NAME: "dbt-unskip",
  GIT_COMMITTER_EMAIL: "dbt-unskip@users.noreply.github.com",
};

export type TreeApplied = TreeChangeResult;

/**
 * "Apply to the tree", shared by restore and pause: one `WorkTree.applyChange` (all of it or none of it),
 * committed as the person's git identity or, without one, as dbt-unskip. Never throws: a failure or
 * an interrupt (the tree, index, HEAD and branches put back) comes back as `{ ok: false }`.
 */
export async function applyToTree(
  git: WorkTree,
  root: string,
  change: Omit<TreeChange, "commit"> & { commit: Omit<NonNullable<TreeChange["commit"]>, "env"> | null },
  options: { signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined },
): Promise<({ ok: true } & TreeApplied) | { ok: false; interrupted: boolean; signal: string | null; error: string }> {
  try {
    const env = (await git.hasCommitIdentity(root)) ? undefined : FALLBACK_IDENTITY;
    const result = await git.applyChange(root, { ...change, commit: change.commit ? { ...change.commit, env } : null }, options);
    return { ok: true, ...result };
  } catch (error) {
    const aborted = error instanceof TreeTransactionAborted;
    return { ok: false, interrupted: aborted, signal: aborted ? error.signal : null, error: (error as Error).message };
  }
}
