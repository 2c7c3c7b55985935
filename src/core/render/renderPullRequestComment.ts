import { parseDependencyKey } from "../readiness/diffReadiness.js";
import type { BrokenActiveModel, ChangeStatus, DependencyRef, ModelChange, ReadinessCause, ReadinessDiff } from "../readiness/readinessDiff.js";
import { renderPauseOffer } from "./renderPauseOffer.js";
import { codeSpan } from "./codeSpan.js";
import { unreadFileMarkdown } from "./unreadFile.js";
import { pullRequestDiagram } from "./blockersDiagram.js";
import { mermaidBlock } from "./mermaid.js";
import { tableCell } from "./tableCell.js";
import { truncateBody } from "./truncateBody.js";

/** Hidden in the rendered comment; with the author's identity, it is how a rerun finds its own comment. */
export const READINESS_MARKER = "<!-- dbt-unskip:readiness -->";

export interface PullRequestCommentInput {
  diffs: readonly ReadinessDiff[];
  baseSha: string;
  headSha: string;
  /** Characters allowed (GitHub's comment limit unless said otherwise; the job summary allows more), or bytes (`unit`). */
  limit?: number;
  /** What `limit` counts: characters (a comment, the default) or bytes of UTF-8 (the job summary). */
  unit?: "characters" | "bytes" | undefined;
  /** Said where the report is cut: where the rest is (truncateBody's default says only that it was cut). */
  note?: string | undefined;
}

/**
 * The sticky PR comment (and the job summary): the verdict as a heading, the bad news first as an
 * alert with the one thing to do, then what changed grouped by cause (one line per cause, not per
 * model), the chain as a diagram, and the full picture collapsed. Every name from the repository
 * goes through `codeSpan`, and table cells through `tableCell`, because names come from pull
 * requests written by strangers.
 */
export function renderPullRequestComment(input: PullRequestCommentInput): string {
  const out: string[] = [READINESS_MARKER, `### dbt-unskip: ${headline(input.diffs)}`, ""];
  out.push(...alerts(input.diffs));
  const several = input.diffs.length > 1;
  for (const diff of input.diffs) {
    if (several) out.push(`#### Project ${codeSpan(diff.project.dir)}`, "");
    out.push(...renderDiff(diff));
  }
  // The commits it is about stay on the last line when the report is cut.
  const footer = `<sub>Base ${codeSpan(input.baseSha.slice(0, 7))} → head ${codeSpan(input.headSha.slice(0, 7))}. Updated on every push by dbt-unskip.</sub>\n`;
  return truncateBody(`${out.join("\n")}\n`, { limit: input.limit, unit: input.unit, marker: READINESS_MARKER, note: input.note, footer });
}

/**
 * The most serious change, short ("This PR breaks 1 active model"), with a count of the others;
 * the alerts under it say each one. Or "No change in readiness".
 */
export function headline(diffs: readonly ReadinessDiff[]): string {
  const { ready, blocked, restored, broken } = counts(diffs);
  const parts: string[] = [];
  if (broken > 0) parts.push(`breaks ${plural(broken, "active model")}`);
  if (blocked > 0) parts.push(`newly blocks ${plural(blocked, "paused model")}`);
  if (ready > 0) parts.push(`makes ${plural(ready, "paused model")} ready`);
  if (restored > 0) parts.push(`restores ${plural(restored, "paused model")}`);
  if (parts.length === 0) return "No change in readiness";
  return `This PR ${parts[0]}${parts.length > 1 ? ` (and ${plural(parts.length - 1, "more change")} below)` : ""}`;
}

function counts(diffs: readonly ReadinessDiff[]) {
  const sum = (pick: (d: ReadinessDiff) => number) => diffs.reduce((n, d) => n + pick(d), 0);
  return {
    ready: sum((d) => d.newlyReady.length),
    blocked: sum((d) => d.newlyBlocked.length),
    restored: sum((d) => d.restored.length),
    broken: sum((d) => d.brokenActive.filter((b) => b.isNew).length),
  };
}

/** The verdict and the one action, most serious first. */
function alerts(diffs: readonly ReadinessDiff[]): string[] {
  const { ready, blocked, broken } = counts(diffs);
  const out: string[] = [];
  if (broken > 0) {
    const first = diffs.flatMap((d) => d.brokenActive.filter((b) => b.isNew))[0]!;
    out.push(
      "> [!CAUTION]",
      `> **\`dbt parse\` would fail on this PR.** Fix ${codeSpan(first.file)}${first.line === null ? "" : ` (line ${first.line})`}${broken > 1 ? ` and ${plural(broken - 1, "other active model")}` : ""} before merging (table below).`,
      "",
    );
  }
  if (blocked > 0) out.push("> [!WARNING]", `> **This PR newly blocks ${plural(blocked, "paused model")}.** If that is not intended, keep what ${blocked === 1 ? "it needs" : "they need"} (below).`, "");
  if (ready > 0) {
    const dims = [...new Set(diffs.flatMap((d) => d.newlyReady.map((m) => m.dimension)).filter((x): x is string => x !== null))];
    const where = dims.length > 0 ? ` of ${dims.map(codeSpan).join(", ")}` : "";
    out.push(
      "> [!TIP]",
      `> **${plural(ready, "paused model")}${where} can be restored once this merges.** On merge, dbt-unskip's run on the default branch opens ${dims.length === 1 ? "its restore pull request" : "their restore pull requests"}; or tick the dimension's box in the dashboard issue.`,
      "",
    );
  }
  return out;
}

function renderDiff(diff: ReadinessDiff): string[] {
  const out: string[] = [];
  if (diff.baseUnavailable) out.push(`> The base could not be analysed (${codeSpan(diff.baseUnavailable)}), so everything is compared with nothing.`, "");
  const fresh = diff.brokenActive.filter((b) => b.isNew);
  if (fresh.length > 0) {
    out.push(`**Active models that \`dbt parse\` would reject** (${fresh.length}, new in this PR)`, "");
    out.push(...brokenTable(fresh), "");
    out.push(
      ...renderPauseOffer(
        fresh.map((b) => ({ name: b.model, dimension: b.dimension ?? null })),
        "once this PR is merged",
      ),
    );
  }
  if (diff.newlyBlocked.length > 0) {
    out.push(`**Newly blocked** (${diff.newlyBlocked.length}), by cause:`, "");
    out.push(...byCause(diff.newlyBlocked, "blocks"), "");
  }
  if (diff.newlyReady.length > 0) {
    out.push(`**Ready to restore** (${diff.newlyReady.length}), by cause:`, "");
    out.push(...byCause(diff.newlyReady, "unblocks"), "");
    const ordered = diff.newlyReady.filter((m) => m.needsRestored.length > 0);
    if (ordered.length > 0) {
      out.push(
        `Restore together, in order: ${diff.newlyReady.map((m) => codeSpan(m.name)).join(" → ")} (${ordered.map((m) => `${codeSpan(m.name)} needs ${m.needsRestored.map(codeSpan).join(", ")}`).join("; ")}).`,
        "",
      );
    }
  }
  if (diff.restored.length > 0) {
    out.push(`**Restored by this PR** (${diff.restored.length}): ${diff.restored.map((r) => codeSpan(r.name)).join(", ")}`, "");
  }
  const diagram = pullRequestDiagram([diff]);
  if (diagram) {
    out.push("<details><summary>The chain this PR moved, as a diagram</summary>", "", mermaidBlock(diagram.mermaid), "");
    if (diagram.omitted.count > 0) out.push(`_Left out: ${diagram.omitted.text}; the lists above have every one._`, "");
    out.push("</details>", "");
  }
  out.push(...details(diff));
  return out;
}

/** One line per cause: "`mas_contracts` is now available (added in `x.sql`): unblocks 3: `a`, `b`, `c`". */
function byCause(models: readonly ModelChange[], verb: string): string[] {
  const groups = new Map<string, ModelChange[]>();
  for (const model of models) {
    const texts = model.because.length > 0 ? model.because.map(causeText) : ["no single cause could be told"];
    for (const text of new Set(texts)) groups.set(text, [...(groups.get(text) ?? []), model]);
  }
  return [...groups].map(([cause, ms]) => {
    const dims = [...new Set(ms.map((m) => m.dimension).filter((d): d is string => d !== null))];
    const was = verb === "blocks" ? ms.map((m) => `${codeSpan(m.name)}${m.was ? ` (was ${m.was})` : ""}`) : ms.map((m) => codeSpan(m.name));
    return `- ${cause}: ${verb} ${ms.length}${dims.length > 0 ? ` in ${dims.map(codeSpan).join(", ")}` : ""}: ${was.join(", ")}`;
  });
}

function details(diff: ReadinessDiff): string[] {
  const { head } = diff;
  const summary = `Readiness at head: ${head.ready} ready, ${head.blocked} blocked, ${head.needsInvestigation} to investigate (${plural(head.paused, "paused model")})`;
  const out = ["<details>", `<summary>${summary}</summary>`, ""];
  if (diff.headModels.length > 0) {
    out.push("| paused model | dimension | status | blocked by |", "| --- | --- | --- | --- |");
    for (const model of diff.headModels) {
      out.push(row(codeSpan(model.name), dimension(model), model.status, model.blockedBy.map((key) => dependencyText(parseDependencyKey(key))).join(", ") || "—"));
    }
    out.push("");
  }
  const old = diff.brokenActive.filter((b) => !b.isNew);
  if (old.length > 0) {
    out.push(`Already broken on the base branch (${old.length}):`, "", ...brokenTable(old), "");
  }
  out.push("</details>", "");
  return out;
}

function brokenTable(broken: readonly BrokenActiveModel[]): string[] {
  const out = ["| file | line | refs |", "| --- | --- | --- |"];
  for (const b of broken) {
    const what = b.dependency ? `${b.status} ${dependencyText(b.dependency)}${b.removedBy ? fileNote(b.removedBy.file, b.removedBy.change, "past") : ""}` : codeSpan(b.message);
    out.push(row(codeSpan(b.file), b.line === null ? "—" : String(b.line), what));
  }
  return out;
}

function causeText(cause: ReadinessCause): string {
  switch (cause.kind) {
    case "now-available": {
      const how = cause.now === "paused-ready" ? "is now provided by a paused model that is ready too" : "is now available";
      return `${dependencyText(cause.dependency)} ${how}${fileNote(cause.file, cause.change, "present")}`;
    }
    case "no-longer-needed":
      return `no longer needs ${dependencyText(cause.dependency)}${cause.file ? ` (${codeSpan(cause.file)} changed)` : ""}`;
    case "new-paused-file":
      return `${cause.change === "R" ? "paused by this PR" : "added paused"}, yet nothing it needs is missing`;
    case "now-unavailable":
      return `${dependencyText(cause.dependency)} is no longer available${fileNote(cause.file, cause.change, "past")}${cause.unreadFile ? ` (${unreadFileMarkdown(cause.unreadFile)})` : ""}`;
    case "new-dependency":
      return `now needs ${dependencyText(cause.dependency)}, which nothing provides${cause.file ? ` (${codeSpan(cause.file)} changed)` : ""}${cause.unreadFile ? ` (${unreadFileMarkdown(cause.unreadFile)})` : ""}`;
    case "reason-cleared":
      return `resolved: ${codeSpan(cause.reason)}`;
    case "reason-added":
      return `needs investigation: ${codeSpan(cause.reason)}`;
  }
}

const VERBS: Record<"present" | "past", Record<ChangeStatus, string>> = {
  present: { A: "added in", R: "renamed to", M: "changed in", D: "deleted" },
  past: { A: "added", R: "renamed", M: "changed", D: "deleted" },
};

function fileNote(file: string | null, change: ChangeStatus | null, tense: "present" | "past"): string {
  if (!file) return "";
  return ` (${change ? VERBS[tense][change] : "see"} ${codeSpan(file)})`;
}

function dependencyText(dep: DependencyRef): string {
  return `${dep.type === "source" ? "source " : ""}${codeSpan(dep.name)}`;
}

function dimension(model: { dimension: string | null }): string {
  return model.dimension ? codeSpan(model.dimension) : "—";
}

function row(...cells: string[]): string {
  return `| ${cells.map(tableCell).join(" | ")} |`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
