import { statSync, type Stats } from "node:fs";
import { UserError } from "../../core/userError.js";

/** A folder input that must exist: "no such folder" when it does not, "not a folder" for a file. */
export function existingFolder(label: string, path: string): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UserError(`${label}: no such folder`);
  }
  if (!stats.isDirectory()) throw new UserError(`${label}: not a folder`);
  return path;
}
