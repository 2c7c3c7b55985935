import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffReadiness } from "../../../src/core/readiness/diffReadiness.js";
import type { ReadinessDiff } from "../../../src/core/readiness/readinessDiff.js";
import { headline, READINESS_MARKER, renderPullRequestComment } from "../../../src/core/render/renderPullRequestComment.js";
import { reportOf } from "../../helpers/memoryProject.js";

const SHAS = { baseSha: "a".repeat(40), headSha: "b".repeat(40) };

function scenario(): ReadinessDiff {
  const base = {
    "models/stg.sql": "select 1",
    "models/c.sql": "select * from {{ ref('gone') }}",
    "models/x2.sql": "select 1",
    "models/e.sql.skip": "{{ ref('x2') }}",
    "models/a.sql.skip": "select * from {{ ref('x') }}",
    "models/b.sql.skip": "select * from {{ ref('a') }} {{ ref('nope') }}",
    "models/d.sql.skip": "select * from {{ ref('a') }}",
  };
  const head: Record<string, string> = { ...base, "models/x.sql": "select 1", "models/f.sql": "\n\nselect * from {{ source('raw', 'zz') }}" };
  delete head["models/x2.sql"];
  return diffReadiness({
    base: reportOf(base),
    head: reportOf(head),
    changes: [
      { status: "A", path: "models/x.sql" },
      { status: "A", path: "models/f.sql" },
      { status: "D", path: "models/x2.sql" },
    ],
  });
}

/** What GitHub shows in a table row's cells: split at unescaped pipes, then drop the escaping backslash. */
function cellsOf(row: string): string[] {
  const inner = row.replace(/^\| /, "").replace(/ \|$/, "");
  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "|" && inner[i - 1] !== "\\") {
      cells.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  cells.push(inner.slice(start));
  return cells.map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** The text of a cell that is exactly one code span (CommonMark), or null. */
function codeSpanText(cell: string): string | null {
  const fence = /^`+/.exec(cell)?.[0];
  if (!fence || !cell.endsWith(fence) || cell.length < fence.length * 2 + 1) return null;
  const content = cell.slice(fence.length, -fence.length);
  if (new RegExp(`(^|[^\`])${fence}([^\`]|$)`).test(content)) return null;
  return content.startsWith(" ") && content.endsWith(" ") && !/^ +$/.test(content) ? content.slice(1, -1) : content;
}

describe("renderPullRequestComment", () => {
  it("renders the marker, a headline, the changes and the collapsed details (exact)", () => {
    expect(renderPullRequestComment({ diffs: [scenario()], ...SHAS })).toBe(
      [
        "<!-- dbt-unskip:readiness -->",
        "### dbt-unskip: This PR breaks 1 active model (and 2 more changes below)",
        "",
        "> [!CAUTION]",
        "> **`dbt parse` would fail on this PR.** Fix `models/f.sql` (line 3) before merging (table below).",
        "",
        "> [!WARNING]",
        "> **This PR newly blocks 1 paused model.** If that is not intended, keep what it needs (below).",
        "",
        "> [!TIP]",
        "> **2 paused models can be restored once this merges.** On merge, dbt-unskip's run on the default branch opens their restore pull requests; or tick the dimension's box in the dashboard issue.",
        "",
        "**Active models that `dbt parse` would reject** (1, new in this PR)",
        "",
        "| file | line | refs |",
        "| --- | --- | --- |",
        "| `models/f.sql` | 3 | missing source `raw.zz` |",
        "",
        "**Newly blocked** (1), by cause:",
        "",
        "- `x2` is no longer available (deleted `models/x2.sql`): blocks 1: `e` (was ready)",
        "",
        "**Ready to restore** (2), by cause:",
        "",
        "- `x` is now available (added in `models/x.sql`): unblocks 2: `a`, `d`",
        "",
        "Restore together, in order: `a` → `d` (`d` needs `a`).",
        "",
        "<details><summary>The chain this PR moved, as a diagram</summary>",
        "",
        "```mermaid",
        "flowchart LR",
        '  n0["a<br/><small>now ready</small>"]:::ready',
        '  n1["x<br/><small>provided by this PR</small>"]:::provided',
        "  n1 --> n0",
        '  n2["d<br/><small>now ready</small>"]:::ready',
        "  n1 --> n2",
        "  n0 --> n2",
        '  n3["e<br/><small>now blocked</small>"]:::blocked',
        '  n4["x2<br/><small>no longer available</small>"]:::cause',
        "  n4 --> n3",
        "  classDef blocked fill:#fff8c5,stroke:#9a6700,color:#1f2328",
        "  classDef cause fill:#ffebe9,stroke:#cf222e,color:#1f2328",
        "  classDef provided fill:#ddf4ff,stroke:#0969da,color:#1f2328",
        "  classDef ready fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
        "```",
        "",
        "</details>",
        "",
        "<details>",
        "<summary>Readiness at head: 2 ready, 2 blocked, 0 to investigate (4 paused models)</summary>",
        "",
        "| paused model | dimension | status | blocked by |",
        "| --- | --- | --- | --- |",
        "| `a` | — | ready | — |",
        "| `b` | — | blocked | `nope` |",
        "| `d` | — | ready | — |",
        "| `e` | — | blocked | `x2` |",
        "",
        "Already broken on the base branch (1):",
        "",
        "| file | line | refs |",
        "| --- | --- | --- |",
        "| `models/c.sql` | 1 | missing `gone` |",
        "",
        "</details>",
        "",
        "<sub>Base `aaaaaaa` → head `bbbbbbb`. Updated on every push by dbt-unskip.</sub>",
        "",
      ].join("\n"),
    );
  });

  it("with nothing changed: the headline says so and the details still come", () => {
    const files = { "models/stg.sql": "select 1", "models/a.sql.skip": "{{ ref('nope') }}" };
    const diff = diffReadiness({ base: reportOf(files), head: reportOf(files), changes: [] });
    const body = renderPullRequestComment({ diffs: [diff], ...SHAS });
    expect(body.split("\n").slice(0, 4)).toEqual([READINESS_MARKER, "### dbt-unskip: No change in readiness", "", "<details>"]);
  });

  it("headlines", () => {
    const empty = scenario();
    const none = { ...empty, newlyReady: [], newlyBlocked: [], restored: [], brokenActive: [] };
    expect(headline([none])).toBe("No change in readiness");
    expect(headline([{ ...none, newlyReady: empty.newlyReady.slice(0, 1) }])).toBe("This PR makes 1 paused model ready");
    expect(
      headline([
        { ...none, restored: [{ name: "a", file: "a.sql.skip" }] },
        { ...none, newlyReady: empty.newlyReady },
      ]),
    ).toBe("This PR makes 2 paused models ready (and 1 more change below)");
    // Bad news first: a break leads whatever else the PR does.
    expect(headline([empty])).toBe("This PR breaks 1 active model (and 2 more changes below)");
  });

  it("several projects get a heading each", () => {
    const one = scenario();
    const body = renderPullRequestComment({ diffs: [one, { ...one, project: { name: "b", dir: "warehouses/b" } }], ...SHAS });
    expect(body).toContain("#### Project `.`\n");
    expect(body).toContain("#### Project `warehouses/b`\n");
  });

  it("any model, dimension or dependency name shows literally in its table cell (backticks, `](`, `<`, `|`, `@org/team`)", () => {
    const awkward = fc.oneof(
      fc.constantFrom("a|b", "a\\|b", "`x`", "[x](http://e.vil)", "<img src=x>", "@org/team", "a\\", "| |", "``", " x "),
      fc.string({ unit: fc.constantFrom("a", "|", "`", "\\", "<", "@", "]", "(", " ", "\n", "é"), minLength: 1, maxLength: 12 }),
    );
    fc.assert(
      fc.property(awkward, awkward, awkward, (name, dim, dep) => {
        fc.pre(name.trim() !== "" && dim.trim() !== "" && dep.trim() !== "");
        const base = scenario();
        const diff: ReadinessDiff = {
          ...base,
          newlyReady: [{ ...base.newlyReady[0]!, name, dimension: dim, because: [{ kind: "now-available", dependency: { type: "ref", name: dep }, now: "available", file: null, change: null }], needsRestored: [] }],
          headModels: [{ name, file: "m.sql.skip", dimension: dim, status: "blocked", blockedBy: [`ref:${dep}`] }],
        };
        const body = renderPullRequestComment({ diffs: [diff], ...SHAS });
        const lines = body.split("\n");
        const row = lines[lines.indexOf("| paused model | dimension | status | blocked by |") + 2]!;
        const cells = cellsOf(row);
        expect(cells).toHaveLength(4);
        const flat = (s: string) => s.replace(/\r\n|\r|\n/g, " ");
        expect(codeSpanText(cells[0]!)).toBe(flat(name));
        expect(codeSpanText(cells[1]!)).toBe(flat(dim));
        expect(codeSpanText(cells[3]!)).toBe(flat(dep));
      }),
      { numRuns: 300 },
    );
  });

  it("a huge report is cut under GitHub's limit with the marker kept and the details closed", () => {
    const base = scenario();
    const many = Array.from({ length: 3000 }, (_, i) => ({ name: `model_${i}_${"x".repeat(20)}`, file: `m/${i}.sql.skip`, dimension: null, status: "blocked" as const, blockedBy: ["ref:nope"] }));
    const body = renderPullRequestComment({ diffs: [{ ...base, headModels: many }], ...SHAS });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(READINESS_MARKER)).toBe(true);
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
    // Without a note from the caller (who knows whether a job summary exists), the cut is said and
    // nothing is promised; the commits the report is about stay on its last line.
    expect(body).toMatch(/✂️ The rest was cut to fit GitHub's size limit\. \([\d,]+ characters, 65,536 allowed\.\)\n\n<sub>Base `aaaaaaa` → head `bbbbbbb`\. Updated on every push by dbt-unskip\.<\/sub>\n$/);
    const small = renderPullRequestComment({ diffs: [{ ...base, headModels: many }], ...SHAS, limit: 1_000_000 });
    expect(small.length).toBeGreaterThan(65_536);
    expect(small.endsWith("\n\n<sub>Base `aaaaaaa` → head `bbbbbbb`. Updated on every push by dbt-unskip.</sub>\n")).toBe(true);
    expect(small).not.toContain("✂️");
    // Another note where the job summary itself is cut (it cannot say the job summary has all of it).
    const summary = renderPullRequestComment({ diffs: [{ ...base, headModels: many }], ...SHAS, limit: 100_000, note: "Cut; see the report file." });
    expect(summary.length).toBeLessThanOrEqual(100_000);
    expect(summary).toMatch(/✂️ Cut; see the report file\. \([\d,]+ characters, 100,000 allowed\.\)\n\n<sub>Base `aaaaaaa` → head `bbbbbbb`\.[^\n]*<\/sub>\n$/);
    expect(summary).not.toContain("the job summary has the full report");
  });
});
