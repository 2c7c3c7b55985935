import { describe, expect, it } from "vitest";
import type { RestoreOutcome } from "../../src/core/restore/restoreOutcome.js";
import { RESTORE_PR_MARKER, renderRestorePullRequest, restorePrDimensionTag } from "../../src/core/render/renderRestorePullRequest.js";
import { GITHUB_BODY_LIMIT } from "../../src/core/render/truncateBody.js";

// RELIABILITY 14 for restore pull request bodies (the comment and the dashboard have their own
// tests): a dimension with thousands of models must still open its PR, and the next run must still
// find it by its marker and dimension tag.
function hugeOutcome(n: number): RestoreOutcome {
  const restored = Array.from({ length: n }, (_, i) => {
    const name = `f_a_rather_long_model_name_for_the_body_limit_${i}`;
    return {
      name,
      dimension: "dim_user",
      skipFile: `transform/gold/${name}.sql.skip`,
      realFile: `transform/gold/${name}.sql`,
      needs: [],
      because: "everything it needs is active",
      from: `dbt/transform/gold/${name}.sql.skip`,
      to: `dbt/transform/gold/${name}.sql`,
    };
  });
  return {
    result: "restored",
    dimension: "dim_user",
    project: "dbt",
    restored,
    reSkipped: [],
    stillPaused: Array.from({ length: n }, (_, i) => ({ name: `p${i}`, path: `dbt/transform/gold/p${i}.sql.skip`, status: "blocked" as const, missing: ["x"], reason: "needs `x`" })),
    blockers: [],
    progress: { before: { active: 0, total: 2 * n }, after: { active: n, total: 2 * n } },
    dbt: { parseRuns: 1, compileRuns: 1, invocations: 2, version: "1.11.0" },
    compiled: restored.map((m) => m.name),
    stateDocument: { path: "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md", updated: true, problem: null },
    commit: { branch: "migrate/dim_user", sha: "a".repeat(40), message: "restore" },
    error: null,
  };
}

describe("restore pull request body", () => {
  it("a dimension of 3,000 models: the body fits GitHub's limit and keeps the marker and the dimension tag", () => {
    const body = renderRestorePullRequest(hugeOutcome(3000), { workflowToken: true });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body.startsWith(`${RESTORE_PR_MARKER}\n${restorePrDimensionTag("dim_user")}\n`)).toBe(true);
    expect(body).toContain("cut to fit GitHub's size limit");
  });

  it("a small one is not cut", () => {
    const body = renderRestorePullRequest(hugeOutcome(3));
    expect(body).not.toContain("cut to fit");
  });
});
