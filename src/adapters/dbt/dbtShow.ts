import { failureText, invokeDbt, type DbtContext } from "./dbtContext.js";
import type { ShowResult } from "../../usecases/warehouseDbt.js";
import type { DbtEvent } from "../../core/dbt/dbtEvent.js";

/**
 * Runs one query through `dbt show`, so it reaches any warehouse through the user's own adapter and
 * profile. Plain SQL goes inside `{% raw %}` (a name with `{{` stays a name); `jinja: true` is for
 * our own templates. No --vars: changing them makes dbt re-parse the whole project.
 */
export async function showQuery(ctx: DbtContext, input: { sql: string; jinja?: boolean }): Promise<ShowResult> {
  let inline = input.sql;
  if (!input.jinja) {
    if (/\{%[-+]?\s*endraw/.test(input.sql)) return { ok: false, error: "the query contains `{% endraw`, which cannot be passed to dbt unrendered" };
    inline = `{% raw %}${input.sql}{% endraw %}`;
  }
  const args = ["show", "--inline", inline, "--output", "json", "--limit", "-1"];
  let preview: string | null = null;
  const result = await invokeDbt(ctx, args, (event: DbtEvent) => {
    if (event.name === "ShowNode" && typeof event.data.preview === "string") preview = event.data.preview;
  });
  if (result.exitCode !== 0 || preview === null) return { ok: false, error: failureText(result, "dbt show") };
  try {
    const rows = JSON.parse(preview) as unknown;
    return Array.isArray(rows) ? { ok: true, rows: rows as Record<string, unknown>[] } : { ok: false, error: "dbt show returned no rows" };
  } catch (error) {
    return { ok: false, error: `dbt show output is not JSON: ${(error as Error).message}` };
  }
}
