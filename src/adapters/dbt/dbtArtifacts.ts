import { readFile, rm } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { PYYAML_OPTIONS } from "../../core/project/pyYaml.js";
import { parseBoundedYaml } from "../../core/yaml/boundedYaml.js";

/**
 * Where dbt writes manifest.json and run_results.json for this project: `DBT_TARGET_PATH` (dbt
 * gets it through its allow-list), else `target-path` in dbt_project.yml, else `target`.
 */
export async function targetDir(projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let configured = env.DBT_TARGET_PATH;
  if (!configured) {
    try {
      const parsed = parseBoundedYaml(await readFile(join(projectDir, "dbt_project.yml"), "utf8"), PYYAML_OPTIONS);
      const project = ("value" in parsed ? parsed.value : null) as { "target-path"?: unknown } | null;
      if (typeof project?.["target-path"] === "string" && !project["target-path"].includes("{{")) configured = project["target-path"];
    } catch {
      /* dbt itself reports a broken dbt_project.yml */
    }
  }
  const dir = configured || "target";
  return isAbsolute(dir) ? dir : join(projectDir, dir);
}

/** A JSON artifact, or null when dbt did not write it (or wrote something unreadable). */
export async function readJsonArtifact(path: string): Promise<unknown | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    return null;
  }
}

/**
 * The `manifest.json` that `dbt parse` (or any command) wrote into `targetPath`, parsed; null when
 * there is none or it is not JSON. The one reader of the manifest file: plans, runs, backfills and
 * exact extraction read it here and interpret it with the core's readers.
 */
export async function readManifestArtifact(targetPath: string): Promise<unknown | null> {
  return readJsonArtifact(join(targetPath, "manifest.json"));
}

/** Removes `manifest.json` from `targetPath` (if there), so the next one read there is the next run's. */
export async function clearManifestArtifact(targetPath: string): Promise<void> {
  await rm(join(targetPath, "manifest.json"), { force: true });
}
