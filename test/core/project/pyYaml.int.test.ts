import { execFileSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, isScalar } from "yaml";
import { parseYamlDocument } from "../../../src/core/project/parseYamlDocument.js";
import { parsePyYaml } from "../../../src/core/project/pyYaml.js";
import { readSimpleYaml } from "../../../src/core/project/simpleYaml.js";
import { REPO_ROOT } from "../../helpers/scratchExample.js";

// dbt reads YAML with PyYAML. This holds parsePyYaml (and the fast reader) to the real PyYAML of the
// pinned dbt's .venv: the same scalars, plain and as keys, resolve to the same type and value, and
// the same ones are refused.

const PYTHON = join(REPO_ROOT, ".venv", "bin", "python");

// Each document normalized to [type, value]; numbers as floats (JavaScript has one number type),
// dates as ISO UTC text truncated to milliseconds, keys as their normalized first key.
const SCRIPT = `
import sys, json, math, datetime, yaml
from yaml import CSafeLoader as Loader
def norm(v):
    if v is None: return ["null"]
    if isinstance(v, bool): return ["bool", v]
    if isinstance(v, (int, float)):
        f = float(v)
        return ["num", "nan" if math.isnan(f) else ("inf" if f == math.inf else ("-inf" if f == -math.inf else f))]
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None: v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return ["date", v.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (v.microsecond // 1000) + "Z"]
    if isinstance(v, datetime.date): return ["date", v.isoformat() + "T00:00:00.000Z"]
    if isinstance(v, str): return ["str", v]
    return ["other", type(v).__name__]
out = []
for text in json.load(sys.stdin):
    try:
        doc = yaml.load(text, Loader=Loader)
        (k, v), = doc.items()
        out.append({"key": norm(k), "value": norm(v)})
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;

function pyYaml(texts: string[]): ({ key: unknown[]; value: unknown[] } | { error: string })[] {
  return JSON.parse(execFileSync(PYTHON, ["-c", SCRIPT], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 64 << 20 }));
}

function norm(v: unknown): unknown[] {
  if (v === null || v === undefined) return ["null"];
  if (typeof v === "boolean") return ["bool", v];
  if (typeof v === "number") return ["num", Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : v === 0 ? 0 : v];
  if (v instanceof Date) return ["date", v.toISOString()];
  if (typeof v === "string") return ["str", v];
  return ["other", typeof v];
}

function ours(text: string): { key: unknown[]; value: unknown[] } | { error: string } {
  const doc = parsePyYaml(text);
  if (doc.errors.length > 0) return { error: "error" };
  const map = doc.contents;
  if (!isMap(map) || map.items.length !== 1) return { error: "shape" };
  const pair = map.items[0]!;
  if (!isScalar(pair.key) || !isScalar(pair.value)) return { error: "shape" };
  return { key: norm(pair.key.value), value: norm(pair.value.value) };
}

// Plain scalars built from the characters PyYAML's resolvers look at (digits, signs, `_`, `:`, `.`,
// `e`, `x`/`b`/`o`, the letters of the boolean and null words, `-`/`T`/`Z`/` ` of timestamps).
const words = [
  "yes",
  "Yes",
  "YES",
  "yEs",
  "no",
  "No",
  "NO",
  "nO",
  "on",
  "On",
  "ON",
  "oN",
  "off",
  "Off",
  "OFF",
  "oFF",
  "true",
  "True",
  "TRUE",
  "tRUE",
  "false",
  "False",
  "FALSE",
  "y",
  "Y",
  "n",
  "N",
  "t",
  "f",
  "null",
  "Null",
  "NULL",
  "nuLL",
  "~",
  "=",
  ".inf",
  "-.Inf",
  "+.INF",
  ".nan",
  ".NaN",
  ".NAN",
  "0o17",
  "0x1F",
  "0x_a",
  "0b1_0",
  "017",
  "08",
  "1_000",
  "1:30",
  "-1:30:15",
  "1:70",
  "190:20:30.15",
  "1e5",
  "1.0e5",
  "1.0e+5",
  "6.8523015e+5",
  ".5",
  "._5",
  "0.",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "2001-12-14 21:59:43.10 -5",
  "2001-12-15T02:59:43.1Z",
  "2002-12-14",
  "2024-1-1",
  "2024-13-01",
  "2024-02-30",
];
const alphabet = fc.constantFrom(..."0123456789_:.-+eExXbBoOaAfFlLsSnNuUyYtTrR~= Z".split(""));
const scalar = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...words) },
    { weight: 6, arbitrary: fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((cs) => cs.join("").trim()) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom("", "-", "+"), fc.constantFrom("", "0", "0x", "0b", "0o", "."), fc.stringMatching(/^[0-9a-f_]{1,8}$/)).map((p) => p.join("")) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 2999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
    },
  )
  .filter((s) => s !== "" && !/^[-?:,[\]{}#&*!|>'"%@`]|: | #|:$/.test(s) && s !== "<<");

describe("parsePyYaml against the pinned dbt's PyYAML", () => {
  it("resolves every plain scalar, as a value and as a key, as PyYAML does", () => {
    const samples = [...new Set([...words, ...fc.sample(scalar, { numRuns: 3000, seed: 20261207 })])].filter((s) => s !== "<<" && !/^[-?:]/.test(s));
    // Known and harmless: PyYAML refuses a plain `=` value (its `value` tag); we read the string.
    const texts = samples.flatMap((s) => [...(s === "=" ? [] : [`k: ${s}\n`]), `${s}: v\n`]);
    const reference = pyYaml(texts);
    const disagreements: string[] = [];
    texts.forEach((text, i) => {
      const mine = ours(text);
      const theirs = reference[i]!;
      if ("error" in theirs || "error" in mine) {
        if ("error" in theirs !== "error" in mine) disagreements.push(`${JSON.stringify(text)}: PyYAML ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
        return;
      }
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) disagreements.push(`${JSON.stringify(text)}: PyYAML ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
    });
    expect(disagreements).toEqual([]);
    // The 1.1 booleans that matter for `enabled`: each spelling PyYAML accepts, and none it does not.
    expect(reference[texts.indexOf("k: Off\n")]).toEqual({ key: ["str", "k"], value: ["bool", false] });
    expect(reference[texts.indexOf("k: y\n")]).toEqual({ key: ["str", "k"], value: ["str", "y"] });
  });

  it("the fast reader gives what PyYAML gives wherever it reads a document itself", () => {
    const samples = [...words, ...fc.sample(scalar, { numRuns: 1000, seed: 7 })].filter((s) => s !== "=");
    const texts = samples.map((s) => `models:\n  - name: m\n    config:\n      enabled: ${s}\n      tags: [${s}]\n`);
    const reference = JSON.parse(
      execFileSync(
        PYTHON,
        [
          "-c",
          "import sys, json, yaml\nout = []\nfor t in json.load(sys.stdin):\n    try:\n        doc = yaml.load(t, Loader=yaml.CSafeLoader)\n    except Exception:\n        out.append(None)\n        continue\n    try:\n        out.append(json.dumps(doc, allow_nan=False))\n    except Exception:\n        out.append('skip')  # dates, inf, nan: compared by the test above\nprint(json.dumps(out))",
        ],
        {
          input: JSON.stringify(texts),
          encoding: "utf8",
          maxBuffer: 64 << 20,
        },
      ),
    ) as (string | null)[];
    let readItself = 0;
    texts.forEach((text, i) => {
      const fast = readSimpleYaml(text);
      const full = parseYamlDocument(text, "f.yml");
      if (reference[i] === null) {
        expect(fast, text).toBeNull();
        expect("problem" in full, text).toBe(true);
        return;
      }
      if (reference[i] === "skip") return;
      const value = JSON.parse(reference[i]!) as unknown;
      if (fast !== null) {
        readItself++;
        expect(fast.value, text).toEqual(value);
      }
      expect(full, text).toEqual({ value });
    });
    expect(readItself).toBeGreaterThan(100);
  });
});
