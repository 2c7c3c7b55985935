// What `dbt-unskip rollback` did. Its JSON form (`rollback --json`) is a contract: add fields, never rename.

export interface RollbackOutcome {
  /** `refused`: a restored file changed since the restore (nothing changed). */
  result: "rolled-back" | "cancelled" | "refused" | "failed";
  dimension: string;
  commit: string | null;
  dropped: { model: string; sql: string; ok: boolean; error: string | null }[];
  /** What rollback.sh said. */
  script: string;
  error: string | null;
}
