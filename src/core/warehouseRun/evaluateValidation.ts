import type { ValidationCheck } from "../plan/types.js";
import type { ValidationResult } from "./runOutcome.js";

/**
 * Matches the rows of validation.sql (`check_id`, `observed`, in whatever case the warehouse gives
 * column names) to the checks: an empty relation is a warning, a null unique key a failure, and a
 * check with no row a failure (the query did not say).
 */
export function evaluateValidation(checks: readonly ValidationCheck[], rows: readonly Record<string, unknown>[]): ValidationResult[] {
  const observed = new Map<number, number>();
  for (const row of rows) {
    const lower = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    const id = Number(lower.check_id);
    const value = Number(lower.observed);
    if (Number.isFinite(id) && Number.isFinite(value)) observed.set(id, value);
  }
  return checks.map((check): ValidationResult => {
    const value = observed.get(check.id);
    if (value === undefined) return { ...check, observed: null, status: "failed" };
    if (check.kind === "row_count") return { ...check, observed: value, status: value > 0 ? "ok" : "warn" };
    return { ...check, observed: value, status: value === 0 ? "ok" : "failed" };
  });
}
