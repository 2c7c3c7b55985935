import type { Problem } from "../types.js";
import { enablednessOfYamlValue, firstSet, type Enabledness } from "./enabledness.js";
import { asTags } from "./folderConfig.js";
import { isRecord, parseYamlDocument } from "./parseYamlDocument.js";

export interface DeclaredSource {
  source: string;
  table: string;
  /** `enabledness.state === "enabled"`. */
  enabled: boolean;
  /** What the properties file says (table over source), completed with dbt_project.yml's `sources:` by buildProject. */
  enabledness: Enabledness;
  /** The table's and the source's own `enabled` in the properties file, null when not set there. */
  own: { table: Enabledness | null; source: Enabledness | null };
  file: string;
}

export interface NodeProperties {
  name: string;
  enabled: Enabledness | null;
  file: string;
}

export interface ModelProperties {
  name: string;
  enabled: Enabledness | null;
  tags: string[];
  materialized: string | null;
  /** Declared versions (`v`, as strings) and the file stem each is defined in. */
  versions: { v: string; definedIn: string }[];
  latestVersion: string | null;
  hasTests: boolean;
  file: string;
}

export interface PropertiesFile {
  sources: DeclaredSource[];
  models: ModelProperties[];
  snapshots: string[];
  /** Seeds and snapshots given properties (`seeds:`/`snapshots:` entries), for their `enabled`. */
  seedProperties: NodeProperties[];
  snapshotProperties: NodeProperties[];
}

/** Reads a dbt properties YAML (sources, models, snapshots). Files without those keys are fine. */
export function parsePropertiesYaml(text: string, file: string): { properties: PropertiesFile } | { problem: Problem } {
  const parsed = parseYamlDocument(text, file);
  if ("problem" in parsed) return parsed;
  const doc = parsed.value;
  const properties: PropertiesFile = { sources: [], models: [], snapshots: [], seedProperties: [], snapshotProperties: [] };
  if (doc === null || doc === undefined) return { properties };
  if (!isRecord(doc)) return { properties };
  for (const source of list(doc.sources)) {
    if (!isRecord(source) || typeof source.name !== "string") continue;
    const sourceEnabled = enabledOf(source, `${file} (source ${source.name})`);
    for (const table of list(source.tables)) {
      if (!isRecord(table) || typeof table.name !== "string") continue;
      // dbt: the table's config over the source's (dbt/parser/sources.py, _generate_source_config).
      const tableEnabled = enabledOf(table, `${file} (source ${source.name}, table ${table.name})`);
      const enabledness = firstSet(tableEnabled, sourceEnabled);
      properties.sources.push({
        source: source.name,
        table: table.name,
        enabled: enabledness.state === "enabled",
        enabledness,
        own: { table: tableEnabled, source: sourceEnabled },
        file,
      });
    }
  }
  for (const model of list(doc.models)) {
    if (!isRecord(model) || typeof model.name !== "string") continue;
    const config = isRecord(model.config) ? model.config : {};
    const versions = list(model.versions).flatMap((version) => {
      if (!isRecord(version) || version.v === undefined || version.v === null) return [];
      const v = String(version.v);
      const definedIn = typeof version.defined_in === "string" ? version.defined_in : `${model.name}_v${v}`;
      return [{ v, definedIn }];
    });
    properties.models.push({
      name: model.name,
      enabled: enabledOf(model, `${file} (model ${model.name})`),
      tags: [...asTags(model.tags), ...asTags(config.tags)],
      materialized: typeof config.materialized === "string" ? config.materialized : null,
      versions,
      latestVersion: model.latest_version === undefined || model.latest_version === null ? null : String(model.latest_version),
      hasTests: hasTests(model),
      file,
    });
  }
  for (const seed of list(doc.seeds)) {
    if (isRecord(seed) && typeof seed.name === "string") {
      properties.seedProperties.push({ name: seed.name, enabled: enabledOf(seed, `${file} (seed ${seed.name})`), file });
    }
  }
  for (const snapshot of list(doc.snapshots)) {
    if (isRecord(snapshot) && typeof snapshot.name === "string") {
      properties.snapshotProperties.push({ name: snapshot.name, enabled: enabledOf(snapshot, `${file} (snapshot ${snapshot.name})`), file });
    }
    // dbt 1.9+ defines snapshots in YAML; a `relation` key marks a definition, not just properties.
    if (isRecord(snapshot) && typeof snapshot.name === "string" && snapshot.relation !== undefined) {
      properties.snapshots.push(snapshot.name);
    }
  }
  return { properties };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `config: {enabled: ...}` of a properties entry (or a bare `enabled:`, which older projects write). */
function enabledOf(node: Record<string, unknown>, where: string): Enabledness | null {
  const config = isRecord(node.config) ? node.config : {};
  return enablednessOfYamlValue(config.enabled, where) ?? enablednessOfYamlValue(node.enabled, where);
}

function hasTests(model: Record<string, unknown>): boolean {
  const testsOf = (node: Record<string, unknown>) => list(node.tests).length + list(node.data_tests).length > 0;
  if (testsOf(model)) return true;
  return list(model.columns).some((column) => isRecord(column) && testsOf(column));
}
