import { describe, expect, it } from "vitest";
import type { ReportModel } from "../../../src/core/readiness/readinessReport.js";
import { MERGE_MARKER, renderMergeComment } from "../../../src/core/render/renderMergeComment.js";
import { GITHUB_BODY_LIMIT } from "../../../src/core/render/truncateBody.js";

const model = (name: string, dimension: string | null, restoreOrder: number) => ({ name, dimension, restoreOrder }) as ReportModel;
// Alphabetical here; restore order puts dim_user's mas_user_contracts first.
const newly = [model("d_account", "dim_account", 3), model("d_user", "dim_user", 2), model("mas_user_contracts", "dim_user", 1)];
const HEAD = [MERGE_MARKER, "### dbt-unskip: this merge made 3 paused models ready", ""];

describe("renderMergeComment: one renderer for the Action and the bot", () => {
  it("the Action: one line per dimension, in restore order, with its pull request, and the dashboard linked", () => {
    const prs = new Map([
      ["dim_account", 20],
      ["dim_user", 23],
      ["dim_product", 22],
    ]);
    expect(renderMergeComment(newly, { by: "action", restorePrs: prs, dashboardUrl: "https://github.com/o/r/issues/1" })).toBe(
      [
        ...HEAD,
        "- `dim_user`: #23 restores `mas_user_contracts`, `d_user`",
        "- `dim_account`: #20 restores `d_account`",
        "",
        "Progress of every dimension: [the dashboard issue](https://github.com/o/r/issues/1).",
        "",
      ].join("\n"),
    );
  });

  it("the bot offers no restore that would be refused (a dimension whose state documents' folder is a link): what to change instead", () => {
    const link = (l: string) => ({ link: l, message: `restore would be refused: ${l} is a symbolic link …` });
    const why = "restore would be refused: `dimensions/dim_user` is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository";
    expect(renderMergeComment(newly, { by: "bot", dashboardUrl: null }, new Map([["dim_user", link("dimensions/dim_user")]]))).toBe(
      [
        ...HEAD,
        `- \`dim_user\`: \`mas_user_contracts\`, \`d_user\`; ${why}`,
        "- `dim_account`: `d_account`",
        "",
        "Tick the dimension's box in the dbt-unskip dashboard issue, or comment `/unskip restore <dimension>` (for example `/unskip restore dim_account`), to open its restore pull request.",
        "",
      ].join("\n"),
    );
    const all = renderMergeComment(
      newly,
      { by: "bot", dashboardUrl: null },
      new Map([
        ["dim_user", link("dimensions")],
        ["dim_account", link("dimensions")],
      ]),
    );
    expect(all).not.toContain("/unskip restore");
    expect(all).toContain("Progress of every dimension: the dbt-unskip dashboard issue.");
  });

  it("a failed restore pull request is said first and named, the others keep their numbers; nothing claims a PR is coming", () => {
    const body = renderMergeComment(newly, { by: "action", restorePrs: new Map([["dim_user", 23]]), failed: new Map([["dim_account", "dbt parse failed"]]) });
    expect(body).toBe(
      [
        ...HEAD,
        "> [!CAUTION]",
        "> The restore pull request for `dim_account` could not be made by this run: see its job summary, then run the workflow again.",
        "",
        "- `dim_user`: #23 restores `mas_user_contracts`, `d_user`",
        "- `dim_account`: **no restore pull request** (dbt parse failed): `d_account`",
        "",
        "Progress of every dimension: the dbt-unskip dashboard issue.",
        "",
      ].join("\n"),
    );
    expect(body).not.toMatch(/is opening|opened restore/);
  });

  it("the bot says how to ask for them; only a plain name goes into the example command", () => {
    expect(renderMergeComment(newly, { by: "bot" })).toBe(
      [
        ...HEAD,
        "- `dim_user`: `mas_user_contracts`, `d_user`",
        "- `dim_account`: `d_account`",
        "",
        "Tick the dimension's box in the dbt-unskip dashboard issue, or comment `/unskip restore <dimension>` (for example `/unskip restore dim_user`), to open its restore pull request.",
        "",
      ].join("\n"),
    );
    expect(renderMergeComment([model("x", "a`b", 1)], { by: "bot" })).not.toContain("for example");
  });

  it("a merge that readies thousands of models still fits GitHub's body limit, marker first (RELIABILITY 14)", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => model(`a_model_with_a_rather_long_name_number_${i}`, `dim_${i}`, i));
    for (const followUp of [{ by: "action" as const }, { by: "bot" as const }]) {
      const body = renderMergeComment(many, followUp);
      expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
      expect(body.startsWith(`${MERGE_MARKER}\n### dbt-unskip: this merge made 5000 paused models ready`)).toBe(true);
      expect(body).toContain("`dbt-unskip status` lists every ready model");
    }
  });
});
