import type { MacroDefinition } from "../types.js";

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
export type MacroTarget =
  | { kind: "project"; definition: MacroDefinition }
  | { kind: "local"; name: string; params: MacroDefinition["params"]; from: number; to: number };

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
        // defineProperty, so that a key such as `__proto__` stays an ordinary key.
        Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return undefined;
  }
}
