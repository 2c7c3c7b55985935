import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// A small dbt project for the restore benchmark: one dimension (`dim_bench`) whose paused models are
// exactly `ready` ready models, of which `culprits` are rejected by dbt at parse time. Deterministic
// (no randomness: the same options write the same files) and quick for dbt to parse (one-line
// models, no YAML, no tests).
//
// Two kinds of culprit, both of which dbt names in its error:
// - `missing-ref`: refs an active model `legacy_feed_<i>` that exists when the readiness report is
//   made and is deleted afterwards (`deleteAfterReport`), as when an upstream model goes away
//   between the report and the restore: dbt says "depends on a node named ... which was not found";
// - `syntax`: a stray `{% endif %}` that dbt's Jinja cannot compile; the static reading still sees
//   every ref satisfied, so the tool calls the model ready.
// Every batch model refs active models only, so a culprit has no dependents in the batch: the
// models dbt rejects are exactly the injected ones.

export const RESTORE_PROJECT_DIR = "warehouse";
export const RESTORE_DIMENSION = "dim_bench";
const PROJECT_NAME = "restore_bench";
const MODEL_PATH = "models";
/** Active models the ready ones read from. */
const BASE_MODELS = 20;

export type CulpritKind = "missing-ref" | "syntax";

export interface RestoreProjectOptions {
  /** Repository root to write into. */
  dir: string;
  /** Ready paused models in the dimension (the restore batch). */
  ready: number;
  /** How many of them dbt rejects. */
  culprits: number;
}

export interface RestoreProject {
  dir: string;
  projectDir: string;
  dimension: string;
  /** Every batch model, in name order. */
  models: string[];
  /** The injected culprits, by name, with their kind. */
  culprits: { name: string; kind: CulpritKind }[];
  /** Files (relative to the repository root) to delete after the readiness report is made. */
  deleteAfterReport: string[];
  /** Active models in the project (dbt parses these plus the restored ones). */
  activeModels: number;
}

export function modelName(i: number): string {
  return `ready_${String(i).padStart(3, "0")}`;
}

/**
 * Which batch models are culprits: spread evenly over the batch (restore order is name order here),
 * kinds alternating, missing-ref first.
 */
export function culpritPlan(ready: number, culprits: number): { index: number; kind: CulpritKind }[] {
  if (!Number.isInteger(ready) || ready < 1) throw new Error(`ready must be a whole number ≥ 1, got ${ready}`);
  if (!Number.isInteger(culprits) || culprits < 0 || culprits > ready) throw new Error(`culprits must be between 0 and ${ready}, got ${culprits}`);
  const plan: { index: number; kind: CulpritKind }[] = [];
  for (let c = 0; c < culprits; c++) {
    // The c-th of k evenly spaced positions, 1-based: distinct because ready ≥ culprits.
    const index = 1 + Math.floor(((c + 0.5) * ready) / culprits);
    plan.push({ index: Math.min(index, ready), kind: c % 2 === 0 ? "missing-ref" : "syntax" });
  }
  return plan;
}

export function generateRestoreProject(options: RestoreProjectOptions): RestoreProject {
  const { dir, ready } = options;
  const plan = culpritPlan(ready, options.culprits);
  const byIndex = new Map(plan.map((p) => [p.index, p.kind]));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const models = join(RESTORE_PROJECT_DIR, MODEL_PATH);

  write(
    "project.config.json",
    `${JSON.stringify(
      {
        project: "restore-bench",
        paths: { dbt_repository: RESTORE_PROJECT_DIR, dimensions_output: "dimensions" },
        git: { branch_prefix: "migrate/", default_branch: "main" },
        migration: { source_system: "Oracle", target_platform: "DuckDB", dimensions: [RESTORE_DIMENSION] },
      },
      null,
      2,
    )}\n`,
  );
  write(
    join(RESTORE_PROJECT_DIR, "dbt_project.yml"),
    [`name: ${PROJECT_NAME}`, 'version: "1.0.0"', "config-version: 2", `profile: ${PROJECT_NAME}`, `model-paths: ["${MODEL_PATH}"]`, "", "models:", `  ${PROJECT_NAME}:`, "    +materialized: view", ""].join("\n"),
  );
  // Found by the restore in the project folder and copied into its scratch copy; compile needs one.
  write(join(RESTORE_PROJECT_DIR, "profiles.yml"), `${PROJECT_NAME}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ":memory:"\n      threads: 1\n`);
  write(".gitignore", "target/\nlogs/\n*.duckdb\n");

  for (let b = 1; b <= BASE_MODELS; b++) write(join(models, "base", `base_${String(b).padStart(2, "0")}.sql`), `select ${b} as id\n`);
  const deleteAfterReport: string[] = [];
  const culprits: RestoreProject["culprits"] = [];
  const names: string[] = [];
  for (let i = 1; i <= ready; i++) {
    const name = modelName(i);
    names.push(name);
    const base = `base_${String(1 + ((i - 1) % BASE_MODELS)).padStart(2, "0")}`;
    const lines = [`{{ config(tags=['${RESTORE_DIMENSION}']) }}`, `select id from {{ ref('${base}') }}`];
    const kind = byIndex.get(i);
    if (kind === "missing-ref") {
      const feed = `legacy_feed_${String(i).padStart(3, "0")}`;
      write(join(models, "legacy", `${feed}.sql`), `select ${i} as id\n`);
      deleteAfterReport.push(join(models, "legacy", `${feed}.sql`));
      lines.push(`union all select id from {{ ref('${feed}') }}`);
    } else if (kind === "syntax") {
      lines.push("{% endif %}");
    }
    if (kind) culprits.push({ name, kind });
    write(join(models, "paused", `${name}.sql.skip`), `${lines.join("\n")}\n`);
  }

  const doc = [
    `# ${RESTORE_DIMENSION} Migration State`,
    "",
    `**Migration ID**: ${RESTORE_DIMENSION}_20261121`,
    "**Status**: PAUSED - Awaiting Dependencies",
    "**Date**: 2026-11-21",
    `**Branch**: migrate/${RESTORE_DIMENSION}`,
    "",
    "## Migration Progress: 0% Complete",
    `### ✅ Completed (0/${ready} models)`,
    "",
    `## ⏸️ Paused Models (${ready}/${ready})`,
    "",
  ];
  names.forEach((name, i) => {
    doc.push(`### ${i + 1}. ${name}.sql → ${name}.sql.skip`, "**Status**: INCOMPLETE - Missing 0 dependencies", `**Location**: \`${MODEL_PATH}/paused/${name}.sql.skip\``, "");
  });
  write(join("dimensions", RESTORE_DIMENSION, `${RESTORE_DIMENSION.toUpperCase()}_MIGRATION_STATE.md`), `${doc.join("\n")}\n`);

  return {
    dir,
    projectDir: RESTORE_PROJECT_DIR,
    dimension: RESTORE_DIMENSION,
    models: names,
    culprits,
    deleteAfterReport,
    activeModels: BASE_MODELS,
  };
}
