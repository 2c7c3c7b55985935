import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { generateProject, MODEL_PATH, PACKAGE_DIR, PROJECT_DIR, SEED_PATH, type GeneratedProject, type ProjectShape } from "./generateProject.js";

// The benchmark's project generator: its shape, its determinism, and that the tool's verdicts on it
// are exactly the ones the generator built in (so the benchmark times a scan that is right).

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-gen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let made = 0;
function generate(seed: number, models = 300, pausedFraction = 0.1, shape: ProjectShape = "simple"): GeneratedProject {
  return generateProject({ dir: join(scratch, `p${++made}`), models, seed, pausedFraction, shape });
}

function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/** One hash over every path and byte of the tree. */
function treeHash(root: string): string {
  const hash = createHash("sha256");
  for (const path of listFiles(root))
    hash
      .update(path)
      .update("\0")
      .update(readFileSync(join(root, path)))
      .update("\0");
  return hash.digest("hex");
}

describe("generateProject", () => {
  const project = generate(7);
  const files = listFiles(project.dir);

  it("writes a dbt project with non-default folders, sources, seeds, macros, layered models and state documents", () => {
    const { counts } = project;
    expect(counts.models).toBe(300);
    expect(counts.paused).toBe(30);
    expect(counts.active + counts.paused).toBe(300);
    expect(counts.ready + counts.blocked + counts.needsInvestigation).toBe(counts.paused);

    const under = (prefix: string, suffix: string) => files.filter((f) => f.startsWith(prefix) && f.endsWith(suffix));
    const models = `${PROJECT_DIR}/${MODEL_PATH}/`;
    expect(under(models, ".sql")).toHaveLength(counts.active);
    expect(under(models, ".sql.skip")).toHaveLength(counts.paused);
    expect(project.files).toMatchObject({ models: counts.active, paused: counts.paused, total: files.length });
    for (const layer of ["staging", "intermediate", "marts"]) expect(under(`${models}${layer}/`, ".sql").length).toBeGreaterThan(30);
    expect(under(models, "__sources.yml")).toHaveLength(counts.dimensions);
    expect(under(`${PROJECT_DIR}/${SEED_PATH}/`, ".csv").length).toBeGreaterThan(4);
    expect(under(`${PROJECT_DIR}/macros/`, ".sql").length).toBeGreaterThan(0);
    expect(files.filter((f) => /^dimensions\/dim_[a-z]+\/DIM_[A-Z]+_MIGRATION_STATE\.md$/.test(f))).toHaveLength(counts.dimensions);
    expect(files).not.toContain(`${PROJECT_DIR}/models`);
    expect(readFileSync(join(project.dir, PROJECT_DIR, "dbt_project.yml"), "utf8")).toContain(`model-paths: ["${MODEL_PATH}"]`);
  });

  it("mixes the reference spellings, macro-hidden refs, comments and cascades the tool must handle", () => {
    const text = files
      .filter((f) => /\.sql(\.skip)?$/.test(f) && f.includes(`/${MODEL_PATH}/`))
      .map((f) => readFileSync(join(project.dir, f), "utf8"))
      .join("\n");
    for (const needle of [
      "{{ ref('",
      '{{ ref("',
      "{{ ref ( '",
      `{{ ref('${project.projectName}', '`,
      "-- depends_on: {{",
      "{% for model_name in",
      "{{ union_models(",
      "{# TODO: read {{ ref('",
      "{{ config(tags=['dim_",
      "{{ source('legacy_",
    ]) {
      expect(text, needle).toContain(needle);
    }
    expect(project.counts.cascade).toBeGreaterThan(0);
    expect(project.counts.blockedChain).toBeGreaterThan(0);
    expect(project.counts.macroHidden).toBeGreaterThan(0);
  });

  it("is deterministic: the same seed gives the same bytes, another seed other bytes", () => {
    const again = generate(7);
    const other = generate(8);
    expect(treeHash(again.dir)).toBe(treeHash(project.dir));
    expect(again.expected).toEqual(project.expected);
    expect(treeHash(other.dir)).not.toBe(treeHash(project.dir));
  });

  it("gives the tool's status exactly the verdicts it built in", async () => {
    const files = createDiskFileSource(project.dir);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report.project).toEqual({ name: project.projectName, dir: PROJECT_DIR });
    expect(report.problems).toEqual([]);
    expect(report.summary).toEqual({
      paused: project.counts.paused,
      ready: project.counts.ready,
      blocked: project.counts.blocked,
      needsInvestigation: project.counts.needsInvestigation,
    });
    const named = (status: string) =>
      report.models
        .filter((m) => m.status === status)
        .map((m) => m.name)
        .sort();
    expect(named("ready")).toEqual(project.expected.ready);
    expect(named("blocked")).toEqual(project.expected.blocked);
    expect(named("needs-investigation")).toEqual(project.expected.needsInvestigation);
    const cascade = report.models
      .filter((m) => m.status === "ready" && m.needsRestored.length > 0)
      .map((m) => m.name)
      .sort();
    expect(cascade).toEqual(project.expected.cascade);
    // Every paused model is listed in its dimension's state document.
    expect(report.models.every((m) => m.dimensionFrom === "state-document")).toBe(true);
  });

  it.each([1, 2, 3])("gives the tool the built-in verdicts whatever the seed (seed %i)", async (seed) => {
    const other = generate(seed, 400, 0.2);
    const files = createDiskFileSource(other.dir);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const report = reports[0]!;
    expect(report.problems).toEqual([]);
    const named = (status: string) =>
      report.models
        .filter((m) => m.status === status)
        .map((m) => m.name)
        .sort();
    expect({ ready: named("ready"), blocked: named("blocked"), needsInvestigation: named("needs-investigation") }).toEqual({
      ready: other.expected.ready,
      blocked: other.expected.blocked,
      needsInvestigation: other.expected.needsInvestigation,
    });
  });

  it("honours the paused fraction", () => {
    const none = generate(3, 120, 0);
    expect(none.counts.paused).toBe(0);
    expect(listFiles(none.dir).filter((f) => f.endsWith(".skip"))).toEqual([]);
    const many = generate(3, 200, 0.25);
    expect(many.counts.paused).toBe(50);
    expect(many.counts.ready + many.counts.blocked + many.counts.needsInvestigation).toBe(50);
  });
});

describe("generateProject --shape real", () => {
  const project = generate(7, 1000, 0.1, "real");
  const files = listFiles(project.dir);
  const read = (f: string) => readFileSync(join(project.dir, f), "utf8");

  it("is shaped like large public projects: long models, much properties and docs YAML, macros that hide a third of the edges", () => {
    const { files: written, edges } = project;
    // Per 1,000 models: about 100 properties/docs files holding about 0.8 MB; models of 2-10 KB.
    expect(written.yaml + files.filter((f) => f.endsWith("_docs.md")).length).toBeGreaterThan(60);
    expect(written.bytesByKind.yaml + written.bytesByKind.docs).toBeGreaterThan(600_000);
    expect(written.bytesByKind.yaml + written.bytesByKind.docs).toBeLessThan(1_200_000);
    expect(written.bytesByKind.models / (written.models + written.paused)).toBeGreaterThan(2_000);
    expect(written.docs).toBeGreaterThan(50);
    expect(written.packageFiles).toBe(4);
    expect(edges.throughMacros / edges.total).toBeGreaterThan(0.2);
    expect(edges.throughMacros / edges.total).toBeLessThan(0.45);
    expect(edges.untakenBranches).toBeGreaterThan(0);
    expect(Object.values(written.bytesByKind).reduce((a, b) => a + b, 0)).toBe(written.bytes);
  });

  it("uses what real projects use: literal-argument branches, var() branches, adapter.dispatch, a package's macros, large config(), anchors and flow maps", () => {
    const sql = files
      .filter((f) => /\.sql(\.skip)?$/.test(f) && f.includes(`/${MODEL_PATH}/`))
      .map(read)
      .join("\n");
    for (const needle of [
      "{{ choose_input(",
      "{% if var('bench_read_archived_inputs', false) %}",
      "{{ safe_cast(",
      "{{ bench_utils.surrogate_key([",
      "{% if is_incremental() %}",
      "incremental_strategy=",
      "meta={'owner':",
      "{{ union_models(",
    ]) {
      expect(sql, needle).toContain(needle);
    }
    const yaml = files
      .filter((f) => f.endsWith(".yml") && f.includes(`/${MODEL_PATH}/`))
      .map(read)
      .join("\n");
    for (const needle of ["description: >", '{{ doc("', "&key_tests_", "*key_tests_", "<<: *owner_", "freshness: &freshness_daily", "warn_after: {count: 24, period: hour}", "config: {severity: warn}"]) {
      expect(yaml, needle).toContain(needle);
    }
    expect(read(`${PROJECT_DIR}/macros/safe_cast.sql`)).toContain("adapter.dispatch('safe_cast'");
    expect(read(`${PROJECT_DIR}/${PACKAGE_DIR}/dbt_project.yml`)).toContain("name: bench_utils");
  });

  it("is deterministic, and differs from the simple shape of the same seed", () => {
    expect(treeHash(generate(7, 1000, 0.1, "real").dir)).toBe(treeHash(project.dir));
    expect(treeHash(generate(7, 1000, 0.1, "simple").dir)).not.toBe(treeHash(project.dir));
  });

  it("gives the tool's status exactly the verdicts it built in (untaken branches name active models)", async () => {
    const source = createDiskFileSource(project.dir);
    const { reports } = await computeStatus({ files: source, config: await loadConfig(source) });
    const report = reports[0]!;
    expect(report.problems).toEqual([]);
    const named = (status: string) =>
      report.models
        .filter((m) => m.status === status)
        .map((m) => m.name)
        .sort();
    expect({ ready: named("ready"), blocked: named("blocked"), needsInvestigation: named("needs-investigation") }).toEqual({
      ready: project.expected.ready,
      blocked: project.expected.blocked,
      needsInvestigation: project.expected.needsInvestigation,
    });
  });
});
