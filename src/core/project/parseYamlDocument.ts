import { PYYAML_OPTIONS } from "./pyYaml.js";
import type { Problem } from "../types.js";
import { parseBoundedYaml } from "../yaml/boundedYaml.js";
import { readFastPyYaml } from "./fastPyYaml.js";
import { readSimpleYaml } from "./simpleYaml.js";

/**
 * Parses YAML text into plain data, or a problem naming the file and line, read as dbt reads it:
 * PyYAML's YAML 1.1 (`no`/`off` are booleans; see pyYaml.ts), duplicate keys accepted (last wins).
 */
export function parseYamlDocument(text: string, file: string, kind: Problem["kind"] = "invalid-yaml"): { value: unknown } | { problem: Problem } {
  // Plain block YAML (most properties files) is read directly; block scalars, anchors and flow maps
  // by js-yaml with PyYAML's resolvers (fastPyYaml.ts); the rest, and every error, by `yaml`.
  // Both shortcuts give exactly what the full path gives, or nothing.
  const simple = readSimpleYaml(text);
  if (simple !== null) return simple;
  const fast = readFastPyYaml(text);
  if (fast !== null) return fast;
  // As PyYAML reads it (pyYaml.ts), bounded: alias bombs and deep nesting are a problem naming the file, never a crash.
  const parsed = parseBoundedYaml(text, PYYAML_OPTIONS);
  if ("error" in parsed) {
    const { message, line } = parsed.error;
    return { problem: { kind, file, ...(line ? { line } : {}), message } };
  }
  return { value: parsed.value };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
