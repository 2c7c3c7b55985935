import type { ReadinessReport, ReportModel, RootCause } from "../readiness/readinessReport.js";
import { nextStep } from "../readiness/nextStep.js";
import { blockersDiagram } from "./blockersDiagram.js";
import { mermaidBlock } from "./mermaid.js";

/** Bigger than GitHub's pictures, still inside mermaid's default limits (500 edges, 50,000 characters). */
export const TERMINAL_DIAGRAM_LIMITS = { nodes: 300, causes: 60, perParent: 12, label: 60 };

/**
 * `status --format mermaid`: one project's diagram as a `.mmd` file; several projects as Markdown,
 * one heading and fence each. What was left out is said in a `%%` comment.
 */
export function renderStatusMermaid(reports: readonly ReadinessReport[]): string {
  const one = (report: ReadinessReport) => {
    const { mermaid, omitted } = blockersDiagram(report, TERMINAL_DIAGRAM_LIMITS);
    return omitted.count > 0 ? `${mermaid}%% left out: ${omitted.text}; dbt-unskip status lists every one\n` : mermaid;
  };
  if (reports.length === 1) return one(reports[0]!);
  return reports.map((r) => `## ${r.project.dir}\n\n${mermaidBlock(one(r))}\n`).join("\n");
}

const RULE = "━".repeat(60);

/** The readiness report for a terminal, in the spirit of the restart runbook's readiness check. */
export function renderStatusText(report: ReadinessReport): string {
  const out: string[] = [];
  const { summary } = report;
  out.push(RULE, `RESTART READINESS: ${report.project.name} (${report.project.dir})`, RULE, "");
  out.push(`Paused models: ${summary.paused}   ready: ${summary.ready}   blocked: ${summary.blocked}   needs investigation: ${summary.needsInvestigation}`, `Next: ${nextStepText(report)}`, "");

  if (report.dimensions.length > 0) {
    out.push("Progress by dimension:");
    const width = Math.max(...report.dimensions.map((d) => d.name.length));
    for (const dim of report.dimensions) {
      const total = dim.active + dim.paused;
      const pct = total === 0 ? 0 : Math.round((dim.active / total) * 100);
      const counts = `ready ${dim.ready} · blocked ${dim.blocked} · investigate ${dim.needsInvestigation}`;
      out.push(
        `  ${dim.name.padEnd(width)}  ${String(dim.active).padStart(3)}/${String(total).padEnd(3)} migrated (${String(pct).padStart(3)}%)  ${counts}${dim.stateDocument ? "" : "  (no state document)"}${dim.restoreRefused ? `  (${dim.restoreRefused.message})` : ""}`,
      );
    }
    out.push("");
  }

  const ready = report.models.filter((m) => m.status === "ready").sort((a, b) => a.restoreOrder! - b.restoreOrder!);
  const blocked = report.models.filter((m) => m.status === "blocked");
  const investigate = report.models.filter((m) => m.status === "needs-investigation");

  // Numbered from 1 in what is shown (a --dimension report keeps the order, not the global numbers).
  if (ready.length > 0) {
    out.push(`✅ READY TO RESUME (${ready.length} model${ready.length === 1 ? "" : "s"})${ready.length > 1 ? ", in restore order:" : ":"}`);
    ready.forEach((model, i) => {
      const after = model.needsRestored.length > 0 ? `after restoring ${model.needsRestored.join(", ")} (same batch)` : "all dependencies available";
      out.push(`   ${String(i + 1).padStart(2)}. ${label(model)} → ${after}`);
    });
    out.push("");
  }

  if (blocked.length > 0) out.push(`❌ STILL BLOCKED (${blocked.length} model${blocked.length === 1 ? "" : "s"}):`);
  for (const model of blocked) {
    const direct = model.missing.map((m) => missingLabel(m.type, m.name, report));
    const below = model.blockedBy.map((key) => key.slice(key.indexOf(":") + 1)).filter((name) => !model.missing.some((m) => m.name === name));
    const parts = [];
    if (direct.length > 0) parts.push(`missing: ${direct.join(", ")}`);
    if (below.length > 0) parts.push(`waits on ${model.needsRestored.join(", ")} (blocked by ${below.join(", ")})`);
    // Notes such as "'y' is disabled (...)" or "paused with enabled=false ...: set enabled to true".
    parts.push(...model.reasons);
    out.push(`   - ${label(model)} → ${parts.join("; ")}`);
  }
  if (blocked.length > 0) out.push("");

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
      const unread = cause.unreadFile ? ` (${unreadFileText(cause.unreadFile)})` : "";
      out.push(`   ${i + 1}. ${cause.type === "source" ? "source " : ""}${cause.name}${from}${disabled}${unread} → blocks ${cause.blocks.length}: ${cause.blocks.join(", ")}`);
    });
    out.push("");
  }

  if (report.problems.length > 0) {
    out.push(`⚠️  PROBLEMS (${report.problems.length}):`);
    for (const problem of report.problems) out.push(`   ${problem.file}${problem.line ? `:${problem.line}` : ""}  ${problem.message}`);
    out.push("");
  }
  out.push(RULE);
  return `${out.join("\n")}\n`;
}

/** The one command (or migration) to do next, named so it can be copied (decided by nextStep). */
function nextStepText(report: ReadinessReport): string {
  const next = nextStep(report);
  switch (next.kind) {
    case "restore": {
      const dim = next.dimension;
      // The restore brings back, with the dimension's ready models, every paused model they need,
      // whatever its dimension: count those too, and do not name a dimension it leaves nothing ready in.
      const byName = new Map(report.models.map((m) => [m.name, m]));
      const batch = new Set<string>();
      const add = (name: string) => {
        if (batch.has(name)) return;
        batch.add(name);
        for (const need of byName.get(name)?.needsRestored ?? []) add(need);
      };
      for (const m of report.models) if (m.status === "ready" && m.dimension === dim.name) add(m.name);
      const others = [...batch].filter((name) => byName.get(name)?.dimension !== dim.name);
      // Under --dimension the report holds only that dimension's models: the others are not named.
      const otherDims = [...new Set(others.map((name) => (byName.has(name) ? (byName.get(name)!.dimension ?? "no dimension") : "other dimensions")))];
      const then = next.later.filter((d) => report.models.some((m) => m.status === "ready" && m.dimension === d.name && !batch.has(m.name)));
      const more = then.length > 0 ? ` (then ${then.map((d) => d.name).join(", ")})` : "";
      const what =
        others.length > 0
          ? `restores ${batch.size} models (${dim.ready} ready in ${dim.name}, ${others.length} it needs from ${otherDims.join(", ")})`
          : `restores ${dim.ready} ready model${dim.ready === 1 ? "" : "s"}`;
      return `dbt-unskip restore --dimension ${dim.name}   ${what}${more}`;
    }
    case "unblock-restore":
      return `${next.dimension.name} has ${next.dimension.ready} ready model${next.dimension.ready === 1 ? "" : "s"}, but its ${next.dimension.restoreRefused.message}`;
    case "restore-by-hand":
      return "restore the ready models that have no dimension by hand (rename .sql.skip to .sql)";
    case "migrate": {
      const top = next.cause;
      return `migrate ${top.type === "source" ? "source " : ""}${top.name}${top.expectedFrom ? ` (expected from ${top.expectedFrom})` : ""}: it blocks ${top.blocks.length} paused model${top.blocks.length === 1 ? "" : "s"}`;
    }
    case "nothing":
      return "nothing: no paused models left";
    case "investigate":
      return "look into the models that need investigation (below)";
  }
}

function label(model: ReportModel): string {
  const file = model.path.slice(model.path.lastIndexOf("/") + 1);
  return `${file}${model.dimension ? ` [${model.dimension}]` : ""}`;
}

function missingLabel(type: string, name: string, report: ReadinessReport): string {
  const cause = report.rootCauses.find((c) => c.type === type && c.name === name);
  const prefix = type === "source" ? "source " : "";
  return `${prefix}${name}${cause?.expectedFrom ? ` (from ${cause.expectedFrom})` : ""}${cause?.unreadFile ? ` (${unreadFileText(cause.unreadFile)})` : ""}`;
}

/** `.snap_hidden.sql` exists; dbt does not read files whose names start with '.' */
function unreadFileText(unread: NonNullable<RootCause["unreadFile"]>): string {
  return `\`${unread.file.slice(unread.file.lastIndexOf("/") + 1)}\` exists; ${unread.why}`;
}
