/** A node of `manifest.json` that can create or feed a relation: model, seed, snapshot or source. */
export interface ManifestNode {
  uniqueId: string;
  name: string;
  resourceType: string;
  packageName: string;
  /** `original_file_path`, relative to the dbt project. */
  file: string;
  /** `config.materialized` (models, seeds, snapshots); null for sources. */
  materialized: string | null;
  incrementalStrategy: string | null;
  relationName: string | null;
  database: string | null;
  schema: string | null;
  /** `alias` for models, seeds, snapshots; `identifier` for sources. */
  identifier: string | null;
  dependsOn: string[];
  /** `config.unique_key`, as a list of column expressions. */
  uniqueKey: string[];
  /** Microbatch settings, when the model has them. */
  eventTime: string | null;
  begin: string | null;
  batchSize: string | null;
  rawCode: string;
  macros: string[];
}

export interface ManifestTest {
  uniqueId: string;
  name: string;
  kind: "data" | "unit";
  /** Nodes the test checks (`attached_node`, else its model dependencies). */
  models: string[];
  /** Columns a uniqueness test proves unique (`unique`, `dbt_utils.unique_combination_of_columns`). */
  uniqueColumns: string[];
}

export interface ManifestIndex {
  adapterType: string | null;
  projectName: string | null;
  nodes: Map<string, ManifestNode>;
  tests: ManifestTest[];
  /** Macro unique id → its SQL, to see whether a model reads a var through a macro. */
  macroSql: Map<string, string>;
}

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const obj = (v: unknown): Raw => (v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

/** Reads what plans, runs and backfills need out of a parsed `manifest.json` (dbt 1.8+). */
export function readManifest(manifest: unknown): ManifestIndex {
  const root = obj(manifest);
  const metadata = obj(root.metadata);
  const nodes = new Map<string, ManifestNode>();
  const tests: ManifestTest[] = [];
  const add = (raw: Raw) => {
    const uniqueId = str(raw.unique_id);
    if (!uniqueId) return;
    const config = obj(raw.config);
    const uniqueKey = config.unique_key;
    nodes.set(uniqueId, {
      uniqueId,
      name: str(raw.name) ?? uniqueId,
      resourceType: str(raw.resource_type) ?? "",
      packageName: str(raw.package_name) ?? "",
      file: str(raw.original_file_path) ?? "",
      materialized: str(config.materialized),
      incrementalStrategy: str(config.incremental_strategy),
      relationName: str(raw.relation_name),
      database: str(raw.database),
      schema: str(raw.schema),
      identifier: str(raw.resource_type) === "source" ? (str(raw.identifier) ?? str(raw.name)) : (str(raw.alias) ?? str(raw.name)),
      dependsOn: strings(obj(raw.depends_on).nodes),
      uniqueKey: typeof uniqueKey === "string" ? [uniqueKey] : strings(uniqueKey),
      eventTime: str(config.event_time),
      begin: str(config.begin),
      batchSize: str(config.batch_size),
      rawCode: str(raw.raw_code) ?? str(raw.raw_sql) ?? "",
      macros: strings(obj(raw.depends_on).macros),
    });
  };
  for (const raw of Object.values(obj(root.nodes)).map(obj)) {
    if (raw.resource_type === "test") {
      const meta = obj(raw.test_metadata);
      const kwargs = obj(meta.kwargs);
      const testName = str(meta.name);
      const column = str(raw.column_name);
      const uniqueColumns = testName === "unique" && column ? [column] : testName === "unique_combination_of_columns" ? strings(kwargs.combination_of_columns) : [];
      const attached = str(raw.attached_node);
      const models = attached ? [attached] : strings(obj(raw.depends_on).nodes).filter((n) => n.startsWith("model."));
      tests.push({ uniqueId: str(raw.unique_id) ?? "", name: str(raw.name) ?? "", kind: "data", models, uniqueColumns });
    } else if (["model", "seed", "snapshot"].includes(String(raw.resource_type))) add(raw);
  }
  for (const raw of Object.values(obj(root.sources)).map(obj)) add(raw);
  for (const raw of Object.values(obj(root.unit_tests)).map(obj)) {
    const models = strings(obj(raw.depends_on).nodes).filter((n) => n.startsWith("model."));
    tests.push({ uniqueId: str(raw.unique_id) ?? "", name: str(raw.name) ?? "", kind: "unit", models, uniqueColumns: [] });
  }
  const macroSql = new Map<string, string>();
  for (const [id, raw] of Object.entries(obj(root.macros))) macroSql.set(id, str(obj(raw).macro_sql) ?? "");
  return { adapterType: str(metadata.adapter_type), projectName: str(metadata.project_name), nodes, tests, macroSql };
}

/** The project's model at this file (relative to the dbt project), else by name. */
export function findModel(index: ManifestIndex, query: { file?: string; name: string }): ManifestNode | null {
  const models = [...index.nodes.values()].filter((n) => n.resourceType === "model" && (!index.projectName || n.packageName === index.projectName));
  return (query.file ? models.find((m) => m.file === query.file) : undefined) ?? models.find((m) => m.name === query.name) ?? null;
}

/**
 * The files of the root project's models dbt read, as `original_file_path` (relative to the dbt
 * project): enabled ones (`nodes`) and those a config disables (`disabled`). A model file that is
 * not here was never read by dbt (a name it skips, an ignore rule), whatever a green parse says.
 */
export function modelFilesRead(manifest: unknown): Set<string> {
  const root = obj(manifest);
  const project = str(obj(root.metadata).project_name);
  const files = new Set<string>();
  const take = (raw: Raw) => {
    const file = str(raw.original_file_path);
    if (raw.resource_type === "model" && file !== null && (project === null || raw.package_name === project)) files.add(file);
  };
  for (const raw of Object.values(obj(root.nodes))) take(obj(raw));
  for (const versions of Object.values(obj(root.disabled))) for (const raw of list(versions)) take(obj(raw));
  return files;
}
