/**
 * A fast reader for the plain block YAML that dbt properties files are mostly made of: nested
 * mappings and sequences by indentation, `key: value`, `- item`, `- key: value`, one-line flow
 * sequences of scalars, `{}`, plain and quoted one-line scalars, comments.
 *
 * It reads a strict subset of YAML and gives exactly what `parsePyYaml(text).toJS()` gives for it,
 * which is what dbt's PyYAML gives (YAML 1.1: null, booleans such as `no`/`Off`, decimal integers,
 * strings). On anything
 * outside the subset (anchors, tags, block scalars, multi-line scalars, flow mappings, escapes,
 * numbers other than decimal integers, tabs, documents markers, duplicate keys, ...), and on every
 * malformed input, it returns null and the caller parses the text with `yaml`, which then also
 * reports the errors. `test/core/project/simpleYaml.test.ts` holds it to `parsePyYaml` on generated and
 * real files.
 *
 * Why: parsing every properties file with `yaml` (a lossless CST, then nodes, then plain data) was
 * a quarter of a 10,000-model status run; this reads the same files several times faster.
 */

import { MAX_YAML_DEPTH } from "../yaml/boundedYaml.js";
import { PY_BOOL, PY_FLOAT, PY_INT, PY_NULL, PY_TIMESTAMP } from "./pyYaml.js";

class Unsupported extends Error {}

interface Line {
  indent: number;
  /** The line from its first non-space character, comment-only lines already dropped. */
  text: string;
}

// Characters that YAML treats specially, or that `yaml` may read differently from a plain reading:
// tabs, carriage returns not followed by a line feed, control characters, BOMs, Unicode line breaks.
const AWKWARD = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;
// A key as plain text (an optional dbt `+`, then a name), with `:` right after it.
const KEY = /^(\+?[A-Za-z_][A-Za-z0-9_\-.]*):(?: +|$)/;
// Plain scalars PyYAML (YAML 1.1, as dbt reads YAML) resolves to something other than a string.
const DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)$/;
const TRUE_WORDS = new Set(["yes", "true", "on"]);
// A start that makes something other than a plain scalar (or a plain scalar `yaml` might read with
// a twist): indicators, quotes, flow and block markers, a sequence item's `- `.
const SPECIAL_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?: |$))/;
/** Keys longer than this are left to `yaml` (an implicit key may be at most 1024 characters). */
const MAX_KEY = 1000;

export function readSimpleYaml(text: string): { value: unknown } | null {
  if (AWKWARD.test(text)) return null;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) continue;
    // Document markers: not for this reader.
    if (indent === 0 && /^(?:---|\.\.\.)(?: |$)/.test(line)) return null;
    lines.push({ indent, text: line.slice(indent) });
  }
  if (lines.length === 0) return { value: null };
  try {
    const reader = new Reader(lines);
    const value = reader.node(lines[0]!.indent);
    return reader.done() ? { value } : null;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

class Reader {
  private at = 0;
  /** Blocks open around the current one: past the cap, `yaml` (through parseBoundedYaml) refuses the file. */
  private depth = 0;

  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.at === this.lines.length;
  }

  /** The block that starts on the current line, which is indented by `indent`. */
  node(indent: number): unknown {
    if (this.depth >= MAX_YAML_DEPTH) throw new Unsupported();
    this.depth++;
    try {
      return this.block(indent);
    } finally {
      this.depth--;
    }
  }

  private block(indent: number): unknown {
    const line = this.lines[this.at]!;
    if (isItem(line.text)) return this.sequence(indent);
    if (KEY.test(line.text)) return this.mapping(indent);
    // A value on a line of its own (`key:` then `  []`): nothing may continue it.
    const value = inlineValue(line.text);
    this.at++;
    const next = this.lines[this.at];
    if (next !== undefined && next.indent >= indent) throw new Unsupported();
    return value;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.lines[this.at]; line !== undefined && line.indent === indent && isItem(line.text); line = this.lines[this.at]) {
      let offset = 1;
      while (line.text.charCodeAt(offset) === 32) offset++;
      const rest = line.text.slice(offset);
      if (rest === "" || rest.startsWith("#")) {
        this.at++;
        items.push(this.nestedOrNull(indent, false));
        continue;
      }
      if (isItem(rest) || KEY.test(rest)) {
        // `- key: value` (`- - item`): a mapping (sequence) whose keys (items) line up with this first one.
        this.lines[this.at] = { indent: indent + offset, text: rest };
        items.push(this.node(indent + offset));
      } else {
        items.push(inlineValue(rest));
        this.at++;
      }
      this.expectNotDeeper(indent);
    }
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.at]; line !== undefined && line.indent === indent; line = this.lines[this.at]) {
      const match = KEY.exec(line.text);
      if (match === null) throw new Unsupported();
      const key = match[1]!;
      if (key.length > MAX_KEY || PY_NULL.test(key) || PY_BOOL.test(key) || key === "__proto__" || key === "<<" || Object.hasOwn(out, key)) {
        throw new Unsupported();
      }
      const rest = line.text.slice(match[0].length);
      this.at++;
      out[key] = rest === "" || rest.startsWith("#") ? this.nestedOrNull(indent, true) : inlineValue(rest);
      this.expectNotDeeper(indent);
    }
    return out;
  }

  /**
   * The value of a key or item written on the following lines: a block indented deeper, a
   * sequence at the key's own indentation (`key:` then `- a`), or nothing (null).
   */
  private nestedOrNull(indent: number, sameIndentSequence: boolean): unknown {
    const next = this.lines[this.at];
    if (next === undefined) return null;
    if (next.indent > indent) return this.node(next.indent);
    if (sameIndentSequence && next.indent === indent && isItem(next.text)) return this.sequence(indent);
    return null;
  }

  /** After a value, a line indented deeper than its key would continue it: not for this reader. */
  private expectNotDeeper(indent: number): void {
    const next = this.lines[this.at];
    if (next !== undefined && next.indent > indent) throw new Unsupported();
  }
}

function isItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** A value written on the key's (or item's) line. */
function inlineValue(rest: string): unknown {
  const c = rest[0];
  if (c === "'" || c === '"') {
    const { value, end } = quoted(rest, 0);
    afterValue(rest, end);
    return value;
  }
  if (c === "[") return flowSequence(rest);
  if (c === "{" && rest[1] === "}") {
    afterValue(rest, 2);
    return {};
  }
  return plainScalar(stripComment(rest));
}

function stripComment(rest: string): string {
  const hash = rest.indexOf(" #");
  return trimSpaces(hash === -1 ? rest : rest.slice(0, hash));
}

/** Trims spaces only (YAML's white space here; `trim()` would also take a no-break space). */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(start, end);
}

/** Only spaces and a comment may follow a value on its line. */
function afterValue(rest: string, end: number): void {
  let i = end;
  while (rest.charCodeAt(i) === 32) i++;
  if (i < rest.length && !(rest[i] === "#" && i > end)) throw new Unsupported();
}

/** A one-line quoted scalar at `start`; double-quoted ones only without escapes. */
function quoted(text: string, start: number): { value: string; end: number } {
  const q = text[start]!;
  if (q === '"') {
    const close = text.indexOf('"', start + 1);
    if (close === -1) throw new Unsupported();
    const value = text.slice(start + 1, close);
    if (value.includes("\\")) throw new Unsupported();
    return { value, end: close + 1 };
  }
  let value = "";
  let i = start + 1;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close === -1) throw new Unsupported();
    value += text.slice(i, close);
    if (text[close + 1] !== "'") return { value, end: close + 1 };
    value += "'";
    i = close + 2;
  }
}

function plainScalar(text: string): unknown {
  if (text === "") return null;
  if (SPECIAL_START.test(text) || text.includes(": ") || text.endsWith(":")) throw new Unsupported();
  return typed(text);
}

/** PyYAML's reading of a plain scalar, for the types this reader handles (null, bool, decimal int). */
function typed(text: string): unknown {
  if (PY_NULL.test(text)) return null;
  if (PY_BOOL.test(text)) return TRUE_WORDS.has(text.toLowerCase());
  if (DECIMAL.test(text)) return parseInt(text, 10) || 0; // `-0` is 0 in Python
  // Other numbers (underscores, 0x, 0b, octal, a:b:c), floats, dates, `=`: left to pyYaml.ts.
  // A plain `<<` or `=` value: PyYAML refuses it (merge and value tags).
  if (PY_INT.test(text) || PY_FLOAT.test(text) || PY_TIMESTAMP.test(text) || text === "=" || text === "<<") throw new Unsupported();
  return text;
}

/** `[a, 'b', "c"]` on one line: scalars only. */
function flowSequence(rest: string): unknown[] {
  const items: unknown[] = [];
  let i = 1;
  const skipSpaces = () => {
    while (rest.charCodeAt(i) === 32) i++;
  };
  skipSpaces();
  if (rest[i] === "]") {
    afterValue(rest, i + 1);
    return items;
  }
  for (;;) {
    skipSpaces();
    const c = rest[i];
    if (c === "'" || c === '"') {
      const { value, end } = quoted(rest, i);
      items.push(value);
      i = end;
    } else {
      let j = i;
      while (j < rest.length && rest[j] !== "," && rest[j] !== "]") j++;
      const plain = trimSpaces(rest.slice(i, j));
      // In a flow sequence a plain scalar must not hold these either.
      if (plain === "" || SPECIAL_START.test(plain) || /[:#{}[\]]/.test(plain)) throw new Unsupported();
      items.push(typed(plain));
      i = j;
    }
    skipSpaces();
    if (rest[i] === ",") {
      i++;
      continue;
    }
    if (rest[i] === "]") {
      afterValue(rest, i + 1);
      return items;
    }
    throw new Unsupported();
  }
}
