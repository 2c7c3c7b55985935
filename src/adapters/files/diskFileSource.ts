import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import type { FileSource } from "../../usecases/fileSource.js";
import { decodeText } from "./decodeText.js";

const IGNORE = ["**/.git/**", "**/node_modules/**", "**/.venv/**"];

/** A working tree on disk. Symbolic links are listed but never followed. */
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
        stats = await lstat(full);
      } catch {
        return null;
      }
      if (stats.isSymbolicLink()) return { kind: "unreadable", reason: "symbolic link (not followed)" };
      if (!stats.isFile()) return { kind: "unreadable", reason: "not a regular file" };
      try {
        return decodeText(await readFile(full));
      } catch (error) {
        return { kind: "unreadable", reason: (error as NodeJS.ErrnoException).code ?? String(error) };
      }
    },
  };
}
