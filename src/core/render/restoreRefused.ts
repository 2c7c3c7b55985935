import type { ReportDimension } from "../readiness/readinessReport.js";
import { codeSpan } from "./codeSpan.js";

/**
 * A dimension's `restoreRefused` in Markdown (the folder's path in a code span): the same words as its
 * `message` (src/usecases/readStateDocuments.ts), said where a restore would otherwise be offered.
 */
export function restoreRefusedMarkdown(refused: NonNullable<ReportDimension["restoreRefused"]>): string {
  return `restore would be refused: ${codeSpan(refused.link)} is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository`;
}
