import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { CORPUS_PROJECTS, PARSEABLE_CORPUS_PROJECTS, copyCorpus, missingPackages, randomPause, verifyCorpusProject, type CorpusCopy } from "../helpers/corpus.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// The static engine against the pinned dbt on the real public projects of ../shared/corpus (copied
// to a temporary folder first: the corpus is read-only). A disagreement that could make a model
// wrongly ready fails the test, listed with its file, line and reason.
//
// Only the projects the pinned dbt can parse here are verified (see `parsesHere` in the helper):
// shared/corpus lacks the hub packages three of them need, and `dbt deps` needs the network.

let dbt: DbtInstallation;
let copy: CorpusCopy;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  copy = await copyCorpus();
});
afterAll(() => copy?.cleanup());

it("the projects left out are exactly those whose hub packages are missing from the corpus", async () => {
  for (const project of CORPUS_PROJECTS) {
    const missing = await missingPackages(copy, project);
    if (project.parsesHere === false) expect(missing, `${project.name}: left out, but nothing is missing`).not.toEqual([]);
    else expect(project.parsesHere === "yes" ? missing : [], project.name).toEqual([]);
  }
});

describe.each(PARSEABLE_CORPUS_PROJECTS)("corpus project $name", (project) => {
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
