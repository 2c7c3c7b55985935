import { describe, expect, it } from "vitest";
import { checkCommandTargets } from "../../../src/core/chatOps/checkCommandTargets.js";
import { report } from "./chatOpsFixture.js";

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
