import { describe, expect, it } from "vitest";
import { evaluateValidation } from "../../../src/core/warehouseRun/evaluateValidation.js";
import { progressLine } from "../../../src/core/warehouseRun/progressLine.js";
import { markdownToTerminal } from "../../../src/core/render/markdownToTerminal.js";
import { renderRunReport } from "../../../src/core/warehouseRun/renderRunReport.js";
import type { RunOutcome } from "../../../src/core/warehouseRun/runOutcome.js";
import { readRunResults } from "../../../src/core/warehouseRun/runResults.js";
import type { ValidationCheck } from "../../../src/core/plan/types.js";

const checks: ValidationCheck[] = [
  { id: 1, model: "d_user", relation: '"a"."b"."d_user"', kind: "row_count", columns: [], description: "" },
  { id: 2, model: "d_user", relation: '"a"."b"."d_user"', kind: "null_key", columns: ["user_id"], description: "" },
  { id: 3, model: "f_x", relation: '"a"."b"."f_x"', kind: "row_count", columns: [], description: "" },
  { id: 4, model: "f_x", relation: '"a"."b"."f_x"', kind: "null_key", columns: ["id"], description: "" },
];

describe("run results and validation", () => {
  it("reads run_results.json; DuckDB's missing rows_affected and a -1 are unknown, not zero", () => {
    const results = readRunResults({
      results: [
        { unique_id: "model.p.a", status: "success", execution_time: 0.5, adapter_response: { _message: "OK" }, message: "OK", failures: null },
        { unique_id: "model.p.b", status: "success", execution_time: 1, adapter_response: { rows_affected: 42 }, message: "SELECT 42" },
        { unique_id: "model.p.c", status: "error", execution_time: 0, adapter_response: { rows_affected: -1 }, message: "boom" },
        { unique_id: "test.p.t", status: "fail", execution_time: 0.1, adapter_response: {}, failures: 3 },
        { status: "odd" },
      ],
    });
    expect(results.map((r) => [r.uniqueId, r.status, r.rowsAffected, r.failures])).toEqual([
      ["model.p.a", "success", null, null],
      ["model.p.b", "success", 42, null],
      ["model.p.c", "error", null, null],
      ["test.p.t", "fail", null, 3],
    ]);
    expect(readRunResults(null)).toEqual([]);
  });

  it("validation: empty is a warning, a null key or a missing answer a failure; column case does not matter", () => {
    const results = evaluateValidation(checks, [
      { check_id: 1, observed: 24 },
      { CHECK_ID: 2, OBSERVED: 0 },
      { check_id: 3, observed: 0 },
    ]);
    expect(results.map((r) => [r.id, r.observed, r.status])).toEqual([
      [1, 24, "ok"],
      [2, 0, "ok"],
      [3, 0, "warn"],
      [4, null, "failed"],
    ]);
  });

  it("progress shows dbt's node and batch lines and errors, nothing else", () => {
    expect(progressLine({ name: "LogStartLine", level: "info", msg: "1 of 3 START sql table model x [RUN]" })).toBe("1 of 3 START sql table model x [RUN]");
    expect(progressLine({ name: "LogModelResult", level: "info", msg: "1 of 3 OK created x" })).toBe("1 of 3 OK created x");
    // A crash: the exception line, not the first line of the traceback.
    expect(progressLine({ name: "MainStackTrace", level: "error", msg: "Traceback (most recent call last):\n  File \"dbt/main.py\", line 1, in run\n    go()\nKeyError: 'x'\n" })).toBe("KeyError: 'x'");
    expect(progressLine({ name: "LogBatchResult", level: "info", msg: "Batch 1 of 2 OK" })).toBe("Batch 1 of 2 OK");
    expect(progressLine({ name: "LogTestResult", level: "info", msg: "1 of 2 PASS t" })).toBe("1 of 2 PASS t");
    expect(progressLine({ name: "FoundStats", level: "info", msg: "Found 24 models" })).toBeNull();
    // dbt's own error: its heading and what went wrong under it.
    expect(progressLine({ name: "RunResultError", level: "error", msg: "Runtime Error\n  details" })).toBe("Runtime Error: details");
  });
});

describe("renderRunReport", () => {
  const outcome: RunOutcome = {
    result: "failed",
    dimension: "dim_user",
    project: "dbt",
    commit: "0123456789abcdef",
    startedAt: "2026-11-21T10:00:00.000Z",
    seconds: 75,
    steps: [
      { step: "dbt parse", status: "ok", seconds: 2, detail: null },
      { step: "dbt run", status: "failed", seconds: 3, detail: "dbt run failed: boom | x" },
    ],
    upstream: [{ name: "mas_contracts", relation: '"a"."b"."mas_contracts"', present: true }],
    existedBefore: [],
    models: [
      { name: "f_user_activity", relation: null, status: "success", seconds: 0.2, rows: 1234, rowsFrom: "count", message: "OK" },
      { name: "d_user", relation: null, status: "error", seconds: 0.1, rows: null, rowsFrom: null, message: "Conversion Error\nmore" },
    ],
    tests: [],
    validation: [],
    rollbackCommand: "dbt-unskip rollback --dimension dim_user",
    error: "dbt run failed",
  };

  it("reads like the runbook's execution report and offers the rollback without running it", () => {
    const md = renderRunReport(outcome);
    expect(md).toContain("**Status:** ❌ FAILED");
    expect(md).toContain("| dbt run: `dbt run failed: boom \\| x` | 3.0s | ❌ |");
    expect(md).toContain("| `f_user_activity` | success | 0.2s | 1,234 (counted) |");
    expect(md).toContain("| `d_user` | error: `Conversion Error more` | 0.1s | n/a |");
    expect(md).toContain("**Total Duration:** 1m 15s");
    expect(md).toContain("Nothing was rolled back. To undo the restore (drop what it created, re-skip the files), run:\n\n    dbt-unskip rollback --dimension dim_user");
  });

  it("the CLI shows the same report as terminal text: no **, no pipes, no backticks", () => {
    const text = markdownToTerminal(renderRunReport(outcome));
    expect(text).not.toMatch(/\*\*|^\||`/m);
    expect(text).toContain("━━━━\nMIGRATION EXECUTION: dim_user\n━━━━");
    expect(text).toContain("Status: ❌ FAILED");
    expect(text).toContain("EXECUTION LOG:");
    expect(text).toMatch(/^ {2}dbt run: dbt run failed: boom \| x +3\.0s +❌$/m);
    expect(text).toMatch(/^ {2}f_user_activity +success +0\.2s +1,234 \(counted\)$/m);
    expect(text).toContain("    dbt-unskip rollback --dimension dim_user");
  });
});
