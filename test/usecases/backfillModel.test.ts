import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { backfillModel, type BackfillInput } from "../../src/usecases/backfillModel.js";
import type { WarehouseDbt } from "../../src/usecases/warehouseDbt.js";
import { memoryDisk } from "../helpers/memoryDisk.js";

const MODEL_ID = "model.shop.f_orders";

/** A microbatch model as dbt's manifest.json has it. */
const MANIFEST = {
  nodes: {
    [MODEL_ID]: {
      unique_id: MODEL_ID,
      name: "f_orders",
      resource_type: "model",
      package_name: "shop",
      original_file_path: "models/f_orders.sql",
      config: { materialized: "incremental", incremental_strategy: "microbatch", event_time: "ordered_at", batch_size: "day", begin: "2026-01-01" },
      raw_code: "select 1",
      depends_on: { nodes: [] },
    },
  },
};

/**
 * A `WarehouseDbt` stand-in: dbt parse writes MANIFEST, each `dbt run` of a window in `failing`
 * exits 1 with an error; run_results.json is the last run's. Records every dbt command.
 */
function warehouseStandIn(failing: Set<string>): WarehouseDbt & { commands: string[][] } {
  const commands: string[][] = [];
  let lastRun: { status: string } | null = null;
  return {
    commands,
    async invoke(_ctx, args) {
      commands.push(args);
      if (args[0] !== "run") return { exitCode: 0, failure: "" };
      const start = args[args.indexOf("--event-time-start") + 1] ?? "";
      lastRun = { status: failing.has(start) ? "error" : "success" };
      return failing.has(start) ? { exitCode: 1, failure: `dbt run failed: warehouse refused ${start}` } : { exitCode: 0, failure: "" };
    },
    targetDir: async (projectDir) => `${projectDir}/target`,
    readManifest: async () => MANIFEST,
    readRunResults: async () => (lastRun ? { results: [{ unique_id: MODEL_ID, status: lastRun.status, execution_time: 1 }] } : null),
    showQuery: async () => ({ ok: false, error: "not used by backfill" }),
    probeRelations: async () => ({ ok: false, error: "not used by backfill" }),
    runSql: async () => ({ ok: false, error: "not used by backfill" }),
    withScript: async () => {
      throw new Error("not used by backfill");
    },
    runScript: async () => ({ exitCode: 1, output: "not used by backfill" }),
  };
}

const starts = (commands: string[][]) => commands.filter((c) => c[0] === "run").map((c) => c[c.indexOf("--event-time-start") + 1]);

describe("backfillModel through a WarehouseDbt stand-in (no dbt, no disk)", () => {
  const input = (disk: ReturnType<typeof memoryDisk>, warehouse: WarehouseDbt): BackfillInput => ({
    disk,
    warehouse,
    root: "/repo",
    config: DEFAULT_CONFIG,
    model: "f_orders",
    start: "2026-10-01",
    end: "2026-10-04",
    batch: "day",
    restart: false,
    dbt: { dbt: { command: "dbt", version: "1.10.0" }, timeoutMs: 1000 },
    secrets: ["refused"],
    confirm: async () => true,
    progress: () => {},
  });

  it("records finished batches in the state file, stops at a failing one, and a second run starts at that batch", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop\nversion: '1.0'\nprofile: shop\n" });
    const stateFile = "/repo/target/dbt-unskip-backfill-f_orders.json";

    const failingOnce = warehouseStandIn(new Set(["2026-10-02"]));
    const first = await backfillModel(input(disk, failingOnce));
    expect(first.result).toBe("failed");
    expect(first.mode).toBe("microbatch");
    expect(first.stateFile).toBe(stateFile);
    expect(failingOnce.commands[0]).toEqual(["parse", "--no-partial-parse"]);
    expect(starts(failingOnce.commands)).toEqual(["2026-10-01", "2026-10-02"]);
    // The port's failure text is the error, with the secrets redacted.
    expect(first.error).toContain("batch 2026-10-02 to 2026-10-03 failed: dbt run failed: warehouse *** 2026-10-02");
    const state = JSON.parse(disk.texts.get(stateFile) ?? "null");
    expect(state.completed.map((b: { start: string }) => b.start)).toEqual(["2026-10-01"]);
    expect(state.failures.map((b: { start: string }) => b.start)).toEqual(["2026-10-02"]);

    const healthy = warehouseStandIn(new Set());
    const second = await backfillModel(input(disk, healthy));
    expect(second.result).toBe("completed");
    expect(starts(healthy.commands)).toEqual(["2026-10-02", "2026-10-03"]);
    expect(second.batches.map((b) => b.status)).toEqual(["done-before", "done", "done"]);
  });

  it("a dbt parse that fails is the error, in the port's words", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop\n" });
    const warehouse: WarehouseDbt = { ...warehouseStandIn(new Set()), invoke: async () => ({ exitCode: 2, failure: "dbt parse failed: no profile" }) };
    await expect(backfillModel(input(disk, warehouse))).rejects.toThrow("dbt parse failed: no profile");
    expect([...disk.texts.keys()]).toEqual(["/repo/dbt_project.yml"]);
  });

  it("a signal during a batch: stopped 'during' it when dbt was stopped, 'before' the next one when the batch finished anyway", async () => {
    const said: (string | null)[] = [];
    for (const finishes of [true, false]) {
      const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop\n" });
      const controller = new AbortController();
      const standIn = warehouseStandIn(new Set());
      const warehouse: WarehouseDbt = {
        ...standIn,
        async invoke(ctx, args) {
          const result = await standIn.invoke(ctx, args);
          if (args[0] !== "run") return result;
          // The signal arrives while batch 1's dbt runs: it finishes anyway, or is stopped.
          controller.abort("SIGINT");
          return finishes ? result : { exitCode: null, failure: "dbt run was killed (SIGTERM)" };
        },
      };
      const outcome = await backfillModel({ ...input(disk, warehouse), dbt: { dbt: { command: "dbt", version: "1.10.0" }, timeoutMs: 1000, signal: controller.signal } });
      expect(outcome.result).toBe("interrupted");
      expect(starts(standIn.commands)).toEqual(["2026-10-01"]);
      expect(outcome.batches.map((b) => b.status)).toEqual([finishes ? "done" : "pending", "pending", "pending"]);
      const state = JSON.parse(disk.texts.get("/repo/target/dbt-unskip-backfill-f_orders.json") ?? '{"completed":[],"failures":[]}');
      expect(state.completed.map((b: { start: string }) => b.start)).toEqual(finishes ? ["2026-10-01"] : []);
      expect(state.failures).toEqual([]);
      said.push(outcome.error);
    }
    expect(said).toEqual([
      "stopped by SIGINT before batch 2026-10-02 to 2026-10-03 started; finished batches stay recorded. Run the same command again to continue from this batch.",
      "stopped by SIGINT during batch 2026-10-01 to 2026-10-02; finished batches stay recorded. Run the same command again to continue from this batch.",
    ]);
  });
});
