/** The content of one file as an adapter read it. Binary, invalid UTF-8 and unreadable files
 * arrive as `unreadable` with the reason, so the report can name them and go on. */
export type FileContent = { kind: "text"; text: string } | { kind: "unreadable"; reason: string };

/** What every file source (disk, commit, tarball) answers for a symbolic link: it is never followed. */
export const SYMBOLIC_LINK_NOT_FOLLOWED = "symbolic link (not followed)";

/**
 * Everything the static scan needs from one dbt project, read once by an adapter (disk, git, or a
 * tarball from the API). Paths are POSIX and relative to the repository root.
 */
export interface ProjectSnapshot {
  /** The dbt project folder relative to the repository root ("" when it is the root). */
  projectDir: string;
  /** `<projectDir>/dbt_project.yml`'s text. */
  dbtProjectYml: FileContent;
  /** `.dbtignore` text, when the project has one. */
  dbtignore: string | null;
  /**
   * Files under the project's model, snapshot and macro paths (with content) and seed paths
   * (listed only: a seed's name is its file name). Installed packages' files are included under
   * their own folders, with each package's `dbt_project.yml`.
   */
  files: ReadonlyMap<string, FileContent | "listed" | "deferred">;
  /**
   * How a `"deferred"` file's content is had, read when the scan gets to it (null: gone since it
   * was listed, as if not listed). Set only by a reader that can read a file at once (a working
   * tree on disk): a scan then never holds every model's text at the same time (on the real-shaped
   * 50,000-model project they are 200 MB; BENCHMARKS.md, findings 16).
   */
  readDeferred?: ((path: string) => FileContent | null) | undefined;
}

export function joinPath(dir: string, rest: string): string {
  if (dir === "" || dir === ".") return rest.startsWith("../") ? normalizePath(rest) : rest;
  const joined = `${dir.replace(/\/+$/, "")}/${rest}`;
  // A path outside the project folder (`model-paths: ["../shared"]`): written as the repository sees it.
  return rest.startsWith("../") ? normalizePath(joined) : joined;
}

/**
 * A POSIX path with `.` and `..` segments resolved, without touching a disk: `a/b/../../c` → `c`.
 * Leading `..` that climb above the start stay (`../x`); "" for the start itself.
 */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.replace(/\\/g, "/").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(segment);
  }
  return out.join("/");
}

/** Does this normalized path climb out of where it starts? */
export function climbsOut(normalized: string): boolean {
  return normalized === ".." || normalized.startsWith("../");
}

/** `path` (relative to the repository root) as seen from `dir`, climbing out with `..` when it is not below it. */
export function relativeFrom(dir: string, path: string): string {
  if (dir === "" || dir === ".") return path;
  const from = dir.split("/").filter((s) => s !== "");
  const to = path.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...Array(from.length - common).fill(".."), ...to.slice(common)].join("/");
}

/** `rel` below `dir`, or null when it is not inside it. */
export function relativeTo(dir: string, rel: string): string | null {
  if (dir === "" || dir === ".") return rel;
  const prefix = folderPrefix(dir);
  return rel.startsWith(prefix) ? rel.slice(prefix.length) : null;
}

// `dir/` for each folder asked about: a scan asks about the same few folders for every file.
const prefixes = new Map<string, string>();

function folderPrefix(dir: string): string {
  let prefix = prefixes.get(dir);
  if (prefix === undefined) {
    prefix = `${dir.replace(/\/+$/, "")}/`;
    if (prefixes.size < 1000) prefixes.set(dir, prefix);
  }
  return prefix;
}
