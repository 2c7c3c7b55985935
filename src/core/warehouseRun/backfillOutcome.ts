import type { Batch } from "./backfillBatches.js";
import type { BackfillMode } from "./backfillState.js";

// What `dbt-unskip backfill` did. Its JSON form (`backfill --json`) is a contract: add fields, never rename.

export interface BackfillOutcome {
  /** `interrupted`: Ctrl-C or SIGTERM stopped dbt; finished batches stay recorded, the stopped one is pending. */
  result: "completed" | "failed" | "cancelled" | "interrupted" | "nothing-to-do";
  model: string;
  mode: BackfillMode;
  stateFile: string;
  /** Every batch of the range and what became of it in this run. */
  batches: (Batch & { status: "done-before" | "done" | "failed" | "pending"; seconds: number | null })[];
  /** dbt run invocations made by this run. */
  invocations: number;
  error: string | null;
}
