import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config/parseConfig.js";
import { profileCsvText } from "../../src/core/csv/profileCsvText.js";

// Issue #15 item 14 (the parts on branch hostile-input), pure parts; the CLI's messages are in
// cliMessages.e2e.test.ts.
describe("generate's notes name the line a value is on", () => {
  it("after a quoted field that holds line breaks, not the row's first line", () => {
    // Header on line 1; the row starts on line 2; its comment spans lines 2-4; '007' is on line 4.
    const profile = profileCsvText('id,comment,code\n1,"first\nsecond\nthird",007\n2,plain,008\n');
    const code = profile.columns.find((c) => c.name === "code")!;
    expect(code.notes.join("\n")).toMatch(/'007' on line 4/);
  });
});

describe("`project-dir: 42`", () => {
  it("is one problem naming every type the key takes", () => {
    const result = parseConfig({ configFile: { path: ".github/dbt-unskip.yml", text: "project-dir: 42\n" } });
    expect("problems" in result && result.problems).toEqual([
      { kind: "invalid-config", file: ".github/dbt-unskip.yml", line: 1, message: "`project-dir`: expected string or array" },
    ]);
  });
});
