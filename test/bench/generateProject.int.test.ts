import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { extractExactDependencies } from "../../src/adapters/dbt/exactExtraction.js";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { manifestDependencies } from "../../src/core/dbt/manifestDependencies.js";
import { buildProject, type DbtProject } from "../../src/core/project/buildProject.js";
import type { Dependency } from "../../src/core/types.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";
import { generateProject, PROJECT_DIR, PROJECT_NAME, type GeneratedProject, type ProjectShape } from "./generateProject.js";

// The benchmark projects are real dbt projects: the pinned dbt parses them, and it sees in them
// exactly the dependencies the static scan sees (active models through `dbt parse`, paused ones
// through exact extraction). Otherwise the benchmark would time a scan of something dbt rejects.

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-dbt-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const key = (dep: Dependency) => (dep.type === "source" ? `source:${dep.source}.${dep.table}` : dep.type === "ref" ? `ref:${dep.package ?? ""}.${dep.name}@${dep.version ?? ""}` : `dynamic:${dep.expression}`);
const keys = (deps: Dependency[]) => [...new Set(deps.map(key))].sort();

describe.each<ProjectShape>(["simple", "real"])("a generated benchmark project (%s shape) under real dbt", (shape) => {
  let dbt: DbtInstallation;
  let generated: GeneratedProject;
  let project: DbtProject;
  let dbtDir: string;
  const root = join(scratch, shape);

  beforeAll(async () => {
    dbt = await findDbt({ repoRoot: REPO_ROOT });
    generated = generateProject({ dir: join(root, "repo"), models: 300, seed: 11, pausedFraction: 0.15, shape });
    dbtDir = join(generated.dir, PROJECT_DIR);
    writeFileSync(join(root, "profiles.yml"), `${PROJECT_NAME}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${JSON.stringify(join(root, "bench.duckdb"))}\n      threads: 1\n`);
    const built = buildProject(await readProjectSnapshot(createDiskFileSource(generated.dir), PROJECT_DIR));
    if ("problem" in built) throw new Error(built.problem.message);
    project = built.project;
  });

  it("parses, and dbt records for every active model exactly the static dependencies", async () => {
    const result = await spawnDbt({ command: dbt.command, args: ["parse", "--no-partial-parse"], projectDir: dbtDir, profilesDir: root, timeoutMs: 300_000 });
    expect(result.exitCode, result.otherOutput).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dbtDir, "target", "manifest.json"), "utf8")) as unknown;
    const fromDbt = new Map(
      manifestDependencies(manifest, PROJECT_NAME)
        .filter((n) => n.enabled)
        .map((n) => [n.file, n]),
    );
    const active = project.models.filter((m) => m.state === "active");
    expect(active).toHaveLength(generated.counts.active);
    expect([...fromDbt.keys()].sort()).toEqual(active.map((m) => m.file).sort());
    for (const model of active) {
      const node = fromDbt.get(model.file)!;
      expect(keys(model.extraction.dependencies), model.file).toEqual(keys(node.dependencies));
      expect(node.dependsOn.length, model.file).toBe(keys(node.dependencies).length);
    }
  });

  it("exact extraction sees the paused models' dependencies as the static scan does, dynamic refs aside", async () => {
    const exact = await extractExactDependencies({ dbt, projectRoot: dbtDir, project, profilesDir: root });
    expect(exact.failed).toEqual(new Map());
    const paused = project.models.filter((m) => m.state === "paused");
    expect(paused).toHaveLength(generated.counts.paused);
    for (const model of paused) {
      const statics = model.extraction.dependencies;
      const fromDbt = keys(exact.dependencies.get(model.file)!);
      const resolved = keys(statics.filter((d) => d.type !== "dynamic"));
      if (statics.some((d) => d.type === "dynamic")) expect(fromDbt, model.file).toEqual(expect.arrayContaining(resolved));
      else expect(resolved, model.file).toEqual(fromDbt);
    }
  });
});
