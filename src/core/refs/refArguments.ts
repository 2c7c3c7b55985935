import type { Dependency } from "../types.js";
import { combinations, type Value } from "./jinjaValue.js";

/** The evaluated arguments of one `ref()` / `source()` call, with what a report needs about it. */
export interface CallSite {
  args: Value[];
  kwargs: Map<string, Value>;
  /** `*x` / `**x` were passed: the real arguments cannot be known. */
  hasSplat: boolean;
  /** The argument text as written, for dynamic dependencies. */
  argsText: string;
  line: number;
  via: string[];
}

const MAX_EXPRESSION = 120;

/**
 * Turns a `ref()` call into dependencies, the way dbt reads its arguments: one positional name, or
 * package and name; `version`/`v` as a keyword. Arguments with several possible values (from
 * `{% if %}` branches) give one dependency per combination; anything not literal gives a dynamic one.
 */
export function refDependencies(site: CallSite): Dependency[] {
  const version = site.kwargs.get("version") ?? site.kwargs.get("v") ?? { kind: "none" };
  if (site.hasSplat || site.args.length < 1 || site.args.length > 2) return [dynamic("ref", site)];
  return expand([...site.args, version], site, "ref", (values) => {
    const [first, second, pin] = values.length === 3 ? values : [values[0], undefined, values[1]];
    const [pkg, name] = second === undefined ? [undefined, first] : [first, second];
    if (name?.kind !== "str" || (pkg !== undefined && pkg.kind !== "str")) return null;
    const versionText = pin?.kind === "str" ? pin.value : pin?.kind === "num" ? pin.text : null;
    if (versionText === null && pin?.kind !== "none") return null;
    return {
      type: "ref",
      name: name.value,
      package: pkg?.kind === "str" ? pkg.value : null,
      version: versionText,
      line: site.line,
      via: site.via,
    };
  });
}

/** `source('s', 't')`, also with the keyword arguments `source_name=` / `table_name=`. */
export function sourceDependencies(site: CallSite): Dependency[] {
  const sourceName = site.args[0] ?? site.kwargs.get("source_name");
  const tableName = site.args[1] ?? site.kwargs.get("table_name");
  if (site.hasSplat || site.args.length > 2 || sourceName === undefined || tableName === undefined) {
    return [dynamic("source", site)];
  }
  return expand([sourceName, tableName], site, "source", ([s, t]) => (s?.kind === "str" && t?.kind === "str" ? { type: "source", source: s.value, table: t.value, line: site.line, via: site.via } : null));
}

/** Calls `make` for every combination of the values' alternatives; null results become dynamic. */
function expand(values: Value[], site: CallSite, call: "ref" | "source", make: (values: Value[]) => Dependency | null): Dependency[] {
  const combos = combinations(values);
  if (combos === null) return [dynamic(call, site)];
  const out: Dependency[] = [];
  let unresolved = false;
  for (const combo of combos) {
    const dependency = make(combo);
    if (dependency === null) unresolved = true;
    else out.push(dependency);
  }
  if (unresolved) out.push(dynamic(call, site));
  return out;
}

function dynamic(call: "ref" | "source", site: CallSite): Dependency {
  let expression = site.argsText.replace(/\s+/g, " ").trim();
  if (expression.length > MAX_EXPRESSION) expression = `${expression.slice(0, MAX_EXPRESSION - 3)}...`;
  return { type: "dynamic", call, expression, line: site.line, via: site.via };
}
