import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { fakeDbt, scriptDir } from "../helpers/fakeTools.js";
import { useExampleRepos } from "../helpers/exampleRepos.js";
import type { TestRepo } from "../helpers/gitRepo.js";
import { restoreExample } from "../helpers/restoreExample.js";

// RELIABILITY 35: a restore that brings back another dimension's model updates that dimension's
// state document too, and `status` says when a document disagrees with the tree.
let dbt: DbtInstallation;
const repos = useExampleRepos();
let scripts: string;
beforeAll(async () => {
  scripts = await scriptDir();
  dbt = await fakeDbt(scripts, "dbt-accepts");
});
afterAll(() => rm(scripts, { recursive: true, force: true }));

const PRODUCT_DOC = "dimensions/dim_product/DIM_PRODUCT_MIGRATION_STATE.md";
const F_TRANSACTIONS = "dbt/transform/gold/f_transactions.sql";

/** The example with dim_product's f_transactions paused (dim_user's f_user_activity needs it). */
async function crossDimensionRepo(): Promise<TestRepo> {
  const repo = await repos.ready();
  await rename(join(repo.dir, F_TRANSACTIONS), join(repo.dir, `${F_TRANSACTIONS}.skip`));
  const doc = await readFile(join(repo.dir, PRODUCT_DOC), "utf8");
  await writeFile(
    join(repo.dir, PRODUCT_DOC),
    doc.replace(
      "## 🎯 Resume Instructions",
      "### 3. f_transactions.sql → f_transactions.sql.skip\n**Status**: PAUSED - Re-checking the currency conversion\n**Location**: `transform/gold/f_transactions.sql.skip`\n\n## 🎯 Resume Instructions",
    ),
  );
  await repo.commit("dim_product: pause f_transactions");
  return repo;
}

async function problemsOf(repo: TestRepo): Promise<string[]> {
  const files = createDiskFileSource(repo.dir);
  const { reports } = await computeStatus({ files, config: await loadConfig(files) });
  return reports[0]!.problems.filter((p) => p.kind === "stale-state-document").map((p) => `${p.file}: ${p.message}`);
}

describe("a restore of dim_user that also brings back dim_product's f_transactions", () => {
  it("updates both state documents in the one commit, and status finds nothing stale", async () => {
    const repo = await crossDimensionRepo();
    expect(await problemsOf(repo)).toEqual([]);
    const outcome = await restoreExample(repo, dbt);
    expect(outcome.result).toBe("restored");
    expect(outcome.restored.map((m) => `${m.dimension}:${m.name}`)).toContain("dim_product:f_transactions");
    expect(outcome.otherStateDocuments).toEqual([{ dimension: "dim_product", path: PRODUCT_DOC, updated: true, problem: null }]);
    const changed = (await repo.git("show", "--name-only", "--no-renames", "--format=", "HEAD")).trim().split("\n");
    expect(changed).toContain(PRODUCT_DOC);
    const productDoc = await repo.git("show", `HEAD:${PRODUCT_DOC}`);
    expect(productDoc).toContain("## 🔄 Restart Log (2)");
    expect(productDoc.slice(productDoc.indexOf("## 🔄 Restart Log (2)"))).toContain("- `f_transactions.sql` (was .skip)");
    expect(await repo.git("status", "--porcelain")).toBe("");
    expect(await problemsOf(repo)).toEqual([]);
  });

  it("status reports a document that lists as paused a model that is active, and one that records as resumed a model that is paused", async () => {
    const repo = await crossDimensionRepo();
    // Restored by hand, the document left as it was.
    await rename(join(repo.dir, `${F_TRANSACTIONS}.skip`), join(repo.dir, F_TRANSACTIONS));
    // Paused by hand after the restart log that resumed it.
    await rename(join(repo.dir, "dbt/transform/gold/f_daily_sales.sql"), join(repo.dir, "dbt/transform/gold/f_daily_sales.sql.skip"));
    expect(await problemsOf(repo)).toEqual([
      `${PRODUCT_DOC}: records f_daily_sales as resumed in its restart log, but it is paused in the tree (dbt/transform/gold/f_daily_sales.sql.skip): the document was not updated when it was paused again`,
      `${PRODUCT_DOC}: lists f_transactions as paused at transform/gold/f_transactions.sql.skip, but it is active in the tree (dbt/transform/gold/f_transactions.sql): the document was not updated when it was restored`,
    ]);
  });
});
