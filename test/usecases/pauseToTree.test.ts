import { describe, expect, it } from "vitest";
import type { PauseOutcome } from "../../src/core/pause/pauseOutcome.js";
import type { PauseUpdate } from "../../src/core/stateDocument/applyPause.js";
import { pauseToTree } from "../../src/usecases/pauseToTree.js";
import { type TreeChange, TreeTransactionAborted, type WorkTree } from "../../src/usecases/workTree.js";

// The pause commit's message says "State updated" only of the documents the commit holds: one the
// transaction could not change (not committed in HEAD, or its edit refused) is not claimed.
const OWN = "dimensions/dim_runs/DIM_RUNS_MIGRATION_STATE.md";
const OTHER = "dimensions/dim_alerts/DIM_ALERTS_MIGRATION_STATE.md";

function outcome(): PauseOutcome {
  return {
    result: "paused",
    dimension: "dim_runs",
    project: "p",
    paused: [{ name: "m", dimension: "dim_runs", from: "models/m.sql", to: "models/m.sql.skip", reason: "asked for", found: "asked", missing: [], present: [] }],
    acrossDimensions: [],
    waiting: [],
    missing: [],
    progress: { before: { complete: 2, total: 2 }, after: { complete: 1, total: 2 } },
    completedByLayer: [],
    dbt: { parseRuns: 1, version: "1.11.16" },
    stateDocuments: [
      { dimension: "dim_runs", path: OWN, created: true, updated: false, problem: null },
      { dimension: "dim_alerts", path: OTHER, created: false, updated: false, problem: null },
    ],
    commit: null,
    error: null,
  };
}

describe("pauseToTree's commit message", () => {
  it("names only the state documents the commit holds", async () => {
    let message = "";
    const git = {
      hasCommitIdentity: async () => true,
      applyChange: async (_root: string, change: TreeChange) => {
        const edits = [
          { path: OTHER, committed: false, problem: `${OTHER} is not committed, so it was not changed` },
          { path: OWN, committed: true, problem: null },
        ];
        const m = change.commit!.message;
        message = typeof m === "string" ? m : m(edits);
        return { sha: "c1", edits, notes: [] };
      },
    } as unknown as WorkTree;
    const update = {} as PauseUpdate;
    const result = await pauseToTree(
      { git, root: "/repo" },
      outcome(),
      [
        { doc: outcome().stateDocuments[0]!, before: null, update, after: "# new\n" },
        { doc: outcome().stateDocuments[1]!, before: "# old\n", update, after: "# old, edited\n" },
      ],
      { branch: "migrate/dim_runs", startBranch: "main", startHead: "h" },
    );

    expect(message).toContain(`State written: ${OWN}`);
    expect(message).not.toContain(OTHER);
    expect(result.commit?.message).toBe(message);
    expect(result.stateDocuments.map((d) => [d.path, d.updated])).toEqual([
      [OWN, true],
      [OTHER, false],
    ]);
  });

  it("an interrupt learnt from a git killed by SIGTERM (before this process's own handler ran) is said as SIGTERM", async () => {
    const git = {
      hasCommitIdentity: async () => true,
      applyChange: async () => {
        throw new TreeTransactionAborted("index", "SIGTERM");
      },
    } as unknown as WorkTree;
    const result = await pauseToTree({ git, root: "/repo" }, outcome(), [], { branch: "migrate/dim_runs", startBranch: "main", startHead: "h" });
    expect(result.result).toBe("interrupted");
    expect(result.error).toBe("stopped by SIGTERM: nothing was paused; the tree, index and HEAD are as they were");
  });
});
