import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MARKS, MISSING_MARKS, PRESENT_MARKS } from "../../../src/core/stateDocument/dependencyItem.js";
import { FIELD, matchField } from "../../../src/core/stateDocument/fieldLine.js";
import { EMOJI, MAY_OPEN_BLOCK, MAYBE_EMOJI, normalizeLabel, opensHtmlComment, readFence, readHeading, stripEmoji } from "../../../src/core/stateDocument/markdownLine.js";
import { splitSourceText } from "../../../src/core/stateDocument/sourceText.js";
import type { SourceText } from "../../../src/core/stateDocument/types.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";

// The reader skips its Unicode patterns on text without a character at or above U+00A9, and skips
// a step when the text lacks what that step removes. Each shortcut must give what the full way
// gives: these tests compare them with the full way on the characters that matter and at random.

// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class matches one code point at a time on purpose (emoji, ZWJ and variation selectors are each taken separately), not a combined character
const FIELD_EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/u;

// Pieces of state-document lines, so random text often forms (and breaks) fields and labels.
const piece = fc.constantFrom(
  " ",
  "\t",
  "  ",
  "> ",
  "- ",
  "* ",
  "+ ",
  "1. ",
  "**",
  "__",
  "*",
  "_",
  "`",
  ":",
  " :",
  ": ",
  "Status",
  "status",
  "Missing Dependencies",
  "Has",
  "Location",
  "Migration ID",
  "x",
  "a-b",
  "A9",
  "abcdefghij",
  "(2/3)",
  "( 1 )",
  "(",
  ")",
  "#1 ",
  "12)",
  "✅",
  "❌",
  "⏸️",
  "\u200D",
  "\uFE0F",
  "\u20E3",
  "→",
  "©",
  "®",
  "\u00A8",
  "\u00AA",
  "é",
  "😀",
  "👍🏽",
  "\uD83D",
  "\uDE00",
  "\u2049",
  "\u2122",
  "\uFFFD",
  "\u0085",
  "\u00A0",
  "\u2028",
  "\r",
  "\n",
);
const line = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
);

function referenceNormalizeLabel(text: string): string {
  const words = text
    .replace(EMOJI, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/\(\s*\d[^()]{0,40}\)/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(?:\d{1,9}[.)]|#\d{1,9})\s*/, "");
  let end = words.length;
  while (end > 0 && " :.-".includes(words.charAt(end - 1))) end--;
  return words.slice(0, end).toLowerCase();
}

/** The character-by-character split, which handles `\r` as well as `\n`. */
function referenceSplit(text: string): SourceText {
  const bom = text.startsWith("\uFEFF");
  const body = bom ? text.slice(1) : text;
  const lines: SourceText["lines"] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) continue;
    const crlf = c === 0x0d && body.charCodeAt(i + 1) === 0x0a;
    lines.push({ text: body.slice(start, i), eol: crlf ? "\r\n" : c === 0x0d ? "\r" : "\n" });
    if (crlf) i++;
    start = i + 1;
  }
  if (start < body.length) lines.push({ text: body.slice(start), eol: "" });
  return { bom, lines };
}

describe("state document reader shortcuts", () => {
  it("no character below U+00A9 is an emoji, a mark, or in FIELD's emoji class", () => {
    for (let c = 0; c < 0xa9; c++) {
      const ch = String.fromCharCode(c);
      expect(MAYBE_EMOJI.test(ch)).toBe(false);
      expect(new RegExp(EMOJI.source, "u").test(ch)).toBe(false);
      expect(new RegExp(MARKS.source, "u").test(ch)).toBe(false);
      expect(FIELD_EMOJI.test(ch)).toBe(false);
    }
    expect(MAYBE_EMOJI.test("\u00A9")).toBe(true);
    for (const mark of [...MISSING_MARKS, ...PRESENT_MARKS]) expect(MAYBE_EMOJI.test(mark)).toBe(true);
  });

  it("stripEmoji, matchField and normalizeLabel agree with the full patterns", () => {
    fc.assert(
      fc.property(line, (text) => {
        expect(stripEmoji(text)).toBe(text.replace(EMOJI, ""));
        expect(matchField(text)?.slice() ?? null).toEqual(FIELD.exec(text)?.slice() ?? null);
        expect(normalizeLabel(text)).toBe(referenceNormalizeLabel(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("fields are still read, with and without emoji", () => {
    for (const text of ["**Status**: PAUSED", "> - ✅ **Status**: x", "Status: x", "- 👍 __Location__: `a`", "**Key:** v", "*a*: b"]) {
      expect(matchField(text)).not.toBeNull();
      expect(matchField(text)?.slice()).toEqual(FIELD.exec(text)?.slice());
    }
    // Keys up to the bound and past it, with and without the emoji group's characters.
    for (let n = 1; n <= 45; n++) {
      for (const text of [`${"k".repeat(n)}: v`, `**${"k ".repeat(n)}**: v`, `- ✅ ${"k_".repeat(n)}: v`]) {
        expect(matchField(text)?.slice() ?? null).toEqual(FIELD.exec(text)?.slice() ?? null);
      }
    }
  });

  it("every line that opens a fence, a comment or a heading passes the cheap test first", () => {
    const start = fc.array(fc.constantFrom(" ", "  ", "\t", "\u00a0", "`", "```", "~~~", "<!--", "<", "#", "## ", "####### ", "-->", "x", "- "), { maxLength: 6 });
    let opening = 0;
    assertSeededThenFresh(
      fc.property(
        fc.oneof(
          start.map((parts) => parts.join("")),
          line,
        ),
        (text) => {
          const opens = readFence(text) !== null || opensHtmlComment(text) || readHeading(text) !== null;
          if (opens) opening++;
          if (opens) expect(MAY_OPEN_BLOCK.test(text)).toBe(true);
        },
      ),
      { numRuns: 5000, seed: 20261207 },
      () => expect(opening).toBeGreaterThan(250),
    );
    for (const text of ["   # h", "    # h", "      ```", "   <!-- c", "\t# h", "~~~", "#"]) {
      if (readFence(text) !== null || opensHtmlComment(text) || readHeading(text) !== null) expect(MAY_OPEN_BLOCK.test(text)).toBe(true);
    }
  });

  it("splitting lines finds what the character-by-character split finds", () => {
    const text = fc.array(fc.constantFrom("a", "é", "\n", "\r", "\r\n", "\uFEFF", " ", "😀"), { maxLength: 30 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary", maxLength: 60 })), (t) => {
        expect(splitSourceText(t)).toEqual(referenceSplit(t));
      }),
      { numRuns: 3000 },
    );
    for (const t of ["", "\n", "a", "a\n", "\n\n", "\uFEFF", "\uFEFFa\nb", "a\nb\n\nc"]) expect(splitSourceText(t)).toEqual(referenceSplit(t));
  });
});
