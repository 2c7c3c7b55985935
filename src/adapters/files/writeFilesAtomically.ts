import { randomBytes } from "node:crypto";
import { chmod, copyFile, link, lstat, mkdir, rename, rmdir, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FileToWrite } from "../../usecases/generatePorts.js";
import { pathExists } from "./pathExists.js";

export type { FileToWrite };

/**
 * Writes a set of new files all or nothing. Each is first written to a temporary name beside its
 * destination; only when every one is complete (and `beforeCommit` agrees) are they moved into
 * place, with a hard link that fails if the destination appeared meanwhile, so nothing is ever
 * overwritten. Any failure, at any step, removes what was written and the folders it created.
 */
export async function writeFilesAtomically(files: readonly FileToWrite[], options: { beforeCommit?: () => Promise<void>; signal?: AbortSignal | undefined } = {}): Promise<void> {
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const file of files) {
      await makeDirs(dirname(file.path), createdDirs);
      const temp = tempBeside(file.path);
      temps.push(temp);
      if ("copyFrom" in file) await copyFile(file.copyFrom, temp);
      else await writeFile(temp, file.content, { flag: "wx", mode: file.mode ?? 0o644 });
      if (options.signal?.aborted) throw new Error("interrupted");
    }
    await options.beforeCommit?.();
    for (const [i, file] of files.entries()) {
      await placeWithoutOverwriting(temps[i]!, file.path, () => placed.push(file.path));
    }
  } catch (error) {
    for (const path of [...placed, ...temps]) await unlink(path).catch(() => {});
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => {});
    throw error;
  }
}

/**
 * Replaces (or creates) one file in one step: the bytes go to a temporary file beside it, which is
 * then renamed over it, so a reader, an interrupt or a crash sees the old content or the new, never
 * half of it. A file that was there keeps its permission bits (an executable stays executable). The
 * temporary file is removed on any failure. The one writer for state documents, the git index
 * during a tree transaction, and backfill state.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const before = await lstat(path).catch(() => null);
  const temp = tempBeside(path);
  try {
    await writeFile(temp, data, { flag: "wx" });
    if (before?.isFile()) await chmod(temp, before.mode & 0o777);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** A hidden name beside `path` that no other writer (this process or another) picks. */
function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.dbt-unskip-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

async function placeWithoutOverwriting(temp: string, destination: string, placed: () => void): Promise<void> {
  try {
    await link(temp, destination);
    placed();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new Error(`${destination} appeared while generating; nothing was written`);
    // A file system without hard links: check, then rename (a narrow window, but no link support).
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
    if (await pathExists(destination)) throw new Error(`${destination} appeared while generating; nothing was written`);
    await rename(temp, destination);
    placed();
    return;
  }
  await unlink(temp);
}

/** mkdir -p, recording each folder it creates (outermost first) so a failure can remove them. */
export async function makeDirs(dir: string, created: string[]): Promise<void> {
  if (await pathExists(dir)) return;
  await makeDirs(dirname(dir), created);
  try {
    await mkdir(dir);
    created.push(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
