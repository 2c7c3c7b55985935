import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateOutcomeOf, type GenerateOutcome } from "../../../src/core/generate/generateOutcome.js";
import { readinessGain } from "../../../src/core/generate/readinessGain.js";
import { renderGeneratedFiles } from "../../../src/core/generate/renderGeneratedFiles.js";
import { renderGenerateSummary } from "../../../src/core/generate/renderGenerateSummary.js";
import { renderPassThroughModel } from "../../../src/core/generate/renderPassThroughModel.js";
import { renderProperties } from "../../../src/core/generate/renderProperties.js";
import { renderRollbackScript } from "../../../src/core/generate/renderRollback.js";
import { codeSpan } from "../../../src/core/render/codeSpan.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { generateContextOf } from "./generateContextOf.js";

const CSV = "id,zip,signup_at,note\n1,007,2024-01-05 10:00:00,\n2,123,2024-01-06 11:00:00,x\n";

describe("properties YAML", () => {
  it("a seed: column_types in the dialect's types, not_null where no null was seen, unique on the key", () => {
    const doc = parse(renderProperties(generateContextOf(CSV, { mode: "seed", dialect: "postgres" })));
    const seed = doc.seeds[0];
    expect(seed.name).toBe("users_store");
    expect(seed.config).toEqual({ quote_columns: true, column_types: { id: "SMALLINT", zip: "TEXT", signup_at: "TIMESTAMP", note: "TEXT" } });
    expect(seed.columns.map((c: { name: string; data_tests?: string[] }) => [c.name, c.data_tests ?? []])).toEqual([
      ["id", ["not_null", "unique"]],
      ["zip", ["not_null"]],
      ["signup_at", ["not_null"]],
      ["note", []],
    ]);
    expect(seed.columns[1].description).toMatch(/TEXT, no nulls\. 1 value with leading zeros/);
  });

  it("a Snowflake seed with simple names lets Snowflake upper-case them (quote_columns: false) and tests the upper-case names", () => {
    const seed = parse(renderProperties(generateContextOf(CSV, { mode: "seed", dialect: "snowflake" }))).seeds[0];
    expect(seed.config.quote_columns).toBe(false);
    expect(seed.config.column_types.id).toBe("SMALLINT");
    expect(seed.columns[0]).toMatchObject({ name: "ID", quote: true });
  });

  it("a source: the source, its schema and the table with the same tests", () => {
    const doc = parse(renderProperties(generateContextOf(CSV, { mode: "source" })));
    expect(doc.sources[0]).toMatchObject({ name: "bronze", schema: "bronze", tables: [{ name: "users_store" }] });
    expect(doc.sources[0].tables[0].columns[0]).toMatchObject({ name: "id", data_type: "SMALLINT", data_tests: ["not_null", "unique"] });
  });

  it("any header is a valid YAML string; a name dbt cannot quote gets no dbt test (validate.sql checks it)", () => {
    const doc = parse(renderProperties(generateContextOf('id,"a""b: c # d",\'x\n1,2,3\n')));
    const columns = doc.sources[0].tables[0].columns;
    expect(columns.map((c: { name: string }) => c.name)).toEqual(["id", 'a"b: c # d', "'x"]);
    expect(columns[1].data_tests).toBeUndefined();
    expect(columns[2].data_tests).toEqual(["not_null"]);
  });
});

describe("the pass-through model", () => {
  it("is ephemeral and reads the source", () => {
    const sql = renderPassThroughModel(generateContextOf(CSV, { model: "stg_users_store" }), "stg_users_store");
    expect(sql).toContain("{{ config(materialized='ephemeral') }}");
    expect(sql).toContain("select * from {{ source('bronze', 'users_store') }}");
  });
});

describe("the rollback script", () => {
  it("removes every file it is given, then the created folders deepest first, each path single-quoted", () => {
    const ctx = generateContextOf(CSV);
    const script = renderRollbackScript(ctx, ["/repo/dbt/models/bronze/_generated_users_store.yml", "/repo/it's here.sql"]);
    expect(script.split("\n")).toEqual([
      "#!/bin/sh",
      "# shellcheck disable=SC2016,SC1003",
      expect.stringMatching(/^# Rollback of dbt-unskip generate/),
      expect.stringMatching(/^# First drop/),
      expect.stringMatching(/^# it removes/),
      "set -eu",
      "rm -f -- '/repo/dbt/models/bronze/_generated_users_store.yml'",
      "rm -f -- '/repo/it'\\''s here.sql'",
      "rmdir -- '/repo/dbt/target/dbt-unskip-generate/users_store' 2>/dev/null || true",
      "rmdir -- '/repo/dbt/target/dbt-unskip-generate' 2>/dev/null || true",
      "rmdir -- '/repo/dbt/target' 2>/dev/null || true",
      "echo 'dbt-unskip generate of users_store rolled back: files removed.'",
      "",
    ]);
  });

  it("lists every generated file, itself and the summary included", () => {
    const ctx = generateContextOf(CSV, { mode: "source", model: "stg_users_store" });
    const files = renderGeneratedFiles(ctx, () => "summary");
    const script = files.find((f) => f.role === "rollback-script")!;
    expect("content" in script && script.mode).toBe(0o755);
    for (const f of files) expect("content" in script && script.content).toContain(`rm -f -- '${f.path}'`);
    expect(files.map((f) => f.role)).toEqual(["properties", "model", "load", "validate", "rollback-sql", "rollback-script", "summary"]);
  });
});

describe("readiness gained", () => {
  const before = reportOf({
    "models/stg_web.sql": "select 1",
    "models/f_signups.sql.skip": "select * from {{ ref('stg_web') }} union all select * from {{ ref('stg_store') }}",
    "models/f_both.sql.skip": "select * from {{ ref('stg_store') }} join {{ ref('mas_contracts') }}",
    "models/f_other.sql.skip": "select * from {{ ref('nothing_here') }}",
  });

  it("lists paused models that became ready, and those that needed it but still wait", () => {
    const after = reportOf({
      "models/stg_web.sql": "select 1",
      "seeds/stg_store.csv": "",
      "models/f_signups.sql.skip": "select * from {{ ref('stg_web') }} union all select * from {{ ref('stg_store') }}",
      "models/f_both.sql.skip": "select * from {{ ref('stg_store') }} join {{ ref('mas_contracts') }}",
      "models/f_other.sql.skip": "select * from {{ ref('nothing_here') }}",
    });
    expect(readinessGain({ before, after, provides: ["ref:stg_store"], refName: null })).toEqual({
      newlyReady: [{ name: "f_signups", path: "models/f_signups.sql.skip", dimension: null }],
      stillBlocked: [{ name: "f_both", path: "models/f_both.sql.skip", blockedBy: ["ref:mas_contracts"] }],
      hints: [],
    });
  });

  it("hints that a source does not satisfy a ref()", () => {
    const gain = readinessGain({ before, after: before, provides: ["source:raw.stg_store"], refName: "stg_store" });
    expect(gain.newlyReady).toEqual([]);
    expect(gain.hints[0]).toMatch(/f_both, f_signups use ref\('stg_store'\), which a source cannot satisfy: add --model stg_store/);
  });
});

describe("the outcome", () => {
  it("warns when a seed is too large for dbt seed, which reads the whole file into memory", () => {
    const readiness = { newlyReady: [], stillBlocked: [], hints: [] };
    const seed = generateContextOf(CSV, { mode: "seed" });
    expect(generateOutcomeOf(seed, { csvDisplay: "x.csv", csvBytes: 80 * 1024 * 1024, readiness }).warnings).toEqual([
      "80 MB is large for a seed: dbt seed reads the whole file into memory and is meant for small, static tables; consider --as source",
    ]);
    expect(generateOutcomeOf(seed, { csvDisplay: "x.csv", csvBytes: 1024, readiness }).warnings).toEqual([]);
    expect(generateOutcomeOf(generateContextOf(CSV), { csvDisplay: "x.csv", csvBytes: 80 * 1024 * 1024, readiness }).warnings).toEqual([]);
  });
});

describe("summary.md", () => {
  it("renders hostile names as literal code spans", () => {
    const hostile = "`](x) <b>@org/team";
    const outcome: GenerateOutcome = {
      result: "generated",
      csv: { path: "data/a`b.csv", rows: 2, bom: false, lineEndings: "lf", nullPolicy: "csv" },
      target: { as: "seed", dialect: "duckdb", name: "s", source: null, schema: null, model: null, relation: "{{ ref('s') }}" },
      columns: [{ name: hostile, physical: hostile, sqlType: "VARCHAR", inferred: { kind: "text" }, nulls: 0, notNull: true, notes: [], misfit: null }],
      key: null,
      keyNotes: [],
      files: [{ path: "dbt/seeds/s.csv", role: "seed-csv" }],
      readiness: { newlyReady: [], stillBlocked: [], hints: [] },
      warnings: [],
      next: ["echo ```"],
      undo: [],
    };
    const md = renderGenerateSummary(outcome, "2026-11-21");
    expect(md).toContain(`- ${codeSpan(hostile)} VARCHAR, no nulls`);
    expect(md).toContain(codeSpan("data/a`b.csv"));
    expect(md).toContain("````sh\necho ```\n````");
  });
});
