import { describe, expect, it } from "vitest";
import { backfillBatches, parseDay } from "../../../src/core/warehouseRun/backfillBatches.js";
import { newBackfillState, pendingBatches, resumeBackfillState } from "../../../src/core/warehouseRun/backfillState.js";
import { UserError } from "../../../src/core/userError.js";

describe("backfillBatches", () => {
  it("days: one batch per day, end exclusive", () => {
    expect(backfillBatches({ start: "2026-02-27", end: "2026-03-02", batch: "day" })).toEqual([
      { start: "2026-02-27", end: "2026-02-28" },
      { start: "2026-02-28", end: "2026-03-01" },
      { start: "2026-03-01", end: "2026-03-02" },
    ]);
  });

  it("months: calendar months, the first and last cut to the range", () => {
    expect(backfillBatches({ start: "2025-11-15", end: "2026-02-10", batch: "month" })).toEqual([
      { start: "2025-11-15", end: "2025-12-01" },
      { start: "2025-12-01", end: "2026-01-01" },
      { start: "2026-01-01", end: "2026-02-01" },
      { start: "2026-02-01", end: "2026-02-10" },
    ]);
  });

  it("refuses impossible dates, an empty range and runaway ranges", () => {
    expect(() => parseDay("--start", "2026-02-30")).toThrow(UserError);
    expect(() => parseDay("--start", "26-1-1")).toThrow("expected a date as YYYY-MM-DD");
    expect(() => backfillBatches({ start: "2026-01-02", end: "2026-01-02", batch: "day" })).toThrow("must come after");
    expect(() => backfillBatches({ start: "2000-01-01", end: "2030-01-01", batch: "day" })).toThrow("use --batch month");
  });
});

describe("backfill state", () => {
  const wanted = { model: "f_x", start: "2026-10-01", end: "2026-10-04", batch: "day" as const, mode: "microbatch" as const };
  const batches = backfillBatches(wanted);

  it("a resumed backfill runs only the batches not recorded as finished", () => {
    const state = newBackfillState(wanted);
    state.completed.push({ ...batches[0]!, finishedAt: "t", seconds: 1, attempts: 1 });
    const resumed = resumeBackfillState(JSON.stringify(state), wanted, "s.json");
    expect(pendingBatches(batches, resumed)).toEqual(batches.slice(1));
  });

  it("an unfinished backfill with other options is refused; a finished one is replaced", () => {
    const state = newBackfillState(wanted);
    state.completed.push({ ...batches[0]!, finishedAt: "t", seconds: 1, attempts: 1 });
    expect(() => resumeBackfillState(JSON.stringify(state), { ...wanted, end: "2026-10-09" }, "s.json")).toThrow("pass --restart");
    state.completed = batches.map((b) => ({ ...b, finishedAt: "t", seconds: 1, attempts: 1 }));
    const fresh = resumeBackfillState(JSON.stringify(state), { ...wanted, end: "2026-10-09" }, "s.json");
    expect(fresh.completed).toEqual([]);
    expect(() => resumeBackfillState("{not json", wanted, "s.json")).toThrow("s.json: not a backfill state file");
  });
});
