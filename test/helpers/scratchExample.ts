import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/**
 * The bundled example; `DBT_UNSKIP_TEST_EXAMPLE` names a copy rewritten for an older dbt instead
 * (written by `scripts/example-for-dbt.mjs`, used only by `scripts/dbt-versions.sh`).
 */
export const EXAMPLE_DIR = process.env.DBT_UNSKIP_TEST_EXAMPLE || join(REPO_ROOT, "examples", "warehouse-migration");

/** A scratch copy of the bundled example (never the committed one), removed by `cleanup`. */
export async function scratchExample(): Promise<{ root: string; dbtDir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "dbt-unskip-example-"));
  await cp(EXAMPLE_DIR, root, { recursive: true });
  return { root, dbtDir: join(root, "dbt"), cleanup: () => rm(root, { recursive: true, force: true }) };
}
