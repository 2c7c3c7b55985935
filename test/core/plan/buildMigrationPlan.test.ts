import { describe, expect, it } from "vitest";
import { buildMigrationPlan } from "../../../src/core/plan/buildMigrationPlan.js";
import { assessRisk } from "../../../src/core/plan/assessRisk.js";
import { FILES, MANIFEST, REPORT } from "./planFixture.js";

const plan = buildMigrationPlan({
  dimension: "dim_shop",
  project: REPORT.project,
  basis: { kind: "ready" },
  files: FILES,
  manifest: MANIFEST,
  report: REPORT,
  stateDocument: { path: "dimensions/dim_shop/DIM_SHOP_MIGRATION_STATE.md", previousText: "# before\n", afterSha256: null },
  gitPrefix: "warehouse/",
});
const byName = Object.fromEntries(plan.models.map((m) => [m.name, m]));

describe("buildMigrationPlan", () => {
  it("reads materialization and relation from the manifest, microbatch told apart from incremental", () => {
    expect(plan.models.map((m) => [m.name, m.materialization, m.relation])).toEqual([
      ["stg_orders", "view", '"wh"."main_gold"."stg_orders"'],
      ["eph_helper", "ephemeral", null],
      ["d_customer", "table", '"wh"."main_gold"."d_customer"'],
      ["f_orders", "incremental", '"wh"."main_gold"."f_orders"'],
      ["f_events", "microbatch", '"wh"."main_gold"."f_events"'],
    ]);
    expect(byName.f_events!.microbatch).toEqual({ eventTime: "at", begin: "2026-01-01T00:00:00", batchSize: "day" });
  });

  it("dependencies and dependents: this batch, active models, and paused models with what still blocks them", () => {
    expect(byName.d_customer!.dependsOn).toEqual([
      { name: "stg_orders", type: "model", inBatch: true, relation: '"wh"."main_gold"."stg_orders"' },
      { name: "eph_helper", type: "model", inBatch: true, relation: null },
    ]);
    expect(byName.stg_orders!.dependsOn).toEqual([{ name: "raw.orders", type: "source", inBatch: false, relation: null }]);
    expect(byName.d_customer!.dependents).toEqual({
      active: ["rpt_one", "rpt_two"],
      inBatch: ["f_orders"],
      paused: [
        { name: "f_waiting", dimension: "dim_other", stillBlockedBy: ["mas_x"] },
        { name: "f_after", dimension: "dim_other", stillBlockedBy: [] },
      ],
    });
  });

  it("tests and unique keys: config unique_key first, else the columns of unique tests", () => {
    expect(byName.d_customer!.tests).toEqual(["unique_d_customer_id", "not_null_d_customer_id"]);
    expect(byName.d_customer!.uniqueKey).toEqual(["customer_id"]);
    expect(byName.f_orders!.uniqueKey).toEqual(["order_id", "line_no"]);
    expect(byName.f_orders!.tests).toEqual([]);
  });

  it("risk: views low, tables medium, incremental without tests high, many dependents raise it", () => {
    expect(byName.stg_orders!.risk.level).toBe("low");
    expect(byName.eph_helper!.risk).toEqual({ level: "low", reasons: ["ephemeral: creates nothing in the warehouse"] });
    expect(byName.f_orders!.risk.level).toBe("high");
    expect(byName.f_events!.risk.level).toBe("medium");
    // A table with tests but five dependents: 1 + 1.
    expect(byName.d_customer!.risk).toEqual({ level: "medium", reasons: ["table: creates data (rebuilt on every run)", "5 models depend on it"] });
    expect(plan.risk.level).toBe("high");
    expect(assessRisk({ materialization: "view", tests: 0, dependents: 0, known: true }).level).toBe("medium");
    expect(assessRisk({ materialization: "table", tests: 0, dependents: 3, known: true }).level).toBe("high");
    expect(assessRisk({ materialization: "view", tests: 1, dependents: 0, known: false }).level).toBe("high");
  });

  it("recommends with the concrete commands: tests to add, a backfill from begin, run, rollback", () => {
    expect(plan.recommendation.verdict).toBe("review");
    expect(plan.recommendation.steps.find((s) => s.text.startsWith("Add tests"))?.models).toEqual(["f_orders"]);
    expect(plan.commands.backfill).toEqual([
      "dbt-unskip backfill --model f_orders --start YYYY-MM-DD --end YYYY-MM-DD --batch day",
      "dbt-unskip backfill --model f_events --start 2026-01-01 --end YYYY-MM-DD --batch day",
    ]);
    expect(plan.recommendation.steps.at(-1)?.command).toBe("dbt-unskip rollback --dimension dim_shop");
  });

  it("validation: a row count per relation and a null check on declared keys", () => {
    expect(plan.validation.checks.map((c) => [c.id, c.model, c.kind, c.columns])).toEqual([
      [1, "stg_orders", "row_count", []],
      [2, "stg_orders", "null_key", ["order_id"]],
      [3, "d_customer", "row_count", []],
      [4, "d_customer", "null_key", ["customer_id"]],
      [5, "f_orders", "row_count", []],
      [6, "f_orders", "null_key", ["order_id", "line_no"]],
      [7, "f_events", "row_count", []],
      [8, "f_events", "null_key", ["event_id"]],
    ]);
    expect(plan.validation.sql).toContain('select 6 as check_id, count(*) as observed from "wh"."main_gold"."f_orders" where (order_id) is null or (line_no) is null');
    expect(plan.validation.command).toBe("dbt test --select stg_orders eph_helper d_customer f_orders f_events");
  });

  it("rollback artefacts: paths from the git top level, dependents dropped first, no statement for the ephemeral model", () => {
    expect(plan.rollback.script).toContain("check 'warehouse/dbt/models/f_events.sql' 'warehouse/dbt/models/f_events.sql.skip'");
    expect(plan.rollback.script).toContain("stage_doc 'warehouse/dimensions/dim_shop/DIM_SHOP_MIGRATION_STATE.md'");
    expect(plan.rollback.sql.split("\n").filter((l) => l.startsWith("DROP"))).toEqual([
      'DROP TABLE IF EXISTS "wh"."main_gold"."f_events";',
      'DROP TABLE IF EXISTS "wh"."main_gold"."f_orders";',
      'DROP TABLE IF EXISTS "wh"."main_gold"."d_customer";',
      'DROP VIEW IF EXISTS "wh"."main_gold"."stg_orders";',
    ]);
  });

  it("a model dbt does not report is high risk and named in the advice", () => {
    const odd = buildMigrationPlan({
      dimension: "d",
      project: REPORT.project,
      basis: { kind: "ready" },
      files: [{ ...FILES[0]!, name: "ghost", realFile: "models/ghost.sql" }],
      manifest: MANIFEST,
      report: REPORT,
      stateDocument: null,
    });
    expect(odd.models[0]!.materialization).toBe("unknown");
    expect(odd.risk.level).toBe("high");
    expect(odd.recommendation.steps[1]).toEqual({ text: "Find out why dbt does not report these before running anything:", models: ["ghost"], command: null });
  });

  it("the validation command is safe to paste into a shell: a name that is not a plain word is quoted", () => {
    // Seen on a corpus copy: `dbt test --select a-b it's ...`, an unterminated quote in a shell.
    const odd = buildMigrationPlan({
      dimension: "d",
      project: REPORT.project,
      basis: { kind: "ready" },
      files: [
        { ...FILES[0]!, name: "it's", realFile: "models/it's.sql" },
        { ...FILES[0]!, name: "plain_1", realFile: "models/plain_1.sql" },
      ],
      manifest: MANIFEST,
      report: REPORT,
      stateDocument: null,
    });
    expect(odd.validation.command).toBe("dbt test --select 'it'\\''s' plain_1");
  });
});
