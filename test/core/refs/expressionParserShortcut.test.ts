import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lexExpression } from "../../../src/core/refs/expressionLexer.js";
import { ExpressionParser, ParseError } from "../../../src/core/refs/expressionParser.js";
import { scanJinja } from "../../../src/core/refs/jinjaScanner.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";

// The parser returns an operand at once when no binary operator follows it, instead of descending
// through every precedence level and back (expressionParser.ts, `parseOr`; BENCHMARKS.md, findings
// 20). Its answers must be those of the full descent (`fullDescent`): the same tree, the same
// position reached, or the same error at the same token.

type Outcome = { tree: unknown; pos: number } | { error: string; at: number; tooDeep: boolean };

function outcome(text: string, start: number, end: number, fullDescent: boolean, read: (p: ExpressionParser) => unknown): Outcome {
  const parser = new ExpressionParser(lexExpression(text, start, end), fullDescent);
  try {
    return { tree: read(parser), pos: parser.pos };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { error: error.message, at: error.at, tooDeep: error.tooDeep };
  }
}

/** Both ways on the same text, as `{{ }}` reads it, as one expression, and as an `if`/`for` tag reads it. */
function expectSameParse(text: string, start = 0, end = text.length): void {
  const readers: ((p: ExpressionParser) => unknown)[] = [(p) => p.parseTuple(), (p) => p.parseExpression(), (p) => p.parseTuple(true), (p) => p.parseCallSite()];
  for (const read of readers) expect(outcome(text, start, end, false, read)).toEqual(outcome(text, start, end, true, read));
}

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-parser-shortcut-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function readTree(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"));
}

function expectSegmentsSame(text: string): number {
  const segments = scanJinja(text).segments;
  for (const segment of segments) {
    expectSameParse(text, segment.start, segment.end);
    // A statement's code after its tag name, as the compiler reads `if`, `elif`, `set x =`, `for`.
    const tag = /^\s*[A-Za-z_]\w*\s*/.exec(text.slice(segment.start, segment.end));
    if (segment.kind === "statement" && tag !== null) expectSameParse(text, segment.start + tag[0].length, segment.end);
  }
  return segments.length;
}

describe("expression parser: an operand with no operator after it is returned at once", () => {
  it("parses random token sequences exactly as the full descent", () => {
    const token = fc.constantFrom(
      ..."a b x1 _ ref source 'a' \"b\" 1 2.5 0x1f ( ) [ ] { } , : . | = * ** / // % + - ~ < > <= >= == != not in is and or if else for true none is".split(" "),
      "not in",
      "is not",
      "'s' 't'",
      "x.y",
      "f(a)",
      "a[0]",
      "a | upper",
      "a is defined",
      "loop.last",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        expectSameParse(tokens.join(" "));
      }),
      { numRuns: 5000 },
    );
  });

  it("parses deep and long inputs alike (nesting limits, long operator chains)", () => {
    for (const text of [
      "(".repeat(150),
      `${"not ".repeat(120)}a`,
      `${"-".repeat(120)}a`,
      `${"a ~ ".repeat(500)}b`,
      `${"f(".repeat(99)}x${")".repeat(99)}`,
      "[".repeat(101) + "]".repeat(101),
      "a or b and not c in d < e + f ~ g * h ** i if j else k",
    ]) {
      expectSameParse(text);
    }
  });

  it("parses every segment of generated real-shaped and simple projects alike", () => {
    let segments = 0;
    for (const shape of ["real", "simple"] as const) {
      const dir = join(scratch, shape);
      generateProject({ dir, models: 300, seed: 20261207, shape });
      for (const text of readTree(dir, /\.(sql|skip)$/)) segments += expectSegmentsSame(text);
    }
    expect(segments).toBeGreaterThan(2000);
  });

  it("parses every segment of the corpus models and macros alike", () => {
    let segments = 0;
    for (const text of readTree(CORPUS_DIR, /\.sql(\.skip)?$/i)) segments += expectSegmentsSame(text);
    expect(segments).toBeGreaterThan(2000);
  });
});
