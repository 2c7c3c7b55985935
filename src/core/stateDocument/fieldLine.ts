// `Key: value` lines in their many hand-written spellings.

import { MAYBE_EMOJI } from "./markdownLine.js";

export interface FieldLine {
  /** Lower case, single spaces: `status`, `migration id`, `location`. */
  key: string;
  /** The value without surrounding emphasis or code markers; may be empty (a label line). */
  value: string;
  /** UTF-16 offsets of `value` in the line. */
  start: number;
  end: number;
}

// Optional blockquote, list marker and emoji, then `**Key**:`, `**Key:**`, `__Key__:`, `*Key*:` or
// `Key:`. The key is short and bounded, so matching stays linear on long lines.
export const FIELD =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: the class matches one code point at a time on purpose (emoji, ZWJ and variation selectors are each taken separately), not a combined character
  /^[ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+)?(?:[\p{Extended_Pictographic}\u{FE0F}\u{200D}]+[ \t]*)?(\*\*|__|\*|_)?([A-Za-z][A-Za-z0-9 _-]{0,40}?)[ \t]{0,3}(?:\1:|:\1)[ \t]*/u;
// FIELD without the emoji group, for lines with no character at or above U+00A9 (where that group
// cannot match and the `u` flag changes nothing): the same match, without compiling the Unicode
// property class. `test/core/stateDocument/fastPaths.test.ts` holds the two to the same answers.
const PLAIN_FIELD = /^[ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+)?(\*\*|__|\*|_)?([A-Za-z][A-Za-z0-9 _-]{0,40}?)[ \t]{0,3}(?:\1:|:\1)[ \t]*/;

const WRAPPERS = ["**", "__", "`", "*", "_"];

/** `FIELD.exec(line)`, by a cheaper way when the line allows. */
export function matchField(line: string): RegExpExecArray | null {
  // Every field has a colon; most lines (list items, prose) have none.
  if (!line.includes(":")) return null;
  return (MAYBE_EMOJI.test(line) ? FIELD : PLAIN_FIELD).exec(line);
}

export function parseFieldLine(line: string): FieldLine | null {
  const match = matchField(line);
  if (match === null) return null;
  const key = (match[2] ?? "")
    .replace(/[\s_-]+/g, " ")
    .trim()
    .toLowerCase();
  let start = match[0].length;
  let end = start + line.slice(start).trimEnd().length;
  // A value may itself be wrapped (`**Status**: **PAUSED**`); report and replace the inside only,
  // so an edit keeps the author's emphasis.
  for (const wrap of WRAPPERS) {
    if (end - start > 2 * wrap.length && line.startsWith(wrap, start) && line.endsWith(wrap, end)) {
      const inner = line.slice(start + wrap.length, end - wrap.length);
      if (!inner.includes(wrap) && inner.trim() === inner) {
        start += wrap.length;
        end -= wrap.length;
      }
      break;
    }
  }
  return { key, value: line.slice(start, end), start, end };
}
