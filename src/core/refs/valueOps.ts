import { NONE, UNKNOWN, combine, isFloat, isKnown, num, numberOf, oneOf, optionsOf, str, toText, truth, type Value } from "./jinjaValue.js";

/** Strings and lists longer than this become unknown, so that doubling loops cannot exhaust memory. */
const MAX_STRING = 4_096;
const MAX_LIST = 10_000;
const MAX_RANGE = 1_000;

const text = (s: string): Value => (s.length > MAX_STRING ? UNKNOWN : str(s));

/** Applies `f` to each alternative of `value` and merges the results. */
function each(value: Value, f: (v: Value) => Value): Value {
  return value.kind === "oneOf" ? oneOf(value.options.map(f)) : f(value);
}

/** `a op b` with Python's meaning on known values (comparison, `in`, arithmetic, `~`); else unknown. */
export function binary(op: string, left: Value, right: Value): Value {
  return combine([left, right], ([a, b]) => {
    if (a === undefined || b === undefined) return UNKNOWN;
    switch (op) {
      case "~": {
        const [x, y] = [toText(a), toText(b)];
        return x === null || y === null ? UNKNOWN : text(x + y);
      }
      case "==":
      case "!=": {
        const same = equal(a, b);
        return same === null ? UNKNOWN : bool(op === "==" ? same : !same);
      }
      case "<":
      case ">":
      case "<=":
      case ">=": {
        const order = compare(a, b);
        if (order === null) return UNKNOWN;
        return bool(op === "<" ? order < 0 : op === ">" ? order > 0 : op === "<=" ? order <= 0 : order >= 0);
      }
      case "in":
      case "not in": {
        const found = contains(b, a);
        return found === null ? UNKNOWN : bool(op === "in" ? found : !found);
      }
      case "+":
        if (a.kind === "str" && b.kind === "str") return text(a.value + b.value);
        if (a.kind === "list" && b.kind === "list" && a.items.length + b.items.length <= MAX_LIST) return { kind: "list", items: [...a.items, ...b.items] };
        return arithmetic(op, a, b);
      case "*":
        if (a.kind === "str" && isInt(b)) return repeat(a.value, numeric(b) as number);
        return arithmetic(op, a, b);
      case "-":
      case "/":
      case "//":
      case "%":
      case "**":
        return arithmetic(op, a, b);
      default:
        return UNKNOWN;
    }
  });
}

const bool = (value: boolean): Value => ({ kind: "bool", value });

/** A number or a bool as a number (Python's bool is an int); null for anything else. */
function numeric(v: Value): number | null {
  if (v.kind === "num") return v.value;
  if (v.kind === "bool") return v.value ? 1 : 0;
  return null;
}

function isInt(v: Value): boolean {
  return v.kind === "bool" || (v.kind === "num" && !isFloat(v) && Number.isSafeInteger(v.value));
}

function repeat(s: string, times: number): Value {
  if (times <= 0) return str("");
  return s.length * times > MAX_STRING ? UNKNOWN : str(s.repeat(times));
}

function arithmetic(op: string, a: Value, b: Value): Value {
  const [x, y] = [numeric(a), numeric(b)];
  if (x === null || y === null) return UNKNOWN;
  const float = (a.kind === "num" && isFloat(a)) || (b.kind === "num" && isFloat(b));
  switch (op) {
    case "+":
      return numberOf(x + y, float);
    case "-":
      return numberOf(x - y, float);
    case "*":
      return numberOf(x * y, float);
    case "/":
      return y === 0 ? UNKNOWN : numberOf(x / y, true);
    case "//":
      return y === 0 ? UNKNOWN : numberOf(Math.floor(x / y), float);
    case "%":
      return y === 0 ? UNKNOWN : numberOf(x - y * Math.floor(x / y), float);
    case "**":
      return numberOf(x ** y, float || y < 0);
    default:
      return UNKNOWN;
  }
}

/** Python's `==` on known values; null when either side is not known. */
export function equal(a: Value, b: Value, depth = 0): boolean | null {
  if (depth > 50) return null;
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== null && y !== null) return x === y;
  if (a.kind === "unknown" || b.kind === "unknown" || a.kind === "oneOf" || b.kind === "oneOf") return null;
  if (a.kind === "str" && b.kind === "str") return a.value === b.value;
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if (a.kind === "list" && b.kind === "list") {
    if (a.items.length !== b.items.length) return isKnown(a) && isKnown(b) ? false : null;
    let all: boolean | null = true;
    for (let i = 0; i < a.items.length; i++) {
      const same = equal(a.items[i] as Value, b.items[i] as Value, depth + 1);
      if (same === false) return false;
      if (same === null) all = null;
    }
    return all;
  }
  if (a.kind === "dict" && b.kind === "dict") {
    if (!isKnown(a) || !isKnown(b)) return null;
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, value] of a.entries) {
      const other = b.entries.get(key);
      if (other === undefined || equal(value, other, depth + 1) !== true) return false;
    }
    return true;
  }
  if (a.kind === "macro" || b.kind === "macro" || a.kind === "builtin" || b.kind === "builtin") return null;
  // Different kinds of known scalars or containers: never equal in Python.
  return isKnown(a) && isKnown(b) ? false : null;
}

/** Python's ordering of two known values: negative, zero or positive; null when not comparable. */
function compare(a: Value, b: Value): number | null {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (a.kind === "str" && b.kind === "str") return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return null;
}

/** Python's `needle in haystack` for strings, lists and dict keys; null when not known. */
function contains(haystack: Value, needle: Value): boolean | null {
  if (haystack.kind === "str") return needle.kind === "str" ? haystack.value.includes(needle.value) : null;
  if (haystack.kind === "dict") {
    const key = needle.kind === "str" ? needle.value : null;
    if (key === null) return null;
    return haystack.entries.has(key) ? true : isKnown(haystack) ? false : haystack.entries.has(key);
  }
  if (haystack.kind === "list") {
    let unsure = false;
    for (const item of haystack.items) {
      const same = equal(item, needle);
      if (same === true) return true;
      if (same === null) unsure = true;
    }
    return unsure ? null : false;
  }
  return null;
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

/** Built-in filters (Jinja's and dbt's) on known values; any other filter yields unknown. */
export function filter(name: string, subject: Value, args: Value[], kwargs: ReadonlyMap<string, Value> = new Map()): Value {
  return each(subject, (s) => {
    const t = toText(s);
    switch (name) {
      case "as_bool":
      case "as_native":
      case "as_number":
      case "as_text":
        // dbt's markers: the value itself when a model is rendered (only native rendering differs).
        return s;
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
      case "int": {
        if (s.kind === "num") return numberOf(Math.trunc(s.value), false);
        if (s.kind === "bool") return num(s.value ? 1 : 0);
        if (s.kind === "str") {
          const n = Number(s.value.trim());
          return s.value.trim() !== "" && Number.isFinite(n) ? numberOf(Math.trunc(n), false) : (args[0] ?? num(0));
        }
        return UNKNOWN;
      }
      case "float": {
        if (s.kind === "num") return numberOf(s.value, true);
        if (s.kind === "str") {
          const n = Number(s.value.trim());
          return s.value.trim() !== "" && !Number.isNaN(n) ? numberOf(n, true) : (args[0] ?? numberOf(0, true));
        }
        return UNKNOWN;
      }
      case "list":
        return s.kind === "list" ? s : s.kind === "str" ? { kind: "list", items: [...s.value].map(str) } : UNKNOWN;
      case "first":
        return s.kind === "list" ? (s.items[0] ?? UNKNOWN) : UNKNOWN;
      case "last":
        return s.kind === "list" ? (s.items[s.items.length - 1] ?? UNKNOWN) : UNKNOWN;
      case "length":
      case "count":
        return s.kind === "list" ? num(s.items.length) : s.kind === "dict" ? num(s.entries.size) : t === null ? UNKNOWN : num(t.length);
      case "join": {
        if (s.kind !== "list") return UNKNOWN;
        const parts = s.items.map(toText);
        const sep = args[0] === undefined ? "" : toText(args[0]);
        return sep === null || parts.includes(null) ? UNKNOWN : text(parts.join(sep));
      }
      case "reverse":
        return s.kind === "list" ? { kind: "list", items: [...s.items].reverse() } : s.kind === "str" ? str([...s.value].reverse().join("")) : UNKNOWN;
      case "unique": {
        if (s.kind !== "list") return UNKNOWN;
        const items: Value[] = [];
        for (const item of s.items) {
          let seen: boolean | null = false;
          for (const kept of items) {
            const same = equal(kept, item);
            if (same === null) return UNKNOWN;
            if (same) seen = true;
          }
          if (!seen) items.push(item);
        }
        return { kind: "list", items };
      }
      case "map": {
        // `xs | map(attribute='name')` and `xs | map('lower')`.
        if (s.kind !== "list") return UNKNOWN;
        const attr = kwargs.get("attribute");
        if (attr?.kind === "str") return { kind: "list", items: s.items.map((item) => attribute(item, attr.value)) };
        const f = args[0];
        if (f?.kind === "str") return { kind: "list", items: s.items.map((item) => filter(f.value, item, args.slice(1))) };
        return UNKNOWN;
      }
      case "select":
      case "reject":
      case "selectattr":
      case "rejectattr": {
        if (s.kind !== "list") return UNKNOWN;
        const byAttr = name.endsWith("attr");
        const attr = byAttr ? args[0] : undefined;
        if (byAttr && attr?.kind !== "str") return UNKNOWN;
        const testArgs = byAttr ? args.slice(1) : args;
        const keep = name.startsWith("select");
        const items: Value[] = [];
        for (const item of s.items) {
          const subjectValue = attr?.kind === "str" ? attribute(item, attr.value) : item;
          const testName = testArgs[0];
          const verdict = testName === undefined ? truth(subjectValue) : testName.kind === "str" ? truth(jinjaTest(testName.value, subjectValue, testArgs.slice(1))) : null;
          if (verdict === null) return UNKNOWN;
          if (verdict === keep) items.push(item);
        }
        return { kind: "list", items };
      }
      case "default":
      case "d":
        if (s.kind === "unknown") return UNKNOWN;
        // default(d, true) also replaces falsy values.
        if (args[1] !== undefined && truth(args[1]) === true) {
          const t2 = truth(s);
          return t2 === null ? UNKNOWN : t2 ? s : (args[0] ?? str(""));
        }
        return s;
      default:
        return UNKNOWN;
    }
  });
}

/** Jinja's tests (`x is none`, `x is string`, `x is in ys`...) on known values; unknown otherwise. */
export function jinjaTest(name: string, subject: Value, args: Value[]): Value {
  return combine([subject, ...args], ([s, a]) => {
    if (s === undefined || s.kind === "unknown") return UNKNOWN;
    const answer = (b: boolean | null): Value => (b === null ? UNKNOWN : bool(b));
    switch (name) {
      case "none":
        return bool(s.kind === "none");
      case "string":
        return bool(s.kind === "str");
      case "number":
        return bool(s.kind === "num");
      case "integer":
        return bool(s.kind === "num" && !isFloat(s));
      case "float":
        return bool(s.kind === "num" && isFloat(s));
      case "boolean":
        return bool(s.kind === "bool");
      case "true":
        return bool(s.kind === "bool" && s.value);
      case "false":
        return bool(s.kind === "bool" && !s.value);
      case "mapping":
        return bool(s.kind === "dict");
      case "sequence":
      case "iterable":
        return bool(s.kind === "list" || s.kind === "str" || s.kind === "dict");
      case "callable":
        return bool(s.kind === "macro" || s.kind === "builtin");
      case "lower":
        return s.kind === "str" ? bool(s.value === s.value.toLowerCase()) : UNKNOWN;
      case "upper":
        return s.kind === "str" ? bool(s.value === s.value.toUpperCase()) : UNKNOWN;
      case "odd":
      case "even":
        return s.kind === "num" && Number.isInteger(s.value) ? bool((Math.abs(s.value) % 2 === 1) === (name === "odd")) : UNKNOWN;
      case "divisibleby":
        return s.kind === "num" && a?.kind === "num" && a.value !== 0 ? bool(s.value % a.value === 0) : UNKNOWN;
      case "eq":
      case "equalto":
      case "==":
        return a === undefined ? UNKNOWN : answer(equal(s, a));
      case "ne":
      case "!=":
        return a === undefined ? UNKNOWN : answer(negate(equal(s, a)));
      case "in":
        return a === undefined ? UNKNOWN : answer(contains(a, s));
      case "lt":
      case "<":
      case "le":
      case "<=":
      case "gt":
      case ">":
      case "ge":
      case ">=": {
        const order = a === undefined ? null : compare(s, a);
        if (order === null) return UNKNOWN;
        const op = ({ lt: "<", le: "<=", gt: ">", ge: ">=" } as Record<string, string>)[name] ?? name;
        return bool(op === "<" ? order < 0 : op === "<=" ? order <= 0 : op === ">" ? order > 0 : order >= 0);
      }
      default:
        return UNKNOWN;
    }
  });
}

function negate(b: boolean | null): boolean | null {
  return b === null ? null : !b;
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
      if (args.length === 0 || args[0]?.kind === "none") {
        const words = s.value.split(/[ \t\n\r\f\v]+/).filter((w) => w !== "");
        return { kind: "list", items: words.slice(0, MAX_LIST).map(str) };
      }
      if (sep == null || sep === "") return UNKNOWN;
      const limit = args[1]?.kind === "num" && args[1].value >= 0 ? args[1].value : -1;
      const parts = s.value.split(sep);
      const items = limit < 0 || parts.length <= limit + 1 ? parts : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
      return { kind: "list", items: items.slice(0, MAX_LIST).map(str) };
    }
    case "lstrip":
    case "rstrip":
    case "strip": {
      if (texts[0] === null && args[0]?.kind !== "none") return UNKNOWN;
      const chars = texts[0] ?? null;
      const strip = (c: string | undefined) => (chars === null || args[0]?.kind === "none" ? c !== undefined && /[ \t\n\r\f\v]/.test(c) : c !== undefined && chars.includes(c));
      let [from, to] = [0, s.value.length];
      if (name !== "rstrip") while (from < to && strip(s.value[from])) from++;
      if (name !== "lstrip") while (to > from && strip(s.value[to - 1])) to--;
      return str(s.value.slice(from, to));
    }
    case "startswith":
    case "endswith": {
      const options = args[0]?.kind === "list" ? args[0].items.map(toText) : [texts[0] ?? null];
      if (options.length === 0 || options.includes(null)) return UNKNOWN;
      const hit = options.some((o) => (name === "startswith" ? s.value.startsWith(o as string) : s.value.endsWith(o as string)));
      return { kind: "bool", value: hit };
    }
    case "title":
      return str(s.value.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, before: string, c: string) => before + c.toUpperCase()));
    case "capitalize":
      return str(s.value.charAt(0).toUpperCase() + s.value.slice(1).toLowerCase());
    case "join": {
      const list = args[0];
      if (list?.kind !== "list") return UNKNOWN;
      const parts = list.items.map(toText);
      return parts.includes(null) ? UNKNOWN : text(parts.join(s.value));
    }
    case "find":
      return texts[0] == null ? UNKNOWN : num(s.value.indexOf(texts[0]));
    case "count":
      return texts[0] == null || texts[0] === "" ? UNKNOWN : num(s.value.split(texts[0]).length - 1);
    case "isdigit":
      return { kind: "bool", value: /^[0-9]+$/.test(s.value) };
    case "isalpha":
      return { kind: "bool", value: /^[A-Za-z]+$/.test(s.value) };
    case "islower":
      return { kind: "bool", value: /[a-z]/.test(s.value) && s.value === s.value.toLowerCase() };
    case "isupper":
      return { kind: "bool", value: /[A-Z]/.test(s.value) && s.value === s.value.toUpperCase() };
    default:
      return UNKNOWN;
  }
}

function listMethod(list: Extract<Value, { kind: "list" }>, name: string, args: Value[]): Value {
  // Lists are mutable in Jinja (`{% do models.append('x') %}`); growth is capped.
  if (name === "append" && args[0] !== undefined && list.items.length < MAX_LIST) list.items.push(args[0]);
  else if (name === "extend" && args[0]?.kind === "list" && list.items.length + args[0].items.length <= MAX_LIST) list.items.push(...args[0].items);
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
  return Array.from({ length: count }, (_, i) => oneOf(options.map((o) => (o.kind === "list" && o.items.length === count ? (o.items[i] as Value) : UNKNOWN))));
}
