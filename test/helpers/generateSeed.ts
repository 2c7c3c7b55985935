import type { GenerateOutcome } from "../../src/core/generate/generateOutcome.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { generateFromCsv, type GenerateInput } from "../../src/usecases/generateFromCsv.js";
import { localGeneratePorts } from "../../src/adapters/localGeneratePorts.js";

/**
 * `dbt-unskip generate --csv <csvPath> --name stg_users_store --yes` in the project at `root` (a
 * DuckDB seed, on a fixed day); `overrides` change any input.
 */
export async function generateSeed(root: string, csvPath: string, overrides: Partial<GenerateInput> = {}): Promise<GenerateOutcome> {
  return generateFromCsv({
    ...localGeneratePorts,
    root,
    config: await loadConfig(createDiskFileSource(root)),
    csvPath,
    csvDisplay: csvPath,
    name: "stg_users_store",
    mode: "seed",
    dialect: "duckdb",
    today: "2026-11-21",
    confirm: async () => true,
    ...overrides,
  });
}
