import type { ColumnProfile, DateFormat, InferredType } from "../csv/csvProfile.js";
import { allSimple, MAX_DECIMAL_PRECISION, physicalName, quoteIdentifier, type Dialect } from "./dialect.js";

export type GenerateMode = "seed" | "source";

/** One column as it will exist in the warehouse. */
export interface ColumnPlan {
  profile: ColumnProfile;
  /** The header name (seed `column_types` keys use it). */
  header: string;
  /** The column's name in the warehouse (upper-cased on Snowflake when simple). */
  physical: string;
  /** The type actually used, after dialect limits (a too-wide decimal may become text). */
  type: InferredType;
  /** The dialect's type name, e.g. `DECIMAL(10,2)`. */
  sqlType: string;
  /** Not null in every row (so `not_null` is tested and the column declared NOT NULL). */
  notNull: boolean;
  /** Why the type differs from the inference, for this dialect and mode. */
  notes: string[];
}

/**
 * Whether column names are folded to Snowflake's upper case. A seed's columns are all created
 * either unquoted (`quote_columns: false`, folded) or all quoted exactly, so one odd name keeps
 * every name exact; a source's CREATE TABLE quotes each name on its own.
 */
export function foldsColumnNames(dialect: Dialect, mode: GenerateMode, headers: readonly string[]): boolean {
  return dialect === "snowflake" && (mode === "source" || allSimple(headers));
}

/** Maps inferred types to one dialect, within what the chosen loader can read. */
export function planColumns(dialect: Dialect, mode: GenerateMode, columns: readonly ColumnProfile[]): ColumnPlan[] {
  const fold = foldsColumnNames(
    dialect,
    mode,
    columns.map((c) => c.name),
  );
  return columns.map((profile) => {
    const notes: string[] = [];
    const type = fitType(dialect, mode, profile.type, notes);
    if (profile.name.includes('"')) notes.push("the name holds a double quote, which dbt's tests cannot quote: no dbt tests, validate.sql checks it");
    return {
      profile,
      header: profile.name,
      physical: fold ? physicalName(dialect, profile.name) : profile.name,
      type,
      sqlType: sqlType(dialect, type),
      notNull: profile.nulls === 0 && profile.values > 0,
      notes,
    };
  });
}

function fitType(dialect: Dialect, mode: GenerateMode, type: InferredType, notes: string[]): InferredType {
  if (type.kind === "decimal" && type.precision > MAX_DECIMAL_PRECISION) {
    if (dialect === "postgres") {
      notes.push(`${type.precision} digits: NUMERIC without a precision (Postgres has no 38-digit limit there)`);
      return type;
    }
    notes.push(`${type.precision} digits exceed the ${MAX_DECIMAL_PRECISION} ${dialect === "duckdb" ? "DuckDB" : "Snowflake"} allows in a DECIMAL: kept as text so no digit is lost`);
    return { kind: "text" };
  }
  if (type.kind === "date" && type.format !== "YYYY-MM-DD" && mode === "seed") {
    // dbt seeds hand values to the warehouse as they are; only ISO dates cast everywhere.
    notes.push(`dates written ${type.format}: a dbt seed can only load YYYY-MM-DD, so kept as text (convert in a staging model, or use --as source, whose load converts them)`);
    return { kind: "text" };
  }
  return type;
}

export function sqlType(dialect: Dialect, type: InferredType): string {
  switch (type.kind) {
    case "boolean":
      return "BOOLEAN";
    case "integer":
      return type.size.toUpperCase();
    case "decimal":
      if (type.precision > MAX_DECIMAL_PRECISION) return "NUMERIC";
      return `${dialect === "snowflake" ? "NUMBER" : dialect === "postgres" ? "NUMERIC" : "DECIMAL"}(${type.precision},${type.scale})`;
    case "float":
      return dialect === "postgres" ? "DOUBLE PRECISION" : dialect === "snowflake" ? "FLOAT" : "DOUBLE";
    case "date":
      return "DATE";
    case "timestamp":
      if (dialect === "snowflake") return type.withTimeZone ? "TIMESTAMP_TZ" : "TIMESTAMP_NTZ";
      return type.withTimeZone ? "TIMESTAMPTZ" : "TIMESTAMP";
    case "text":
      return dialect === "postgres" ? "TEXT" : "VARCHAR";
  }
}

const STRPTIME: Record<Exclude<DateFormat, "YYYY-MM-DD">, string> = { "DD/MM/YYYY": "%d/%m/%Y", "MM/DD/YYYY": "%m/%d/%Y" };

/**
 * The expression that turns a loaded text value (`input`, already an expression) into the column's
 * type. Every value was checked to fit, so a failing cast means the file changed since.
 */
export function castExpression(dialect: Dialect, column: ColumnPlan, input: string): string {
  const type = column.type;
  if (type.kind === "text") return input;
  if (type.kind === "date" && type.format !== "YYYY-MM-DD") {
    if (dialect === "duckdb") return `CAST(strptime(${input}, '${STRPTIME[type.format]}') AS DATE)`;
    return `TO_DATE(${input}, '${type.format}')`;
  }
  return `CAST(${input} AS ${column.sqlType})`;
}

/** The quoted physical column name. */
export function columnIdentifier(column: ColumnPlan): string {
  return quoteIdentifier(column.physical);
}
