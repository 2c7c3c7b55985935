import { quoteIdentifier as quoteSqlIdentifier } from "../plan/sqlDialect.js";
/** The warehouses generate writes SQL for. */
export type Dialect = "duckdb" | "postgres" | "snowflake";

export const DIALECTS: readonly Dialect[] = ["duckdb", "postgres", "snowflake"];

/** Largest DECIMAL precision each warehouse accepts (Postgres NUMERIC without a precision has no such limit). */
export const MAX_DECIMAL_PRECISION = 38;

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The name a warehouse object gets. Snowflake stores unquoted names in upper case, and dbt-snowflake
 * refers to sources and seed columns unquoted, so a simple name is upper-cased to be the object dbt
 * will look for; anything else keeps its exact spelling (and must be quoted wherever it is used).
 * DuckDB and Postgres keep the name as written.
 */
export function physicalName(dialect: Dialect, name: string): string {
  return dialect === "snowflake" && SIMPLE.test(name) ? name.toUpperCase() : name;
}

/** A quoted identifier with embedded quotes doubled: the same rule in all three dialects generate writes. */
export function quoteIdentifier(name: string): string {
  return quoteSqlIdentifier("duckdb", name);
}

/** `"schema"."table"` with both parts quoted. */
export function qualifiedName(dialect: Dialect, schema: string, table: string): string {
  return `${quoteIdentifier(physicalName(dialect, schema))}.${quoteIdentifier(physicalName(dialect, table))}`;
}

/**
 * A SQL string literal. Quotes are doubled everywhere; Snowflake also treats backslash as an escape
 * character inside single quotes, so there it is doubled too.
 */
export function sqlString(dialect: Dialect, text: string): string {
  const body = dialect === "snowflake" ? text.replace(/\\/g, "\\\\") : text;
  return `'${body.replace(/'/g, "''")}'`;
}

/** Whether every name is a simple identifier (letters, digits, `_`, not starting with a digit). */
export function allSimple(names: readonly string[]): boolean {
  return names.every((n) => SIMPLE.test(n));
}
