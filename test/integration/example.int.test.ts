import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { extractExactDependencies } from "../../src/adapters/dbt/exactExtraction.js";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { manifestDependencies } from "../../src/core/dbt/manifestDependencies.js";
import { buildProject, type DbtProject } from "../../src/core/project/buildProject.js";
import type { Dependency } from "../../src/core/types.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// Real dbt (the pinned one that `npm test` installs into .venv) on a scratch copy of the example.
let dbt: DbtInstallation;
let example: Awaited<ReturnType<typeof scratchExample>>;
let project: DbtProject;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  example = await scratchExample();
  const built = buildProject(await readProjectSnapshot(createDiskFileSource(example.root), "dbt"));
  if ("problem" in built) throw new Error(built.problem.message);
  project = built.project;
});
afterAll(() => example?.cleanup());

const key = (dep: Dependency) => (dep.type === "source" ? `source:${dep.source}.${dep.table}` : dep.type === "ref" ? `ref:${dep.package ?? ""}.${dep.name}@${dep.version ?? ""}` : `dynamic:${dep.expression}`);
const keys = (deps: Dependency[]) => [...new Set(deps.map(key))].sort();

describe("the static extractor agrees with dbt on the bundled example", () => {
  it("for every active model, static refs and sources equal what dbt parse records", async () => {
    const result = await spawnDbt({
      command: dbt.command,
      args: ["parse", "--no-partial-parse"],
      projectDir: example.dbtDir,
      profilesDir: example.dbtDir,
      timeoutMs: 300_000,
      setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(example.root, "parse.duckdb") },
    });
    expect(result.exitCode, result.otherOutput).toBe(0);
    const manifest = JSON.parse(await readFile(join(example.dbtDir, "target", "manifest.json"), "utf8")) as unknown;
    const fromDbt = new Map(
      manifestDependencies(manifest, project.name)
        .filter((n) => n.enabled)
        .map((n) => [n.file, n]),
    );
    const active = project.models.filter((m) => m.state === "active");
    expect(active.length).toBeGreaterThanOrEqual(20);
    expect([...fromDbt.keys()].sort()).toEqual(active.map((m) => m.file).sort());
    for (const model of active) {
      const node = fromDbt.get(model.file)!;
      // dbt records an own-project two-argument ref with its package; so does the extractor.
      expect(keys(model.extraction.dependencies), model.file).toEqual(keys(node.dependencies));
      // And dbt resolved every one of them to exactly one node.
      expect(node.dependsOn.length, model.file).toBe(keys(node.dependencies).length);
    }
  });

  it("exact mode agrees with static mode on paused models (a var's default included), except where static says dynamic", async () => {
    const exact = await extractExactDependencies({ dbt, projectRoot: example.dbtDir, project });
    const paused = project.models.filter((m) => m.state === "paused");
    expect(exact.failed).toEqual(new Map());
    expect([...exact.dependencies.keys()].sort()).toEqual(paused.map((m) => m.file).sort());
    let dynamicSeen = 0;
    for (const model of paused) {
      const statics = model.extraction.dependencies;
      const resolved = keys(statics.filter((d) => d.type !== "dynamic"));
      const fromDbt = keys(exact.dependencies.get(model.file)!);
      if (statics.some((d) => d.type === "dynamic")) {
        dynamicSeen++;
        // dbt rendered the dynamic ref with its default; everything static found, dbt found too.
        expect(fromDbt, model.file).toEqual(expect.arrayContaining(resolved));
        expect(fromDbt.length).toBeGreaterThan(resolved.length);
      } else {
        expect(resolved, model.file).toEqual(fromDbt);
      }
    }
    // f_contract_revenue's ref(var('contract_model', 'mas_contracts')) is read with the var's
    // default, as dbt reads it: nothing in the example is dynamic any more.
    expect(dynamicSeen).toBe(0);
  });

  it("status in exact mode judges the var-defaulted model as static mode does and leaves the tree untouched", async () => {
    const files = createDiskFileSource(example.root);
    const config = await loadConfig(files);
    const before = await files.list("dbt");
    const { reports } = await computeStatus({
      files,
      config,
      exact: (p) => extractExactDependencies({ dbt, projectRoot: example.dbtDir, project: p }),
    });
    const model = reports[0]!.models.find((m) => m.name === "f_contract_revenue")!;
    expect(model.status).toBe("blocked");
    expect(model.missing).toEqual([{ type: "ref", name: "mas_contracts" }]);
    expect(await files.list("dbt")).toEqual(before);
  });
});
