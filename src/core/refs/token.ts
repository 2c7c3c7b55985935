/** A token of a Jinja (or Python) expression. Offsets point into the text that was lexed. */
export interface Token {
  type: "name" | "string" | "number" | "op" | "eof";
  /** Names and operators as written, numbers as written, strings with quotes and escapes decoded. */
  value: string;
  start: number;
  end: number;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };

/** Decodes the backslash escapes a Python/Jinja string literal may hold; unknown ones stay as written. */
export function decodeEscapes(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\([\s\S])/g, (whole, c: string) => ESCAPES[c] ?? whole);
}

// Character tests by code point: the lexers call these once per character of every block.
export function isNameStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

export function isNamePart(c: string | undefined): boolean {
  return isNameStart(c) || isDigit(c);
}

export function isDigit(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57;
}

const NUMBER = /\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/y;
const TWO_CHAR_OPS = new Set(["**", "//", "==", "!=", "<=", ">="]);
const TWO_CHAR_START = new Set(["*", "/", "=", "!", "<", ">"]);

/** Reads a number at `at`; returns its end offset. */
export function readNumber(text: string, at: number): number {
  NUMBER.lastIndex = at;
  return NUMBER.exec(text) === null ? at + 1 : NUMBER.lastIndex;
}

/** Reads an operator at `at` (two-character ones first); any other character becomes a one-character op. */
export function readOperator(text: string, at: number): string {
  const c = text[at] ?? "";
  const next = text[at + 1];
  if (next === undefined || !TWO_CHAR_START.has(c)) return c;
  const two = c + next;
  return TWO_CHAR_OPS.has(two) ? two : c;
}
