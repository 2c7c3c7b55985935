import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config/parseConfig.js";
import { buildWorkerBundle } from "../helpers/workerBundle.js";

// RELIABILITY 32 (issue #15 item 6): every pattern a user configures runs in bounded time. Before,
// `^(a+)+$` was a JavaScript RegExp and a 34-character tag made `status` run for minutes; picomatch
// globs like `**/a*a*a*a*a*a*a*a*a*b` backtrack the same way on a long file name. Inputs here are far
// longer than those that took minutes.
//
// A backtracking match is synchronous: in this thread no timer could stop it, and the test would
// hang. So each hostile case runs in a worker, and the bound is work, not a clock: once the worker
// has loaded the code (a gate: it says "ready"), it is told to go and, at the same moment, a second
// worker starts a fixed reference job (REFERENCE_PASSES linear passes over a string as long as the
// hostile input, about twenty times what the linear engine needs for the case on this loaded machine). The case must answer
// before the reference finishes; if the reference wins, the case worker is stopped and the test fails
// at once. Both workers share the machine alike, so load slows both.
const LONG = "a".repeat(5000);
const HOSTILE = "**/a*a*a*a*a*a*a*a*a*a*b";
const REFERENCE_PASSES = 80_000;

let bundle: Awaited<ReturnType<typeof buildWorkerBundle>>;
beforeAll(async () => {
  bundle = await buildWorkerBundle(`import { parentPort } from "node:worker_threads";
import { analyzeReadiness } from "./src/core/readiness/analyzeReadiness.ts";
import { DEFAULT_CONFIG } from "./src/core/config/unskipConfig.ts";
import { pathListing } from "./src/adapters/files/pathListing.ts";
import { projectOf } from "./test/helpers/memoryProject.ts";
const LONG = ${JSON.stringify(LONG)};
const HOSTILE = ${JSON.stringify(HOSTILE)};
const cases = {
  tag() {
    const project = projectOf({ "models/m.sql.skip": "{{ config(tags=['" + LONG + "b', '" + LONG + "']) }}\\nselect 1" });
    const report = analyzeReadiness({ project, stateDocuments: [], config: { ...DEFAULT_CONFIG, dimensionTagPattern: "^(a+)+$" } });
    return report.models.map((m) => ({ name: m.name, dimension: m.dimension }));
  },
  dimensionPath() {
    const project = projectOf({ ["models/" + LONG + ".sql.skip"]: "select 1" });
    const report = analyzeReadiness({ project, stateDocuments: [], config: { ...DEFAULT_CONFIG, dimensions: { dim_x: { paths: [HOSTILE] } } } });
    return report.models.map((m) => ({ name: m.name, dimension: m.dimension }));
  },
  projectDir() {
    return pathListing([LONG + "/dbt_project.yml", "aaaaaaaaaab/dbt_project.yml"]).glob([HOSTILE.replace("**/", "") + "/dbt_project.yml"]);
  },
};
parentPort.postMessage({ ready: true });
parentPort.once("message", async (name) => parentPort.postMessage({ result: await cases[name]() }));`);
});
afterAll(() => bundle.cleanup());

const REFERENCE = `const { parentPort, workerData } = require("node:worker_threads");
let sum = 0;
for (let pass = 0; pass < workerData.passes; pass++) for (let i = 0; i < workerData.text.length; i++) sum = (sum * 31 + workerData.text.charCodeAt(i) + pass) | 0;
parentPort.postMessage(sum);`;

/** Runs a case in a worker; "outworked" when the reference job finished first (see above). */
function raceReference(name: "tag" | "dimensionPath" | "projectDir"): Promise<{ result: unknown } | "outworked"> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundle.path);
    let reference: Worker | undefined;
    const stop = () => {
      void worker.terminate();
      void reference?.terminate();
    };
    worker.on("message", (message: { ready?: true; result?: unknown }) => {
      if (message.ready) {
        reference = new Worker(REFERENCE, { eval: true, workerData: { passes: REFERENCE_PASSES, text: LONG } });
        reference.once("message", () => {
          stop();
          resolve("outworked");
        });
        reference.once("error", (error) => {
          stop();
          reject(error);
        });
        worker.postMessage(name);
        return;
      }
      stop();
      resolve({ result: message.result });
    });
    worker.once("error", (error) => {
      stop();
      reject(error);
    });
  });
}

const OUTWORKED = "the pattern did more work than the reference job of linear passes: it is backtracking, not running in bounded time";

describe("the dimension tag pattern", () => {
  it("a catastrophic-backtracking pattern runs in linear time on a long tag", async () => {
    const outcome = await raceReference("tag");
    expect(outcome, OUTWORKED).not.toBe("outworked");
    // The second tag matches the pattern: it becomes the model's dimension.
    expect(outcome).toEqual({ result: [{ name: "m", dimension: LONG }] });
  });

  it("a pattern RE2 cannot run (a back-reference, a look-ahead) is refused naming the file, key and line", () => {
    for (const pattern of ["^(a+)\\\\1$", "^(?=(a+)+)dim"]) {
      const result = parseConfig({ configFile: { path: ".github/dbt-unskip.yml", text: `branch-prefix: x/\ndimension-tag-pattern: "${pattern}"\n` } });
      expect("problems" in result && result.problems).toEqual([
        { kind: "invalid-config", file: ".github/dbt-unskip.yml", line: 2, message: expect.stringMatching(/^`dimension-tag-pattern`: uses syntax that cannot run in bounded time/) },
      ]);
    }
  });
});

describe("globs", () => {
  it("a dimension path glob with many stars runs in linear time on a long file name", async () => {
    const outcome = await raceReference("dimensionPath");
    expect(outcome, OUTWORKED).not.toBe("outworked");
    expect(outcome).toEqual({ result: [{ name: LONG, dimension: null }] });
  });

  it("a project-dir glob is matched in linear time against the repository's paths", async () => {
    const outcome = await raceReference("projectDir");
    expect(outcome, OUTWORKED).not.toBe("outworked");
    expect(outcome).toEqual({ result: ["aaaaaaaaaab/dbt_project.yml"] });
  });

  it("glob syntax outside the plain set is refused naming the file, key and line", () => {
    const text = "project-dir: ['+(a|b)']\ndimensions:\n  dim_a:\n    paths: ['models/**', '!models/x']\n";
    const result = parseConfig({ configFile: { path: "c.yml", text } });
    expect("problems" in result && result.problems).toEqual([
      { kind: "invalid-config", file: "c.yml", line: 1, message: "`project-dir.0`: glob '+(a|b)' extended globs like `+(a|b)` are not supported" },
      { kind: "invalid-config", file: "c.yml", line: 4, message: "`dimensions.dim_a.paths.1`: glob '!models/x' negated globs (`!...`) are not supported" },
    ]);
  });
});
