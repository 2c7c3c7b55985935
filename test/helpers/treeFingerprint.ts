import { createHash } from "node:crypto";
import { lstat, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { runGit } from "../../src/adapters/git/runGit.js";

/**
 * Everything a restore could change, as one comparable value: a hash of every file in the work
 * tree (git metadata aside), `git status --porcelain`, the index, the branch and HEAD.
 */
export async function treeFingerprint(dir: string): Promise<Record<string, string>> {
  const files = await fg("**/*", { cwd: dir, dot: true, onlyFiles: false, followSymbolicLinks: false, ignore: [".git/**"] });
  const result: Record<string, string> = {};
  for (const file of files.sort()) {
    const full = join(dir, file);
    const stats = await lstat(full);
    if (stats.isSymbolicLink()) result[file] = `link:${await readlink(full)}`;
    else if (stats.isFile())
      result[file] = createHash("sha256")
        .update(await readFile(full))
        .digest("hex");
  }
  result["(git status)"] = (await runGit(dir, ["status", "--porcelain=v1", "--untracked-files=all"])).stdout;
  result["(git index)"] = (await runGit(dir, ["ls-files", "--stage"])).stdout;
  result["(git HEAD)"] = (await runGit(dir, ["rev-parse", "HEAD"])).stdout.trim();
  result["(git branch)"] = (await runGit(dir, ["branch", "--list"])).stdout;
  return result;
}
