import { copyFile, cp, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 9, the third case: a path that resolves outside the project. The scanner never
// follows a linked folder, but a report can be older than the tree: here the model folder became a
// symbolic link to a folder outside the repository after the report was made. The restore must
// refuse before renaming anything, inside or outside.
let dbt: DbtInstallation;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it("a model folder that became a link to outside the project: refused, nothing renamed on either side", async () => {
  const repo: TestRepo = await createTestRepo(EXAMPLE_DIR);
  cleanups.push(() => repo.cleanup());
  await copyFile(join(repo.dir, "upstream/silver/master/mas_contracts.sql"), join(repo.dir, "dbt/transform/silver/master/mas_contracts.sql"));
  await repo.commit("dim_contract: add mas_contracts");
  const files = createDiskFileSource(repo.dir);
  const config = await loadConfig(files);
  const report = (await computeStatus({ files, config })).reports[0]!;
  const ready = report.models.filter((m) => m.dimension === "dim_user" && m.status === "ready").map((m) => m.path);
  expect(ready).toContain("transform/gold/f_user_activity.sql.skip");

  // The gold folder moves outside the repository and a link takes its place.
  const outside = await mkdtemp(join(tmpdir(), "dbt-unskip-outside-"));
  cleanups.push(() => rm(outside, { recursive: true, force: true }));
  await cp(join(repo.dir, "dbt/transform/gold"), join(outside, "gold"), { recursive: true });
  await rm(join(repo.dir, "dbt/transform/gold"), { recursive: true });
  await symlink(join(outside, "gold"), join(repo.dir, "dbt/transform/gold"));
  await repo.commit("gold is a link now");
  const outsideBefore = (await readdir(join(outside, "gold"), { recursive: true })).sort();
  const before = await treeFingerprint(repo.dir);

  await expect(restoreExample(repo, dbt, { config, report })).rejects.toThrow(/transform\/gold\/[a-z_]+\.sql(\.skip)?: resolves outside the dbt project; refusing to rename it/);
  expect((await readdir(join(outside, "gold"), { recursive: true })).sort()).toEqual(outsideBefore);
  expect(await treeFingerprint(repo.dir)).toEqual(before);
});

// Issue #15 item 16: the "outside" check compares folders, not string prefixes. A sibling folder
// whose name starts with the project folder's name (`dbt_old/` beside `dbt/`) is outside the project.
it("a model folder that became a link to a sibling `dbt_old/` (the project folder's name as a prefix): refused", async () => {
  const repo: TestRepo = await createTestRepo(EXAMPLE_DIR);
  cleanups.push(() => repo.cleanup());
  await copyFile(join(repo.dir, "upstream/silver/master/mas_contracts.sql"), join(repo.dir, "dbt/transform/silver/master/mas_contracts.sql"));
  await repo.commit("dim_contract: add mas_contracts");
  const files = createDiskFileSource(repo.dir);
  const config = await loadConfig(files);
  const report = (await computeStatus({ files, config })).reports[0]!;
  expect(report.models.filter((m) => m.dimension === "dim_user" && m.status === "ready").map((m) => m.path)).toContain("transform/gold/f_user_activity.sql.skip");

  const sibling = join(repo.dir, "dbt_old");
  await cp(join(repo.dir, "dbt/transform/gold"), join(sibling, "gold"), { recursive: true });
  await rm(join(repo.dir, "dbt/transform/gold"), { recursive: true });
  await symlink(join(sibling, "gold"), join(repo.dir, "dbt/transform/gold"));
  await repo.commit("gold is a link to dbt_old/gold now");
  const siblingBefore = (await readdir(sibling, { recursive: true })).sort();
  const before = await treeFingerprint(repo.dir);

  await expect(restoreExample(repo, dbt, { config, report })).rejects.toThrow(/transform\/gold\/[a-z_]+\.sql(\.skip)?: resolves outside the dbt project; refusing to rename it/);
  expect((await readdir(sibling, { recursive: true })).sort()).toEqual(siblingBefore);
  expect(await treeFingerprint(repo.dir)).toEqual(before);
});
