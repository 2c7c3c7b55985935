import { stat } from "node:fs/promises";
import * as core from "@actions/core";
import { fitJobSummary, JOB_SUMMARY_LIMIT_BYTES } from "../core/render/jobSummary.js";

/**
 * Appends `markdown` to the step's job summary, cut to what GitHub shows (1 MiB for the step's whole
 * file, what is already in it counted): a summary over the limit would be dropped whole by the
 * runner, and the run's page would show nothing. A cut is said in the summary and in the log.
 * Every command of the Action writes its summary through here.
 */
export async function writeJobSummary(markdown: string, options: { note?: string | undefined } = {}): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  const written = file
    ? await stat(file).then(
        (s) => s.size,
        () => 0,
      )
    : 0;
  const fitted = fitJobSummary(markdown, { room: JOB_SUMMARY_LIMIT_BYTES - written, note: options.note });
  if (fitted.cut) {
    core.warning(
      `the job summary (${fitted.bytes.toLocaleString("en-US")} bytes) is over GitHub's limit of ${JOB_SUMMARY_LIMIT_BYTES.toLocaleString("en-US")} bytes: it was cut, and says so; the JSON report at the report-path output holds all of it`,
    );
  }
  await core.summary.addRaw(fitted.text).write();
}
