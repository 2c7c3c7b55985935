import { describe, expect, it } from "vitest";
import { filterReport } from "../../../src/core/readiness/filterReport.js";
import { renderStatusMermaid, renderStatusText } from "../../../src/core/render/renderStatusText.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { parseMermaid } from "../../helpers/parseMermaid.js";

const report = reportOf({
  "models/stg.sql": "select 1",
  "models/a.sql.skip": "{{ config(tags=['dim_a']) }} select * from {{ ref('stg') }}",
  "models/b.sql.skip": "{{ config(tags=['dim_b']) }} select * from {{ ref('stg') }}",
  "models/b2.sql.skip": "{{ config(tags=['dim_b']) }} select * from {{ ref('b') }}",
});

describe("status for a terminal", () => {
  it("names the next command, and under --dimension numbers from 1", () => {
    const all = renderStatusText(report);
    expect(all).toContain("Next: dbt-unskip restore --dimension dim_a   restores 1 ready model (then dim_b)");
    const onlyB = renderStatusText(filterReport(report, "dim_b"));
    expect(onlyB).toMatch(/^ {4}1\. b\.sql\.skip \[dim_b\]/m);
    expect(onlyB).toMatch(/^ {4}2\. b2\.sql\.skip \[dim_b\] → after restoring b/m);
    expect(onlyB).not.toMatch(/^ {4}3\./m);
  });

  it("the next command counts what the restore brings back: the paused models of other dimensions its ready models need too", () => {
    const chained = reportOf({
      "models/stg.sql": "select 1",
      "models/a.sql.skip": "{{ config(tags=['dim_a']) }} select * from {{ ref('r1') }} join {{ ref('r2') }}",
      "models/r1.sql.skip": "{{ config(tags=['dim_r']) }} select * from {{ ref('stg') }}",
      "models/r2.sql.skip": "{{ config(tags=['dim_r']) }} select * from {{ ref('r1') }}",
    });
    const text = renderStatusText(chained);
    // `restore --dimension dim_a` restores a, r1 and r2, and leaves nothing ready in dim_r.
    expect(text).toContain("Next: dbt-unskip restore --dimension dim_a   restores 3 models (1 ready in dim_a, 2 it needs from dim_r)\n");
    const onlyA = renderStatusText(filterReport(chained, "dim_a"));
    // Under --dimension the other dimensions' models are not in the report: counted, not named.
    expect(onlyA).toContain("Next: dbt-unskip restore --dimension dim_a   restores 3 models (1 ready in dim_a, 2 it needs from other dimensions)\n");
  });

  it("no empty sections: nothing blocked prints no STILL BLOCKED heading", () => {
    const text = renderStatusText(report);
    expect(text).not.toContain("STILL BLOCKED");
    expect(text).not.toContain("(none)");
    const blockedOnly = renderStatusText(reportOf({ "models/x.sql.skip": "select * from {{ ref('nope') }}" }));
    expect(blockedOnly).not.toContain("READY TO RESUME");
    expect(blockedOnly).toContain("Next: migrate nope: it blocks 1 paused model");
  });

  it("--format mermaid: one diagram mermaid parses", async () => {
    const text = renderStatusMermaid([report]);
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    expect(await parseMermaid(text)).toBe("flowchart-v2");
  });
});
