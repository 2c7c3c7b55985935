import type { ReadinessReport, ReportModel } from "../readiness/readinessReport.js";

const RULE = "━".repeat(60);

/** The readiness report for a terminal, in the spirit of the restart runbook's readiness check. */
export function renderStatusText(report: ReadinessReport): string {
  const out: string[] = [];
  const { summary } = report;
  out.push(RULE, `RESTART READINESS: ${report.project.name} (${report.project.dir})`, RULE, "");
  out.push(
    `Paused models: ${summary.paused}   ready: ${summary.ready}   blocked: ${summary.blocked}   needs investigation: ${summary.needsInvestigation}`,
    "",
  );

  if (report.dimensions.length > 0) {
    out.push("Progress by dimension:");
    const width = Math.max(...report.dimensions.map((d) => d.name.length));
    for (const dim of report.dimensions) {
      const total = dim.active + dim.paused;
      const pct = total === 0 ? 0 : Math.round((dim.active / total) * 100);
      const counts = `ready ${dim.ready} · blocked ${dim.blocked} · investigate ${dim.needsInvestigation}`;
      out.push(`  ${dim.name.padEnd(width)}  ${String(dim.active).padStart(3)}/${String(total).padEnd(3)} migrated (${String(pct).padStart(3)}%)  ${counts}${dim.stateDocument ? "" : "  (no state document)"}`);
    }
    out.push("");
  }

  const ready = report.models.filter((m) => m.status === "ready").sort((a, b) => a.restoreOrder! - b.restoreOrder!);
  const blocked = report.models.filter((m) => m.status === "blocked");
  const investigate = report.models.filter((m) => m.status === "needs-investigation");

  out.push(`✅ READY TO RESUME (${ready.length} model${ready.length === 1 ? "" : "s"})${ready.length > 1 ? ", in restore order:" : ":"}`);
  for (const model of ready) {
    const after = model.needsRestored.length > 0 ? `after restoring ${model.needsRestored.join(", ")} (same batch)` : "all dependencies available";
    out.push(`   ${String(model.restoreOrder).padStart(2)}. ${label(model)} → ${after}`);
  }
  if (ready.length === 0) out.push("   (none)");
  out.push("");

  out.push(`❌ STILL BLOCKED (${blocked.length} model${blocked.length === 1 ? "" : "s"}):`);
  for (const model of blocked) {
    const direct = model.missing.map((m) => missingLabel(m.type, m.name, report));
    const below = model.blockedBy
      .map((key) => key.slice(key.indexOf(":") + 1))
      .filter((name) => !model.missing.some((m) => m.name === name));
    const parts = [];
    if (direct.length > 0) parts.push(`missing: ${direct.join(", ")}`);
    if (below.length > 0) parts.push(`waits on ${model.needsRestored.join(", ")} (blocked by ${below.join(", ")})`);
    // Notes such as "'y' is disabled (...)" or "paused with enabled=false ...: set enabled to true".
    parts.push(...model.reasons);
    out.push(`   - ${label(model)} → ${parts.join("; ")}`);
  }
  if (blocked.length === 0) out.push("   (none)");
  out.push("");

  if (investigate.length > 0) {
    out.push(`❓ NEEDS INVESTIGATION (${investigate.length}):`);
    for (const model of investigate) out.push(`   - ${label(model)} → ${model.reasons.join("; ")}`);
    out.push("");
  }

  if (report.rootCauses.length > 0) {
    out.push("🎯 ROOT CAUSES, by how many paused models each blocks (migrate these first):");
    report.rootCauses.forEach((cause, i) => {
      const from = cause.expectedFrom ? `, expected from ${cause.expectedFrom}` : "";
      const disabled = cause.disabled ? ` (disabled: ${cause.disabled}; enable it)` : "";
      out.push(`   ${i + 1}. ${cause.type === "source" ? "source " : ""}${cause.name}${from}${disabled} → blocks ${cause.blocks.length}: ${cause.blocks.join(", ")}`);
    });
    out.push("");
  }

  if (report.problems.length > 0) {
    out.push(`⚠️  PROBLEMS (${report.problems.length}):`);
    for (const problem of report.problems) out.push(`   ${problem.file}${problem.line ? `:${problem.line}` : ""}  ${problem.message}`);
    out.push("");
  }
  out.push(RULE);
  return out.join("\n") + "\n";
}

function label(model: ReportModel): string {
  const file = model.path.slice(model.path.lastIndexOf("/") + 1);
  return `${file}${model.dimension ? ` [${model.dimension}]` : ""}`;
}

function missingLabel(type: string, name: string, report: ReadinessReport): string {
  const cause = report.rootCauses.find((c) => c.type === type && c.name === name);
  const prefix = type === "source" ? "source " : "";
  return `${prefix}${name}${cause?.expectedFrom ? ` (from ${cause.expectedFrom})` : ""}`;
}
