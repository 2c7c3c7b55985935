import { runGit } from "./runGit.js";

/** The root's path below the git top level (`""` at the top), or null when the root is not inside a git repository. */
export async function gitPrefixInside(root: string): Promise<string | null> {
  const result = await runGit(root, ["rev-parse", "--show-prefix"], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** The root's path below the git top level (`""` at the top or outside git), for rollback.sh paths. */
export async function gitPrefix(root: string): Promise<string> {
  return (await gitPrefixInside(root)) ?? "";
}
