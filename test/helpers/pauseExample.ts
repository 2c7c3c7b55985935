import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { PauseOutcome } from "../../src/core/pause/pauseOutcome.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { pauseDimension, type PauseInput } from "../../src/usecases/pauseDimension.js";
import type { TestRepo } from "./gitRepo.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

/** Pauses dim_user in a test repository with real dbt, as `dbt-unskip pause --yes` does, on a fixed day. */
export async function pauseExample(repo: TestRepo, dbt: DbtInstallation, overrides: Partial<PauseInput> = {}): Promise<PauseOutcome> {
  return pauseDimension({
    ...localTreePorts,
    root: repo.dir,
    config: await loadConfig(createDiskFileSource(repo.dir)),
    dimension: "dim_user",
    dryRun: false,
    dbt,
    timeoutMs: 300_000,
    today: "2026-12-07",
    confirm: async () => true,
    progress: () => {},
    ...overrides,
  });
}

/**
 * The dim_user models the example keeps paused, made active as if the team had migrated them before
 * their upstreams landed (dbt parse fails on them): `mas_user_contracts` (needs dim_contract's
 * `mas_contracts`), `mas_user_addresses` (needs the undeclared source `bronze.addresses`) and
 * `d_user`, which depends on `mas_user_contracts`. Committed; returns the active paths.
 */
export const ACTIVATED = ["dbt/transform/silver/master/mas_user_contracts.sql", "dbt/transform/silver/master/mas_user_addresses.sql", "dbt/transform/gold/d_user.sql"];

export async function activateBrokenModels(repo: TestRepo, paths: readonly string[] = ACTIVATED): Promise<void> {
  for (const path of paths) await repo.git("mv", `${path}.skip`, path);
  await repo.commit("dim_user: migrate the rest before its upstreams land");
}
