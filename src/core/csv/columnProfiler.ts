import { classifyValue, daysInMonth, newValueInfo, type ValueShape } from "./classifyValue.js";
import type { ColumnProfile, InferredType, Misfit, TypeFamily, ValueExample } from "./csvProfile.js";
import { isNullValue, type NullPolicy } from "./nullPolicy.js";
import type { TrackingBudget } from "./trackingBudget.js";
import { UniqueTracker } from "./uniqueTracker.js";

const EXAMPLES = 3;
const FAMILIES: TypeFamily[] = ["boolean", "integer", "decimal", "float", "date", "timestamp"];
const BOOLEAN = 0;
const INTEGER = 1;
const DECIMAL = 2;
const FLOAT = 3;
const DATE = 4;
const TIMESTAMP = 5;
const INT_SIZES = ["smallint", "integer", "bigint"] as const;

interface FamilyState {
  hits: number;
  misses: number;
  examples: ValueExample[];
}

const info = newValueInfo();

/**
 * Everything one column needs to be typed after a single pass: which types every value fitted,
 * ranges and digits, the first few values that did not fit, nulls, and uniqueness. Constant memory
 * per column apart from the shared, budgeted uniqueness tracking.
 */
export class ColumnProfiler {
  private nulls = 0;
  private values = 0;
  private emptyStrings = 0;
  private maxLength = 0;
  // Indexed like FAMILIES; an array, not a Map: this is touched six times per value.
  private readonly families: FamilyState[] = FAMILIES.map(() => ({ hits: 0, misses: 0, examples: [] }));
  private intSize = 0;
  private intDigits = 0;
  private decIntDigits = 0;
  private decScale = 0;
  private sawExponent = false;
  private firstIso: ValueExample | null = null;
  private firstSlash: ValueExample | null = null;
  private dmyExample: ValueExample | null = null;
  private mdyExample: ValueExample | null = null;
  private dmyPossible = true;
  private mdyPossible = true;
  private sawZone = false;
  private sawNoZone = false;
  private leadingZero: ValueExample | null = null;
  private leadingZeros = 0;
  private readonly unique: UniqueTracker;

  constructor(
    private readonly name: string,
    private readonly position: number,
    private readonly nullPolicy: NullPolicy,
    budget: TrackingBudget,
  ) {
    this.unique = new UniqueTracker(budget);
  }

  observe(value: string, quoted: boolean, line: number): void {
    if (isNullValue(this.nullPolicy, value, quoted)) {
      this.nulls++;
      this.unique.addNull();
      return;
    }
    this.values++;
    if (value.length === 0) this.emptyStrings++;
    if (value.length > this.maxLength) this.maxLength = value.length;
    const shape = classifyValue(value, info);
    if (this.unique.open) this.unique.add(value, line, shape === "int");
    this.judge(BOOLEAN, shape === "boolean", value, line, shape);
    const isInt = shape === "int";
    this.judge(INTEGER, isInt, value, line, shape);
    if (isInt) {
      if (info.intSize > this.intSize) this.intSize = info.intSize;
      if (info.intDigits > this.intDigits) this.intDigits = info.intDigits;
    }
    const isDecimal = isInt || shape === "decimal";
    this.judge(DECIMAL, isDecimal, value, line, shape);
    if (isDecimal) {
      if (info.intDigits > this.decIntDigits) this.decIntDigits = info.intDigits;
      if (!isInt && info.scale > this.decScale) this.decScale = info.scale;
    }
    const isFloat = isDecimal || shape === "float";
    if (shape === "float") this.sawExponent = true;
    this.judge(FLOAT, isFloat, value, line, shape);
    this.judge(DATE, this.dateFits(shape, value, line), value, line, shape);
    const isTimestamp = shape === "date-iso" || shape === "timestamp" || shape === "timestamptz";
    if (shape === "timestamptz") this.sawZone = true;
    else if (isTimestamp) this.sawNoZone = true;
    this.judge(TIMESTAMP, isTimestamp, value, line, shape);
    if (shape === "int-leading-zero" || shape === "decimal-leading-zero") {
      this.leadingZeros++;
      this.leadingZero ??= { line, value: cut(value), reason: "leading zero" };
    }
  }

  finish(): ColumnProfile {
    const notes: string[] = [];
    const type = this.decide(notes);
    if (type.kind === "text" && this.leadingZero) {
      notes.push(`${count(this.leadingZeros, "value")} with leading zeros (e.g. '${this.leadingZero.value}' on line ${this.leadingZero.line}): kept as text so the zeros survive`);
    }
    if (this.values === 0) notes.push("every value is empty: typed as text");
    if (this.emptyStrings > 0) {
      notes.push(`${count(this.emptyStrings, "quoted empty field")} ("") loaded as ${this.emptyStrings === 1 ? "an empty string" : "empty strings"}, not NULL`);
    }
    return {
      name: this.name,
      position: this.position,
      type,
      nulls: this.nulls,
      values: this.values,
      emptyStrings: this.emptyStrings,
      maxLength: this.maxLength,
      unique: this.unique.verdict(type.kind === "integer"),
      notes,
      misfit: type.kind === "text" ? this.nearestMisfit() : null,
    };
  }

  private decide(notes: string[]): InferredType {
    if (this.values === 0) return { kind: "text" };
    const fits = (f: number) => this.families[f]!.misses === 0;
    if (fits(BOOLEAN)) return { kind: "boolean" };
    if (fits(INTEGER)) {
      if (this.intSize <= 2) return { kind: "integer", size: INT_SIZES[this.intSize]! };
      notes.push("integers wider than bigint: typed as a decimal with no fraction");
      return { kind: "decimal", precision: this.intDigits, scale: 0 };
    }
    if (fits(DECIMAL)) return { kind: "decimal", precision: Math.max(1, this.decIntDigits + this.decScale), scale: this.decScale };
    if (fits(FLOAT) && this.sawExponent) {
      notes.push("scientific notation: typed as a double (about 15 significant digits)");
      return { kind: "float" };
    }
    if (fits(DATE)) {
      const date = this.dateType(notes);
      if (date) return date;
    } else if (fits(TIMESTAMP)) {
      if (this.sawZone && this.sawNoZone) {
        notes.push("mixes timestamps with and without a time zone: kept as text");
        return { kind: "text" };
      }
      return { kind: "timestamp", withTimeZone: this.sawZone };
    }
    return { kind: "text" };
  }

  private dateType(notes: string[]): InferredType | null {
    if (this.firstIso && !this.firstSlash) return { kind: "date", format: "YYYY-MM-DD" };
    if (this.firstIso && this.firstSlash) {
      notes.push(`mixed date formats ('${this.firstIso.value}' on line ${this.firstIso.line}, '${this.firstSlash.value}' on line ${this.firstSlash.line}): no one format covers every value, kept as text`);
      return null;
    }
    if (this.dmyPossible && this.mdyPossible) {
      notes.push(`every date reads as both DD/MM/YYYY and MM/DD/YYYY (e.g. '${this.firstSlash!.value}' on line ${this.firstSlash!.line}): ambiguous, kept as text`);
      return null;
    }
    if (this.dmyPossible) {
      const proof = this.dmyExample ?? this.firstSlash!;
      notes.push(`dates written DD/MM/YYYY, the only order every value fits ('${proof.value}' on line ${proof.line} cannot be MM/DD/YYYY)`);
      return { kind: "date", format: "DD/MM/YYYY" };
    }
    const proof = this.mdyExample ?? this.firstSlash!;
    notes.push(`dates written MM/DD/YYYY, the only order every value fits ('${proof.value}' on line ${proof.line} cannot be DD/MM/YYYY)`);
    return { kind: "date", format: "MM/DD/YYYY" };
  }

  private dateFits(shape: ValueShape, value: string, line: number): boolean {
    if (shape === "date-iso") {
      this.firstIso ??= { line, value: cut(value), reason: "" };
      return true;
    }
    if (shape !== "date-slash") return false;
    this.firstSlash ??= { line, value: cut(value), reason: "" };
    const { first, second, year } = info;
    const asDmy = second <= 12 && first <= daysInMonth(year, second);
    const asMdy = first <= 12 && second <= daysInMonth(year, first);
    if (!asDmy && !asMdy) return false;
    if (!asMdy) {
      this.mdyPossible = false;
      this.dmyExample ??= { line, value: cut(value), reason: "" };
    }
    if (!asDmy) {
      this.dmyPossible = false;
      this.mdyExample ??= { line, value: cut(value), reason: "" };
    }
    return true;
  }

  private judge(family: number, fits: boolean, value: string, line: number, shape: ValueShape): void {
    const state = this.families[family]!;
    if (fits) {
      state.hits++;
      return;
    }
    state.misses++;
    if (state.examples.length < EXAMPLES) state.examples.push({ line, value: cut(value), reason: missReason(FAMILIES[family]!, shape) });
  }

  /** For a text column: the typed family most values fitted, when at least half did. */
  private nearestMisfit(): Misfit | null {
    let best = -1;
    this.families.forEach((state, i) => {
      if (state.hits === 0 || state.misses === 0 || state.hits < state.misses) return;
      if (best < 0 || state.hits > this.families[best]!.hits) best = i;
    });
    if (best < 0) return null;
    const state = this.families[best]!;
    return { family: FAMILIES[best]!, count: state.misses, examples: state.examples };
  }
}

function missReason(family: TypeFamily, shape: ValueShape): string {
  if (shape === "int-leading-zero" || shape === "decimal-leading-zero") return "leading zero";
  if (family === "integer" && shape === "decimal") return "has a fraction";
  if ((family === "integer" || family === "decimal") && shape === "float") return "scientific notation";
  if (family === "date" && shape === "date-slash") return "not a valid date in either day/month order";
  if (family === "date" && (shape === "timestamp" || shape === "timestamptz")) return "has a time";
  if (family === "timestamp" && shape === "date-slash") return "not an ISO timestamp";
  return `not ${family === "integer" ? "an integer" : family === "boolean" ? "true/false/yes/no" : `a ${family}`}`;
}

function cut(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}
