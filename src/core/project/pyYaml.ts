import { type CollectionTag, type Document, type DocumentOptions, isAlias, isCollection, isScalar, type Node, type ParseOptions, type ScalarTag, type SchemaOptions, visit } from "yaml";
import { parseYamlSyntax } from "../yaml/boundedYaml.js";

/**
 * YAML read the way dbt reads it: dbt loads every YAML file with PyYAML's SafeLoader, which is
 * YAML 1.1 with PyYAML's own implicit resolvers. The `yaml` package's `yaml-1.1` schema is close but
 * not the same (it reads `y`/`n` as booleans, `1e5` and `08` as numbers, `2024-1-1` as a date; PyYAML
 * reads all four as strings), so the plain-scalar resolvers below are PyYAML's, regex for regex
 * (`yaml/resolver.py` and `yaml/constructor.py` of the pinned dbt's PyYAML). Quoted scalars are
 * always strings, as in PyYAML. `test/core/project/pyYaml.int.test.ts` holds this to real PyYAML.
 *
 * What this means for a dbt project: `+enabled: no`, `enabled: Off`, `on: ...` as a key are booleans.
 */

// PyYAML's resolvers, in its order of registration (bool, float, int, merge, null, timestamp).
// A plain `=` value (PyYAML's `value` tag) and a `<<` that is not a merge key, which PyYAML refuses,
// are read as strings here and refused by pyYamlRefusal below.
export const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
export const PY_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
export const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
export const PY_NULL = /^(?:~|null|Null|NULL|)$/;
export const PY_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const TRUE_WORDS = new Set(["yes", "true", "on"]);

const BOOL_TAG = "tag:yaml.org,2002:bool";
const FLOAT_TAG = "tag:yaml.org,2002:float";
const INT_TAG = "tag:yaml.org,2002:int";
const NULL_TAG = "tag:yaml.org,2002:null";
const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

/** PyYAML's `construct_yaml_int`: underscores dropped, then 0 / 0b / 0x / 0 (octal) / a:b:c / decimal. */
export function pyInt(text: string, onError: (message: string) => void): number {
  let value = text.replace(/_/g, "");
  let sign = 1;
  if (value[0] === "-") sign = -1;
  if (value[0] === "-" || value[0] === "+") value = value.slice(1);
  let n: number;
  if (value === "0") return 0;
  if (value.startsWith("0b")) n = parseInt(value.slice(2), 2);
  else if (value.startsWith("0x")) n = parseInt(value.slice(2), 16);
  else if (value[0] === "0") n = parseInt(value, 8);
  else if (value.includes(":")) n = sexagesimal(value, Number);
  else n = parseInt(value, 10);
  if (Number.isNaN(n)) {
    // PyYAML raises here (`int('', 2)`): dbt cannot read the file either.
    onError(`cannot read ${JSON.stringify(text)} as an integer`);
    return 0;
  }
  return sign * n;
}

/** PyYAML's `construct_yaml_float`. */
export function pyFloat(text: string): number {
  let value = text.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (value[0] === "-") sign = -1;
  if (value[0] === "-" || value[0] === "+") value = value.slice(1);
  if (value === ".inf") return sign * Infinity;
  if (value === ".nan") return NaN;
  if (value.includes(":")) return sign * sexagesimal(value, Number);
  return sign * Number(value);
}

function sexagesimal(value: string, digit: (part: string) => number): number {
  let base = 1;
  let total = 0;
  for (const part of value.split(":").reverse()) {
    total += digit(part) * base;
    base *= 60;
  }
  return total;
}

/** PyYAML's `construct_yaml_timestamp`: a date, or a date-time (UTC when it carries an offset). */
export function pyTimestamp(text: string, onError: (message: string) => void): Date | string {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/.exec(text);
  if (m === null) return text;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const ms = Number(`${m[7] ?? ""}000`.slice(0, 3));
  let date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year); // Date.UTC reads years below 100 as 19xx
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    // Python's date()/datetime() raise on these: dbt cannot read the file either.
    onError(`cannot read ${JSON.stringify(text)} as a date`);
    return text;
  }
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 60 + Number(m[11] ?? 0)) * (m[9] === "-" ? -1 : 1);
    date = new Date(date.getTime() - offset * 60_000);
  }
  return date;
}

function pyScalarTags(defaults: ScalarTag[]): ScalarTag[] {
  // yaml's own tag of that name, without its `format` (an octal or hex int, say): these read every form.
  const like = (tag: string) => {
    const { format: _format, ...rest } = defaults.find((t) => t.tag === tag) ?? { tag };
    return rest;
  };
  return [
    { ...like(BOOL_TAG), default: true, test: PY_BOOL, resolve: (s: string) => TRUE_WORDS.has(s.toLowerCase()) },
    { ...like(FLOAT_TAG), default: true, test: PY_FLOAT, resolve: (s: string) => pyFloat(s) },
    { ...like(INT_TAG), default: true, test: PY_INT, resolve: (s: string, onError: (m: string) => void) => pyInt(s, onError) },
    { ...like(NULL_TAG), default: true, test: PY_NULL, resolve: () => null },
    { ...like(TIMESTAMP_TAG), default: true, test: PY_TIMESTAMP, resolve: (s: string, onError: (m: string) => void) => pyTimestamp(s, onError) },
  ] as ScalarTag[];
}

const REPLACED = new Set([BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG, TIMESTAMP_TAG]);

/** Options for the `yaml` package that make it read as PyYAML's SafeLoader does. */
export const PYYAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  merge: true,
  uniqueKeys: false, // PyYAML keeps the last of duplicate keys
  prettyErrors: true,
  strict: false,
  customTags: (given) => {
    // The yaml-1.1 schema hands over tag objects (names only for tags not in the schema).
    const tags = given.filter((t): t is ScalarTag | CollectionTag => typeof t === "object");
    const scalars = tags.filter((t): t is ScalarTag => REPLACED.has(t.tag) && !("collection" in t));
    const kept = tags.filter((t) => !REPLACED.has(t.tag));
    // The implicit tags are tried in order; PyYAML's come first, then map/seq/str/merge/binary/...
    const str = kept.findIndex((t) => t.tag === "tag:yaml.org,2002:str");
    return [...kept.slice(0, str + 1), ...pyScalarTags(scalars), ...kept.slice(str + 1)];
  },
};

/** Parses YAML text as dbt's PyYAML would. */
export function parsePyYaml(text: string): Document {
  return parseYamlSyntax(text, PYYAML_OPTIONS);
}

/**
 * What PyYAML's SafeLoader refuses in a document that `yaml` (read with PYYAML_OPTIONS) reads,
 * found by `test/core/project/yamlTruth.int.test.ts`: the first such node, or null.
 * - a plain `<<` anywhere but as a mapping key (PyYAML resolves it to its merge tag, which only a key may hold);
 * - a plain `=` but as a mapping key (PyYAML's `value` tag, which SafeLoader constructs only as a key);
 * - a mapping key that is a list or a mapping (Python: unhashable), or a missing or empty plain key (`: x`, `{: x}`);
 * - a tag SafeLoader does not know (`!custom`; `yaml` only warns and reads the text);
 * - an anchor or alias name with a character other than a letter, a digit, `-`, `_`.
 */
export function pyYamlRefusal(doc: Document): { message: string; offset?: number } | null {
  const unresolved = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (unresolved !== undefined) return { message: `a tag PyYAML does not know (${unresolved.message.split("\n")[0]})`, offset: unresolved.pos[0] };
  let found: { message: string; offset?: number } | null = null;
  const at = (node: Node | null | undefined) => (node?.range ? { offset: node.range[0] } : {});
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (key === null || key === undefined) {
        // `yaml` reads `: x` (and `{: x}`) as a null key; PyYAML refuses both (it reads an explicit empty
        // key, `?` alone, which is refused here too: a properties file has none).
        found = { message: "a mapping entry without a key (PyYAML refuses it)", ...at(pair.value as Node | null) };
      } else if (isScalar(key) && key.type === "PLAIN" && key.range != null && key.range[0] === key.range[1]) {
        found = { message: "a mapping entry without a key (PyYAML refuses it)", ...at(key) };
      } else if (isCollection(key)) found = { message: "a list or mapping as a mapping key (PyYAML refuses it: unhashable)", ...at(key) };
      return found === null ? undefined : visit.BREAK;
    },
    Node(_, node) {
      // PyYAML's anchor and alias names: letters, digits, `-` and `_` (scanner.py, scan_anchor); `yaml` takes any.
      const name = isAlias(node) ? node.source : node.anchor;
      if (name !== undefined && !/^[0-9A-Za-z_-]+$/.test(name)) found = { message: `an anchor or alias name PyYAML refuses (${JSON.stringify(name)})`, ...at(node) };
      return found === null ? undefined : visit.BREAK;
    },
    Scalar(key, node) {
      if (node.anchor !== undefined && !/^[0-9A-Za-z_-]+$/.test(node.anchor)) {
        found = { message: `an anchor name PyYAML refuses (${JSON.stringify(node.anchor)})`, ...at(node) };
        return visit.BREAK;
      }
      if (node.type !== "PLAIN" || node.tag !== undefined) return undefined;
      if (node.value === "=" && key !== "key") found = { message: "a plain `=` (PyYAML reads it as its `value` tag and refuses it)", ...at(node) };
      else if (node.value === "<<" && key !== "key") found = { message: "a plain `<<` that is not a mapping key (PyYAML reads it as a merge and refuses it)", ...at(node) };
      return found === null ? undefined : visit.BREAK;
    },
  });
  return found;
}
