import { describe, expect, it } from "vitest";
import { buildMigrationPlan } from "../../../src/core/plan/buildMigrationPlan.js";
import { renderPlanForPullRequest } from "../../../src/core/plan/renderPlanForPullRequest.js";
import { FILES, MANIFEST, REPORT } from "./planFixture.js";

const planWith = (previousText: string) =>
  buildMigrationPlan({
    dimension: "dim_shop",
    project: REPORT.project,
    basis: { kind: "restored", commit: "a".repeat(40) },
    files: FILES,
    manifest: MANIFEST,
    report: REPORT,
    stateDocument: { path: "dimensions/x.md", previousText, afterSha256: "b".repeat(64) },
  });

/** Fenced blocks (opening fence → same fence) and `<details>` balance outside them. */
function balanced(md: string): { fences: boolean; details: number } {
  let fence: string | null = null;
  let details = 0;
  for (const line of md.split("\n")) {
    if (fence) {
      if (line.trim() === fence) fence = null;
      continue;
    }
    const open = /^(`{3,})/.exec(line);
    if (open) fence = open[1]!;
    else details += (line.match(/<details>/g)?.length ?? 0) - (line.match(/<\/details>/g)?.length ?? 0);
  }
  return { fences: fence === null, details };
}

describe("renderPlanForPullRequest", () => {
  it("with room: the risk verdict first, no model list or still-paused list (the body has them), SQL collapsed, rollback.sh left to the command", () => {
    const md = renderPlanForPullRequest(planWith("# x\n"), { room: 65_000 });
    expect(md).toMatch(/^<!-- dbt-unskip:plan -->\n## Risk: /);
    expect(md).toContain("<details><summary>rollback.sql: drops what a run of these models created, dependents first</summary>");
    expect(md).toContain("<details><summary>validation.sql: one row per check</summary>");
    expect(md).toContain("<details><summary>Impact per model: what each creates, depends on and is tested by</summary>");
    expect(md).not.toContain("rollback.sh: re-skips");
    expect(md).not.toMatch(/# (Changes|Still paused|Rollback)$/m);
    expect(md).toContain("The whole plan (plan.md, rollback.sh, rollback.sql, validation.sql): on this branch, `dbt-unskip plan --dimension dim_shop --restored --out DIR`.");
    expect(md).toMatch(/DROP (TABLE|VIEW) IF EXISTS/);
    expect(balanced(md)).toEqual({ fences: true, details: 0 });
  });

  it("a long state document no longer lengthens the body (rollback.sh, which embeds it, is never inlined)", () => {
    const short = renderPlanForPullRequest(planWith("# x\n"), { room: 65_000 });
    const long = renderPlanForPullRequest(planWith("line of the state document <details>\n".repeat(3_000)), { room: 65_000 });
    expect(long).toBe(short);
  });

  it("little room: cut at a line, fences and blocks closed, within the room", () => {
    const md = renderPlanForPullRequest(planWith("# x\n"), { room: 2_500 });
    expect(md.length).toBeLessThanOrEqual(2_500);
    expect(md).toContain("The rest of the plan was cut to fit GitHub's size limit");
    expect(balanced(md)).toEqual({ fences: true, details: 0 });
  });

  it("no room: a pointer to the command", () => {
    expect(renderPlanForPullRequest(planWith("# x\n"), { room: 200 })).toMatch(/^## Risk\n\nThe plan does not fit/);
  });
});
