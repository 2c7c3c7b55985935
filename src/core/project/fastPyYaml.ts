import { DEFAULT_SCHEMA, FAILSAFE_SCHEMA, type LoadOptions, load, type Schema, Type } from "js-yaml";
import { MAX_YAML_DEPTH } from "../yaml/boundedYaml.js";
import { PY_BOOL, PY_FLOAT, PY_INT, PY_NULL, PY_TIMESTAMP, pyFloat, pyInt, pyTimestamp } from "./pyYaml.js";

/**
 * The middle tier of parseYamlDocument: YAML the plain reader (simpleYaml.ts) does not cover, read
 * with `js-yaml` and PyYAML's YAML 1.1 resolvers (pyYaml.ts, the same regexes and constructors the
 * full path gives `yaml`). It returns exactly what the full path (`parseBoundedYaml(text,
 * PYYAML_OPTIONS)`) returns for the text, or null, and then the full path reads the text (and reports
 * any error, or refuses a bomb). Why: real properties files use block scalars (`description: >`),
 * anchors, merge keys and flow maps, and `yaml` (a lossless CST, then nodes, then plain data) read
 * them about 8× slower than `js-yaml`; they were 40% of a 10,000-model status run.
 *
 * Null (full path) whenever the two parsers could disagree or the full path could refuse:
 * - any `js-yaml` error (the full path reports its own; `yaml` with `strict: false` is the lenient one);
 * - a plain scalar that YAML 1.1 (PyYAML) and YAML 1.2 (js-yaml's defaults) read differently, or that
 *   PyYAML refuses (`yes`, `017`, `12:30`, `1e5`, dates, `=`, a `<<` value), and two merge keys in one
 *   mapping: the structural guard, sameInYaml11And12 below;
 * - tags (`!`), directives (`%`), a line led by `---`/`...` and more (`----`: js-yaml reads a document start), explicit keys (`?`), a collection as a key (`]:`/`}:`, also `]:,` in a flow collection), a
 *   backslash anywhere (double-quoted escapes differ between YAML 1.1 and 1.2 readers), tabs,
 *   awkward line breaks or control characters, several documents, a quoted `<<`, a block scalar's
 *   explicit indentation indicator (`|2`) or leading blank lines holding spaces, an empty block
 *   sequence entry (`-` alone on its line), an anchor on a block scalar written on the next line, a
 *   block scalar as the whole document;
 * - a flow collection or an alias as a key without `:` (`{a, {}}`), seen through js-yaml's node events;
 * - a key that is not a plain string once read (`1:`, `on:`, `null:`, `2024-01-01:` are typed by
 *   PyYAML and keyed differently by each library), or `__proto__`;
 * - an anchor name defined twice (PyYAML refuses the text), an anchor on anything but a mapping or a sequence, or on one that holds an anchor or an alias
 *   (seen through js-yaml's node events), or more than 499 aliases: the full path refuses an alias
 *   when its anchor's use count times the aliases nested in the anchored node exceeds
 *   MAX_YAML_ALIAS_COUNT (1000). With flat anchored collections the second factor is at most 1 and
 *   the first at most 1 + 2 × the aliases (a merge resolves its alias once more), so 499 aliases
 *   can never reach it;
 * - nesting deeper than MAX_YAML_DEPTH - 2 (the full path refuses past MAX_YAML_DEPTH).
 * `test/core/project/fastPyYaml.test.ts` holds it to the full path on generated, random and corpus
 * YAML (and, through it, `pyYaml.int.test.ts` holds the full path to real PyYAML).
 */

class Refused extends Error {}

const refuse = (message: string): never => {
  throw new Refused(message);
};

const scalar = (tag: string, test: RegExp, construct: (text: string) => unknown) =>
  new Type(tag, { kind: "scalar", resolve: (data: unknown) => typeof data === "string" && test.test(data), construct: (data: string) => construct(data) });

const TRUE_WORDS = new Set(["yes", "true", "on"]);

// PyYAML's implicit resolvers in its order (bool, float, int, null, timestamp); a constructor error
// (an octal `09`, a 2023-02-30) sends the text to the full path, which reports it as before. Merge
// keys are not js-yaml's (it merges lists and scalars `yaml` refuses): `<<` stays a key and
// `mergeKeys` below merges as `yaml` does.
const PY_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("tag:yaml.org,2002:bool", PY_BOOL, (s) => TRUE_WORDS.has(s.toLowerCase())),
    scalar("tag:yaml.org,2002:float", PY_FLOAT, pyFloat),
    scalar("tag:yaml.org,2002:int", PY_INT, (s) => pyInt(s, refuse)),
    scalar("tag:yaml.org,2002:null", PY_NULL, () => null),
    scalar("tag:yaml.org,2002:timestamp", PY_TIMESTAMP, (s) => pyTimestamp(s, refuse)),
  ],
});

/** What this tier leaves to the full path, from the text alone (see above). */
const UNSUPPORTED_TEXT =
  /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff\\]|\r(?!\n)|(?:^|[\s[{,])[!?](?:[^\s]|\s|$)|^%|^(?:---|\.\.\.)(?:\s|$)[\s\S]*^(?:---|\.\.\.)(?:\s|$)|[\]}][ ]*:|^(?:---|\.\.\.)\S/m;
/** A block scalar with an explicit indentation indicator (`|2`, `>-1`): rare, and read differently by the two. */
const INDENT_INDICATOR = /(?:^|[\s:-])[|>][-+]?[0-9]/m;
/**
 * A keep-chomped block scalar (`|+`, `>+`) in a text ending in spaces: js-yaml adds a line break for a last line of spaces
 * with no line break after it (`b: |+\n    x\n   ` reads `x\n\n`, `yaml` and PyYAML `x\n`). Rare.
 */
const KEEP_CHOMPING = /(?:^|[\s:-])[|>]\+/m;
const SPACES_AT_END = /\n[ ]+$/;
/** A block scalar whose first lines are blank with spaces (`yaml` refuses more spaces there than the content's). */
const LEADING_SPACES = /[|>][-+]?[ ]*(?:#[^\n]*)?\r?\n(?:[ ]*\r?\n)*?[ ]+\r?\n/;
/**
 * An empty block sequence entry (`-` and nothing else on its line but a comment): after one, js-yaml
 * takes a following `- item` line as a further entry of the same sequence even when it is indented
 * less than the `-` (`a:\n  - x\n  -\n - y\n` reads as `{a: [x, null, y]}`), where `yaml` (and
 * PyYAML) refuse the document. Rare in properties files; the full path reads them all.
 */
const EMPTY_ENTRY = /^[ ]*(?:-[ ]+)*-[ ]*(?:#[^\n]*)?\r?$/m;
/**
 * An anchor whose node is a block scalar on a later line (`a: &x\n  |\n  text`): js-yaml stores an
 * empty mapping under the anchor (it tries a block mapping there first), so `*x` reads as `{}`.
 */
const ANCHORED_BLOCK_SCALAR = /&[^\s]+[ ]*(?:#[^\n]*)?\r?\n(?:[ ]*(?:#[^\n]*)?\r?\n)*[ ]*[|>]/;
/**
 * A block scalar as the document itself (`>\n#c\n`): `yaml` reads a `#` line at column 0 as its
 * content, js-yaml (and PyYAML) as a comment. A properties file is a mapping; the full path decides.
 */
const ROOT_BLOCK_SCALAR = /^(?:(?:---)?[ ]*(?:#[^\n]*)?\r?\n)*(?:---[ ]+)?[ ]*[|>]/;
/**
 * A comment line between a key with no value on its line and a plain scalar on a later line
 * (`b:\n#c\n  x\n`): `yaml` refuses it ("Implicit keys need to be on a single line"), js-yaml (and
 * PyYAML) read `{b: x}`.
 */
const COMMENT_BEFORE_SCALAR = /:[ ]*\r?\n(?:[ ]*(?:#[^\n]*)?\r?\n)*[ ]*#[^\n]*\r?\n(?:[ ]*(?:#[^\n]*)?\r?\n)*[ ]+(?!-(?:[ ]|\r?$))(?:(?!: |:\r?$)[^\n])+$/m;
/** An anchor name run into a flow indicator (`&a-{}`): js-yaml reads it, `yaml` refuses it. */
/**
 * A plain scalar led by `:` in a flow collection (`{:a }`, `{a: :b}`), or a `:` right before one of
 * `,?[]{}` (`{a:, b}`, in a flow collection an error of PyYAML's): js-yaml reads them, PyYAML refuses them.
 */
const COLON_LED_FLOW_ENTRY = /(?:[[{,]|:[ \n])\s*:|:[,?[\]{}]/;
const ANCHOR_INTO_FLOW = /(?:^|[\s[{,])&[^\s[\]{},]*[[\]{},]/m;
const ALIAS = /\*/g;
/** The start of a flow collection (a quoted scalar) in a node's text, after spaces and an anchor. */
const FLOW = /^\s*(?:&\S+\s+)?[[{]/;
const QUOTED = /^\s*(?:&\S+\s+)?['"]/;
const BLOCK = /^\s*(?:&\S+\s+)?[|>]/;
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;
const LEADING_COMMENTS = /^(?:[ ]*(?:#[^\n]*)?\n)*/;
const MAX_ALIASES = 499;
/** A quoted `<<` is a plain key for `yaml`, but js-yaml (merge type off) gives both spellings the same key. */
const QUOTED_MERGE = /['"]<<|<<['"]/;
/** How js-yaml writes a typed key that the PY_* tests would not recognise (a date, an infinity, an exponent). */
const STRINGIFIED = /^-?Infinity$|^NaN$|e[+-][0-9]|GMT/;
const KEY_TYPED = (key: string) => STRINGIFIED.test(key) || PY_NULL.test(key) || PY_BOOL.test(key) || PY_INT.test(key) || PY_FLOAT.test(key) || PY_TIMESTAMP.test(key) || key === "__proto__" || key === "=";

/**
 * The structural guard: this tier reads a plain scalar only when YAML 1.1 as PyYAML resolves it and
 * YAML 1.2 as js-yaml resolves it by default agree on what it is, whatever resolvers the schema
 * holds. So a PyYAML 1.1 reading (`yes`/`no`/`on`/`off`/`y`-less booleans, octals `017`,
 * sexagesimals `12:30`, `0b`/`0x`/underscored numbers, timestamps, `=`, a `<<` that is not a key)
 * is never decided here: the full path, which `yamlTruth.int.test.ts` holds to real PyYAML, reads
 * the file. Checked on every plain scalar (keys too) through js-yaml's node events, after js-yaml
 * resolved it: the text is the node's source when it was resolved, else the (folded) string.
 */
const LETTER = /^[A-Za-z]/;
const YAML11_BOOL_WORDS = new Set(["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]);
const MAYBE_TYPED = /^[~nNtTfFyYoO<=+\-.0-9]/;
/** Read alike by both: the usual booleans and nulls, decimal integers (not `-0`: 0 in Python, -0 in js-yaml), plain decimal floats. */
const READ_ALIKE = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|~|[-+]?(?:0|[1-9][0-9]*)|[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?)$/;
const JS_YAML_IMPLICIT = (DEFAULT_SCHEMA as unknown as { compiledImplicit: Type[] }).compiledImplicit;

export function sameInYaml11And12(text: string, isKey: boolean): boolean {
  if (text === "" || !MAYBE_TYPED.test(text)) return text !== ""; // an empty plain scalar is no node: never seen here
  // Led by a letter: typed only as a boolean or null word, which the two read alike but for PyYAML's yes/no/on/off.
  if (LETTER.test(text)) return !YAML11_BOOL_WORDS.has(text);
  if (text === "-0") return false;
  if (READ_ALIKE.test(text)) return true;
  if (text === "<<") return isKey; // a merge key in both (merged by mergeKeys below); PyYAML refuses any other `<<`
  if (text === "=" || PY_BOOL.test(text) || PY_INT.test(text) || PY_FLOAT.test(text) || PY_NULL.test(text) || PY_TIMESTAMP.test(text)) return false;
  return !JS_YAML_IMPLICIT.some((type) => type.resolve?.(text));
}

/**
 * `schema`: the resolvers (PyYAML's). A parameter only so that a test can show the guard holds the
 * tier to PyYAML even with js-yaml's own YAML 1.2 resolvers.
 */
export function readFastPyYaml(text: string, schema: Schema = PY_SCHEMA): { value: unknown } | null {
  if (
    UNSUPPORTED_TEXT.test(text) ||
    QUOTED_MERGE.test(text) ||
    INDENT_INDICATOR.test(text) ||
    (SPACES_AT_END.test(text) && KEEP_CHOMPING.test(text)) ||
    LEADING_SPACES.test(text) ||
    EMPTY_ENTRY.test(text) ||
    ANCHORED_BLOCK_SCALAR.test(text) ||
    ROOT_BLOCK_SCALAR.test(text) ||
    COMMENT_BEFORE_SCALAR.test(text) ||
    ANCHOR_INTO_FLOW.test(text) ||
    COLON_LED_FLOW_ENTRY.test(text)
  )
    return null;
  let aliases = 0;
  ALIAS.lastIndex = 0;
  while (ALIAS.exec(text) !== null) if (++aliases > MAX_ALIASES) return null;
  let value: unknown;
  try {
    // Not `json: true`: a duplicate key (last wins in PyYAML and `yaml`, also for two `<<`) is an
    // error here, and the full path reads the text.
    // `maxDepth` (js-yaml 4.2+) is missing from @types/js-yaml 4.0.
    value = load(text, { schema, maxDepth: MAX_YAML_DEPTH - 2, listener: nodeEvents(text) } as LoadOptions);
  } catch {
    return null; // a js-yaml error, a constructor refusal, a stack overflow: the full path decides
  }
  return plainKeysAndShallow(value) ? { value: value ?? null } : null;
}

interface JsYamlState {
  kind: string | null;
  anchor: string | null;
  tag: string | null;
  result: unknown;
  position: number;
}

/**
 * js-yaml node events that refuse (throw): an anchored node other than a collection free of anchors
 * and aliases; a flow collection or a quoted scalar over several lines (`yaml` holds their
 * continuation lines to rules of indentation and comments that js-yaml does not).
 */
function nodeEvents(text: string): (event: string, given: unknown) => void {
  const open: { start: number; inner: boolean; collectionKey: boolean; merges: number }[] = [];
  const anchors = new Set<string>();
  return (event, given) => {
    const state = given as JsYamlState;
    if (event === "open") {
      open.push({ start: state.position, inner: false, collectionKey: false, merges: 0 });
      return;
    }
    const node = open.pop();
    if (node === undefined) return refuse("unbalanced node events");
    // An alias node has no kind and no anchor; an empty node neither, but then no `*` was read
    // (a `*` in a comment counts as an alias: refusing more is safe).
    const span = text.slice(node.start, state.position);
    const alias = state.kind === null && state.anchor === null && span.includes("*");
    if (state.anchor !== null && ((state.kind !== "mapping" && state.kind !== "sequence") || node.inner)) refuse("nested anchor");
    // PyYAML's anchor names: letters, digits, `-` and `_` (js-yaml takes more).
    if (state.anchor !== null && !ANCHOR_NAME.test(state.anchor)) refuse("an anchor name PyYAML refuses");
    // PyYAML refuses an anchor name defined twice ("found duplicate anchor"); js-yaml takes the later one.
    if (state.anchor !== null) {
      if (anchors.has(state.anchor)) refuse("an anchor name defined twice");
      anchors.add(state.anchor);
    }
    // A plain scalar (js-yaml gives only those the implicit tag `?`, kept when no resolver took it).
    if (state.kind === "scalar" && state.tag !== null) {
      const key = plainAlike(text, span, state);
      if (key === false) refuse("a plain scalar YAML 1.1 and 1.2 read differently");
      // Two merge keys in one mapping: PyYAML merges both, the later one winning; js-yaml keeps the earlier one's keys.
      if (key === "<<" && open.length > 0 && ++open[open.length - 1]!.merges > 1) refuse("two merge keys in one mapping");
    }
    // A block scalar running to the end of a text with no final line break: PyYAML ends it without one, js-yaml adds one
    // (js-yaml reads the text with a line break added: its position is then past the end).
    if (state.kind === "scalar" && state.position >= text.length && !text.endsWith("\n") && BLOCK.test(span.replace(LEADING_COMMENTS, ""))) refuse("a block scalar at the end of the text");
    if (state.kind !== null) {
      const body = (state.kind === "scalar" ? QUOTED : FLOW).exec(span);
      if (body !== null && span.includes("\n", body.index)) refuse("multi-line flow node");
    }
    // A flow collection or an alias not after a `:` is a mapping's key if its parent is a mapping
    // (`{a, {}}`, `{a: &x {}, *x}`): js-yaml keys it as `[object Object]` (`x` for `[x]`), `yaml` as
    // `{}` (`[ x ]`, `*x`). js-yaml opens some nodes twice at the same place: the parent is the
    // nearest node opened before.
    const flow = state.kind === "mapping" || state.kind === "sequence" ? FLOW.exec(span) : null;
    const start = flow !== null ? node.start + flow.index + flow[0].length - 1 : alias ? node.start + span.indexOf("*") : -1;
    if (start >= 0 && charBefore(text, start) !== ":") {
      let i = open.length - 1;
      while (i >= 0 && open[i]!.start >= node.start) i--;
      if (i >= 0) open[i]!.collectionKey = true;
    }
    if (state.kind === "mapping" && node.collectionKey) refuse("collection as a key");
    const parent = open[open.length - 1];
    if (parent !== undefined && (node.inner || alias || state.anchor !== null)) parent.inner = true;
  };
}

/** sameInYaml11And12 on a plain scalar node (its folded text when unresolved, else its one-line source): false, or the text. */
function plainAlike(text: string, span: string, state: JsYamlState): string | false {
  let source: string;
  if (state.tag === "?" && typeof state.result === "string") source = state.result;
  else {
    const lines = span
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && l[0] !== "#");
    if (lines.length !== 1) return false;
    source = lines[0]!.replace(/^&\S+\s+/, "");
  }
  let after = state.position;
  while (text[after] === " ") after++;
  return sameInYaml11And12(source, text[after] === ":") && source;
}

/** The last character before `at` that is not whitespace, skipping one anchor (`&a`, ended by a space or `[{,`) before `at`. */
function charBefore(text: string, at: number): string {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  let token = i;
  while (token >= 0 && !/[\s[{,]/.test(text[token]!)) token--;
  if (text[token + 1] === "&") {
    i = token;
    while (i >= 0 && /\s/.test(text[i]!)) i--;
  }
  return i >= 0 ? text[i]! : "";
}

/**
 * Every mapping key a plain string, and the value no deeper than the full path's cap; merge keys
 * merged (children first, so a merged map's own `<<` is merged before it is used). Aliases share
 * their node, so the value is a DAG: its height (aliases followed, each node's height computed once)
 * bounds the text's own nesting from above. Walked without recursion.
 */
function plainKeysAndShallow(root: unknown): boolean {
  const height = new Map<object, number>();
  const stack: { node: object; expanded: boolean }[] = [];
  const isNode = (v: unknown): v is object => typeof v === "object" && v !== null && !(v instanceof Date);
  const children = (node: object): unknown[] => (Array.isArray(node) ? node : Object.values(node));
  if (!isNode(root)) return true;
  stack.push({ node: root, expanded: false });
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (height.has(top.node)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      if (!Array.isArray(top.node)) for (const key of Object.keys(top.node)) if (KEY_TYPED(key)) return false;
      for (const child of children(top.node)) if (isNode(child) && !height.has(child)) stack.push({ node: child, expanded: false });
      // A node on the stack twice is a cycle, which a YAML value cannot be; the cap ends it anyway.
      if (stack.length > MAX_YAML_DEPTH * 4096) return false;
      continue;
    }
    stack.pop();
    let h = 1;
    for (const child of children(top.node)) if (isNode(child)) h = Math.max(h, 1 + (height.get(child) ?? MAX_YAML_DEPTH));
    if (h >= MAX_YAML_DEPTH - 2) return false;
    if (!Array.isArray(top.node) && Object.hasOwn(top.node, "<<") && !mergeKeys(top.node as Record<string, unknown>)) return false;
    height.set(top.node, h);
  }
  return true;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * `yaml`'s YAML 1.1 merge (schema/yaml-1.1/merge.js), in place: at the `<<` key's place, the keys of
 * its map (or of each map of its list, earlier ones first) that the mapping does not have yet; keys
 * written after it override them. Anything but a map or a list of maps: false (`yaml` refuses it).
 */
function mergeKeys(node: Record<string, unknown>): boolean {
  const sources = node["<<"];
  const list = Array.isArray(sources) ? sources : [sources];
  if (!list.every(isMap)) return false;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node)) {
    if (key !== "<<") {
      out[key] = node[key];
      continue;
    }
    for (const source of list as Record<string, unknown>[]) for (const k of Object.keys(source)) if (!Object.hasOwn(out, k)) out[k] = source[k];
  }
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, out);
  return true;
}
