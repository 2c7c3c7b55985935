import { codeSpan } from "../render/codeSpan.js";
import { tableCell } from "../render/tableCell.js";
import { codeBlock } from "./codeBlock.js";
import { basisLine, relationSummary, RISK_BADGE, upstreamOf } from "./planProse.js";
import type { MigrationPlan, PlanModel } from "./types.js";

export interface PlanMarkdownOptions {
  /** Include rollback.sh in a collapsed block (it embeds the state document, so it can be long). */
  includeScript?: boolean;
  /** Heading level of the title (2 inside a PR body that has its own title). */
  headingLevel?: 1 | 2;
  /** Rollback and validation SQL in collapsed blocks too (a PR body, where the prose comes first). */
  collapseSql?: boolean;
  /**
   * The restore pull request's part: the risk verdict and its steps first, no model list (the body
   * has "Restored"), no "Still paused" (the body has it), impact per model collapsed, no rollback.sh.
   */
  pullRequest?: boolean;
}

/**
 * The plan as Markdown, for the restore PR body and the `/unskip plan` answer. Every name, path and
 * message from the project is a code span (RELIABILITY 11), in tables with pipes escaped.
 */
export function renderPlanMarkdown(plan: MigrationPlan, options: PlanMarkdownOptions = {}): string {
  const h = "#".repeat(options.headingLevel ?? 1);
  const c = codeSpan;
  const names = (list: readonly string[]) => list.map((n) => c(n)).join(", ");
  if (options.pullRequest) return renderPlanForReview(plan, h);
  const out: string[] = [`${h} Migration Plan: ${c(plan.dimension)}`, ""];
  out.push(`${h}# Summary`, "");
  out.push(`- **Project:** ${c(plan.project.name)} (${c(plan.project.dir)}), adapter ${c(plan.adapter ?? "unknown")}`);
  out.push(`- **Basis:** ${basisLine(plan)}`);
  if (plan.models.length === 0) {
    out.push("- **Models:** none: nothing is ready to restore", "");
    appendPaused(out, plan, h);
    return `${out.join("\n")}\n`;
  }
  out.push(`- **Models:** ${plan.models.length}, in restore order (${relationSummary(plan.models)})`);
  out.push(`- **Risk Level:** ${RISK_BADGE[plan.risk.level]}`, "");

  out.push(`${h}# Changes`, "", "| # | Model | Materialization | Creates | Tests | Risk |", "| --- | --- | --- | --- | --- | --- |");
  for (const m of plan.models) {
    const cells = [String(m.order), c(m.name), c(m.materialization), m.relation ? c(m.relation) : "nothing", String(m.tests.length || "none"), RISK_BADGE[m.risk.level]];
    out.push(`| ${cells.map(tableCell).join(" | ")} |`);
  }
  out.push("", `${h}# Impact Analysis`, "");
  for (const m of plan.models) out.push(...modelSection(m, h, names), "");

  const upstream = upstreamOf(plan.models);
  const unblocks = [...new Set(plan.models.flatMap((m) => m.dependents.paused.map((p) => p.name)))];
  out.push(`${h}# Dependencies`, "");
  out.push(`- **Requires:** ${upstream.length > 0 ? upstream.map((u) => `${c(u.name)}${u.relation ? ` → ${c(u.relation)}` : ` (${u.type}, no relation to check)`}`).join(", ") : "nothing outside the batch"}`);
  out.push(`- **Unblocks:** ${unblocks.length > 0 ? names(unblocks) : "no paused model waits on this batch"}`, "");
  appendPaused(out, plan, h);

  out.push(`${h}# Rollback`, "");
  out.push(`${c(plan.rollback.command)} drops what the restore created and re-skips the files (it asks first). By hand, run this SQL and \`sh rollback.sh\`:`, "");
  out.push(...maybeCollapsed(options.collapseSql, "rollback.sql: drops what the restore created, dependents first", codeBlock(plan.rollback.sql, "sql")), "");
  if (options.includeScript !== false) {
    out.push("<details><summary>rollback.sh: re-skips the restored files and restores the state document</summary>", "", codeBlock(plan.rollback.script, "sh"), "", "</details>", "");
  }

  out.push(`${h}# Validation`, "");
  const tests = plan.validation.tests;
  out.push(`- **dbt tests** (${tests.length}): ${c(plan.validation.command)}${tests.length > 0 ? `: ${names(tests)}` : ""}`);
  const rows = plan.validation.checks.filter((k) => k.kind === "row_count").length;
  const keys = plan.validation.checks.filter((k) => k.kind === "null_key").map((k) => k.model);
  out.push(`- **Queries** (validation.sql): row counts of ${rows} relation${rows === 1 ? "" : "s"}${keys.length > 0 ? `; no null unique key in ${names(keys)}` : ""}`, "");
  out.push(...maybeCollapsed(options.collapseSql, "validation.sql: one row per check", codeBlock(plan.validation.sql, "sql")), "");

  out.push(`${h}# Recommendation`, "", plan.recommendation.headline);
  for (const step of plan.recommendation.steps) {
    out.push(`- ${step.text}${step.models.length > 0 ? ` ${names(step.models)}` : ""}${step.command ? ` ${c(step.command)}` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

/** The plan inside a restore pull request: verdict first, nothing the body already says. */
function renderPlanForReview(plan: MigrationPlan, h: string): string {
  const c = codeSpan;
  const names = (list: readonly string[]) => list.map((n) => c(n)).join(", ");
  const out: string[] = [`${h} Risk: ${RISK_BADGE[plan.risk.level]}`, ""];
  out.push(`${plan.recommendation.headline.replace(/^\S+\s/, "")}:`, "");
  for (const step of plan.recommendation.steps) {
    out.push(`- ${step.text}${step.models.length > 0 ? ` ${names(step.models)}` : ""}${step.command ? ` ${c(step.command)}` : ""}`);
  }
  if (plan.recommendation.steps.length > 0) out.push("");
  out.push(`Basis: ${basisLine(plan)}; adapter ${c(plan.adapter ?? "unknown")}.`, "");
  if (plan.models.length === 0) return `${out.join("\n")}\n`;
  const upstream = upstreamOf(plan.models);
  const unblocks = [...new Set(plan.models.flatMap((m) => m.dependents.paused.map((p) => p.name)))];
  out.push(`- **Requires:** ${upstream.length > 0 ? upstream.map((u) => `${c(u.name)}${u.relation ? ` → ${c(u.relation)}` : ` (${u.type}, no relation to check)`}`).join(", ") : "nothing outside the batch"}`);
  out.push(`- **Unblocks:** ${unblocks.length > 0 ? names(unblocks) : "no paused model waits on this batch"}`, "");
  out.push("<details><summary>Impact per model: what each creates, depends on and is tested by</summary>", "");
  for (const m of plan.models) out.push(...modelSection(m, `${h}#`, names), "");
  out.push("</details>", "");
  const tests = plan.validation.tests;
  out.push(`${h}# Validation`, "");
  out.push(`- **dbt tests** (${tests.length}): ${c(plan.validation.command)}${tests.length > 0 ? `: ${names(tests)}` : ""}`);
  out.push(...maybeCollapsed(true, "validation.sql: one row per check", codeBlock(plan.validation.sql, "sql")), "");
  out.push(...maybeCollapsed(true, "rollback.sql: drops what a run of these models created, dependents first", codeBlock(plan.rollback.sql, "sql")), "");
  return `${out.join("\n")}\n`;
}

function maybeCollapsed(collapse: boolean | undefined, summary: string, block: string): string[] {
  return collapse ? [`<details><summary>${summary}</summary>`, "", block, "", "</details>"] : [block];
}

function modelSection(m: PlanModel, h: string, names: (l: readonly string[]) => string): string[] {
  const c = codeSpan;
  const lines = [`${h}## ${m.order}. ${c(m.name)} (${RISK_BADGE[m.risk.level]})`, ""];
  lines.push(`- **File:** ${c(m.realFile)} (was ${c(m.skipFile)}): ${c(m.because)}`);
  lines.push(`- **Creates:** ${m.relation ? `${c(m.relation)} (${c(m.materialization)})` : `nothing (${c(m.materialization)})`}`);
  lines.push(`- **Depends on:** ${m.dependsOn.length > 0 ? m.dependsOn.map((d) => `${c(d.name)}${d.inBatch ? " (this batch)" : ""}`).join(", ") : "nothing"}`);
  const by: string[] = [];
  if (m.dependents.inBatch.length > 0) by.push(`${names(m.dependents.inBatch)} (this batch)`);
  if (m.dependents.active.length > 0) by.push(`${names(m.dependents.active)} (active)`);
  for (const p of m.dependents.paused) {
    by.push(`${c(p.name)} (paused${p.stillBlockedBy.length > 0 ? `, still blocked by ${names(p.stillBlockedBy)}` : ", ready once this is back"})`);
  }
  lines.push(`- **Depended on by:** ${by.length > 0 ? by.join("; ") : "nothing yet"}`);
  lines.push(`- **Tests:** ${m.tests.length > 0 ? names(m.tests) : "none"}`);
  lines.push(`- **Risk:** ${m.risk.reasons.map(prose).join("; ")}`);
  return lines;
}

function appendPaused(out: string[], plan: MigrationPlan, h: string): void {
  if (plan.reSkipped.length > 0) {
    out.push(`${h}# Rejected by dbt (would stay paused)`, "");
    for (const r of plan.reSkipped) out.push(`- ${codeSpan(r.name)}: ${codeSpan(r.reason)}`);
    out.push("");
  }
  if (plan.stayingPaused.length > 0) {
    out.push(`${h}# Still paused`, "");
    for (const s of plan.stayingPaused) out.push(`- ${codeSpan(s.name)}: ${codeSpan(s.reason)}`);
    out.push("");
  }
}

/** Our own prose shows as text; anything with characters Markdown could act on becomes a code span. */
function prose(text: string): string {
  return /^[A-Za-z0-9 :;,.()'_-]*$/.test(text) ? text : codeSpan(text);
}
