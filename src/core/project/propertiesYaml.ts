import type { Problem } from "../types.js";
import { asTags } from "./folderConfig.js";
import { isRecord, parseYamlDocument } from "./parseYamlDocument.js";

export interface DeclaredSource {
  source: string;
  table: string;
  enabled: boolean;
  file: string;
}

export interface ModelProperties {
  name: string;
  enabled: boolean | null;
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
}

/** Reads a dbt properties YAML (sources, models, snapshots). Files without those keys are fine. */
export function parsePropertiesYaml(text: string, file: string): { properties: PropertiesFile } | { problem: Problem } {
  const parsed = parseYamlDocument(text, file);
  if ("problem" in parsed) return parsed;
  const doc = parsed.value;
  const properties: PropertiesFile = { sources: [], models: [], snapshots: [] };
  if (doc === null || doc === undefined) return { properties };
  if (!isRecord(doc)) return { properties };
  for (const source of list(doc.sources)) {
    if (!isRecord(source) || typeof source.name !== "string") continue;
    const sourceEnabled = enabledOf(source) !== false;
    for (const table of list(source.tables)) {
      if (!isRecord(table) || typeof table.name !== "string") continue;
      properties.sources.push({
        source: source.name,
        table: table.name,
        enabled: sourceEnabled && enabledOf(table) !== false,
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
      enabled: enabledOf(model),
      tags: [...asTags(model.tags), ...asTags(config.tags)],
      materialized: typeof config.materialized === "string" ? config.materialized : null,
      versions,
      latestVersion: model.latest_version === undefined || model.latest_version === null ? null : String(model.latest_version),
      hasTests: hasTests(model),
      file,
    });
  }
  for (const snapshot of list(doc.snapshots)) {
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

function enabledOf(node: Record<string, unknown>): boolean | null {
  const config = isRecord(node.config) ? node.config : {};
  if (typeof config.enabled === "boolean") return config.enabled;
  if (typeof node.enabled === "boolean") return node.enabled;
  return null;
}

function hasTests(model: Record<string, unknown>): boolean {
  const testsOf = (node: Record<string, unknown>) => list(node.tests).length + list(node.data_tests).length > 0;
  if (testsOf(model)) return true;
  return list(model.columns).some((column) => isRecord(column) && testsOf(column));
}
