import type { ReadinessReport } from "./readinessReport.js";

/** The report narrowed to one dimension: its models, its root causes, its counts. */
export function filterReport(report: ReadinessReport, dimension: string): ReadinessReport {
  const models = report.models.filter((m) => m.dimension === dimension);
  const names = new Set(models.map((m) => m.name));
  return {
    ...report,
    summary: {
      paused: models.length,
      ready: models.filter((m) => m.status === "ready").length,
      blocked: models.filter((m) => m.status === "blocked").length,
      needsInvestigation: models.filter((m) => m.status === "needs-investigation").length,
    },
    dimensions: report.dimensions.filter((d) => d.name === dimension),
    models,
    ...(report.breaking ? { breaking: report.breaking.filter((b) => b.dimension === dimension) } : {}),
    rootCauses: report.rootCauses.map((cause) => ({ ...cause, blocks: cause.blocks.filter((b) => names.has(b)) })).filter((cause) => cause.blocks.length > 0),
  };
}
