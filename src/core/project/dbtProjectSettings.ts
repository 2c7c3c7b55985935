import type { Problem } from "../types.js";
import { isRecord, parseYamlDocument } from "./parseYamlDocument.js";
import { normalizePath } from "./projectSnapshot.js";

/** What dbt_project.yml says about where things live. dbt's own defaults apply to what is absent. */
export interface DbtProjectSettings {
  name: string;
  modelPaths: string[];
  seedPaths: string[];
  snapshotPaths: string[];
  macroPaths: string[];
  packagesInstallPath: string;
  /** The `models:` block, used for folder-level `+tags`, `+enabled`, `+materialized`. */
  modelsConfig: Record<string, unknown>;
  /** The `seeds:`, `snapshots:` and `sources:` blocks, for their `+enabled`. */
  seedsConfig: Record<string, unknown>;
  snapshotsConfig: Record<string, unknown>;
  sourcesConfig: Record<string, unknown>;
  /** The `vars:` block, for resolving `var('x', ...)` where a project sets it. */
  vars: Record<string, unknown>;
}

export function parseDbtProjectSettings(text: string, file: string): { settings: DbtProjectSettings } | { problem: Problem } {
  const parsed = parseYamlDocument(text, file, "invalid-project");
  if ("problem" in parsed) return parsed;
  const doc = parsed.value;
  if (!isRecord(doc)) {
    return { problem: { kind: "invalid-project", file, message: "expected a mapping with at least `name`" } };
  }
  if (typeof doc.name !== "string" || doc.name.trim() === "") {
    return { problem: { kind: "invalid-project", file, message: "`name` is missing or not a string" } };
  }
  const paths = (key: string, fallback: string[]): string[] | Problem => {
    const value = doc[key];
    if (value === undefined || value === null) return fallback;
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.map(normalizeDir);
    return { kind: "invalid-project", file, message: `\`${key}\` must be a list of folder names` };
  };
  const modelPaths = paths("model-paths", ["models"]);
  const seedPaths = paths("seed-paths", ["seeds"]);
  const snapshotPaths = paths("snapshot-paths", ["snapshots"]);
  const macroPaths = paths("macro-paths", ["macros"]);
  for (const p of [modelPaths, seedPaths, snapshotPaths, macroPaths]) if (!Array.isArray(p)) return { problem: p };
  const install = doc["packages-install-path"];
  if (install !== undefined && typeof install !== "string") {
    return { problem: { kind: "invalid-project", file, message: "`packages-install-path` must be a folder name" } };
  }
  return {
    settings: {
      name: doc.name,
      modelPaths: modelPaths as string[],
      seedPaths: seedPaths as string[],
      snapshotPaths: snapshotPaths as string[],
      macroPaths: macroPaths as string[],
      packagesInstallPath: normalizeDir(install ?? "dbt_packages"),
      modelsConfig: isRecord(doc.models) ? doc.models : {},
      seedsConfig: isRecord(doc.seeds) ? doc.seeds : {},
      snapshotsConfig: isRecord(doc.snapshots) ? doc.snapshots : {},
      sourcesConfig: isRecord(doc.sources) ? doc.sources : {},
      vars: isRecord(doc.vars) ? doc.vars : {},
    },
  };
}

/** A folder as written in dbt_project.yml, relative to the project folder; `..` segments resolved as far as they go. */
function normalizeDir(dir: string): string {
  const slashed = dir.replace(/\\/g, "/");
  // An absolute folder keeps its leading slash: buildProject refuses it by name.
  return slashed.startsWith("/") ? `/${normalizePath(slashed)}` : normalizePath(slashed);
}
