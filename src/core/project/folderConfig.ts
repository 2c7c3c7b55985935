import { enablednessOfYamlValue, type Enabledness } from "./enabledness.js";
import { isRecord } from "./parseYamlDocument.js";

/** Config a node inherits from a dbt_project.yml block (`models:`, `seeds:`, ...): the parts readiness needs. */
export interface FolderConfig {
  tags: string[];
  /** The deepest `+enabled` set along the node's path, or null when none is. */
  enabled: Enabledness | null;
  materialized: string | null;
}

// Keys dbt treats as configs even without the `+` prefix. Anything else is a folder (or model) name.
const CONFIG_KEYS = new Set([
  "enabled",
  "tags",
  "materialized",
  "schema",
  "database",
  "alias",
  "meta",
  "docs",
  "persist_docs",
  "post-hook",
  "pre-hook",
  "full_refresh",
  "unique_key",
  "on_schema_change",
  "grants",
  "contract",
  "incremental_strategy",
  "event_time",
  "batch_size",
  "begin",
  "lookback",
  "group",
  "access",
  "column_types",
  "quote_columns",
  "delimiter",
  "strategy",
  "target_schema",
  "target_database",
  "check_cols",
  "updated_at",
  "invalidate_hard_deletes",
  "snapshot_meta_column_names",
  "hard_deletes",
  "dbt_valid_to_current",
  "quoting",
  "freshness",
  "loaded_at_field",
  "loaded_at_query",
]);

/**
 * Resolves the folder-level config for one node, as dbt applies a dbt_project.yml block along the
 * node's fqn. `segments` is the fqn below the project name: for a model its folders below its model
 * path, then its name (`transform/gold/d_user.sql` → `["gold", "d_user"]`); for a source table the
 * properties file's folders, the source name, the table name. `scope` is the project (or package)
 * whose scope is read: the root project's name for its own nodes, a package's name for that
 * package's nodes. Tags add up down the tree (as in dbt); the deepest `enabled`/`materialized` wins.
 * `block` names the block in messages (`models`).
 */
export function resolveFolderConfig(config: Record<string, unknown>, scope: string, segments: string[], block = "models", file = "dbt_project.yml"): FolderConfig {
  const result: FolderConfig = { tags: [], enabled: null, materialized: null };
  apply(result, config, `${file} ${block}:`); // top-level `+materialized` applies to every project
  const root = config[scope];
  if (!isRecord(root)) return result;
  let node: Record<string, unknown> = root;
  let path = `${block}.${scope}`;
  apply(result, node, `${file} ${path}`);
  for (const segment of segments) {
    const next = node[segment];
    if (!isRecord(next) || isConfigKey(segment)) break;
    node = next;
    path = `${path}.${segment}`;
    apply(result, node, `${file} ${path}`);
  }
  result.tags = [...new Set(result.tags)];
  return result;
}

function isConfigKey(key: string): boolean {
  return key.startsWith("+") || CONFIG_KEYS.has(key);
}

// What each node of the block sets, read once per node (every model of a folder walks the same
// nodes; a node sits at one place in the tree, so its `where` is fixed too).
const contributions = new WeakMap<Record<string, unknown>, FolderConfig>();

function apply(result: FolderConfig, node: Record<string, unknown>, where: string): void {
  let own = contributions.get(node);
  if (own === undefined) {
    own = { tags: [], enabled: null, materialized: null };
    for (const [rawKey, value] of Object.entries(node)) {
      if (!isConfigKey(rawKey)) continue;
      const key = rawKey.replace(/^\+/, "");
      if (key === "tags") own.tags.push(...asTags(value));
      else if (key === "enabled") own.enabled = enablednessOfYamlValue(value, where) ?? own.enabled;
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
