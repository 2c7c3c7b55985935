import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { CsvFormatError } from "../../core/csv/csvFormatError.js";
import type { NullPolicy } from "../../core/csv/nullPolicy.js";
import { createCsvTextProfiler } from "../../core/csv/profileCsvText.js";
import type { TrackingBudget } from "../../core/csv/trackingBudget.js";
import { createUtf8LineChecker } from "../../core/csv/utf8LineChecker.js";
import { UserError } from "../../core/userError.js";
import type { CsvFileProfile } from "../../usecases/generatePorts.js";

/** Bytes read at a time: large enough for throughput, small enough that memory stays flat. */
const CHUNK_BYTES = 1024 * 1024;

export type { CsvFileProfile };

/**
 * Profiles a CSV file in one streamed pass: bytes → strict UTF-8 → parser → profiler, one chunk
 * at a time, so a 1 GB file needs no more memory than a small one. Errors name the file and line.
 */
export async function profileCsvFile(input: {
  path: string;
  /** How the file is named in messages. */
  display: string;
  nullPolicy: NullPolicy;
  budget?: TrackingBudget;
  headerCheck?: (names: readonly string[]) => string | null;
  signal?: AbortSignal | undefined;
}): Promise<CsvFileProfile> {
  const before = await stat(input.path).catch(() => null);
  if (!before) throw new UserError(`${input.display}: no such file`);
  if (!before.isFile()) throw new UserError(`${input.display}: not a regular file`);
  if (before.size === 0) throw new CsvFormatError(null, "the file is empty: a header line and at least one row are needed", input.display);
  const profiler = createCsvTextProfiler({ nullPolicy: input.nullPolicy, budget: input.budget, headerCheck: input.headerCheck });
  // ignoreBOM: the BOM reaches the parser, which drops it and reports that it was there.
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    try {
      for await (const chunk of createReadStream(input.path, { highWaterMark: CHUNK_BYTES })) {
        if (input.signal?.aborted) throw new UserError("interrupted");
        let text: string;
        try {
          text = decoder.decode(chunk as Buffer, { stream: true });
        } catch {
          throw await invalidUtf8(input.path);
        }
        profiler.feed(text);
      }
      let rest: string;
      try {
        rest = decoder.decode();
      } catch {
        throw await invalidUtf8(input.path);
      }
      profiler.feed(rest);
    } catch (error) {
      if (error instanceof CsvFormatError || error instanceof UserError) throw error;
      throw new UserError(`${input.display}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const profile = profiler.finish();
    return { profile, size: before.size, mtimeMs: before.mtimeMs };
  } catch (error) {
    if (error instanceof CsvFormatError) throw error.inFile(input.display);
    throw error;
  }
}

/** Only after the fast decoder refused: a second, byte-by-byte pass to name the line. */
async function invalidUtf8(path: string): Promise<CsvFormatError> {
  const checker = createUtf8LineChecker();
  let line: number | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    line = checker.feed(chunk as Buffer);
    if (line !== null) break;
  }
  line ??= checker.end();
  return new CsvFormatError(line, 'not valid UTF-8; save the file as UTF-8 (a spreadsheet\'s "CSV UTF-8" export) and try again');
}
