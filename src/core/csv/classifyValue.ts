/**
 * What one non-null CSV value looks like. Only spellings that DuckDB, Postgres and Snowflake all
 * cast the same way count as typed: a leading `+` (phone numbers), thousands separators, `5.`,
 * `NaN` or padded values stay text, so loading never changes a value.
 */
export type ValueShape =
  | "int"
  /** Digits with a leading zero (`007`, ZIP codes): as a number the zeros would be lost. */
  | "int-leading-zero"
  | "decimal"
  | "decimal-leading-zero"
  /** Scientific notation (`1.5e3`). */
  | "float"
  | "boolean"
  | "date-iso"
  /** `a/b/yyyy`: day and month order is decided per column. */
  | "date-slash"
  | "timestamp"
  | "timestamptz"
  | "text";

/** Details of the last classified value; one object is reused for every value. */
export interface ValueInfo {
  /** Significant digits before the point (`0.5` has none). */
  intDigits: number;
  /** Digits after the point. */
  scale: number;
  /** Integers: 0 fits smallint, 1 integer, 2 bigint, 3 wider than bigint. */
  intSize: number;
  /** `date-slash`: the two leading numbers and the year. */
  first: number;
  second: number;
  year: number;
}

export function newValueInfo(): ValueInfo {
  return { intDigits: 0, scale: 0, intSize: 0, first: 0, second: 0, year: 0 };
}

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const DOT = 0x2e;

const isDigit = (c: number) => c >= ZERO && c <= NINE;

export function classifyValue(text: string, info: ValueInfo): ValueShape {
  const n = text.length;
  if (n === 0) return "text";
  const c0 = text.charCodeAt(0);
  if (isDigit(c0) || c0 === MINUS || c0 === DOT) {
    if (n >= 10 && text.charCodeAt(4) === MINUS) return dateOrTimestamp(text);
    const number = numberShape(text, info);
    if (number !== "text") return number;
    return slashDate(text, info) ? "date-slash" : "text";
  }
  if (n <= 5) {
    switch (text.toLowerCase()) {
      case "true":
      case "false":
      case "t":
      case "f":
      case "yes":
      case "no":
        return "boolean";
    }
  }
  return "text";
}

function numberShape(text: string, info: ValueInfo): ValueShape {
  const n = text.length;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intLength = i - intStart;
  let scale = 0;
  let hasPoint = false;
  if (i < n && text.charCodeAt(i) === DOT) {
    hasPoint = true;
    const from = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    scale = i - from;
    if (scale === 0) return "text"; // `5.`
  }
  let exponent = false;
  if (i < n && (text.charCodeAt(i) | 0x20) === 0x65 /* e */) {
    exponent = true;
    i++;
    if (i < n && (text.charCodeAt(i) === MINUS || text.charCodeAt(i) === 0x2b)) i++;
    const from = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === from) return "text";
  }
  if (i !== n || intLength + scale === 0) return "text";
  const leadingZero = intLength > 1 && text.charCodeAt(intStart) === ZERO;
  if (exponent) return leadingZero || intLength === 0 ? "text" : "float";
  info.scale = scale;
  info.intDigits = intLength === 1 && text.charCodeAt(intStart) === ZERO ? 0 : intLength;
  if (hasPoint) return leadingZero ? "decimal-leading-zero" : "decimal";
  if (leadingZero) return "int-leading-zero";
  info.intDigits = intLength;
  info.intSize = intSize(text, intLength);
  return "int";
}

function intSize(text: string, digits: number): number {
  if (digits <= 4) return 0;
  const negative = text.charCodeAt(0) === MINUS;
  if (digits <= 15) {
    const v = Number(text);
    if (v >= -32768 && v <= 32767) return 0;
    if (v >= -2147483648 && v <= 2147483647) return 1;
    return 2;
  }
  if (digits > 19) return 3;
  const v = BigInt(text);
  return v <= 9223372036854775807n && (!negative || v >= -9223372036854775808n) ? 2 : 3;
}

function digitsAt(text: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - ZERO);
  }
  return v;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isoDate(text: string): boolean {
  if (text.charCodeAt(7) !== MINUS) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD`, or that followed by ` ` or `T`, `HH:MM[:SS[.ffffff]]` and an optional zone. */
function dateOrTimestamp(text: string): ValueShape {
  if (!isoDate(text)) return "text";
  const n = text.length;
  if (n === 10) return "date-iso";
  const sep = text.charCodeAt(10);
  if ((sep !== 0x20 && sep !== 0x54) /* T */ || n < 16) return "text";
  const hour = digitsAt(text, 11, 2);
  const minute = text.charCodeAt(13) === 0x3a ? digitsAt(text, 14, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return "text";
  let i = 16;
  if (i < n && text.charCodeAt(i) === 0x3a) {
    const second = digitsAt(text, i + 1, 2);
    if (i + 3 > n || second < 0 || second > 59) return "text";
    i += 3;
    if (i < n && text.charCodeAt(i) === DOT) {
      const from = ++i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (i === from || i - from > 6) return "text";
    }
  }
  if (i === n) return "timestamp";
  const z = text.charCodeAt(i);
  if (z === 0x5a /* Z */ && i + 1 === n) return "timestamptz";
  if (z !== 0x2b && z !== MINUS) return "text";
  // ±HH, ±HHMM or ±HH:MM
  const rest = n - i - 1;
  const offsetHour = digitsAt(text, i + 1, 2);
  if (offsetHour < 0 || offsetHour > 14) return "text";
  if (rest === 2) return "timestamptz";
  const colon = text.charCodeAt(i + 3) === 0x3a ? 1 : 0;
  if (rest !== 4 + colon) return "text";
  const offsetMinute = digitsAt(text, i + 3 + colon, 2);
  return offsetMinute >= 0 && offsetMinute <= 59 ? "timestamptz" : "text";
}

/** `d/m/yyyy` or `m/d/yyyy` with one- or two-digit parts; which one is decided per column. */
function slashDate(text: string, info: ValueInfo): boolean {
  const s1 = text.indexOf("/");
  if (s1 < 1 || s1 > 2) return false;
  const s2 = text.indexOf("/", s1 + 1);
  if (s2 - s1 < 2 || s2 - s1 > 3 || text.length - s2 - 1 !== 4) return false;
  const first = digitsAt(text, 0, s1);
  const second = digitsAt(text, s1 + 1, s2 - s1 - 1);
  const year = digitsAt(text, s2 + 1, 4);
  if (first < 1 || second < 1 || year < 1) return false;
  info.first = first;
  info.second = second;
  info.year = year;
  return true;
}
