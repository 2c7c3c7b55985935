import type { Document } from "yaml";
import { parsePyYaml } from "./pyYaml.js";
import type { Problem } from "../types.js";
import { readSimpleYaml } from "./simpleYaml.js";

/**
 * Parses YAML text into plain data, or a problem naming the file and line, read as dbt reads it:
 * PyYAML's YAML 1.1 (`no`/`off` are booleans; see pyYaml.ts), duplicate keys accepted (last wins).
 */
export function parseYamlDocument(
  text: string,
  file: string,
  kind: Problem["kind"] = "invalid-yaml",
): { value: unknown } | { problem: Problem } {
  // Plain block YAML (most properties files) is read directly; the rest, and every error, by `yaml`.
  const simple = readSimpleYaml(text);
  if (simple !== null) return simple;
  let doc: Document;
  try {
    // prettyErrors gives each error its line; only the first line of the message is kept.
    doc = parsePyYaml(text);
  } catch (error) {
    return { problem: { kind, file, message: `cannot read YAML: ${(error as Error).message}` } };
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const message = first.message.split("\n")[0] ?? "invalid YAML";
    return { problem: { kind, file, ...(line ? { line } : {}), message: `invalid YAML: ${message}` } };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    // `<<: 1` (a merge of something not a mapping), too many aliases: PyYAML refuses these too.
    return { problem: { kind, file, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` } };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
