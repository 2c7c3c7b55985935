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
    expect("problems" in result && result.problems).toEqual([{ kind: "invalid-config", file: ".github/dbt-unskip.yml", line: 1, message: "`project-dir`: expected string or array" }]);
  });
});

// Issue #15 item 13, first half (RELIABILITY 38): a CSV whose rows end with both LF and CRLF was
// accepted, and neither generated load could read it (DuckDB's sniffer and `dbt seed` both fail).
// It is now refused, naming the first line that ends differently. (The load's atomicity is not done.)
describe("mixed line endings", () => {
  it("are refused with the first line that ends differently named", () => {
    expect(() => profileCsvText("id,name\r\n1,a\r\n2,b\n3,c\r\n")).toThrow(
      expect.objectContaining({ line: 3, message: expect.stringMatching(/mixed line endings: lines end with CRLF until line 3, which ends with LF/) }),
    );
    expect(() => profileCsvText("id,name\n1,a\r\n")).toThrow(/mixed line endings: lines end with LF until line 2, which ends with CRLF/);
  });

  it("one kind of ending, and line breaks inside quoted values, are fine", () => {
    expect(profileCsvText("id,name\r\n1,a\r\n2,b\r\n").lineEndings).toBe("crlf");
    expect(profileCsvText('id,name\n1,"a\r\nb"\n').lineEndings).toBe("lf");
  });
});
