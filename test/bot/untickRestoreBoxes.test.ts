import { describe, expect, it } from "vitest";
import { untickRestoreBoxes } from "../../src/bot/untickRestoreBoxes.js";
import { tickedRestoreBoxes } from "../../src/core/render/renderDashboard.js";

describe("untickRestoreBoxes", () => {
  it("clears exactly the named dimensions' boxes, so tickedRestoreBoxes sees none of them", () => {
    const body = [
      "- [x] Restore `a` (1 ready) <!-- dbt-unskip:restore:dim_a -->",
      "  `m`",
      "* [X] Restore `b` <!-- dbt-unskip:restore:dim_b -->",
      "- [x] Restore PR #3 is open for `c`",
      "- [x] a person's own list item",
    ].join("\n");
    const cleared = untickRestoreBoxes(body, ["dim_a", "dim_b"]);
    expect(tickedRestoreBoxes(cleared)).toEqual([]);
    expect(cleared).toBe(body.replace("- [x] Restore `a`", "- [ ] Restore `a`").replace("* [X] Restore `b`", "* [ ] Restore `b`"));
    expect(tickedRestoreBoxes(untickRestoreBoxes(body, ["dim_a"]))).toEqual(["dim_b"]);
  });
});
