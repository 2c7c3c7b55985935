import { cp, mkdtemp, readFile, readlink, rename, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isRecord, parseYamlDocument } from "../../core/project/parseYamlDocument.js";
import { UserError } from "../../core/userError.js";

// dbt's own output and other tools' folders: often large, and not read by a parse where they
// usually are (the project folder, the repository root). Left out only there: see leftOutOfCopy.
const SKIP_IN_COPY = new Set([".git", "target", "logs", ".venv", "node_modules", "dbt_packages_cache"]);

/** dbt 1.11's folders when dbt_project.yml names none (dbt/config/project.py), the packages folder included. */
const DBT_DEFAULT_FOLDERS = ["models", "macros", "seeds", "tests", "analyses", "snapshots", "functions", "dbt_packages"];

/**
 * Whether a scratch copy leaves `source` out: a folder or file named in SKIP_IN_COPY, unless it is
 * in a folder dbt reads (`readFolders`: namedFolders resolved, absolute) or holds one. dbt 1.11
 * walks a resource path with `os.walk` and skips no folder by name (dbt-core's `find_matching`):
 * `models/node_modules/dup.sql`, `models/.venv/x.sql`, `models/target/x.sql`, `models/logs/x.sql`
 * are models in the user's tree. Left out of the copy, dbt there missed them, and a restore was
 * proven (and its pull request opened) for a `dup.sql.skip` that dbt in the tree rejects as a
 * second model named `dup` (test/integration/toolFolders.int.test.ts). Outside those folders dbt
 * reads none of them: its own target-path and log-path (each scratch run gets its own), a
 * virtualenv or node_modules beside the project or at the repository root, `.git`.
 */
export function leftOutOfCopy(source: string, readFolders: readonly string[]): boolean {
  if (!SKIP_IN_COPY.has(basename(source))) return false;
  return !readFolders.some((folder) => inside(source, folder) || inside(folder, source));
}

/**
 * The folder a scratch copy of a dbt project must hold: the project folder, or the lowest folder
 * above it that also holds every folder its dbt_project.yml names (`model-paths: ["../shared"]`,
 * `macro-paths`, `docs-paths`, any `*-paths`, `packages-install-path`). A copy of the project folder
 * alone would lose those, and dbt in the copy would reject models the user's tree accepts (a macro
 * from `../shared/macros` undefined at compile). Never above `repositoryRoot`.
 */
async function scratchCopyRoot(projectRoot: string, repositoryRoot: string): Promise<{ root: string; readFolders: string[] }> {
  const project = resolve(projectRoot);
  const repository = resolve(repositoryRoot);
  let root = project;
  // dbt's defaults count as read even when dbt_project.yml names others: copying a default folder's
  // node_modules that dbt would not read costs some time, leaving out one it reads a false answer.
  const readFolders = [...DBT_DEFAULT_FOLDERS, ...(await namedFolders(project, repository))].map((folder) => resolve(project, folder));
  for (const at of readFolders) {
    while (root !== dirname(root) && !inside(at, root)) root = dirname(root);
  }
  if (!inside(root, repository)) {
    throw new UserError(`${relative(repository, join(project, "dbt_project.yml"))}: a folder it names is outside the repository (${repository}); a scratch copy cannot hold it`);
  }
  return { root, readFolders };
}

/**
 * The folders dbt reads for this project, as written: dbt_project.yml's `*-paths` and
 * `packages-install-path`, and the `local:` packages of packages.yml or dependencies.yml (whose
 * installed link, `dbt_packages/x -> ../..`, is often relative) where they are in the repository: one
 * elsewhere on the machine is reached by its link from the copy as from the tree. A file that
 * cannot be read names none.
 */
async function namedFolders(project: string, repository: string): Promise<string[]> {
  const mapping = async (file: string) => {
    const text = await readFile(join(project, file), "utf8").catch(() => null);
    const parsed = text === null ? null : parseYamlDocument(text, file);
    return parsed && "value" in parsed && isRecord(parsed.value) ? parsed.value : {};
  };
  const folders: unknown[] = [];
  for (const [key, value] of Object.entries(await mapping("dbt_project.yml"))) {
    if (key === "target-path" || key === "log-path") continue; // scratch runs get their own
    if (key.endsWith("-paths") && Array.isArray(value)) folders.push(...value);
    if (key === "packages-install-path") folders.push(value);
  }
  for (const file of ["packages.yml", "dependencies.yml"]) {
    const packages = (await mapping(file)).packages;
    for (const p of Array.isArray(packages) ? packages : []) {
      if (isRecord(p) && typeof p.local === "string" && !isAbsolute(p.local) && inside(resolve(project, p.local), repository)) folders.push(p.local);
    }
  }
  return folders.filter((f): f is string => typeof f === "string" && f !== "");
}

function inside(path: string, folder: string): boolean {
  const below = relative(folder, path);
  return below === "" || (!below.startsWith(`..${sep}`) && below !== ".." && !isAbsolute(below));
}

/**
 * A throwaway copy of a dbt project where restores are tried. dbt runs only here while the batch
 * is being proven, so a crash, a timeout or a kill can never leave the user's tree half-restored.
 */
export class ScratchProject {
  private restored = new Set<string>();
  private paused = new Set<string>();

  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  /**
   * Copies the project folder, with every folder of `repositoryRoot` it names (scratchCopyRoot), to a
   * new temporary folder; `dir` is where the project folder is in the copy. A link is copied as it is when it points
   * inside the copied folder (it keeps pointing inside the copy) or is absolute; a relative link that
   * climbs out of it (`macros/shared -> ../../shared/macros`) points at its target in the tree
   * instead, where a copy as it is would dangle and dbt there would miss what it reads in the tree.
   * A DuckDB file is never copied.
   */
  static async create(projectRoot: string, repositoryRoot: string = projectRoot, prefix = "dbt-unskip-restore-"): Promise<ScratchProject> {
    const { root: copyRoot, readFolders } = await scratchCopyRoot(projectRoot, repositoryRoot);
    const below = relative(copyRoot, resolve(projectRoot));
    const root = await mkdtemp(join(tmpdir(), prefix));
    const copy = join(root, "project");
    const escaping: { at: string; target: string }[] = [];
    try {
      await cp(copyRoot, copy, {
        recursive: true,
        verbatimSymlinks: true,
        filter: async (source) => {
          if (leftOutOfCopy(source, readFolders) || /\.duckdb(\.wal)?$/.test(source)) return false;
          const link = await readlink(source).catch(() => null);
          if (link !== null && !isAbsolute(link)) {
            const target = resolve(dirname(source), link);
            if (!inside(target, copyRoot)) escaping.push({ at: join(copy, relative(copyRoot, source)), target });
          }
          return true;
        },
      });
      for (const link of escaping) {
        await rm(link.at, { force: true });
        await symlink(link.target, link.at);
      }
    } catch (error) {
      await rm(root, { recursive: true, force: true });
      throw error;
    }
    return new ScratchProject(root, join(copy, below));
  }

  /** Makes exactly these paused files restored (real name) and every other one paused again. */
  async setRestored(models: readonly { skipFile: string; realFile: string }[], all: readonly { skipFile: string; realFile: string }[]): Promise<void> {
    const wanted = new Set(models.map((m) => m.skipFile));
    for (const model of all) {
      const isRestored = this.restored.has(model.skipFile);
      if (wanted.has(model.skipFile) && !isRestored) {
        await rename(join(this.dir, model.skipFile), join(this.dir, model.realFile));
        this.restored.add(model.skipFile);
      } else if (!wanted.has(model.skipFile) && isRestored) {
        await rename(join(this.dir, model.realFile), join(this.dir, model.skipFile));
        this.restored.delete(model.skipFile);
      }
    }
  }

  /**
   * The inverse, for a pause: the given active files get their `.skip` name and every other file of
   * `all` keeps (or gets back) its real name.
   */
  async setPaused(models: readonly { skipFile: string; realFile: string }[], all: readonly { skipFile: string; realFile: string }[]): Promise<void> {
    const wanted = new Set(models.map((m) => m.realFile));
    for (const model of all) {
      const isPaused = this.paused.has(model.realFile);
      if (wanted.has(model.realFile) && !isPaused) {
        await rename(join(this.dir, model.realFile), join(this.dir, model.skipFile));
        this.paused.add(model.realFile);
      } else if (!wanted.has(model.realFile) && isPaused) {
        await rename(join(this.dir, model.skipFile), join(this.dir, model.realFile));
        this.paused.delete(model.realFile);
      }
    }
  }

  /**
   * Gives these files their real names where the copy has only the `.skip` one (a rollback already
   * ran), and leaves the others as they are: for a manifest with the files of a restore active.
   */
  async useRealNames(files: readonly { skipFile: string; realFile: string }[]): Promise<void> {
    for (const file of files) {
      if (!(await this.hasFile(file.realFile)) && (await this.hasFile(file.skipFile))) {
        await rename(join(this.dir, file.skipFile), join(this.dir, file.realFile));
      }
    }
  }

  private async hasFile(relative: string): Promise<boolean> {
    try {
      await stat(join(this.dir, relative));
      return true;
    } catch {
      return false;
    }
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
