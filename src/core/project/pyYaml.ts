import { type CollectionTag, CST, type Document, type DocumentOptions, isAlias, isCollection, isScalar, Lexer, type Node, type Pair, type ParseOptions, type ScalarTag, type SchemaOptions, visit } from "yaml";
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
 * - an anchor or alias name with a character other than a letter, a digit, `-`, `_`, or an anchor name defined twice;
 * with the text the document was parsed from (and its pairs' source tokens, PYYAML_FULL_OPTIONS), also:
 * - a mapping key whose `:` is not on the key's line, or more than 1024 characters after its start
 *   (`table\n  : x`, `{a\n : 1}`; PyYAML: "could not find expected ':'"): a simple key is one line;
 * - in a flow collection, a plain scalar with a `:` right before one of `,?[]{}` (`{a:?b}`, `{a:, b}`;
 *   PyYAML: "found unexpected ':'"), or led by `:` (`{a: :b}`: PyYAML reads a value indicator there).
 */
export function pyYamlRefusal(doc: Document, text?: string): { message: string; offset?: number } | null {
  const unresolved = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (unresolved !== undefined) return { message: `a tag PyYAML does not know (${unresolved.message.split("\n")[0]})`, offset: unresolved.pos[0] };
  let found: { message: string; offset?: number } | null = null;
  const at = (node: Node | null | undefined) => (node?.range ? { offset: node.range[0] } : {});
  const anchors = new Set<string>();
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
      else if (text !== undefined) found = keyOffItsLine(pair as Pair, text);
      return found === null ? undefined : visit.BREAK;
    },
    Node(_, node) {
      // PyYAML's anchor and alias names: letters, digits, `-` and `_` (scanner.py, scan_anchor); `yaml` takes any.
      const name = isAlias(node) ? node.source : node.anchor;
      if (name !== undefined && !/^[0-9A-Za-z_-]+$/.test(name)) found = { message: `an anchor or alias name PyYAML refuses (${JSON.stringify(name)})`, ...at(node) };
      else if (!isAlias(node) && name !== undefined) {
        // PyYAML's composer: "found duplicate anchor" (`yaml` lets the later one win).
        if (anchors.has(name)) found = { message: `an anchor name defined twice (${JSON.stringify(name)}; PyYAML refuses it)`, ...at(node) };
        anchors.add(name);
      }
      return found === null ? undefined : visit.BREAK;
    },
    Scalar(key, node, path) {
      if (node.anchor !== undefined && !/^[0-9A-Za-z_-]+$/.test(node.anchor)) {
        found = { message: `an anchor name PyYAML refuses (${JSON.stringify(node.anchor)})`, ...at(node) };
        return visit.BREAK;
      }
      if (node.anchor !== undefined) {
        if (anchors.has(node.anchor)) {
          found = { message: `an anchor name defined twice (${JSON.stringify(node.anchor)}; PyYAML refuses it)`, ...at(node) };
          return visit.BREAK;
        }
        anchors.add(node.anchor);
      }
      if (text !== undefined && node.range != null && (node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") && closingQuote(text, node.range[0]) !== node.range[1] - 1) {
        // `yaml` reads `a: '''` ending a text (no closing quote: `''` is a quote mark) as `'`; libyaml refuses it.
        found = { message: "a quoted scalar without its closing quote (PyYAML refuses it)", offset: node.range[0] };
        return visit.BREAK;
      }
      if (node.type !== "PLAIN") return undefined;
      if (text !== undefined && node.range != null && inFlow(path)) {
        // libyaml's plain scalar in a flow collection: "x:" then one of `,?[]{}` is an error ("found unexpected ':'").
        const colon = FLOW_PLAIN_COLON.exec(text.slice(node.range[0], node.range[1] + 2));
        if (text[node.range[0]] === ":") {
          found = { message: "a plain scalar led by `:` in a flow collection (PyYAML reads the `:` as a value indicator and refuses the text)", offset: node.range[0] };
          return visit.BREAK;
        }
        if (colon !== null) {
          found = { message: "a `:` right before one of `,?[]{}` in a flow collection (PyYAML refuses it: found unexpected ':')", offset: node.range[0] + colon.index };
          return visit.BREAK;
        }
      }
      if (node.tag !== undefined) return undefined;
      if (node.value === "=" && key !== "key") found = { message: "a plain `=` (PyYAML reads it as its `value` tag and refuses it)", ...at(node) };
      else if (node.value === "<<" && key !== "key") found = { message: "a plain `<<` that is not a mapping key (PyYAML reads it as a merge and refuses it)", ...at(node) };
      return found === null ? undefined : visit.BREAK;
    },
  });
  return found;
}

const FLOW_PLAIN_COLON = /:[,?[\]{}]/;

function inFlow(path: readonly unknown[]): boolean {
  for (let i = path.length - 1; i >= 0; i--) if (isCollection(path[i]) && (path[i] as { flow?: boolean }).flow === true) return true;
  return false;
}

/** A pair's key (not an explicit `?` key) whose `:` is on a later line or over 1024 characters on, from its source tokens. */
function keyOffItsLine(pair: Pair, text: string): { message: string; offset: number } | null {
  const item = (pair as { srcToken?: CST.CollectionItem }).srcToken;
  if (item?.key == null || item.sep === undefined) return null;
  if (item.start.some((t) => t.type === "explicit-key-ind")) return null;
  const colon = item.sep.find((t) => t.type === "map-value-ind");
  if (colon === undefined) return null;
  // libyaml's simple key starts at its first property (an anchor or a tag before the key), if any.
  let start = item.key.offset;
  for (const t of item.start) if ((t.type === "anchor" || t.type === "tag") && t.offset < start) start = t.offset;
  if (colon.offset - start <= 1024 && !text.slice(start, colon.offset).includes("\n")) return null;
  return { message: "a mapping key whose `:` is not on the key's line (PyYAML refuses it: could not find expected ':')", offset: colon.offset };
}

/** PYYAML_OPTIONS for the full path: also the source tokens of each pair (where its `:` is), for pyYamlRefusal. */
export const PYYAML_FULL_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { ...PYYAML_OPTIONS, keepSourceTokens: true };

/**
 * The full path's reading made PyYAML's, on the parsed document before it becomes data (`text` is the
 * text it was parsed from, with PYYAML_FULL_OPTIONS): what PyYAML refuses (pyYamlRefusal), then the
 * scalars `yaml` reads otherwise set to PyYAML's value (pyYamlScalars). Null, or the refusal.
 */
export function asPyYamlReadsIt(doc: Document, text: string): { message: string; offset?: number } | null {
  const refusal = pyYamlRefusal(doc, text) ?? (text.includes("\t") ? pyYamlTabRefusal(doc, text) : null);
  if (refusal === null) pyYamlScalars(doc, text);
  return refusal;
}

/**
 * Sets, in the document, the value of each scalar `yaml` reads otherwise than PyYAML:
 * - a quoted scalar over several lines: folded as PyYAML (libyaml) folds it (pyQuoted below);
 * - a block scalar (`|`, `>`, clip or keep) whose content runs to the end of a text with no final
 *   line break (every stripped file that ends in one): PyYAML ends its value without a line break,
 *   `yaml` adds one.
 */
function pyYamlScalars(doc: Document, text: string): void {
  const endsInBreak = /[\n\r]$/.test(text);
  visit(doc, {
    Scalar(_, node) {
      const range = node.range;
      if (range == null || typeof node.value !== "string") return;
      if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") {
        const source = text.slice(range[0], range[1]);
        if (source.includes("\n") || source.includes("\r")) {
          const value = pyQuoted(source);
          if (value !== null) node.value = value;
        }
      } else if (!endsInBreak && range[1] === text.length && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") && node.value.endsWith("\n")) {
        node.value = node.value.slice(0, -1);
      }
    },
  });
}

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "'": "'",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * A quoted scalar's value from its source (quotes included) as libyaml (PyYAML's CSafeLoader, as
 * dbt reads) scans it (`yaml_parser_scan_flow_scalar`): a line break and the blanks around it fold to
 * a space, or to the line breaks of the empty lines after it; an escaped line break (`\` at a line's
 * end) joins the lines, and the empty lines after it are kept as line breaks (`yaml` drops one).
 * Null when the source holds what `yaml` would have refused (an unknown escape, no closing quote).
 */
export function pyQuoted(source: string): string | null {
  const single = source[0] === "'";
  const quote = source[0];
  const end = source.length - 1;
  if (source[end] !== quote || end < 1) return null;
  const isBreak = (c: string | undefined) => c === "\n" || c === "\r";
  const breakLength = (i: number) => (source[i] === "\r" && source[i + 1] === "\n" ? 2 : 1);
  let out = "";
  let i = 1;
  while (i < end) {
    let leadingBlanks = false;
    while (i < end && source[i] !== " " && source[i] !== "\t" && !isBreak(source[i])) {
      const c = source[i]!;
      if (single && c === "'") {
        if (source[i + 1] !== "'") return null;
        out += "'";
        i += 2;
      } else if (!single && c === "\\") {
        const next = source[i + 1];
        if (isBreak(next)) {
          i += 1 + breakLength(i + 1);
          leadingBlanks = true;
          break;
        }
        if (next === undefined) return null;
        const digits = HEX_DIGITS[next];
        if (digits !== undefined) {
          const hex = source.slice(i + 2, i + 2 + digits);
          if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) return null;
          const code = Number.parseInt(hex, 16);
          if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return null;
          out += String.fromCodePoint(code);
          i += 2 + digits;
        } else {
          const escaped = ESCAPES[next];
          if (escaped === undefined) return null;
          out += escaped;
          i += 2;
        }
      } else if (!single && c === '"') return null;
      else {
        out += c;
        i++;
      }
    }
    if (i >= end) break;
    let whitespaces = "";
    let leadingBreak = false;
    let trailingBreaks = "";
    while (i < end && (source[i] === " " || source[i] === "\t" || isBreak(source[i]))) {
      if (!isBreak(source[i])) {
        if (!leadingBlanks) whitespaces += source[i];
        i++;
      } else {
        if (!leadingBlanks) {
          whitespaces = "";
          leadingBreak = true;
          leadingBlanks = true;
        } else trailingBreaks += "\n";
        i += breakLength(i);
      }
    }
    if (leadingBlanks) out += leadingBreak && trailingBreaks === "" ? " " : trailingBreaks;
    else out += whitespaces;
  }
  return out;
}

const TAB_MESSAGE = "a tab where PyYAML allows none (in indentation, or after `-` or `?`)";

/**
 * A tab where libyaml (PyYAML's CSafeLoader) refuses one and `yaml` does not, outside flow collections
 * and quoted scalars (where tabs are blanks):
 * - where a token may start a line or follow `-`, `?` or a `:` at a line's start: only spaces may
 *   lead there ("found character that cannot start any token"), also on a blank line;
 * - on the lines a plain scalar's scan runs over (its continuation lines and the blank lines after
 *   it, until a comment or content): a tab left of the scalar's block indentation ("a tab character
 *   that violates indentation");
 * - in a block scalar's indentation: a tab before its content's column, or on a blank line before
 *   its first line ("a tab character where an indentation space is expected").
 * Read on `yaml`'s own tokens (Lexer), with the document for each plain scalar's indentation.
 */
function pyYamlTabRefusal(doc: Document, text: string): { message: string; offset: number } | null {
  // Where each plain scalar starts, and the column its continuation lines must not put a tab left of.
  const plainIndent = new Map<number, number>();
  visit(doc, {
    Scalar(_, node, path) {
      if (node.type !== "PLAIN" || node.range == null) return;
      let indent = 0;
      for (let i = path.length - 1; i >= 0; i--) {
        const up = path[i];
        if (!isCollection(up)) continue;
        if ((up as { flow?: boolean }).flow === true) return;
        indent = up.range == null ? 0 : columnAt(text, up.range[0]) + 1;
        break;
      }
      plainIndent.set(node.range[0], indent);
    },
  });
  const refuse = (offset: number) => ({ message: TAB_MESSAGE, offset });
  let flow = 0;
  let blockHeader: string | null = null;
  // What the scanner has just read: a line start or `-`/`?`/a complex `:` ("lead": only spaces before
  // the next token), a plain scalar (and blank lines after it: "plain"), or anything else.
  let state: "lead" | "plain" | "other" = "lead";
  let plainAt = 0;
  for (const { token, at, scalar } of lexedTokens(text)) {
    if (scalar) {
      if (blockHeader !== null) {
        const bad = flow === 0 && !/[0-9]/.test(blockHeader) ? blockScalarTab(token) : -1;
        if (bad !== -1) return refuse(at + bad);
        blockHeader = null;
        state = token.endsWith("\n") ? "lead" : "other";
      } else if (token[0] === "'" || token[0] === '"' || flow > 0) state = "other";
      else {
        plainAt = plainIndent.get(at) ?? 0;
        for (let nl = token.indexOf("\n"); nl !== -1; nl = token.indexOf("\n", nl + 1)) {
          let i = nl + 1;
          while (token[i] === " " || token[i] === "\t") {
            if (token[i] === "\t" && i - nl - 1 < plainAt) return refuse(at + i);
            i++;
          }
        }
        state = "plain";
      }
      continue;
    }
    const type = CST.tokenType(token);
    if (type === "space") {
      if (flow > 0 || !token.includes("\t")) continue;
      const tab = token.indexOf("\t");
      if (state === "lead" || (state === "plain" && columnAt(text, at + tab) < plainAt && atLineStart(text, at))) return refuse(at + tab);
      continue;
    }
    if (type === "newline") {
      if (state !== "plain") state = "lead";
      continue;
    }
    if (type === "flow-map-start" || type === "flow-seq-start") flow++;
    else if ((type === "flow-map-end" || type === "flow-seq-end") && flow > 0) flow--;
    if (type === "block-scalar-header") blockHeader = token;
    if (flow > 0) state = "other";
    else if (type === "seq-item-ind" || type === "explicit-key-ind") state = "lead";
    else if (type === "map-value-ind") state = atLineStart(text, at) ? "lead" : "other";
    else state = "other";
  }
  return null;
}

/**
 * `yaml`'s lexer tokens of `text` with the offset each starts at; `scalar` marks a plain scalar's or
 * a block scalar's body (the token after the lexer's scalar marker). The lexer's own markers, which
 * are not in the text, are left out.
 */
function* lexedTokens(text: string): Generator<{ token: string; at: number; scalar: boolean }> {
  let offset = 0;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    if (token === "\x02" || token === "\x18") continue;
    if (token === "\x1f") {
      scalarNext = true;
      continue;
    }
    yield { token, at: offset, scalar: scalarNext };
    offset += token.length;
    scalarNext = false;
  }
}

/** Where (in a block scalar's body) a tab stands in its indentation, or -1 (its indentation: its first non-blank line's). */
function blockScalarTab(body: string): number {
  let indent = -1;
  let start = 0;
  while (start < body.length) {
    let i = start;
    while (body[i] === " " && (indent === -1 || i - start < indent)) i++;
    if (body[i] === "\t" && (indent === -1 || i - start < indent)) return i;
    const end = body.indexOf("\n", start);
    const line = body.slice(start, end === -1 ? body.length : end);
    if (indent === -1 && line.trim() !== "") indent = line.length - line.trimStart().length;
    if (end === -1) break;
    start = end + 1;
  }
  return -1;
}

function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** Only spaces and tabs between the line's start and this offset. */
function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0 && text[i] !== "\n"; i--) if (text[i] !== " " && text[i] !== "\t") return false;
  return true;
}

/**
 * The text with the continuation lines of its quoted scalars indented, when `yaml` cut one short
 * (a quoted scalar continued at or left of its parent's column, `s: 'a\n#\n '`: `yaml` refuses it,
 * libyaml reads it, as it checks no indentation inside quoted scalars); null when none was cut or
 * one cannot be mended. The value is the same: a continuation line's leading blanks are not part of
 * it. For the full path only after `yaml` refused the text (a rare text: no cost on the usual path).
 */
export function withQuotedLinesIndented(text: string): string | null {
  let current = text;
  for (let round = 0; round < 100; round++) {
    let cut = -1;
    let end = -1;
    for (const { token, at, scalar } of lexedTokens(current)) {
      if (scalar) continue; // a plain scalar or a block scalar's body
      if (token[0] !== "'" && token[0] !== '"') continue;
      end = closingQuote(current, at);
      if (end === -1) return null;
      if (at + token.length !== end + 1) {
        cut = at;
        break;
      }
    }
    if (cut === -1) return round === 0 ? null : current;
    const indent = " ".repeat(columnAt(current, cut) + 1);
    const lines = current.slice(cut, end + 1).split("\n");
    // A document marker at a line's start ends the scalar in libyaml too (an error): leave it.
    if (lines.some((line, i) => i > 0 && /^(?:---|\.\.\.)(?:[ \t\r]|$)/.test(line))) return null;
    current = current.slice(0, cut) + lines.map((line, i) => (i === 0 ? line : indent + line)).join("\n") + current.slice(end + 1);
  }
  return null;
}

/** The offset of the quote that closes the quoted scalar opening at `at` (libyaml: `''` in single quotes, `\\x` in double), or -1. */
function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}
