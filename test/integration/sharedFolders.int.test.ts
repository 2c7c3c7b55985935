import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { extractExactDependencies } from "../../src/adapters/dbt/exactExtraction.js";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { buildProject } from "../../src/core/project/buildProject.js";
import { dependencyKey } from "../../src/core/refs/dependencyCollector.js";
import type { Dependency } from "../../src/core/types.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { useExampleRepos } from "../helpers/exampleRepos.js";
import type { TestRepo } from "../helpers/gitRepo.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// A dbt project may read folders beside it (docs/cli.md: `model-paths` and `macro-paths` may climb
// out of the project folder, not out of the repository). dbt's proof runs in a scratch copy: a copy
// of the project folder alone lost `../shared/macros`, so dbt there called `union_relations_by_name`
// undefined and restore re-skipped f_contract_channels, which dbt in the user's tree compiles.
let dbt: DbtInstallation;
const repos = useExampleRepos();
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
});

/** The example with its macros moved to `shared/macros` beside the dbt project, committed. */
async function sharedMacros(): Promise<TestRepo> {
  const repo = await repos.ready();
  await rename(join(repo.dir, "dbt/macros"), join(repo.dir, "shared-macros"));
  const settings = join(repo.dir, "dbt/dbt_project.yml");
  const text = await readFile(settings, "utf8");
  await writeFile(settings, text.replace('macro-paths: ["macros"]', 'macro-paths: ["../shared-macros"]'));
  await repo.commit("macros shared beside the dbt project");
  return repo;
}

describe("a project that reads a folder beside it", () => {
  it("restore proves in a copy that holds the shared macros: the model calling one is restored, nothing re-skipped", async () => {
    const repo = await sharedMacros();
    const outcome = await restoreExample(repo, dbt, { dimension: "dim_contract" });
    expect(outcome.reSkipped).toEqual([]);
    expect(outcome.restored.map((m) => m.name).sort()).toEqual(["f_contract_channels", "f_contract_revenue"]);
    expect(outcome.result).toBe("restored");
  });

  it("--exact sees the refs a shared macro makes, as the static scan does", async () => {
    const repo = await sharedMacros();
    const built = buildProject(await readProjectSnapshot(createDiskFileSource(repo.dir), "dbt"));
    if ("problem" in built) throw new Error(built.problem.message);
    const exact = await extractExactDependencies({ dbt, root: repo.dir, projectRoot: join(repo.dir, "dbt"), project: built.project });
    expect(exact.failed).toEqual(new Map());
    const file = "transform/gold/f_contract_channels.sql.skip";
    const names = (deps: readonly Dependency[]) => deps.map(dependencyKey).sort();
    const fromDbt = names(exact.dependencies.get(file) ?? []);
    expect(fromDbt.filter((key) => /\0stg_contracts(_broker)?\0/.test(key))).toHaveLength(2);
    expect(fromDbt).toEqual(names(built.project.models.find((m) => m.file === file)!.extraction.dependencies));
  });
});
