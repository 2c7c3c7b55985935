import type { Dependency } from "../types.js";

/** What dbt recorded for one node: the refs and sources it rendered, macros included. */
export interface ManifestNodeDependencies {
  /** dbt's `unique_id` (`model.pkg.name`, `model.pkg.name.v2`). */
  id: string;
  /** `original_file_path`, relative to the project. */
  file: string;
  name: string;
  enabled: boolean;
  dependencies: Dependency[];
  /** `depends_on.nodes` as dbt resolved them (empty for disabled nodes). */
  dependsOn: string[];
}

/**
 * Reads the models of one project out of a parsed `manifest.json`, enabled ones from `nodes` and
 * disabled ones from `disabled` (dbt 1.8+ records `refs`/`sources` for disabled nodes too, which is
 * what makes exact extraction of paused models possible).
 */
export function manifestDependencies(manifest: unknown, projectName: string): ManifestNodeDependencies[] {
  const result: ManifestNodeDependencies[] = [];
  const root = manifest as { nodes?: Record<string, unknown>; disabled?: Record<string, unknown[]> };
  const add = (id: string, node: unknown, enabled: boolean) => {
    const n = node as {
      resource_type?: string;
      package_name?: string;
      name?: string;
      original_file_path?: string;
      refs?: unknown[];
      sources?: unknown[];
      depends_on?: { nodes?: unknown[] };
    };
    if (n.resource_type !== "model" || n.package_name !== projectName || typeof n.original_file_path !== "string") return;
    const dependencies: Dependency[] = [];
    for (const ref of n.refs ?? []) {
      // dbt ≥ 1.5 writes {name, package, version}; older manifests wrote ["pkg", "name"] lists.
      if (Array.isArray(ref)) {
        const parts = ref.map(String);
        dependencies.push({ type: "ref", name: parts[parts.length - 1]!, package: parts.length > 1 ? parts[0]! : null, version: null, line: 0, via: [] });
      } else if (ref && typeof ref === "object") {
        const r = ref as { name?: unknown; package?: unknown; version?: unknown };
        if (typeof r.name !== "string") continue;
        dependencies.push({
          type: "ref",
          name: r.name,
          package: typeof r.package === "string" ? r.package : null,
          version: r.version === null || r.version === undefined ? null : String(r.version),
          line: 0,
          via: [],
        });
      }
    }
    for (const source of n.sources ?? []) {
      if (Array.isArray(source) && source.length === 2) {
        dependencies.push({ type: "source", source: String(source[0]), table: String(source[1]), line: 0, via: [] });
      }
    }
    result.push({
      id: typeof (n as { unique_id?: unknown }).unique_id === "string" ? (n as { unique_id: string }).unique_id : id,
      file: n.original_file_path,
      name: n.name ?? "",
      enabled,
      dependencies,
      dependsOn: (n.depends_on?.nodes ?? []).map(String),
    });
  };
  for (const [id, node] of Object.entries(root.nodes ?? {})) add(id, node, true);
  for (const [id, versions] of Object.entries(root.disabled ?? {})) for (const node of versions ?? []) add(id, node, false);
  return result;
}
