import { isRecord } from "./parseYamlDocument.js";

/** Config a model inherits from dbt_project.yml's `models:` block (the parts readiness needs). */
export interface FolderConfig {
  tags: string[];
  enabled: boolean | null;
  materialized: string | null;
}

// Keys dbt treats as configs even without the `+` prefix. Anything else is a folder (or model) name.
const CONFIG_KEYS = new Set([
  "enabled", "tags", "materialized", "schema", "database", "alias", "meta", "docs", "persist_docs",
  "post-hook", "pre-hook", "full_refresh", "unique_key", "on_schema_change", "grants", "contract",
  "incremental_strategy", "event_time", "batch_size", "begin", "lookback", "group", "access",
]);

/**
 * Resolves the folder-level config for one model. `segments` is the model's folder path below its
 * model path, then its own name: `transform/gold/d_user.sql` → `["gold", "d_user"]`. Tags add up
 * down the tree (as in dbt); the deepest `enabled`/`materialized` wins.
 */
export function resolveFolderConfig(
  modelsConfig: Record<string, unknown>,
  projectName: string,
  segments: string[],
): FolderConfig {
  const result: FolderConfig = { tags: [], enabled: null, materialized: null };
  apply(result, modelsConfig); // top-level `+materialized` applies to every project
  const root = modelsConfig[projectName];
  if (!isRecord(root)) return result;
  let node: Record<string, unknown> = root;
  apply(result, node);
  for (const segment of segments) {
    const next = node[segment];
    if (!isRecord(next) || isConfigKey(segment)) break;
    node = next;
    apply(result, node);
  }
  result.tags = [...new Set(result.tags)];
  return result;
}

function isConfigKey(key: string): boolean {
  return key.startsWith("+") || CONFIG_KEYS.has(key);
}

function apply(result: FolderConfig, node: Record<string, unknown>): void {
  for (const [rawKey, value] of Object.entries(node)) {
    if (!isConfigKey(rawKey)) continue;
    const key = rawKey.replace(/^\+/, "");
    if (key === "tags") result.tags.push(...asTags(value));
    else if (key === "enabled" && typeof value === "boolean") result.enabled = value;
    else if (key === "materialized" && typeof value === "string") result.materialized = value;
  }
}

export function asTags(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}
