import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileCsvFile } from "../../src/adapters/files/profileCsvFile.js";
import { CsvFormatError } from "../../src/core/csv/csvFormatError.js";
import { FIRST_ID, syntheticRow, writeSyntheticCsv } from "../bench/syntheticCsv.js";

// The code the 1 GB benchmark (test/bench/csvMemory.ts) measures, on a few MB: several 1 MB
// chunks, so records, quoted line breaks and UTF-8 sequences are cut at chunk edges.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dbt-unskip-stream-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("profileCsvFile on a few MB", () => {
  it("reads every row and types every column of the synthetic file", async () => {
    const path = join(dir, "synthetic.csv");
    const rows = await writeSyntheticCsv(path, 3 * 1024 * 1024);
    const { profile } = await profileCsvFile({ path, display: "synthetic.csv", nullPolicy: "csv" });
    expect(profile.rows).toBe(rows);
    expect(profile.lineEndings).toBe("crlf");
    expect(Object.fromEntries(profile.columns.map((c) => [c.name, c.type]))).toEqual({
      id: { kind: "integer", size: "integer" },
      customer_code: { kind: "text" },
      email: { kind: "text" },
      amount: { kind: "decimal", precision: 5, scale: 2 },
      signup_date: { kind: "date", format: "YYYY-MM-DD" },
      signup_at: { kind: "timestamp", withTimeZone: false },
      active: { kind: "boolean" },
      ratio: { kind: "float" },
      note: { kind: "text" },
    });
    expect(profile.key).toEqual({ column: "id", proof: "sorted" });
    const note = profile.columns.find((c) => c.name === "note")!;
    expect(note.nulls).toBe(Math.ceil(rows / 13));
    expect(note.maxLength).toBe('line one, "quoted"\nline two'.length);
    expect(profile.columns.find((c) => c.name === "customer_code")!.notes.join()).toMatch(/leading zeros/);
  });

  it("names the line of a bad byte deep in the file, past several chunks", async () => {
    const path = join(dir, "late-bad-byte.csv");
    await writeSyntheticCsv(path, 3 * 1024 * 1024);
    // The appended row starts on the line after the last line break (quoted ones included).
    const bytes = await readFile(path);
    let line = 1;
    for (const byte of bytes) if (byte === 0x0a) line++;
    await appendFile(path, Buffer.concat([Buffer.from(syntheticRow(0).slice(0, 20)), Buffer.from([0xff]), Buffer.from("\r\n")]));
    const error = await profileCsvFile({ path, display: "late-bad-byte.csv", nullPolicy: "csv" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as CsvFormatError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^late-bad-byte\\.csv: line ${line}: not valid UTF-8`));
  });

  it("a BOM and CRLF are reported, not mistaken for data", async () => {
    const path = join(dir, "bom.csv");
    await writeFile(path, `\ufeffid,name\r\n${FIRST_ID},é\r\n`);
    const { profile } = await profileCsvFile({ path, display: "bom.csv", nullPolicy: "csv" });
    expect(profile).toMatchObject({ bom: true, lineEndings: "crlf", rows: 1 });
    expect(profile.columns.map((c) => c.name)).toEqual(["id", "name"]);
  });
});
