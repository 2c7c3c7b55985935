import { describe, expect, it } from "vitest";
import type { PauseOutcome, PausedModelOutcome } from "../../../src/core/pause/pauseOutcome.js";
import { renderPauseReport } from "../../../src/core/pause/renderPauseReport.js";

function model(name: string, found: PausedModelOutcome["found"]): PausedModelOutcome {
  return { name, dimension: "dim_runs", from: `models/${name}.sql`, to: `models/${name}.sql.skip`, reason: found === "asked" ? "asked for" : "needs x", found, missing: [], present: [] };
}

function dryRun(paused: PausedModelOutcome[]): PauseOutcome {
  return {
    result: "would-pause",
    dimension: "dim_runs",
    project: "elementary",
    paused,
    acrossDimensions: [],
    waiting: [],
    missing: [],
    progress: { before: { complete: 7, total: 7 }, after: { complete: 5, total: 7 } },
    completedByLayer: [],
    dbt: { parseRuns: 1, version: "1.11.16" },
    stateDocuments: [],
    commit: null,
    error: null,
  };
}

describe("the dry run's next step is the command that pauses what it showed", () => {
  it("with --models: the same models (without them, pause would pause what the static scan finds instead)", () => {
    // Seen on a corpus copy: `pause --models elementary_test_results --dry-run` said `pause --dimension dim_runs --yes`.
    const text = renderPauseReport(dryRun([model("elementary_test_results", "asked"), model("test_result_rows", "cascade"), model("other", "asked")]));
    expect(text).toContain("1. Pause them: dbt-unskip pause --dimension dim_runs --models elementary_test_results,other --yes\n");
  });

  it("without --models: the dimension alone", () => {
    expect(renderPauseReport(dryRun([model("f_x", "static"), model("g", "cascade")]))).toContain("1. Pause them: dbt-unskip pause --dimension dim_runs --yes\n");
  });
});
