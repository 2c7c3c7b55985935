import { parseDependencyKey } from "../readiness/diffReadiness.js";
import type { BrokenActiveModel, ChangeStatus, DependencyRef, ModelChange, ReadinessCause, ReadinessDiff } from "../readiness/readinessDiff.js";
import { codeSpan } from "./codeSpan.js";
import { tableCell } from "./tableCell.js";
import { truncateBody } from "./truncateBody.js";

/** Hidden in the rendered comment; with the author's identity, it is how a rerun finds its own comment. */
export const READINESS_MARKER = "<!-- dbt-unskip:readiness -->";

export interface PullRequestCommentInput {
  diffs: readonly ReadinessDiff[];
  baseSha: string;
  headSha: string;
  /** Characters allowed (GitHub's comment limit unless said otherwise; the job summary allows more). */
  limit?: number;
}

/**
 * The sticky PR comment (and the job summary): a headline, then what changed, then the full picture
 * collapsed. Every name from the repository goes through `codeSpan`, and table cells through
 * `tableCell`, because names come from pull requests written by strangers.
 */
export function renderPullRequestComment(input: PullRequestCommentInput): string {
  const out: string[] = [READINESS_MARKER, `### dbt-unskip: ${headline(input.diffs)}`, ""];
  const several = input.diffs.length > 1;
  for (const diff of input.diffs) {
    if (several) out.push(`#### Project ${codeSpan(diff.project.dir)}`, "");
    out.push(...renderDiff(diff));
  }
  out.push(`<sub>Base ${codeSpan(input.baseSha.slice(0, 7))} → head ${codeSpan(input.headSha.slice(0, 7))}. Updated on every push by dbt-unskip.</sub>`);
  return truncateBody(out.join("\n") + "\n", { limit: input.limit, marker: READINESS_MARKER });
}

/** "This PR makes 2 paused models ready", or "No change in readiness". */
export function headline(diffs: readonly ReadinessDiff[]): string {
  const sum = (pick: (d: ReadinessDiff) => number) => diffs.reduce((n, d) => n + pick(d), 0);
  const ready = sum((d) => d.newlyReady.length);
  const blocked = sum((d) => d.newlyBlocked.length);
  const restored = sum((d) => d.restored.length);
  const broken = sum((d) => d.brokenActive.filter((b) => b.isNew).length);
  const parts: string[] = [];
  if (ready > 0) parts.push(`makes ${plural(ready, "paused model")} ready`);
  if (restored > 0) parts.push(`restores ${plural(restored, "paused model")}`);
  if (blocked > 0) parts.push(`newly blocks ${plural(blocked, "paused model")}`);
  if (broken > 0) parts.push(`breaks ${plural(broken, "active model")} (\`dbt parse\` would fail)`);
  if (parts.length === 0) return "No change in readiness";
  const last = parts.pop()!;
  return `This PR ${parts.length > 0 ? `${parts.join(", ")} and ${last}` : last}`;
}

function renderDiff(diff: ReadinessDiff): string[] {
  const out: string[] = [];
  if (diff.baseUnavailable) out.push(`> The base could not be analysed (${codeSpan(diff.baseUnavailable)}), so everything is compared with nothing.`, "");
  if (diff.newlyReady.length > 0) {
    out.push(`**Ready to restore** (${diff.newlyReady.length}, in restore order)`, "");
    out.push("| paused model | dimension | why it is ready now |", "| --- | --- | --- |");
    for (const model of diff.newlyReady) {
      const after = model.needsRestored.length > 0 ? `; restore after ${model.needsRestored.map(codeSpan).join(", ")}` : "";
      out.push(row(codeSpan(model.name), dimension(model), causes(model) + after));
    }
    out.push("");
  }
  if (diff.restored.length > 0) {
    out.push(`**Restored by this PR** (${diff.restored.length}): ${diff.restored.map((r) => codeSpan(r.name)).join(", ")}`, "");
  }
  if (diff.newlyBlocked.length > 0) {
    out.push(`**Newly blocked** (${diff.newlyBlocked.length})`, "");
    out.push("| paused model | dimension | was → now | because |", "| --- | --- | --- | --- |");
    for (const model of diff.newlyBlocked) out.push(row(codeSpan(model.name), dimension(model), `${model.was} → ${model.now}`, causes(model)));
    out.push("");
  }
  const fresh = diff.brokenActive.filter((b) => b.isNew);
  if (fresh.length > 0) {
    out.push(`**Active models that \`dbt parse\` would reject** (${fresh.length}, new in this PR)`, "");
    out.push(...brokenTable(fresh), "");
  }
  out.push(...details(diff));
  return out;
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

function causes(model: ModelChange): string {
  return model.because.map(causeText).join("; ") || "—";
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
      return `${dependencyText(cause.dependency)} is no longer available${fileNote(cause.file, cause.change, "past")}`;
    case "new-dependency":
      return `now needs ${dependencyText(cause.dependency)}, which nothing provides${cause.file ? ` (${codeSpan(cause.file)} changed)` : ""}`;
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
