import { describe, expect, it } from "vitest";
import type { ReportModel } from "../../../src/core/readiness/readinessReport.js";
import { MERGE_MARKER, renderMergeComment } from "../../../src/core/render/renderMergeComment.js";
import { GITHUB_BODY_LIMIT } from "../../../src/core/render/truncateBody.js";

const model = (name: string, dimension: string | null) => ({ name, dimension }) as ReportModel;
const newly = [model("d_account", "dim_account"), model("d_user", "dim_user"), model("mas_user_contracts", "dim_user")];
const LIST = [MERGE_MARKER, "This merge made **3** paused models ready:", "", "- `d_account` (`dim_account`)", "- `d_user` (`dim_user`)", "- `mas_user_contracts` (`dim_user`)", ""];

describe("renderMergeComment: one renderer for the Action and the bot", () => {
  it("the Action names the restore pull requests it holds open, one per dimension", () => {
    const prs = new Map([["dim_account", 20], ["dim_user", 23], ["dim_product", 22]]);
    expect(renderMergeComment(newly, { by: "action", restorePrs: prs })).toBe([...LIST, "dbt-unskip opened restore pull requests for them: #20 (`dim_account`), #23 (`dim_user`)."].join("\n"));
  });

  it("the Action without a pull request for every dimension (a restore failed) says it is opening them", () => {
    expect(renderMergeComment(newly, { by: "action", restorePrs: new Map([["dim_user", 23]]) }).split("\n").at(-1)).toBe("dbt-unskip is opening restore pull requests for them.");
  });

  it("the bot says how to ask for them; only a plain name goes into the example command", () => {
    expect(renderMergeComment(newly, { by: "bot" })).toBe(
      [...LIST, "Tick the dimension's box in the dbt-unskip dashboard issue, or comment `/unskip restore <dimension>` (for example `/unskip restore dim_account`), to open its restore pull request."].join("\n"),
    );
    expect(renderMergeComment([model("x", "a`b")], { by: "bot" })).not.toContain("for example");
  });

  it("a merge that readies thousands of models still fits GitHub's body limit, marker first (RELIABILITY 14)", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => model(`a_model_with_a_rather_long_name_number_${i}`, "dim_user"));
    for (const followUp of [{ by: "action" as const }, { by: "bot" as const }]) {
      const body = renderMergeComment(many, followUp);
      expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
      expect(body.startsWith(`${MERGE_MARKER}\nThis merge made **5000** paused models ready:`)).toBe(true);
      expect(body).toContain("`dbt-unskip status` lists every ready model");
    }
  });
});
