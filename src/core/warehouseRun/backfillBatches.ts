import { UserError } from "../userError.js";

export type BatchSize = "day" | "month";

export interface Batch {
  /** Inclusive, `YYYY-MM-DD` (UTC, as dbt's microbatch reads `--event-time-start`). */
  start: string;
  /** Exclusive, like `--event-time-end`. */
  end: string;
}

/** The most batches one backfill will plan: a typo in a year should not queue 36,500 dbt runs. */
export const MAX_BATCHES = 5000;

/** Reads `YYYY-MM-DD` strictly (a real calendar day), or says what is wrong with it. */
export function parseDay(option: string, text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || formatDay(date) !== text) throw new UserError(`${option} '${text}': expected a date as YYYY-MM-DD`);
  return date;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Splits [start, end) into batches: one per day, or one per calendar month (the first and last
 * cut to the range). End is exclusive, as dbt's `--event-time-end` is.
 */
export function backfillBatches(input: { start: string; end: string; batch: BatchSize }): Batch[] {
  const start = parseDay("--start", input.start);
  const end = parseDay("--end", input.end);
  if (end <= start) throw new UserError(`--end ${input.end} must come after --start ${input.start} (the end is exclusive)`);
  const batches: Batch[] = [];
  let cursor = start;
  while (cursor < end) {
    const next = input.batch === "day" ? new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth(), cursor.getUTCDate() + 1)) : new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    // biome-ignore lint/complexity/useMathMinMax: these are Dates; Math.min would give a number
    const stop = next < end ? next : end;
    batches.push({ start: formatDay(cursor), end: formatDay(stop) });
    if (batches.length > MAX_BATCHES) throw new UserError(`${input.start}..${input.end} by ${input.batch} is more than ${MAX_BATCHES} batches; use --batch month or a shorter range`);
    cursor = stop;
  }
  return batches;
}
