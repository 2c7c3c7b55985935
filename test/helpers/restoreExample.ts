import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { RestoreOutcome } from "../../src/core/restore/restoreOutcome.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { restoreDimension, type RestoreInput } from "../../src/usecases/restoreDimension.js";
import type { TestRepo } from "./gitRepo.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

/**
 * Restores dim_user in an example repository with real dbt, as `dbt-unskip restore --yes` does (a
 * clean tree required, the restore committed), on a fixed day; `overrides` change any input.
 */
export async function restoreExample(repo: TestRepo, dbt: DbtInstallation, overrides: Partial<RestoreInput> = {}): Promise<RestoreOutcome> {
  return restoreDimension({
    ...localTreePorts,
    root: repo.dir,
    config: await loadConfig(createDiskFileSource(repo.dir)),
    dimension: "dim_user",
    allowDirty: false,
    commit: true,
    dbt,
    timeoutMs: 300_000,
    today: "2026-11-21",
    confirm: async () => true,
    progress: () => {},
    ...overrides,
  });
}
