import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neutraliseControlCharacters } from "../../../src/core/render/controlCharacters.js";

// The one control-character sanitiser. It replaced six with four different sets: the terminal plan
// (C0, DEL, C1), shell comments and SQL comments (C0, DEL, U+2028/9), generate's comments and report
// (C0, DEL, C1, U+2028/9), and problem file names (C0, DEL, NEL, U+2028/9, backslash). Every mode now
// covers the union.
const UNION = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), "\u007f", ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)), "\u2028", "\u2029"];
const LINE_BREAKS = /[\n\r\u0085\u2028\u2029]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function unescapeExact(text: string): string {
  return text.replace(/\\(n|r|t|\\|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, e: string) => (e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "\\" ? "\\" : String.fromCharCode(parseInt(e.slice(1), 16))));
}

describe("neutraliseControlCharacters", () => {
  it("mask: every character of the union becomes ?, one for one; the rest is untouched", () => {
    for (const c of UNION) expect(neutraliseControlCharacters(`a${c}b`, "mask")).toBe("a?b");
    // The terminal plan missed U+2028; shell and SQL comments missed the C1 controls (CSI U+009B, NEL U+0085).
    expect(neutraliseControlCharacters("x\u2028\u009b[31m\u0085y", "mask")).toBe("x??[31m?y");
    expect(neutraliseControlCharacters("orders_v2 → ü 'q' \\ `b` {{ x }}", "mask")).toBe("orders_v2 → ü 'q' \\ `b` {{ x }}");
  });

  it("escape: every character of the union becomes a visible escape; text without one stays as it is (a command can be copied)", () => {
    for (const c of UNION) expect(neutraliseControlCharacters(`a${c}b`, "escape")).not.toMatch(ANY_CONTROL);
    expect(neutraliseControlCharacters("id\n\r\t\u001b[2J\u009b\u2029", "escape")).toBe("id\\n\\r\\t\\x1b[2J\\x9b\\u2029");
    expect(neutraliseControlCharacters("cd '/tmp/a\\b'", "escape")).toBe("cd '/tmp/a\\b'");
  });

  it("escape-exact: as escape, with backslashes doubled, so the original reads back exactly", () => {
    expect(neutraliseControlCharacters("models/a\\nb\n.sql", "escape-exact")).toBe("models/a\\\\nb\\n.sql");
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...UNION, "\\", "n", "x", "u"), fc.string({ maxLength: 1 })) }), (name) => {
        const shown = neutraliseControlCharacters(name, "escape-exact");
        expect(shown).not.toMatch(LINE_BREAKS);
        expect(shown).not.toMatch(ANY_CONTROL);
        expect(unescapeExact(shown)).toBe(name);
      }),
    );
  });
});
