import { mkdir, readFile, realpath, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { LocalFiles } from "../../usecases/localFiles.js";
import { createDiskFileSource } from "./diskFileSource.js";
import { pathExists } from "./pathExists.js";
import { writeFileAtomically } from "./writeFilesAtomically.js";

/** The real file system behind the `LocalFiles` port. */
export const localDisk: LocalFiles = {
  tree: createDiskFileSource,
  exists: pathExists,
  realpath: (path) => realpath(path),
  async stat(path) {
    const stats = await stat(path).catch(() => null);
    return stats ? { size: stats.size, mtimeMs: stats.mtimeMs } : null;
  },
  async readText(path) {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw error;
    }
  },
  readBytes: (path) => readFile(path),
  async replaceText(path, text) {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomically(path, text);
  },
  remove: (path) => rm(path, { force: true }),
};
