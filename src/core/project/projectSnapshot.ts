/** The content of one file as an adapter read it. Binary, invalid UTF-8 and unreadable files
 * arrive as `unreadable` with the reason, so the report can name them and go on. */
export type FileContent = { kind: "text"; text: string } | { kind: "unreadable"; reason: string };

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
  files: ReadonlyMap<string, FileContent | "listed">;
}

export function joinPath(dir: string, rest: string): string {
  if (dir === "" || dir === ".") return rest;
  return `${dir.replace(/\/+$/, "")}/${rest}`;
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
