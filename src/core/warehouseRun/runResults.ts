/** One node's result from `target/run_results.json`. */
export interface NodeResult {
  uniqueId: string;
  /** success, error, skipped (models); pass, fail, warn, error, skipped (tests). */
  status: string;
  seconds: number;
  /** `adapter_response.rows_affected` when the adapter reports it (DuckDB does not for models). */
  rowsAffected: number | null;
  /** dbt's message (the error text for a failure). */
  message: string | null;
  /** Failing rows of a test. */
  failures: number | null;
}

/** Reads run_results.json (dbt 1.8+); anything it cannot read is left out rather than guessed. */
export function readRunResults(json: unknown): NodeResult[] {
  const results = (json as { results?: unknown })?.results;
  if (!Array.isArray(results)) return [];
  return results.flatMap((raw): NodeResult[] => {
    const r = raw as Record<string, unknown>;
    if (typeof r.unique_id !== "string") return [];
    const adapter = (r.adapter_response ?? {}) as Record<string, unknown>;
    const rows = adapter.rows_affected;
    return [
      {
        uniqueId: r.unique_id,
        status: typeof r.status === "string" ? r.status : "unknown",
        seconds: typeof r.execution_time === "number" ? r.execution_time : 0,
        // Some adapters answer -1 for "not known".
        rowsAffected: typeof rows === "number" && rows >= 0 ? rows : null,
        message: typeof r.message === "string" ? r.message : null,
        failures: typeof r.failures === "number" ? r.failures : null,
      },
    ];
  });
}
