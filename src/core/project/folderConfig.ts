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

// What each node of the `models:` block sets, read once per node (every model of a folder walks the
// same nodes).
const contributions = new WeakMap<Record<string, unknown>, FolderConfig>();

function apply(result: FolderConfig, node: Record<string, unknown>): void {
  let own = contributions.get(node);
  if (own === undefined) {
    own = { tags: [], enabled: null, materialized: null };
    for (const [rawKey, value] of Object.entries(node)) {
      if (!isConfigKey(rawKey)) continue;
      const key = rawKey.replace(/^\+/, "");
      if (key === "tags") own.tags.push(...asTags(value));
      else if (key === "enabled" && typeof value === "boolean") own.enabled = value;
      else if (key === "materialized" && typeof value === "string") own.materialized = value;
    }
    contributions.set(node, own);
  }
  if (own.tags.length > 0) result.tags.push(...own.tags);
  if (own.enabled !== null) result.enabled = own.enabled;
  if (own.materialized !== null) result.materialized = own.materialized;
}

export function asTags(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}
