import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvFormatError } from "../../../src/core/csv/csvFormatError.js";
import { createCsvParser } from "../../../src/core/csv/csvParser.js";

interface Parsed {
  records: { fields: string[]; quoted: boolean[]; line: number }[];
  bom: boolean;
  lineEndings: { lf: number; crlf: number };
}

/** Parses text fed in the given pieces. */
function parse(pieces: string[] | string, options: { maxFieldChars?: number } = {}): Parsed {
  const records: Parsed["records"] = [];
  const parser = createCsvParser((fields, quoted, line) => records.push({ fields: [...fields], quoted: [...quoted], line }), options);
  for (const piece of typeof pieces === "string" ? [pieces] : pieces) parser.feed(piece);
  parser.end();
  return { records, bom: parser.bom, lineEndings: { ...parser.lineEndings } };
}

const fieldsOf = (text: string) => parse(text).records.map((r) => r.fields);

function errorOf(run: () => unknown): CsvFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvFormatError) return error;
    throw error;
  }
  throw new Error("expected a CsvFormatError");
}

describe("createCsvParser (RFC 4180)", () => {
  it("reads quoted fields with commas, escaped quotes and line breaks, and says which fields were quoted", () => {
    const { records } = parse('id,note\n1,"a, ""b""\nc"\n2,plain\n');
    expect(records).toEqual([
      { fields: ["id", "note"], quoted: [false, false], line: 1 },
      { fields: ["1", 'a, "b"\nc'], quoted: [false, true], line: 2 },
      { fields: ["2", "plain"], quoted: [false, false], line: 4 },
    ]);
  });

  it("tells an empty unquoted field from a quoted empty string", () => {
    const { records } = parse('a,b,c\n,"",x\n');
    expect(records[1]).toEqual({ fields: ["", "", "x"], quoted: [false, true, false], line: 2 });
  });

  it("accepts CRLF, LF and a last line without a line break, and counts each ending", () => {
    const parsed = parse("a,b\r\n1,2\n3,4");
    expect(parsed.records.map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(parsed.lineEndings).toEqual({ lf: 1, crlf: 1, firstLf: 2, firstCrlf: 1 });
  });

  it("drops a byte order mark and reports it", () => {
    const parsed = parse("\ufeffid,name\n1,x\n");
    expect(parsed.bom).toBe(true);
    expect(parsed.records[0]!.fields).toEqual(["id", "name"]);
  });

  it("keeps a CR inside quotes, and a trailing comma opens an empty last field", () => {
    expect(fieldsOf('a,b\r\n"x\ry",\r\n')).toEqual([
      ["a", "b"],
      ["x\ry", ""],
    ]);
  });

  it("gives the same records however the text is cut into pieces (any cut, any content)", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "é", ",", '"', "\n", "\r\n", " ", "x"), maxLength: 8 });
    const table = fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (rows, cuts, crlf) => {
        const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(",")).join(crlf ? "\r\n" : "\n");
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((from, i, all) => text.slice(from, all[i + 1] ?? text.length));
        const whole = parse(text);
        const cut = parse(pieces);
        expect(cut.records).toEqual(whole.records);
        expect(whole.records.map((r) => r.fields)).toEqual(rows);
        // Each record starts on the line after every line break before it.
        let line = 1;
        whole.records.forEach((r, i) => {
          expect(r.line).toBe(line);
          line += rows[i]!.join("").split("\n").length - 1 + 1;
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("malformed CSV: a clear error naming the line", () => {
  it("a quote inside an unquoted field", () => {
    const error = errorOf(() => parse('a,b\n1,2\n3,5" screen\n'));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/line 3: a quote inside an unquoted field \(field 2\)/);
  });

  it("text after a closing quote", () => {
    expect(errorOf(() => parse('a,b\n"x"y,2\n')).message).toMatch(/line 2: text after a closing quote/);
  });

  it("a quoted field that never closes names the line it opened on", () => {
    const error = errorOf(() => parse('a,b\n1,2\n3,"open\nmore\nstill'));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/never closed/);
  });

  it("a bare carriage return", () => {
    expect(errorOf(() => parse("a,b\n1,2\rx,y\n")).message).toMatch(/line 2: a carriage return/);
  });

  it("a NUL character (a binary file)", () => {
    expect(errorOf(() => parse(["a,b\n1,2\n", "3,\u00004\n"])).message).toMatch(/line 3: a NUL character/);
  });

  it("a field longer than the limit (bounded memory)", () => {
    expect(errorOf(() => parse(['a\n"', "x".repeat(600), "y".repeat(600)], { maxFieldChars: 1000 })).message).toMatch(/line 2: a field is longer than 1,000/);
  });
});
