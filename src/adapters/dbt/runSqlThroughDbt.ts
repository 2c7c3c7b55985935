import { failureText, invokeDbt, type DbtContext } from "./dbtContext.js";

/**
 * Runs one statement in the warehouse through dbt's built-in `run_query` macro (`dbt run-operation`
 * commits when the macro returns), so no database driver and no generated file is needed, on any
 * adapter. The statement travels as YAML data in `--args`, which dbt does not render as Jinja.
 */
export async function runSqlThroughDbt(ctx: DbtContext, sql: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const result = await invokeDbt(ctx, ["run-operation", "run_query", "--args", JSON.stringify({ sql })]);
  return result.exitCode === 0 ? { ok: true } : { ok: false, error: failureText(result, "dbt run-operation run_query") };
}
