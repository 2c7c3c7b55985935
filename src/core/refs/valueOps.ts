import { NONE, UNKNOWN, combine, num, oneOf, optionsOf, str, toText, type Value } from "./jinjaValue.js";

/** Strings and lists longer than this become unknown, so that doubling loops cannot exhaust memory. */
const MAX_STRING = 4_096;
const MAX_LIST = 10_000;
const MAX_RANGE = 1_000;

const text = (s: string): Value => (s.length > MAX_STRING ? UNKNOWN : str(s));

/** Applies `f` to each alternative of `value` and merges the results. */
function each(value: Value, f: (v: Value) => Value): Value {
  return value.kind === "oneOf" ? oneOf(value.options.map(f)) : f(value);
}

/** `a op b` for the operators whose result can matter to a ref name; others are unknown. */
export function binary(op: string, left: Value, right: Value): Value {
  if (op !== "~" && op !== "+") return UNKNOWN;
  return combine([left, right], ([a, b]) => {
    if (a === undefined || b === undefined) return UNKNOWN;
    if (op === "~") {
      const [x, y] = [toText(a), toText(b)];
      return x === null || y === null ? UNKNOWN : text(x + y);
    }
    if (a.kind === "str" && b.kind === "str") return text(a.value + b.value);
    if (a.kind === "num" && b.kind === "num") return num(a.value + b.value);
    if (a.kind === "list" && b.kind === "list" && a.items.length + b.items.length <= MAX_LIST)
      return { kind: "list", items: [...a.items, ...b.items] };
    return UNKNOWN;
  });
}

/** The items a `{% for %}` visits, or null when they cannot be known. */
export function iterate(value: Value): Value[] | null {
  if (value.kind === "oneOf") {
    const all: Value[] = [];
    for (const option of value.options) {
      const items = iterate(option);
      if (items === null) return null;
      all.push(...items);
    }
    return all;
  }
  if (value.kind === "list") return [...value.items];
  if (value.kind === "dict") return [...value.entries.keys()].map(str);
  return null;
}

export function subscript(object: Value, key: Value): Value {
  return combine([object, key], ([o, k]) => {
    if (o?.kind === "list" && k?.kind === "num" && Number.isInteger(k.value)) {
      return o.items.at(k.value) ?? UNKNOWN;
    }
    if (o?.kind === "dict" && k !== undefined) {
      const name = toText(k);
      return name === null ? UNKNOWN : (o.entries.get(name) ?? UNKNOWN);
    }
    if (o?.kind === "str" && k?.kind === "num" && Number.isInteger(k.value)) {
      const c = o.value.at(k.value);
      return c === undefined ? UNKNOWN : str(c);
    }
    return UNKNOWN;
  });
}

/** `x.name` when it is not a method call: dict fields (Jinja falls back from attribute to item). */
export function attribute(object: Value, name: string): Value {
  return each(object, (o) => (o.kind === "dict" ? (o.entries.get(name) ?? UNKNOWN) : UNKNOWN));
}

/** Built-in filters that keep a name computable; any other filter yields unknown. */
export function filter(name: string, subject: Value, args: Value[]): Value {
  return each(subject, (s) => {
    const t = toText(s);
    switch (name) {
      case "lower":
        return t === null ? UNKNOWN : str(t.toLowerCase());
      case "upper":
        return t === null ? UNKNOWN : str(t.toUpperCase());
      case "trim":
        return t === null ? UNKNOWN : str(t.trim());
      case "string":
        return t === null ? UNKNOWN : str(t);
      case "replace":
        return stringMethod(s, "replace", args);
      case "list":
        return s.kind === "list" ? s : UNKNOWN;
      case "first":
        return s.kind === "list" ? (s.items[0] ?? UNKNOWN) : UNKNOWN;
      case "last":
        return s.kind === "list" ? (s.items[s.items.length - 1] ?? UNKNOWN) : UNKNOWN;
      case "length":
      case "count":
        return s.kind === "list" ? num(s.items.length) : t === null ? UNKNOWN : num(t.length);
      case "join": {
        if (s.kind !== "list") return UNKNOWN;
        const parts = s.items.map(toText);
        const sep = args[0] === undefined ? "" : toText(args[0]);
        return sep === null || parts.includes(null) ? UNKNOWN : text(parts.join(sep));
      }
      case "default":
      case "d":
        return s.kind === "unknown" || s.kind === "none" ? UNKNOWN : s;
      default:
        return UNKNOWN;
    }
  });
}

/** Methods called on values: the string, list and dict methods dbt code uses to build names. */
export function method(object: Value, name: string, args: Value[]): Value {
  return each(object, (o) => {
    if (o.kind === "str") return stringMethod(o, name, args);
    if (o.kind === "list") return listMethod(o, name, args);
    if (o.kind === "dict") return dictMethod(o, name, args);
    return UNKNOWN;
  });
}

function stringMethod(s: Value, name: string, args: Value[]): Value {
  if (s.kind !== "str") return UNKNOWN;
  const texts = args.map(toText);
  switch (name) {
    case "upper":
      return str(s.value.toUpperCase());
    case "lower":
      return str(s.value.toLowerCase());
    case "strip":
      return texts[0] == null ? str(s.value.trim()) : UNKNOWN;
    case "replace": {
      const [from, to] = texts;
      return from == null || to == null ? UNKNOWN : text(s.value.split(from).join(to));
    }
    case "format": {
      if (texts.includes(null)) return UNKNOWN;
      let next = 0;
      let ok = true;
      const out = s.value.replace(/\{(\d*)\}/g, (_m, index: string) => {
        const value = texts[index === "" ? next++ : Number(index)];
        if (value == null) ok = false;
        return value ?? "";
      });
      return ok ? text(out) : UNKNOWN;
    }
    case "split": {
      const sep = texts[0];
      if (sep == null || sep === "") return UNKNOWN;
      return { kind: "list", items: s.value.split(sep).slice(0, MAX_LIST).map(str) };
    }
    default:
      return UNKNOWN;
  }
}

function listMethod(list: Extract<Value, { kind: "list" }>, name: string, args: Value[]): Value {
  // Lists are mutable in Jinja (`{% do models.append('x') %}`); growth is capped.
  if (name === "append" && args[0] !== undefined && list.items.length < MAX_LIST) list.items.push(args[0]);
  else if (name === "extend" && args[0]?.kind === "list" && list.items.length + args[0].items.length <= MAX_LIST)
    list.items.push(...args[0].items);
  return name === "append" || name === "extend" ? NONE : UNKNOWN;
}

function dictMethod(dict: Extract<Value, { kind: "dict" }>, name: string, args: Value[]): Value {
  switch (name) {
    case "items":
      return { kind: "list", items: [...dict.entries].map(([k, v]) => ({ kind: "list", items: [str(k), v] })) };
    case "keys":
      return { kind: "list", items: [...dict.entries.keys()].map(str) };
    case "values":
      return { kind: "list", items: [...dict.entries.values()] };
    case "get": {
      const key = args[0] === undefined ? null : toText(args[0]);
      if (key === null) return UNKNOWN;
      return dict.entries.get(key) ?? args[1] ?? NONE;
    }
    case "update":
      if (args[0]?.kind === "dict") for (const [k, v] of args[0].entries) dict.entries.set(k, v);
      return NONE;
    default:
      return UNKNOWN;
  }
}

/** `range(stop)` / `range(start, stop[, step])` over small literal integers. */
export function range(args: Value[]): Value {
  const ints = args.map((a) => (a.kind === "num" && Number.isInteger(a.value) ? a.value : null));
  if (ints.length === 0 || ints.length > 3 || ints.includes(null)) return UNKNOWN;
  const [start, stop, step] = ints.length === 1 ? [0, ints[0] as number, 1] : [ints[0] as number, ints[1] as number, ints[2] ?? 1];
  if (step === 0 || Math.abs((stop - start) / step) > MAX_RANGE) return UNKNOWN;
  const items: Value[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) items.push(num(i));
  return { kind: "list", items };
}

/** Values a tuple target receives from one item: per position, merged across alternatives. */
export function unpack(value: Value, count: number): Value[] {
  const options = optionsOf(value);
  return Array.from({ length: count }, (_, i) =>
    oneOf(options.map((o) => (o.kind === "list" && o.items.length === count ? (o.items[i] as Value) : UNKNOWN))),
  );
}
