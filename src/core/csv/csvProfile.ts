import type { NullPolicy } from "./nullPolicy.js";
import type { UniqueVerdict } from "./uniqueTracker.js";

export type DateFormat = "YYYY-MM-DD" | "DD/MM/YYYY" | "MM/DD/YYYY";

/** A column's type, independent of the warehouse (dialects map it, see core/generate/dialect.ts). */
export type InferredType =
  | { kind: "boolean" }
  | { kind: "integer"; size: "smallint" | "integer" | "bigint" }
  /** Also integers wider than bigint (`scale` 0). `precision` may exceed what a dialect allows. */
  | { kind: "decimal"; precision: number; scale: number }
  /** Scientific notation seen: a double. */
  | { kind: "float" }
  | { kind: "date"; format: DateFormat }
  | { kind: "timestamp"; withTimeZone: boolean }
  | { kind: "text" };

export type TypeFamily = "boolean" | "integer" | "decimal" | "float" | "date" | "timestamp";

export interface ValueExample {
  line: number;
  /** The value, cut at 60 characters. */
  value: string;
  reason: string;
}

/** Values that kept a column from a narrower type: the family most values fitted, and the rest. */
export interface Misfit {
  family: TypeFamily;
  /** How many values did not fit. */
  count: number;
  /** The first few, with their lines. */
  examples: ValueExample[];
}

export interface ColumnProfile {
  name: string;
  /** 1-based position in the header. */
  position: number;
  type: InferredType;
  /** Rows where the loader will store NULL (see NullPolicy). */
  nulls: number;
  /** Non-null values. */
  values: number;
  /** Quoted empty strings `""` kept as empty strings (only under the `csv` policy). */
  emptyStrings: number;
  /** Longest value, in characters. */
  maxLength: number;
  unique: UniqueVerdict;
  /** Why the type is what it is, when that is not obvious (leading zeros, date order, ...). */
  notes: string[];
  misfit: Misfit | null;
}

export interface CsvProfile {
  rows: number;
  columns: ColumnProfile[];
  /** The inferred key: a column whose values were all distinct and non-null. */
  key: { column: string; proof: "exact" | "hash" | "sorted" } | null;
  /** Other columns that are unique, and columns whose uniqueness could not be proven. */
  keyNotes: string[];
  bom: boolean;
  lineEndings: "lf" | "crlf" | "mixed" | "none";
  nullPolicy: NullPolicy;
}
