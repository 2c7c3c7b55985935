import { columnIdentifier } from "./columnPlan.js";
import { neutraliseControlCharacters } from "../render/controlCharacters.js";
import { qualifiedName, sqlString } from "./dialect.js";
import type { GenerateContext } from "./generateContext.js";

/**
 * One SELECT whose rows are the checks (`check_name`, `expected`, `actual`, `ok`): the row count
 * equals the file's, no NULL where the file had none, and the key is unique. One statement, so it
 * runs as it is in `dbt show --inline`, psql or SnowSQL. A seed is named through `ref()`, because
 * its schema is dbt's to decide; a source table by its quoted name.
 */
export function renderValidationSql(ctx: GenerateContext): string {
  const relation = relationExpression(ctx);
  const checks: string[] = [`select ${sqlString(ctx.dialect, "row count")} as check_name, ${ctx.profile.rows} as expected, (select count(*) from ${relation}) as actual`];
  for (const column of ctx.columns) {
    if (!column.notNull) continue;
    const name = sqlString(ctx.dialect, `no nulls in ${column.physical}`);
    checks.push(`select ${name}, 0, (select count(*) from ${relation} where ${columnIdentifier(column)} is null)`);
  }
  const key = ctx.columns.find((c) => c.header === ctx.profile.key?.column);
  if (key) {
    const name = sqlString(ctx.dialect, `unique ${key.physical}`);
    checks.push(`select ${name}, 0, (select count(*) - count(distinct ${columnIdentifier(key)}) from ${relation})`);
  }
  return [
    `-- Validation of ${ctx.mode === "seed" ? `seed ${ctx.name}` : `source ${ctx.sourceName}.${ctx.name}`} against ${neutraliseControlCharacters(ctx.csv.fileName, "mask")} (dbt-unskip generate, ${ctx.today}).`,
    "-- Every row must say ok = true.",
    `-- Run: ${ctx.mode === "seed" || ctx.dialect === "duckdb" ? 'dbt show --inline "$(cat validate.sql)" --limit -1 (from the dbt project folder)' : ctx.dialect === "postgres" ? "psql -f validate.sql" : "snowsql -f validate.sql"}`,
    "select check_name, expected, actual, expected = actual as ok",
    "from (",
    checks.map((c) => `    ${c}`).join("\n    union all\n"),
    // What goes through `dbt show` (a seed, DuckDB) has no semicolon: dbt may wrap it in a LIMIT
    // subquery. psql and SnowSQL scripts end their statement.
    ctx.mode === "seed" || ctx.dialect === "duckdb" ? ") as checks" : ") as checks;",
    "",
  ].join("\n");
}

/** How SQL names the loaded relation: `{{ ref('seed') }}` for a seed, the quoted table for a source. */
export function relationExpression(ctx: GenerateContext): string {
  return ctx.mode === "seed" ? `{{ ref('${ctx.name}') }}` : qualifiedName(ctx.dialect, ctx.schema, ctx.name);
}
