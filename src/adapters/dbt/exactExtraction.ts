import { cp, mkdtemp, readFile, rename, rm, stat, appendFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { stringify } from "yaml";
import type { ExactResult } from "../../core/dbt/applyExactDependencies.js";
import { dbtErrorCulprits, dbtErrorText } from "../../core/dbt/dbtErrorCulprits.js";
import { manifestDependencies } from "../../core/dbt/manifestDependencies.js";
import type { DbtProject } from "../../core/project/buildProject.js";
import { UserError } from "../../core/userError.js";
import type { DbtInstallation } from "./findDbt.js";
import { runDbt } from "./runDbt.js";

const SKIP_IN_COPY = new Set([".git", "target", "logs", ".venv", "node_modules", "dbt_packages_cache"]);

/**
 * Asks dbt what each paused model depends on. In a scratch copy (the user's tree is never touched),
 * paused files get their real names but are disabled, `dbt parse` renders them (macros and all), and
 * the refs and sources dbt recorded for the disabled nodes are read from manifest.json. A paused file
 * that dbt cannot render is put back as `.skip`, reported, and the parse is run again.
 */
export async function extractExactDependencies(input: {
  dbt: DbtInstallation;
  /** Absolute path of the dbt project folder. */
  projectRoot: string;
  project: DbtProject;
  profilesDir?: string | undefined;
  target?: string | undefined;
  timeoutMs?: number;
}): Promise<ExactResult> {
  const scratch = await mkdtemp(join(tmpdir(), "dbt-unskip-exact-"));
  const copy = join(scratch, "project");
  try {
    await cp(input.projectRoot, copy, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !SKIP_IN_COPY.has(basename(source)) && !/\.duckdb(\.wal)?$/.test(source),
    });
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
      if (await exists(join(copy, real))) {
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

    const profilesDir = input.profilesDir ?? ((await exists(join(input.projectRoot, "profiles.yml"))) ? copy : undefined);
    for (let attempt = 0; attempt <= renamed.size; attempt++) {
      const result = await runDbt({
        command: input.dbt.command,
        args: ["parse", "--no-partial-parse", "--target-path", join(scratch, "target")],
        projectDir: copy,
        profilesDir,
        target: input.target,
        timeoutMs: input.timeoutMs ?? 600_000,
        setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(scratch, "scratch.duckdb") },
      });
      if (result.exitCode === 0) {
        const manifest = JSON.parse(await readFile(join(scratch, "target", "manifest.json"), "utf8")) as unknown;
        const dependencies: ExactResult["dependencies"] = new Map();
        for (const node of manifestDependencies(manifest, input.project.name)) {
          const skipFile = renamed.get(node.file);
          if (skipFile && !node.enabled) dependencies.set(skipFile, node.dependencies);
        }
        return { dependencies, failed };
      }
      const message = dbtErrorText(result.events) || result.otherOutput.trim().split("\n").slice(-5).join("\n");
      const culprit = dbtErrorCulprits(message).map((c) => c.file).find((file) => renamed.has(file));
      if (!culprit) {
        const why = result.timedOut ? "dbt parse timed out" : `dbt parse failed (exit ${result.exitCode ?? result.killedBy})`;
        throw new UserError(`--exact: ${why} on the project itself, so dbt cannot tell what paused models need:\n${message}`);
      }
      const skipFile = renamed.get(culprit)!;
      renamed.delete(culprit);
      await rename(join(copy, culprit), join(copy, skipFile));
      failed.set(skipFile, message.split("\n").slice(0, 3).join(" ").trim());
    }
    throw new UserError("--exact: dbt parse kept failing");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
