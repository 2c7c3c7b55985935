import { describe, expect, it } from "vitest";
import type { ColumnProfile, CsvProfile } from "../../../src/core/csv/csvProfile.js";
import type { NullPolicy } from "../../../src/core/csv/nullPolicy.js";
import { profileCsvText } from "../../../src/core/csv/profileCsvText.js";
import { planColumns } from "../../../src/core/generate/columnPlan.js";

/** One column's profile from its values (one per line, written as they would appear in the file). */
function column(values: string[], policy: NullPolicy = "csv"): ColumnProfile {
  return profileCsvText(`x\n${values.join("\n")}\n`, policy).columns[0]!;
}

const kind = (values: string[]) => column(values).type;

describe("type inference on tricky columns", () => {
  it("leading zeros stay text (ZIP codes, 007), with a note naming the line", () => {
    const zip = column(["02139", "10001", "00501"]);
    expect(zip.type).toEqual({ kind: "text" });
    expect(zip.notes.join()).toMatch(/2 values with leading zeros \(e\.g\. '02139' on line 2\): kept as text/);
    expect(kind(["007"])).toEqual({ kind: "text" });
    expect(kind(["0", "7", "-0"])).toEqual({ kind: "integer", size: "smallint" });
    expect(kind(["00.5"])).toEqual({ kind: "text" });
    expect(kind(["0.5", ".25"])).toEqual({ kind: "decimal", precision: 2, scale: 2 });
  });

  it("mixed date formats are text unless one unambiguous format covers every value", () => {
    const mixed = column(["2024-01-05", "05/01/2024"]);
    expect(mixed.type).toEqual({ kind: "text" });
    expect(mixed.notes.join()).toMatch(/mixed date formats \('2024-01-05' on line 2, '05\/01\/2024' on line 3\)/);

    const dmy = column(["05/01/2024", "13/01/2024", "1/2/2024"]);
    expect(dmy.type).toEqual({ kind: "date", format: "DD/MM/YYYY" });
    expect(dmy.notes.join()).toMatch(/'13\/01\/2024' on line 3 cannot be MM\/DD\/YYYY/);
    expect(kind(["01/31/2024", "02/01/2024"])).toEqual({ kind: "date", format: "MM/DD/YYYY" });

    const ambiguous = column(["05/01/2024", "06/02/2024"]);
    expect(ambiguous.type).toEqual({ kind: "text" });
    expect(ambiguous.notes.join()).toMatch(/ambiguous/);

    // Days that exist in neither order, and impossible ISO dates, are not dates at all.
    expect(kind(["13/13/2024"])).toEqual({ kind: "text" });
    expect(kind(["2023-02-29"])).toEqual({ kind: "text" });
    expect(kind(["2024-02-29"])).toEqual({ kind: "date", format: "YYYY-MM-DD" });
  });

  it('empty strings vs nulls: an empty unquoted field is NULL, a quoted "" is an empty string (csv policy)', () => {
    const c = column(['""', "", "a"], "csv");
    expect(c).toMatchObject({ nulls: 1, values: 2, emptyStrings: 1, type: { kind: "text" } });
    expect(c.notes.join()).toMatch(/1 quoted empty field \(""\) loaded as an empty string, not NULL/);
    // A quoted empty string in a number column is not a number: the column stays text.
    expect(kind(["1", '""', "2"])).toEqual({ kind: "text" });
    expect(column(["1", "", "2"]).type).toEqual({ kind: "integer", size: "smallint" });
  });

  it("empty strings vs nulls under the seed loaders' rules", () => {
    // dbt-duckdb seeds load with DuckDB's COPY: "" is NULL too.
    expect(column(['""', "", "a"], "duckdb-seed")).toMatchObject({ nulls: 2, values: 1, emptyStrings: 0 });
    // Other adapters' seeds go through agate: blank and the word null (any case, padded) are NULL.
    expect(column(['""', " NULL ", "null", "  ", "nullable"], "agate-seed")).toMatchObject({ nulls: 4, values: 1 });
    expect(column(["null"], "csv")).toMatchObject({ nulls: 0, values: 1 });
  });

  it("very wide decimals: inferred with their precision, then text (DuckDB, Snowflake) or NUMERIC (Postgres)", () => {
    const wide = `1234567890123456789012345678901234567.123`;
    const profile = column([wide, "1.5"]);
    expect(profile.type).toEqual({ kind: "decimal", precision: 40, scale: 3 });
    const [duck] = planColumns("duckdb", "source", [profile]);
    expect(duck).toMatchObject({ sqlType: "VARCHAR", type: { kind: "text" } });
    expect(duck!.notes.join()).toMatch(/40 digits exceed the 38 DuckDB allows/);
    expect(planColumns("snowflake", "source", [profile])[0]).toMatchObject({ sqlType: "VARCHAR" });
    expect(planColumns("postgres", "source", [profile])[0]).toMatchObject({ sqlType: "NUMERIC" });
    expect(planColumns("duckdb", "source", [column(["12345678.125", "-1.5"])])[0]!.sqlType).toBe("DECIMAL(11,3)");
  });

  it("integer ranges pick the narrowest type; wider than bigint becomes a decimal", () => {
    expect(kind(["-32768", "32767"])).toEqual({ kind: "integer", size: "smallint" });
    expect(kind(["32768"])).toEqual({ kind: "integer", size: "integer" });
    expect(kind(["-2147483649"])).toEqual({ kind: "integer", size: "bigint" });
    expect(kind(["9223372036854775807"])).toEqual({ kind: "integer", size: "bigint" });
    expect(kind(["9223372036854775808"])).toEqual({ kind: "decimal", precision: 19, scale: 0 });
  });

  it("booleans are words; 0 and 1 alone are integers; a mix is text", () => {
    expect(kind(["true", "FALSE", "t", "f", "Yes", "no"])).toEqual({ kind: "boolean" });
    expect(kind(["0", "1", "1"])).toEqual({ kind: "integer", size: "smallint" });
    expect(kind(["yes", "1"])).toEqual({ kind: "text" });
    expect(kind(["Y", "N"])).toEqual({ kind: "text" });
  });

  it("scientific notation is a double; a leading + (phone numbers) and thousands separators stay text", () => {
    const sci = column(["1e3", "2.5E-4", "7"]);
    expect(sci.type).toEqual({ kind: "float" });
    expect(sci.notes.join()).toMatch(/scientific notation/);
    expect(kind(["+34600111222"])).toEqual({ kind: "text" });
    expect(kind(['"1,234"'])).toEqual({ kind: "text" });
    expect(kind(["5."])).toEqual({ kind: "text" });
    expect(kind(["NaN"])).toEqual({ kind: "text" });
  });

  it("timestamps: ISO with a space or T, with or without a zone; a mix of zone and no zone is text", () => {
    expect(kind(["2024-01-05 10:00:00", "2024-01-05T23:59:59.123456", "2024-01-06"])).toEqual({ kind: "timestamp", withTimeZone: false });
    expect(kind(["2024-01-05T10:00:00Z", "2024-01-05 10:00+02:00"])).toEqual({ kind: "timestamp", withTimeZone: true });
    const mixed = column(["2024-01-05T10:00:00Z", "2024-01-05 10:00:00"]);
    expect(mixed.type).toEqual({ kind: "text" });
    expect(mixed.notes.join()).toMatch(/with and without a time zone/);
    expect(kind(["2024-01-05 24:00:00"])).toEqual({ kind: "text" });
  });

  it("values that do not fit are reported, first few with their lines", () => {
    const c = column(["10.5", "11", "N/A", "12", "n/a", "13", "-", "14", "—"]);
    expect(c.type).toEqual({ kind: "text" });
    expect(c.misfit).toEqual({
      family: "decimal",
      count: 4,
      examples: [
        { line: 4, value: "N/A", reason: "not a decimal" },
        { line: 6, value: "n/a", reason: "not a decimal" },
        { line: 8, value: "-", reason: "not a decimal" },
      ],
    });
    // A column that is mostly text reports no near miss.
    expect(column(["alpha", "beta", "3"]).misfit).toBeNull();
  });

  it("nullability and an all-empty column", () => {
    expect(column(["1", "", "3"])).toMatchObject({ nulls: 1, values: 2 });
    const empty = column(["", ""]);
    expect(empty).toMatchObject({ type: { kind: "text" }, nulls: 2, values: 0 });
    expect(empty.notes.join()).toMatch(/every value is empty/);
  });
});

describe("the candidate key", () => {
  const profile = (text: string, budget?: { exactChars: number; hashSlots: number }): CsvProfile => profileCsvText(text, "csv", budget);

  it("prefers an id-like column proven unique and non-null", () => {
    const p = profile("name,customer_id,amount\nann,30,1.5\nbob,10,2.5\ncy,20,1.5\n");
    expect(p.key).toEqual({ column: "customer_id", proof: "exact" });
    expect(p.keyNotes).toEqual(["also unique and non-null: 'name'"]);
  });

  it("a duplicate or a null rules a column out, naming both lines of the duplicate", () => {
    const p = profile("id,code\n1,A\n2,B\n1,\n");
    expect(p.key).toBeNull();
    expect(p.columns[0]!.unique).toEqual({ status: "duplicate", line: 4, firstLine: 2, value: "1", byHash: false });
    expect(p.columns[1]!.unique).toEqual({ status: "has-nulls" });
    expect(p.keyNotes.join()).toMatch(/no column is unique/);
  });

  it("-0 and 0 are one integer", () => {
    expect(profile("id\n0\n-0\n").columns[0]!.unique.status).toBe("duplicate");
  });

  it("past the exact limit it proves uniqueness with 64-bit hashes, and catches a repeat", () => {
    const values = Array.from({ length: 500 }, (_, i) => `k${(i * 7919) % 500}`);
    const budget = () => ({ exactChars: 100, hashSlots: 1 << 16 });
    expect(profile(`code\n${values.join("\n")}\n`, budget()).key).toEqual({ column: "code", proof: "hash" });
    const withRepeat = profile(`code\n${[...values, "k42"].join("\n")}\n`, budget());
    expect(withRepeat.columns[0]!.unique).toMatchObject({ status: "duplicate", line: 502, value: "k42", byHash: true });
  });

  it("when the memory budget runs out: sorted values are still proven; unsorted ones are reported as not proven", () => {
    const budget = () => ({ exactChars: 10, hashSlots: 1024 });
    const sorted = Array.from({ length: 3000 }, (_, i) => String(i + 1));
    expect(profile(`id\n${sorted.join("\n")}\n`, budget()).key).toEqual({ column: "id", proof: "sorted" });
    const shuffled = Array.from({ length: 3000 }, (_, i) => String(((i * 7919) % 3000) + 1));
    const p = profile(`id\n${shuffled.join("\n")}\n`, budget());
    expect(p.key).toBeNull();
    expect(p.columns[0]!.unique).toMatchObject({ status: "unproven" });
    expect(p.keyNotes.join()).toMatch(/'id': distinct in the first 51\d of 3,000 rows, then the tracking limit was reached .* not proven/);
  });
});

describe("malformed files: refused with the line", () => {
  const refuse = (text: string) => () => profileCsvText(text);

  it("ragged rows: every offending line (first five) and a count", () => {
    const rows = ["a,b", "1,2", "3", "4,5,6", "7,8", ...Array.from({ length: 6 }, () => "9")];
    expect(refuse(`${rows.join("\n")}\n`)).toThrow(/line 3: 8 rows without the header's 2 fields \(line 3 has 1, line 4 has 3, line 6 has 1, line 7 has 1, line 8 has 1 and 3 more\)/);
  });

  it("an empty file, a header with no rows", () => {
    expect(refuse("")).toThrow(/the file is empty/);
    expect(refuse("\ufeff")).toThrow(/the file is empty/);
    expect(refuse("a,b\n")).toThrow(/a header but no rows/);
  });

  it("duplicate (ignoring case) and empty column names", () => {
    expect(refuse("id,Name,name\n1,2,3\n")).toThrow(/line 1: duplicate column names \(compared ignoring case\): 'name' \(positions 2 and 3\)/);
    expect(refuse("id,,x\n1,2,3\n")).toThrow(/line 1: the header has an empty column name at position 2/);
    expect(refuse('id," "\n1,2\n')).toThrow(/empty column name at position 2/);
  });

  it("a blank line in a file of several columns is a ragged row", () => {
    expect(refuse("a,b\n1,2\n\n3,4\n")).toThrow(/line 3 has 1/);
  });
});
