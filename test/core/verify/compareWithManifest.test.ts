import { describe, expect, it } from "vitest";
import { manifestDependencies } from "../../../src/core/dbt/manifestDependencies.js";
import { compareWithManifest, type ManifestParse } from "../../../src/core/verify/compareWithManifest.js";
import { renderVerifyMarkdown, renderVerifyText } from "../../../src/core/verify/renderVerify.js";
import { projectOf } from "../../helpers/memoryProject.js";

// The engine's reading (a project built from files in memory) against a manifest as dbt writes it.

type Node = { name: string; file: string; refs?: string[]; sources?: [string, string][]; pkg?: string };
function manifest(enabled: Node[], disabled: Node[] = []) {
  const node = (n: Node) => ({
    resource_type: "model",
    package_name: n.pkg ?? "shop",
    name: n.name,
    original_file_path: n.file,
    refs: (n.refs ?? []).map((name) => ({ name, package: null, version: null })),
    sources: n.sources ?? [],
    depends_on: { nodes: [] },
  });
  return {
    nodes: Object.fromEntries(enabled.map((n) => [`model.${n.pkg ?? "shop"}.${n.name}`, node(n)])),
    disabled: Object.fromEntries(disabled.map((n) => [`model.${n.pkg ?? "shop"}.${n.name}`, [node(n)]])),
  };
}

function parseOf(raw: unknown, renamed: Record<string, string> = {}, packages: string[] = []): ManifestParse {
  return {
    nodes: manifestDependencies(raw, "shop"),
    packageNodes: new Map(packages.map((p) => [p, manifestDependencies(raw, p)])),
    renamed: new Map(Object.entries(renamed)),
    failed: new Map(),
  };
}

function compare(files: Record<string, string>, raw: unknown, renamed: Record<string, string> = {}, packages: string[] = []) {
  return compareWithManifest(projectOf(files), parseOf(raw, renamed, packages), (file) => files[file] ?? null);
}

describe("compareWithManifest", () => {
  it("counts agreement, and a dependency the engine left dynamic is neither right nor missed", () => {
    const files = {
      "models/a.sql": "select 1",
      "models/b.sql": "select * from {{ ref('a') }} join {{ source('raw', 't') }}",
      "models/c.sql.skip": "select * from {{ ref(var('which')) }}",
    };
    const raw = manifest(
      [
        { name: "a", file: "models/a.sql" },
        { name: "b", file: "models/b.sql", refs: ["a"], sources: [["raw", "t"]] },
      ],
      [{ name: "c", file: "models/c.sql", refs: ["b"] }],
    );
    const report = compare(files, raw, { "models/c.sql": "models/c.sql.skip" });
    expect(report.models).toEqual({ compared: 3, paused: 1 });
    expect(report.edges).toEqual({ right: 2, added: 0, missed: 0, dynamic: 1 });
    expect(report.enabled).toEqual({ right: 2, wrong: 0 });
    expect(report.disagreements).toEqual([]);
    expect(report.wronglyReady).toBe(0);
  });

  it("a missed edge could make a model wrongly ready: file, line and the construct", () => {
    const files = {
      "models/a.sql": "select 1",
      "models/p.sql.skip": "select 1\n-- {{ my_macro() }}\n{% set t = 'a' %}\nselect * from x -- uses 'a'\n",
    };
    const raw = manifest([{ name: "a", file: "models/a.sql" }], [{ name: "p", file: "models/p.sql", refs: ["a"] }]);
    const report = compare(files, raw, { "models/p.sql": "models/p.sql.skip" });
    expect(report.edges.missed).toBe(1);
    expect(report.wronglyReady).toBe(1);
    expect(report.disagreements).toEqual([expect.objectContaining({ kind: "missed-edge", risk: "wrongly-ready", model: "p", file: "models/p.sql.skip", line: 3, dependency: "ref('a')" })]);
    expect(report.disagreements[0]!.reason).toContain("names it on line 3");
  });

  it("an added edge in a branch dbt does not take only blocks, and says which branch", () => {
    const files = {
      "models/base.sql": "select 1",
      "models/alt.sql": "select 1",
      "models/m.sql.skip": "{% if target.name == 'prod' %}\nselect * from {{ ref('alt') }}\n{% else %}\nselect * from {{ ref('base') }}\n{% endif %}\n",
    };
    const raw = manifest(
      [
        { name: "base", file: "models/base.sql" },
        { name: "alt", file: "models/alt.sql" },
      ],
      [{ name: "m", file: "models/m.sql", refs: ["base"] }],
    );
    const report = compare(files, raw, { "models/m.sql": "models/m.sql.skip" });
    // With no target in the configuration the engine keeps both branches; dbt (target dev) takes one.
    expect(report.wronglyReady).toBe(0);
    expect(report.edges).toEqual({ right: 1, added: 1, missed: 0, dynamic: 0 });
    expect(report.disagreements).toHaveLength(1);
    expect(report.disagreements[0]).toMatchObject({ kind: "added-edge", risk: "wrongly-blocked", dependency: "ref('alt')", line: 2 });
    expect(report.disagreements[0]!.reason).toBe("added: ref('alt') on line 2 in a branch dbt does not take (`{% if target.name == 'prod' %}` on line 1)");
  });

  it("a guard on the same line as the call is its branch", () => {
    const files = {
      "models/g.sql.skip": "select 1\n{% if target.name == 'prod' %}union all select * from {{ source('raw', 't') }}{% endif %}\n",
    };
    const raw = manifest([], [{ name: "g", file: "models/g.sql" }]);
    const report = compare(files, raw, { "models/g.sql": "models/g.sql.skip" });
    expect(report.disagreements).toEqual([
      expect.objectContaining({ kind: "added-edge", line: 2, reason: "added: source('raw', 't') on line 2 in a branch dbt does not take (`{% if target.name == 'prod' %}` on line 2)" }),
    ]);
  });

  it("a model the engine counts as enabled and dbt disables could make its dependants wrongly ready; the other way only blocks", () => {
    const files = { "models/on.sql": "select 1", "models/off.sql": "{{ config(enabled=false) }}\nselect 1" };
    const raw = manifest([{ name: "off", file: "models/off.sql" }], [{ name: "on", file: "models/on.sql" }]);
    const report = compare(files, raw);
    expect(report.enabled).toEqual({ right: 0, wrong: 2 });
    expect(report.disagreements.map((d) => [d.kind, d.risk, d.model, d.line])).toEqual([
      ["wrongly-enabled", "wrongly-ready", "on", null],
      ["wrongly-disabled", "wrongly-blocked", "off", 1],
    ]);
    expect(report.wronglyReady).toBe(1);
    expect(report.wronglyBlocked).toBe(1);
  });

  it("a package model dbt disables but the engine lists as available could make a model wrongly ready", () => {
    const files = {
      "dbt_packages/pkg/dbt_project.yml": "name: pkg\nversion: '1.0'\n",
      "dbt_packages/pkg/models/p_on.sql": "select 1",
      // Nothing the engine reads disables it; in the manifest dbt has it disabled (a stand-in for whatever did).
      "dbt_packages/pkg/models/p_off.sql": "select 1",
    };
    const raw = manifest([{ name: "p_on", file: "models/p_on.sql", pkg: "pkg" }], [{ name: "p_off", file: "models/p_off.sql", pkg: "pkg" }]);
    const report = compare(files, raw, {}, ["pkg"]);
    expect(report.packageModels).toEqual({ right: 1, wrong: 1 });
    expect(report.disagreements).toEqual([expect.objectContaining({ kind: "wrongly-enabled", risk: "wrongly-ready", model: "pkg.p_off", file: "dbt_packages/pkg/models/p_off.sql" })]);
  });

  it("a file only one side reads as a model is named; an active one unknown to dbt could make a model wrongly ready", () => {
    const files = { "models/ghost.sql": "select 1", "models/real.sql": "select 1" };
    const raw = manifest([
      { name: "real", file: "models/real.sql" },
      { name: "extra", file: "models/extra.sql" },
    ]);
    const report = compare(files, raw);
    expect(report.disagreements.map((d) => [d.kind, d.risk, d.file])).toEqual([
      ["model-unknown-to-dbt", "wrongly-ready", "models/ghost.sql"],
      ["model-unknown-to-engine", "wrongly-blocked", "models/extra.sql"],
    ]);
  });

  it("renders the figures and each disagreement for a terminal and for a job summary", () => {
    const files = { "models/a.sql": "select 1", "models/p.sql.skip": "select 1" };
    const raw = manifest([{ name: "a", file: "models/a.sql" }], [{ name: "p", file: "models/p.sql", refs: ["a"] }]);
    const report = compare(files, raw, { "models/p.sql": "models/p.sql.skip" });
    const result = { safe: false, dbtVersion: "1.11.0", projects: [report] };
    const text = renderVerifyText(result);
    expect(text).toContain("edges: 0 right, 0 added, 1 missed, 0 dynamic");
    expect(text).toContain("could make a model wrongly ready (1):\n    models/p.sql.skip  p: missed: dbt renders ref('a')");
    expect(text).toContain("1 disagreement(s) could make a model wrongly ready");
    const md = renderVerifyMarkdown(result);
    expect(md).toContain("| shop | 2 | 0 | 0 | 1 | 0 | 1 | 0 | 0 | 0 | 1 | 0 |");
    expect(md).toContain("**wrongly ready**: `models/p.sql.skip` p: missed:");
  });
});
