import { type SavedPullRequestReport, SAVED_REPORT_SCHEMA } from "./savedReportSchema.js";
import { validateSavedReport } from "./savedReportValidator.generated.js";

export { SAVED_REPORT_SCHEMA, type SavedPullRequestReport };

/** The saved report, or why it is not one (first error only: the file is not a person's to fix). */
export function parseSavedReport(json: string): { report: SavedPullRequestReport } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
  if (!validateSavedReport(data)) {
    const first = validateSavedReport.errors?.[0];
    return { error: `not a dbt-unskip PR report: ${first?.instancePath || "/"} ${first?.message ?? "is invalid"}` };
  }
  return { report: data as SavedPullRequestReport };
}
