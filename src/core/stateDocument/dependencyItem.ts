import { MAYBE_EMOJI, stripEmoji } from "./markdownLine.js";
import type { MissingDependency } from "./types.js";

export interface DependencyItem extends MissingDependency {
  /** What a ✅/❌ (or `[x]`/`[ ]`) marker says, else null: the surrounding label decides. */
  marked: "missing" | "present" | null;
}

export const MISSING_MARKS = ["❌", "✗", "✘", "⛔", "🚫", "🔴", "❎"];
export const PRESENT_MARKS = ["✅", "✓", "✔", "☑", "🟢"];
export const MARKS = /[❌✗✘⛔🚫🔴❎✅✓✔☑🟢]/gu;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.$-]*$/;
const NOT_A_NAME = new Set(["none", "n/a", "na", "nothing", "tbd"]);

/** Words a person writes for "no dependency" (`- None`): the lenient reader never reads them as names. */
export function isNotAName(text: string): boolean {
  return NOT_A_NAME.has(text.toLowerCase());
}
// `(from dim_contract)`, `- from dim_contract`, `provided by dim_contract`.
const EXPECTED_FROM = /\b(?:from|provided by|owned by|comes from)[ \t]+[`'"*]*([A-Za-z0-9_][A-Za-z0-9_.-]{0,200})/i;
const SOURCE_CALL = /^source\(\s*['"]([^'"]{1,200})['"]\s*,\s*['"]([^'"]{1,200})['"]\s*\)/;
const REF_CALL = /^ref\(\s*(?:['"][^'"]{1,200}['"]\s*,\s*)?['"]([^'"]{1,200})['"][^)]{0,200}\)/;
const SOURCE_NOTE = /^\s*[(\-–—:,]\s*source\b/i;
// Long list items are cut before pattern work; nothing after this point names a dependency.
const MAX_ITEM = 2000;

/**
 * Reads one dependency list item (marker already removed): `❌ **mas_contracts** (from dim_contract)`,
 * `mas_contracts - from dim_contract`, `✅ stg_users`, `source: raw.accounts`,
 * `source('raw', 'accounts')`, `` `ref('m')` ``.
 */
export function parseDependencyItem(content: string): DependencyItem | null {
  const text = content.slice(0, MAX_ITEM);
  const marked = markOf(text);
  let rest = stripEmoji(MAYBE_EMOJI.test(text) ? text.replace(MARKS, "") : text);
  // Each step only when the text has what it removes.
  if (rest.startsWith("[")) rest = rest.replace(/^\[[ xX]\]\s*/, "");
  if (rest.includes("**")) rest = rest.replace(/\*\*/g, "");
  rest = rest.trim();
  let kind: MissingDependency["kind"] = "ref";
  let name: string | null = null;

  const unquoted = rest.startsWith("`") ? rest.replace(/^`+/, "") : rest;
  const sourceCall = unquoted.startsWith("source(") ? SOURCE_CALL.exec(unquoted) : null;
  const refCall = unquoted.startsWith("ref(") ? REF_CALL.exec(unquoted) : null;
  if (sourceCall) {
    kind = "source";
    name = `${sourceCall[1]}.${sourceCall[2]}`;
    rest = unquoted.slice(sourceCall[0].length);
  } else if (refCall) {
    name = refCall[1] ?? null;
    rest = unquoted.slice(refCall[0].length);
  } else {
    const prefix = /^source\s*[:=]\s*/i.exec(rest);
    if (prefix) {
      kind = "source";
      rest = rest.slice(prefix[0].length);
    }
    const token = readToken(rest);
    if (token === null) return null;
    name = token.name;
    rest = rest.slice(token.length);
  }
  if (name === null || !NAME.test(name) || NOT_A_NAME.has(name.toLowerCase())) return null;
  const expectedFrom = rest === "" ? null : (EXPECTED_FROM.exec(rest)?.[1]?.replace(/[.,;:]+$/, "") ?? null);
  // `bronze.addresses (source, from dim_user)`: the note after the name says what kind it is.
  if (kind === "ref" && SOURCE_NOTE.test(rest) && name.includes(".")) kind = "source";
  return { name, kind, expectedFrom, marked };
}

function markOf(text: string): DependencyItem["marked"] {
  if (/^\[[xX]\]/.test(text)) return "present";
  if (/^\[ \]/.test(text)) return "missing";
  if (!MAYBE_EMOJI.test(text)) return null; // every mark is above U+2600
  let first: DependencyItem["marked"] = null;
  let firstAt = Infinity;
  for (const [marks, kind] of [
    [MISSING_MARKS, "missing"],
    [PRESENT_MARKS, "present"],
  ] as const) {
    for (const mark of marks) {
      const at = text.indexOf(mark);
      if (at >= 0 && at < firstAt) {
        firstAt = at;
        first = kind;
      }
    }
  }
  return first;
}

/** A name in backticks or quotes, or the first word, without trailing punctuation. */
function readToken(text: string): { name: string; length: number } | null {
  const quote = text.charAt(0);
  if (quote === "`" || quote === "'" || quote === '"') {
    const close = text.indexOf(quote, 1);
    if (close < 0) return null;
    return { name: text.slice(1, close).trim(), length: close + 1 };
  }
  const word = /^[^\s(),;]+/.exec(text)?.[0];
  if (word === undefined) return null;
  let end = word.length;
  while (end > 0 && ":.,".includes(word.charAt(end - 1))) end--;
  return { name: word.slice(0, end), length: word.length };
}
