import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockersDiagram, pullRequestDiagram, restoreDiagram } from "../../../src/core/render/blockersDiagram.js";
import { Flowchart, mermaidBlock, mermaidText } from "../../../src/core/render/mermaid.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { parseMermaid } from "../../helpers/parseMermaid.js";

/** Names made of what Mermaid and Markdown act on, mixed with any other characters. */
const hostileName = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', "`", "```", "[", "]", "(", ")", "{", "}", "<", ">", "%%", "%%{init: {}}%%", "#", ";", ":::", "-->", "|", "\n", "\r", "end", "subgraph", "click", "&quot;", "<br/>", "<script>", "\\"),
      fc.string({ unit: "binary", maxLength: 4 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

describe("mermaid escaping", () => {
  it("keeps plain names and codes every other character", () => {
    expect(mermaidText("dim_user")).toBe("dim_user");
    expect(mermaidText('a"b')).toBe("a#34;b");
    expect(mermaidText("x`]%%{init}%%\nend")).toBe("x#96;#93;#37;#37;#123;init#125;#37;#37; end");
    expect(mermaidText("a".repeat(60), 10)).toBe("aaaaaaaaa#8230;");
  });

  it("no name can break, leave or inject into a diagram (any string, parsed by mermaid)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileName, { minLength: 1, maxLength: 4 }), async (names) => {
        const chart = new Flowchart();
        const ids = names.map((name, i) => chart.node(`k${i}`, i === 0 ? "cause" : "blocked", [name, `expected from ${name}`]));
        for (let i = 1; i < ids.length; i++) chart.edge(ids[0]!, ids[i]!);
        chart.group(names[0]!, () => chart.node("g", "ready", [names[0]!]));
        const text = chart.toString();
        // One line per node, edge, group line and class: a name never adds a line or a fence.
        expect(text).not.toContain("`");
        for (const line of text.split("\n").filter((l) => l.includes('["'))) expect(line).toMatch(/^ {2}(n\d+|subgraph g\d+)\["[^"]*"\](:::[a-z]+)?$/);
        expect(mermaidBlock(text).split("```").length).toBe(3);
        expect(await parseMermaid(text)).toBe("flowchart-v2");
      }),
      { numRuns: 40 },
    );
  });
});

const report = reportOf({
  "models/stg.sql": "{{ config(tags=['dim_user']) }} select 1",
  "models/a.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('stg') }}",
  "models/a2.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('a') }}",
  "models/b.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('mas_contracts') }}",
  "models/b2.sql.skip": "{{ config(tags=['dim_x']) }} select * from {{ ref('b') }}",
  "models/c.sql.skip": "{{ config(tags=['dim_x']) }} select * from {{ ref('mas_contracts') }} join {{ source('raw', 'x') }}",
});

describe("blockers diagram", () => {
  it("root cause → blocked → what it would unblock; ready in restore order", async () => {
    const { mermaid, omitted } = blockersDiagram(report);
    expect(omitted.count).toBe(0);
    expect(mermaid).toContain('["a<br/><small>ready #183; dim_user</small>"]:::ready');
    expect(mermaid).toMatch(/\["mas_contracts<br\/><small>no dimension expected to provide it<\/small><br\/><small>blocks 3<\/small>"\]:::cause/);
    const id = (label: string) => new RegExp(`(n\\d+)\\["${label}<br/>`).exec(mermaid)![1];
    expect(mermaid).toContain(`${id("a")} --> ${id("a2")}`);
    expect(mermaid).toContain(`${id("mas_contracts")} --> ${id("b")}`);
    expect(mermaid).toContain(`${id("b")} --> ${id("b2")}`);
    expect(await parseMermaid(mermaid)).toBe("flowchart-v2");
  });

  it("caps nodes and says how much it left out", async () => {
    const files: Record<string, string> = {};
    for (let c = 0; c < 20; c++) for (let m = 0; m < 30; m++) files[`models/m${c}_${m}.sql.skip`] = `select * from {{ ref('missing_${c}') }}`;
    const big = reportOf(files);
    const { mermaid, omitted } = blockersDiagram(big);
    const nodes = mermaid.split("\n").filter((l) => /^ {2}n\d+\[/.test(l)).length;
    expect(nodes).toBeLessThanOrEqual(60);
    expect(omitted.text).toBe("12 of 20 root causes, 560 paused models");
    expect(mermaid).toContain("+25 more blocked");
    expect(await parseMermaid(mermaid)).toBe("flowchart-v2");
  });

  it("a restore batch and a pull request chain parse too", async () => {
    const restore = restoreDiagram({
      restored: [
        { name: "a", dimension: "d", skipFile: "", realFile: "", needs: [], because: "", from: "", to: "" },
        { name: "a2", dimension: "d", skipFile: "", realFile: "", needs: ["a"], because: "", from: "", to: "" },
      ],
      blockers: [{ name: "raw.x", type: "source", expectedFrom: null, blocks: ["c"] }],
      stillPaused: [{ name: "c", path: "models/c.sql.skip", status: "blocked", missing: [], reason: "" }],
    });
    expect(restore.mermaid).toMatch(/n0 --> n1/);
    expect(await parseMermaid(restore.mermaid)).toBe("flowchart-v2");
    expect(pullRequestDiagram([])).toBeNull();
  });
});
