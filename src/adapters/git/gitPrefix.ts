import { runGit } from "./runGit.js";

/** The root's path below the git top level (`""` at the top or outside git), for rollback.sh paths. */
export async function gitPrefix(root: string): Promise<string> {
  const result = await runGit(root, ["rev-parse", "--show-prefix"], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : "";
}
