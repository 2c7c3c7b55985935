import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { BackfillState } from "../../src/core/warehouseRun/backfillState.js";
import { UserError } from "../../src/core/userError.js";
import { backfillModel, type BackfillInput } from "../../src/usecases/backfillModel.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { duckdbExecute } from "../helpers/duckdb.js";
import { execDbtLines } from "../helpers/wrapperExec.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";
import { localDisk } from "../../src/adapters/files/localDisk.js";
import { localWarehouseDbt } from "../../src/adapters/localWarehouseDbt.js";

// Real dbt and DuckDB on a copy of the example. dbt is started through a wrapper that logs every
// invocation and, while a marker file exists, points the day 2026-10-03 at a warehouse that cannot
// be opened: a real dbt failure in the middle of the range.

let real: DbtInstallation;
let example: Awaited<ReturnType<typeof scratchExample>>;
let db: string;
let log: string;
let marker: string;
let wrapper: DbtInstallation;

beforeAll(async () => {
  real = await findDbt({ repoRoot: REPO_ROOT });
  example = await scratchExample();
  db = join(example.root, "warehouse.duckdb");
  log = join(example.root, "dbt-invocations.log");
  marker = join(example.root, "fail-2026-10-03");
  const script = join(example.root, "dbt-wrapper.sh");
  await writeFile(
    script,
    [
      "#!/bin/sh",
      `printf '%s\\n' "$*" >> '${log}'`,
      'case " $* " in',
      `  *" --event-time-start 2026-10-03 "*) if [ -f '${marker}' ]; then DBT_UNSKIP_DUCKDB_PATH=/nonexistent/folder/warehouse.duckdb; export DBT_UNSKIP_DUCKDB_PATH; fi ;;`,
      "esac",
      // dbt itself, through the suite's shared fork server when there is one (wrapperExec.ts).
      await execDbtLines(real.command),
      "",
    ].join("\n"),
  );
  await chmod(script, 0o755);
  wrapper = { command: script, version: real.version };
  // The microbatch model's input, and a plain incremental model that reads the backfill window.
  await writeFile(
    join(example.dbtDir, "transform/gold/f_transactions_window.sql"),
    [
      "{{ config(materialized='incremental', unique_key='transaction_id', incremental_strategy='delete+insert') }}",
      "select transaction_id, transaction_at, amount from {{ ref('stg_transactions') }}",
      "{% if var('dbt_unskip_backfill_start', none) is not none %}",
      "where transaction_at >= '{{ var(\"dbt_unskip_backfill_start\") }}' and transaction_at < '{{ var(\"dbt_unskip_backfill_end\") }}'",
      "{% endif %}",
      "",
    ].join("\n"),
  );
  const built = await spawnDbt({ command: real.command, args: ["run", "--select", "stg_transactions"], projectDir: example.dbtDir, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db } });
  expect(built.exitCode).toBe(0);
});
afterAll(() => example.cleanup());

async function backfill(overrides: Partial<BackfillInput>) {
  return backfillModel({
    disk: localDisk,
    warehouse: localWarehouseDbt,
    root: example.root,
    config: await loadConfig(createDiskFileSource(example.root)),
    model: "f_transactions",
    start: "2026-10-01",
    end: "2026-10-06",
    batch: "day",
    restart: false,
    dbt: { dbt: wrapper, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db } },
    secrets: [],
    confirm: async () => true,
    progress: () => {},
    ...overrides,
  });
}

const batchRuns = async (flag: string) =>
  (await readFile(log, "utf8"))
    .split("\n")
    .filter((l) => l.startsWith("run ") && l.includes(flag))
    .map((l) => /(?:--event-time-start |"dbt_unskip_backfill_start": ?")(\d{4}-\d{2}-\d{2})/.exec(l)![1]);

describe("backfill with real dbt", () => {
  it("microbatch: a failure in a middle batch stops there; the rerun finishes, and no batch runs twice", async () => {
    await writeFile(marker, "");
    const progress: string[] = [];
    const first = await backfill({ progress: (l) => progress.push(l) });
    expect(first.result).toBe("failed");
    expect(first.mode).toBe("microbatch");
    expect(first.error).toContain("batch 2026-10-03 to 2026-10-04 failed");
    expect(first.batches.map((b) => b.status)).toEqual(["done", "done", "failed", "pending", "pending"]);
    expect(progress).toContain("Backfill batch 3/5: 2026-10-03 to 2026-10-04");
    expect(progress.some((l) => /Batch 1 of 1 OK created batch 2026-10-02 of main_gold\.f_transactions/.test(l))).toBe(true);
    const stateFile = join(example.dbtDir, "target", "dbt-unskip-backfill-f_transactions.json");
    const saved = JSON.parse(await readFile(stateFile, "utf8")) as BackfillState;
    expect(saved.completed.map((b) => b.start)).toEqual(["2026-10-01", "2026-10-02"]);
    expect(saved.failures.map((b) => b.start)).toEqual(["2026-10-03"]);

    await rm(marker);
    const second = await backfill({});
    expect(second.result).toBe("completed");
    expect(second.invocations).toBe(3);
    expect(second.batches.map((b) => b.status)).toEqual(["done-before", "done-before", "done", "done", "done"]);
    const done = JSON.parse(await readFile(stateFile, "utf8")) as BackfillState;
    expect(done.completed.map((b) => [b.start, b.end, b.attempts])).toEqual([
      ["2026-10-01", "2026-10-02", 1],
      ["2026-10-02", "2026-10-03", 1],
      ["2026-10-03", "2026-10-04", 2],
      ["2026-10-04", "2026-10-05", 1],
      ["2026-10-05", "2026-10-06", 1],
    ]);
    // Every dbt run dbt-unskip started: the failed day twice, every other day once.
    expect(await batchRuns("--event-time-start")).toEqual(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-03", "2026-10-04", "2026-10-05"]);

    const third = await backfill({});
    expect(third.result).toBe("nothing-to-do");
    expect(third.invocations).toBe(0);
    expect(await batchRuns("--event-time-start")).toHaveLength(6);

    // The table holds exactly the source's transactions of those five days.
    const rows = await duckdbExecute(db, "select cast(transaction_at as date)::varchar as d, count(*) from main_gold.f_transactions group by 1 order by 1");
    const expected = await duckdbExecute(
      db,
      "select cast(transaction_at as date)::varchar as d, count(*) from main_silver.stg_transactions where transaction_at >= '2026-10-01' and transaction_at < '2026-10-06' group by 1 order by 1",
      example.dbtDir,
    );
    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThan(0);
  });

  it("Ctrl-C during a batch: interrupted, not failed; the stopped batch is not recorded as a failure, finished ones stay", async () => {
    const controller = new AbortController();
    const outcome = await backfill({
      start: "2026-10-06",
      end: "2026-10-09",
      restart: true,
      dbt: { dbt: wrapper, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db }, signal: controller.signal },
      // As the CLI's guard does at Ctrl-C: the abort carries the signal's name. dbt for batch 2 is stopped at once.
      progress: (line) => line.startsWith("Backfill batch 2/3") && controller.abort("SIGINT"),
    });
    expect(outcome.result).toBe("interrupted");
    expect(outcome.error).toMatch(/^stopped by SIGINT during batch 2026-10-07 to 2026-10-08; finished batches stay recorded/);
    expect(outcome.batches.map((b) => b.status)).toEqual(["done", "pending", "pending"]);
    const saved = JSON.parse(await readFile(join(example.dbtDir, "target", "dbt-unskip-backfill-f_transactions.json"), "utf8")) as BackfillState;
    expect(saved.completed.map((b) => b.start)).toEqual(["2026-10-06"]);
    expect(saved.failures).toEqual([]);
  });

  it("a plain incremental model gets the window through the documented vars; other materializations are refused", async () => {
    const outcome = await backfill({ model: "f_transactions_window", start: "2026-10-01", end: "2026-11-01", batch: "month" });
    expect(outcome.result).toBe("completed");
    expect(outcome.mode).toBe("vars");
    expect(await batchRuns("--vars")).toEqual(["2026-10-01"]);
    const [[count]] = (await duckdbExecute(db, "select count(*) from main_gold.f_transactions_window where transaction_at < '2026-10-01' or transaction_at >= '2026-11-01'")) as [[number]];
    expect(count).toBe(0);

    const refused = await backfill({ model: "d_date" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toContain("d_date is materialized as table; only incremental and microbatch models are backfilled");
  });
});
