import type { ReportModel } from "../readiness/readinessReport.js";
import type { BatchModel } from "./restoreBatch.js";

/** Marks the tool's own commits, so a later run can tell them from a person's. */
export const COMMIT_TRAILER = "Generated-by: dbt-unskip";

export interface StillPaused {
  name: string;
  path: string;
  status: ReportModel["status"] | "re-skipped";
  /** Missing dependencies (or the reason it was re-skipped), for the report and the restart log. */
  missing: string[];
  reason: string;
}

export interface RestoreOutcome {
  /**
   * `restored`: committed (or staged with --no-commit). `nothing-ready`: no model could come back,
   * nothing changed. `nothing-restorable`: every ready model failed dbt, nothing changed.
   * `cancelled`: the user said no. `interrupted`: Ctrl-C or SIGTERM (a cancelled CI job) stopped it;
   * nothing changed (`error` says when it arrived). `failed`: dbt or git failed; the tree is as it was
   * (or, when `error` says undoing it also failed, it is not).
   */
  result: "restored" | "nothing-ready" | "nothing-restorable" | "cancelled" | "interrupted" | "failed";
  dimension: string;
  project: string;
  restored: (BatchModel & { from: string; to: string })[];
  reSkipped: { name: string; path: string; reason: string }[];
  stillPaused: StillPaused[];
  /** Root causes blocking the dimension, with the dimension expected to provide each. */
  blockers: { name: string; type: "ref" | "source"; expectedFrom: string | null; blocks: string[] }[];
  progress: { before: { active: number; total: number }; after: { active: number; total: number } };
  dbt: { parseRuns: number; compileRuns: number; invocations: number; version: string | null };
  compiled: string[];
  stateDocument: { path: string; updated: boolean; problem: string | null } | null;
  /** Other dimensions' state documents this batch touched (it brought back some of their models). */
  otherStateDocuments?: { dimension: string; path: string; updated: boolean; problem: string | null }[];
  commit: { branch: string; sha: string; message: string } | null;
  /** Things a person should know: their uncommitted edit of a changed file that stayed as it was. */
  notes?: string[];
  error: string | null;
}
