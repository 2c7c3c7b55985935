import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lexExpression } from "../../../src/core/refs/expressionLexer.js";
import { scanJinja } from "../../../src/core/refs/jinjaScanner.js";
import { toPlain, type Value } from "../../../src/core/refs/jinjaValue.js";
import { decodeEscapes, isDigit, isNamePart, isNameStart, readOperator, scanNumber, type Token } from "../../../src/core/refs/token.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";

// The lexer and the scanner's block-end search test characters by code unit (charCodeAt) rather
// than by one-character strings, and toPlain sets keys by assignment except `__proto__`: cheaper on
// every `{{ }}` of every model (BENCHMARKS.md, findings 20). The answers must be those of the
// string-based code they replaced, which is kept below as the reference and run beside them on
// random text, on every model of a generated real-shaped and simple project, and on every corpus
// model and macro.

/** The lexer as it was: characters as strings, classified by token.ts's helpers. */
function referenceLex(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < end && isNamePart(text[j])) j++;
      tokens.push({ type: "name", value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (isDigit(c)) {
      const number = scanNumber(text, i);
      const j = Math.min(number.end, end);
      tokens.push({ type: "number", value: number.end <= end ? number.text : text.slice(i, j), start: i, end: j });
      i = j;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      const raw = text.slice(i + 1, Math.min(j, end));
      tokens.push({ type: "string", value: decodeEscapes(raw), start: i, end: Math.min(j + 1, end) });
      i = j + 1;
    } else {
      const op = readOperator(text, i);
      tokens.push({ type: "op", value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ type: "eof", value: "", start: end, end });
  return tokens;
}

/** The scanner's block-end search as it was (the rest of scanJinja is unchanged and shared). */
function referenceBlockEnd(text: string, from: number, endMark: "}" | "%"): { end: number; closed: boolean; inString: boolean } {
  let braces = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) return { end: text.length, closed: false, inString: true };
      i = j + 1;
      continue;
    }
    if (c === "{") braces++;
    else if (c === endMark && text[i + 1] === "}" && braces === 0) return { end: i, closed: true, inString: false };
    else if (c === "}" && braces > 0) braces--;
    i++;
  }
  return { end: text.length, closed: false, inString: false };
}

/** What scanJinja found, as the reference block-end search sees each segment. */
function expectScanLikeReference(text: string): void {
  const scan = scanJinja(text);
  for (const segment of scan.segments) {
    const kind = text[segment.open + 1] === "{" ? "}" : "%";
    const found = referenceBlockEnd(text, segment.open + 2, kind);
    let end = found.end;
    let start = segment.open + 2;
    if (text[start] === "-" || (kind === "%" && text[start] === "+")) start++;
    if (found.closed && end > start && (text[end - 1] === "-" || (kind === "%" && text[end - 1] === "+"))) end--;
    expect({ start: segment.start, end: segment.end }).toEqual({ start, end: Math.max(start, end) });
  }
}

/** Every segment of the text lexed both ways, and the whole text as one expression. */
function expectLexLikeReference(text: string): void {
  expect(lexExpression(text, 0, text.length)).toEqual(referenceLex(text, 0, text.length));
  for (const segment of scanJinja(text).segments) {
    expect(lexExpression(text, segment.start, segment.end)).toEqual(referenceLex(text, segment.start, segment.end));
  }
}

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-codeunits-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function readTree(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"));
}

describe("code-unit lexer and scanner: the same answers as the string-based ones", () => {
  // Characters the lexer and scanner treat specially, and their neighbours by code: every
  // whitespace character and its edges, both quotes, the backslash, braces, `%`, digits, letters,
  // `_`, operators, non-ASCII letters and spaces, a lone surrogate.
  const char = fc.constantFrom(..."\t\n\v\f\r\b\u000e \u00a0\u2028'\"\\{}%#-+*/=!<>.,:|()[]~09aZz_@`^\u00e9\ud83d".split(""), "1e", "0x", "1_0", "\\'");
  const text = fc.array(char, { maxLength: 40 }).map((a) => a.join(""));

  it("lexes random text and random segments alike", () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const from = t.length === 0 ? 0 : a % (t.length + 1);
        const to = from + (t.length - from === 0 ? 0 : b % (t.length - from + 1));
        expect(lexExpression(t, from, to)).toEqual(referenceLex(t, from, to));
      }),
      { numRuns: 3000 },
    );
  });

  it("scans random templates alike", () => {
    const piece = fc.oneof(text, fc.constantFrom("{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "{%+", "+%}", "{% raw %}", "{% endraw %}", "'a}}'", '"%}"'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const t = pieces.join("");
        expectScanLikeReference(t);
        expectLexLikeReference(t);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads every model of generated real-shaped and simple projects alike", () => {
    for (const shape of ["real", "simple"] as const) {
      const dir = join(scratch, shape);
      generateProject({ dir, models: 300, seed: 20261207, shape });
      const texts = readTree(dir, /\.(sql|skip)$/);
      expect(texts.length).toBeGreaterThan(300);
      for (const t of texts) {
        expectScanLikeReference(t);
        expectLexLikeReference(t);
      }
    }
  });

  it("reads every corpus model and macro alike", () => {
    const texts = readTree(CORPUS_DIR, /\.sql(\.skip)?$/i);
    expect(texts.length).toBeGreaterThan(500);
    for (const t of texts) {
      expectScanLikeReference(t);
      expectLexLikeReference(t);
    }
  });
});

describe("toPlain: keys set by assignment are the keys defineProperty set", () => {
  const str = (value: string): Value => ({ kind: "str", value });
  const reference = (entries: [string, string][]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  };

  it("keeps Object.prototype's names, __proto__, numeric keys and order as own, ordinary keys", () => {
    const keys = [
      "__proto__",
      "constructor",
      "toString",
      "valueOf",
      "hasOwnProperty",
      "isPrototypeOf",
      "__defineGetter__",
      "__lookupSetter__",
      "propertyIsEnumerable",
      "toLocaleString",
      "2",
      "1",
      "tags",
      "",
      "b",
      "a",
    ];
    const entries = keys.map((k, i): [string, string] => [k, `v${i}`]);
    const plain = toPlain({ kind: "dict", entries: new Map(entries.map(([k, v]) => [k, str(v)])) }) as Record<string, unknown>;
    const expected = reference(entries);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Reflect.ownKeys(plain)).toEqual(Reflect.ownKeys(expected));
    for (const key of keys) expect(Object.getOwnPropertyDescriptor(plain, key)).toEqual(Object.getOwnPropertyDescriptor(expected, key));
    expect(JSON.stringify(plain)).toBe(JSON.stringify(expected));
  });
});
