import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { rollbackDimension } from "../../src/usecases/rollbackDimension.js";
import { runDimension } from "../../src/usecases/runDimension.js";
import { duckdbTables } from "../helpers/duckdb.js";
import { copyDeployedWarehouse, WAREHOUSE_FILE } from "../helpers/deployedWarehouse.js";
import { execDbtLines } from "../helpers/wrapperExec.js";
import { makeGate, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";
import { localWarehouseDbt } from "../../src/adapters/localWarehouseDbt.js";

/** What run and rollback take as ports: the real tree ports and dbt in the project. */
const localPorts = { ...localTreePorts, warehouse: localWarehouseDbt };

// RELIABILITY 28 for `run` and `rollback` (the use cases the CLI and the Action call with their
// abort signal): real dbt and DuckDB, with a dbt in front of it that stops at one exact step on a
// FIFO (fakeTools' gate) until the test aborts, as Ctrl-C does. No clock is involved.

let dbt: DbtInstallation;
let work: string;
let db: string;
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  work = await mkdtemp(join(tmpdir(), "dbt-unskip-run-interrupt-"));
  // The warehouse as dim_contract's deploy leaves it (run's pre-flight needs the upstream relations): this file's own copy.
  db = join(work, "wh", WAREHOUSE_FILE);
  await copyDeployedWarehouse(dbt, db);
});
afterAll(() => rm(work, { recursive: true, force: true }));

/**
 * The real dbt, except that `dbt run` runs and then stops at the `run` gate before it ends (what it
 * built is built), and the first `dbt run-operation` (rollback's first DROP) stops at the `drop`
 * gate before it runs.
 */
async function gatedDbt(dir: string, gates: { run: { ready: string; hold: string }; drop: { ready: string; hold: string } }): Promise<DbtInstallation> {
  const wait = (g: { ready: string; hold: string }) => `exec 3<>'${g.hold}'; echo here > '${g.ready}'; read line <&3`;
  // dbt itself as the suite's other wrappers run it (execDbtLines: the shared fork server when there is one).
  const real = join(dir, "dbt-real");
  await writeFile(real, ["#!/bin/sh", await execDbtLines(dbt.command), ""].join("\n"));
  await chmod(real, 0o755);
  const path = join(dir, "dbt");
  await writeFile(path, ["#!/bin/sh", 'case "$1" in', `  run) '${real}' "$@"; status=$?; ${wait(gates.run)}; exit $status;;`, `  run-operation) ${wait(gates.drop)};;`, "esac", `exec '${real}' "$@"`, ""].join("\n"));
  await chmod(path, 0o755);
  return { command: path, version: dbt.version, forkServer: false };
}

describe("run and rollback stopped by an interrupt say so, and say what stays", () => {
  it("run interrupted during dbt run: interrupted, what dbt built stays, the rollback offered; rollback interrupted at its first DROP: interrupted, nothing dropped, the files not touched", async () => {
    const repo = await createTestRepo(EXAMPLE_DIR);
    const scripts = await scriptDir();
    try {
      await landMasContracts(repo);
      const config = await loadConfig(createDiskFileSource(repo.dir));
      const tablesBefore = await duckdbTables(db);
      expect((await restoreExample(repo, dbt)).result).toBe("restored");
      const run = await makeGate(scripts, "run");
      const drop = await makeGate(scripts, "drop");
      const gated = await gatedDbt(scripts, { run, drop });
      const dbtWith = (signal: AbortSignal) => ({ dbt: gated, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db }, signal });

      // run: Ctrl-C (SIGINT) once dbt run has built the models and before it ended.
      const runAbort = new AbortController();
      const running = runDimension({ ...localPorts, root: repo.dir, config, dimension: "dim_user", dbt: dbtWith(runAbort.signal), secrets: [], confirm: async () => true, progress: () => {} });
      await Promise.race([run.gate.reached(), running.then((o) => Promise.reject(new Error(`run ended before dbt run: ${o.result} ${o.error}`)))]);
      runAbort.abort("SIGINT");
      const ran = await running;
      run.gate.close();
      expect(ran.result).toBe("interrupted");
      expect(ran.error).toBe("stopped by SIGINT during dbt run; what dbt finished before it stays built (see the models above)");
      expect(ran.rollbackCommand).toBe("dbt-unskip rollback --dimension dim_user");
      expect(ran.models.map((m) => [m.name, m.status])).toEqual([
        ["f_user_activity", "success"],
        ["mas_user_contracts", "success"],
        ["d_user", "success"],
      ]);
      const tablesAfterRun = await duckdbTables(db);
      expect(tablesAfterRun.filter((t) => !tablesBefore.includes(t))).toEqual(["main_gold.d_user (BASE TABLE)", "main_gold.f_user_activity (BASE TABLE)", "main_silver.mas_user_contracts (BASE TABLE)"]);

      // rollback: SIGTERM while its first DROP is in dbt, before rollback.sh.
      const treeAfterRun = await treeFingerprint(repo.dir);
      const rollbackAbort = new AbortController();
      const rolling = rollbackDimension({ ...localPorts, root: repo.dir, config, dimension: "dim_user", dbt: dbtWith(rollbackAbort.signal), secrets: [], confirm: async () => true, progress: () => {} });
      await Promise.race([drop.gate.reached(), rolling.then((o) => Promise.reject(new Error(`rollback ended before its first DROP: ${o.result} ${o.error}`)))]);
      rollbackAbort.abort("SIGTERM");
      const rolled = await rolling;
      drop.gate.close();
      expect(rolled.result).toBe("interrupted");
      expect(rolled.error).toBe("stopped by SIGTERM after 0 of 3 relation(s) were dropped; the files were not touched; run the rollback again to finish it (it is safe to repeat)");
      expect(rolled.dropped).toEqual([]);
      // rollback.sh --check ran, rollback.sh itself did not: the restored files and the tables are as the run left them.
      expect(rolled.script).toContain("rollback: would re-skip 3 file(s)");
      expect(await treeFingerprint(repo.dir)).toEqual(treeAfterRun);
      expect(await duckdbTables(db)).toEqual(tablesAfterRun);
    } finally {
      await repo.cleanup();
      await rm(scripts, { recursive: true, force: true });
    }
  });
});
