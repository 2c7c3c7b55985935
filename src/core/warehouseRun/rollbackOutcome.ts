// What `dbt-unskip rollback` did. Its JSON form (`rollback --json`) is a contract: add fields, never rename.

export interface RollbackOutcome {
  /**
   * `refused`: a restored file changed since the restore (nothing changed). `interrupted`: Ctrl-C or
   * SIGTERM stopped it before rollback.sh ran (the files were not touched; `dropped` says what was
   * dropped; running it again is safe). rollback.sh itself is never cut short.
   */
  result: "rolled-back" | "cancelled" | "refused" | "interrupted" | "failed";
  dimension: string;
  commit: string | null;
  dropped: { model: string; sql: string; ok: boolean; error: string | null }[];
  /** What rollback.sh said. */
  script: string;
  error: string | null;
}
