import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Prng } from "./prng.js";

// A synthetic warehouse migration for the benchmarks, shaped like the bundled example but as large
// as asked: a dbt project (non-default folder names) with sources, seeds, macros and layered
// models, a fraction of them paused as `.sql.skip`, and one migration state document per dimension.
// Deterministic: the same options write byte-identical files. Valid for real dbt: the active models
// only reference what exists, so `dbt parse` passes (paused files are invisible to dbt).
//
// The generator decides, as it writes each paused model, what its verdict must be; it returns those
// verdicts so that a test can hold the tool to them.

export const PROJECT_NAME = "bench_warehouse";
/** The dbt project's folder, relative to the generated repository root. */
export const PROJECT_DIR = "warehouse";
export const MODEL_PATH = "transform";
export const SEED_PATH = "reference_data";
export const MACRO_PATH = "macros";
export const DIMENSIONS_OUTPUT = "dimensions";

export interface GenerateProjectOptions {
  /** Repository root to write into (created when missing; expected to be empty). */
  dir: string;
  /** How many models, active and paused. */
  models: number;
  seed: number;
  /** Share of the models that are paused (`.sql.skip`), default 0.1. */
  pausedFraction?: number;
  /** How many dimensions; default from the size (about one per 250 models, 4 to 40). */
  dimensions?: number;
  /**
   * `simple` (the default, the first benchmarks' shape) or `real`: shaped like large public dbt
   * projects, whose costs the simple shape hides (see REAL_SHAPE below).
   */
  shape?: ProjectShape;
}

export type ProjectShape = "simple" | "real";

export interface GeneratedCounts {
  models: number;
  active: number;
  paused: number;
  /** Paused models that are ready (directly or through a cascade). */
  ready: number;
  /** Ready only once other paused (ready) models are restored first. */
  cascade: number;
  blocked: number;
  /** Blocked behind another blocked paused model (the root cause is further down). */
  blockedChain: number;
  /** Paused models the tool must leave to investigation (none since `var()` defaults are read as dbt reads them). */
  needsInvestigation: number;
  dimensions: number;
  /** Models that reach at least one ref only through a project macro. */
  macroHidden: number;
}

export interface GeneratedFiles {
  /** Active model files (`.sql`). */
  models: number;
  /** Paused model files (`.sql.skip`). */
  paused: number;
  /** YAML under the model path (sources and model properties). */
  yaml: number;
  seeds: number;
  macros: number;
  stateDocuments: number;
  /** `docs` blocks in `.md` files under the model path. */
  docs: number;
  /** Files of the installed package under `dbt_packages/`. */
  packageFiles: number;
  /** Every file written, including dbt_project.yml and project.config.json. */
  total: number;
  bytes: number;
  /** Bytes by kind of file: models (active and paused), yaml, docs, macros, package, seeds, other. */
  bytesByKind: Record<FileKind, number>;
}

export type FileKind = "models" | "yaml" | "docs" | "macros" | "package" | "seeds" | "other";

/** How the dependencies dbt records are spelled in the generated models. */
export interface GeneratedEdges {
  /** Every ref and source edge of every model (what dbt records), paused models included. */
  total: number;
  /** Edges that only a project or package macro's body makes (the model names the input as a string, or not at all). */
  throughMacros: number;
  /** Edges written in a branch dbt does not take at parse time (a `var()` default, a literal macro argument): not dependencies. */
  untakenBranches: number;
}

export interface GeneratedProject {
  dir: string;
  projectDir: string;
  projectName: string;
  modelPath: string;
  shape: ProjectShape;
  counts: GeneratedCounts;
  files: GeneratedFiles;
  edges: GeneratedEdges;
  /** Paused model names by the verdict the tool must reach, sorted. */
  expected: { ready: string[]; blocked: string[]; needsInvestigation: string[]; cascade: string[] };
}

type Layer = "staging" | "intermediate" | "marts";
type Category = "active" | "ready" | "cascade" | "blocked-ref" | "blocked-source" | "blocked-chain" | "dynamic";

interface SourceRef {
  source: string;
  table: string;
}

/** What the state document says about a dependency of a paused model. */
interface DocDependency {
  name: string;
  kind: "ref" | "source";
  fromDim: number;
}

interface ModelSpec {
  index: number;
  name: string;
  layer: Layer;
  dim: number;
  entity: string;
  category: Category;
  /** Model and seed names, including missing and paused ones. */
  refs: string[];
  sources: SourceRef[];
  /** For a dynamic ref: the default of the `var()`. */
  dynamicDefault: string | null;
  docMissing: DocDependency[];
  /** Real shape: refs written in a branch dbt does not take at parse time (not dependencies). */
  untaken: string[];
  /** Relative to the dbt project folder. */
  file: string;
}

const DIMENSION_STEMS = [
  "user",
  "contract",
  "product",
  "account",
  "order",
  "payment",
  "store",
  "supplier",
  "employee",
  "invoice",
  "shipment",
  "campaign",
  "ticket",
  "device",
  "subscription",
  "warehouse",
  "claim",
  "policy",
  "vendor",
  "asset",
  "branch",
  "channel",
  "coupon",
  "delivery",
  "loan",
  "meter",
  "partner",
  "plan",
  "refund",
  "region",
  "route",
  "sensor",
  "session",
  "shift",
  "sku",
  "tariff",
  "trip",
  "visit",
  "wallet",
  "zone",
];

const ENTITIES = [
  "events",
  "balances",
  "transactions",
  "snapshots",
  "history",
  "logins",
  "adjustments",
  "allocations",
  "statuses",
  "addresses",
  "contacts",
  "prices",
  "limits",
  "targets",
  "forecasts",
  "returns",
  "credits",
  "fees",
  "segments",
  "ratings",
  "schedules",
  "movements",
  "readings",
  "approvals",
  "assignments",
  "renewals",
  "cancellations",
];

const COLUMNS = [
  "created_at",
  "updated_at",
  "valid_from",
  "valid_to",
  "status_code",
  "amount",
  "amount_cents",
  "currency_code",
  "country_code",
  "is_active",
  "channel",
  "source_system",
  "quantity",
  "unit_price",
  "discount_pct",
  "region_code",
  "owner_id",
  "external_ref",
  "category",
  "priority",
  "score",
  "notes",
  "effective_date",
  "closed_at",
];

const GLOBAL_SEEDS: Record<string, string[]> = {
  country_codes: [
    "country_code,country_name,region",
    "AT,Austria,EMEA",
    "BR,Brazil,LATAM",
    "CA,Canada,NA",
    "DE,Germany,EMEA",
    "ES,Spain,EMEA",
    "FR,France,EMEA",
    "IN,India,APAC",
    "JP,Japan,APAC",
    "US,United States,NA",
  ],
  currency_codes: ["currency_code,currency_name,minor_units", "BRL,Brazilian real,2", "CAD,Canadian dollar,2", "EUR,Euro,2", "INR,Indian rupee,2", "JPY,Japanese yen,0", "USD,US dollar,2"],
  fx_rates: ["currency_code,rate_date,rate_to_eur", "BRL,2026-01-01,0.18", "CAD,2026-01-01,0.68", "EUR,2026-01-01,1.00", "INR,2026-01-01,0.011", "JPY,2026-01-01,0.0062", "USD,2026-01-01,0.92"],
  calendar_holidays: [
    "holiday_date,country_code,holiday_name",
    "2026-01-01,DE,Neujahr",
    "2026-01-01,US,New Year's Day",
    "2026-07-04,US,Independence Day",
    "2026-10-03,DE,Tag der Deutschen Einheit",
    "2026-12-25,FR,Noël",
  ],
};

const UNION_MACRO = `{#
    Union several models, tagging every row with where it came from.

    relations:     a list of (model_name, label) tuples, e.g. [('stg_user__events_00012', 'web')]
    label_column:  the column that receives the label

    The ref() happens here: models calling this macro name their inputs as plain strings.
#}
{% macro union_models(relations, label_column='source_model') -%}
    {%- for model_name, label in relations %}
    select *, '{{ label }}' as {{ label_column }}
    from {{ ref(model_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
`;

const FX_MACRO = `{#
    Latest rate to EUR per currency. The seed is fixed here, so every model calling this macro
    depends on fx_rates without saying so.
#}
{% macro fx_rates_subquery() -%}
    (select currency_code, max_by(rate_to_eur, rate_date) as rate_to_eur from {{ ref('fx_rates') }} group by currency_code)
{%- endmacro %}
`;

const CENTS_MACRO = `{% macro cents_to_units(column_name, scale=2) -%}
    round(cast({{ column_name }} as decimal(18, 4)) / 100, {{ scale }})
{%- endmacro %}
`;

/** Writes the project and returns what the tool must find in it. */
export function generateProject(options: GenerateProjectOptions): GeneratedProject {
  const total = Math.max(1, Math.floor(options.models));
  const fraction = options.pausedFraction ?? 0.1;
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`pausedFraction must be within [0, 1], got ${fraction}`);
  const dims = Math.min(DIMENSION_STEMS.length, Math.max(1, options.dimensions ?? Math.min(40, Math.max(4, Math.round(total / 250)))));
  const shape = options.shape ?? "simple";
  const real = shape === "real";
  const rng = new Prng(options.seed);
  const writer = new TreeWriter(options.dir);
  const plan = planModels(rng, total, fraction, dims, real);
  const edges: GeneratedEdges = { total: 0, throughMacros: 0, untakenBranches: 0 };

  writeProjectFiles(writer, dims, real);
  writeSeeds(writer, rng, dims);
  if (real) writeRealSources(writer, rng, plan.declaredTables, dims);
  else writeSources(writer, rng, plan.declaredTables, dims);
  for (const model of plan.models) {
    writer.write(join(PROJECT_DIR, model.file), renderModel(rng, model, plan.macroHidden, real, edges));
  }
  if (real) writeRealModelProperties(writer, rng, plan.models, dims);
  else writeModelProperties(writer, rng, plan.models, dims);
  writeStateDocuments(writer, plan.models, dims);

  const byCategory = (...categories: Category[]) =>
    plan.models
      .filter((m) => categories.includes(m.category))
      .map((m) => m.name)
      .sort();
  // A `ref(var('x', 'default'))` ("dynamic" when it was written) is read as dbt reads it: no `--vars`
  // sets x, so it is a ref to its default, an active model: ready. Nothing here is left to investigate.
  const expected = {
    ready: byCategory("ready", "cascade", "dynamic"),
    blocked: byCategory("blocked-ref", "blocked-source", "blocked-chain"),
    needsInvestigation: byCategory(),
    cascade: byCategory("cascade"),
  };
  const paused = plan.models.filter((m) => m.category !== "active").length;
  return {
    dir: options.dir,
    projectDir: PROJECT_DIR,
    projectName: PROJECT_NAME,
    modelPath: MODEL_PATH,
    shape,
    edges,
    counts: {
      models: total,
      active: total - paused,
      paused,
      ready: expected.ready.length,
      cascade: expected.cascade.length,
      blocked: expected.blocked.length,
      blockedChain: byCategory("blocked-chain").length,
      needsInvestigation: expected.needsInvestigation.length,
      dimensions: dims,
      macroHidden: plan.macroHidden.size,
    },
    files: writer.counts,
    expected,
  };
}

// ---------------------------------------------------------------------------------------------
// The model graph

interface Plan {
  models: ModelSpec[];
  /** Per dimension, the source tables declared in YAML. */
  declaredTables: string[][];
  /** Models that will call the union macro for some of their refs (decided while planning). */
  macroHidden: Set<string>;
}

/** Parents per model: 1 to 6, most models have one or two. */
const FAN_IN_WEIGHTS = [30, 26, 18, 12, 8, 6];

function planModels(rng: Prng, total: number, fraction: number, dims: number, real: boolean): Plan {
  const nStaging = Math.max(1, Math.round(total * 0.25));
  const nIntermediate = Math.max(0, Math.min(total - nStaging, Math.round(total * 0.4)));
  const nMarts = total - nStaging - nIntermediate;
  const layers: Layer[] = [...Array<Layer>(nStaging).fill("staging"), ...Array<Layer>(nIntermediate).fill("intermediate"), ...Array<Layer>(nMarts).fill("marts")];
  const pausedCount = Math.round(total * fraction);
  const pausedIndexes = new Set(rng.shuffle(layers.map((_, i) => i)).slice(0, pausedCount));

  const active = new Pools();
  const readyPaused = new Pools();
  const blockedPaused = new Pools();
  const declaredTables: string[][] = Array.from({ length: dims }, () => []);
  const missingPool: string[][] = Array.from({ length: dims }, () => []);
  const macroHidden = new Set<string>();
  const models: ModelSpec[] = [];

  for (let index = 0; index < total; index++) {
    const layer = layers[index]!;
    const dim = rng.int(dims);
    const stem = DIMENSION_STEMS[dim]!;
    const entity = rng.pick(ENTITIES);
    const id = String(index).padStart(5, "0");
    const name = layer === "staging" ? `stg_${stem}__${entity}_${id}` : layer === "intermediate" ? `int_${stem}__${entity}_${id}` : `${rng.chance(0.35) ? "dim" : "fct"}_${stem}_${entity}_${id}`;
    const spec: ModelSpec = {
      index,
      name,
      layer,
      dim,
      entity,
      category: "active",
      refs: [],
      sources: [],
      dynamicDefault: null,
      docMissing: [],
      untaken: [],
      file: `${MODEL_PATH}/${layer}/${stem}/${name}.sql`,
    };
    const paused = pausedIndexes.has(index);
    const exclude = new Set<string>();
    const addActive = (count: number) => {
      for (let i = 0; i < count; i++) {
        const parent = pickParent(rng, active, dim, layer, exclude);
        if (parent) {
          exclude.add(parent);
          spec.refs.push(parent);
        }
      }
    };

    if (layer === "staging") {
      const table = `${entity}_${id}`;
      const source = `legacy_${stem}`;
      spec.sources.push({ source, table });
      let declared = true;
      if (paused) {
        const roll = rng.weighted([60, 30, 10]);
        if (roll === 0) {
          spec.category = "ready";
          spec.docMissing.push({ name: `${source}.${table}`, kind: "source", fromDim: dim });
        } else if (roll === 1) {
          spec.category = "blocked-source";
          declared = false;
          spec.docMissing.push({ name: `${source}.${table}`, kind: "source", fromDim: dim });
        } else {
          spec.category = "blocked-ref";
          const seed = `${stem}_code_mapping`;
          spec.refs.push(seed);
          spec.docMissing.push({ name: seed, kind: "ref", fromDim: dim });
        }
      }
      const earlier = declaredTables[dim]!;
      if (earlier.length > 0 && rng.chance(0.15)) spec.sources.push({ source, table: rng.pick(earlier) });
      if (declared) earlier.push(table);
      if (rng.chance(0.2)) spec.refs.push(rng.chance(0.5) ? "country_codes" : `${stem}_status_codes`);
    } else {
      const fanIn = 1 + rng.weighted(FAN_IN_WEIGHTS);
      let category: Category = "active";
      if (paused) {
        category = (["ready", "cascade", "blocked-ref", "blocked-source", "blocked-chain", "dynamic"] as const)[rng.weighted([40, 22, 15, 5, 15, 3])]!;
        if (category === "cascade" && readyPaused.parentsFor(layer) === 0) category = "ready";
        if (category === "blocked-chain" && blockedPaused.parentsFor(layer) === 0) category = "blocked-ref";
      }
      spec.category = category;
      switch (category) {
        case "active":
        case "ready":
          addActive(fanIn);
          if (category === "ready" && spec.refs[0]) {
            // At pause time it waited for a model that has landed since (the document is stale).
            spec.docMissing.push({ name: spec.refs[0], kind: "ref", fromDim: dimOf(models, spec.refs[0], dim) });
          }
          break;
        case "cascade": {
          const parent = pickParent(rng, readyPaused, dim, layer, exclude)!;
          spec.refs.push(parent);
          exclude.add(parent);
          spec.docMissing.push({ name: parent, kind: "ref", fromDim: dimOf(models, parent, dim) });
          addActive(fanIn - 1);
          break;
        }
        case "blocked-chain": {
          const parent = pickParent(rng, blockedPaused, dim, layer, exclude)!;
          spec.refs.push(parent);
          exclude.add(parent);
          spec.docMissing.push({ name: parent, kind: "ref", fromDim: dimOf(models, parent, dim) });
          addActive(fanIn - 1);
          break;
        }
        case "blocked-ref": {
          // Something another dimension has not migrated yet; several paused models wait on it.
          const from = dims > 1 ? (dim + 1 + rng.int(dims - 1)) % dims : dim;
          const pool = missingPool[from]!;
          let missing: string;
          if (pool.length > 0 && rng.chance(0.6)) missing = pool[rng.int(Math.min(pool.length, 4))]!;
          else {
            missing = `int_${DIMENSION_STEMS[from]}__${rng.pick(ENTITIES)}_pending_${pool.length + 1}`;
            pool.push(missing);
          }
          spec.refs.push(missing);
          spec.docMissing.push({ name: missing, kind: "ref", fromDim: from });
          addActive(fanIn - 1);
          break;
        }
        case "blocked-source": {
          const source = { source: `legacy_${stem}`, table: `${entity}_archive` };
          spec.sources.push(source);
          spec.docMissing.push({ name: `${source.source}.${source.table}`, kind: "source", fromDim: dim });
          addActive(fanIn - 1);
          break;
        }
        case "dynamic": {
          addActive(fanIn);
          spec.dynamicDefault = spec.refs.shift() ?? "country_codes";
          spec.docMissing.push({ name: spec.dynamicDefault, kind: "ref", fromDim: dimOf(models, spec.dynamicDefault, dim) });
          break;
        }
      }
      if (spec.refs.length === 0 && spec.sources.length === 0 && spec.dynamicDefault === null) spec.refs.push("country_codes");
      if (rng.chance(0.12)) spec.refs.push(rng.chance(0.5) ? "currency_codes" : `${stem}_status_codes`);
    }
    spec.refs = rng.shuffle(spec.refs);
    // The union macro needs two refs to union; a third of the eligible models use it.
    if (layer !== "staging" && spec.refs.length >= 2 && rng.chance(real ? 0.45 : 0.3)) macroHidden.add(spec.name);
    // Real shape: a branch dbt does not take names an active model (a var() default or a literal macro
    // argument picks the other one). Any active model keeps the verdict the same either way.
    if (real && layer !== "staging" && spec.refs.length >= 1 && rng.chance(0.3)) {
      const untaken = pickParent(rng, active, dim, layer, new Set(spec.refs));
      if (untaken) spec.untaken.push(untaken);
    }

    models.push(spec);
    if (spec.category === "active") active.add(layer, dim, spec.name);
    else if (spec.category === "ready" || spec.category === "cascade") readyPaused.add(layer, dim, spec.name);
    else if (spec.category !== "dynamic") blockedPaused.add(layer, dim, spec.name);
    if (spec.category !== "active") spec.file += ".skip";
  }
  return { models, declaredTables, macroHidden };
}

function dimOf(models: ModelSpec[], name: string, fallback: number): number {
  const match = /_(\d{5})$/.exec(name);
  return match ? (models[Number(match[1])]?.dim ?? fallback) : fallback;
}

/** Models of each layer, overall and per dimension, in the order they were written. */
class Pools {
  private readonly all = new Map<Layer, string[]>();
  private readonly byDim = new Map<string, string[]>();

  add(layer: Layer, dim: number, name: string): void {
    push(this.all, layer, name);
    push(this.byDim, `${layer}/${dim}`, name);
  }

  /** How many models a model of this layer could take as a parent. */
  parentsFor(layer: Layer): number {
    return parentLayers(layer).reduce((n, [l]) => n + (this.all.get(l)?.length ?? 0), 0);
  }

  get(layer: Layer, dim: number | null): readonly string[] {
    return (dim === null ? this.all.get(layer) : this.byDim.get(`${layer}/${dim}`)) ?? [];
  }
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Which layers a model of this layer reads from, with weights. */
function parentLayers(layer: Layer): [Layer, number][] {
  if (layer === "intermediate")
    return [
      ["staging", 70],
      ["intermediate", 30],
    ];
  if (layer === "marts")
    return [
      ["intermediate", 60],
      ["staging", 15],
      ["marts", 25],
    ];
  return [];
}

/** A parent from the pools: mostly the same dimension, sometimes a hub (an early, popular model). */
function pickParent(rng: Prng, pools: Pools, dim: number, layer: Layer, exclude: Set<string>): string | null {
  const options = parentLayers(layer).filter(([l]) => pools.get(l, null).length > 0);
  if (options.length === 0) return null;
  for (let attempt = 0; attempt < 8; attempt++) {
    const [from] = options[rng.weighted(options.map(([, w]) => w))]!;
    let pool = rng.chance(0.75) ? pools.get(from, dim) : pools.get(from, null);
    if (pool.length === 0) pool = pools.get(from, null);
    const name = rng.chance(0.2) ? pool[rng.int(Math.min(8, pool.length))]! : rng.pick(pool);
    if (!exclude.has(name)) return name;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function refCall(rng: Prng, name: string): string {
  switch (rng.weighted([45, 15, 8, 7, 10, 5, 5])) {
    case 0:
      return `{{ ref('${name}') }}`;
    case 1:
      return `{{ ref("${name}") }}`;
    case 2:
      return `{{ ref ( '${name}' ) }}`;
    case 3:
      return `{{ref('${name}')}}`;
    case 4:
      return `{{ ref('${PROJECT_NAME}', '${name}') }}`;
    case 5:
      return `{{ ref(\n        '${name}'\n    ) }}`;
    default:
      return `{{ ref("${PROJECT_NAME}", "${name}") }}`;
  }
}

function sourceCall(rng: Prng, { source, table }: SourceRef): string {
  switch (rng.weighted([75, 15, 10])) {
    case 0:
      return `{{ source('${source}', '${table}') }}`;
    case 1:
      return `{{ source("${source}", "${table}") }}`;
    default:
      return `{{ source( '${source}' , '${table}' ) }}`;
  }
}

function singular(entity: string): string {
  if (entity.endsWith("ies")) return `${entity.slice(0, -3)}y`;
  if (entity.endsWith("sses")) return entity.slice(0, -2);
  return entity.endsWith("s") ? entity.slice(0, -1) : entity;
}

function columnsFor(rng: Prng, key: string, min: number, max: number): string[] {
  const count = rng.between(min, max);
  const picked = new Set<string>([key]);
  while (picked.size < count + 1) picked.add(rng.pick(COLUMNS));
  return [...picked];
}

function cte(name: string, columns: string[], from: string, where: string | null): string {
  const lines = [`${name} as (`, "    select"];
  columns.forEach((c, i) => {
    lines.push(`        ${c}${i < columns.length - 1 ? "," : ""}`);
  });
  lines.push(`    from ${from}`);
  if (where) lines.push(`    where ${where}`);
  lines.push(")");
  return lines.join("\n");
}

function renderModel(rng: Prng, model: ModelSpec, macroHidden: Set<string>, real: boolean, edges: GeneratedEdges): string {
  const stem = DIMENSION_STEMS[model.dim]!;
  const tag = `dim_${stem}`;
  const key = `${singular(model.entity)}_id`;
  const incremental = model.layer === "marts" && rng.chance(real ? 0.3 : 0.08);
  const out: string[] = [];

  if (real && (incremental || rng.chance(0.25))) {
    out.push(largeConfig(rng, model, tag, key, incremental));
  } else if (incremental) {
    out.push(`{{\n    config(\n        materialized="incremental",\n        unique_key="${key}",\n        tags=["${tag}"]\n    )\n}}`);
  } else if (model.layer === "marts" && rng.chance(0.3)) {
    out.push(`{{ config(materialized='table', tags=['${tag}', 'finance']) }}`);
  } else {
    out.push(`{{ config(tags=['${tag}']) }}`);
  }
  out.push("");
  const legacyJob = `${model.layer === "staging" ? "LOAD" : model.layer === "intermediate" ? "XFORM" : "AGG"}_${stem.toUpperCase()}_${model.entity.toUpperCase()}`;
  out.push(`-- ${model.layer === "staging" ? "Cleaned" : model.layer === "intermediate" ? "Enriched" : "Reporting"} ${model.entity} for the ${stem} domain, one row per ${singular(model.entity)}.`);
  out.push(`-- Replaces the legacy Pentaho job ${legacyJob}.ktr (Oracle schema ${stem.toUpperCase()}_OLTP).`);
  if (rng.chance(0.25)) out.push(`{# TODO: read {{ ref('legacy_${stem}_${model.entity}_snapshot') }} once it is migrated #}`);
  if (rng.chance(0.1)) out.push(`{# old version: ref('tmp_${stem}_${model.entity}') #}`);
  if (model.category !== "active") out.push(`-- Paused during the ${tag} migration: see ${DIMENSIONS_OUTPUT}/${tag}/${tag.toUpperCase()}_MIGRATION_STATE.md`);

  const refs = [...model.refs];
  const ctes: string[] = [];
  const aliases: string[] = [];
  let hint: string | null = null;
  let loop: string[] = [];
  let union: string[] = [];
  if (macroHidden.has(model.name)) union = refs.splice(0, Math.min(refs.length, rng.between(2, 3)));
  // Real shape: the branch dbt takes (the first ref left) beside the one it does not.
  let chosen: { taken: string; untaken: string; viaMacro: boolean } | null = null;
  if (real && model.untaken.length > 0 && refs.length > 0) chosen = { taken: refs.shift()!, untaken: model.untaken[0]!, viaMacro: rng.chance(0.6) };
  if (refs.length >= 2 && model.layer !== "staging" && rng.chance(0.2)) loop = refs.splice(0, Math.min(refs.length, rng.between(2, 3)));
  if (refs.length >= 2 && rng.chance(0.12)) hint = refs.pop()!;
  if (hint) out.push(`-- depends_on: ${refCall(rng, hint)}`);
  if (loop.length > 0) {
    out.push("");
    out.push(`{% set ${model.entity}_inputs = [${loop.map((r) => `'${r}'`).join(", ")}] %}`);
  }
  out.push("");
  out.push("with");
  out.push("");

  let n = 0;
  for (const source of model.sources) {
    const alias = `source_${++n}`;
    ctes.push(cte(alias, columnsFor(rng, key, 4, 12), sourceCall(rng, source), rng.chance(0.3) ? "is_deleted = 'N'" : null));
    aliases.push(alias);
  }
  for (const ref of refs) {
    const alias = `${ref.startsWith("stg_") || ref.startsWith("int_") || ref.startsWith("fct_") || ref.startsWith("dim_") ? "input" : "lookup"}_${++n}`;
    ctes.push(cte(alias, columnsFor(rng, key, 3, 9), refCall(rng, ref), rng.chance(0.2) ? "valid_to is null" : null));
    aliases.push(alias);
  }
  if (model.dynamicDefault) {
    const alias = `configured_${++n}`;
    ctes.push(cte(alias, columnsFor(rng, key, 3, 6), `{{ ref(var('${stem}_${model.entity}_model', '${model.dynamicDefault}')) }}`, null));
    aliases.push(alias);
  }
  if (loop.length > 0) {
    const cols = columnsFor(rng, key, 3, 6).join(", ");
    ctes.push(
      [
        "unioned as (",
        `    {% for model_name in ${model.entity}_inputs %}`,
        `    select ${cols}, '{{ model_name }}' as input_model`,
        "    from {{ ref(model_name) }}",
        "    {% if not loop.last %}union all{% endif %}",
        "    {% endfor %}",
        ")",
      ].join("\n"),
    );
    aliases.push("unioned");
  }
  if (union.length > 0) {
    const tuples = union.map((r, i) => `('${r}', '${["primary", "secondary", "backfill"][i]}')`).join(", ");
    const call = rng.chance(0.5) ? `union_models([${tuples}])` : `union_models(relations=[${tuples}], label_column='origin')`;
    ctes.push(`combined as (\n    {{ ${call} }}\n)`);
    aliases.push("combined");
  }
  if (chosen) {
    const cols = columnsFor(rng, key, 3, 6).join(", ");
    if (chosen.viaMacro) {
      const call = rng.chance(0.5) ? `choose_input('${chosen.taken}', '${chosen.untaken}', mode='primary')` : `choose_input(primary='${chosen.taken}', fallback='${chosen.untaken}')`;
      ctes.push(`chosen as (\n    select ${cols} from {{ ${call} }}\n)`);
    } else {
      ctes.push(
        [
          "chosen as (",
          "    {% if var('bench_read_archived_inputs', false) %}",
          `    select ${cols} from ${refCall(rng, chosen.untaken)}`,
          "    {% else %}",
          `    select ${cols} from ${refCall(rng, chosen.taken)}`,
          "    {% endif %}",
          ")",
        ].join("\n"),
      );
    }
    aliases.push("chosen");
  }
  let fx = false;
  if (model.layer === "marts" && rng.chance(0.05)) {
    ctes.push("fx as (\n    select * from {{ fx_rates_subquery() }}\n)");
    aliases.push("fx");
    fx = true;
  }
  let latestRates = false;
  if (real && model.layer !== "staging" && rng.chance(0.04)) {
    ctes.push("rates as (\n    select * from {{ bench_utils.latest_rates() }}\n)");
    aliases.push("rates");
    latestRates = true;
  }

  const finalColumns = [
    `a1.${key}`,
    ...columnsFor(rng, key, 2, 8)
      .slice(1)
      .map((c) => (c === "amount_cents" ? `{{ cents_to_units('a1.amount_cents') }} as amount` : `a1.${c}`)),
  ];
  if (real) finalColumns.push(...realColumns(rng, key, model.layer === "staging" ? 1 : 3));
  const finalLines = ["final as (", "    select"];
  finalColumns.forEach((c, i) => {
    finalLines.push(`        ${c}${i < finalColumns.length - 1 ? "," : ""}`);
  });
  finalLines.push(`    from ${aliases[0] ?? "(select 1)"} as a1`);
  aliases.slice(1).forEach((alias, i) => {
    finalLines.push(`    left join ${alias} as a${i + 2}`);
    finalLines.push(`        on a${i + 2}.${alias === "fx" ? "currency_code" : key} = a1.${alias === "fx" ? "currency_code" : key}`);
  });
  finalLines.push(")");
  ctes.push(finalLines.join("\n"));
  out.push(ctes.join(",\n\n"));
  out.push("");
  out.push("select * from final");
  if (incremental) {
    out.push("{% if is_incremental() %}");
    out.push("where updated_at > (select max(updated_at) from {{ this }})");
    out.push("{% endif %}");
  }
  countEdges(edges, model, { union, fx, latestRates, chosen });
  return `${out.join("\n")}\n`;
}

/** What dbt records for the model, and which of it only a macro's body spells out. */
function countEdges(edges: GeneratedEdges, model: ModelSpec, hidden: { union: string[]; fx: boolean; latestRates: boolean; chosen: { taken: string; viaMacro: boolean } | null }): void {
  const refs = new Set(model.refs);
  if (model.dynamicDefault) refs.add(model.dynamicDefault);
  const throughMacro = new Set(hidden.union);
  if (hidden.chosen?.viaMacro) throughMacro.add(hidden.chosen.taken);
  for (const seed of [hidden.fx, hidden.latestRates].some(Boolean) ? ["fx_rates"] : []) {
    if (!refs.has(seed)) throughMacro.add(seed);
    refs.add(seed);
  }
  const sources = new Set(model.sources.map((s) => `${s.source}.${s.table}`));
  edges.total += refs.size + sources.size;
  edges.throughMacros += throughMacro.size;
  edges.untakenBranches += model.untaken.length;
}

/** A large `config()` call as real incremental and table models carry. */
function largeConfig(rng: Prng, model: ModelSpec, tag: string, key: string, incremental: boolean): string {
  const lines = ["{{", "    config("];
  const entries: string[] = [];
  if (incremental) {
    entries.push(`materialized='incremental'`, `incremental_strategy='${rng.pick(["merge", "delete+insert", "append"])}'`);
    entries.push(`unique_key=['${key}'${rng.chance(0.5) ? ", 'valid_from'" : ""}]`, "on_schema_change='append_new_columns'");
  } else {
    entries.push(`materialized='${model.layer === "marts" ? "table" : "view"}'`);
  }
  entries.push(`tags=['${tag}', '${model.layer}'${rng.chance(0.3) ? ", 'pii'" : ""}]`);
  entries.push(
    `meta={'owner': '${tag.replace("dim_", "")}-team@example.com', 'tier': ${rng.between(1, 3)}, 'legacy_job': '${model.entity.toUpperCase()}_LOAD', 'contains_pii': ${rng.chance(0.3) ? "true" : "false"}}`,
  );
  entries.push(`post_hook=["{{ log('built ' ~ this, info=false) }}"]`);
  if (rng.chance(0.5)) entries.push(`persist_docs={'relation': true, 'columns': true}`);
  entries.forEach((e, i) => {
    lines.push(`        ${e}${i < entries.length - 1 ? "," : ""}`);
  });
  lines.push("    )", "}}");
  return lines.join("\n");
}

const BUSINESS_LABELS = ["pending", "active", "suspended", "closed", "migrated", "archived", "disputed", "refunded", "expired", "draft"];

/** Long business-rule columns: real models run to 2–10 KB, most of it SQL like this. */
function realColumns(rng: Prng, key: string, blocks: number): string[] {
  const columns: string[] = [];
  for (let b = 0; b < rng.between(1, blocks + 1); b++) {
    const lines = ["case"];
    const arms = rng.between(4, 14);
    for (let i = 0; i < arms; i++) {
      const code = `${String.fromCharCode(65 + (i % 26))}${rng.between(1, 99)}`;
      lines.push(`            when a1.status_code = '${code}' and coalesce(a1.amount_cents, 0) ${rng.pick([">", "<", ">=", "<="])} ${rng.between(0, 100000)} then '${rng.pick(BUSINESS_LABELS)}'`);
    }
    lines.push(`            else {{ safe_cast("'unknown'", 'varchar') }}`, `        end as ${rng.pick(["status", "lifecycle", "risk", "segment"])}_label_${b + 1}`);
    columns.push(lines.join("\n"));
  }
  columns.push(`{{ bench_utils.surrogate_key(['a1.${key}', 'a1.${rng.pick(COLUMNS)}']) }} as row_key`);
  return columns;
}

// ---------------------------------------------------------------------------------------------
// Other files

function writeProjectFiles(writer: TreeWriter, dims: number, real: boolean): void {
  writer.write(
    "project.config.json",
    `${JSON.stringify(
      {
        project: "bench-warehouse-migration",
        paths: { dbt_repository: PROJECT_DIR, dimensions_output: DIMENSIONS_OUTPUT },
        git: { branch_prefix: "migrate/", default_branch: "main" },
        migration: {
          source_system: "Oracle 19c (Pentaho Data Integration jobs)",
          target_platform: "DuckDB",
          dimensions: DIMENSION_STEMS.slice(0, dims).map((s) => `dim_${s}`),
        },
      },
      null,
      2,
    )}\n`,
  );
  writer.write(
    join(PROJECT_DIR, "dbt_project.yml"),
    [
      `name: ${PROJECT_NAME}`,
      'version: "1.0.0"',
      "config-version: 2",
      `profile: ${PROJECT_NAME}`,
      "",
      "# The legacy team's folder names: nothing lives under models/ or seeds/.",
      `model-paths: ["${MODEL_PATH}"]`,
      `seed-paths: ["${SEED_PATH}"]`,
      `macro-paths: ["${MACRO_PATH}"]`,
      'snapshot-paths: ["snapshots"]',
      'test-paths: ["tests"]',
      'analysis-paths: ["analyses"]',
      "",
      "clean-targets:",
      '  - "target"',
      '  - "dbt_packages"',
      "",
      "models:",
      `  ${PROJECT_NAME}:`,
      "    staging:",
      "      +materialized: view",
      "      +schema: staging",
      "    intermediate:",
      "      +materialized: view",
      "      +schema: intermediate",
      "    marts:",
      "      +materialized: table",
      "      +schema: marts",
      "",
      "seeds:",
      `  ${PROJECT_NAME}:`,
      "    +schema: reference",
      "",
    ].join("\n"),
  );
  writer.write(join(PROJECT_DIR, MACRO_PATH, "union_models.sql"), UNION_MACRO);
  writer.write(join(PROJECT_DIR, MACRO_PATH, "fx_rates_subquery.sql"), FX_MACRO);
  writer.write(join(PROJECT_DIR, MACRO_PATH, "cents_to_units.sql"), CENTS_MACRO);
  if (real) {
    writer.write(join(PROJECT_DIR, MACRO_PATH, "choose_input.sql"), CHOOSE_MACRO);
    writer.write(join(PROJECT_DIR, MACRO_PATH, "safe_cast.sql"), SAFE_CAST_MACRO);
    writer.write(join(PROJECT_DIR, "packages.yml"), "packages:\n  - package: bench/bench_utils\n    version: 0.3.0\n");
    for (const [path, text] of Object.entries(PACKAGE_FILES)) writer.write(join(PROJECT_DIR, PACKAGE_DIR, path), text);
  }
}

/** The installed package the real-shaped models call (as real projects call dbt_utils). */
export const PACKAGE_DIR = "dbt_packages/bench_utils";

const PACKAGE_FILES: Record<string, string> = {
  "dbt_project.yml": 'name: bench_utils\nversion: "0.3.0"\nconfig-version: 2\nrequire-dbt-version: [">=1.8.0", "<2.0.0"]\nmacro-paths: ["macros"]\n',
  "macros/surrogate_key.sql": `{#- A hash of several columns, null-safe, as dbt_utils.generate_surrogate_key does. -#}
{% macro surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('surrogate_key', 'bench_utils')(field_list)) }}
{%- endmacro %}

{% macro default__surrogate_key(field_list) -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append("coalesce(cast(" ~ field ~ " as varchar), '_null_')") -%}
        {%- if not loop.last %}{%- do fields.append("'-'") -%}{% endif -%}
    {%- endfor -%}
    md5({{ fields | join(' || ') }})
{%- endmacro %}
`,
  "macros/latest_rates.sql": `{#- The latest FX rate per currency, from the consuming project's fx_rates seed. -#}
{% macro latest_rates() -%}
    (select currency_code, max_by(rate_to_eur, rate_date) as rate_to_eur from {{ ref('fx_rates') }} group by currency_code)
{%- endmacro %}
`,
  "macros/star_except.sql": `{% macro star_except(relation, except=[]) -%}
    {%- if execute -%}
        {%- set columns = adapter.get_columns_in_relation(relation) -%}
        {%- for column in columns if column.name | lower not in except -%}
            {{ column.name }}{{ ", " if not loop.last }}
        {%- endfor -%}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}
`,
};

const CHOOSE_MACRO = `{#
    Read one of two inputs. The mode is a literal at every call site, so dbt takes one branch at
    parse time: the other input is not a dependency.
#}
{% macro choose_input(primary, fallback, mode='primary') -%}
    {%- if mode == 'primary' -%}
        {{ ref(primary) }}
    {%- else -%}
        {{ ref(fallback) }}
    {%- endif -%}
{%- endmacro %}
`;

const SAFE_CAST_MACRO = `{% macro safe_cast(expression, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'bench_warehouse')(expression, type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, type) -%}
    cast({{ expression }} as {{ type }})
{%- endmacro %}

{% macro duckdb__safe_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{% macro snowflake__safe_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}
`;

function writeSeeds(writer: TreeWriter, rng: Prng, dims: number): void {
  for (const [name, rows] of Object.entries(GLOBAL_SEEDS)) {
    writer.write(join(PROJECT_DIR, SEED_PATH, `${name}.csv`), `${rows.join("\n")}\n`);
  }
  for (let d = 0; d < dims; d++) {
    const stem = DIMENSION_STEMS[d]!;
    const rows = ["status_code,status_label,is_terminal"];
    const count = rng.between(3, 8);
    for (let i = 1; i <= count; i++) rows.push(`${stem.slice(0, 2).toUpperCase()}${i},${stem} status ${i},${i === count}`);
    writer.write(join(PROJECT_DIR, SEED_PATH, `${stem}_status_codes.csv`), `${rows.join("\n")}\n`);
  }
}

function writeSources(writer: TreeWriter, rng: Prng, declaredTables: string[][], dims: number): void {
  for (let d = 0; d < dims; d++) {
    const stem = DIMENSION_STEMS[d]!;
    const lines = [
      "version: 2",
      "",
      "sources:",
      `  - name: legacy_${stem}`,
      `    description: Nightly extracts of the legacy ${stem.toUpperCase()}_OLTP schema (Oracle 19c).`,
      `    schema: raw_${stem}`,
      "    tables:",
    ];
    // A source with no table yet is still declared, so that dbt accepts the file.
    const tables = declaredTables[d]!.length > 0 ? declaredTables[d]! : [`${stem}_placeholder`];
    for (const table of tables) {
      lines.push(`      - name: ${table}`);
      lines.push(`        description: Legacy table ${table.toUpperCase()}.`);
      if (rng.chance(0.1)) {
        lines.push("        columns:");
        lines.push(`          - name: ${singular(table.replace(/_\d+$/, ""))}_id`);
        lines.push("            data_tests:");
        lines.push("              - not_null");
      }
    }
    writer.write(join(PROJECT_DIR, MODEL_PATH, "staging", stem, `_${stem}__sources.yml`), `${lines.join("\n")}\n`);
  }
}

/** Documentation and tests for about half of the active models, one file per layer and dimension. */
function writeModelProperties(writer: TreeWriter, rng: Prng, models: ModelSpec[], dims: number): void {
  for (const layer of ["staging", "intermediate", "marts"] as const) {
    for (let d = 0; d < dims; d++) {
      const documented = models.filter((m) => m.layer === layer && m.dim === d && m.category === "active" && rng.chance(0.5));
      if (documented.length === 0) continue;
      const stem = DIMENSION_STEMS[d]!;
      const lines = ["version: 2", "", "models:"];
      for (const model of documented) {
        lines.push(`  - name: ${model.name}`);
        lines.push(`    description: "${model.entity} of the ${stem} domain (${layer})."`);
        if (rng.chance(0.6)) {
          lines.push("    columns:");
          lines.push(`      - name: ${singular(model.entity)}_id`);
          lines.push("        description: Primary key.");
          lines.push("        data_tests:");
          lines.push("          - unique");
          lines.push("          - not_null");
        }
      }
      writer.write(join(PROJECT_DIR, MODEL_PATH, layer, stem, `_${stem}__${layer}_models.yml`), `${lines.join("\n")}\n`);
    }
  }
}

const PROSE = [
  "Loaded nightly from the legacy extract; late-arriving rows are corrected on the next run.",
  "Mirrors the business definition agreed with the finance team in the 2024 data contract.",
  "Rows with a null key are dropped upstream and reported in the data quality dashboard.",
  "The legacy job also wrote an audit trail to a separate schema; that is not migrated.",
  "Amounts are stored in minor units and converted with the currency's scale in the marts.",
  "Soft-deleted rows (is_deleted = 'Y') are kept in the history tables but not here.",
  "Timestamps are UTC; the legacy system stored local time until the 2019 cut-over.",
  "Owned by the domain team; questions go to the channel named in the model's meta.",
];

function prose(rng: Prng, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(rng.pick(PROSE));
  return out.join(" ");
}

/** Folds prose into a YAML `>` block at the given indent. */
function folded(text: string, indent: string): string[] {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line.length + word.length > 90) {
      lines.push(`${indent}${line.trimEnd()}`);
      line = "";
    }
    line += `${word} `;
  }
  if (line) lines.push(`${indent}${line.trimEnd()}`);
  return lines;
}

/** Real shape: sources with freshness, meta, loaded_at_field and documented columns. */
function writeRealSources(writer: TreeWriter, rng: Prng, declaredTables: string[][], dims: number): void {
  for (let d = 0; d < dims; d++) {
    const stem = DIMENSION_STEMS[d]!;
    const lines = [
      "version: 2",
      "",
      "sources:",
      `  - name: legacy_${stem}`,
      "    description: >",
      ...folded(`Nightly extracts of the legacy ${stem.toUpperCase()}_OLTP schema (Oracle 19c). ${prose(rng, 4)}`, "      "),
      `    schema: raw_${stem}`,
      "    loaded_at_field: _extracted_at",
      "    freshness: &freshness_daily",
      "      warn_after: {count: 24, period: hour}",
      "      error_after: {count: 48, period: hour}",
      `    meta: {owner: "${stem}-team@example.com", system: oracle, tier: ${rng.between(1, 3)}}`,
      "    tables:",
    ];
    const tables = declaredTables[d]!.length > 0 ? declaredTables[d]! : [`${stem}_placeholder`];
    tables.forEach((table, i) => {
      lines.push(`      - name: ${table}`);
      lines.push(`        description: "Legacy table ${table.toUpperCase()}. ${prose(rng, 1)}"`);
      if (i % 3 === 1) lines.push("        freshness: *freshness_daily");
      if (rng.chance(0.4)) {
        lines.push("        columns:");
        const id = `${singular(table.replace(/_\d+$/, ""))}_id`;
        lines.push(`          - name: ${id}`, `            description: Primary key of ${table}.`);
        lines.push("            data_tests:", "              - not_null", "              - unique:", "                  config: {severity: warn}");
        for (const column of columnsFor(rng, id, 2, 5).slice(1)) {
          lines.push(`          - name: ${column}`, `            description: "${prose(rng, 1)}"`);
        }
      }
    });
    writer.write(join(PROJECT_DIR, MODEL_PATH, "staging", stem, `_${stem}__sources.yml`), `${lines.join("\n")}\n`);
  }
}

/**
 * Real shape: about half the active models documented, eight to a file, with long descriptions (folded blocks
 * and `doc()` blocks in `.md` files), columns with tests, anchors, merge keys and flow maps.
 */
function writeRealModelProperties(writer: TreeWriter, rng: Prng, models: ModelSpec[], dims: number): void {
  for (const layer of ["staging", "intermediate", "marts"] as const) {
    for (let d = 0; d < dims; d++) {
      const documented = models.filter((m) => m.layer === layer && m.dim === d && m.category === "active" && rng.chance(0.55));
      if (documented.length === 0) continue;
      const stem = DIMENSION_STEMS[d]!;
      const docs: string[] = [];
      for (let start = 0, part = 1; start < documented.length; start += 8, part++) {
        const lines = ["version: 2", "", "models:"];
        documented.slice(start, start + 8).forEach((model, i) => {
          const id = `${singular(model.entity)}_id`;
          lines.push(`  - name: ${model.name}`);
          if (rng.chance(0.3)) {
            lines.push(`    description: '{{ doc("${model.name}") }}'`);
            docs.push(`{% docs ${model.name} %}`, `# ${model.entity} (${stem}, ${layer})`, "", ...folded(prose(rng, rng.between(4, 10)), ""), "", "| column | meaning |", "| --- | --- |");
            for (const column of columnsFor(rng, id, 3, 6)) docs.push(`| ${column} | ${prose(rng, 1)} |`);
            docs.push("{% enddocs %}", "");
          } else {
            lines.push("    description: >", ...folded(`${model.entity} of the ${stem} domain (${layer}). ${prose(rng, rng.between(2, 6))}`, "      "));
          }
          lines.push(i === 0 ? `    meta: &owner_${part} {owner: "${stem}-team@example.com", layer: ${layer}}` : `    meta: {<<: *owner_${part}, reviewed: ${rng.chance(0.5)}}`);
          lines.push("    columns:");
          lines.push(`      - name: ${id}`, "        description: Primary key.");
          lines.push(i === 0 ? `        data_tests: &key_tests_${part}` : `        data_tests: *key_tests_${part}`);
          if (i === 0) lines.push("          - unique", "          - not_null");
          for (const column of columnsFor(rng, id, 2, 8).slice(1)) {
            lines.push(`      - name: ${column}`, `        description: "${prose(rng, 1)}"`);
            if (column === "status_code" && rng.chance(0.5)) {
              lines.push("        data_tests:", `          - accepted_values: {values: ['${BUSINESS_LABELS.slice(0, 4).join("', '")}'], config: {severity: warn}}`);
            } else if (column === "currency_code" && rng.chance(0.5)) {
              lines.push("        data_tests:", "          - relationships: {to: ref('currency_codes'), field: currency_code}");
            }
          }
        });
        writer.write(join(PROJECT_DIR, MODEL_PATH, layer, stem, `_${stem}__${layer}_models_${part}.yml`), `${lines.join("\n")}\n`);
      }
      if (docs.length > 0) writer.write(join(PROJECT_DIR, MODEL_PATH, layer, stem, `_${stem}__${layer}_docs.md`), docs.join("\n"));
    }
  }
}

/** One state document per dimension, in the format of the pause procedure (DESIGN §5). */
function writeStateDocuments(writer: TreeWriter, models: ModelSpec[], dims: number): void {
  for (let d = 0; d < dims; d++) {
    const stem = DIMENSION_STEMS[d]!;
    const dim = `dim_${stem}`;
    const mine = models.filter((m) => m.dim === d);
    const done = mine.filter((m) => m.category === "active");
    const paused = mine.filter((m) => m.category !== "active");
    const date = `2026-${String(1 + (d % 12)).padStart(2, "0")}-${String(1 + ((d * 7) % 28)).padStart(2, "0")}`;
    const percent = mine.length === 0 ? 100 : Math.floor((done.length * 100) / mine.length);
    const lines = [
      `# ${dim} Migration State`,
      "",
      `**Migration ID**: ${dim}_${date.replaceAll("-", "")}`,
      `**Status**: ${paused.length > 0 ? "PAUSED - Awaiting Dependencies" : "COMPLETE"}`,
      `**Date**: ${date}`,
      `**Branch**: migrate/${dim}`,
      "",
      `## Migration Progress: ${percent}% Complete`,
      `### ✅ Completed (${done.length}/${mine.length} models)`,
      ...done.map((m) => `- ${m.name}`),
      "",
      `Legacy jobs retired: ${done.length} Pentaho transformations of ${stem.toUpperCase()}_OLTP.`,
      "",
      `## ⏸️ Paused Models (${paused.length}/${mine.length})`,
      "",
    ];
    paused.forEach((m, i) => {
      const has = m.refs.filter((r) => !m.docMissing.some((x) => x.name === r));
      lines.push(`### ${i + 1}. ${m.name}.sql → ${m.name}.sql.skip`);
      lines.push(`**Status**: INCOMPLETE - Missing ${m.docMissing.length} dependencies`);
      lines.push(`**Location**: \`${m.file}\``);
      lines.push("");
      lines.push("**Missing Dependencies**:");
      for (const x of m.docMissing) {
        lines.push(`- ❌ **${x.name}** (${x.kind === "source" ? "source, " : ""}from dim_${DIMENSION_STEMS[x.fromDim]})`);
      }
      lines.push("");
      lines.push(`**Has Dependencies** (${has.length}/${has.length + m.docMissing.length}):`);
      for (const r of has) lines.push(`- ✅ ${r}`);
      lines.push("");
    });
    lines.push("## 🎯 Resume Instructions", "");
    lines.push("1. Wait for the missing dependencies above to be merged (other dimensions, new source tables).");
    lines.push(`2. Restore in dependency order, then run \`dbt parse\` and \`dbt build --select tag:${dim}\`.`);
    lines.push("");
    writer.write(join(DIMENSIONS_OUTPUT, dim, `${dim.toUpperCase()}_MIGRATION_STATE.md`), lines.join("\n"));
  }
}

/** Writes files under a root, creating folders once, and counts what it wrote by kind. */
class TreeWriter {
  readonly counts: GeneratedFiles = {
    models: 0,
    paused: 0,
    yaml: 0,
    seeds: 0,
    macros: 0,
    stateDocuments: 0,
    docs: 0,
    packageFiles: 0,
    total: 0,
    bytes: 0,
    bytesByKind: { models: 0, yaml: 0, docs: 0, macros: 0, package: 0, seeds: 0, other: 0 },
  };
  private readonly made = new Set<string>();

  constructor(private readonly root: string) {}

  write(path: string, text: string): void {
    const full = join(this.root, path);
    const folder = dirname(full);
    if (!this.made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.made.add(folder);
    }
    writeFileSync(full, text);
    const c = this.counts;
    const bytes = Buffer.byteLength(text);
    c.total++;
    c.bytes += bytes;
    let kind: FileKind = "other";
    if (path.startsWith(join(PROJECT_DIR, PACKAGE_DIR))) {
      c.packageFiles++;
      kind = "package";
    } else if (path.endsWith(".sql.skip")) {
      c.paused++;
      kind = "models";
    } else if (path.startsWith(join(PROJECT_DIR, MACRO_PATH))) {
      c.macros++;
      kind = "macros";
    } else if (path.endsWith(".sql")) {
      c.models++;
      kind = "models";
    } else if (path.endsWith(".yml") && path.startsWith(join(PROJECT_DIR, MODEL_PATH))) {
      c.yaml++;
      kind = "yaml";
    } else if (path.endsWith(".md") && path.startsWith(join(PROJECT_DIR, MODEL_PATH))) {
      c.docs += (text.match(/\{% docs /g) ?? []).length;
      kind = "docs";
    } else if (path.endsWith(".csv")) {
      c.seeds++;
      kind = "seeds";
    } else if (path.endsWith("_STATE.md")) c.stateDocuments++;
    c.bytesByKind[kind] += bytes;
  }
}
