import { describe, expect, it } from "vitest";
import { renderDashboard } from "../../../src/core/render/renderDashboard.js";
import { renderPauseOffer } from "../../../src/core/render/renderPauseOffer.js";
import { reportOf } from "../../helpers/memoryProject.js";

describe("the /unskip pause offer", () => {
  it("one command per dimension, model names sorted; models without a dimension named apart", () => {
    expect(
      renderPauseOffer(
        [
          { name: "d_user", dimension: "dim_user" },
          { name: "mas_user_contracts", dimension: "dim_user" },
          { name: "f_sales", dimension: "dim_product" },
          { name: "loose", dimension: null },
        ],
        "once this PR is merged",
      ),
    ).toEqual([
      "To keep `dbt parse` passing once this PR is merged, pause them (and everything that depends on them) until their upstreams land:",
      "",
      "- `/unskip pause dim_product f_sales`",
      "- `/unskip pause dim_user d_user mas_user_contracts`",
      "- no dimension known for `loose`: tag them, or run `dbt-unskip pause` with a dimension",
      "",
    ]);
    expect(renderPauseOffer([{ name: "loose", dimension: null }], "here")).toEqual([]);
    // A name that could not travel in a command is never put into one.
    expect(renderPauseOffer([{ name: "a`b", dimension: "dim_x" }], "here").join("\n")).not.toContain("/unskip pause dim_x");
  });

  it("the readiness report lists the active models dbt parse rejects, with their dimension; the dashboard offers their pause", () => {
    const report = reportOf({
      "models/stg_users.sql": "select 1",
      "models/mas_user_contracts.sql": "{{ config(tags=['dim_user']) }}\nselect * from {{ ref('mas_contracts') }} join {{ ref('stg_users') }} on true join {{ source('raw', 'x') }} on true",
      "models/untagged.sql": "select * from {{ ref('gone') }}",
    });
    expect(report.breaking).toEqual([
      { name: "mas_user_contracts", path: "models/mas_user_contracts.sql", dimension: "dim_user", dependsOn: ["mas_contracts", "source raw.x"] },
      { name: "untagged", path: "models/untagged.sql", dimension: null, dependsOn: ["gone"] },
    ]);
    const body = renderDashboard([report], { commit: "0123456789abcdef" });
    expect(body).toMatch(/#+ Would need pausing \(`dbt parse` fails on 2 active models\)/);
    expect(body).toContain("- `mas_user_contracts` (`dim_user`) needs `mas_contracts`, `source raw.x`");
    expect(body).toContain("- `/unskip pause dim_user mas_user_contracts`");
    // A clean project has no such field (the JSON report is unchanged for it).
    expect(reportOf({ "models/a.sql": "select 1" })).not.toHaveProperty("breaking");
  });
});
