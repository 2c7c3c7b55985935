import { cp, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

const SKIP_IN_COPY = new Set([".git", "target", "logs", ".venv", "node_modules"]);

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

  static async create(projectRoot: string): Promise<ScratchProject> {
    const root = await mkdtemp(join(tmpdir(), "dbt-unskip-restore-"));
    const dir = join(root, "project");
    await cp(projectRoot, dir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !SKIP_IN_COPY.has(basename(source)) && !/\.duckdb(\.wal)?$/.test(source),
    });
    return new ScratchProject(root, dir);
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
