import { constants, lstatSync, readdirSync, readFileSync, type Dirent, type Stats } from "node:fs";
import { join } from "node:path";
import { SYMBOLIC_LINK_NOT_FOLLOWED, type FileContent } from "../../core/project/projectSnapshot.js";
import type { FileSource } from "../../usecases/fileSource.js";
import { boundedGlob, literalBase } from "../../core/config/boundedPattern.js";
import { decodeText, MAX_FILE_BYTES } from "./decodeText.js";
import { boundYoungGeneration } from "../runtime/youngGeneration.js";

/**
 * Left out of a glob's walk: entries with these names, and all below them. Never out of `list`.
 *
 * `list` is asked for the folders dbt reads (a project's model, macro, seed, snapshot paths, its
 * packages folder) and lists all of each, as dbt 1.11 does: its `find_matching` walks a resource
 * path with `os.walk` and skips no folder by name, so `models/node_modules/x.sql`,
 * `models/.venv/x.sql`, `models/target/x.sql`, even `models/.git/x.sql` are models to the user's
 * dbt (checked with the pinned dbt, test/integration/toolFolders.int.test.ts). Skipping them
 * there hid an active model from the scan: a paused model of the same name was called ready
 * (dbt: "two models with the name") and a model reading one was called blocked. A
 * repository-root `.venv` or `node_modules` (tens of thousands of files) is still never walked:
 * no resource path holds it unless the project says `model-paths: ["."]` at the root, and then dbt
 * walks it too. A commit's or an archive's listing skips nothing either (pathListing.ts).
 *
 * A glob is walked from its pattern's literal folder, the repository root for a project-dir pattern
 * that starts with a wildcard: not a folder dbt reads, and there these stay out.
 */
const GLOB_SKIPPED_NAMES: ReadonlySet<string> = new Set([".git", "node_modules", ".venv"]);
const NOTHING_SKIPPED: ReadonlySet<string> = new Set();

// Opening a file known to be regular: never through a symbolic link, never waiting on a FIFO that
// took its place since it was listed. Without O_NOFOLLOW (Windows) such reads take the long way.
const NOFOLLOW = constants.O_NOFOLLOW;
const FAST_OPEN_FLAGS = NOFOLLOW === undefined ? undefined : constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);

/**
 * A working tree on disk. Symbolic links are listed but never followed.
 *
 * Reads are synchronous on purpose: a scan reads every model once, and the promise-based reads cost
 * four to five times as much as the synchronous ones for the small files of a dbt project (a
 * thread-pool round trip and a promise per open, stat, read and close: about 0.4 s of a 10,000-model
 * scan, see BENCHMARKS.md). Nothing else runs while a scan reads its files.
 *
 * A file that `list` saw as a regular file is read in one call (open without following links,
 * read, decode as UTF-8, close) instead of `lstat` then a read of bytes then a strict decode; any
 * doubt (a NUL, a replacement character, a large file, an error) sends it the long way, which
 * gives the same answers as before (`test/bench/diskFileSource.test.ts`).
 */
export function createDiskFileSource(root: string): FileSource {
  /** Paths `list` saw as regular files. */
  const regular = new Set<string>();
  return {
    async list(dir) {
      const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
      const found: string[] = [];
      // Symbolic links are listed (read() then says what they are) so a report can name them.
      walk(join(root, dir), "", NOTHING_SKIPPED, (rel, dirent) => {
        const path = prefix + rel;
        if (dirent.isFile()) {
          regular.add(path);
          found.push(path);
        } else if (dirent.isSymbolicLink()) {
          found.push(path);
        }
      });
      return found.sort();
    },
    async glob(patterns) {
      // Matched by the bounded (linear-time) glob engine, never by a backtracking regex: patterns
      // can come from a pull request's own config file. Walked from each pattern's literal folder.
      const found = new Set<string>();
      for (const pattern of patterns) {
        const match = boundedGlob(pattern, { dot: false });
        const base = literalBase(pattern);
        if (base.split("/").includes("..")) continue; // never outside the tree
        const prefix = base === "" ? "" : `${base}/`;
        walk(join(root, base), "", GLOB_SKIPPED_NAMES, (rel, dirent) => {
          const path = prefix + rel;
          if (dirent.isFile() && match.test(path)) found.add(path);
        });
      }
      return [...found].sort();
    },
    async read(path) {
      const text = listedText(path);
      return text !== null ? { kind: "text", text } : readLongWay(path);
    },
    // The same answer as `read`, from an object literal of its own. V8 decides per literal
    // (allocation site) whether to make its objects in the old generation once most of them have
    // lived long: the snapshot's texts, read through `read`, all do. A deferred model's text dies
    // once extracted, but its `{ kind, text }` made old there (dead, yet scanned by every young
    // collection until the next full one) kept it alive into the old generation too: on the
    // real-shaped 50,000-model project 150 MB of dead texts there, and the heap limit grows with
    // them (BENCHMARKS.md, finding 21). `test/bench/diskFileSourceGenerations.test.ts` holds it.
    readSync(path) {
      const text = listedText(path);
      return text !== null ? { kind: "text", text } : readLongWay(path);
    },
  };

  /** The text of a file `list` saw as regular, when plainly fine; null: read it the long way. */
  function listedText(path: string): string | null {
    boundYoungGeneration();
    return FAST_OPEN_FLAGS !== undefined && regular.has(path) ? readListedFile(join(root, path)) : null;
  }

  function readLongWay(path: string): FileContent | null {
    const full = join(root, path);
    let stats: Stats;
    try {
      stats = lstatSync(full);
    } catch {
      return null;
    }
    if (stats.isSymbolicLink()) return { kind: "unreadable", reason: SYMBOLIC_LINK_NOT_FOLLOWED };
    if (!stats.isFile()) return { kind: "unreadable", reason: "not a regular file" };
    try {
      return decodeText(readFileSync(full));
    } catch (error) {
      return { kind: "unreadable", reason: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
  }
}

/**
 * Every entry below `dir`, depth first, with its path relative to `dir`; symbolic links are not
 * followed, and entries named in `skipped` are passed over with all they hold. Folders that cannot be read are skipped.
 */
function walk(dir: string, rel: string, skipped: ReadonlySet<string>, each: (rel: string, dirent: Dirent) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(rel === "" ? dir : join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const dirent of entries) {
    if (skipped.has(dirent.name)) continue;
    const path = rel === "" ? dirent.name : `${rel}/${dirent.name}`;
    if (dirent.isDirectory()) walk(dir, path, skipped, each);
    else each(path, dirent);
  }
}

/**
 * The text of a file listed as regular, when it is plainly fine: not over the size limit, no NUL,
 * valid UTF-8 (the lenient decoder leaves no replacement character), not empty. Null for anything
 * else, including errors: the caller then reads it the long way.
 */
function readListedFile(full: string): string | null {
  let text: string;
  try {
    // Numeric open flags, as fs.open takes them (the typings only admit strings): one native call
    // opens, reads, decodes and closes, where openSync + readFileSync(fd) + closeSync take three.
    text = readFileSync(full, { encoding: "utf8", flag: FAST_OPEN_FLAGS as unknown as string });
  } catch {
    return null;
  }
  // At most 3 bytes per UTF-16 code unit: below this length the file is within the limit.
  // Empty: perhaps a FIFO or device put in the file's place since the listing; lstat says.
  if (text.length === 0 || text.length > MAX_FILE_BYTES / 3 || text.includes("\ufffd") || text.includes("\0")) return null;
  // The strict decoder drops one byte-order mark and decodeText a second one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
