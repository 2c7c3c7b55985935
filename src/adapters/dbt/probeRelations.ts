import type { DbtContext } from "./dbtContext.js";
import type { RelationAddress } from "../../usecases/warehouseDbt.js";
import { showQuery } from "./dbtShow.js";

/**
 * A Jinja string literal that reads back as exactly `text`. Inside a `{% %}` tag the lexer reads a
 * quoted string as one token, so `%}` or `{{` in a name cannot end the tag or start an expression.
 */
export function jinjaString(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`;
}

/**
 * Which of these relations exist, in one dbt invocation: `adapter.get_relation` asks the warehouse
 * in its own way, and only indexes come back, so no name is ever spliced into SQL. The names are
 * literals in the template rather than --vars, because changing vars makes dbt re-parse the whole
 * project, here and again on the next command.
 */
export async function probeRelations(ctx: DbtContext, relations: readonly RelationAddress[]): Promise<{ ok: true; present: boolean[] } | { ok: false; error: string }> {
  if (relations.length === 0) return { ok: true, present: [] };
  const literal = relations.map((r) => `(${r.database === null ? "none" : jinjaString(r.database)}, ${jinjaString(r.schema)}, ${jinjaString(r.identifier)})`).join(", ");
  const template = [
    `{%- for p in [${literal}] -%}`,
    "{%- set found = adapter.get_relation(database=p[0], schema=p[1], identifier=p[2]) -%}",
    "select {{ loop.index0 }} as probe, {{ 1 if found is not none else 0 }} as present",
    "{%- if not loop.last %} union all {% endif -%}",
    "{%- endfor -%}",
  ].join("\n");
  const shown = await showQuery(ctx, { sql: template, jinja: true });
  if (!shown.ok) return shown;
  const present = relations.map(() => false);
  for (const row of shown.rows) {
    const lower = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    const index = Number(lower.probe);
    if (Number.isInteger(index) && index >= 0 && index < present.length) present[index] = Number(lower.present) === 1;
  }
  return { ok: true, present };
}
