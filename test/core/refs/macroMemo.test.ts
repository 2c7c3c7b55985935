import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { buildProject } from "../../../src/core/project/buildProject.js";
import { extractDependencies, type ExtractDependenciesInput } from "../../../src/core/refs/extractDependencies.js";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";
import { memoReplays } from "../../../src/core/refs/macroMemo.js";
import { createParseContext } from "../../../src/core/refs/parseContext.js";
import { readProjectSnapshot } from "../../../src/usecases/readProjectSnapshot.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";

// Replaying remembered macro calls (src/core/refs/macroMemo.ts) must give exactly what running
// every call gives: the same JSON, key order included, for every model, in the order a build
// extracts them (so later models replay what earlier ones recorded).

/** Extracts every input with every call run, then again with replays; returns how many replays happened. */
function expectSameAnswers(inputs: ExtractDependenciesInput[], label: string): number {
  const full = inputs.map((input) => JSON.stringify(extractDependencies({ ...input, macroMemo: false })));
  const before = memoReplays();
  inputs.forEach((input, i) => {
    expect(JSON.stringify(extractDependencies(input)), `${label}: model ${i}`).toBe(full[i]);
  });
  return memoReplays() - before;
}

/** The extraction inputs of every model of the project at `root/dir`, as `buildProject` makes them. */
async function buildInputs(root: string, dir: string): Promise<ExtractDependenciesInput[]> {
  const snapshot = await readProjectSnapshot(createDiskFileSource(root), dir);
  const inputs: ExtractDependenciesInput[] = [];
  const built = buildProject(
    snapshot,
    {},
    {
      extract: (input) => {
        inputs.push(input);
        return extractDependencies({ ...input, macroMemo: false });
      },
    },
  );
  expect("project" in built).toBe(true);
  return inputs;
}

const MACROS = `
{% macro cast_to(expr, type='varchar') %}cast({{ expr }} as {{ type }}){% endmacro %}
{% macro pick(a, b, mode='a') %}{% if mode == 'a' %}{{ ref(a) }}{% else %}{{ ref(b) }}{% endif %}{% endmacro %}
{% macro grow(xs) %}{% do xs.append('added') %}{{ ref('grown') }}{% endmacro %}
{% macro keep(xs) %}{{ return(xs) }}{% endmacro %}
{% macro names() %}{{ return(['n1', 'n2']) }}{% endmacro %}
{% macro label(x) %}{{ return('m_' ~ x) }}{% endmacro %}
{% macro configured_plain() %}{{ config(materialized='view') }}{{ ref('cfg_plain') }}{% endmacro %}
{% macro enabled_unknown() %}{{ config(enabled=var('flag_set_nowhere')) }}{{ ref('en') }}{% endmacro %}
{% macro burn(n) %}{% for i in range(n) %}{% for j in range(n) %}{% set x = j %}{% endfor %}{% endfor %}{% endmacro %}
{% macro heavy_ref(n, name) %}{{ burn(n) }}{{ ref(name) }}{% endmacro %}
{% macro configured() %}{{ config(materialized='view', enabled=true) }}{{ ref('cfg') }}{% endmacro %}
{% macro warns() %}{% for %}{{ ref('after_warning') }}{% endmacro %}
{% macro missing_call() %}{{ not_defined_anywhere() }}{{ ref('with_missing') }}{% endmacro %}
{% macro uses_target() %}{{ ref('t_' ~ target.name) }}{% endmacro %}
{% macro outer(x) %}{{ inner(x) }}{% endmacro %}
{% macro inner(x) %}{{ ref(x) }}{% if x == 'loop' %}{{ outer(x) }}{% endif %}{% endmacro %}
{% macro maybe_return(flag) %}{% if flag %}{{ return('yes') }}{% endif %}{{ return('no') }}{% endmacro %}
{% macro heavy(n) %}{% for i in range(n) %}{% for j in range(n) %}{% set x = j %}{% endfor %}{% endfor %}{{ ref('heavy') }}{% endmacro %}
{% macro ds(x) %}{{ return(adapter.dispatch('ds')(x)) }}{% endmacro %}
{% macro default__ds(x) %}{{ ref('ds_' ~ x) }}{% endmacro %}
{% macro spark__ds(x) %}{{ spark_only() }}{% endmacro %}
`;

describe("remembered macro calls give the same answers as running them", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-macro-memo-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const { macros } = indexMacros([{ path: "macros/m.sql", text: MACROS }], "shop");
  const context = createParseContext({ projectName: "shop", target: null, packages: [] });

  const templates = [
    "{{ cast_to('a') }}\n{{ cast_to('a') }}\n\n{{ cast_to('a', type='int') }}",
    "{{ pick('x', 'y') }} {{ pick('x', 'y', mode='b') }}\n{{ pick('x', 'y') }}",
    // The macro changes its argument: never remembered (the second call sees the first's append).
    "{% set xs = ['a'] %}{{ grow(xs) }}{{ grow(xs) }}{% for x in xs %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{{ grow(['a']) }}{{ grow(['a']) }}{{ grow(xs) }}{% for x in xs %}{{ ref(x) }}{% endfor %}",
    // Lists returned are the caller's to change: never remembered.
    "{% set ys = keep(['p']) %}{% do ys.append('q') %}{% set zs = keep(['p']) %}{% for z in zs %}{{ ref(z) }}{% endfor %}",
    "{% set a = names() %}{% do a.append('n3') %}{% for n in names() %}{{ ref(n) }}{% endfor %}",
    "{{ ref(label('x')) }}\n{{ ref(label('x')) }}\n{{ ref(label(1)) }}{{ ref(label(1.0)) }}{{ ref(label(true)) }}",
    "{{ configured() }}\n{{ configured() }}",
    // config() without enabled, and enabled without a known value: each alone must stop a replay.
    "{{ configured_plain() }}",
    "{{ enabled_unknown() }}",
    "{% if var('x', none) %}{{ configured() }}{% endif %}{{ configured() }}",
    "{{ warns() }}\n{{ warns() }}",
    "{{ missing_call() }}\n\n{{ missing_call() }}",
    "{{ uses_target() }}\n{{ uses_target() }}",
    "{{ outer('a') }}\n{{ outer('loop') }}\n{{ outer('loop') }}\n{{ inner('loop') }}",
    "{{ ref(maybe_return(var('f', none))) }}\n{{ ref(maybe_return(true)) }}{{ ref(maybe_return(true)) }}",
    "{% if var('f', none) %}{{ ref(maybe_return(true)) }}{% endif %}{{ ref(maybe_return(true)) }}",
    "{{ ds('a') }}\n{{ ds('a') }}\n{{ ds(['a', 'b']) }}{{ ds({'k': 'v'}) }}{{ ds({'k': 'v'}) }}",
    "{% for i in range(3) %}\n{{ heavy(5) }}{{ cast_to(i) }}\n{% endfor %}",
    // Near the step budget: a replay that would not fit runs instead, and stops where the run stops.
    "{% for i in range(60) %}{{ heavy(100) }}{{ ref('after_' ~ i) }}{% endfor %}",
  ];

  it("fixed templates, with and without a parse context, each model twice", () => {
    const inputs: ExtractDependenciesInput[] = [];
    for (const text of templates) {
      for (const ctx of [undefined, context]) {
        inputs.push({ text, language: "sql", macros, projectName: "shop", context: ctx });
        inputs.push({ text: `\n\n${text}`, language: "sql", macros, projectName: "shop", context: ctx });
      }
    }
    expect(expectSameAnswers(inputs, "fixed")).toBeGreaterThan(50);
  });

  it("the budget case really reaches the budget (so the test above covers a replay that does not fit)", () => {
    const result = extractDependencies({ text: templates[templates.length - 1] as string, language: "sql", macros, projectName: "shop" });
    expect(result.warnings.join("\n")).toContain("too much to evaluate statically");
  });

  it("a call remembered in one model is run, not replayed, where its steps would not fit in another's budget", () => {
    const first = { text: "{{ heavy_ref(300, 'x') }}", language: "sql", macros, projectName: "shop" } as const;
    // burn(520) leaves less budget than heavy_ref(300, ...) takes: the run stops inside it, before its ref.
    const second = { text: "{{ burn(520) }}{{ heavy_ref(300, 'x') }}", language: "sql", macros, projectName: "shop" } as const;
    const stopped = extractDependencies({ ...second, macroMemo: false });
    expect(stopped.warnings.join("\n")).toContain("too much to evaluate statically");
    expect(stopped.dependencies.some((d) => d.type === "ref" && d.name === "x")).toBe(false);
    expectSameAnswers([first, second], "budget across models");
  });

  it("calls remembered before the index changed are not replayed after (an index is read-only by type, but a Map)", () => {
    const grown = new Map(indexMacros([{ path: "macros/a.sql", text: "{% macro outer_late() %}{{ later() }}{{ ref('outer_late') }}{% endmacro %}" }], "shop").macros);
    const input = { text: "{{ outer_late() }}", language: "sql", macros: grown, projectName: "shop", context } as const;
    expectSameAnswers([input, input], "before");
    indexMacros([{ path: "macros/b.sql", text: "{% macro later() %}{{ ref('later') }}{% endmacro %}" }], "shop", { into: grown });
    expectSameAnswers([input], "after");
    expect(extractDependencies(input).dependencies.map((d) => (d.type === "ref" ? d.name : ""))).toEqual(["later", "outer_late"]);
    // A definition replaced under its name (the index keeps its size): the outer call entered it.
    for (const [name, definition] of indexMacros([{ path: "macros/c.sql", text: "{% macro later() %}{{ ref('later_v2') }}{% endmacro %}" }], "shop").macros) grown.set(name, definition);
    expectSameAnswers([input], "replaced");
    expect(extractDependencies(input).dependencies.map((d) => (d.type === "ref" ? d.name : ""))).toEqual(["later_v2", "outer_late"]);
  });

  it("the real-shaped generated project: every model, as a build extracts them", async () => {
    const project = generateProject({ dir: join(scratch, "real"), models: 800, seed: 20261121, pausedFraction: 0.1, shape: "real" });
    const inputs = await buildInputs(project.dir, project.projectDir);
    expect(inputs.length).toBe(800);
    expect(expectSameAnswers(inputs, "real shape")).toBeGreaterThan(800);
  });

  it("the simple generated project: every model", async () => {
    const project = generateProject({ dir: join(scratch, "simple"), models: 500, seed: 20261121 });
    const inputs = await buildInputs(project.dir, project.projectDir);
    expect(inputs.length).toBe(500);
    expectSameAnswers(
      inputs.map((input) => ({ ...input, plainCallsFastPath: false })),
      "simple shape",
    );
  });

  it("the corpus projects (and their packages read as projects): every model", async () => {
    if (!existsSync(CORPUS_DIR)) throw new Error(`the corpus is missing at ${CORPUS_DIR}`);
    let models = 0;
    let replayed = 0;
    for (const dir of ["hubspot", "salesforce", "dbt_project_evaluator/integration_tests", "elementary"]) {
      const inputs = await buildInputs(CORPUS_DIR, dir);
      models += inputs.length;
      replayed += expectSameAnswers(inputs, dir);
    }
    expect(models).toBeGreaterThan(200);
    expect(replayed).toBeGreaterThan(20);
  });
});
