import type { ReadinessReport, ReportDimension, RootCause } from "../readiness/readinessReport.js";
import { blockersDiagram } from "./blockersDiagram.js";
import { escapeHtml } from "./escapeHtml.js";
import { mermaidBlock } from "./mermaid.js";
import { codeSpan } from "./codeSpan.js";
import { restorableDimensions } from "../readiness/nextStep.js";
import { restoreRefusedMarkdown } from "./restoreRefused.js";
import { unreadFileMarkdown } from "./unreadFile.js";
import { renderPauseOffer } from "./renderPauseOffer.js";
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

export interface ReadinessMarkdownContext {
  commit: string;
  /** Open restore pull requests by dimension: listed apart, and their dimension gets no box. */
  restorePrs?: ReadonlyMap<string, number> | undefined;
  /** A web link to a file at this commit (state documents); names stay plain without it. */
  fileUrl?: ((path: string) => string) | undefined;
}

/** How many names a one-line list shows before "and N more". */
const NAMES_SHOWN = 5;
/** Root causes shown per expected dimension before the rest is collapsed. */
const CAUSES_SHOWN = 5;

/**
 * The dashboard issue: one place where the migration team sees the verdict and the one next
 * action first, then every dimension's progress, what is ready (with a box to ask for its restore),
 * open restore pull requests, and what is blocked, grouped by the dimension expected to provide it.
 * No H1: the issue title is the heading.
 */
export function renderDashboard(reports: readonly ReadinessReport[], context: ReadinessMarkdownContext): string {
  const out = [DASHBOARD_MARKER, ...renderReadinessMarkdown(reports, context, { boxes: true, headingLevel: 2 })];
  return truncateBody(out.join("\n"), { marker: DASHBOARD_MARKER, note: "The dashboard was cut to fit GitHub's size limit; `dbt-unskip status` prints all of it." });
}

/**
 * The readiness job summary: the dashboard's Markdown (no boxes: a summary is not edited), then the
 * terminal report collapsed in a fence. Markdown only: an HTML block (`<h2>`, `<pre>`) would end
 * at the report's first blank line and GitHub would show the rest as loose paragraphs.
 */
export function renderReadinessSummary(reports: readonly ReadinessReport[], context: ReadinessMarkdownContext, text: string): string {
  const out = ["## dbt-unskip: readiness", "", ...renderReadinessMarkdown(reports, context, { boxes: false, headingLevel: 3 })];
  out.push("<details><summary>The full report, as <code>dbt-unskip status</code> prints it</summary>", "", fence(text), "", "</details>", "");
  return out.join("\n");
}

/** A fenced code block that no line of `text` can close. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/^ {0,3}(`+|~+)/gm)].map((m) => m[1]!.length));
  const f = "`".repeat(longest + 1);
  return `${f}text\n${text.replace(/\n$/, "")}\n${f}`;
}

export function renderReadinessMarkdown(reports: readonly ReadinessReport[], context: ReadinessMarkdownContext, options: { boxes: boolean; headingLevel: 2 | 3 }): string[] {
  const h = "#".repeat(options.headingLevel);
  const out: string[] = [...verdict(reports, context, options.boxes), ""];
  const total = reports.reduce(
    (s, r) => ({ paused: s.paused + r.summary.paused, ready: s.ready + r.summary.ready, blocked: s.blocked + r.summary.blocked, investigate: s.investigate + r.summary.needsInvestigation }),
    { paused: 0, ready: 0, blocked: 0, investigate: 0 },
  );
  out.push(
    `**${total.paused}** paused models: **${total.ready}** ready, **${total.blocked}** blocked, **${total.investigate}** need investigation. ` +
      // No timestamp: a scheduled run on an unchanged commit must produce the same body (no edit).
      `As of ${codeSpan(context.commit.slice(0, 12))}.`,
    "",
  );
  const openPrs = [...(context.restorePrs ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
  if (openPrs.length > 0) {
    out.push(`${h} Open restore pull requests`, "");
    for (const [dim, pr] of openPrs) out.push(`- #${pr} restores ${codeSpan(dim)}`);
    out.push("");
  }
  for (const report of reports) {
    if (reports.length > 1) out.push(`${h} Project ${codeSpan(report.project.dir)}`, "");
    const sub = reports.length > 1 ? `${h}#` : h;
    const readyDims = report.dimensions.filter((d) => d.ready > 0);
    if (readyDims.length > 0) {
      out.push(`${sub} Ready to restore`, "");
      for (const dim of readyDims) {
        const models = report.models.filter((m) => m.dimension === dim.name && m.status === "ready").sort((a, b) => (a.restoreOrder ?? 0) - (b.restoreOrder ?? 0));
        const pr = context.restorePrs?.get(dim.name);
        const list = names(models.map((m) => m.name));
        // One line per box, the tag last: a list on the next line would render on the checkbox line.
        if (pr !== undefined) out.push(`- ${codeSpan(dim.name)}: ${dim.ready} ready (${list}); restore pull request #${pr} is open`);
        // No box for a restore that would be refused: what to change first instead.
        else if (dim.restoreRefused) out.push(`- ${codeSpan(dim.name)}: ${dim.ready} ready (${list}); ${restoreRefusedMarkdown(dim.restoreRefused)}`);
        else if (options.boxes) out.push(`- [ ] Restore ${codeSpan(dim.name)}: ${dim.ready} ready (${list}) ${restoreCheckboxTag(dim.name)}`);
        else out.push(`- ${codeSpan(dim.name)}: ${dim.ready} ready (${list})`);
      }
      out.push("");
    }
    out.push(`${sub} Progress`, "", "| dimension | progress | ready | blocked | investigate |", "| --- | --- | ---: | ---: | ---: |");
    for (const dim of report.dimensions) out.push(dimensionRow(dim, context));
    out.push("");
    if (report.dimensions.some((d) => d.stateDocument === null)) out.push("_A dimension without a link has no state document._", "");

    if (report.rootCauses.length > 0) {
      out.push(`${sub} Blocked: what to migrate next`, "");
      out.push(...blockedGroups(report));
      const diagram = blockersDiagram(report);
      out.push(`${sub} What blocks what`, "", mermaidBlock(diagram.mermaid), "");
      if (diagram.omitted.count > 0) out.push(`_Left out of the picture: ${diagram.omitted.text}. \`dbt-unskip status\` lists every one; \`dbt-unskip status --format mermaid\` draws a larger picture._`, "");
    }
    if (report.breaking && report.breaking.length > 0) {
      out.push(`${sub} Would need pausing (\`dbt parse\` fails on ${report.breaking.length} active model${report.breaking.length === 1 ? "" : "s"})`, "");
      for (const b of report.breaking) out.push(`- ${codeSpan(b.name)} (${b.dimension ? codeSpan(b.dimension) : "no dimension"}) needs ${b.dependsOn.map(codeSpan).join(", ")}`);
      out.push("", ...renderPauseOffer(report.breaking, "on the default branch"));
    }
    const investigate = report.models.filter((m) => m.status === "needs-investigation");
    if (investigate.length > 0) {
      out.push(`<details><summary>Needs investigation (${investigate.length})</summary>`, "");
      for (const m of investigate) out.push(`- ${codeSpan(m.path)}: ${m.reasons.map((r) => r.replace(/[<>]/g, "")).join("; ")}`);
      out.push("", "</details>", "");
    }
    if (report.problems.length > 0) {
      out.push(`<details><summary>Problems (${report.problems.length})</summary>`, "");
      for (const p of report.problems) out.push(`- ${codeSpan(`${p.file}${p.line ? `:${p.line}` : ""}`)}: ${p.message.replace(/[<>]/g, "")}`);
      out.push("", "</details>", "");
    }
  }
  return out;
}

/** The verdict and the one next action, as a GitHub alert. */
function verdict(reports: readonly ReadinessReport[], context: ReadinessMarkdownContext, boxes: boolean): string[] {
  const problems = reports.reduce((n, r) => n + r.problems.length, 0);
  const readyDims = reports.flatMap((r) => restorableDimensions(r).filter((d) => !context.restorePrs?.has(d.name)));
  // Ready models whose restore would be refused: what to change first, not a box to tick.
  const refused = reports.flatMap((r) => r.dimensions.flatMap((d) => (d.ready > 0 && d.restoreRefused && !context.restorePrs?.has(d.name) ? [[d, d.restoreRefused] as const] : [])));
  const ready = readyDims.reduce((n, d) => n + d.ready, 0);
  const paused = reports.reduce((n, r) => n + r.summary.paused, 0);
  const top = reports.flatMap((r) => r.rootCauses).sort((a, b) => b.blocks.length - a.blocks.length)[0];
  const lines: string[] = [];
  if (ready > 0) {
    const dims = readyDims.map((d) => codeSpan(d.name)).join(", ");
    lines.push(
      "> [!TIP]",
      `> **${plural(ready, "paused model")} ready** in ${dims}.`,
      boxes ? "> Tick a dimension's box below to open its restore pull request." : "> Tick its box in the dashboard issue, or run `dbt-unskip restore --dimension NAME`.",
    );
  } else if (refused.length > 0) {
    const [dim, why] = refused[0]!;
    lines.push("> [!WARNING]", `> **${plural(dim.ready, "paused model")} ready** in ${codeSpan(dim.name)}, but its ${restoreRefusedMarkdown(why)}.`);
  } else if (paused === 0) {
    lines.push("> [!NOTE]", "> **No paused models left.** The migration is complete.");
  } else if (top) {
    const what = `${top.type === "source" ? "source " : ""}${codeSpan(top.name)}`;
    lines.push("> [!NOTE]", `> **Nothing new is ready.** Migrate ${what} next${top.expectedFrom ? ` (expected from ${codeSpan(top.expectedFrom)})` : ""}: it blocks ${plural(top.blocks.length, "paused model")}.`);
  } else {
    lines.push("> [!NOTE]", "> **Nothing new is ready.** The paused models left need investigation (below).");
  }
  if (problems > 0) lines.push("", "> [!WARNING]", `> ${plural(problems, "problem")} found while reading the project (below): some readiness may be missing.`);
  return lines;
}

/** Root causes grouped by the dimension expected to provide them, biggest first; top 5 per group, the rest collapsed. */
function blockedGroups(report: ReadinessReport): string[] {
  const groups = new Map<string | null, RootCause[]>();
  for (const cause of report.rootCauses) groups.set(cause.expectedFrom, [...(groups.get(cause.expectedFrom) ?? []), cause]);
  const weight = (causes: RootCause[]) => new Set(causes.flatMap((c) => c.blocks)).size;
  const ordered = [...groups].sort((a, b) => weight(b[1]) - weight(a[1]) || Number(a[0] === null) - Number(b[0] === null) || (a[0] ?? "").localeCompare(b[0] ?? ""));
  const out: string[] = [];
  for (const [from, causes] of ordered) {
    const title = from ? `Expected from ${codeSpan(from)}` : "Not expected from any dimension yet (no state document names them)";
    out.push(`**${title}**: ${plural(causes.length, "root cause")}, ${plural(weight(causes), "paused model")} blocked`, "");
    out.push(...causeTable(causes.slice(0, CAUSES_SHOWN)), "");
    if (causes.length > CAUSES_SHOWN) {
      out.push(`<details><summary>${causes.length - CAUSES_SHOWN} more root causes${from ? ` expected from ${escapeHtml(from)}` : ""}</summary>`, "", ...causeTable(causes.slice(CAUSES_SHOWN)), "", "</details>", "");
    }
  }
  return out;
}

function causeTable(causes: readonly RootCause[]): string[] {
  return [
    "| missing | kind | blocks |",
    "| --- | --- | --- |",
    ...causes.map(
      (c) =>
        `| ${tableCell(codeSpan(c.name))}${c.disabled ? ` (disabled: ${tableCell(codeSpan(c.disabled))})` : ""}${c.unreadFile ? ` (${tableCell(unreadFileMarkdown(c.unreadFile))})` : ""} | ${c.type} | ${c.blocks.length}: ${tableCell(names(c.blocks))} |`,
    ),
  ];
}

/** Up to five names as code spans, then "and N more". */
function names(list: readonly string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).map(codeSpan).join(", ");
  return list.length > NAMES_SHOWN ? `${shown} and ${list.length - NAMES_SHOWN} more` : shown;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function dimensionRow(dim: ReportDimension, context: ReadinessMarkdownContext): string {
  const total = dim.active + dim.paused;
  const pct = total === 0 ? 0 : Math.round((dim.active / total) * 100);
  const name =
    dim.stateDocument && context.fileUrl
      ? `[${codeSpan(dim.name)}](${context
          .fileUrl(dim.stateDocument)
          .replace(/ /g, "%20")
          .replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)} "state document")`
      : codeSpan(dim.name);
  return `| ${tableCell(name)} | ${bar(dim.active, total)} ${dim.active}/${total} (${pct}%) | ${dim.ready} | ${dim.blocked} | ${dim.needsInvestigation} |`;
}
