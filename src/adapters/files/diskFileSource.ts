import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fg from "fast-glob";
import type { FileSource } from "../../usecases/fileSource.js";
import { decodeText } from "./decodeText.js";

const IGNORE = ["**/.git/**", "**/node_modules/**", "**/.venv/**"];

/**
 * A working tree on disk. Symbolic links are listed but never followed.
 *
 * Reads are synchronous on purpose: a scan reads every model once, and the promise-based reads cost
 * four to five times as much as the synchronous ones for the small files of a dbt project (a
 * thread-pool round trip and a promise per open, stat, read and close: about 0.4 s of a 10,000-model
 * scan, see BENCHMARKS.md). Nothing else runs while a scan reads its files.
 */
export function createDiskFileSource(root: string): FileSource {
  return {
    async list(dir) {
      const cwd = join(root, dir);
      // Symbolic links are listed (read() then says what they are) so a report can name them.
      const entries = await fg("**/*", { cwd, dot: true, onlyFiles: false, objectMode: true, followSymbolicLinks: false, ignore: IGNORE, suppressErrors: true });
      const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
      return entries
        .filter((entry) => entry.dirent.isFile() || entry.dirent.isSymbolicLink())
        .map((entry) => prefix + entry.path)
        .sort();
    },
    async glob(patterns) {
      return (await fg(patterns, { cwd: root, dot: false, followSymbolicLinks: false, ignore: IGNORE, suppressErrors: true })).sort();
    },
    async read(path) {
      const full = join(root, path);
      let stats;
      try {
        stats = lstatSync(full);
      } catch {
        return null;
      }
      if (stats.isSymbolicLink()) return { kind: "unreadable", reason: "symbolic link (not followed)" };
      if (!stats.isFile()) return { kind: "unreadable", reason: "not a regular file" };
      try {
        return decodeText(readFileSync(full));
      } catch (error) {
        return { kind: "unreadable", reason: (error as NodeJS.ErrnoException).code ?? String(error) };
      }
    },
  };
}
