// Line-level Markdown recognisers. Each looks at one line with anchored, bounded patterns or plain
// scans, so a whole document is read in linear time whatever its contents.

export interface Heading {
  level: number;
  /** Text after the `#` run, trimmed, without an optional closing `#` run. */
  text: string;
}

/** An ATX heading (`## Title`), indented at most three spaces as CommonMark requires. */
export function readHeading(line: string): Heading | null {
  const indent = leadingSpaces(line);
  if (indent > 3) return null;
  let level = 0;
  while (line.charCodeAt(indent + level) === 0x23 && level < 7) level++;
  if (level === 0 || level > 6) return null;
  const after = line.charAt(indent + level);
  if (after !== "" && after !== " " && after !== "\t") return null;
  let text = line.slice(indent + level).trim();
  // A closing run of `#` counts only when preceded by a space (or when it is all there is).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x23) end--;
  if (end < text.length) {
    if (end === 0) text = "";
    else if (text[end - 1] === " " || text[end - 1] === "\t") text = text.slice(0, end).trimEnd();
  }
  return { level, text };
}

export interface Fence {
  char: "`" | "~";
  length: number;
}

/**
 * An opening code fence. Any indentation is accepted: fences sit inside list items in hand-written
 * runbooks, and missing one would read `# comment` lines in a shell snippet as headings.
 */
export function readFence(line: string): Fence | null {
  const indent = leadingSpaces(line);
  const c = line.charAt(indent);
  if (c !== "`" && c !== "~") return null;
  let length = 0;
  while (line.charAt(indent + length) === c) length++;
  if (length < 3) return null;
  if (c === "`" && line.includes("`", indent + length)) return null;
  return { char: c, length };
}

/**
 * What a line that `readFence`, `opensHtmlComment` or `readHeading` accepts starts with, after
 * spaces: a cheap test that spares most lines all three.
 */
export const MAY_OPEN_BLOCK = /^ *[`~<#]/;

export function closesFence(line: string, fence: Fence): boolean {
  const indent = leadingSpaces(line);
  let length = 0;
  while (line.charAt(indent + length) === fence.char) length++;
  return length >= fence.length && line.slice(indent + length).trim() === "";
}

/** A line that opens an HTML comment without closing it on the same line. */
export function opensHtmlComment(line: string): boolean {
  const indent = leadingSpaces(line);
  if (indent > 3 || !line.startsWith("<!--", indent)) return false;
  return !line.includes("-->", indent + 4);
}

export interface ListItem {
  /** Columns before the marker (a tab counts as four). */
  indent: number;
  /** The item's text after the marker (`-`, `*`, `+`, `1.`, `1)`), trimmed. */
  content: string;
}

export function readListItem(line: string): ListItem | null {
  let i = 0;
  let indent = 0;
  while (i < line.length && (line[i] === " " || line[i] === "\t")) {
    indent += line[i] === "\t" ? 4 : 1;
    i++;
  }
  const c = line.charAt(i);
  let markerEnd: number;
  if (c === "-" || c === "*" || c === "+") {
    markerEnd = i + 1;
  } else {
    let j = i;
    while (j < line.length && j - i < 9 && line.charCodeAt(j) >= 0x30 && line.charCodeAt(j) <= 0x39) j++;
    if (j === i || (line[j] !== "." && line[j] !== ")")) return null;
    markerEnd = j + 1;
  }
  const after = line.charAt(markerEnd);
  if (after !== "" && after !== " " && after !== "\t") return null;
  return { indent, content: line.slice(markerEnd).trim() };
}

// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class matches one code point at a time on purpose (emoji, ZWJ and variation selectors are each taken separately), not a combined character
export const EMOJI = /[\p{Extended_Pictographic}\u{FE0E}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu;
/**
 * A character at or above U+00A9 (©, the first Extended_Pictographic code point; every other
 * character EMOJI names is higher). Text without one has no emoji, and most lines are such text:
 * this plain pattern spares them the costly Unicode property class.
 */
export const MAYBE_EMOJI = /[^\u0000-\u00a8]/;

export function stripEmoji(text: string): string {
  return MAYBE_EMOJI.test(text) ? text.replace(EMOJI, "") : text;
}

/**
 * Reduces a heading or label to comparable words: no emoji, emphasis, code markers, leading
 * numbering, `(N/M)` counts or trailing colon; lower case, single spaces.
 */
export function normalizeLabel(text: string): string {
  // Each step runs only when the text has what it removes (most labels have none of it): the same
  // result without running every pattern on every line.
  let words = stripEmoji(text);
  if (words.includes("**") || words.includes("__") || words.includes("`")) words = words.replace(/\*\*|__|`/g, "");
  if (words.includes("(")) words = words.replace(/\(\s*\d[^()]{0,40}\)/g, " ");
  words = words.replace(/\s+/g, " ").trim();
  const first = words.charCodeAt(0);
  if (first === 0x23 || (first >= 0x30 && first <= 0x39)) words = words.replace(/^(?:\d{1,9}[.)]|#\d{1,9})\s*/, "");
  // Trailing punctuation is cut by a scan: an unanchored `[:.-]+$` is quadratic on long runs.
  let end = words.length;
  while (end > 0 && " :.-".includes(words.charAt(end - 1))) end--;
  return words.slice(0, end).toLowerCase();
}

/** The `N` of a `(N/M)` or `(N)` count in a heading, else null. */
export function headingCount(text: string): number | null {
  const match = /\(\s*(\d{1,6})\s*(?:\/\s*\d{1,6}\s*)?(?:[a-z ]{0,20})\)/i.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}
