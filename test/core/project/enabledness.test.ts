import { describe, expect, it } from "vitest";
import { PROJECT_YML, projectOf, reportOf, statuses as allStatuses } from "../../helpers/memoryProject.js";
import type { ReadinessReport } from "../../../src/core/readiness/readinessReport.js";

// The `.skip` models' statuses (model files disabled by config are reported too, tested apart).
const statuses = (report: ReadinessReport) => Object.fromEntries(report.models.filter((m) => m.pausedBy === "skip").map((m) => [m.name, m.status]));

// Disabled-ness as dbt decides it (issue #13): dbt_project.yml folder configs (YAML 1.1 booleans),
// properties YAML, the model's own config(); seeds, snapshots, sources, package scopes; and the
// uncertain middle. A dependency on a disabled node is missing (dbt: "which is disabled"); on an
// uncertain one, the paused model needs investigation.

const folderDisabled = (value: string) => `${PROJECT_YML}models:\n  shop:\n    staging:\n      +enabled: ${value}\n`;
const files = {
  "models/staging/stg.sql": "select 1 as id",
  "models/x.sql.skip": "select * from {{ ref('stg') }}",
};

describe("folder +enabled in dbt_project.yml, read as PyYAML reads it", () => {
  const falses = ["no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"];
  const trues = ["yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"];
  it.each(falses)("`+enabled: %s` disables the folder: a paused model that refs into it is blocked, not ready", (value) => {
    const report = reportOf(files, { projectYml: folderDisabled(value) });
    expect(statuses(report)).toEqual({ x: "blocked" });
    const x = report.models.find((m) => m.name === "x")!;
    expect(x.blockedBy).toEqual(["ref:stg"]);
    expect(x.reasons[0]).toContain("'stg' is disabled (model models/staging/stg.sql: enabled: false in dbt_project.yml models.shop.staging)");
    expect(x.reasons[0]).toContain("which is disabled");
    // The disabled file itself: reported as paused by config, with the instruction, never ready.
    const stg = report.models.find((m) => m.name === "stg")!;
    expect([stg.pausedBy, stg.status]).toEqual(["disabled", "needs-investigation"]);
    expect(stg.reasons).toEqual(["paused with enabled: false in dbt_project.yml models.shop.staging: dbt-unskip restores only .skip files; set enabled to true there to bring it back"]);
  });
  it("the root cause says it is disabled and where (enable it, do not migrate it): report, status text, dashboard, bot", async () => {
    const report = reportOf(files, { projectYml: folderDisabled("off") });
    expect(report.rootCauses).toEqual([{ type: "ref", name: "stg", blocks: ["x"], expectedFrom: null, disabled: "model models/staging/stg.sql: enabled: false in dbt_project.yml models.shop.staging" }]);
    const { renderStatusText } = await import("../../../src/core/render/renderStatusText.js");
    expect(renderStatusText(report)).toContain("1. stg (disabled: model models/staging/stg.sql: enabled: false in dbt_project.yml models.shop.staging; enable it) → blocks 1: x");
    const missing = reportOf({ "models/x.sql.skip": "select * from {{ ref('stg') }}" });
    expect(missing.rootCauses).toEqual([{ type: "ref", name: "stg", blocks: ["x"], expectedFrom: null }]);
  });
  it.each(trues)("`+enabled: %s` keeps it enabled", (value) => {
    expect(statuses(reportOf(files, { projectYml: folderDisabled(value) }))).toEqual({ x: "ready" });
  });
  it.each(["y", "n", "'no'", '"false"', "0", "nO"])("`+enabled: %s` is not a PyYAML boolean: uncertain, so the dependent needs investigation", (value) => {
    const report = reportOf(files, { projectYml: folderDisabled(value) });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.models[0]!.reasons.join(" ")).toContain("'stg' may be disabled");
  });
  it("a Jinja value (`+enabled: \"{{ var('on', false) }}\"`) is uncertain until rendered", () => {
    const report = reportOf(files, { projectYml: folderDisabled(`"{{ var('stg_on', false) }}"`) });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.models[0]!.reasons.join(" ")).toContain("is rendered by dbt and cannot be decided statically");
  });
  it("the deepest setting wins; a model-level key too", () => {
    const yml = `${PROJECT_YML}models:\n  shop:\n    +enabled: false\n    staging:\n      +enabled: true\n      stg:\n        +enabled: off\n`;
    expect(statuses(reportOf(files, { projectYml: yml }))).toEqual({ x: "blocked" });
    const yml2 = `${PROJECT_YML}models:\n  shop:\n    +enabled: no\n    staging:\n      enabled: yes\n`;
    expect(statuses(reportOf(files, { projectYml: yml2 }))).toEqual({ x: "ready" });
  });
  it("a top-level `+enabled` applies to every project", () => {
    expect(statuses(reportOf(files, { projectYml: `${PROJECT_YML}models:\n  +enabled: off\n` }))).toEqual({ x: "blocked" });
  });
});

describe("precedence: the file's config() over properties YAML over dbt_project.yml", () => {
  it("config(enabled=true) in the file beats a disabled folder", () => {
    const report = reportOf({ ...files, "models/staging/stg.sql": "{{ config(enabled=true) }} select 1" }, { projectYml: folderDisabled("false") });
    expect(statuses(report)).toEqual({ x: "ready" });
  });
  it("properties `enabled: off` beats an enabled folder; `enabled: on` beats a disabled one", () => {
    const props = (v: string) => `version: 2\nmodels:\n  - name: stg\n    config:\n      enabled: ${v}\n`;
    expect(statuses(reportOf({ ...files, "models/staging/_props.yml": props("off") }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...files, "models/staging/_props.yml": props("on") }, { projectYml: folderDisabled("no") }))).toEqual({ x: "ready" });
  });
  it("config(enabled=false) in the file beats properties `enabled: true`", () => {
    const report = reportOf({
      ...files,
      "models/staging/stg.sql": "{{ config(enabled=false) }} select 1",
      "models/staging/_props.yml": "version: 2\nmodels:\n  - name: stg\n    config:\n      enabled: true\n",
    });
    expect(allStatuses(report)).toEqual({ stg: "needs-investigation", x: "blocked" });
  });
});

describe("uncertain enabled-ness", () => {
  it("a model whose config(enabled=var(...)) cannot be decided is uncertain: its dependent needs investigation, not ready", () => {
    // A var without a default and not set: undecidable with or without the values engine.
    const report = reportOf({
      "models/y.sql": "{{ config(enabled = var('y_on') | as_bool) }} select 1 as id",
      "models/x.sql.skip": "select * from {{ ref('y') }}",
    });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.models[0]!.dependencies.map((d) => [d.name, d.status])).toEqual([["y", "uncertain"]]);
    expect(report.models[0]!.reasons).toEqual([expect.stringMatching(/^'y' may be disabled \(model models\/y\.sql: enabled.* in the file's config\(\) .*cannot be decided statically\)$/)]);
  });
  it("`enabled` elsewhere in the file (a column, a comparison, a string) is not a config", () => {
    const project = projectOf({ "models/y.sql": "{{ config(materialized='table', alias='enabled=1') }} select enabled from t where enabled = true" });
    expect(project.models[0]!.state).toBe("active");
  });
  it("no problem for an active model in a file dbt does not enable; an uncertain one says uncertain", () => {
    const report = reportOf(
      {
        "models/staging/a.sql": "select * from {{ ref('paused_one') }}",
        "models/other/u.sql": "{{ config(enabled=var('u')) }} select 1",
        "models/other/b.sql": "select * from {{ ref('u') }}",
        "models/paused_one.sql.skip": "select 1",
      },
      { projectYml: folderDisabled("off") },
    );
    expect(report.problems.map((p) => [p.kind, p.file])).toEqual([["uncertain-dependency", "models/other/b.sql"]]);
    expect(report.problems[0]!.message).toContain("which dbt may disable");
  });
  it("a model dbt may enable that refs a paused one: said as uncertain, not as an error", () => {
    const report = reportOf({ "models/u.sql": "{{ config(enabled=var('u')) }} select * from {{ ref('p') }}", "models/p.sql.skip": "select 1" });
    expect(report.problems.map((p) => [p.kind, p.message])).toEqual([
      ["uncertain-dependency", expect.stringMatching(/^model 'u', which dbt may enable \(enabled.*cannot be decided statically\), depends on 'p', which is paused: dbt parse fails if it is enabled$/)],
    ]);
  });
  it("an active model that refs a decided-disabled one is an error, saying disabled", () => {
    const report = reportOf({ "models/y.sql": "{{ config(enabled=false) }} select 1", "models/b.sql": "{{ ref('y') }}" });
    expect(report.problems.map((p) => p.message)).toEqual(["active model 'b' depends on 'y', which is disabled (model models/y.sql: enabled=false in the file's config()): dbt parse fails"]);
  });
});

describe("seeds, snapshots, sources, packages", () => {
  it("seeds: `seeds:` folder config and seed properties", () => {
    const base = { "seeds/codes.csv": "", "models/x.sql.skip": "{{ ref('codes') }}" };
    expect(statuses(reportOf(base, { projectYml: `${PROJECT_YML}seeds:\n  shop:\n    +enabled: No\n` }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...base, "seeds/props.yml": "seeds:\n  - name: codes\n    config:\n      enabled: off\n" }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf(base))).toEqual({ x: "ready" });
  });
  it("snapshots: `snapshots:` folder config (the fqn holds the file name), in-file config()", () => {
    const base = { "snapshots/snaps.sql": "{% snapshot users_snapshot %}select 1{% endsnapshot %}", "models/x.sql.skip": "{{ ref('users_snapshot') }}" };
    expect(statuses(reportOf(base, { projectYml: `${PROJECT_YML}snapshots:\n  shop:\n    snaps:\n      +enabled: off\n` }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...base, "snapshots/snaps.sql": "{% snapshot users_snapshot %}{{ config(enabled=False) }}select 1{% endsnapshot %}" }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...base, "snapshots/snaps.sql": "{% snapshot users_snapshot %}{{ config(enabled=var('s')) }}select 1{% endsnapshot %}" }))).toEqual({ x: "needs-investigation" });
    expect(statuses(reportOf(base))).toEqual({ x: "ready" });
  });
  it("sources: the table's config over the source's; dbt_project.yml `sources:` when neither sets it", () => {
    const yml = (source: string, table: string) => `version: 2\nsources:\n  - name: raw\n${source}    tables:\n      - name: users\n${table}`;
    const m = { "models/x.sql.skip": "{{ source('raw', 'users') }}" };
    expect(statuses(reportOf({ ...m, "models/src.yml": yml("    config:\n      enabled: no\n", "") }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...m, "models/src.yml": yml("    config:\n      enabled: no\n", "        config:\n          enabled: yes\n") }))).toEqual({ x: "ready" });
    expect(statuses(reportOf({ ...m, "models/src.yml": yml("", "") }, { projectYml: `${PROJECT_YML}sources:\n  shop:\n    raw:\n      +enabled: off\n` }))).toEqual({ x: "blocked" });
    expect(statuses(reportOf({ ...m, "models/src.yml": yml("", "") }, { projectYml: `${PROJECT_YML}sources:\n  shop:\n    raw:\n      users:\n        +enabled: "{{ target.name == 'prod' }}"\n` }))).toEqual({
      x: "needs-investigation",
    });
  });
  it("package models: the root project's scope for the package, over the package's own dbt_project.yml", () => {
    const base = {
      "dbt_packages/util/dbt_project.yml": "name: util_pkg\nversion: '1'\n",
      "dbt_packages/util/models/calendar.sql": "select 1",
      "models/x.sql.skip": "{{ ref('calendar') }}",
    };
    expect(statuses(reportOf(base))).toEqual({ x: "ready" });
    expect(statuses(reportOf(base, { projectYml: `${PROJECT_YML}models:\n  util_pkg:\n    +enabled: off\n` }))).toEqual({ x: "blocked" });
    const own = { ...base, "dbt_packages/util/dbt_project.yml": "name: util_pkg\nmodels:\n  util_pkg:\n    +enabled: no\n" };
    expect(statuses(reportOf(own))).toEqual({ x: "blocked" });
    expect(statuses(reportOf(own, { projectYml: `${PROJECT_YML}models:\n  util_pkg:\n    +enabled: yes\n` }))).toEqual({ x: "ready" });
  });
  it("package models: their own config() (hubspot disables models through var()): uncertain, for one- and two-argument refs", () => {
    const base = {
      "dbt_packages/util/dbt_project.yml": "name: util_pkg\nversion: '1'\n",
      "dbt_packages/util/models/calendar.sql": "{{ config(enabled=var('util_calendar_enabled', true)) }} select 1",
      "models/x.sql.skip": "{{ ref('calendar') }}",
      "models/z.sql.skip": "{{ ref('util_pkg', 'calendar') }}",
    };
    const report = reportOf(base);
    expect(statuses(report)).toEqual({ x: "needs-investigation", z: "needs-investigation" });
    expect(report.models[0]!.reasons[0]).toContain("'calendar' may be disabled (model dbt_packages/util/models/calendar.sql: enabled=... in the file's config() cannot be decided statically)");
    const literal = { ...base, "dbt_packages/util/models/calendar.sql": "{{ config(materialized='table', enabled=False) }} select 1" };
    expect(statuses(reportOf(literal))).toEqual({ x: "blocked", z: "blocked" });
  });
});

describe("models paused with enabled=false: never offered, and the CLI, the bot and the report say the same", () => {
  const report = reportOf({
    "models/stg.sql": "select 1",
    "models/d.sql": "{{ config(enabled=false, tags=['dim_user']) }} select * from {{ ref('stg') }}",
    "models/e.sql.skip": "{{ config(tags=['dim_user']) }} select * from {{ ref('stg') }}",
  });
  const instruction = "paused with enabled=false in the file's config(): dbt-unskip restores only .skip files; set enabled to true there to bring it back";

  it("the report: needs investigation with the instruction; the dimension counts it as not ready", () => {
    expect(allStatuses(report)).toEqual({ d: "needs-investigation", e: "ready" });
    expect(report.models.find((m) => m.name === "d")!.reasons).toEqual([instruction]);
    expect(report.dimensions.find((d) => d.name === "dim_user")!.ready).toBe(1);
  });
  it("restore (CLI) refuses it with the instruction; a restore of the dimension takes only the .skip model", async () => {
    const { planRestoreBatch } = await import("../../../src/core/restore/restoreBatch.js");
    expect(() => planRestoreBatch(report, "dim_user", ["d"])).toThrow(`only ready models can be restored: d is ${instruction}`);
    expect(planRestoreBatch(report, "dim_user").models.map((m) => m.name)).toEqual(["e"]);
  });
  it("the bot refuses it with the same words", async () => {
    const { checkCommandTargets } = await import("../../../src/core/chatOps/checkCommandTargets.js");
    const result = checkCommandTargets({ name: "restore", dimension: "dim_user", models: ["d"] } as never, [report]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(instruction) });
  });
  it("the status text shows it under needs investigation, not ready", async () => {
    const { renderStatusText } = await import("../../../src/core/render/renderStatusText.js");
    const text = renderStatusText(report);
    expect(text).toContain(`d.sql [dim_user] → ${instruction}`);
    expect(text).not.toContain("restore it by hand");
  });
});
