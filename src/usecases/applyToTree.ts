import { hasCommitIdentity } from "../adapters/git/gitWorkTree.js";
import { applyTreeChange, TreeTransactionAborted, type TreeChange, type TreeStep } from "../adapters/git/treeTransaction.js";

/** Who commits when git has no identity configured (a fresh CI runner). */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: "dbt-unskip",
  GIT_AUTHOR_EMAIL: "dbt-unskip@users.noreply.github.com",
  GIT_COMMITTER_NAME: "dbt-unskip",
  GIT_COMMITTER_EMAIL: "dbt-unskip@users.noreply.github.com",
};

export type TreeApplied = Awaited<ReturnType<typeof applyTreeChange>>;

/**
 * "Apply to the tree", shared by restore and pause: one `applyTreeChange` (all of it or none of it),
 * committed as the person's git identity or, without one, as dbt-unskip. Never throws: a failure or
 * an interrupt (the tree, index, HEAD and branches put back) comes back as `{ ok: false }`.
 */
export async function applyToTree(
  root: string,
  change: Omit<TreeChange, "commit"> & { commit: Omit<NonNullable<TreeChange["commit"]>, "env"> | null },
  options: { signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined },
): Promise<({ ok: true } & TreeApplied) | { ok: false; interrupted: boolean; error: string }> {
  try {
    const env = (await hasCommitIdentity(root)) ? undefined : FALLBACK_IDENTITY;
    const result = await applyTreeChange(root, { ...change, commit: change.commit ? { ...change.commit, env } : null }, options);
    return { ok: true, ...result };
  } catch (error) {
    return { ok: false, interrupted: error instanceof TreeTransactionAborted, error: (error as Error).message };
  }
}
