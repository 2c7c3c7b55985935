/** A token of a Jinja (or Python) expression. Offsets point into the text that was lexed. */
export interface Token {
  type: "name" | "string" | "number" | "op" | "eof";
  /** Names and operators as written, numbers as Python prints them, strings with quotes and escapes decoded. */
  value: string;
  start: number;
  end: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};
const ESCAPE = /\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))/g;

/**
 * Decodes the backslash escapes of a Jinja/Python string literal as Jinja does (Python's
 * `unicode-escape`): `\n \t \r \\ \' \" \a \b \f \v`, octal `\o` to `\ooo`, `\xhh`, `\uXXXX`,
 * `\UXXXXXXXX`, and a backslash before a newline joins the lines. Unknown escapes stay as written.
 * (`\N{name}` needs Unicode's name table: it stays as written too.)
 */
export function decodeEscapes(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(ESCAPE, (whole, octal?: string, hex?: string, u4?: string, u8?: string, c?: string) => {
    const code = octal !== undefined ? parseInt(octal, 8) : hex !== undefined ? parseInt(hex, 16) : u4 !== undefined ? parseInt(u4, 16) : u8 !== undefined ? parseInt(u8, 16) : -1;
    if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return SIMPLE_ESCAPES[c as string] ?? whole;
  });
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

const TWO_CHAR_OPS = new Set(["**", "//", "==", "!=", "<=", ">="]);
const TWO_CHAR_START = new Set(["*", "/", "=", "!", "<", ">"]);

// Jinja's number literals (its lexer's float_re and integer_re, case-insensitive): floats first.
const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INTEGER = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9A-Fa-f])+|[1-9](?:_?\d)*|0(?:_?0)*/y;

/** Reads a number at `at`; returns its end offset. */
export function readNumber(text: string, at: number): number {
  return scanNumber(text, at).end;
}

/**
 * The number literal at `at`: where it ends and its value as Python prints it (`0xff` → `255`,
 * `1_000` → `1000`, `1e3` → `1000.0`), which is what `~` and `string` make of it in Jinja.
 */
export function scanNumber(text: string, at: number): { end: number; text: string } {
  FLOAT.lastIndex = at;
  const float = FLOAT.exec(text);
  if (float !== null) return { end: FLOAT.lastIndex, text: pythonFloatText(Number(float[0].replace(/_/g, ""))) };
  INTEGER.lastIndex = at;
  const int = INTEGER.exec(text);
  if (int === null) return { end: at + 1, text: text[at] ?? "" };
  const digits = int[0].replace(/_/g, "");
  // Decimal digits are already Python's text; a huge hex/octal/binary literal (never real code)
  // is not converted, so that lexing stays linear.
  const isDecimal = !/^0[bBoOxX]/.test(digits);
  return { end: INTEGER.lastIndex, text: isDecimal ? digits.replace(/^0+(?=\d)/, "") : digits.length > 300 ? digits : BigInt(digits).toString() };
}

/** Python's `repr` of a float: shortest digits, `.0` on whole numbers, exponent from 1e16 and below 1e-4. */
export function pythonFloatText(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e >= 16 || e < -4) return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const plain = String(x);
  return plain.includes(".") ? plain : `${plain}.0`;
}

/** Reads an operator at `at` (two-character ones first); any other character becomes a one-character op. */
export function readOperator(text: string, at: number): string {
  const c = text[at] ?? "";
  const next = text[at + 1];
  if (next === undefined || !TWO_CHAR_START.has(c)) return c;
  const two = c + next;
  return TWO_CHAR_OPS.has(two) ? two : c;
}
