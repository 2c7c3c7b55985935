import type { ReadinessReport, ReportDimension } from "../readiness/readinessReport.js";
import { codeSpan } from "./codeSpan.js";
import { tableCell } from "./tableCell.js";
import { truncateBody } from "./truncateBody.js";

/** Hidden marker of the one dashboard issue (found by it and by the tool's own authorship). */
export const DASHBOARD_MARKER = "<!-- dbt-unskip:dashboard -->";

/** The hidden tag after each restore checkbox: it names the dimension the box asks to restore. */
export function restoreCheckboxTag(dimension: string): string {
  return `<!-- dbt-unskip:restore:${dimension} -->`;
}

/** Reads which restore boxes are ticked in a dashboard body a person edited. */
export function tickedRestoreBoxes(body: string): string[] {
  const ticked: string[] = [];
  for (const match of body.matchAll(/^\s*[-*] \[[xX]\] .*<!-- dbt-unskip:restore:([A-Za-z0-9_]+) -->/gm)) {
    if (match[1] && !ticked.includes(match[1])) ticked.push(match[1]);
  }
  return ticked;
}

const bar = (done: number, total: number) => {
  const width = 10;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `${"▓".repeat(filled)}${"░".repeat(width - filled)}`;
};

/**
 * The dashboard issue: one place where the migration team sees every dimension's progress, what is
 * ready (with a box to ask for its restore), what is blocked and by what, ranked by how many models
 * each missing piece would unblock.
 */
export function renderDashboard(reports: readonly ReadinessReport[], context: { commit: string; restorePrs?: ReadonlyMap<string, number> }): string {
  const out: string[] = [DASHBOARD_MARKER, "# dbt-unskip: migration dashboard", ""];
  const total = reports.reduce((s, r) => ({ paused: s.paused + r.summary.paused, ready: s.ready + r.summary.ready, blocked: s.blocked + r.summary.blocked, investigate: s.investigate + r.summary.needsInvestigation }), { paused: 0, ready: 0, blocked: 0, investigate: 0 });
  out.push(
    `**${total.paused}** paused models: **${total.ready}** ready, **${total.blocked}** blocked, **${total.investigate}** need investigation. ` +
      // No timestamp: a scheduled run on an unchanged commit must produce the same body (no edit).
      `As of ${codeSpan(context.commit.slice(0, 12))}.`,
    "",
  );
  for (const report of reports) {
    if (reports.length > 1) out.push(`## Project ${codeSpan(report.project.dir)}`, "");
    out.push("| dimension | progress | ready | blocked | investigate | state document |", "| --- | --- | ---: | ---: | ---: | --- |");
    for (const dim of report.dimensions) out.push(dimensionRow(dim));
    out.push("");

    const readyDims = report.dimensions.filter((d) => d.ready > 0);
    out.push("### Ready to restore", "");
    if (readyDims.length === 0) out.push("Nothing is ready yet.", "");
    for (const dim of readyDims) {
      const models = report.models.filter((m) => m.dimension === dim.name && m.status === "ready").sort((a, b) => (a.restoreOrder ?? 0) - (b.restoreOrder ?? 0));
      const pr = context.restorePrs?.get(dim.name);
      const box = pr ? `- [x] Restore PR #${pr} is open for ${codeSpan(dim.name)}` : `- [ ] Restore ${codeSpan(dim.name)} (${dim.ready} ready) ${restoreCheckboxTag(dim.name)}`;
      out.push(box, `  ${models.map((m) => codeSpan(m.name)).join(", ")}`);
    }
    if (readyDims.length > 0) out.push("", "_Tick a box to ask for that dimension's restore pull request._", "");

    if (report.rootCauses.length > 0) {
      out.push("### Blocked: what to migrate next", "", "| missing | kind | expected from | blocks |", "| --- | --- | --- | --- |");
      for (const cause of report.rootCauses) {
        out.push(`| ${tableCell(codeSpan(cause.name))}${cause.disabled ? ` (disabled: ${tableCell(codeSpan(cause.disabled))})` : ""} | ${cause.type} | ${cause.expectedFrom ? tableCell(codeSpan(cause.expectedFrom)) : "?"} | ${cause.blocks.length}: ${tableCell(cause.blocks.map(codeSpan).join(", "))} |`);
      }
      out.push("");
    }
    const investigate = report.models.filter((m) => m.status === "needs-investigation");
    if (investigate.length > 0) {
      out.push("<details><summary>Needs investigation (" + investigate.length + ")</summary>", "");
      for (const m of investigate) out.push(`- ${codeSpan(m.path)}: ${m.reasons.map((r) => r.replace(/[<>]/g, "")).join("; ")}`);
      out.push("", "</details>", "");
    }
    if (report.problems.length > 0) {
      out.push("<details><summary>Problems (" + report.problems.length + ")</summary>", "");
      for (const p of report.problems) out.push(`- ${codeSpan(`${p.file}${p.line ? `:${p.line}` : ""}`)}: ${p.message.replace(/[<>]/g, "")}`);
      out.push("", "</details>", "");
    }
  }
  return truncateBody(out.join("\n"), { marker: DASHBOARD_MARKER, note: "The dashboard was cut to fit GitHub's size limit; `dbt-unskip status` prints all of it." });
}

function dimensionRow(dim: ReportDimension): string {
  const total = dim.active + dim.paused;
  const pct = total === 0 ? 0 : Math.round((dim.active / total) * 100);
  const doc = dim.stateDocument ? tableCell(codeSpan(dim.stateDocument)) : "none";
  return `| ${tableCell(codeSpan(dim.name))} | ${bar(dim.active, total)} ${dim.active}/${total} (${pct}%) | ${dim.ready} | ${dim.blocked} | ${dim.needsInvestigation} | ${doc} |`;
}
