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
  it("renders progress, a restore box per ready dimension, and root causes ranked", () => {
    const body = renderDashboard([report], { commit: "0123456789abcdef" });
    expect(body).toBe(
      [
        DASHBOARD_MARKER,
        "# dbt-unskip: migration dashboard",
        "",
        "**3** paused models: **1** ready, **2** blocked, **0** need investigation. As of `0123456789ab`.",
        "",
        "| dimension | progress | ready | blocked | investigate | state document |",
        "| --- | --- | ---: | ---: | ---: | --- |",
        "| `dim_user` | ▓▓▓░░░░░░░ 1/3 (33%) | 1 | 1 | 0 | none |",
        "| `dim_x` | ░░░░░░░░░░ 0/1 (0%) | 0 | 1 | 0 | none |",
        "",
        "### Ready to restore",
        "",
        "- [ ] Restore `dim_user` (1 ready) <!-- dbt-unskip:restore:dim_user -->",
        "  `a`",
        "",
        "_Tick a box to ask for that dimension's restore pull request._",
        "",
        "### Blocked: what to migrate next",
        "",
        "| missing | kind | expected from | blocks |",
        "| --- | --- | --- | --- |",
        "| `mas_contracts` | ref | ? | 2: `b`, `c` |",
        "",
      ].join("\n"),
    );
  });

  it("an open restore PR replaces the box", () => {
    const body = renderDashboard([report], { commit: "abc", restorePrs: new Map([["dim_user", 42]]) });
    expect(body).toContain("- [x] Restore PR #42 is open for `dim_user`");
    expect(tickedRestoreBoxes(body)).toEqual([]);
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
