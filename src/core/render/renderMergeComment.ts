import type { ReadinessReport, ReportDimension, ReportModel } from "../readiness/readinessReport.js";
import { restoreRefusedMarkdown } from "./restoreRefused.js";

type RestoreRefused = NonNullable<ReportDimension["restoreRefused"]>;
import { codeSpan } from "./codeSpan.js";
import { truncateBody } from "./truncateBody.js";
import { isPlainName } from "../plainName.js";

/** Marks the "this merge made N models ready" comment; the Action and the bot share it, so one token keeps one comment. */
export const MERGE_MARKER = "<!-- dbt-unskip:merge-ready -->";

export type NewlyReadyModel = ReportModel & { project: string };

/** Paused models ready after a merge that were not ready before it, per project. */
export function newlyReadyModels(before: readonly ReadinessReport[], after: readonly ReadinessReport[]): NewlyReadyModel[] {
  const was = new Set(before.flatMap((r) => r.models.filter((m) => m.status === "ready").map((m) => `${r.project.dir}:${m.name}`)));
  return after.flatMap((r) => r.models.filter((m) => m.status === "ready" && !was.has(`${r.project.dir}:${m.name}`)).map((m) => ({ ...m, project: r.project.dir })));
}

/**
 * What happens next, which is the only thing the two surfaces do differently: the Action opens the
 * restore pull requests itself (and knows their numbers once it has, or that one failed); the bot
 * runs no dbt, so it says how to ask for them.
 */
export type MergeFollowUp =
  | {
      by: "action";
      /** Restore pull requests this run holds open, by dimension. */
      restorePrs?: ReadonlyMap<string, number>;
      /** Dimensions whose restore pull request this run could not make or update, with why. */
      failed?: ReadonlyMap<string, string>;
      dashboardUrl?: string | null;
    }
  | { by: "bot"; dashboardUrl?: string | null };

/**
 * "This merge made N paused models ready", one renderer for the Action and the bot: a heading, then
 * one line per dimension in restore order with its restore pull request (or what went wrong, or how
 * to ask for one), then the dashboard. Never says a pull request is being opened unless it is.
 */
export function renderMergeComment(newly: readonly ReportModel[], followUp: MergeFollowUp, restoreRefused: ReadonlyMap<string, RestoreRefused> = new Map()): string {
  const ordered = [...newly].sort((a, b) => (a.restoreOrder ?? Number.MAX_SAFE_INTEGER) - (b.restoreOrder ?? Number.MAX_SAFE_INTEGER));
  const byDimension = new Map<string | null, ReportModel[]>();
  for (const m of ordered) byDimension.set(m.dimension, [...(byDimension.get(m.dimension) ?? []), m]);
  const failed = followUp.by === "action" ? [...byDimension.keys()].filter((d): d is string => d !== null && (followUp.failed?.has(d) ?? false)) : [];
  const out = [MERGE_MARKER, `### dbt-unskip: this merge made ${newly.length} paused model${newly.length === 1 ? "" : "s"} ready`, ""];
  if (failed.length > 0) {
    out.push("> [!CAUTION]", `> The restore pull request for ${failed.map(codeSpan).join(", ")} could not be made by this run: see its job summary, then run the workflow again.`, "");
  }
  for (const [dimension, models] of byDimension) {
    const refused = dimension === null ? undefined : restoreRefused.get(dimension);
    // The bot offers a restore to ask for: not one that would be refused (what to change instead).
    out.push(`- ${dimensionLine(dimension, models, followUp)}${refused && followUp.by === "bot" ? `; ${restoreRefusedMarkdown(refused)}` : ""}`);
  }
  out.push("");
  const offered = [...byDimension.keys()].filter((d) => d === null || !restoreRefused.has(d));
  // Every dimension's restore would be refused: no tick or command is offered at all.
  const closing = closingLine(offered, followUp, offered.some((d) => d !== null) || offered.length === byDimension.size);
  if (closing) out.push(closing);
  // A merge that readies thousands of models must still fit GitHub's body limit, marker kept.
  return truncateBody(`${out.join("\n").trimEnd()}\n`, { marker: MERGE_MARKER, note: "The rest of the list was cut to fit GitHub's size limit; `dbt-unskip status` lists every ready model." });
}

function dimensionLine(dimension: string | null, models: readonly ReportModel[], followUp: MergeFollowUp): string {
  const names =
    models
      .slice(0, 8)
      .map((m) => codeSpan(m.name))
      .join(", ") + (models.length > 8 ? ` and ${models.length - 8} more` : "");
  if (dimension === null) return `no dimension: ${names} (restore by hand with \`dbt-unskip restore\`)`;
  const dim = codeSpan(dimension);
  if (followUp.by === "bot") return `${dim}: ${names}`;
  const pr = followUp.restorePrs?.get(dimension);
  if (pr !== undefined) return `${dim}: #${pr} restores ${names}`;
  const why = followUp.failed?.get(dimension);
  if (why !== undefined) return `${dim}: **no restore pull request** (${why.replace(/[<>\r\n]/g, " ").slice(0, 200)}): ${names}`;
  return `${dim}: no restore pull request from this run: ${names}`;
}

function closingLine(dimensions: readonly (string | null)[], followUp: MergeFollowUp, offerRestore: boolean): string {
  const dashboard = followUp.dashboardUrl ? `[the dashboard issue](${followUp.dashboardUrl})` : "the dbt-unskip dashboard issue";
  if (followUp.by === "action" || !offerRestore) return `Progress of every dimension: ${dashboard}.`;
  // Only a plain name goes into the example command (it sits inside a code span as typed).
  const example = dimensions.find((d): d is string => d !== null && isPlainName(d));
  const how = example ? ` (for example \`/unskip restore ${example}\`)` : "";
  return `Tick the dimension's box in ${dashboard}, or comment \`/unskip restore <dimension>\`${how}, to open its restore pull request.`;
}
