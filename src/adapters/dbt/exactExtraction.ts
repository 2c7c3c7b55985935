import { interruptedBy } from "../../core/interrupt/interruptedBy.js";
import { rename, appendFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import type { ExactResult } from "../../core/dbt/applyExactDependencies.js";
import { dbtErrorCulprits, dbtErrorText } from "../../core/dbt/dbtErrorCulprits.js";
import { dbtErrorHeadline } from "../../core/dbt/dbtErrorHeadline.js";
import { manifestDependencies, type ManifestNodeDependencies } from "../../core/dbt/manifestDependencies.js";
import type { DbtProject } from "../../core/project/buildProject.js";
import { UserError } from "../../core/userError.js";
import { defaultProfilesDir, type DbtContext } from "./dbtContext.js";
import type { DbtInstallation } from "./findDbt.js";
import { readManifestArtifact } from "./dbtArtifacts.js";
import { spawnDbt } from "./spawnDbt.js";
import { pathExists } from "../files/pathExists.js";
import { ScratchProject } from "./scratchProject.js";

/** What `dbt parse` made of a scratch copy where every paused file has its real name but is disabled. */
export interface PausedDisabledParse {
  /** The root project's models as the manifest records them (enabled and disabled). */
  nodes: ManifestNodeDependencies[];
  /** The models of installed packages the engine knows of, by package name (enabled and disabled). */
  packageNodes: Map<string, ManifestNodeDependencies[]>;
  /** Real file name (as dbt sees it) → the paused `.skip` file it came from. */
  renamed: Map<string, string>;
  /** Paused files dbt could not render (put back as `.skip`), with dbt's message. */
  failed: Map<string, string>;
}

/**
 * Asks dbt what each paused model depends on. In a scratch copy (the user's tree is never touched),
 * paused files get their real names but are disabled, `dbt parse` renders them (macros and all), and
 * the refs and sources dbt recorded for the disabled nodes are read from manifest.json. A paused file
 * that dbt cannot render is put back as `.skip`, reported, and the parse is run again.
 */
export async function extractExactDependencies(input: ExactInput): Promise<ExactResult> {
  const parsed = await parseWithPausedDisabled(input, "--exact");
  const dependencies: ExactResult["dependencies"] = new Map();
  for (const node of parsed.nodes) {
    const skipFile = parsed.renamed.get(node.file);
    if (skipFile && !node.enabled) dependencies.set(skipFile, node.dependencies);
  }
  return { dependencies, failed: parsed.failed };
}

export interface ExactInput {
  dbt: DbtInstallation;
  /** Absolute path of the dbt project folder. */
  projectRoot: string;
  project: DbtProject;
  profilesDir?: string | undefined;
  target?: string | undefined;
  timeoutMs?: number;
  /** Variable names passed through to dbt on top of the allow-list. */
  extraEnv?: readonly string[] | undefined;
  /** Variables set for dbt (e.g. `DBT_PROFILE` for a project whose dbt_project.yml names none). */
  setEnv?: Record<string, string> | undefined;
  /**
   * The repository root (default: `projectRoot`): the scratch copy holds the project folder and the
   * folders it names (`local: ../` packages, `macro-paths: ["../shared"]`), never more than this.
   */
  root?: string | undefined;
  /** Aborted by Ctrl-C or SIGTERM: dbt parse is stopped, the scratch copy removed, and the parse throws. */
  signal?: AbortSignal | undefined;
}

/**
 * `verify`'s parse port over a checkout (the CLI's root, the Action's workspace): each project's
 * `dbt parse` with its paused files disabled, in a scratch copy (of the project and the folders of
 * `root` it names, so `local: ../` packages and relative links keep working).
 */
export function verifyParse(root: string, dbt: Omit<DbtContext, "projectDir">): (project: DbtProject) => Promise<PausedDisabledParse> {
  return (project) => parseWithPausedDisabled({ ...dbt, projectRoot: resolve(root, project.projectDir || "."), root, project }, "verify");
}

/**
 * The one scratch parse behind exact mode and `verify`: a copy of the project, paused files under
 * their real names with `enabled=false` appended (so dbt renders them without building them), and
 * dbt's manifest read for the root project. `what` names the caller in error messages.
 */
export async function parseWithPausedDisabled(input: ExactInput, what: string): Promise<PausedDisabledParse> {
  const scratchProject = await ScratchProject.create(input.projectRoot, input.root, "dbt-unskip-exact-");
  const scratch = scratchProject.root;
  const copy = scratchProject.dir;
  try {
    const failed = new Map<string, string>();
    const renamed = new Map<string, string>(); // real name (as dbt sees it) → .skip file
    const pythonModels: string[] = [];
    for (const model of input.project.models) {
      if (model.state !== "paused") continue;
      if (model.file.startsWith("../")) {
        // A folder shared with other projects, outside the copied project folder.
        failed.set(model.file, "in a folder outside the dbt project folder: not extracted exactly");
        continue;
      }
      const real = model.file.replace(/\.skip$/i, "");
      if (await pathExists(join(copy, real))) {
        failed.set(model.file, `an active file '${real}' exists beside it`);
        continue;
      }
      await rename(join(copy, model.file), join(copy, real));
      // A trailing config() call wins over any earlier one in the file.
      if (model.language === "sql") await appendFile(join(copy, real), "\n{{ config(enabled=false) }}\n");
      else pythonModels.push(model.name);
      renamed.set(real, model.file);
    }
    if (pythonModels.length > 0) {
      const firstModelPath = input.project.settings.modelPaths[0] ?? "models";
      const yml = stringify({ version: 2, models: pythonModels.map((name) => ({ name, config: { enabled: false } })) });
      await writeFile(join(copy, firstModelPath, "_dbt_unskip_exact_disabled.yml"), yml);
    }

    const profilesDir = await defaultProfilesDir(input.projectRoot, input.profilesDir, copy);
    for (let attempt = 0; attempt <= renamed.size; attempt++) {
      const result = await spawnDbt({
        command: input.dbt.command,
        // The scratch folder's own target and log folders, whatever DBT_TARGET_PATH or DBT_LOG_PATH say.
        args: ["parse", "--no-partial-parse", "--target-path", join(scratch, "target"), "--log-path", join(scratch, "logs")],
        projectDir: copy,
        profilesDir,
        target: input.target,
        timeoutMs: input.timeoutMs ?? 600_000,
        forkServer: input.dbt.forkServer,
        ...(input.extraEnv ? { extraEnv: input.extraEnv } : {}),
        setEnv: { ...input.setEnv, DBT_UNSKIP_DUCKDB_PATH: join(scratch, "scratch.duckdb") },
        ...(input.signal ? { signal: input.signal } : {}),
      });
      // What dbt said while it was being stopped is no finding (and no culprit to retry without).
      if (input.signal?.aborted) throw new UserError(`${what}: dbt parse was stopped by ${interruptedBy(input.signal)}`);
      if (result.exitCode === 0) {
        const manifest = await readManifestArtifact(join(scratch, "target"));
        if (manifest === null) throw new UserError(`${what}: dbt parse succeeded but wrote no readable manifest.json`);
        const packageNodes = new Map(input.project.packages.map((name) => [name, manifestDependencies(manifest, name)]));
        return { nodes: manifestDependencies(manifest, input.project.name), packageNodes, renamed, failed };
      }
      const message = dbtErrorText(result.events) || result.otherOutput.trim().split("\n").slice(-5).join("\n");
      const culprit = dbtErrorCulprits(message)
        .map((c) => c.file)
        .find((file) => renamed.has(file));
      if (!culprit) {
        const why = result.timedOut ? "dbt parse timed out" : `dbt parse failed (exit ${result.exitCode ?? result.killedBy})`;
        throw new UserError(`${what}: ${why} on the project itself, so dbt cannot tell what paused models need:\n${message}`);
      }
      const skipFile = renamed.get(culprit)!;
      renamed.delete(culprit);
      await rename(join(copy, culprit), join(copy, skipFile));
      failed.set(skipFile, dbtErrorHeadline(message));
    }
    throw new UserError(`${what}: dbt parse kept failing`);
  } finally {
    await scratchProject.dispose();
  }
}
