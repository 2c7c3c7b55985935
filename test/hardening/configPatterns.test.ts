import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config/parseConfig.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { analyzeReadiness } from "../../src/core/readiness/analyzeReadiness.js";
import { pathListing } from "../../src/adapters/files/pathListing.js";
import { projectOf } from "../helpers/memoryProject.js";

// RELIABILITY 32 (issue #15 item 6): every pattern a user configures runs in bounded time. Before,
// `^(a+)+$` was a JavaScript RegExp and a 34-character tag made `status` run for minutes; picomatch
// globs like `**/a*a*a*a*a*a*a*a*a*b` backtrack the same way on a long file name. Inputs here are far
// longer than those that took minutes: with a backtracking engine these tests never end (the test
// timeout fails them); the linear engine answers at once. What it cannot run is refused up front.
const LONG = "a".repeat(5000);

describe("the dimension tag pattern", () => {
  it("a catastrophic-backtracking pattern runs in linear time on a long tag", () => {
    const project = projectOf({
      "models/m.sql.skip": `{{ config(tags=['${LONG}b', '${LONG}']) }}\nselect 1`,
    });
    const report = analyzeReadiness({ project, stateDocuments: [], config: { ...DEFAULT_CONFIG, dimensionTagPattern: "^(a+)+$" } });
    expect(report.models.find((m) => m.name === "m")).toBeDefined();
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
  const HOSTILE = "**/a*a*a*a*a*a*a*a*a*a*b";

  it("a dimension path glob with many stars runs in linear time on a long file name", () => {
    const project = projectOf({ [`models/${LONG}.sql.skip`]: "select 1" });
    const config = { ...DEFAULT_CONFIG, dimensions: { dim_x: { paths: [HOSTILE] } } };
    const report = analyzeReadiness({ project, stateDocuments: [], config });
    expect(report.models).toHaveLength(1);
    expect(report.models[0]!.dimension).toBeNull();
  });

  it("a project-dir glob is matched in linear time against the repository's paths", async () => {
    const files = pathListing([`${LONG}/dbt_project.yml`, "aaaaaaaaaab/dbt_project.yml"]);
    expect(await files.glob([`${HOSTILE.replace("**/", "")}/dbt_project.yml`])).toEqual(["aaaaaaaaaab/dbt_project.yml"]);
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
