import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BudgetExceeded, DependencyCollector } from "../../../src/core/refs/dependencyCollector.js";
import { extractDependencies } from "../../../src/core/refs/extractDependencies.js";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";
import { Interpreter } from "../../../src/core/refs/interpreter.js";
import { scanJinja } from "../../../src/core/refs/jinjaScanner.js";
import { LineIndex } from "../../../src/core/refs/lineIndex.js";
import { plainHeads, readOps, readPlainCalls } from "../../../src/core/refs/plainCalls.js";
import { Scope } from "../../../src/core/refs/scope.js";
import { compileTemplate } from "../../../src/core/refs/templateCompiler.js";
import { createParseContext, type ParseContext } from "../../../src/core/refs/parseContext.js";
import type { MacroIndex } from "../../../src/core/types.js";
import { generateProject, MACRO_PATH, MODEL_PATH, PROJECT_DIR } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";

// The fast path for templates of plain ref()/source()/config() calls must give exactly what the
// full path (compiler + interpreter) gives: the same dependencies in the same order, the same lines,
// config and warnings. Every case below runs both and compares them whole.

// Project macros, plain (their calls are read by the fast path) and not (their calls are not).
const MACRO_TEXT = [
  "{% macro cents(c, s=2) %}round({{ c }} / 100, {{ s }}){% endmacro %}",
  "{% macro hidden() %}{{ ref('h') }}{% endmacro %}",
  "{% macro two(x) %}{{ ref('a') }} join {{ source('s', 't') }} {{ ref(\"pkg\", 'm') }} {{ x }} {{ 1 }} {{ none }} {{ 'a' 'b' }}{% endmacro %}",
  "{% macro okdefault(x='a', y=2, z=[1], w=none) %}{{ ref('d') }}{% endmacro %}",
  "{% macro empty() %}{% endmacro %}",
  "{% macro loopy(xs) %}{% for x in xs %}{{ ref(x) }}{% endfor %}{% endmacro %}",
  "{% macro withset() %}{% set x = 'a' %}{{ ref(x) }}{% endmacro %}",
  "{% macro cfg() %}{{ config(materialized='table') }}{% endmacro %}",
  "{% macro calls_other() %}{{ hidden() }}{% endmacro %}",
  "{% macro shadow(ref) %}{{ ref('a') }}{% endmacro %}",
  "{% macro baddefault(x=ref('d')) %}{{ x }}{% endmacro %}",
  "{% macro broken() %}{{ ref('b') }}{% endif %}{% endmacro %}",
  "{% macro varref(name) %}{{ ref(name) }}{% endmacro %}",
  "{% macro returns() %}{{ return(['a']) }}{% endmacro %}",
  "{% macro versioned() %}{{ ref('a', v=1) }}{% endmacro %}",
  "{% macro filtered() %}{{ ref('a') | upper }}{% endmacro %}",
  "{% macro unresolved() %}{{ ref('a' }}{% endmacro %}",
  // Macros that loop over a parameter (read by the fast path when the argument is a literal list).
  "{% macro unite(relations, label_column='source_model') -%}\n  {%- for model_name, label in relations %}\n  select '{{ label }}' as {{ label_column }} from {{ ref(model_name) }}\n  {%- if not loop.last %} union all{%- endif %}\n  {%- endfor %}\n{%- endmacro %}",
  "{% macro loopdef(xs=['d1', 'd2']) %}{% for x in xs %}{{ ref(x) }}{% if is_incremental() %}{{ source('s', 'inc') }}{% else %}{{ x }}{% endif %}{% endfor %}{% endmacro %}",
  "{% macro nested(groups) %}{% for name, members in groups %}{{ ref(name) }}{% for m in members %}{% if loop.first %}{{ ref(m) }}{% elif not loop.last %}{{ m }}{% endif %}{% endfor %}{% endfor %}{% endmacro %}",
  "{% macro loopcall(xs) %}{% for x in xs %}{{ hidden() }}{% endfor %}{% endmacro %}",
  "{% macro loopset(xs) %}{% set y = 'a' %}{% for x in xs %}{{ ref(x) }}{% endfor %}{% endmacro %}",
  "{% macro loopelse(xs) %}{% for x in xs %}{{ ref(x) }}{% else %}{{ ref('none_given') }}{% endfor %}{% endmacro %}",
  "{% macro loopbad(xs, y=var('v')) %}{% for x in xs %}{{ ref(x) }}{% endfor %}{% endmacro %}",
];
const MACROS = indexMacros(
  MACRO_TEXT.map((text, i) => ({ path: `macros/m${i}.sql`, text })),
  "proj",
).macros;
const PLAIN_MACROS = ["cents", "hidden", "two", "okdefault", "empty", "undefined_macro"];
const LOOPING_MACROS = ["loopy", "unite", "loopdef", "nested"];
const OTHER_MACROS = ["withset", "cfg", "calls_other", "shadow", "baddefault", "broken", "varref", "returns", "versioned", "filtered", "unresolved", "loopcall", "loopset", "loopelse", "loopbad"];

it("the test's macros are all indexed", () => {
  for (const name of [...PLAIN_MACROS, ...LOOPING_MACROS, ...OTHER_MACROS]) expect(MACROS.has(name), name).toBe(name !== "undefined_macro");
});

// Parse contexts the paths are compared under: none (var() and target unknown, undefined macros not
// reported), and two with vars, a target and packages (conditions decided, undefined macros reported).
const CONTEXTS: (ParseContext | undefined)[] = [
  undefined,
  createParseContext({ projectName: "proj", projectVars: { flag: true, k: 2 }, target: { name: "prod", type: "duckdb" }, packages: ["pkg"] }),
  createParseContext({ projectName: "proj", cliVars: { on: true }, target: { name: "dev" } }),
];

function bothPaths(text: string, macros: MacroIndex = MACROS, context?: ParseContext) {
  const fast = extractDependencies({ text, language: "sql", macros, projectName: "proj", context });
  const full = extractDependencies({ text, language: "sql", macros, projectName: "proj", plainCallsFastPath: false, context });
  return { fast, full };
}

/** Whether the fast path itself read the template (rather than handing it to the full path). */
function takesFastPath(text: string): boolean {
  const scan = scanJinja(text);
  return scan.warnings.length === 0 && readPlainCalls(text, scan.segments, new DependencyCollector(1_000_000), 1_000_000, MACROS);
}

/**
 * `plainHeads` only looks at each segment's first words before readOps reads the segments in full:
 * it must never refuse a template readOps reads. Says whether it refused this one.
 */
function expectHeadsNecessary(text: string): boolean {
  const scan = scanJinja(text);
  if (plainHeads(text, scan.segments)) return false;
  expect(readOps(text, scan.segments, false), text).toBeNull();
  return true;
}

function expectSame(text: string, context?: ParseContext): void {
  expectHeadsNecessary(text);
  const { fast, full } = bothPaths(text, MACROS, context);
  expect(fast).toStrictEqual(full);
  // Same keys in the same order (toStrictEqual does not look at order).
  expect(JSON.stringify(fast)).toBe(JSON.stringify(full));
}

describe("plain-call fast path", () => {
  const plain = [
    "select 1",
    "",
    "{{ ref('a') }}",
    '{{ ref("a") }}',
    "{{ref('a')}}",
    "{{- ref('a') -}}",
    "{{ ref ( 'a' ) }}",
    "{{\n  ref(\n 'a'\n )\n}}",
    "{{ ref('pkg', 'a') }}",
    '{{ ref("pkg","a") }}',
    "{{ source('s', 't') }}",
    "{{ source( \"s\" ,\t't' ) }}",
    "{{ config(materialized='table') }}",
    "{{ config(tags=['x', \"y\"], enabled=false) }}",
    "{{ config(tags=[], enabled=True, alias=none, meta=None) }}",
    "{{ config(tags=['a',], materialized='view',) }}",
    "{{ config() }}",
    "{{ config(materialized='table') }}{{ config(materialized='view', tags=['t']) }}",
    "{{ config(a='1', a='2', b='3') }}",
    "{{ config(__proto__='x') }}",
    "{{ ref('a') }}\n{{ ref('a') }}\n{{ ref('b') }}",
    "-- depends_on: {{ ref('x') }}\nselect * from {{ ref('y') }} join {{ source('s','t') }}",
    "{# {{ ref('not_a_dependency') }} #}\n{{ ref('a') }}",
    "{% raw %}{{ ref('raw') }}{% endraw %}\n{{ ref('a') }}",
    "{{ ref('has }} braces') }}\n{{ ref(\"it's\") }}",
    "{{ ref('') }}",
    "line 1\r\nline 2 {{ ref('crlf') }}",
    "{{ cents('x') }}",
    "{{ hidden() }}",
    "{{ ref('h') }}\n{{ hidden() }}\n{{ two(1) }}\n{{ ref('a') }}",
    "{{ two(x='a', y=[1, 'b'], z=none) }}{{ hidden() }}{{ hidden() }}",
    "{{\n  cents(\n 'a.amount',\n 3 )\n}} {{ okdefault() }} {{ okdefault('b', 3, [2.5]) }} {{ empty() }}",
    "{{ undefined_macro('x', key=True) }} {{ xref('a') }} {{ is_incremental() }}",
    // Statements, run as the interpreter runs them.
    "{% set xs = ['a', 'b'] %}{% for x in xs %}{{ ref(x) }}{% endfor %}",
    "{% set inputs = ['a', \"b\", 'a',] %}\nwith u as (\n  {% for model_name in inputs %}\n  select '{{ model_name }}' from {{ ref(model_name) }}\n  {% if not loop.last %}union all{% endif %}\n  {% endfor %}\n)",
    "{% set xs = [] %}{% for x in xs %}{{ ref(x) }}{% endfor %}{{ ref('after') }}",
    "{% set xs = ['a', 'b'] %}{% for x in xs %}{% for y in xs %}{{ ref(y) }}{{ ref(x) }}{% endfor %}{% endfor %}",
    "{% set x = ['a', 'b'] %}{% for x in x %}{{ ref(x) }}{% endfor %}{{ x }}{% for x in x %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% set xs = ['b'] %}{% for x in xs %}{{ ref(x) }}{% endfor %}",
    "{% set x = 'a' %}{{ ref(x) }}",
    "{{ this }}",
    "{% if is_incremental() %}where x > (select max(x) from {{ this }}){% endif %}",
    "{% if is_incremental() %}{{ ref('a') }}{% elif is_incremental() %}{{ ref('b') }}{% else %}{{ ref('c') }}{% endif %}",
    "{%- if is_incremental() -%}\n{{ ref('a') }}\n{%- endif %}",
    "{% set xs = ['a', 'b'] %}{% for x in xs %}{{ config(materialized='table', tags=['t']) }}{{ hidden() }}{{ cents('x') }}{{ ref(x) }}{% endfor %}",
    "{{ config(tags=['t']) }}\n-- depends_on: {{ ref('hint') }}\n{# {% for x in y %}{{ ref(x) }}{% endfor %} #}\n{{ ref('a') }}",
    "{{ unite([('a', 'x'), ('b', 'y')]) }}",
    "{{ ref('b') }}\n{{ unite(relations=[('a', 'x'), ('b', 'y'),], label_column='o') }}",
    "{{ unite([]) }} {{ unite([('a', 1)]) }} {{ unite([('a', 'x')], 'col', extra=1) }}",
    "{{ loopdef() }} {{ loopdef(['z']) }} {{ loopdef(xs=[]) }}",
    "{{ loopy(['a', 'b']) }}{{ loopy(xs=['c']) }}",
    "{% set xs = ['a'] %}{% for x in xs %}{{ unite([('u', 'x')]) }}{{ ref(x) }}{% endfor %}",
  ];
  it.each(plain)("reads %j as the full path does, without the full path", (text) => {
    expect(takesFastPath(text)).toBe(true);
    expectSame(text);
  });

  // Close to plain, but not: the fast path must hand these over (and the answer stays the same).
  const notPlain = [
    "{{ ref('a', v=2) }}",
    "{{ ref('a', version='2') }}",
    "{{ ref('a' 'b') }}",
    "{{ ref('a\\'b') }}",
    "{{ ref('a', 'b', 'c') }}",
    "{{ ref() }}",
    "{{ ref('a',) }}",
    "{{ source('s') }}",
    "{{ source(source_name='s', table_name='t') }}",
    "{{ ref(x) }}",
    "{{ ref(var('x')) }}",
    "{{ ref('a') | upper }}",
    "{{ ref('a').name }}",
    "{{ builtins.ref('a') }}",
    "{{ ref('a') ~ ref('b') }}",
    "{{ config(materialized=var('m')) }}",
    "{{ config(batch_size=2) }}",
    "{{ config('positional') }}",
    "{{ config(tags=['a', x]) }}",
    "{{ config(tags=['a\\n']) }}",
    ...OTHER_MACROS.map((name) => `{{ ref('first') }}{{ ${name}(['x']) }}`),
    "{{ cents(var('x')) }}",
    "{{ cents(ref('x')) }}",
    "{{ cents('x') | upper }}",
    "{{ cents('x')('y') }}",
    "{{ cents(*['x']) }}",
    "{{ cents('x', 2e3) }}",
    "{{ proj.hidden() }}",
    "{{ range(3) }}",
    "{{ namespace(a='b') }}",
    "{{ return('x') }}",
    "{% set ref = 1 %}{{ ref('a') }}",
    "{% if x %}{{ ref('a') }}{% endif %}",
    "{{ ref('a') }}{{",
    "{{ ref('a') }}{#",
    "{{ }}",
    "{{ ref\u00a0('a') }}",
    // Statements the fast path does not run.
    "{% for x in xs %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% for x in xs %}{{ ref(x) }}{% else %}{{ ref('e') }}{% endfor %}",
    "{% set xs = 'ab' %}{% for x in xs %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% for x in xs %}{% set y = x %}{% endfor %}",
    "{% if is_incremental() %}{% set x = 'a' %}{% endif %}{{ ref(x) }}",
    "{% set xs = ['a'] %}{% for x in xs %}{% endfor %}{{ ref(x) }}",
    "{% if is_incremental() %}{{ ref('a') }}",
    "{{ ref('a') }}{% endif %}",
    "{% set xs = ['a'] %}{% for x in xs %}{{ ref(x) }}{% endif %}{% endfor %}",
    "{% set xs = ['a'] %}{% for x, y in xs %}{{ ref(x) }}{% endfor %}",
    "{% set xs = [['a', 'b']] %}{% for x, y in xs %}{{ ref(x) }}{% endfor %}",
    "{% set hidden = ['a'] %}{{ hidden() }}",
    "{% set xs = ['a'] %}{% for x in xs %}{{ cents(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% for cents in xs %}{{ cents('x') }}{% endfor %}",
    "{% if loop.last %}{{ ref('a') }}{% endif %}",
    "{% set xs = ['a'] %}{% for x in xs recursive %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% for x in xs if x %}{{ ref(x) }}{% endfor %}",
    "{% set xs = ['a'] %}{% for loop in xs %}{{ ref(loop) }}{% endfor %}",
    "{% set ns = namespace(a='b') %}{{ ref(ns.a) }}",
    "{% set x = 'a' ~ 'b' %}{{ ref(x) }}",
    "{% set x = 'a\\'b' %}{{ ref(x) }}",
    "{% if x %}{{ ref('a') }}{% endif %}",
    "{% if is_incremental() and x %}{{ ref('a') }}{% endif %}",
    "{% set xs = ['a'] %}{% for x in xs %}{% for x in xs %}{{ ref(x) }}{% endfor %}{{ ref(x) }}{% endfor %}{{ ref(x) }}",
    "{% macro local() %}{{ ref('l') }}{% endmacro %}{{ local() }}",
    "{% do ref('a') %}",
    "{{ unite([('a', 'x', 'z')]) }}",
    "{{ unite([('a')]) }}",
    "{{ unite(['a']) }}",
    "{{ unite([(1, 'a')]) }}",
    "{{ unite(relations=xs) }}",
    "{{ unite([('a', 'x')], label_column=var('c')) }}",
    "{{ unite(relations=[('a', 'x')], [('b', 'y')]) }}",
    "{{ unite([('a', 'x')]) | upper }}",
    "{{ unite([('a', 'x')], 2e3) }}",
    "{{ loopdef(['a', x]) }}",
    "{{ nested([('g', 'm')]) }}",
    // Branches on loop.first/last that do something: the full path decides them per iteration.
    "{% set xs = ['a', 'b', 'c'] %}{% for x in xs %}{% if loop.first %}{{ ref('f') }}{% elif not loop.last %}{{ ref(x) }}{% else %}{{ source('s', 't') }}{% endif %}{% endfor %}",
    "{{ nested([('g', ['m1', 'm2', 'm3']), ('h', [])]) }}",
    // What only the full path reads: decided conditions, literal data, undefined macros, enabled verdicts.
    "{% if var('flag', false) %}{{ ref('a') }}{% endif %}",
    "{% if target.name == 'prod' %}{{ ref('a') }}{% endif %}",
    "{% if false %}{{ ref('a') }}{% endif %}",
    "{% for x in ['a', 'b'] if x != 'a' %}{{ ref(x) }}{% endfor %}",
    '{% set j %}["a"]{% endset %}{% for s in fromjson(j) %}{{ ref(s) }}{% endfor %}',
    "{{ cents(0xff) }}",
    "{{ config(enabled=var('on', false) | as_bool) }}",
    "{% if is_incremental() %}{{ config(enabled=false) }}{% endif %}",
    "{{ nested([('g', ('m'))]) }}",
    ...["loopcall", "loopset", "loopelse", "loopbad"].map((name) => `{{ ${name}(['a']) }}`),
  ];
  it.each(notPlain)("leaves %j to the full path, with the same answer", (text) => {
    expect(takesFastPath(text)).toBe(false);
    expectSame(text);
  });

  it("hands over is_incremental() when a project macro of that name would be followed", () => {
    const macros = indexMacros([{ path: "macros/inc.sql", text: "{% macro is_incremental() %}{{ ref('inc') }}{% endmacro %}" }], "proj").macros;
    for (const text of ["{% if is_incremental() %}{{ ref('a') }}{% endif %}", "{% macro_free = 1 %}"]) {
      const scan = scanJinja(text);
      expect(readPlainCalls(text, scan.segments, new DependencyCollector(1_000_000), 1_000_000, macros)).toBe(false);
      const { fast, full } = bothPaths(text, macros);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(full));
    }
  });

  it("leaves loops too large for the step budget to the full path", () => {
    const text = "{% set xs = ['a', 'b', 'c'] %}{% for x in xs %}{% for y in xs %}{{ ref(y) }}{% endfor %}{% endfor %}";
    const scan = scanJinja(text);
    expect(readPlainCalls(text, scan.segments, new DependencyCollector(1_000_000), 1_000_000)).toBe(true);
    expect(readPlainCalls(text, scan.segments, new DependencyCollector(1_000_000), 40)).toBe(false);
  });

  /**
   * The fast path's step count must bound the interpreter's: with the smallest budget the fast path
   * accepts a template under, the full path must not run out.
   */
  function expectStepsBounded(text: string): void {
    const scan = scanJinja(text);
    const accepts = (budget: number) => readPlainCalls(text, scan.segments, new DependencyCollector(1_000_000), budget, MACROS);
    if (!accepts(1_000_000)) return;
    let lo = 0;
    let hi = 1_000_000;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (accepts(mid)) hi = mid;
      else lo = mid + 1;
    }
    const collector = new DependencyCollector(lo);
    const program = compileTemplate(text);
    const interpreter = new Interpreter({ collector, macros: MACROS, projectName: "proj", modelLines: new LineIndex(text), python: false });
    const run = () => interpreter.run(program, 0, program.instructions.length, { program, source: text, scope: new Scope(), callLine: null, via: [] });
    expect(run, `${JSON.stringify(text)} within ${lo} steps`).not.toThrow(BudgetExceeded);
  }

  it("counts at least the steps the interpreter takes", () => {
    for (const text of plain) expectStepsBounded(text);
  });

  it("counts lines the way the full path does", () => {
    const { fast } = bothPaths("a\n\n{{ ref('x') }}\n{{ config(tags=['t']) }}\n\n\n  {{\n ref('y') }}");
    expect(fast.dependencies.map((d) => d.line)).toEqual([3, 8]);
  });

  it("leaves a file too large for the step budget to the full path", () => {
    const collector = new DependencyCollector(10);
    const text = "{{ ref('a') }}{{ ref('b') }}{{ ref('c') }}";
    const scan = scanJinja(text);
    expect(readPlainCalls(text, scan.segments, collector, 10)).toBe(false);
    expect(readPlainCalls(text, scan.segments, collector, 12)).toBe(true);
  });

  // Random templates: mostly plain calls (in every spacing and quoting), with near misses, other
  // Jinja and SQL text mixed in.
  const quote = fc.constantFrom("'", '"');
  const ws = fc.array(fc.constantFrom(" ", "", "\n", "\t", "  ", "\r\n", "\f", "\v"), { maxLength: 3 }).map((a) => a.join(""));
  const oddWs = fc.constantFrom("\u00a0", "\u2028", "\u3000");
  const name = fc.stringMatching(/^[a-z_][a-z0-9_ .{}%#'"-]{0,8}$/);
  const str = fc.tuple(quote, name).map(([q, n]) => `${q}${n.split(q).join("")}${q}`);
  const arg = fc.tuple(ws, str, ws).map((p) => p.join(""));
  const value = fc.oneof(
    str,
    fc.constantFrom("true", "True", "false", "False", "none", "None"),
    fc
      .array(
        fc.tuple(ws, str, ws).map((p) => p.join("")),
        { maxLength: 3 },
      )
      .map((items) => `[${items.join(",")}]`),
  );
  const kwarg = fc.tuple(ws, fc.constantFrom("tags", "materialized", "enabled", "alias", "meta", "__proto__", "tags"), ws, ws, value, ws).map(([a, k, b, c, v, d]) => `${a}${k}${b}=${c}${v}${d}`);
  const plainCall = fc
    .oneof(
      fc.tuple(ws, ws, arg).map(([a, b, x]) => `${a}ref${b}(${x})`),
      fc.tuple(ws, ws, arg, arg).map(([a, b, x, y]) => `${a}ref${b}(${x},${y})`),
      fc.tuple(ws, ws, arg, arg).map(([a, b, x, y]) => `${a}source${b}(${x},${y})`),
      fc.tuple(ws, ws, fc.array(kwarg, { maxLength: 3 }), fc.boolean()).map(([a, b, k, t]) => `${a}config${b}(${k.join(",")}${t && k.length > 0 ? "," : ""})`),
      fc
        .tuple(ws, fc.constantFrom(...PLAIN_MACROS), ws, fc.array(fc.oneof(arg, kwarg, fc.constantFrom("1", " 2.5 ", "true", "[1, 'a']", "[]")), { maxLength: 3 }))
        .map(([a, m, b, args]) => `${a}${m}${b}(${args.join(",")})`),
    )
    .chain((call) => ws.map((w) => call + w));
  const literal = fc.oneof(str, fc.constantFrom("true", "False", "none", "2", "1.5", "x", "var('v')", "[]", "['a', 'b']", "['a',]", "[x]", "'a\\'b'", "'a' 'b'"));
  const nearMiss = fc.oneof(
    fc
      .tuple(
        ws,
        fc.constantFrom("ref", "source", "config", "cents", "hidden", "xref", "builtins.ref"),
        ws,
        fc.array(fc.tuple(ws, literal, ws), { maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom("tags", "materialized", "v", "version", "enabled", "table_name"), literal), { maxLength: 2 }),
        fc.boolean(),
        ws,
      )
      .map(([w1, fn, w2, args, kwargs, trailing, w3]) => `${w1}${fn}${w2}(${[...args.map(([a, v, b]) => `${a}${v}${b}`), ...kwargs.map(([k, v]) => `${k}=${v}`)].join(",")}${trailing ? "," : ""})${w3}`),
    fc.tuple(plainCall, oddWs, fc.nat()).map(([call, odd, at]) => {
      const i = at % (call.length + 1);
      return call.slice(0, i) + odd + call.slice(i);
    }),
    fc.constantFrom(
      " this ",
      " var('x') ",
      "",
      " ref('a') | upper ",
      " not_defined_macro('x') ",
      " cents(0xff, 1_000, 1e3) ",
      " config(enabled=var('on', false) | as_bool) ",
      " ref('a' if var('k', 1) == 1 else 'b') ",
      " pkg.nothing() ",
      " dbt.current_timestamp() ",
    ),
    fc.tuple(fc.constantFrom(...OTHER_MACROS, ...PLAIN_MACROS), fc.array(literal, { maxLength: 2 })).map(([m, args]) => `${m}(${args.join(", ")})`),
  );
  const segment = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom("{{", "{{-"), plainCall, fc.constantFrom("}}", "-}}")).map((p) => p.join("")) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("{{", "{{-"), nearMiss, fc.constantFrom("}}", "-}}")).map((p) => p.join("")) },
    { weight: 4, arbitrary: fc.constantFrom("\nselect * from t\n", "-- x\n", "\n\n", " join ", "'quoted }}'", "{# {{ ref('c') }} #}", "\r\n") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{% set x = 'a' %}",
        "{% if y %}",
        "{% endif %}",
        "{% raw %}{{ ref('r') }}{% endraw %}",
        "{{",
        "{#",
        "}}",
        "%}",
        "{% if var('flag', false) %}",
        "{% if target.name == 'prod' %}",
        "{% if false %}",
        "{% else %}",
        '{% set sb %}["a"]{% endset %}{% for s in fromjson(sb) %}{{ ref(s) }}{% endfor %}',
      ),
    },
  );
  const template = fc.array(segment, { maxLength: 12 }).map((parts) => parts.join(""));

  const context = fc.constantFrom(...CONTEXTS);

  it("gives the full path's answer on random templates", () => {
    let fastWithCalls = 0;
    assertSeededThenFresh(
      fc.property(template, context, (text, ctx) => {
        if (takesFastPath(text) && bothPaths(text).full.dependencies.length > 0) fastWithCalls++;
        expectSame(text, ctx);
      }),
      { numRuns: 3000, seed: 20261207 },
      // The generator must exercise the fast path itself, not only the hand-over.
      () => expect(fastWithCalls).toBeGreaterThan(300),
    );
  });

  // Random templates with statements: `set` lists at the top, then loops and ifs nested a few deep
  // around refs of loop variables, names, plain calls and macro calls; mostly well formed (so the
  // fast path runs them), with wrong names, conditions and stray tags mixed in (so it hands over).
  const varName = fc.constantFrom("xs", "ys", "x", "y", "model_name", "hidden", "is_incremental", "loop");
  const listName = fc.oneof({ weight: 20, arbitrary: fc.constantFrom("xs", "ys") }, { weight: 1, arbitrary: varName });
  const loopTarget = fc.oneof({ weight: 20, arbitrary: fc.constant("x") }, { weight: 1, arbitrary: fc.oneof(varName, fc.constant("x, y")) });
  const refName = fc.oneof({ weight: 20, arbitrary: fc.constant("x") }, { weight: 1, arbitrary: varName });
  // Mostly plain model names: quotes, braces and `%` in names are covered above, and here they
  // would mostly end the tags early.
  const modelStr = fc.oneof({ weight: 8, arbitrary: fc.tuple(quote, fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/)).map(([q, n]) => `${q}${n}${q}`) }, { weight: 1, arbitrary: str });
  const strList = fc.array(modelStr, { maxLength: 3 }).map((items) => `[${items.join(", ")}]`);
  const setStatement = fc.tuple(varName, fc.oneof(strList, modelStr, fc.constantFrom("[['a', 'b']]", "x", "none"))).map(([n, v]) => `{% set ${n} = ${v} %}`);
  const tuples = fc
    .array(fc.tuple(modelStr, fc.oneof({ weight: 8, arbitrary: modelStr }, { weight: 1, arbitrary: fc.constantFrom("1", "none", "['a']") })), { maxLength: 3 })
    .map((items) => `[${items.map(([a, b]) => `(${a}, ${b})`).join(", ")}]`);
  const macroCall = fc
    .tuple(
      fc.oneof({ weight: 8, arbitrary: fc.constantFrom("unite", "loopdef") }, { weight: 1, arbitrary: fc.constantFrom("nested", "loopy", "loopcall", "loopset") }),
      fc.oneof({ weight: 4, arbitrary: tuples }, { weight: 1, arbitrary: fc.oneof(strList, fc.constant("")) }),
      fc.boolean(),
    )
    .map(([m, a, kw]) => `{{ ${m}(${kw && a !== "" ? `${m === "unite" ? "relations" : "xs"}=${a}` : a}) }}`);
  const topLeaf = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom("{{", "{{-"), plainCall, fc.constantFrom("}}", "-}}")).map((p) => p.join("")) },
    { weight: 1, arbitrary: varName.map((n) => `{{ ${n} }}`) },
    { weight: 2, arbitrary: fc.constantFrom("{{ this }}", "\nunion all\n", " select ", "{{ is_incremental() }}", "{# {% for %} #}") },
    // What only the full path reads: decided conditions, literal data, undefined macros, config(enabled=...).
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{{ config(enabled=var('on', false) | as_bool) }}",
        "{{ ref('a' if var('k', 1) == 1 else 'b') }}",
        "{{ not_defined_macro('x') }}",
        '{% set sb %}["j1", "j2"]{% endset %}{% for s in fromjson(sb) %}{{ ref(s) }}{% endfor %}',
        "{{ cents(0x1f, 0o7, 0b1) }}",
        "{{ config(enabled=false) }}",
      ),
    },
    { weight: 2, arbitrary: macroCall },
  );
  // Inside a loop: refs of the loop variable, and conditions on `loop`.
  const innerLeaf = fc.oneof({ weight: 3, arbitrary: topLeaf }, { weight: 3, arbitrary: refName.map((n) => `{{ ref(${n}) }}`) });
  const topCond = fc.oneof(
    { weight: 20, arbitrary: fc.constant("is_incremental()") },
    { weight: 1, arbitrary: fc.constantFrom("x", "is_incremental() and x", "loop.last") },
    { weight: 2, arbitrary: fc.constantFrom("var('flag', false)", "target.name == 'prod'", "false", "1 + 1 == 2", "env_var('E', 'x') == 'x'", "xs | length > 1", "'a' in xs") },
  );
  // Conditions on loop.* are decided per iteration by the full path: the fast path reads their
  // branches only when they do nothing (`{% if not loop.last %}union all{% endif %}`).
  const innerCond = fc.oneof(
    { weight: 20, arbitrary: fc.constant("is_incremental()") },
    { weight: 10, arbitrary: fc.constantFrom("not loop.last", "loop.first", "loop.last") },
    { weight: 1, arbitrary: fc.constantFrom("x", "not loop") },
    { weight: 2, arbitrary: fc.constantFrom("x != 'a'", "loop.index is even", "var('flag', true)") },
  );
  const loopFilter = fc.oneof({ weight: 8, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom(" if x != 'a'", " if var('flag')", " if loop") });
  const forBlock = (inner: fc.Arbitrary<string>) =>
    fc.tuple(listName, loopTarget, loopFilter, inner, fc.nat(30)).map(([list, target, filter, body, open]) => `{% for ${target} in ${list}${filter} %}${body}${open === 0 ? "" : "{% endfor %}"}`);
  const ifBlock = (cond: fc.Arbitrary<string>, inner: fc.Arbitrary<string>) =>
    fc
      .tuple(cond, inner, fc.option(inner), fc.option(fc.tuple(cond, inner)))
      .map(([c, then, otherwise, elif]) => `{% if ${c} %}${then}${elif === null ? "" : `{% elif ${elif[0]} %}${elif[1]}`}${otherwise === null ? "" : `{% else %}${otherwise}`}{% endif %}`);
  // Stray pieces, so that broken structure is handed over too.
  const stray = fc.constantFrom("{% endfor %}", "{% endif %}", "{% else %}", "{% if is_incremental() %}", "{{ ref(x) }}", "{% set x = 'late' %}");
  const { body } = fc.letrec<{ body: string; inner: string }>((tie) => ({
    body: fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: topLeaf },
          { weight: 3, arbitrary: forBlock(tie("inner")) },
          { weight: 2, arbitrary: ifBlock(topCond, tie("body")) },
          { weight: 1, arbitrary: fc.oneof({ weight: 3, arbitrary: topLeaf }, { weight: 1, arbitrary: stray }) },
        ),
        { maxLength: 3, depthIdentifier: "body" },
      )
      .map((parts) => parts.join("")),
    inner: fc
      .array(fc.oneof({ weight: 6, arbitrary: innerLeaf }, { weight: 1, arbitrary: forBlock(tie("inner")) }, { weight: 2, arbitrary: ifBlock(innerCond, tie("inner")) }), { maxLength: 3, depthIdentifier: "body" })
      .map((parts) => parts.join("")),
  }));
  const lists = fc.tuple(strList, strList).map(([a, b]) => `{% set xs = ${a} %}\n{% set ys = ${b} %}`);
  const statementTemplate = fc
    .tuple(fc.oneof({ weight: 4, arbitrary: lists }, { weight: 1, arbitrary: fc.array(setStatement, { maxLength: 3 }).map((sets) => sets.join("\n")) }), body)
    .map(([sets, rest]) => sets + rest);

  it("gives the full path's answer on random templates with statements", () => {
    let fastWithStatements = 0;
    let fastWithLoops = 0;
    assertSeededThenFresh(
      fc.property(statementTemplate, context, (text, ctx) => {
        if (takesFastPath(text) && bothPaths(text).full.dependencies.length > 0) {
          if (/\{% (?:if|for)/.test(text)) fastWithStatements++;
          if (/\{% for .*\{\{ ref\(/s.test(text)) fastWithLoops++;
        }
        expectSame(text, ctx);
        expectStepsBounded(text);
      }),
      { numRuns: 3000, seed: 20261207 },
      // The generator must exercise the fast path's statements, not only the hand-over (fewer since
      // the generator also writes what only the full path reads: decided conditions, literal data).
      () => {
        expect(fastWithStatements).toBeGreaterThan(50);
        expect(fastWithLoops).toBeGreaterThan(30);
      },
    );
  });
});

describe("plain-call fast path on real projects", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-plain-calls-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const readTree = (dir: string, pattern: RegExp) =>
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile() && pattern.test(e.name))
      .map((e) => ({ path: join(e.parentPath, e.name), text: readFileSync(join(e.parentPath, e.name), "utf8") }));

  function expectProjectSame(modelDir: string, macroDir: string, projectName: string): { models: number; fast: number } {
    const macros = indexMacros(readTree(macroDir, /\.(sql|jinja)$/i), projectName).macros;
    let fast = 0;
    const models = readTree(modelDir, /\.sql(\.skip)?$/i);
    for (const { path, text } of models) {
      if (takesFastPath(text)) fast++;
      const a = extractDependencies({ text, language: "sql", macros, projectName });
      const b = extractDependencies({ text, language: "sql", macros, projectName, plainCallsFastPath: false });
      expect(JSON.stringify(a), path).toBe(JSON.stringify(b));
    }
    return { models: models.length, fast };
  }

  it("the benchmark's generated project: every model, both paths agree", () => {
    const project = generateProject({ dir: join(scratch, "bench"), models: 1500, seed: 20261121 });
    const root = join(project.dir, PROJECT_DIR);
    const { models, fast } = expectProjectSame(join(root, MODEL_PATH), join(root, MACRO_PATH), project.projectName);
    expect(models).toBe(1500);
    // All but the models with a dynamic ref (`ref(var(...))`), which the full path must read.
    expect(fast).toBeGreaterThan(models * 0.95);
  });

  it("refuses by the segments' heads only templates readOps refuses: real-shaped, simple and corpus models", () => {
    const counts = (files: { text: string }[]) => {
      let refused = 0;
      for (const { text } of files) if (expectHeadsNecessary(text)) refused++;
      return { files: files.length, refused };
    };
    const real = generateProject({ dir: join(scratch, "real"), models: 600, seed: 20261121, shape: "real" });
    const realRoot = join(real.dir, PROJECT_DIR);
    const realCounts = counts(readTree(realRoot, /\.sql(\.skip)?$/i));
    // The real shape's models (`pkg.macro()` calls, `if var()`) are the ones the heads exist for.
    expect(realCounts.refused).toBeGreaterThan(realCounts.files * 0.9);
    const simple = generateProject({ dir: join(scratch, "simple"), models: 600, seed: 20261121 });
    const simpleCounts = counts(readTree(join(simple.dir, PROJECT_DIR), /\.sql(\.skip)?$/i));
    expect(simpleCounts.refused).toBeLessThan(simpleCounts.files * 0.05);
    const corpus = counts(readTree(CORPUS_DIR, /\.sql(\.skip)?$/i));
    expect(corpus.files).toBeGreaterThan(500);
    expect(corpus.refused).toBeGreaterThan(0);
  });

  it("the bundled example project: every model, both paths agree", () => {
    const root = join(import.meta.dirname, "..", "..", "..", "examples");
    const projects = readdirSync(root, { recursive: true, withFileTypes: true } as never) as unknown as import("node:fs").Dirent[];
    const dbtProjects = projects.filter((e) => e.isFile() && e.name === "dbt_project.yml").map((e) => e.parentPath);
    expect(dbtProjects.length).toBeGreaterThan(0);
    for (const dir of dbtProjects) expectProjectSame(dir, dir, "example");
  });
});
