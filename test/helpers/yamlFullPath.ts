import { readFullPath } from "../../src/core/project/parseYamlDocument.js";

/**
 * The full path of parseYamlDocument on a text as given (not stripped): `yaml` read as PyYAML,
 * bounded, then what PyYAML would refuse, and the value fixed where `yaml` reads otherwise. The
 * reference the shortcut tiers (simpleYaml.ts, fastPyYaml.ts) are held to: each returns exactly
 * this value, or null.
 */
export function yamlFullPath(text: string): { value: unknown } | { error: string } {
  const read = readFullPath(text);
  return "problem" in read ? { error: read.problem.message } : read;
}
