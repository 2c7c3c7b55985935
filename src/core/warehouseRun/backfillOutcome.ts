import type { Batch } from "./backfillBatches.js";
import type { BackfillMode } from "./backfillState.js";

// What `dbt-unskip backfill` did. Its JSON form (`backfill --json`) is a contract: add fields, never rename.

export interface BackfillOutcome {
  result: "completed" | "failed" | "cancelled" | "nothing-to-do";
  model: string;
  mode: BackfillMode;
  stateFile: string;
  /** Every batch of the range and what became of it in this run. */
  batches: (Batch & { status: "done-before" | "done" | "failed" | "pending"; seconds: number | null })[];
  /** dbt run invocations made by this run. */
  invocations: number;
  error: string | null;
}
