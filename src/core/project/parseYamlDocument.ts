import { parseDocument, type Document } from "yaml";
import type { Problem } from "../types.js";
import { readSimpleYaml } from "./simpleYaml.js";

/**
 * Parses YAML text into plain data, or a problem naming the file and line. dbt reads YAML with
 * PyYAML, which accepts duplicate keys (last wins); so do we, instead of failing a whole report.
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
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, strict: false });
  } catch (error) {
    return { problem: { kind, file, message: `cannot read YAML: ${(error as Error).message}` } };
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const message = first.message.split("\n")[0] ?? "invalid YAML";
    return { problem: { kind, file, ...(line ? { line } : {}), message: `invalid YAML: ${message}` } };
  }
  return { value: doc.toJS({ maxAliasCount: 1000 }) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
