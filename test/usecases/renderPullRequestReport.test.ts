import { describe, expect, it } from "vitest";
import { diffReadiness } from "../../src/core/readiness/diffReadiness.js";
import type { ReadinessDiff } from "../../src/core/readiness/readinessDiff.js";
import { JOB_SUMMARY_LIMIT_BYTES } from "../../src/core/render/jobSummary.js";
import { GITHUB_BODY_LIMIT } from "../../src/core/render/truncateBody.js";
import { renderPullRequestReport, SUMMARY_CUT_NOTE, SUMMARY_LIMIT_BYTES } from "../../src/usecases/pullRequestReadiness.js";
import { reportOf } from "../helpers/memoryProject.js";

const SHAS = { baseSha: "a".repeat(40), headSha: "b".repeat(40) };
const COMMITS = "<sub>Base `aaaaaaa` → head `bbbbbbb`. Updated on every push by dbt-unskip.</sub>\n";

/** A PR on a project with `paused` paused models, every one listed in the report's full picture. */
function largePullRequest(paused: number, name: (i: number) => string): ReadinessDiff {
  const files = { "models/stg.sql": "select 1", "models/a.sql.skip": "select * from {{ ref('nope') }}" };
  const diff = diffReadiness({ base: reportOf(files), head: reportOf({ ...files, "models/x.sql": "select 1" }), changes: [{ status: "A", path: "models/x.sql" }] });
  const headModels = Array.from({ length: paused }, (_, i) => ({ name: name(i), file: `m/${i}.sql.skip`, dimension: null, status: "blocked" as const, blockedBy: ["ref:nope"] }));
  return { ...diff, headModels };
}

describe("renderPullRequestReport: the job summary against GitHub's 1 MiB", () => {
  it("a report over the old 340,000-character cut but under 1 MiB is whole in the job summary (the bench's 50k PR was cut for nothing)", () => {
    const diff = largePullRequest(8000, (i) => `model_${i}_${"x".repeat(20)}`);
    const { summary, body } = renderPullRequestReport({ diffs: [diff], ...SHAS, jobSummary: true });
    expect(summary.length).toBeGreaterThan(400_000);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(summary).not.toContain("✂️");
    expect(summary.endsWith(`\n\n${COMMITS}`)).toBe(true);
    for (const i of [0, 4000, 7999]) expect(summary).toContain(`\`model_${i}_${"x".repeat(20)}\``);
    // The comment is cut to GitHub's limit and says the job summary has the full report: it has.
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toContain("the job summary has the full report");
  });

  it("a report over 1 MiB is cut in bytes (names of several bytes each counted as such), keeps its commits, and says where the rest is", () => {
    // 3 bytes of UTF-8 per character: 340,000 characters would not have been cut in characters alone.
    const diff = largePullRequest(12_000, (i) => `模型_${i}_${"数据".repeat(12)}`);
    const { summary, body } = renderPullRequestReport({ diffs: [diff], ...SHAS, jobSummary: true });
    const bytes = Buffer.byteLength(summary);
    expect(bytes).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(bytes).toBeGreaterThan(SUMMARY_LIMIT_BYTES - 4096);
    expect(SUMMARY_LIMIT_BYTES).toBeLessThan(JOB_SUMMARY_LIMIT_BYTES);
    expect(summary).toMatch(new RegExp(`✂️ ${escapeRegExp(SUMMARY_CUT_NOTE)} \\([\\d,]+ bytes, ${SUMMARY_LIMIT_BYTES.toLocaleString("en-US")} allowed\\.\\)\\n\\n${escapeRegExp(COMMITS)}$`));
    expect(summary.match(/<details>/g)?.length).toBe(summary.match(/<\/details>/g)?.length);
    // The comment cannot promise the job summary has it all.
    expect(body).not.toContain("the job summary has the full report");
    expect(body).toContain("the JSON report at the action's `report-path` output every change");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
