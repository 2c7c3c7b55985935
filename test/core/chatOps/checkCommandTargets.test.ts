import { describe, expect, it } from "vitest";
import { checkCommandTargets } from "../../../src/core/chatOps/checkCommandTargets.js";
import type { ReadinessReport, ReportModel } from "../../../src/core/readiness/readinessReport.js";

const model = (name: string, dimension: string, status: ReportModel["status"], blockedBy: string[] = []): ReportModel => ({
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
const dim = (name: string, ready: number) => ({ name, active: 1, paused: 2, ready, blocked: 2 - ready, needsInvestigation: 0, stateDocument: null, documentStatus: null });
const report: ReadinessReport = {
  project: { name: "p", dir: "dbt" },
  summary: { paused: 4, ready: 1, blocked: 3, needsInvestigation: 0 },
  dimensions: [dim("dim_user", 1), dim("dim_contract", 0)],
  models: [model("a", "dim_user", "ready"), model("b", "dim_user", "blocked", ["ref:mas_contracts"]), model("c", "dim_contract", "blocked", ["source:bronze.x"]), model("d", "dim_contract", "blocked")],
  rootCauses: [],
  problems: [],
};

describe("checkCommandTargets: names against the project", () => {
  it("accepts known dimensions and ready models", () => {
    expect(checkCommandTargets({ name: "restore", dimension: "dim_user", models: ["a"] }, [report])).toEqual({ ok: true });
    expect(checkCommandTargets({ name: "plan", dimension: "dim_contract" }, [report])).toEqual({ ok: true });
    expect(checkCommandTargets({ name: "status", dimension: null }, [report])).toEqual({ ok: true });
  });

  it("refuses with what exists", () => {
    expect(checkCommandTargets({ name: "rollback", dimension: "dim_x" }, [report])).toEqual({ ok: false, message: "there is no dimension `dim_x` in this repository. Known dimensions: `dim_contract`, `dim_user`." });
    expect(checkCommandTargets({ name: "restore", dimension: "dim_user", models: ["zz"] }, [report])).toEqual({ ok: false, message: "`zz` is not a paused model of `dim_user`. Its paused models: `a`, `b`." });
    expect(checkCommandTargets({ name: "restore", dimension: "dim_user", models: ["b"] }, [report])).toEqual({ ok: false, message: "`b` is not ready (blocked by `mas_contracts`). Ready in `dim_user`: `a`." });
    expect(checkCommandTargets({ name: "restore", dimension: "dim_contract", models: [] }, [report])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^nothing in `dim_contract` is ready to restore yet \(2 paused\)/),
    });
  });
});
