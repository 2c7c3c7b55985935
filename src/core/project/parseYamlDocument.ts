import { asPyYamlReadsIt, PYYAML_FULL_OPTIONS, withQuotedLinesIndented } from "./pyYaml.js";
import type { Problem } from "../types.js";
import { parseBoundedYaml } from "../yaml/boundedYaml.js";
import { readFastPyYaml } from "./fastPyYaml.js";
import { readSimpleYaml } from "./simpleYaml.js";

/**
 * Parses a dbt YAML file (properties, dbt_project.yml) into plain data, or a problem naming the file
 * and line, read as dbt reads it: the text stripped as Python's `str.strip()` strips it (dbt reads
 * files with `load_file_contents(path, strip=True)`), then PyYAML's YAML 1.1 (`no`/`off` are
 * booleans; see pyYaml.ts), duplicate keys accepted (last wins). What PyYAML refuses is a problem;
 * `test/core/project/yamlTruth.int.test.ts` holds this to the pinned dbt's PyYAML.
 */
export function parseYamlDocument(text: string, file: string, kind: Problem["kind"] = "invalid-yaml"): { value: unknown } | { problem: Problem } {
  return readAsDbt(text, file, kind, true);
}

/** parseYamlDocument without the two shortcut tiers: the reference their differential tests compare it with. */
export function parseYamlDocumentFullPath(text: string, file: string, kind: Problem["kind"] = "invalid-yaml"): { value: unknown } | { problem: Problem } {
  return readAsDbt(text, file, kind, false);
}

function readAsDbt(text: string, file: string, kind: Problem["kind"], shortcuts: boolean): { value: unknown } | { problem: Problem } {
  const { text: stripped, linesBefore } = asDbtReadsIt(text);
  const problem = (message: string, line?: number): { problem: Problem } => ({ problem: { kind, file, ...(line ? { line: line + linesBefore } : {}), message } });
  // PyYAML breaks lines at U+2028/U+2029 and keeps them in the text; `yaml` reads them as ordinary characters.
  const unicodeBreak = /[\u2028\u2029]/.exec(stripped);
  if (unicodeBreak !== null) return problem("a Unicode line or paragraph separator (U+2028/U+2029): this tool cannot read it as dbt's PyYAML does", lineAt(stripped, unicodeBreak.index));
  // Plain block YAML (most properties files) is read directly; block scalars, anchors and flow maps
  // by js-yaml with PyYAML's resolvers (fastPyYaml.ts); the rest, and every error, by `yaml`.
  // Both shortcuts give exactly what the full path gives, or nothing.
  const read = (shortcuts ? (readSimpleYaml(stripped) ?? readFastPyYaml(stripped)) : null) ?? readFullPath(stripped);
  if ("problem" in read) return problem(read.problem.message, read.problem.line);
  // dbt: "Contents of file ... are not valid. Dictionary expected." (dbt/parser/schemas.py, yaml_from_file; dbt_project.yml alike).
  if (read.value !== null && !isRecord(read.value)) return problem(`invalid YAML for dbt: the file holds ${Array.isArray(read.value) ? "a list" : "a single value"}, dbt expects a mapping (or nothing)`);
  return read;
}

/** The full path on a text as given (parseYamlDocument gives it the stripped text): PyYAML's reading, or a problem. */
export function readFullPath(stripped: string): { value: unknown } | { problem: { message: string; line?: number } } {
  const read = readAsPyYaml(stripped);
  if (!("problem" in read) || !(stripped.includes("'") || stripped.includes('"'))) return read;
  // `yaml` refuses a quoted scalar continued at or left of its parent's column, PyYAML reads it:
  // read again with its continuation lines indented (the same value, the same line numbers).
  const mended = withQuotedLinesIndented(stripped);
  const again = mended === null ? null : readAsPyYaml(mended);
  return again === null || "problem" in again ? read : again;
}

function readAsPyYaml(text: string): { value: unknown } | { problem: { message: string; line?: number } } {
  // As PyYAML reads it (pyYaml.ts), bounded: alias bombs and deep nesting are a problem naming the file, never a crash.
  // What PyYAML refuses and `yaml` reads is refused, and the scalars `yaml` reads otherwise get PyYAML's value, before the document becomes data.
  const parsed = parseBoundedYaml(text, PYYAML_FULL_OPTIONS, (doc) => {
    const refusal = asPyYamlReadsIt(doc, text);
    return refusal === null ? null : { message: `invalid YAML for dbt: ${refusal.message}`, ...(refusal.offset === undefined ? {} : { line: lineAt(text, refusal.offset) }) };
  });
  if ("error" in parsed) return { problem: parsed.error };
  return { value: parsed.value };
}

/** Python's `str.isspace()` characters, which `str.strip()` removes from both ends. */
const PY_SPACE = /[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * The text as dbt hands it to PyYAML (stripped), with its line breaks written as `\n` (PyYAML also
 * breaks lines at a lone `\r` and at U+0085, `yaml` does not), and how many lines the strip took
 * from the start (for the line numbers of problems). Walks the ends only: this runs on every file.
 */
export function asDbtReadsIt(text: string): { text: string; linesBefore: number } {
  let start = 0;
  let end = text.length;
  while (start < end && PY_SPACE.test(text[start]!)) start++;
  while (end > start && PY_SPACE.test(text[end - 1]!)) end--;
  const linesBefore = start === 0 ? 0 : (text.slice(0, start).match(/\r\n|[\r\n\x85\u2028\u2029]/g)?.length ?? 0);
  let stripped = start === 0 && end === text.length ? text : text.slice(start, end);
  if (stripped.includes("\r") || stripped.includes("\x85")) stripped = stripped.replace(/\r\n?|\x85/g, "\n");
  return { text: stripped, linesBefore };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
