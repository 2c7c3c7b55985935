import { describe, expect, it } from "vitest";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";
import { depsOf, dynamic, ref, source, sql } from "./helpers.js";

const UNION = `
{% macro union_models(pairs, suffix='') %}
  {% for model, alias in pairs %}
    select '{{ alias }}' as src, * from {{ ref(model ~ suffix) }}
    {% if not loop.last %}union all{% endif %}
  {% endfor %}
{% endmacro %}
`;

function index(text: string, projectName = "proj") {
  return indexMacros([{ path: "macros/m.sql", text }], projectName).macros;
}

describe("project macros", () => {
  it("follows a list of tuples into a macro that calls ref, with the call's line and via", () => {
    const macros = index(UNION);
    const model = "select 1\n{{ union_models([('stg_a', 'a'), ('stg_b', 'b')]) }}";
    expect(depsOf(model, { macros })).toEqual([ref("stg_a", 2, { via: ["union_models"] }), ref("stg_b", 2, { via: ["union_models"] })]);
  });

  it("binds keyword arguments and defaults", () => {
    const macros = index(UNION);
    expect(depsOf("{{ union_models(suffix='_v2', pairs=[('a', 'x')]) }}", { macros })).toEqual([ref("a_v2", 1, { via: ["union_models"] })]);
  });

  it("follows a macro qualified with the project name", () => {
    const macros = index(UNION);
    expect(depsOf("\n\n{{ proj.union_models([('a', 'x')]) }}", { macros, projectName: "proj" })).toEqual([ref("a", 3, { via: ["union_models"] })]);
  });

  it("finds the qualified macro through projectName even if the index was built without it", () => {
    const macros = indexMacros([{ path: "m.sql", text: UNION }]).macros;
    expect(depsOf("{{ proj.union_models([('a', 'x')]) }}", { macros, projectName: "proj" })).toEqual([ref("a", 1, { via: ["union_models"] })]);
  });

  it("does not follow a macro qualified with another package name", () => {
    const macros = index(UNION);
    expect(depsOf("{{ other_pkg.union_models([('a', 'x')]) }}", { macros, projectName: "proj" })).toEqual([]);
  });

  it("does not follow macros when no index is given", () => {
    expect(depsOf("{{ union_models([('a', 'x')]) }}")).toEqual([]);
  });

  it("makes a literal ref in a macro body a dependency of every calling model", () => {
    const macros = index("{% macro with_calendar() %}join {{ ref('dim_calendar') }} using (day){% endmacro %}");
    expect(depsOf("select 1\n{{ with_calendar() }}", { macros })).toEqual([ref("dim_calendar", 2, { via: ["with_calendar"] })]);
    expect(depsOf("{{ with_calendar() }}", { macros })).toEqual([ref("dim_calendar", 1, { via: ["with_calendar"] })]);
  });

  it("does not report refs of macros that are not called", () => {
    const macros = index("{% macro with_calendar() %}{{ ref('dim_calendar') }}{% endmacro %}");
    expect(depsOf("select 1", { macros })).toEqual([]);
  });

  it("follows {% call %} blocks, and reads refs in their bodies", () => {
    const macros = index("{% macro wrap(m) %}select * from {{ ref(m) }} where {{ caller() }}{% endmacro %}");
    const model = "{% call wrap('a') %}\n id in (select id from {{ ref('b') }})\n{% endcall %}";
    expect(depsOf(model, { macros })).toEqual([ref("a", 1, { via: ["wrap"] }), ref("b", 2)]);
  });

  it("follows nested macro calls three levels deep", () => {
    const macros = index(`
{% macro outer(x) %}{{ middle(x ~ '_m') }}{% endmacro %}
{% macro middle(y) %}{{ inner(y) }}{{ source('raw', y) }}{% endmacro %}
{% macro inner(z) %}{{ ref(z ~ '_i') }}{% endmacro %}
`);
    expect(depsOf("\n{{ outer('a') }}", { macros })).toEqual([ref("a_m_i", 2, { via: ["outer", "middle", "inner"] }), source("raw", "a_m", 2, ["outer", "middle"])]);
  });

  it("reports a ref on a parameter that is not literal at the call site as dynamic", () => {
    const macros = index(UNION);
    expect(depsOf("{{ union_models(var('pairs')) }}", { macros })).toEqual([dynamic("model ~ suffix", 1, { via: ["union_models"] })]);
  });

  it("reports a missing parameter without default as dynamic", () => {
    const macros = index("{% macro pick(name) %}{{ ref(name) }}{% endmacro %}");
    expect(depsOf("{{ pick() }}", { macros })).toEqual([dynamic("name", 1, { via: ["pick"] })]);
  });

  it("stops on direct recursion with a warning", () => {
    const macros = index("{% macro loop_forever(n) %}{{ ref(n) }}{{ loop_forever(n ~ 'x') }}{% endmacro %}");
    const result = sql("{{ loop_forever('a') }}", { macros });
    expect(result.dependencies).toEqual([ref("a", 1, { via: ["loop_forever"] })]);
    expect(result.warnings).toEqual(["macro loop_forever calls itself (loop_forever -> loop_forever): recursion not followed"]);
  });

  it("stops on mutual recursion with a warning", () => {
    const macros = index("{% macro ping() %}{{ ref('p') }}{{ pong() }}{% endmacro %}{% macro pong() %}{{ ping() }}{% endmacro %}");
    const result = sql("{{ ping() }}", { macros });
    expect(result.dependencies).toEqual([ref("p", 1, { via: ["ping"] })]);
    expect(result.warnings).toEqual(["macro ping calls itself (ping -> pong -> ping): recursion not followed"]);
  });

  it("does not follow unknown functions but reads refs in their arguments", () => {
    const macros = index(UNION);
    const text = "{{ dbt_utils.union_relations(relations=[ref('a'), ref('b')]) }} {{ var('x', ref('c')) }}";
    expect(depsOf(text, { macros })).toEqual([ref("a"), ref("b"), ref("c")]);
  });

  it("reads refs in the arguments of a known macro too", () => {
    const macros = index("{% macro noop(rel) %}{{ rel }}{% endmacro %}");
    expect(depsOf("{{ noop(ref('a')) }}", { macros })).toEqual([ref("a")]);
  });

  it("uses what a helper macro returns", () => {
    const macros = index("{% macro staging_models() %}{{ return(['stg_a', 'stg_b']) }}{% endmacro %}");
    const text = "{% for m in staging_models() %}{{ ref(m) }}{% endfor %}";
    expect(depsOf(text, { macros })).toEqual([ref("stg_a"), ref("stg_b")]);
  });

  it("follows every implementation of adapter.dispatch", () => {
    const macros = index(`
{% macro get_events() %}{{ return(adapter.dispatch('get_events')()) }}{% endmacro %}
{% macro default__get_events() %}{{ ref('events') }}{% endmacro %}
{% macro snowflake__get_events() %}{{ ref('events_sf') }}{% endmacro %}
`);
    expect(depsOf("{{ get_events() }}", { macros })).toEqual([ref("events", 1, { via: ["get_events", "default__get_events"] }), ref("events_sf", 1, { via: ["get_events", "snowflake__get_events"] })]);
  });

  it("follows macros defined in the model itself, only when called", () => {
    const text = "{% macro local(m) %}{{ ref(m) }}{{ ref('always') }}{% endmacro %}\nselect 1\n{{ local('a') }}";
    expect(depsOf(text)).toEqual([ref("a", 3, { via: ["local"] }), ref("always", 3, { via: ["local"] })]);
    expect(depsOf("{% macro local() %}{{ ref('never') }}{% endmacro %}")).toEqual([]);
  });

  it("gives macro deps the line of the outermost call in the model", () => {
    const macros = index("{% macro a() %}\n\n{{ b() }}{% endmacro %}{% macro b() %}\n{{ ref('deep') }}{% endmacro %}");
    expect(depsOf("\n\n\n{{ a() }}", { macros })).toEqual([ref("deep", 4, { via: ["a", "b"] })]);
  });

  it("reads config() called from a macro", () => {
    const macros = index("{% macro dim_config() %}{{ config(tags=['dim_user']) }}{% endmacro %}");
    expect(sql("{{ dim_config() }}", { macros }).config).toEqual({ tags: ["dim_user"] });
  });
});

describe("macros defined in a model", () => {
  it("runs the body of an unclosed {% macro %} in place rather than hiding the rest of the file", () => {
    const result = sql("{% macro broken() %}\n{{ ref('a') }}");
    expect(result.dependencies).toEqual([ref("a", 2)]);
    expect(result.warnings).toEqual(["1 unclosed block(s), the first {% macro %} at line 1"]);
  });

  it("binds parameters of local macros, with defaults", () => {
    const text = "{% macro pick(a, b='y') %}{{ ref(a ~ b) }}{% endmacro %}{{ pick('x') }}{{ pick('x', b='z') }}";
    expect(depsOf(text)).toEqual([ref("xy", 1, { via: ["pick"] }), ref("xz", 1, { via: ["pick"] })]);
  });
});
