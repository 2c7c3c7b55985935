import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { buildMigrationPlan } from "../../../src/core/plan/buildMigrationPlan.js";
import { renderPlanForPullRequest } from "../../../src/core/plan/renderPlanForPullRequest.js";
import { renderPlanMarkdown } from "../../../src/core/plan/renderPlanMarkdown.js";
import { diffReadiness } from "../../../src/core/readiness/diffReadiness.js";
import type { ReadinessReport } from "../../../src/core/readiness/readinessReport.js";
import { escapeHtml } from "../../../src/core/render/escapeHtml.js";
import { renderDashboard, renderReadinessSummary } from "../../../src/core/render/renderDashboard.js";
import { renderMergeComment } from "../../../src/core/render/renderMergeComment.js";
import { renderPullRequestComment } from "../../../src/core/render/renderPullRequestComment.js";
import { renderRestorePullRequest } from "../../../src/core/render/renderRestorePullRequest.js";
import { renderStatusText } from "../../../src/core/render/renderStatusText.js";
import type { RestoreOutcome } from "../../../src/core/restore/restoreOutcome.js";
import { computeStatus } from "../../../src/usecases/computeStatus.js";
import { loadConfig } from "../../../src/usecases/loadConfig.js";
import { gfmProblems } from "../../helpers/gfmStructure.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { parseMermaid } from "../../helpers/parseMermaid.js";
import { EXAMPLE_DIR } from "../../helpers/scratchExample.js";
import { FILES, MANIFEST, REPORT } from "../plan/planFixture.js";

/** Well-formed as GitHub renders it, and every diagram in it parses with mermaid. */
async function expectWellFormed(markdown: string): Promise<number> {
  const { problems, mermaid } = gfmProblems(markdown);
  expect(problems).toEqual([]);
  for (const diagram of mermaid) await parseMermaid(diagram);
  return mermaid.length;
}

let example: ReadinessReport[];
beforeAll(async () => {
  const files = createDiskFileSource(EXAMPLE_DIR);
  example = (await computeStatus({ files, config: await loadConfig(files) })).reports;
});

describe("the readiness job summary as GitHub renders it", () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "summary-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the old <h2> + <pre> summary is an HTML block that swallows the report (the check sees it)", async () => {
    const file = join(dir, "old.md");
    await writeFile(file, "");
    process.env.GITHUB_STEP_SUMMARY = file;
    const text = example.map(renderStatusText).join("\n");
    await core.summary.emptyBuffer().addHeading("dbt-unskip readiness", 2).addCodeBlock(escapeHtml(text), "text").write({ overwrite: true });
    const old = await readFile(file, "utf8");
    const { problems } = gfmProblems(old);
    expect(problems.length, JSON.stringify(problems.slice(0, 3))).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/an HTML block swallows Markdown|left open/);
  });

  it("the Markdown summary is well-formed, the report kept whole in a fence", async () => {
    const text = example.map(renderStatusText).join("\n");
    const summary = renderReadinessSummary(example, { commit: "0123456789abcdef" }, text);
    expect(await expectWellFormed(summary)).toBe(1);
    const { tree } = gfmProblems(summary);
    const fences = tree.children.filter((n) => n.type === "code" && n.lang === "text");
    expect(fences.map((f) => (f as { value: string }).value)).toEqual([text.replace(/\n$/, "")]);
  });
});

describe("every surface is well-formed GFM with diagrams mermaid parses", () => {
  it("the dashboard (with boxes, open PRs and links), one line per task item", async () => {
    const body = renderDashboard(example, { commit: "abc", restorePrs: new Map([["dim_user", 4]]), fileUrl: (p) => `https://github.com/o/r/blob/abc/${p}` });
    expect(await expectWellFormed(body)).toBe(1);
    // The old lazy continuation is what the check catches.
    expect(gfmProblems("- [ ] Restore `dim_user` (1 ready)\n  `a`, `b`\n").problems).toEqual(["line 1: a task item over 2 lines"]);
    expect(gfmProblems("| a | b |\n| --- | --- |\n| 1 | x|y |\n").problems).toEqual(["line 3: 3 cells in a table of 2 columns"]);
  });

  it("the PR comment", async () => {
    const base = reportOf({ "models/stg.sql": "select 1", "models/a.sql.skip": "select * from {{ ref('x') }}", "models/d.sql.skip": "select * from {{ ref('a') }}" });
    const head = reportOf({
      "models/stg.sql": "select 1",
      "models/x.sql": "select 1",
      "models/a.sql.skip": "select * from {{ ref('x') }}",
      "models/d.sql.skip": "select * from {{ ref('a') }}",
      "models/f.sql": "select * from {{ source('raw', 'zz') }}",
    });
    const diff = diffReadiness({
      base,
      head,
      changes: [
        { status: "A", path: "models/x.sql" },
        { status: "A", path: "models/f.sql" },
      ],
    });
    expect(await expectWellFormed(renderPullRequestComment({ diffs: [diff], baseSha: "a".repeat(40), headSha: "b".repeat(40) }))).toBe(1);
  });

  it("the restore PR, with its plan", async () => {
    const plan = buildMigrationPlan({
      dimension: "dim_shop",
      project: REPORT.project,
      basis: { kind: "restored", commit: "a".repeat(40) },
      files: FILES,
      manifest: MANIFEST,
      report: REPORT,
      stateDocument: { path: "dimensions/x.md", previousText: "# x\n", afterSha256: "b".repeat(64) },
    });
    const outcome: RestoreOutcome = {
      result: "restored",
      dimension: "dim_shop",
      project: ".",
      restored: [{ name: "a", dimension: "dim_shop", skipFile: "models/a.sql.skip", realFile: "models/a.sql", needs: [], because: "all dependencies available", from: "models/a.sql.skip", to: "models/a.sql" }],
      reSkipped: [],
      stillPaused: [{ name: "b", path: "models/b.sql.skip", status: "blocked", missing: ["x"], reason: "missing x" }],
      blockers: [{ name: "x", type: "ref", expectedFrom: null, blocks: ["b"] }],
      progress: { before: { active: 1, total: 3 }, after: { active: 2, total: 3 } },
      dbt: { parseRuns: 1, compileRuns: 1, invocations: 2, version: "1.11.0" },
      compiled: ["a"],
      stateDocument: null,
      commit: null,
      error: null,
    };
    const body = renderRestorePullRequest(outcome, { workflowToken: true, extraSections: [renderPlanForPullRequest(plan, { room: 40_000 })] });
    expect(await expectWellFormed(body)).toBe(1);
    expect(await expectWellFormed(renderPlanMarkdown(plan, { headingLevel: 2 }))).toBe(0);
  });

  it("the merge comment", async () => {
    const ready = example[0]!.models.filter((m) => m.status === "ready");
    await expectWellFormed(renderMergeComment(ready, { by: "action", restorePrs: new Map([["dim_user", 3]]), failed: new Map([["dim_product", "dbt parse failed: <x>"]]) }));
    await expectWellFormed(renderMergeComment(ready, { by: "bot", dashboardUrl: "https://github.com/o/r/issues/1" }));
  });
});
