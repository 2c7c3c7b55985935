import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestRepo } from "./gitRepo.js";
import { EXAMPLE_DIR } from "./scratchExample.js";

/** Where dim_contract's `mas_contracts` lands in the example project. */
export const MAS_CONTRACTS = "dbt/transform/silver/master/mas_contracts.sql";

/**
 * Puts dim_contract's `mas_contracts` (waiting in the example's `upstream/` folder) into a copy of
 * the example at `root`: the dim_user chain (mas_user_contracts → d_user) and d_account become ready.
 */
export async function placeMasContracts(root: string): Promise<void> {
  await copyFile(join(EXAMPLE_DIR, "upstream/silver/master/mas_contracts.sql"), join(root, MAS_CONTRACTS));
}

/** The same in an example repository (the example at its root), committed; returns the commit. */
export async function landMasContracts(repo: TestRepo, message = "dim_contract: add mas_contracts"): Promise<string> {
  await placeMasContracts(repo.dir);
  return repo.commit(message);
}
