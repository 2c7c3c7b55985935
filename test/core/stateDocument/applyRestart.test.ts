import { readFileSync } from "node:fs";
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { applyRestart, parseStateDocument, type RestartUpdate } from "../../../src/core/stateDocument/index.js";
import { stateDocumentArbitrary } from "./stateDocumentArbitrary.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/state-documents/${name}`, import.meta.url), "utf8");

const PARTIAL: RestartUpdate = {
  date: "2025-11-02",
  resumed: ["d_user.sql"],
  stillPaused: [{ file: "f_logins.sql", missing: ["mas_sessions", "raw.login_events"] }],
  nextAction: "Wait for dim_session and the raw.login_events source",
};

const COMPLETE: RestartUpdate = {
  date: "2025-11-09",
  resumed: ["f_logins.sql"],
  stillPaused: [],
  nextAction: "Complete migration",
};

function textOf(result: ReturnType<typeof applyRestart>): string {
  if ("error" in result) throw new Error(result.error);
  return result.text;
}

const SECOND_LOG = `
---

## 🔄 Restart Log (2)

**Restart Date**: 2025-11-09
**Models Resumed**: 1 model
**Models Still Paused**: 0 models

### Resumed Models:
- \`f_logins.sql\` (was .skip)

### Still Paused:
- none

**Next Action**: Complete migration
`;

describe("applyRestart", () => {
  const before = fixture("DIM_USER_MIGRATION_STATE.before.md");
  const after = fixture("DIM_USER_MIGRATION_STATE.after.md");

  it("sets the status to RESUMED and appends a Restart Log, exactly", () => {
    expect(textOf(applyRestart(before, PARTIAL))).toBe(after);
  });

  it("appends a second log on a second restart and keeps the first byte for byte", () => {
    const twice = textOf(applyRestart(after, COMPLETE));
    expect(twice).toBe(after.replace("**Status**: RESUMED", "**Status**: COMPLETE") + SECOND_LOG);
    const doc = parseStateDocument(twice);
    expect(doc.status?.value).toBe("COMPLETE");
    expect(doc.restartLogs.map((log) => [log.heading, log.date])).toEqual([
      ["🔄 Restart Log", "2025-11-02"],
      ["🔄 Restart Log (2)", "2025-11-09"],
    ]);
  });

  it("still reads the paused models the same way afterwards", () => {
    const result = textOf(applyRestart(before, PARTIAL));
    expect(parseStateDocument(result).pausedModels).toEqual(parseStateDocument(before).pausedModels);
  });

  it("writes CRLF into a CRLF document and keeps its BOM", () => {
    const crlf = `\uFEFF${before.replaceAll("\n", "\r\n")}`;
    const expected = `\uFEFF${after.replaceAll("\n", "\r\n")}`;
    expect(textOf(applyRestart(crlf, PARTIAL))).toBe(expected);
  });

  it.each([
    ["- **Status:** **PAUSED**  ", "- **Status:** **RESUMED**  "],
    ["- **Status:** **PAUSED** - waiting  ", "- **Status:** RESUMED  "],
    ["> Status: ⏸️ PAUSED", "> Status: RESUMED"],
  ])("keeps the status line's own formatting: %s", (line, expected) => {
    const text = `# dim_a Migration State\n${line}\n## Paused Models\n`;
    const result = textOf(applyRestart(text, PARTIAL));
    expect(result.split("\n")[1]).toBe(expected);
  });

  it("ends the last line first when the document has no final newline", () => {
    const text = "Status: PAUSED\n## Paused Models\n- a.sql.skip";
    const result = textOf(applyRestart(text, COMPLETE));
    expect(result.startsWith("Status: COMPLETE\n## Paused Models\n- a.sql.skip\n\n---\n\n## 🔄 Restart Log\n")).toBe(true);
  });

  it("closes a code block left open at the end, so the log renders", () => {
    const text = "Status: PAUSED\n## Paused Models\n````sh\nmv a b\n";
    const result = textOf(applyRestart(text, COMPLETE));
    expect(result.startsWith("Status: COMPLETE\n## Paused Models\n````sh\nmv a b\n````\n\n---\n")).toBe(true);
    expect(parseStateDocument(result).restartLogs).toHaveLength(1);
  });

  it("writes names that cannot break the Markdown", () => {
    const result = textOf(
      applyRestart("Status: PAUSED\n", {
        date: "2025-11-02",
        resumed: ["a`b.sql"],
        stillPaused: [{ file: "[x](http://e.test).sql.skip", missing: ["<img>", "@org/team", "line\nbreak"] }],
        nextAction: "Wait\n## not a heading",
      }),
    );
    expect(result).toContain("- ``a`b.sql`` (was .skip)\n");
    expect(result).toContain("- `[x](http://e.test).sql.skip` (missing: `<img>`, `@org/team`, `line break`)\n");
    expect(result).toContain("**Next Action**: Wait ## not a heading\n");
  });

  it.each([
    ["empty text", ""],
    ["a README", "# My project\n\nSome text.\n"],
    ["a paused section without a status line", "# dim_a Migration State\n## Paused Models\n### a.sql\n"],
  ])("refuses %s with a clear error", (_label, text) => {
    const result = applyRestart(text, PARTIAL);
    expect(result).toEqual({ error: expect.stringMatching(/state document|status line/) });
  });

  it.each([
    ["a date that is not YYYY-MM-DD", { ...PARTIAL, date: "2 Nov 2025" }, /YYYY-MM-DD/],
    ["nothing resumed", { ...PARTIAL, resumed: [] }, /nothing was resumed/],
    ["an empty file name", { ...PARTIAL, resumed: [" "] }, /empty/],
    ["an empty next action", { ...PARTIAL, nextAction: "\n" }, /next action/],
  ])("refuses %s", (_label, restart, message) => {
    const result = applyRestart(before, restart);
    expect("error" in result && result.error).toMatch(message);
  });

  it("changes only the status value and appends, on generated documents", () => {
    fc.assert(
      fc.property(stateDocumentArbitrary, fc.boolean(), (generated, complete) => {
        const restart = complete ? COMPLETE : PARTIAL;
        const result = textOf(applyRestart(generated.text, restart));
        const doc = parseStateDocument(generated.text);
        const status = doc.status!;
        const value = complete ? "COMPLETE" : "RESUMED";
        // Locate the status value in the original text (BOM and earlier lines included).
        const lineStart = generated.text
          .split(generated.eol)
          .slice(0, status.line - 1)
          .join(generated.eol).length;
        const offset = (status.line === 1 ? 0 : lineStart + generated.eol.length) + status.start;
        const expectedPrefix = generated.text.slice(0, offset) + value + generated.text.slice(offset + status.value.length);
        expect(result.startsWith(expectedPrefix)).toBe(true);
        const appended = result.slice(expectedPrefix.length);
        // Generated documents end with a blank line, so the rule follows at once.
        expect(appended.startsWith(`---${generated.eol}${generated.eol}## 🔄 Restart Log${generated.eol}`)).toBe(true);
        if (generated.eol === "\r\n") expect(appended.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
        const reread = parseStateDocument(result);
        expect(reread.status?.value).toBe(value);
        expect(reread.pausedModels).toEqual(doc.pausedModels);
        expect(reread.restartLogs).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws on arbitrary text, and edits only when it can", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const result = applyRestart(text, PARTIAL);
        if ("text" in result) expect(parseStateDocument(result.text).restartLogs.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
