import { describe, expect, it } from "vitest";
import { projectOf, reportOf, statuses } from "../../helpers/memoryProject.js";

// The false-ready cases of issue #13 that belong to reading templates as dbt does at parse time:
// each was reported ready before, and dbt then rejected the restore.

describe("no false ready from what dbt decides at parse time", () => {
  it("a model disabled through var() in its own config() does not count as available", () => {
    const files = {
      "models/y.sql": "{{ config(enabled = var('y_on', false) | as_bool) }} select 1 as id",
      "models/x.sql.skip": "select * from {{ ref('y') }}",
    };
    expect(projectOf(files).models.find((m) => m.name === "y")?.state).toBe("disabled");
    // dbt: "depends on a node named 'y' which is disabled": x is blocked, never ready.
    const x = reportOf(files).models.find((m) => m.name === "x");
    expect(x?.status).toBe("blocked");
    expect(x?.dependencies.map((d) => [d.name, d.status])).toEqual([["y", "missing"]]);
    // With the var set as dbt's --vars would set it, y is enabled and x is ready.
    expect(statuses(reportOf(files, { config: { vars: { y_on: true } } }))).toEqual({ x: "ready" });
    // ... and through dbt_project.yml vars.
    expect(statuses(reportOf(files, { projectYml: "name: shop\nversion: '1.0'\nprofile: shop\nvars:\n  y_on: true\n" }))).toEqual({ x: "ready" });
  });

  it("a ref named by var() with a default is that model (blocked when it is missing), not needs-investigation", () => {
    // The bundled example's f_contract_revenue. dbt parse reads an unset var as its default and records
    // ref('mas_contracts'); a model named by a var set in dbt_project.yml or --vars is that model instead.
    const files = {
      "models/mas_contracts_recon.sql": "select 1 as id",
      "models/f.sql.skip": "{% set contracts = ref(var('contract_model', 'mas_contracts')) %}\nselect * from {{ contracts }}",
    };
    const report = reportOf(files);
    expect(statuses(report)).toEqual({ f: "blocked" });
    expect(report.models[0]?.missing).toEqual([{ type: "ref", name: "mas_contracts" }]);
    expect(statuses(reportOf({ ...files, "models/mas_contracts.sql": "select 1 as id" }))).toEqual({ f: "ready" });
    const viaProjectYml = reportOf(files, { projectYml: "name: shop\nversion: '1.0'\nprofile: shop\nvars:\n  contract_model: mas_contracts_recon\n" });
    expect(viaProjectYml.models[0]?.dependencies.map((d) => [d.name, d.status])).toEqual([["mas_contracts_recon", "available"]]);
    expect(statuses(reportOf(files, { config: { vars: { contract_model: "mas_contracts_recon" } } }))).toEqual({ f: "ready" });
  });

  it("a model that calls a macro with a hex default is read through the macro (not ready with no dependencies)", () => {
    const files = {
      "macros/trades.sql": "{% macro trades(blockchain, fee_address = 0xa020e2c0b5bd9bd6d4f9e5ec4e3dd1c3f6c0e5a4) %}select * from {{ ref('fees_' ~ blockchain) }}{% endmacro %}",
      "models/x.sql.skip": "{{ trades(blockchain='ethereum') }}",
    };
    const report = reportOf(files);
    expect(statuses(report)).toEqual({ x: "blocked" });
    expect(report.models[0]?.missing).toEqual([{ type: "ref", name: "fees_ethereum" }]);
    expect(report.problems.filter((p) => p.message.includes("unreadable"))).toEqual([]);
  });

  it("a model that calls a macro defined nowhere needs investigation, with the macro named", () => {
    const report = reportOf({ "models/x.sql.skip": "select 1 as id\n{{ not_defined_anywhere('a') }}" });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.models[0]?.reasons.join("\n")).toMatch(/line 2: calls macro 'not_defined_anywhere', which is defined nowhere/);
  });

  it("a model that calls a macro the engine cannot read needs investigation, with the macro and its file named", () => {
    const report = reportOf({
      "macros/odd.sql": "{% macro odd(a = ) %}{{ ref('z') }}{% endmacro %}",
      "models/x.sql.skip": "{{ odd(1) }}",
    });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.models[0]?.reasons.join("\n")).toMatch(/'odd' \(macros\/odd\.sql:1\).*cannot read/);
  });

  it("a package macro called by its bare name is not defined for the project's models (dbt resolves it only as package.name)", () => {
    const files = {
      "dbt_packages/util/dbt_project.yml": "name: util\nversion: '1.0'\n",
      "dbt_packages/util/macros/u.sql": "{% macro helper() %}{{ ref('base') }}{% endmacro %}",
      "models/base.sql": "select 1",
      "models/x.sql.skip": "{{ helper() }}",
      "models/w.sql.skip": "{{ util.helper() }}",
    };
    const report = reportOf(files);
    expect(statuses(report)).toEqual({ w: "ready", x: "needs-investigation" });
    expect(report.models.find((m) => m.name === "w")?.dependencies.map((d) => d.name)).toEqual(["base"]);
  });
});

describe("decided conditions make ready models ready", () => {
  it("a branch dbt does not take does not block", () => {
    const files = {
      "models/base.sql": "select 1",
      "models/x.sql.skip": "{% if var('use_alt', false) == true %} select * from {{ ref('alt') }}\n{% else %} select * from {{ ref('base') }} {% endif %}",
    };
    expect(statuses(reportOf(files))).toEqual({ x: "ready" });
    expect(statuses(reportOf(files, { config: { vars: { use_alt: true } } }))).toEqual({ x: "blocked" });
  });

  it("target.* decides only when the user configured the target", () => {
    const files = {
      "models/base.sql": "select 1",
      "models/x.sql.skip": "{% if target.name == 'prod' %}{{ ref('prod_only') }}{% else %}{{ ref('base') }}{% endif %}",
    };
    expect(statuses(reportOf(files))).toEqual({ x: "blocked" });
    expect(statuses(reportOf(files, { config: { target: { name: "dev", type: "duckdb" } } }))).toEqual({ x: "ready" });
  });
});

it("the report says when target.* was not decided because no target is configured", () => {
  const files = {
    "models/base.sql": "select 1",
    "models/x.sql.skip": "{% if target.name == 'prod' %}{{ ref('prod_only') }}{% else %}{{ ref('base') }}{% endif %}",
  };
  const said = reportOf(files).problems.filter((p) => p.kind === "target-not-configured");
  expect(said.map((p) => [p.file, p.message])).toEqual([["models/x.sql.skip", expect.stringContaining("1 model(s) read target.* (models/x.sql.skip) and no target is configured")]]);
  expect(reportOf(files, { config: { target: { name: "dev" } } }).problems.filter((p) => p.kind === "target-not-configured")).toEqual([]);
});
