import type { ReadinessReport, ReportModel } from "../../../src/core/readiness/readinessReport.js";

/** A project of two dimensions: `dim_user` has `a` ready and `b` blocked by `mas_contracts`; `dim_contract` has nothing ready. */
export const model = (name: string, dimension: string, status: ReportModel["status"], blockedBy: string[] = []): ReportModel => ({
  name,
  path: `models/${name}.sql.skip`,
  dimension,
  dimensionFrom: "tag",
  status,
  pausedBy: "skip",
  dependencies: [],
  missing: [],
  restoreOrder: status === "ready" ? 1 : null,
  needsRestored: [],
  blockedBy,
  reasons: [],
});
export const dim = (name: string, ready: number) => ({ name, active: 1, paused: 2, ready, blocked: 2 - ready, needsInvestigation: 0, stateDocument: null, documentStatus: null });
export const report: ReadinessReport = {
  project: { name: "p", dir: "dbt" },
  summary: { paused: 4, ready: 1, blocked: 3, needsInvestigation: 0 },
  dimensions: [dim("dim_user", 1), dim("dim_contract", 0)],
  models: [model("a", "dim_user", "ready"), model("b", "dim_user", "blocked", ["ref:mas_contracts"]), model("c", "dim_contract", "blocked", ["source:bronze.x"]), model("d", "dim_contract", "blocked")],
  rootCauses: [],
  problems: [],
};
