import { open, realpath } from "node:fs/promises";
import { sep } from "node:path";
import { parseSavedReport, type SavedPullRequestReport } from "../core/readiness/savedPullRequestReport.js";
import { UserError } from "../core/userError.js";

const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads a report a fork's workflow saved. The path must resolve (links followed) inside the
 * runner's temporary folder, where the download step put it; anything else is refused before
 * a byte is read. Size is bounded, and the content is checked field by field.
 */
export async function readSavedReport(path: string, runnerTemp: string): Promise<SavedPullRequestReport> {
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([realpath(path), realpath(runnerTemp)]);
  } catch (error) {
    throw new UserError(`saved report ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!real.startsWith(root + sep)) throw new UserError(`saved report ${path}: refused, it is not inside the runner's temporary folder (${runnerTemp})`);
  const handle = await open(real, "r");
  let text: string;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UserError(`saved report ${path}: not a regular file`);
    if (stats.size > MAX_BYTES) throw new UserError(`saved report ${path}: ${stats.size} bytes, more than ${MAX_BYTES} allowed`);
    text = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  const parsed = parseSavedReport(text);
  if ("error" in parsed) throw new UserError(`saved report ${path}: ${parsed.error}`);
  return parsed.report;
}
