/**
 * Which CSV values arrive in the warehouse as NULL. It depends on who loads the file, and the
 * inferred nullability (and the not_null tests written from it) must match the loader:
 *
 * - `csv`: the load statements this tool writes. An empty unquoted field is NULL; a quoted empty
 *   field `""` is an empty string (DuckDB `allow_quoted_nulls = false`, Postgres CSV COPY's
 *   default, Snowflake `EMPTY_FIELD_AS_NULL` with `FIELD_OPTIONALLY_ENCLOSED_BY`).
 * - `duckdb-seed`: `dbt seed` on dbt-duckdb, which runs DuckDB's `COPY ... (FORMAT CSV)`: both
 *   empty and `""` are NULL.
 * - `agate-seed`: `dbt seed` on other adapters reads the file with agate, which turns a blank
 *   value and the word `null` (any case, surrounding spaces ignored) into NULL.
 */
export type NullPolicy = "csv" | "duckdb-seed" | "agate-seed";

export function isNullValue(policy: NullPolicy, value: string, quoted: boolean): boolean {
  if (value === "") return policy === "csv" ? !quoted : true;
  if (policy !== "agate-seed") return false;
  const n = value.length;
  const padded = isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(n - 1));
  const core = padded ? value.trim() : value;
  return core === "" || (core.length === 4 && core.toLowerCase() === "null");
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
