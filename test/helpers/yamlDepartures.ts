/**
 * The errors `yaml` (read as PyYAML, pyYaml.ts) reports where the pinned dbt's PyYAML reads a value:
 * a `#` line at column 0 or a less indented line inside a flow collection or before a key's value.
 * yamlTruth.int.test.ts names this a known difference of the full path and checks it against real
 * PyYAML; the plain-block reader's test uses it to tell a `yaml` departure from a reader error.
 */
export const YAML_REFUSES_WHAT_PYYAML_READS =
  /Comments must be separated|Implicit keys need to be on a single line|Sequence item without - indicator|Block collections are not allowed within flow|must be sufficiently indented/;
