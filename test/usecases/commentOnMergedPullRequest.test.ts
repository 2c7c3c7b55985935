import { describe, expect, it } from "vitest";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import { MERGE_MARKER } from "../../src/core/render/renderMergeComment.js";
import { commentOnMergedPullRequest, type MergeCommentPorts } from "../../src/usecases/commentOnMergedPullRequest.js";

// Minimal reports: only what the newly-ready comparison and the comment read.
const report = (ready: string[]): ReadinessReport =>
  ({ project: { dir: "dbt" }, dimensions: [], models: ready.map((name, i) => ({ name, status: "ready", dimension: "dim_user", restoreOrder: i + 1, file: `${name}.sql.skip` })) }) as unknown as ReadinessReport;

function ports(options: { before: string[] | null; merged: number | null }): MergeCommentPorts & { calls: string[]; bodies: string[] } {
  const calls: string[] = [];
  const bodies: string[] = [];
  return {
    calls,
    bodies,
    async readinessBefore() {
      calls.push("before");
      return options.before === null ? null : [report(options.before)];
    },
    async mergedPullRequest() {
      calls.push("merged");
      return options.merged;
    },
    async upsertComment(pullRequest, body) {
      calls.push(`comment #${pullRequest}`);
      bodies.push(body);
      return { action: "created", id: 1, url: null };
    },
  };
}

describe("commentOnMergedPullRequest", () => {
  const after = [report(["d_user", "f_orders"])];

  it("says on the merged pull request what became ready, once", async () => {
    const p = ports({ before: ["d_user"], merged: 12 });
    const result = await commentOnMergedPullRequest({ after, followUp: { by: "bot" }, beforeCostsARequest: false, ports: p });
    expect(result?.pullRequest).toBe(12);
    expect(result?.newly.map((m) => m.name)).toEqual(["f_orders"]);
    expect(p.calls).toEqual(["before", "merged", "comment #12"]);
    expect(p.bodies[0]).toContain(MERGE_MARKER);
    expect(p.bodies[0]).toContain("this merge made 1 paused model ready");
  });

  it("reading the commit before from a checkout: GitHub is not asked when nothing became ready", async () => {
    const p = ports({ before: ["d_user", "f_orders"], merged: 12 });
    expect(await commentOnMergedPullRequest({ after, followUp: { by: "action" }, beforeCostsARequest: false, ports: p })).toBeNull();
    expect(p.calls).toEqual(["before"]);
  });

  it("reading the commit before costs a request: it is not read when no pull request was merged", async () => {
    const p = ports({ before: [], merged: null });
    expect(await commentOnMergedPullRequest({ after, followUp: { by: "bot" }, beforeCostsARequest: true, ports: p })).toBeNull();
    expect(p.calls).toEqual(["merged"]);
  });

  it("nothing is said when the commit before cannot be read", async () => {
    const p = ports({ before: null, merged: 12 });
    expect(await commentOnMergedPullRequest({ after, followUp: { by: "bot" }, beforeCostsARequest: true, ports: p })).toBeNull();
    expect(p.calls).toEqual(["merged", "before"]);
  });
});
