import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { DEFAULT_CONFIG } from "../../../src/core/config/unskipConfig.js";
import { buildProject, type DbtProject } from "../../../src/core/project/buildProject.js";
import { analyzeReadiness } from "../../../src/core/readiness/analyzeReadiness.js";
import type { FileSource } from "../../../src/usecases/fileSource.js";
import { readProjectSnapshot } from "../../../src/usecases/readProjectSnapshot.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";
import { EXAMPLE_DIR } from "../../helpers/scratchExample.js";

// computeStatus reads a working tree's files as buildProject gets to them (readProjectSnapshot's
// `defer`) and the project keeps copies of what it cut from them, so the texts can go while the
// rest is built (BENCHMARKS.md, findings 16). The project built must be the very one built from
// every text read first.

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-deferred-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function build(files: FileSource, dir: string, defer: boolean): Promise<DbtProject> {
  const snapshot = await readProjectSnapshot(files, dir, { defer });
  if (defer) expect([...snapshot.files.values()].some((c) => c === "deferred")).toBe(true);
  const built = buildProject(snapshot);
  if ("problem" in built) throw new Error(built.problem.message);
  return built.project;
}

async function expectSameProject(root: string, dir: string): Promise<DbtProject> {
  const files = createDiskFileSource(root);
  const whole = await build(files, dir, false);
  const deferred = await build(files, dir, true);
  expect(deferred).toEqual(whole);
  // The report too (it reads the project's models in their order, problems in theirs).
  const report = (project: DbtProject) => JSON.stringify(analyzeReadiness({ project, stateDocuments: [], config: DEFAULT_CONFIG }));
  expect(report(deferred)).toBe(report(whole));
  return whole;
}

function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe("models read as the build gets to them: the same project as reading every file first", () => {
  it("the real-shaped and simple generated projects", async () => {
    const real = generateProject({ dir: join(scratch, "real"), models: 800, seed: 20261121, pausedFraction: 0.1, shape: "real" });
    expect((await expectSameProject(real.dir, real.projectDir)).models.length).toBe(800);
    const simple = generateProject({ dir: join(scratch, "simple"), models: 500, seed: 20261121 });
    expect((await expectSameProject(simple.dir, simple.projectDir)).models.length).toBe(500);
  });

  it("the corpus projects (and their packages read as projects) and the bundled example", async () => {
    if (!existsSync(CORPUS_DIR)) throw new Error(`the corpus is missing at ${CORPUS_DIR}`);
    let models = 0;
    for (const dir of ["hubspot", "salesforce", "dbt_project_evaluator/integration_tests", "elementary"]) models += (await expectSameProject(CORPUS_DIR, dir)).models.length;
    expect(models).toBeGreaterThan(200);
    expect((await expectSameProject(EXAMPLE_DIR, "dbt")).models.length).toBeGreaterThan(3);
  });

  it("ignored, unreadable, shared-folder, package, snapshot, macro and seed files", async () => {
    const root = join(scratch, "edges");
    writeTree(root, {
      "wh/a/dbt_project.yml": 'name: shop\nprofile: shop\nmodel-paths: ["models", "../../shared/models"]\nmacro-paths: ["macros"]\nseed-paths: ["seeds"]\nsnapshot-paths: ["snapshots"]\n',
      "wh/a/.dbtignore": "models/ignored_*.sql\n",
      "wh/a/models/orders_enriched.sql": "select * from {{ ref('customers_cleaned') }} {{ pick() }}",
      "wh/a/models/customers_cleaned.sql.skip": "{{ config(materialized='incremental_by_partition', enabled=true) }} select * from {{ source('raw_system', 'customers_table') }}",
      "wh/a/models/ignored_model.sql": "select * from {{ ref('not_there_at_all') }}",
      "wh/a/models/binary_model.sql": new Uint8Array([0x73, 0x65, 0x00, 0x01]),
      "wh/a/models/latin1_model.sql": new Uint8Array([0x73, 0xe9, 0x6c]),
      "wh/a/models/props.yml": "version: 2\nmodels:\n  - name: orders_enriched\n    config:\n      tags: ['nightly_refresh_tag']\nsources:\n  - name: raw_system\n    tables:\n      - name: customers_table\n",
      "wh/a/models/broken.yml": "models: [\n",
      "wh/a/macros/pick.sql": "{% macro pick() %}{{ ref('reference_codes_table') }}{% endmacro %}",
      "wh/a/seeds/reference_codes_table.csv": "a\n1\n",
      "wh/a/seeds/seeds.yml": "seeds:\n  - name: reference_codes_table\n    config:\n      enabled: true\n",
      "wh/a/snapshots/snap.sql": "{% snapshot customers_snapshot_table %}select 1{% endsnapshot %}",
      "wh/a/dbt_packages/util/dbt_project.yml": "name: util_package\nmodel-paths: ['models']\nmacro-paths: ['macros']\n",
      "wh/a/dbt_packages/util/models/util_model_one.sql": "{{ config(enabled=false) }} select 1",
      "wh/a/dbt_packages/util/macros/m.sql": "{% macro helper_macro() %}{{ ref('util_model_one') }}{% endmacro %}",
      "shared/models/shared_staging_model.sql": "select * from {{ ref('orders_enriched') }}",
    });
    const project = await expectSameProject(root, "wh/a");
    expect(project.models.map((m) => m.file)).toEqual([
      "../../shared/models/shared_staging_model.sql",
      "models/binary_model.sql",
      "models/customers_cleaned.sql.skip",
      "models/latin1_model.sql",
      "models/orders_enriched.sql",
    ]);
    expect(project.problems.map((p) => p.file)).toEqual(expect.arrayContaining(["wh/a/models/binary_model.sql", "wh/a/models/latin1_model.sql", "wh/a/models/broken.yml"]));
  });

  it("a file gone between the listing and the build is as if it had not been listed", async () => {
    const root = join(scratch, "gone");
    writeTree(root, {
      "dbt_project.yml": "name: shop\nprofile: shop\n",
      "models/stays_here_model.sql": "select * from {{ ref('goes_away_model') }}",
      "models/goes_away_model.sql": "select 1",
    });
    const files = createDiskFileSource(root);
    const snapshot = await readProjectSnapshot(files, "", { defer: true });
    unlinkSync(join(root, "models/goes_away_model.sql"));
    const built = buildProject(snapshot);
    if ("problem" in built) throw new Error(built.problem.message);
    expect(built.project).toEqual(await build(files, "", false));
    expect(built.project.models.map((m) => [m.name, m.state])).toEqual([["stays_here_model", "active"]]);
  });

  it("only model files are deferred; everything else is read with read(), never readSync() (which serves the deferred alone)", async () => {
    // V8 decides per object literal whether to make its objects old: readSync's results must all
    // be short-lived ones (test/bench/diskFileSourceGenerations.test.ts, BENCHMARKS.md finding 21).
    const root = join(scratch, "which-deferred");
    writeTree(root, {
      "dbt_project.yml": "name: shop\nprofile: shop\nmodel-paths: ['models', 'more']\n",
      "models/a_model.sql": "select * from {{ ref('b_model') }}",
      "models/schema.yml": "version: 2\nmodels:\n  - name: a_model\n",
      "models/sub/b_model.sql.skip": "select 1",
      "more/c_model.py": "def model(dbt, session):\n    return dbt.ref('a_model')\n",
      "macros/m.sql": "{% macro m() %}1{% endmacro %}",
      "seeds/s.yml": "version: 2\n",
      "dbt_packages/pkg/dbt_project.yml": "name: pkg\n",
      "dbt_packages/pkg/models/p_model.sql": "select 1",
    });
    const disk = createDiskFileSource(root);
    const calls: string[] = [];
    const spy: FileSource = {
      list: disk.list,
      glob: disk.glob,
      read: (path) => {
        calls.push(`read ${path}`);
        return disk.read(path);
      },
      readSync: (path) => {
        calls.push(`readSync ${path}`);
        return disk.readSync!(path);
      },
    };
    const snapshot = await readProjectSnapshot(spy, "", { defer: true });
    const deferred = [...snapshot.files].filter(([, c]) => c === "deferred").map(([p]) => p);
    expect(deferred.sort()).toEqual(["models/a_model.sql", "models/sub/b_model.sql.skip", "more/c_model.py"]);
    expect(calls.filter((c) => c.startsWith("readSync"))).toEqual([]);
    expect(calls.sort()).toEqual(
      ["dbt_project.yml", ".dbtignore", "models/schema.yml", "macros/m.sql", "seeds/s.yml", "dbt_packages/pkg/dbt_project.yml", "dbt_packages/pkg/models/p_model.sql"].map((p) => `read ${p}`).sort(),
    );
    const built = buildProject(snapshot);
    if ("problem" in built) throw new Error(built.problem.message);
    expect(calls.filter((c) => c.startsWith("readSync")).sort()).toEqual(deferred.map((p) => `readSync ${p}`));
    expect(built.project).toEqual(await build(disk, "", false));
  });

  it("a source that cannot read at once (git, a tarball) is read first, as before", async () => {
    const disk = createDiskFileSource(EXAMPLE_DIR);
    const snapshot = await readProjectSnapshot({ list: disk.list, glob: disk.glob, read: disk.read }, ".", { defer: true });
    expect([...snapshot.files.values()].includes("deferred")).toBe(false);
    expect(snapshot.readDeferred).toBeUndefined();
  });
});

describe("the built project does not keep the texts it was built from", () => {
  it("texts of 24 MB: the project holds a small part of them once they are dropped", async () => {
    // Long model texts whose ref names, config values and properties the project keeps: each kept
    // string, were it a view into its text (V8 cuts substrings of 13+ characters that way), would keep the whole text.
    const root = join(scratch, "large");
    const filler = (i: number) => `-- ${"padding line for a long model text ".repeat(20)}${i}\n`.repeat(400);
    const files: Record<string, string> = { "dbt_project.yml": "name: shop\nprofile: shop\n" };
    for (let i = 0; i < 80; i++) {
      files[`models/model_number_${i}.sql`] =
        `{{ config(materialized='incremental_materialized_${i}', meta={'owner': 'team_owner_name_${i}'}) }}\n${filler(i)}select * from {{ ref('upstream_model_number_${i}') }} join {{ source('raw_source_name', 'raw_table_number_${i}') }}\n${filler(i)}`;
    }
    files["models/props.yml"] =
      `models:\n${Array.from({ length: 80 }, (_, i) => `  - name: model_number_${i}\n    description: "${"a long description ".repeat(2000)}"\n    config:\n      tags: ['tag_for_model_number_${i}']\n`).join("")}`;
    writeTree(root, files);
    const textBytes = Object.values(files).reduce((n, t) => n + t.length, 0);
    expect(textBytes).toBeGreaterThan(20e6);

    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = getHeapStatistics().used_heap_size;
    const built = buildProject(await readProjectSnapshot(createDiskFileSource(root), "", { defer: true }));
    if ("problem" in built) throw new Error(built.problem.message);
    gc();
    const kept = getHeapStatistics().used_heap_size - before;
    const model = built.project.models.find((m) => m.name === "model_number_7")!;
    expect(model.extraction.dependencies.map((d) => (d.type === "ref" ? d.name : d.type === "source" ? `${d.source}.${d.table}` : ""))).toEqual(["upstream_model_number_7", "raw_source_name.raw_table_number_7"]);
    expect([model.materialized, model.tags]).toEqual(["incremental_materialized_7", ["tag_for_model_number_7"]]);
    // Reading every text first and keeping views into them holds all 24 MB (see BENCHMARKS.md).
    expect(kept).toBeLessThan(textBytes / 10);
  });
});
