import type { MacroDefinition } from "../types.js";
import { pythonFloatText } from "./token.js";

/**
 * What the static evaluator knows about a Jinja value. Anything it cannot know (the result of
 * `var()`, a relation returned by `ref()`, an undefined name) is `unknown`; `oneOf` holds the
 * possible values when branches of an `{% if %}` disagree, so that every branch is accounted for.
 */
export type Value =
  | { kind: "str"; value: string }
  | { kind: "num"; value: number; text: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "list"; items: Value[] }
  | { kind: "dict"; entries: Map<string, Value> }
  | { kind: "oneOf"; options: Value[] }
  | { kind: "macro"; name: string; targets: MacroTarget[] }
  | { kind: "builtin"; name: string }
  | { kind: "unknown" };

/** A macro the evaluator can run: one from the project index, or one defined in the model itself. */
export type MacroTarget = { kind: "project"; definition: MacroDefinition } | { kind: "local"; name: string; params: MacroDefinition["params"]; from: number; to: number };

/** More possibilities than this and the value is treated as unknown (keeps cross products small). */
export const MAX_OPTIONS = 32;

export const UNKNOWN: Value = { kind: "unknown" };
export const NONE: Value = { kind: "none" };
export const str = (value: string): Value => ({ kind: "str", value });
export const num = (value: number, text = String(value)): Value => ({ kind: "num", value, text });

/** The alternatives a value stands for (a plain value stands for itself). */
export function optionsOf(value: Value): Value[] {
  return value.kind === "oneOf" ? value.options : [value];
}

/** Combines possible values, flattening and de-duplicating literals; too many becomes unknown. */
export function oneOf(values: Value[]): Value {
  // The common case (one macro target, one return value): that value itself.
  if (values.length === 1 && (values[0] as Value).kind !== "oneOf") return values[0] as Value;
  const seen = new Set<string>();
  const options: Value[] = [];
  for (const option of values.flatMap(optionsOf)) {
    const key = literalKey(option);
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    options.push(option);
  }
  if (options.length > MAX_OPTIONS) return UNKNOWN;
  return options.length === 1 ? (options[0] as Value) : { kind: "oneOf", options };
}

/** A key identifying a scalar literal, or null for values that are not one. */
export function literalKey(value: Value): string | null {
  switch (value.kind) {
    case "str":
      return `s:${value.value}`;
    case "num":
      return `n:${value.text}`;
    case "bool":
      return `b:${value.value}`;
    case "none":
      return "none";
    case "unknown":
      return "unknown";
    default:
      return null;
  }
}

/** Jinja's `~` / `string` conversion, when the value is a scalar literal. */
export function toText(value: Value): string | null {
  switch (value.kind) {
    case "str":
      return value.value;
    case "num":
      return value.text;
    case "bool":
      return value.value ? "True" : "False";
    case "none":
      return "None";
    default:
      return null;
  }
}

/** Every choice of one alternative per value, or null when there would be more than MAX_OPTIONS. */
export function combinations(values: Value[]): Value[][] | null {
  if (!values.some((v) => v.kind === "oneOf")) return [values];
  let combos: Value[][] = [[]];
  for (const value of values) {
    const options = optionsOf(value);
    if (combos.length * options.length > MAX_OPTIONS) return null;
    combos = combos.flatMap((combo) => options.map((o) => [...combo, o]));
  }
  return combos;
}

/** Applies `f` to every combination of the operands' alternatives; unknown if there are too many. */
export function combine(operands: Value[], f: (values: Value[]) => Value): Value {
  const combos = combinations(operands);
  if (combos === null) return UNKNOWN;
  return combos.length === 1 ? f(combos[0] as Value[]) : oneOf(combos.map(f));
}

/** The plain JavaScript form of a fully literal value (for `config()`), or undefined if not literal. */
export function toPlain(value: Value, depth = 0): unknown {
  // Lists are mutable (`append`), so a value can contain itself: bound the walk.
  if (depth > 50) return undefined;
  switch (value.kind) {
    case "str":
    case "bool":
    case "num":
      return value.value;
    case "none":
      return null;
    case "list": {
      const items = value.items.map((item) => toPlain(item, depth + 1));
      return items.includes(undefined) ? undefined : items;
    }
    case "dict": {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of value.entries) {
        const plain = toPlain(entry, depth + 1);
        if (plain === undefined) return undefined;
        // defineProperty for `__proto__`, so that it stays an ordinary key; any other key of a fresh
        // object is set the same way by assignment (Object.prototype has no other setter), cheaper.
        if (key === "__proto__") Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
        else out[key] = plain;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Whether a number value is a Python float (its text has a point, an exponent, inf or nan). */
export function isFloat(value: { text: string }): boolean {
  return /[.eEn]/.test(value.text);
}

/** A number computed from others: an int stays an int (as Python prints it), else a float. */
export function numberOf(value: number, float: boolean): Value {
  if (!float && Number.isSafeInteger(value)) return num(value, String(value));
  if (!float) return UNKNOWN; // beyond exact integers: Python would be exact, we are not
  return num(value, pythonFloatText(value));
}

/** The value of a number literal's text (as the lexer writes it). */
export function numberLiteral(text: string): Value {
  const value = text === "inf" ? Infinity : text === "nan" ? NaN : Number(text);
  return num(value, text);
}

/**
 * Python's truth value of a known value: true or false; null when it cannot be known (unknown, or
 * alternatives that disagree).
 */
export function truth(value: Value): boolean | null {
  switch (value.kind) {
    case "str":
      return value.value !== "";
    case "num":
      return value.value !== 0;
    case "bool":
      return value.value;
    case "none":
      return false;
    case "list":
      return value.items.length > 0;
    case "dict":
      return value.entries.size > 0;
    case "oneOf": {
      let answer: boolean | null = null;
      for (const option of value.options) {
        const t = truth(option);
        if (t === null || (answer !== null && answer !== t)) return null;
        answer = t;
      }
      return answer;
    }
    case "macro":
    case "builtin":
      return true;
    case "unknown":
      return null;
  }
}

export const bool = (value: boolean): Value => ({ kind: "bool", value });

/** Whether a value is fully known: no unknown anywhere inside it (bounded walk). */
export function isKnown(value: Value, depth = 0): boolean {
  if (depth > 50) return false;
  switch (value.kind) {
    case "unknown":
      return false;
    case "list":
      return value.items.every((item) => isKnown(item, depth + 1));
    case "dict":
      return [...value.entries.values()].every((item) => isKnown(item, depth + 1));
    case "oneOf":
      return false;
    default:
      return true;
  }
}

/** A plain JavaScript value (parsed JSON or YAML, a var) as a Jinja value. */
export function fromPlain(value: unknown, depth = 0): Value {
  if (depth > 50) return UNKNOWN;
  if (value === null || value === undefined) return NONE;
  if (typeof value === "string") return str(value);
  if (typeof value === "boolean") return bool(value);
  if (typeof value === "number") return Number.isInteger(value) ? num(value, String(value)) : numberOf(value, true);
  if (typeof value === "bigint") return num(Number(value), value.toString());
  if (Array.isArray(value)) return { kind: "list", items: value.map((item) => fromPlain(item, depth + 1)) };
  if (value instanceof Date) return UNKNOWN;
  if (typeof value === "object") {
    const entries = new Map<string, Value>();
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) entries.set(key, fromPlain(entry, depth + 1));
    return { kind: "dict", entries };
  }
  return UNKNOWN;
}
