/**
 * How a warehouse spells a quoted identifier, and what it does to an unquoted one. dbt records the
 * adapter in `manifest.json` (`metadata.adapter_type`); adapters that share a quoting style share a
 * dialect here.
 */
export type SqlDialect = "duckdb" | "postgres" | "snowflake" | "bigquery" | "databricks" | "ansi";

const BY_ADAPTER: Record<string, SqlDialect> = {
  duckdb: "duckdb",
  postgres: "postgres",
  redshift: "postgres",
  materialize: "postgres",
  snowflake: "snowflake",
  bigquery: "bigquery",
  databricks: "databricks",
  spark: "databricks",
};

export function sqlDialect(adapterType: string | null | undefined): SqlDialect {
  return BY_ADAPTER[(adapterType ?? "").toLowerCase()] ?? "ansi";
}

/**
 * One identifier, quoted so the warehouse reads back exactly `name`:
 * - DuckDB, Postgres, Snowflake (and ANSI): `"` doubled inside double quotes;
 * - BigQuery: backticks, with `\` and `` ` `` (and control characters) backslash-escaped, as in its
 *   string literals;
 * - Databricks/Spark: backticks, with `` ` `` doubled.
 */
export function quoteIdentifier(dialect: SqlDialect, name: string): string {
  switch (dialect) {
    case "bigquery":
      return `\`${name.replace(/[\\`\n\r\t]/g, (c) => BIGQUERY_ESCAPES[c]!)}\``;
    case "databricks":
      return `\`${name.replace(/`/g, "``")}\``;
    default:
      return `"${name.replace(/"/g, '""')}"`;
  }
}

const BIGQUERY_ESCAPES: Record<string, string> = { "\\": "\\\\", "`": "\\`", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * What the warehouse stores for an identifier written without quotes: Snowflake folds it to upper
 * case, Postgres to lower case; DuckDB, BigQuery and Databricks match it case-insensitively or as
 * written. Quoting the folded name then names the same object.
 */
export function foldUnquoted(dialect: SqlDialect, name: string): string {
  if (dialect === "snowflake") return name.toUpperCase();
  if (dialect === "postgres") return name.toLowerCase();
  return name;
}

/** Whether dbt's adapter quotes database/schema/identifier by default (Snowflake's does not). */
export function quotesByDefault(dialect: SqlDialect): boolean {
  return dialect !== "snowflake";
}
