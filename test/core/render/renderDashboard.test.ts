import { describe, expect, it } from "vitest";
import { DASHBOARD_MARKER, renderDashboard, restoreCheckboxTag, tickedRestoreBoxes } from "../../../src/core/render/renderDashboard.js";
import { reportOf } from "../../helpers/memoryProject.js";

const report = reportOf({
  "models/stg.sql": "{{ config(tags=['dim_user']) }} select 1",
  "models/a.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('stg') }}",
  "models/b.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('mas_contracts') }}",
  "models/c.sql.skip": "{{ config(tags=['dim_x']) }} select * from {{ ref('mas_contracts') }} join {{ ref(var('v')) }}",
});

describe("dashboard", () => {
  it("puts the verdict and the next action first, one line per restore box, root causes grouped, a diagram", () => {
    const body = renderDashboard([report], { commit: "0123456789abcdef" });
    const head = body.slice(0, body.indexOf("```mermaid"));
    expect(head).toBe(
      [
        DASHBOARD_MARKER,
        "> [!TIP]",
        "> **1 paused model ready** in `dim_user`.",
        "> Tick a dimension's box below to open its restore pull request.",
        "",
        "**3** paused models: **1** ready, **2** blocked, **0** need investigation. As of `0123456789ab`.",
        "",
        "## Ready to restore",
        "",
        "- [ ] Restore `dim_user`: 1 ready (`a`) <!-- dbt-unskip:restore:dim_user -->",
        "",
        "## Progress",
        "",
        "| dimension | progress | ready | blocked | investigate |",
        "| --- | --- | ---: | ---: | ---: |",
        "| `dim_user` | ▓▓▓░░░░░░░ 1/3 (33%) | 1 | 1 | 0 |",
        "| `dim_x` | ░░░░░░░░░░ 0/1 (0%) | 0 | 1 | 0 |",
        "",
        "_A dimension without a link has no state document._",
        "",
        "## Blocked: what to migrate next",
        "",
        "**Not expected from any dimension yet (no state document names them)**: 1 root cause, 2 paused models blocked",
        "",
        "| missing | kind | blocks |",
        "| --- | --- | --- |",
        "| `mas_contracts` | ref | 2: `b`, `c` |",
        "",
        "## What blocks what",
        "",
        "",
      ].join("\n"),
    );
    expect(body).not.toMatch(/^# /m);
    expect(body).not.toContain("expected from ?");
  });

  it("nothing ready: the verdict names the root cause to migrate next", () => {
    const blockedOnly = reportOf({ "models/b.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('mas_contracts') }}" });
    expect(renderDashboard([blockedOnly], { commit: "abc" })).toContain("> **Nothing new is ready.** Migrate `mas_contracts` next: it blocks 1 paused model.");
  });

  it("an open restore PR is listed apart, with no box for its dimension", () => {
    const body = renderDashboard([report], { commit: "abc", restorePrs: new Map([["dim_user", 42]]) });
    expect(body).toContain("## Open restore pull requests\n\n- #42 restores `dim_user`\n");
    expect(body).toContain("- `dim_user`: 1 ready (`a`); restore pull request #42 is open");
    expect(body).not.toContain("[x]");
    expect(tickedRestoreBoxes(body)).toEqual([]);
  });

  it("links a dimension to its state document instead of a column", () => {
    const withDoc = reportOf({ "models/a.sql.skip": "select 1" }, { documents: [] });
    const dims = [{ ...withDoc, dimensions: [{ name: "dim_user", active: 1, paused: 1, ready: 1, blocked: 0, needsInvestigation: 0, stateDocument: "dimensions/dim user/STATE.md", documentStatus: null }] }];
    const body = renderDashboard(dims, { commit: "abc", fileUrl: (p) => `https://github.com/o/r/blob/abc/${p}` });
    expect(body).toContain('| [`dim_user`](https://github.com/o/r/blob/abc/dimensions/dim%20user/STATE.md "state document") |');
  });

  it("a long list of ready models stays on the box's line, five names then a count", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`models/r${i}.sql.skip`] = "{{ config(tags=['dim_user']) }} select 1";
    const body = renderDashboard([reportOf(files)], { commit: "abc" });
    expect(body).toMatch(/^- \[ \] Restore `dim_user`: 12 ready \((`r\d+`, ){4}`r\d+` and 7 more\) <!-- dbt-unskip:restore:dim_user -->$/m);
  });

  it("reads ticked boxes back, by their hidden tag only", () => {
    const edited = [
      `- [x] Restore \`dim_user\` (1 ready) ${restoreCheckboxTag("dim_user")}`,
      `- [ ] Restore \`dim_x\` (2 ready) ${restoreCheckboxTag("dim_x")}`,
      "- [x] a person's own checkbox",
      `* [X] Restore ${restoreCheckboxTag("dim_y")}`,
    ].join("\n");
    expect(tickedRestoreBoxes(edited)).toEqual(["dim_user", "dim_y"]);
  });

  it("stays under GitHub's body limit with the marker kept", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`models/m${i}.sql.skip`] = `{{ config(tags=['dim_${i % 50}']) }} select * from {{ ref('missing_${i}_with_a_long_name_to_fill_the_table') }}`;
    const body = renderDashboard([reportOf(files)], { commit: "abc" });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(DASHBOARD_MARKER)).toBe(true);
    expect(body).toContain("cut to fit GitHub's size limit");
  });
});
