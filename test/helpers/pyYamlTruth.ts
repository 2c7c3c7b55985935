import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { REPO_ROOT } from "./scratchExample.js";

/**
 * The truth for every YAML reader of the engine: what the pinned dbt's PyYAML reads. dbt loads
 * properties files and dbt_project.yml with `yaml.load(contents, Loader=SafeLoader)` where SafeLoader
 * is `yaml.CSafeLoader` when libyaml is there (dbt/clients/yaml_helper.py; checked_load.py subclasses
 * it only to warn about duplicate keys), after `load_file_contents(path, strip=True)` (Python's
 * `str.strip()`). One Python process reads a whole batch.
 *
 * Values are compared as a tagged tree (`normalizeYamlValue`): numbers as floats (JavaScript has one
 * number type), dates as ISO UTC text to milliseconds, mapping entries sorted by key (key order
 * means nothing to dbt, and PyYAML puts merged keys first where `yaml` puts them at the `<<`).
 */

const PYTHON = join(REPO_ROOT, ".venv", "bin", "python");

const SCRIPT = `
import sys, json, math, datetime, yaml
from dbt.clients.yaml_helper import SafeLoader
def num(f):
    if math.isnan(f): return {"t": "num", "v": "nan"}
    if math.isinf(f): return {"t": "num", "v": "inf" if f > 0 else "-inf"}
    return {"t": "num", "v": f}
def norm(v, path):
    if v is None or isinstance(v, (bool, str)): return v
    if isinstance(v, int):
        try: return num(float(v))
        except OverflowError: return num(math.inf if v > 0 else -math.inf)
    if isinstance(v, float): return num(v)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None: v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return {"t": "date", "v": v.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (v.microsecond // 1000) + "Z"}
    if isinstance(v, datetime.date): return {"t": "date", "v": v.isoformat() + "T00:00:00.000Z"}
    if id(v) in path: return {"t": "cycle"}
    if isinstance(v, list): return [norm(x, path | {id(v)}) for x in v]
    if isinstance(v, dict):
        entries = [[norm(k, path), norm(x, path | {id(v)})] for k, x in v.items()]
        return {"t": "map", "v": entries}
    return {"t": "other", "v": type(v).__name__}
def read(text):
    try:
        value = yaml.load(text, Loader=SafeLoader)
    except Exception as e:
        return {"refused": type(e).__name__ + ": " + str(e).split(chr(10))[0]}
    try:
        return {"value": norm(value, frozenset())}
    except RecursionError:
        return {"refused": "RecursionError while normalizing"}
out = []
for text in json.load(sys.stdin):
    raw = read(text)
    dbt = raw if text.strip() == text else read(text.strip())
    # dbt: "Contents of file ... are not valid. Dictionary expected." for anything but a mapping or nothing.
    if "value" in dbt and dbt["value"] is not None and not (isinstance(dbt["value"], dict) and dbt["value"].get("t") == "map"):
        dbt = {"refused": "dbt: Dictionary expected"}
    out.append([raw, dbt])
print(json.dumps(out))
`;

export type PyYamlReading = { value: unknown } | { refused: string };

/**
 * PyYAML's reading of each text as given (`raw`: the contract of each tier) and after Python's
 * `strip()`, refused unless a mapping or nothing (`dbt`: how dbt reads a properties file or
 * dbt_project.yml), all in one Python process.
 */
export function readWithPyYaml(texts: readonly string[]): { raw: PyYamlReading; dbt: PyYamlReading }[] {
  if (texts.length === 0) return [];
  const out = execFileSync(PYTHON, ["-c", SCRIPT], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 256 << 20 });
  // Map entries sorted here, by the same comparison as normalizeYamlValue's (JavaScript's string order).
  const sorted = (r: PyYamlReading): PyYamlReading => ("value" in r ? { value: sortEntries(r.value) } : r);
  return (JSON.parse(out) as [PyYamlReading, PyYamlReading][]).map(([raw, dbt]) => ({ raw: sorted(raw), dbt: sorted(dbt) }));
}

function sortEntries(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortEntries);
  if (typeof v !== "object" || v === null || (v as { t?: string }).t !== "map") return v;
  const entries = (v as { v: [unknown, unknown][] }).v.map(([k, x]) => [sortEntries(k), sortEntries(x)] as [unknown, unknown]);
  return { t: "map", v: entries.sort(byKey) };
}

const byKey = (a: unknown[], b: unknown[]) => {
  const [x, y] = [JSON.stringify(a[0]), JSON.stringify(b[0])];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A value read by one of the engine's tiers, in the tagged form the Python side writes. */
export function normalizeYamlValue(v: unknown, path: Set<object> = new Set()): unknown {
  if (v === null || v === undefined || typeof v === "boolean" || typeof v === "string") return v ?? null;
  if (typeof v === "number") return { t: "num", v: Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : v };
  if (v instanceof Date) return { t: "date", v: Number.isNaN(v.getTime()) ? "invalid" : v.toISOString() };
  if (typeof v !== "object") return { t: "other", v: typeof v };
  if (path.has(v)) return { t: "cycle" };
  const inner = new Set(path).add(v);
  if (Array.isArray(v)) return v.map((x) => normalizeYamlValue(x, inner));
  return {
    t: "map",
    v: Object.entries(v)
      .map(([k, x]) => [k, normalizeYamlValue(x, inner)])
      .sort(byKey),
  };
}

/** The same value as PyYAML's (-0 and 0 told apart, NaN equal to NaN). */
export function sameAsPyYaml(value: unknown, truth: PyYamlReading): boolean {
  return "value" in truth && isDeepStrictEqual(normalizeYamlValue(value), truth.value);
}
