import type { ReadinessReport, ReportDimension, RootCause } from "./readinessReport.js";

/**
 * The one thing to do next, decided once for every place that says it (status's text, the bot's
 * status reply): a dimension to restore, else a ready dimension whose restore would be refused and
 * what to change first, else the root cause to migrate. A restore the tool knows it would refuse
 * (its `restoreRefused`) is never the suggestion.
 */
export type NextStep =
  /** `later`: other dimensions with ready models a restore would accept, in the report's order. */
  | { kind: "restore"; dimension: ReportDimension; later: ReportDimension[] }
  | { kind: "unblock-restore"; dimension: ReportDimension & { restoreRefused: NonNullable<ReportDimension["restoreRefused"]> } }
  | { kind: "restore-by-hand" }
  | { kind: "migrate"; cause: RootCause }
  | { kind: "nothing" }
  | { kind: "investigate" };

/** Dimensions with ready models whose restore would not be refused before it starts. */
export function restorableDimensions(report: Pick<ReadinessReport, "dimensions">): ReportDimension[] {
  return report.dimensions.filter((d) => d.ready > 0 && d.restoreRefused === undefined);
}

export function nextStep(report: ReadinessReport): NextStep {
  const [first, ...later] = restorableDimensions(report);
  if (first) return { kind: "restore", dimension: first, later };
  const refused = report.dimensions.find((d): d is ReportDimension & { restoreRefused: NonNullable<ReportDimension["restoreRefused"]> } => d.ready > 0 && d.restoreRefused !== undefined);
  if (refused) return { kind: "unblock-restore", dimension: refused };
  if (report.models.some((m) => m.status === "ready")) return { kind: "restore-by-hand" };
  const top = report.rootCauses[0];
  if (top) return { kind: "migrate", cause: top };
  return report.summary.paused === 0 ? { kind: "nothing" } : { kind: "investigate" };
}
