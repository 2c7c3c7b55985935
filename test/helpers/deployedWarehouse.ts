import { copyFile, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { placeMasContracts } from "./landMasContracts.js";
import { scratchExample } from "./scratchExample.js";
import { TEST_TMPFS_ENV_VAR } from "./tmpfsSetup.js";

/** The file name every copy keeps: DuckDB names the database after it, and the built views name that database. */
export const WAREHOUSE_FILE = "warehouse.duckdb";

/**
 * Copies to `target` (a path ending in warehouse.duckdb) the example's warehouse as dim_contract's
 * deploy leaves it: mas_contracts placed, every active model built (`dbt build --exclude
 * resource_type:test` on a scratch copy of the example). planRunRollback.int and
 * runRollbackInterrupt.int both start from it; each changes only its own copy.
 *
 * Within one test run (the run's own folder from tmpfsSetup.ts) the build is made once and kept
 * there, never changed, for every file of the run that asks; the folder goes with the run, so a
 * later run builds again from the example as it is then. Two files asking at once may both build:
 * each builds in its own folder, the first rename keeps its build, the other copies from its own.
 * Without the run's folder (TMPDIR chosen by whoever runs the tests) every call builds.
 */
export async function copyDeployedWarehouse(dbt: DbtInstallation, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const run = process.env[TEST_TMPFS_ENV_VAR];
  if (run === undefined) {
    await build(dbt, target);
    return;
  }
  const shared = join(run, "shared-deployed-warehouse", encodeURIComponent(dbt.command));
  try {
    await copyFile(join(shared, WAREHOUSE_FILE), target);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dirname(shared), { recursive: true });
  const mine = await mkdtemp(`${shared}.building-`);
  try {
    await build(dbt, join(mine, WAREHOUSE_FILE));
    await copyFile(join(mine, WAREHOUSE_FILE), target);
    // Published whole or not at all: a reader finds the file only once the build is complete.
    await rename(mine, shared).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST" && error.code !== "ENOTEMPTY") throw error;
    });
  } finally {
    await rm(mine, { recursive: true, force: true });
  }
}

async function build(dbt: DbtInstallation, db: string): Promise<void> {
  const example = await scratchExample();
  try {
    await placeMasContracts(example.root);
    const built = await spawnDbt({ command: dbt.command, args: ["build", "--exclude", "resource_type:test"], projectDir: example.dbtDir, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db } });
    if (built.exitCode !== 0) throw new Error(`dbt build failed: ${built.otherOutput}`);
  } finally {
    await example.cleanup();
  }
}
