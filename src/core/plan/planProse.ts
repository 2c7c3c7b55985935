import type { MigrationPlan, PlanModel, RiskLevel } from "./types.js";

// Wording shared by the text and the Markdown plan, so the terminal and the PR say the same thing.

export const RISK_BADGE: Record<RiskLevel, string> = { low: "🟢 Low", medium: "🟡 Medium", high: "🔴 High" };

export function basisLine(plan: MigrationPlan): string {
  return plan.basis.kind === "ready" ? "the paused models a restore would bring back now" : `the models restored by commit ${plan.basis.commit.slice(0, 12)}`;
}

/** "3 tables, 1 view; 1 ephemeral model creates nothing" */
export function relationSummary(models: readonly PlanModel[]): string {
  const counts = new Map<string, number>();
  for (const m of models) counts.set(m.materialization, (counts.get(m.materialization) ?? 0) + 1);
  const parts = [...counts].filter(([kind]) => kind !== "ephemeral").map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "s"}`);
  const ephemeral = counts.get("ephemeral") ?? 0;
  const created = parts.join(", ") || "nothing";
  return ephemeral > 0 ? `${created}; ${ephemeral} ephemeral model${ephemeral === 1 ? " creates" : "s create"} nothing` : created;
}

/** Relations the batch reads that it does not create itself, once each. */
export function upstreamOf(models: readonly PlanModel[]): { name: string; type: string; relation: string | null }[] {
  const seen = new Map<string, { name: string; type: string; relation: string | null }>();
  for (const m of models) for (const d of m.dependsOn) if (!d.inBatch && !seen.has(`${d.type}:${d.name}`)) seen.set(`${d.type}:${d.name}`, d);
  return [...seen.values()];
}
