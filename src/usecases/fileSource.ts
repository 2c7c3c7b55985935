import type { FileContent } from "../core/project/projectSnapshot.js";

/**
 * How use cases see a repository's files: a working tree, a commit read through git, or a tarball
 * from the API. Paths are POSIX and relative to the repository root.
 */
export interface FileSource {
  /** Every file below `dir` ("" for the root), recursively; nothing when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Paths matching glob patterns (relative to the root). */
  glob(patterns: string[]): Promise<string[]>;
  /** The file's text, or why it cannot be had. A missing file is `null`. */
  read(path: string): Promise<FileContent | null>;
  /**
   * `read` at once, for a source that needs no waiting (a working tree on disk): a scan then reads
   * each model when it gets to it instead of holding them all (readProjectSnapshot's `defer`).
   */
  readSync?(path: string): FileContent | null;
}
