import type { ColumnPlan } from "./columnPlan.js";

/** A one-line description of a column for YAML docs and reports: type, nulls, key, why. */
export function describeColumn(column: ColumnPlan, key: string | null): string {
  const p = column.profile;
  const parts = [column.sqlType];
  parts.push(p.nulls === 0 ? "no nulls" : `${p.nulls.toLocaleString("en-US")} null${p.nulls === 1 ? "" : "s"}`);
  if (key === column.header) parts.push("unique (the key)");
  const text = `${parts.join(", ")}. ${[...p.notes, ...column.notes].join("; ")}`.trim();
  return text.endsWith(".") ? text : `${text}.`;
}
