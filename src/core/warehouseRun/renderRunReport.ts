import { codeSpan } from "../render/codeSpan.js";
import { tableCell } from "../render/tableCell.js";
import type { RunOutcome, StepStatus } from "./runOutcome.js";

const ICON: Record<StepStatus, string> = { ok: "✅", warn: "⚠️", failed: "❌", skipped: "⏭️" };
const TITLE: Record<RunOutcome["result"], string> = {
  succeeded: "✅ SUCCESS",
  failed: "❌ FAILED",
  "preflight-failed": "❌ PRE-FLIGHT FAILED (nothing ran)",
  cancelled: "✋ CANCELLED (nothing ran)",
  interrupted: "⏹️ INTERRUPTED",
};

/**
 * The run as the runbook reports it (Markdown, readable in a terminal too): status, the execution
 * log, per-model results with rows, tests, validation, and on failure the rollback on offer.
 */
export function renderRunReport(outcome: RunOutcome): string {
  const c = codeSpan;
  const row = (cells: string[]) => `| ${cells.map(tableCell).join(" | ")} |`;
  const out = [`# Migration Execution: ${c(outcome.dimension)}`, ""];
  out.push(`**Started:** ${outcome.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}`);
  out.push(`**Restore commit:** ${c(outcome.commit.slice(0, 12))}`);
  out.push(`**Status:** ${TITLE[outcome.result]}`, "");

  out.push("## Execution Log", "", "| Step | Duration | Status |", "|------|----------|--------|");
  for (const s of outcome.steps) out.push(row([s.detail ? `${s.step}: ${c(s.detail)}` : s.step, seconds(s.seconds), ICON[s.status]]));
  out.push("", `**Total Duration:** ${seconds(outcome.seconds)}`, "");

  const missing = outcome.upstream.filter((u) => u.present === false);
  if (missing.length > 0) {
    out.push("## Missing Upstream Relations", "");
    for (const u of missing) out.push(`- ${c(u.name)}${u.relation ? ` (${c(u.relation)})` : ""}: build it first, e.g. ${c(`dbt run --select ${u.name}`)}`);
    out.push("");
  }
  if (outcome.existedBefore.length > 0) {
    out.push(`⚠️ Existed before this run (replaced now, and a rollback would drop them): ${outcome.existedBefore.map((r) => c(r)).join(", ")}`, "");
  }
  if (outcome.models.length > 0) {
    out.push("## Models", "", "| Model | Status | Duration | Rows |", "|-------|--------|----------|------|");
    for (const m of outcome.models) {
      const rows = m.rows === null ? "n/a" : `${m.rows.toLocaleString("en-US")}${m.rowsFrom === "count" ? " (counted)" : ""}`;
      out.push(row([c(m.name), m.message && m.status !== "success" ? `${m.status}: ${c(firstLine(m.message))}` : m.status, seconds(m.seconds), rows]));
    }
    out.push("");
  }
  if (outcome.tests.length > 0) {
    out.push("## Tests", "", "| Test | Result |", "|------|--------|");
    for (const t of outcome.tests) {
      const failing = t.failures ? ` (${t.failures} failing row${t.failures === 1 ? "" : "s"})` : "";
      out.push(row([c(t.name), `${t.status === "pass" ? "✅" : t.status === "warn" ? "⚠️" : "❌"} ${t.status}${failing}`]));
    }
    out.push("");
  }
  if (outcome.validation.length > 0) {
    out.push("## Validation Results", "", "| Check | Result |", "|-------|--------|");
    for (const v of outcome.validation) {
      const what = v.kind === "row_count" ? `${c(v.model)} row count` : `${c(v.model)} no null ${v.columns.map((x) => c(x)).join(", ")}`;
      const value = v.observed === null ? "no answer" : v.kind === "row_count" ? v.observed.toLocaleString("en-US") : `${v.observed} null`;
      out.push(row([what, `${v.status === "ok" ? "✅" : v.status === "warn" ? "⚠️" : "❌"} ${value}`]));
    }
    out.push("");
  }
  if (outcome.error) out.push(`**Error:** ${c(firstLine(outcome.error))}`, "");
  if (outcome.rollbackCommand) {
    out.push("## Rollback", "", "Nothing was rolled back. To undo the restore (drop what it created, re-skip the files), run:", "", `    ${outcome.rollbackCommand}`, "");
  }
  return `${out.join("\n")}\n`;
}

function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
}

function firstLine(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join(" ")
    .slice(0, 400);
}
