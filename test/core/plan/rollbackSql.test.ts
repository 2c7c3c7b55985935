import { describe, expect, it } from "vitest";
import { renderRollbackSql, rollbackStatements } from "../../../src/core/plan/rollbackSql.js";

const models = [
  { name: "stg_x", materialization: "view", relation: '"db"."s"."stg_x"' },
  { name: "eph", materialization: "ephemeral", relation: null },
  { name: "f_x", materialization: "microbatch", relation: '"db"."s"."f_x"' },
  { name: "inc", materialization: "incremental", relation: '"db"."s"."inc"' },
  { name: "mv", materialization: "materialized_view", relation: '"db"."s"."mv"' },
  { name: "odd", materialization: "my_custom", relation: '"db"."s"."odd"' },
  { name: "d_x", materialization: "table", relation: '"db"."s"."we""ird"' },
];

describe("rollback SQL", () => {
  it("drops each created relation by its kind, dependents (later in restore order) first", () => {
    expect(rollbackStatements(models)).toEqual([
      { model: "d_x", sql: 'DROP TABLE IF EXISTS "db"."s"."we""ird"' },
      { model: "mv", sql: 'DROP MATERIALIZED VIEW IF EXISTS "db"."s"."mv"' },
      { model: "inc", sql: 'DROP TABLE IF EXISTS "db"."s"."inc"' },
      { model: "f_x", sql: 'DROP TABLE IF EXISTS "db"."s"."f_x"' },
      { model: "stg_x", sql: 'DROP VIEW IF EXISTS "db"."s"."stg_x"' },
    ]);
  });

  it("says why a model gets no statement, and keeps comments on one line", () => {
    const sql = renderRollbackSql({ dimension: "dim\nx", dialect: "duckdb", models: [...models, { name: "evil\nDROP TABLE important;--", materialization: "ephemeral", relation: null }] });
    expect(sql).toContain("-- eph is ephemeral: it creates no relation.");
    expect(sql).toContain(`-- odd: materialization 'my_custom' is not known to dbt-unskip; drop "db"."s"."odd" by hand.`);
    expect(sql).toContain('DROP TABLE IF EXISTS "db"."s"."we""ird";');
    // Every line is a comment, a DROP statement, or empty: nothing a name carried escaped its comment.
    for (const line of sql.split("\n")) expect(line === "" || line.startsWith("-- ") || line.startsWith("DROP ")).toBe(true);
    expect(sql.split("\n").filter((l) => l.startsWith("DROP ")).length).toBe(5);
  });
});
