import { parsePyYaml } from "../project/pyYaml.js";
import { NONE, UNKNOWN, fromPlain, str, type Value } from "./jinjaValue.js";

/**
 * What dbt knows at parse time that a template may read: `var()`, `target`, and which macros exist.
 * Built once per project (see `createParseContext`); pure data, no environment.
 */
export interface ParseContext {
  /** `var()` values by name, already merged in dbt's order of precedence. */
  vars: ReadonlyMap<string, unknown>;
  /** `target.*` as the user configured it; null when not configured (target.* is then unknown). */
  target: Readonly<Record<string, unknown>> | null;
  /** The project's and installed packages' names, for `package.macro(...)` calls. */
  packages: ReadonlySet<string>;
  /** The project's name (`project_name`). */
  projectName: string | undefined;
  /** How many packages are installed (read from the packages folder). */
  installedPackages: number;
}

export interface ParseContextInput {
  /** Overrides as dbt's `--vars` (the tool's `vars:` setting or its `--vars` option). */
  cliVars?: Readonly<Record<string, unknown>> | undefined;
  /** dbt_project.yml `vars:`. */
  projectVars?: Readonly<Record<string, unknown>> | undefined;
  projectName?: string | undefined;
  target?: Readonly<Record<string, unknown>> | null | undefined;
  packages?: Iterable<string> | undefined;
  /**
   * For a node of an installed package (its models' own config(enabled=var(...)), say): the
   * package's name and its dbt_project.yml `vars:`. Absent: a node of the root project.
   */
  node?: { package: string; packageVars?: Readonly<Record<string, unknown>> | undefined } | undefined;
}

/**
 * For a model of the root project, dbt looks a var up in `--vars` first, then in the project's
 * `vars: {<project>: {...}}` scope, then in the project's top-level `vars:` (dbt's
 * `ModelConfiguredVar`/`VarProvider.vars_for`: the latest added mapping wins). For a node of an
 * installed package: `--vars`, then the root project's `vars: {<package>: ...}` and top level, then
 * the package's own dbt_project.yml `vars: {<package>: ...}` and top level.
 */
export function createParseContext(input: ParseContextInput): ParseContext {
  const vars = new Map<string, unknown>();
  const layer = (dict: Readonly<Record<string, unknown>>, scope: string | undefined) => {
    for (const [key, value] of Object.entries(dict)) vars.set(key, value);
    const scoped = scope === undefined ? undefined : dict[scope];
    if (isPlainRecord(scoped)) for (const [key, value] of Object.entries(scoped)) vars.set(key, value);
  };
  const nodePackage = input.node?.package ?? input.projectName;
  if (input.node !== undefined) layer(input.node.packageVars ?? {}, nodePackage);
  layer(input.projectVars ?? {}, nodePackage);
  for (const [key, value] of Object.entries(input.cliVars ?? {})) vars.set(key, value);
  const packages = new Set(input.packages ?? []);
  const installedPackages = packages.size;
  if (input.projectName !== undefined) packages.add(input.projectName);
  return { vars, target: input.target ?? null, packages, projectName: input.projectName, installedPackages };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A var's value as a template sees it: dbt renders string values that hold Jinja (unknown here).
 * Every YAML the vars come from is read as PyYAML reads it (src/core/project/pyYaml.ts), so an
 * unquoted `yes` is already a boolean and a quoted `'yes'` a string, as dbt sees them.
 */
export function varValue(value: unknown, depth = 0): Value {
  if (typeof value === "string" && /\{\{|\{%/.test(value)) return UNKNOWN;
  if (depth < 20 && typeof value === "object" && value !== null) {
    if (Array.isArray(value)) return { kind: "list", items: value.map((item) => varValue(item, depth + 1)) };
    const entries = new Map<string, Value>();
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) entries.set(key, varValue(entry, depth + 1));
    return { kind: "dict", entries };
  }
  return fromPlain(value);
}

/** `fromjson(text, default=None)`: Python's json.loads, or the default when the text is not JSON. */
export function fromJson(text: string, fallback: Value): Value {
  try {
    return fromPlain(JSON.parse(text));
  } catch {
    return fallback;
  }
}

/** YAML text read as PyYAML's safe_load reads it (the project's PyYAML reader); throws on invalid YAML. */
export function loadPyYaml(text: string): unknown {
  const doc = parsePyYaml(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message ?? "invalid YAML");
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** `fromyaml(text, default=None)`: PyYAML's safe_load (YAML 1.1: yes/no/on/off are booleans). */
export function fromYaml(text: string, fallback: Value): Value {
  try {
    return fromPlain(loadPyYaml(text));
  } catch {
    return fallback;
  }
}

/** `tojson(value)`: Python's json.dumps (`", "` and `": "` separators, non-ASCII escaped). */
export function toJson(value: Value, depth = 0): string | null {
  if (depth > 50) return null;
  switch (value.kind) {
    case "str":
      return pythonJsonString(value.value);
    case "num":
      return value.text === "inf" ? "Infinity" : value.text === "-inf" ? "-Infinity" : value.text === "nan" ? "NaN" : value.text;
    case "bool":
      return value.value ? "true" : "false";
    case "none":
      return "null";
    case "list": {
      const items = value.items.map((item) => toJson(item, depth + 1));
      return items.includes(null) ? null : `[${items.join(", ")}]`;
    }
    case "dict": {
      const parts: string[] = [];
      for (const [key, entry] of value.entries) {
        const json = toJson(entry, depth + 1);
        if (json === null) return null;
        parts.push(`${pythonJsonString(key)}: ${json}`);
      }
      return `{${parts.join(", ")}}`;
    }
    default:
      return null;
  }
}

function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export { NONE, str };
