import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMigrationPlan } from "../../../src/core/plan/buildMigrationPlan.js";
import { codeBlock } from "../../../src/core/plan/codeBlock.js";
import { planFiles } from "../../../src/core/plan/planFiles.js";
import { renderPlanMarkdown } from "../../../src/core/plan/renderPlanMarkdown.js";
import { renderPlanText } from "../../../src/core/plan/renderPlanText.js";
import { codeSpan } from "../../../src/core/render/codeSpan.js";
import { tableCell } from "../../../src/core/render/tableCell.js";
import { FILES, MANIFEST, REPORT } from "./planFixture.js";

/** The Markdown with fenced blocks and code spans (CommonMark's matching backtick runs) taken out. */
function withoutCode(markdown: string): string {
  const md = markdown.replace(/^(`{3,})[a-z]*\n[\s\S]*?^\1$/gm, "");
  let out = "";
  for (let i = 0; i < md.length; ) {
    if (md[i] === "\\") {
      out += md.slice(i, i + 2);
      i += 2;
    } else if (md[i] === "`") {
      let n = 0;
      while (md[i + n] === "`") n++;
      let j = i + n;
      let close = -1;
      while (j < md.length && close < 0) {
        if (md[j] !== "`") {
          j++;
          continue;
        }
        let m = 0;
        while (md[j + m] === "`") m++;
        if (m === n) close = j;
        j += m;
      }
      if (close < 0) out += md.slice(i, i + n);
      i = close < 0 ? i + n : close + n;
    } else out += md[i++];
  }
  return out;
}

const planFor = (files = FILES, dimension = "dim_shop") =>
  buildMigrationPlan({
    dimension,
    project: REPORT.project,
    basis: { kind: "ready" },
    files,
    manifest: MANIFEST,
    report: REPORT,
    stateDocument: { path: "dimensions/x.md", previousText: "# x\n", afterSha256: null },
  });

describe("renderPlanMarkdown", () => {
  it("has the runbook's sections, in order", () => {
    const md = renderPlanMarkdown(planFor());
    const headings = withoutCode(md)
      .split("\n")
      .filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual(["# Migration Plan: ", "## Summary", "## Changes", "## Impact Analysis", "## Dependencies", "## Rollback", "## Validation", "## Recommendation"]);
    expect(md).toContain("- **Risk Level:** 🔴 High");
    expect(md).toContain('| 3 | `d_customer` | `table` | `"wh"."main_gold"."d_customer"` | 2 | 🟡 Medium |');
    expect(md).toContain("`f_waiting` (paused, still blocked by `mas_x`)");
    expect(md).toContain("🛑 Review before running");
    expect(md).toContain("<details><summary>rollback.sh");
    expect(renderPlanMarkdown(planFor(), { includeScript: false, headingLevel: 2 })).not.toContain("<details>");
  });

  it("a hostile model name only ever appears as a code span (RELIABILITY 11)", () => {
    const hostile = fc.string({ unit: fc.constantFrom(..."`*_[]()<>!@|#\\ \n"), minLength: 1, maxLength: 10 }).map((s) => `zq${s}](http://x)<b>@org/team`);
    fc.assert(
      fc.property(hostile, (name) => {
        const files = FILES.map((f) => (f.name === "d_customer" ? { ...f, name, because: `because ${name}` } : f));
        const md = renderPlanMarkdown(planFor(files));
        // Outside code the name never appears: no link, tag, mention or emphasis can come of it.
        expect(withoutCode(md)).not.toContain("zq");
        expect(md).toContain(tableCell(codeSpan(name)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("codeBlock", () => {
  it("no backtick run inside can close the fence", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("`", "a", "\n", " ") }), (text) => {
        const block = codeBlock(text, "sql");
        const fence = /^`+/.exec(block)![0];
        const inner = block.slice(fence.length + "sql\n".length, block.length - fence.length);
        expect(inner.split("\n").some((line) => line.startsWith(fence))).toBe(false);
        expect(fence.length).toBeGreaterThanOrEqual(3);
      }),
    );
  });
});

describe("renderPlanText and planFiles", () => {
  it("the terminal text names every model, its relation and the commands, without control characters", () => {
    const text = renderPlanText(planFor(FILES.map((f) => (f.name === "f_orders" ? { ...f, because: "x\u001b[31mred\nline" } : f))));
    expect(text).toContain("4. f_orders  [incremental]  🔴 High");
    expect(text).toContain('creates:    "wh"."main_gold"."f_orders"');
    expect(text).toContain("Rollback: dbt-unskip rollback --dimension dim_shop (drops 4 relations, re-skips 5 files, restores the state document)");
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain("x?[31mred?line");
  });

  it("--out writes the five files, and plan.json is the plan", () => {
    const plan = planFor();
    const files = planFiles(plan);
    expect(Object.keys(files).sort()).toEqual(["plan.json", "plan.md", "rollback.sh", "rollback.sql", "validation.sql"]);
    expect(JSON.parse(files["plan.json"])).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(files["rollback.sh"].startsWith("#!/bin/sh\n")).toBe(true);
  });

  it("an empty plan says there is nothing to restore", () => {
    const empty = planFor([]);
    expect(empty.recommendation.headline).toBe("Nothing to restore");
    expect(renderPlanMarkdown(empty)).toContain("none: nothing is ready to restore");
    expect(renderPlanText(empty)).toContain("Nothing is ready to restore.");
  });
});
