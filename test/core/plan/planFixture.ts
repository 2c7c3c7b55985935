import { readManifest } from "../../../src/core/plan/manifestIndex.js";
import type { PlannedFile } from "../../../src/core/plan/types.js";
import type { ReadinessReport, ReportModel } from "../../../src/core/readiness/readinessReport.js";

// A small manifest in dbt 1.11's shape: a view, a table with tests, an incremental without tests,
// a microbatch model, an ephemeral one, and active models around them.
const model = (name: string, materialized: string, deps: string[], extra: Record<string, unknown> = {}) => ({
  unique_id: `model.shop.${name}`,
  name,
  resource_type: "model",
  package_name: "shop",
  original_file_path: `models/${name}.sql`,
  relation_name: materialized === "ephemeral" ? null : `"wh"."main_gold"."${name}"`,
  database: "wh",
  schema: "main_gold",
  alias: name,
  config: { materialized, ...extra },
  depends_on: { nodes: deps, macros: [] },
  raw_code: "select 1",
});
const test = (name: string, on: string, kind: string, column: string | null) => ({
  unique_id: `test.shop.${name}`,
  name,
  resource_type: "test",
  attached_node: `model.shop.${on}`,
  column_name: column,
  test_metadata: { name: kind, kwargs: {} },
  depends_on: { nodes: [`model.shop.${on}`] },
});

export const MANIFEST = readManifest({
  metadata: { adapter_type: "duckdb", project_name: "shop" },
  nodes: {
    a: model("stg_orders", "view", ["source.shop.raw.orders"]),
    b: model("d_customer", "table", ["model.shop.stg_orders", "model.shop.eph_helper"]),
    c: model("f_orders", "incremental", ["model.shop.d_customer"], { incremental_strategy: "merge", unique_key: ["order_id", "line_no"] }),
    d: model("f_events", "incremental", ["model.shop.stg_orders"], { incremental_strategy: "microbatch", event_time: "at", begin: "2026-01-01T00:00:00", batch_size: "day" }),
    e: model("eph_helper", "ephemeral", []),
    f: model("rpt_one", "table", ["model.shop.d_customer"]),
    g: model("rpt_two", "view", ["model.shop.d_customer"]),
    h: test("unique_d_customer_id", "d_customer", "unique", "customer_id"),
    i: test("not_null_d_customer_id", "d_customer", "not_null", "customer_id"),
    j: test("unique_stg_orders_id", "stg_orders", "unique", "order_id"),
    k: test("unique_f_events_id", "f_events", "unique", "event_id"),
  },
  sources: {
    s: {
      unique_id: "source.shop.raw.orders",
      name: "orders",
      resource_type: "source",
      package_name: "shop",
      relation_name: "read_csv_auto('orders.csv')",
      database: "wh",
      schema: "main",
      identifier: "orders",
      config: {},
      depends_on: { nodes: [] },
    },
  },
  unit_tests: {},
  macros: {},
});

export const FILES: PlannedFile[] = ["stg_orders", "eph_helper", "d_customer", "f_orders", "f_events"].map((name) => ({
  name,
  dimension: "dim_shop",
  skipFile: `models/${name}.sql.skip`,
  realFile: `models/${name}.sql`,
  because: "all dependencies available",
  sha256: "0".repeat(64),
}));

const paused = (name: string, deps: string[], blockedBy: string[]): ReportModel => ({
  name,
  path: `models/${name}.sql.skip`,
  dimension: "dim_other",
  dimensionFrom: "tag",
  status: "blocked",
  pausedBy: "skip",
  dependencies: deps.map((d, i) => ({ type: "ref", name: d, version: null, status: "paused", line: i + 1, via: [] })),
  missing: [],
  restoreOrder: null,
  needsRestored: deps,
  blockedBy,
  reasons: [],
});

export const REPORT: ReadinessReport = {
  project: { name: "shop", dir: "dbt" },
  summary: { paused: 2, ready: 0, blocked: 2, needsInvestigation: 0 },
  dimensions: [],
  models: [paused("f_waiting", ["d_customer"], ["ref:mas_x"]), paused("f_after", ["d_customer"], [])],
  rootCauses: [],
  problems: [],
};
