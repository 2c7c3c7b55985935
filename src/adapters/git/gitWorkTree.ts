import { runGit } from "./runGit.js";

// Work-tree operations the restore needs, each one git command through the single choke point.

export async function repositoryRoot(dir: string): Promise<string | null> {
  const result = await runGit(dir, ["rev-parse", "--show-toplevel"], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** Uncommitted changes below `dir` (or of one path), as `git status --porcelain` lines. */
export async function uncommittedChanges(dir: string, path = "."): Promise<string[]> {
  const result = await runGit(dir, ["status", "--porcelain=v1", "--untracked-files=all", "--", path]);
  return result.stdout.split("\n").filter((line) => line.trim() !== "");
}

export async function currentBranch(dir: string): Promise<string | null> {
  const result = await runGit(dir, ["symbolic-ref", "--quiet", "--short", "HEAD"], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

export async function headCommit(dir: string): Promise<string> {
  return (await runGit(dir, ["rev-parse", "HEAD"])).stdout.trim();
}

/**
 * What commit `sha` changed below `dir`, by path relative to `dir`: each file's blob before and after
 * (no rename detection: a rename is a deletion and an addition). Null when git cannot say.
 */
export async function commitBlobChanges(dir: string, sha: string): Promise<Map<string, { before: string; after: string }> | null> {
  const diff = await runGit(dir, ["diff", "--relative", "--raw", "--no-abbrev", "--no-renames", "-z", `${sha}^`, sha], { allowFailure: true });
  if (diff.code !== 0) return null;
  const tokens = diff.stdout.split("\0");
  const blobs = new Map<string, { before: string; after: string }>();
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const [, , before = "", after = ""] = (tokens[i] ?? "").split(" ");
    blobs.set(tokens[i + 1] ?? "", { before, after });
  }
  return blobs;
}

export async function branchExists(dir: string, branch: string): Promise<boolean> {
  const result = await runGit(dir, ["show-ref", "--verify", "--quiet", `refs/heads/${branch}`], { allowFailure: true });
  return result.code === 0;
}

export async function switchBranch(dir: string, branch: string, create: boolean): Promise<void> {
  await runGit(dir, create ? ["switch", "--quiet", "-c", branch] : ["switch", "--quiet", branch]);
}

/** Checks out a commit with no branch (HEAD detached at it). */
export async function switchDetached(dir: string, commit: string): Promise<void> {
  await runGit(dir, ["switch", "--quiet", "--detach", commit]);
}

/** Deletes a local branch where git can (a clean-up step: a missing branch, or one git refuses to delete, is left alone). */
export async function deleteBranchIfAny(dir: string, branch: string): Promise<void> {
  await runGit(dir, ["branch", "--quiet", "-D", branch], { allowFailure: true });
}

/** `git mv`, so history follows the file. `--` keeps any name from being read as an option. */
export async function moveFile(dir: string, from: string, to: string): Promise<void> {
  await runGit(dir, ["mv", "--", from, to]);
}

/**
 * Commits exactly these paths (other staged changes stay staged and out of the commit). `edited`
 * are added first; renames made with `git mv` are staged already, and their old paths no longer
 * exist for `git add`.
 */
export async function commitPaths(dir: string, message: string, paths: string[], edited: string[], env?: Record<string, string>): Promise<string> {
  if (edited.length > 0) await runGit(dir, ["add", "--", ...edited], { env });
  await runGit(dir, ["commit", "--quiet", "--no-verify", "-m", message, "--", ...paths], { env });
  return headCommit(dir);
}

/** Whether git can make a commit here without being told who the author is. */
export async function hasCommitIdentity(dir: string): Promise<boolean> {
  const result = await runGit(dir, ["var", "GIT_AUTHOR_IDENT"], { allowFailure: true });
  return result.code === 0;
}

/** Puts a path's index entry back to HEAD's (its work-tree file is left alone). */
export async function unstage(dir: string, path: string): Promise<void> {
  await runGit(dir, ["reset", "--quiet", "--", path]);
}
