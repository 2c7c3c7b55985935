import type { ValidationCheck } from "../plan/types.js";

// What `dbt-unskip run` did. Its JSON form (`run --json`) is a contract: add fields, never rename.

export type StepStatus = "ok" | "warn" | "failed" | "skipped";

export interface ExecutionStep {
  step: string;
  status: StepStatus;
  seconds: number;
  detail: string | null;
}

export interface ModelRun {
  name: string;
  relation: string | null;
  status: string;
  seconds: number;
  /** From the adapter, or counted afterwards (DuckDB reports none); null when neither is known. */
  rows: number | null;
  rowsFrom: "adapter" | "count" | null;
  message: string | null;
}

export interface TestRun {
  name: string;
  status: string;
  seconds: number;
  failures: number | null;
  message: string | null;
}

export interface ValidationResult extends ValidationCheck {
  observed: number | null;
  status: "ok" | "warn" | "failed";
}

export interface RunOutcome {
  /**
   * `succeeded` (warnings allowed); `failed`: dbt run, dbt test or validation failed (the rollback
   * is offered, never run); `preflight-failed`: nothing ran; `cancelled`: the user said no;
   * `interrupted`: Ctrl-C or SIGTERM stopped dbt (`error` says during which step; what dbt finished
   * before stays built, and the rollback is offered once dbt run had started).
   */
  result: "succeeded" | "failed" | "preflight-failed" | "cancelled" | "interrupted";
  dimension: string;
  project: string;
  commit: string;
  startedAt: string;
  seconds: number;
  steps: ExecutionStep[];
  upstream: { name: string; relation: string | null; present: boolean | null }[];
  /** Relations of the batch that existed before the run (a rollback would drop them too). */
  existedBefore: string[];
  models: ModelRun[];
  tests: TestRun[];
  validation: ValidationResult[];
  /** Offered when something failed: the exact command, for a person to decide. */
  rollbackCommand: string | null;
  error: string | null;
}
