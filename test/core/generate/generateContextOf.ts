import { profileCsvText } from "../../../src/core/csv/profileCsvText.js";
import { planColumns, type GenerateMode } from "../../../src/core/generate/columnPlan.js";
import type { Dialect } from "../../../src/core/generate/dialect.js";
import type { GenerateContext } from "../../../src/core/generate/generateContext.js";

/** A render context for CSV text, with the paths generate would choose in a project at /repo/dbt. */
export function generateContextOf(csv: string, options: { mode?: GenerateMode; dialect?: Dialect; model?: string; csvPath?: string } = {}): GenerateContext {
  const mode = options.mode ?? "source";
  const dialect = options.dialect ?? "duckdb";
  const profile = profileCsvText(csv, mode === "source" ? "csv" : dialect === "duckdb" ? "duckdb-seed" : "agate-seed");
  const out = "/repo/dbt/target/dbt-unskip-generate/users_store";
  return {
    name: "users_store",
    mode,
    dialect,
    sourceName: "bronze",
    schema: "bronze",
    model: options.model ?? null,
    csv: { path: options.csvPath ?? "/data/users_store.csv", fileName: "users_store.csv" },
    profile,
    columns: planColumns(dialect, mode, profile.columns),
    today: "2026-11-21",
    paths: {
      seedCsv: mode === "seed" ? "/repo/dbt/seeds/users_store.csv" : null,
      properties: mode === "seed" ? "/repo/dbt/seeds/_generated_users_store.yml" : "/repo/dbt/models/bronze/_generated_users_store.yml",
      model: options.model ? `/repo/dbt/models/bronze/${options.model}.sql` : null,
      load: mode === "source" ? `${out}/load.sql` : null,
      validate: `${out}/validate.sql`,
      rollbackSql: `${out}/rollback.sql`,
      rollbackScript: `${out}/rollback.sh`,
      summary: `${out}/summary.md`,
    },
    projectDir: "/repo/dbt",
    createdDirs: ["/repo/dbt/target", "/repo/dbt/target/dbt-unskip-generate", out],
    unblocks: [],
    display: (path) => (path.startsWith("/repo/") ? path.slice("/repo/".length) : path),
  };
}
