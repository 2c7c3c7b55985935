import { ColumnProfiler } from "./columnProfiler.js";
import { CsvFormatError } from "./csvFormatError.js";
import type { ColumnProfile, CsvProfile } from "./csvProfile.js";
import type { NullPolicy } from "./nullPolicy.js";
import { defaultTrackingBudget, type TrackingBudget } from "./trackingBudget.js";

export interface CsvProfiler {
  /** Give it every record the parser emits (the first is the header). */
  record(fields: readonly string[], quoted: readonly boolean[], line: number, fieldLines?: readonly number[]): void;
  /** After the last record: the profile, or a CsvFormatError for a file that cannot be loaded. */
  finish(format: { bom: boolean; lineEndings: { lf: number; crlf: number; firstLf?: number; firstCrlf?: number } }): CsvProfile;
}

const REPORTED_RAGGED = 5;

/** Header checks, per-column typing and the key, over records streamed from the parser. */
export function createCsvProfiler(options: {
  nullPolicy: NullPolicy;
  budget?: TrackingBudget | undefined;
  /** More rules for the header, run before any row is read (a reason to refuse, or null). */
  headerCheck?: ((names: readonly string[]) => string | null) | undefined;
}): CsvProfiler {
  const budget = options.budget ?? defaultTrackingBudget();
  let columns: ColumnProfiler[] | null = null;
  let width = 0;
  let rows = 0;
  const ragged: { line: number; fields: number }[] = [];
  let raggedCount = 0;

  return {
    record(fields, quoted, line, fieldLines) {
      if (columns === null) {
        const names = checkHeader(fields);
        const refusal = options.headerCheck?.(names) ?? null;
        if (refusal !== null) throw new CsvFormatError(1, refusal);
        columns = names.map((name, i) => new ColumnProfiler(name, i + 1, options.nullPolicy, budget));
        width = columns.length;
        return;
      }
      if (fields.length !== width) {
        raggedCount++;
        if (ragged.length < REPORTED_RAGGED) ragged.push({ line, fields: fields.length });
        return;
      }
      rows++;
      for (let i = 0; i < width; i++) columns[i]!.observe(fields[i]!, quoted[i]!, fieldLines?.[i] ?? line);
    },
    finish(format) {
      if (columns === null) throw new CsvFormatError(null, "the file is empty: a header line and at least one row are needed");
      if (raggedCount > 0) {
        const list = ragged.map((r) => `line ${r.line} has ${r.fields}`).join(", ");
        const more = raggedCount > ragged.length ? ` and ${raggedCount - ragged.length} more` : "";
        throw new CsvFormatError(
          ragged[0]!.line,
          `${raggedCount} row${raggedCount === 1 ? "" : "s"} without the header's ${width} field${width === 1 ? "" : "s"} (${list}${more}); every row needs exactly one value per column`,
        );
      }
      if (rows === 0) throw new CsvFormatError(null, "the file has a header but no rows: there is nothing to type or load");
      // DuckDB's CSV sniffer and `dbt seed` both fail on a file whose rows end both ways: refused
      // here, naming the first line that ends differently, rather than generating loads that fail.
      const endings = format.lineEndings;
      if (endings.lf > 0 && endings.crlf > 0 && endings.firstLf && endings.firstCrlf) {
        const [first, other] = endings.firstLf < endings.firstCrlf ? (["LF", "CRLF"] as const) : (["CRLF", "LF"] as const);
        const line = Math.max(endings.firstLf, endings.firstCrlf);
        throw new CsvFormatError(line, `mixed line endings: lines end with ${first} until line ${line}, which ends with ${other}; DuckDB and dbt seed cannot load such a file: save it with one kind of line ending`);
      }
      const profiles = columns.map((c) => c.finish());
      const { key, keyNotes } = chooseKey(profiles, rows);
      const { lf, crlf } = format.lineEndings;
      return {
        rows,
        columns: profiles,
        key,
        keyNotes,
        bom: format.bom,
        lineEndings: lf > 0 && crlf > 0 ? "mixed" : crlf > 0 ? "crlf" : lf > 0 ? "lf" : "none",
        nullPolicy: options.nullPolicy,
      };
    },
  };
}

/**
 * Column names become identifiers: an empty one has no name, and two that differ only in case
 * are one column to DuckDB and Snowflake. Refuse both, naming the positions.
 */
function checkHeader(fields: readonly string[]): string[] {
  const names = [...fields];
  const empty = names.flatMap((name, i) => (name.trim() === "" ? [i + 1] : []));
  if (empty.length > 0) {
    throw new CsvFormatError(1, `the header has an empty column name at position ${empty.join(", ")}; every column needs a name`);
  }
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  names.forEach((name, i) => {
    const folded = name.toLowerCase();
    const first = seen.get(folded);
    if (first === undefined) seen.set(folded, i + 1);
    else duplicates.push(`'${name}' (positions ${first} and ${i + 1})`);
  });
  if (duplicates.length > 0) {
    throw new CsvFormatError(1, `duplicate column names (compared ignoring case): ${duplicates.join(", ")}`);
  }
  return names;
}

const KEY_NAME = /(^|_)(id|key|code|uuid)$/i;

/**
 * The key: a column proven unique and non-null, integer or text (a unique decimal or timestamp is
 * rarely an identifier). Names ending in id/key/code win, then integers, then the leftmost.
 */
function chooseKey(columns: ColumnProfile[], rows: number): Pick<CsvProfile, "key" | "keyNotes"> {
  const eligible = columns.filter((c) => c.type.kind === "integer" || c.type.kind === "text");
  const proven = eligible.filter((c) => c.unique.status === "unique" && c.nulls === 0);
  const rank = (c: ColumnProfile) => (KEY_NAME.test(c.name) ? 0 : 2) + (c.type.kind === "integer" ? 0 : 1);
  const best = [...proven].sort((a, b) => rank(a) - rank(b) || a.position - b.position)[0];
  const keyNotes: string[] = [];
  const others = proven.filter((c) => c !== best).map((c) => `'${c.name}'`);
  if (others.length > 0) keyNotes.push(`also unique and non-null: ${others.join(", ")}`);
  for (const c of eligible) {
    if (c.unique.status === "unproven") {
      keyNotes.push(
        `'${c.name}': distinct in the first ${c.unique.checkedRows.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows, then the tracking limit was reached and the values were not sorted; uniqueness over the whole file is not proven`,
      );
    }
  }
  if (!best) return { key: null, keyNotes: [...keyNotes, "no column is unique and non-null: no key, no unique test"] };
  const proof = best.unique.status === "unique" ? best.unique.proof : "exact";
  return { key: { column: best.name, proof }, keyNotes };
}
