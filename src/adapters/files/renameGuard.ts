import { lstat, realpath } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { UserError } from "../../core/userError.js";
import { pathExists } from "./pathExists.js";

/**
 * RELIABILITY 9, for a restore (`x.sql.skip` → `x.sql`) and a pause (`x.sql` → `x.sql.skip`) alike:
 * never follow a link, never overwrite, never leave the project. `from` and `to` are relative to
 * the dbt project; `verb` words the refusal ("restore": "refusing to restore it", "restoring …").
 */
export async function checkRenameIsSafe(projectRoot: string, rename: { from: string; to: string }, verb: "restore" | "pause"): Promise<void> {
  const from = resolve(projectRoot, rename.from);
  const to = resolve(projectRoot, rename.to);
  const realRoot = await realpath(projectRoot);
  for (const path of [from, to]) {
    const parent = await realpath(dirname(path)).catch(() => null);
    if (parent === null || (parent !== realRoot && !parent.startsWith(realRoot + sep))) {
      throw new UserError(`${relative(projectRoot, path)}: resolves outside the dbt project; refusing to rename it`);
    }
  }
  const stats = await lstat(from).catch(() => null);
  if (!stats) throw new UserError(`${rename.from}: no longer exists`);
  if (stats.isSymbolicLink()) throw new UserError(`${rename.from}: is a symbolic link; refusing to ${verb} it`);
  if (!stats.isFile()) throw new UserError(`${rename.from}: is not a regular file`);
  if (await pathExists(to)) throw new UserError(`${rename.to}: already exists; ${verb === "restore" ? "restoring" : "pausing"} ${rename.from} would overwrite it`);
}
