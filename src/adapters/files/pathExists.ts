import { lstat } from "node:fs/promises";

/**
 * Whether a name is there: a file, a folder, or a symbolic link even if what it points at is gone
 * (`lstat`, not `stat`), because the callers ask in order never to overwrite or shadow it. Only
 * "no such file" (ENOENT, or ENOTDIR for a path through a file) means absent; any other failure
 * (EACCES, ELOOP, ...) is thrown rather than read as "nothing there".
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw error;
  }
}
