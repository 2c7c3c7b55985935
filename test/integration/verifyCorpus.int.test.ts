import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { CORPUS_PROJECTS, copyCorpus, missingPackages, randomPause, verifyCorpusProject, type CorpusCopy } from "../helpers/corpus.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// The static engine against the pinned dbt on the real public projects of ../shared/corpus (copied
// to a temporary folder first: the corpus is read-only). A disagreement that could make a model
// wrongly ready fails the test, listed with its file, line and reason.

let dbt: DbtInstallation;
let copy: CorpusCopy;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  copy = await copyCorpus();
});
afterAll(() => copy?.cleanup());

describe.each(CORPUS_PROJECTS)("corpus project $name", (project) => {
  it("holds the packages its packages.yml asks for (dbt cannot parse it otherwise, and dbt deps needs the network)", async () => {
    expect(await missingPackages(copy, project), `shared/corpus/${project.name}/dbt_packages/ lacks these packages`).toEqual([]);
  });

  it("verify: no disagreement could make a model wrongly ready", async () => {
    const result = await verifyCorpusProject(copy, project, dbt);
    const [report] = result.projects;
    expect(report!.models.compared + report!.packageModels.right + report!.packageModels.wrong).toBeGreaterThan(0);
    const wronglyReady = report!.disagreements.filter((d) => d.risk === "wrongly-ready").map((d) => `${d.file}${d.line ? `:${d.line}` : ""} ${d.model}: ${d.reason}`);
    expect(wronglyReady).toEqual([]);
    expect(result.safe).toBe(true);
  });

  it.each([1, 2, 3])("random pause (seed %i): 20% paused, a few upstreams deleted, 0 false ready", async (seed) => {
    const outcome = await randomPause(copy, project, dbt, seed);
    expect(outcome.paused).toBeGreaterThan(0);
    expect(outcome.falseReady).toEqual([]);
    console.log(`${project.name} seed ${seed}: ${outcome.paused} paused, ${outcome.deleted} deleted, ${outcome.trulyReady} truly ready, engine found ${outcome.engineReady} (${(100 * outcome.found).toFixed(0)}%)`);
  });
});
