import type { SqlDialect } from "./sqlDialect.js";

// The migration plan of one dimension: what a restore brings back (or brought back), what each model
// creates in the warehouse, how risky that is, and how to check and undo it. Its JSON form
// (`plan --json`, plan.json) is a contract: add fields freely, never rename or remove one.

export type RiskLevel = "low" | "medium" | "high";

export interface Risk {
  level: RiskLevel;
  reasons: string[];
}

/** One file a restore renames: `x.sql.skip` → `x.sql`. */
export interface PlannedFile {
  name: string;
  dimension: string | null;
  /** Relative to the dbt project. */
  skipFile: string;
  realFile: string;
  /** Why it is in the batch. */
  because: string;
  /** sha256 of the file's content (the same before and after a rename). */
  sha256: string;
}

export interface PlanDependency {
  name: string;
  /** `model`, `seed`, `snapshot`, `source`. */
  type: string;
  /** Restored in the same batch (so it does not have to exist beforehand). */
  inBatch: boolean;
  /** The relation it reads, quoted; null for ephemeral models and external sources. */
  relation: string | null;
}

export interface PlanModel extends PlannedFile {
  /** Position in the restore order, from 1. */
  order: number;
  uniqueId: string | null;
  /** view, table, incremental, microbatch, ephemeral, or another materialization dbt reported. */
  materialization: string;
  incrementalStrategy: string | null;
  /** The relation the model creates, quoted for the dialect; null for ephemeral models. */
  relation: string | null;
  /** Its exact parts (database, schema, identifier). */
  relationParts: string[] | null;
  dependsOn: PlanDependency[];
  dependents: {
    /** Active models that ref it. */
    active: string[];
    /** Other models of this batch that ref it. */
    inBatch: string[];
    /** Paused models that wait on it, with what else still blocks each. */
    paused: { name: string; dimension: string | null; stillBlockedBy: string[] }[];
  };
  tests: string[];
  /** Columns that must be unique (config `unique_key`, or a `unique` test): checked for nulls. */
  uniqueKey: string[];
  /** Microbatch settings, for the backfill command. */
  microbatch: { eventTime: string | null; begin: string | null; batchSize: string | null } | null;
  risk: Risk;
}

/** One piece of advice: fixed prose, then the models or the command it is about (rendered as code). */
export interface PlanStep {
  text: string;
  models: string[];
  command: string | null;
}

export type PlanBasis =
  /** What a restore would bring back now (paused, ready models). */
  | { kind: "ready" }
  /** What the restore in this commit brought back. */
  | { kind: "restored"; commit: string };

export interface ValidationCheck {
  /** 1-based; the `check_id` column of validation.sql. */
  id: number;
  model: string;
  relation: string;
  kind: "row_count" | "null_key";
  columns: string[];
  /** row_count: fewer than one row is a warning; null_key: any row is a failure. */
  description: string;
}

export interface MigrationPlan {
  dimension: string;
  project: { name: string; dir: string };
  adapter: string | null;
  dialect: SqlDialect;
  basis: PlanBasis;
  models: PlanModel[];
  /** Ready models dbt rejected when the batch was proven (they would be re-skipped). */
  reSkipped: { name: string; reason: string }[];
  /** The dimension's models that stay paused, with why. */
  stayingPaused: { name: string; reason: string }[];
  risk: Risk;
  recommendation: { verdict: "proceed" | "caution" | "review"; headline: string; steps: PlanStep[] };
  stateDocument: { path: string; previousSha256: string; afterSha256: string | null } | null;
  rollback: { command: string; sql: string; script: string };
  validation: { command: string; tests: string[]; checks: ValidationCheck[]; sql: string };
  commands: { run: string; rollback: string; backfill: string[] };
}
