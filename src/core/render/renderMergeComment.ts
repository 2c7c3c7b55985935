import type { ReadinessReport, ReportModel } from "../readiness/readinessReport.js";
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
 * restore pull requests itself (and knows their numbers once it has); the bot runs no dbt, so it
 * says how to ask for them.
 */
export type MergeFollowUp = { by: "action"; restorePrs?: ReadonlyMap<string, number> } | { by: "bot" };

/**
 * "This merge made N paused models ready", one renderer for the Action and the bot: the marker, the
 * list (each name a code span, with its dimension), and one closing line saying what happens next.
 */
export function renderMergeComment(newly: readonly ReportModel[], followUp: MergeFollowUp): string {
  // A merge that readies thousands of models must still fit GitHub's body limit, marker kept.
  const body = [
    MERGE_MARKER,
    `This merge made **${newly.length}** paused model${newly.length === 1 ? "" : "s"} ready:`,
    "",
    ...newly.map((m) => `- ${codeSpan(m.name)}${m.dimension ? ` (${codeSpan(m.dimension)})` : ""}`),
    "",
    closingLine(newly, followUp),
  ].join("\n");
  return truncateBody(body, { marker: MERGE_MARKER, note: "The rest of the list was cut to fit GitHub's size limit; `dbt-unskip status` lists every ready model." });
}

function closingLine(newly: readonly ReportModel[], followUp: MergeFollowUp): string {
  const dimensions = [...new Set(newly.map((m) => m.dimension).filter((d): d is string => d !== null))].sort();
  if (followUp.by === "action") {
    const prs = dimensions.flatMap((d) => {
      const number = followUp.restorePrs?.get(d);
      return number === undefined ? [] : [`#${number} (${codeSpan(d)})`];
    });
    if (prs.length > 0 && prs.length === dimensions.length) return `dbt-unskip opened restore pull requests for them: ${prs.join(", ")}.`;
    return "dbt-unskip is opening restore pull requests for them.";
  }
  // Only a plain name goes into the example command (it sits inside a code span as typed).
  const example = dimensions.find((d) => isPlainName(d));
  const how = example ? ` (for example \`/unskip restore ${example}\`)` : "";
  return `Tick the dimension's box in the dbt-unskip dashboard issue, or comment \`/unskip restore <dimension>\`${how}, to open its restore pull request.`;
}
