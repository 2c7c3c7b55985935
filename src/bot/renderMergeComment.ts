import type { ReadinessReport, ReportModel } from "../core/readiness/readinessReport.js";
import { codeSpan } from "../core/render/codeSpan.js";
import { NAME } from "./parseCommand.js";

/** The same marker the Action's merge comment carries, so an app token shared by both finds one comment. */
export const MERGE_MARKER = "<!-- dbt-unskip:merge-ready -->";

/** Paused models ready after a merge that were not ready before it, per project. */
export function newlyReadyModels(before: readonly ReadinessReport[], after: readonly ReadinessReport[]): (ReportModel & { project: string })[] {
  const was = new Set(before.flatMap((r) => r.models.filter((m) => m.status === "ready").map((m) => `${r.project.dir}:${m.name}`)));
  return after.flatMap((r) => r.models.filter((m) => m.status === "ready" && !was.has(`${r.project.dir}:${m.name}`)).map((m) => ({ ...m, project: r.project.dir })));
}

/**
 * "This merge made N models ready", in the Action's words for the list; the closing line says what
 * the bot offers instead of opening restore pull requests itself (that needs dbt).
 */
export function renderMergeComment(newly: readonly ReportModel[]): string {
  // Only a plain name goes into the example command (it sits inside a code span as typed).
  const dimensions = [...new Set(newly.map((m) => m.dimension).filter((d): d is string => d !== null && NAME.test(d)))].sort();
  const how = dimensions.length > 0 ? ` (for example \`/unskip restore ${dimensions[0]}\`)` : "";
  return [
    MERGE_MARKER,
    `This merge made **${newly.length}** paused model${newly.length === 1 ? "" : "s"} ready:`,
    "",
    ...newly.map((m) => `- ${codeSpan(m.name)}${m.dimension ? ` (${codeSpan(m.dimension)})` : ""}`),
    "",
    `Tick the dimension's box in the dbt-unskip dashboard issue, or comment \`/unskip restore <dimension>\`${how}, to open its restore pull request.`,
  ].join("\n");
}
