import { createWriteStream } from "node:fs";
import { once } from "node:events";

/**
 * A deterministic CSV of any size with every kind of column the inference must tell apart: an
 * increasing integer key, zero-padded codes (text), unique emails, 2-place decimals, ISO dates and
 * timestamps, booleans, scientific notation, and a free-text column with nulls, quoted commas,
 * escaped quotes and line breaks inside quotes. CRLF line endings, as spreadsheets write them.
 */
export const SYNTHETIC_HEADER = "id,customer_code,email,amount,signup_date,signup_at,active,ratio,note";

/** The id of the first row: large enough that `id` is an INTEGER at every size, not a SMALLINT. */
export const FIRST_ID = 1_000_000;

export function syntheticRow(n: number): string {
  const id = FIRST_ID + n;
  const code = String(n % 1_000_000).padStart(6, "0");
  const amount = `${Math.floor((n * 37) % 100_000) / 100}`;
  const cents = amount.includes(".") ? amount.padEnd(amount.indexOf(".") + 3, "0") : `${amount}.00`;
  const day = (n % 28) + 1;
  const month = (n % 12) + 1;
  const date = `2024-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const time = `${String(n % 24).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}:00`;
  const active = n % 3 === 0 ? "false" : "true";
  const ratio = `${(n % 1000) + 1}e-3`;
  const note = n % 13 === 0 ? "" : n % 97 === 0 ? `"line one, ""quoted""\nline two"` : `plain note ${n % 500}`;
  return `${id},${code},user${n}@example.com,${cents},${date},${date} ${time},${active},${ratio},${note}\r\n`;
}

/** Writes rows until the file reaches `bytes`; returns the number of data rows written. */
export async function writeSyntheticCsv(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = SYNTHETIC_HEADER.length + 2;
  out.write(`${SYNTHETIC_HEADER}\r\n`);
  let rows = 0;
  while (written < bytes) {
    let batch = "";
    for (let i = 0; i < 10_000 && written + batch.length < bytes; i++) batch += syntheticRow(rows++);
    written += Buffer.byteLength(batch);
    if (!out.write(batch)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return rows;
}
