import type { FileSource } from "./fileSource.js";

/**
 * The machine's own files, as use cases see them beside a project snapshot (`FileSource`): dbt's
 * target folder (a backfill's state), the files generate writes, a paused file's exact bytes.
 * Paths are absolute. `adapters/files/localDisk.ts` is the real one; a test can hand in another.
 */
export interface LocalFiles {
  /** The repository checked out at `root`, as a scan reads it (the files a status or a plan looks at). */
  tree(root: string): FileSource;
  /** Whether a name is there (a dangling symbolic link counts); "absent" only for no such file. */
  exists(path: string): Promise<boolean>;
  /** The path with every symbolic link resolved; throws when it does not exist. */
  realpath(path: string): Promise<string>;
  /** Size and modification time (following links), or null when it cannot be had. */
  stat(path: string): Promise<{ size: number; mtimeMs: number } | null>;
  /** The file's text as UTF-8 (a byte-order mark kept), or null when there is no such file. */
  readText(path: string): Promise<string | null>;
  /** The file's bytes; throws when it cannot be read. */
  readBytes(path: string): Promise<Uint8Array>;
  /** Replaces (or creates) the file in one step, creating its folder when needed. */
  replaceText(path: string, text: string): Promise<void>;
  /** Removes the file; nothing when it is not there. */
  remove(path: string): Promise<void>;
}
