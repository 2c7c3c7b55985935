import { isPlainName } from "../plainName.js";
import type { BreakingModel } from "../readiness/readinessReport.js";
import { codeSpan } from "./codeSpan.js";

/**
 * The `/unskip pause <dim> <models>` commands that would take the active models dbt parse rejects
 * out of the way (and, through the cascade, whatever depends on them), one per dimension. Models
 * without a dimension, or whose names cannot travel in a command, are named without one.
 * Self-contained, so the PR comment and the dashboard each add it with one line.
 */
export function renderPauseOffer(breaking: readonly Pick<BreakingModel, "name" | "dimension">[], where: string): string[] {
  if (breaking.length === 0) return [];
  const byDimension = new Map<string, string[]>();
  const without: string[] = [];
  for (const model of breaking) {
    if (model.dimension !== null && isPlainName(model.dimension) && isPlainName(model.name)) {
      const list = byDimension.get(model.dimension) ?? [];
      if (!list.includes(model.name)) list.push(model.name);
      byDimension.set(model.dimension, list);
    } else if (!without.includes(model.name)) without.push(model.name);
  }
  if (byDimension.size === 0) return [];
  const out = [`To keep \`dbt parse\` passing ${where}, pause them (and everything that depends on them) until their upstreams land:`, ""];
  for (const [dimension, models] of [...byDimension].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`- ${codeSpan(`/unskip pause ${dimension} ${[...models].sort().join(" ")}`)}`);
  }
  if (without.length > 0) out.push(`- no dimension known for ${without.sort().map(codeSpan).join(", ")}: tag them, or run \`dbt-unskip pause\` with a dimension`);
  out.push("");
  return out;
}
