import { basisLine, relationSummary, RISK_BADGE, upstreamOf } from "./planProse.js";
import type { MigrationPlan } from "./types.js";
import { neutraliseControlCharacters } from "../render/controlCharacters.js";

const RULE = "━".repeat(60);

/** Control characters in a name could move the cursor or recolour the terminal: shown as `?`. */
const t = (text: string) => neutraliseControlCharacters(text, "mask");

/** The plan for a terminal: the same content as the Markdown, without the SQL and script bodies. */
export function renderPlanText(plan: MigrationPlan): string {
  const out: string[] = [RULE, `MIGRATION PLAN: ${t(plan.dimension)}`, RULE, ""];
  out.push(`Project: ${t(plan.project.name)} (${t(plan.project.dir)}), adapter ${t(plan.adapter ?? "unknown")}`);
  out.push(`Basis: ${basisLine(plan)}`);
  if (plan.models.length === 0) {
    out.push("Nothing is ready to restore.");
  } else {
    out.push(`Models: ${plan.models.length}, in restore order (${relationSummary(plan.models)})`);
    out.push(`Risk: ${RISK_BADGE[plan.risk.level]}${plan.risk.reasons.length > 0 ? ` (${t(plan.risk.reasons.join("; "))})` : ""}`, "");
    for (const m of plan.models) {
      out.push(`${m.order}. ${t(m.name)}  [${t(m.materialization)}]  ${RISK_BADGE[m.risk.level]}`);
      out.push(`   file:       ${t(m.realFile)} (was .skip): ${t(m.because)}`);
      out.push(`   creates:    ${m.relation ? t(m.relation) : "nothing"}`);
      out.push(`   depends on: ${m.dependsOn.map((d) => `${t(d.name)}${d.inBatch ? " (this batch)" : ""}`).join(", ") || "nothing"}`);
      const by = [
        ...m.dependents.inBatch.map((n) => `${t(n)} (this batch)`),
        ...m.dependents.active.map((n) => `${t(n)} (active)`),
        ...m.dependents.paused.map((p) => `${t(p.name)} (paused${p.stillBlockedBy.length > 0 ? `, still blocked by ${t(p.stillBlockedBy.join(", "))}` : ", ready once this is back"})`),
      ];
      out.push(`   used by:    ${by.join(", ") || "nothing yet"}`);
      out.push(`   tests:      ${m.tests.length > 0 ? t(m.tests.join(", ")) : "none"}`);
      out.push(`   risk:       ${t(m.risk.reasons.join("; "))}`, "");
    }
    const upstream = upstreamOf(plan.models);
    out.push(`Requires: ${upstream.map((u) => t(u.name)).join(", ") || "nothing outside the batch"}`);
  }
  for (const r of plan.reSkipped) out.push(`Rejected by dbt (would stay paused): ${t(r.name)}: ${t(r.reason)}`);
  if (plan.stayingPaused.length > 0) {
    out.push("", `Still paused (${plan.stayingPaused.length}):`);
    for (const s of plan.stayingPaused) out.push(`  - ${t(s.name)}: ${t(s.reason)}`);
  }
  if (plan.models.length > 0) {
    const drops = plan.rollback.sql.split("\n").filter((l) => l.startsWith("DROP ")).length;
    out.push(
      "",
      `Rollback: ${t(plan.rollback.command)} (drops ${drops} relation${drops === 1 ? "" : "s"}, re-skips ${plan.models.length} file${plan.models.length === 1 ? "" : "s"}${plan.stateDocument ? ", restores the state document" : ""})`,
    );
    out.push(`Validation: ${t(plan.validation.command)} (${plan.validation.tests.length} tests) and ${plan.validation.checks.length} queries (validation.sql)`);
    out.push("", RULE, `Recommendation: ${plan.recommendation.headline}`, RULE);
    for (const step of plan.recommendation.steps) {
      out.push(`  - ${step.text}${step.models.length > 0 ? ` ${t(step.models.join(", "))}` : ""}${step.command ? ` ${t(step.command)}` : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}
