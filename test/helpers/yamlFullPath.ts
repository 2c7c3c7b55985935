import { PYYAML_OPTIONS, pyYamlRefusal } from "../../src/core/project/pyYaml.js";
import { parseBoundedYaml } from "../../src/core/yaml/boundedYaml.js";

/**
 * The full path of parseYamlDocument on a text as given (not stripped): `yaml` read as PyYAML,
 * bounded, then what PyYAML would refuse. The reference the shortcut tiers (simpleYaml.ts,
 * fastPyYaml.ts) are held to: each returns exactly this value, or null.
 */
export function yamlFullPath(text: string): { value: unknown } | { error: string } {
  const parsed = parseBoundedYaml(text, PYYAML_OPTIONS);
  if ("error" in parsed) return { error: parsed.error.message };
  const refusal = pyYamlRefusal(parsed.doc);
  return refusal === null ? { value: parsed.value } : { error: refusal.message };
}
