import { truncateBody, utf8Length } from "./truncateBody.js";

/**
 * GitHub shows a step's job summary only when its file is at most 1 MiB; past it the runner drops
 * the whole summary (a warning in the runner's log, nothing on the run's page).
 */
export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Where the rest of a cut job summary is: every Action command writes its JSON report at `report-path`. */
export const JOB_SUMMARY_CUT_NOTE = "The rest was cut to fit the job summary's size limit (1 MiB); the JSON report at the action's `report-path` output holds all of it.";

export interface FittedJobSummary {
  text: string;
  /** Bytes of the summary as it was given. */
  bytes: number;
  cut: boolean;
}

/**
 * A job summary that GitHub will show: `markdown` as it is when it fits the `room` left in the step's
 * summary file, else cut at a line break with its `<details>` closed and a note that says it was cut
 * and where the rest is. Never nothing: a summary over the limit would be dropped whole.
 */
export function fitJobSummary(markdown: string, options: { room?: number; note?: string | undefined } = {}): FittedJobSummary {
  const room = Math.max(0, options.room ?? JOB_SUMMARY_LIMIT_BYTES);
  const bytes = utf8Length(markdown);
  if (bytes <= room) return { text: markdown, bytes, cut: false };
  return { text: truncateBody(markdown, { limit: room, unit: "bytes", note: options.note ?? JOB_SUMMARY_CUT_NOTE }), bytes, cut: true };
}
