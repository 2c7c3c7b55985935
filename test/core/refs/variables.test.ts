import { describe, expect, it } from "vitest";
import { depsOf, dynamic, ref, source } from "./helpers.js";

describe("refs through variables", () => {
  it("resolves a name set to a literal", () => {
    expect(depsOf("{% set x = 'a' %}\n{{ ref(x) }}")).toEqual([ref("a", 2)]);
  });

  it("resolves a loop over a list of literals to one ref per element", () => {
    const text = "{% set models = ['a', 'b', 'c'] %}\n{% for m in models %}\n{{ ref(m) }}\n{% endfor %}";
    expect(depsOf(text)).toEqual([ref("a", 3), ref("b", 3), ref("c", 3)]);
  });

  it("unpacks tuples in for loops", () => {
    const text = "{% for name, alias in [('a', 'x'), ('b', 'y')] %}{{ ref(name) }} as {{ alias }}{% endfor %}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b")]);
  });

  it("unpacks parenthesized targets and pairs from dict.items()", () => {
    const text = "{% for (k, v) in {'s1': 't1', 's2': 't2'}.items() %}{{ source(k, v) }}{% endfor %}";
    expect(depsOf(text)).toEqual([source("s1", "t1"), source("s2", "t2")]);
  });

  it("concatenates literals with ~ and +", () => {
    expect(depsOf("{{ ref('stg_' ~ 'a') }} {{ ref('stg_' + 'b') }}")).toEqual([ref("stg_a"), ref("stg_b")]);
  });

  it("concatenates known variables and loop variables", () => {
    const text = "{% set prefix = 'stg_' %}{% for n in ['a', 'b'] %}{{ ref(prefix ~ n ~ '_v' ~ loop.index) }}{% endfor %}";
    expect(depsOf(text)).toEqual([ref("stg_a_v1"), ref("stg_b_v2")]);
  });

  it("iterates range() with numbers converted by ~", () => {
    expect(depsOf("{% for i in range(2) %}{{ ref('part_' ~ i) }}{% endfor %}")).toEqual([ref("part_0"), ref("part_1")]);
  });

  it("follows lists grown with append/extend", () => {
    const text = "{% set ms = [] %}{% do ms.append('a') %}{% do ms.extend(['b']) %}{% for m in ms %}{{ ref(m) }}{% endfor %}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b")]);
  });

  it("applies simple filters and string methods", () => {
    const text = "{{ ref('STG_A' | lower) }} {{ ref('stg_{}'.format('b')) }} {{ ref(' c '.strip()) }} {{ ref(['x', 'd'] | last) }}";
    expect(depsOf(text)).toEqual([ref("stg_a"), ref("stg_b"), ref("c"), ref("d")]);
  });

  it("reads values through dict lookups and namespaces", () => {
    const text = ["{% set cfg = {'model': 'a'} %}{{ ref(cfg['model']) }}{{ ref(cfg.model ~ '2') }}", "{% set ns = namespace(name='b') %}{% set ns.name = 'c' %}{{ ref(ns.name) }}"].join("\n");
    expect(depsOf(text)).toEqual([ref("a"), ref("a2"), ref("c", 2)]);
  });

  it("reads every value a variable may hold after if/else", () => {
    const text = "{% if target.name == 'prod' %}{% set m = 'a' %}{% else %}{% set m = 'b' %}{% endif %}{{ ref(m) }}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b")]);
  });

  it("keeps the earlier value as a possibility when the if has no else", () => {
    expect(depsOf("{% set m = 'a' %}{% if x %}{% set m = 'b' %}{% endif %}{{ ref(m) }}")).toEqual([ref("b"), ref("a")]);
  });

  it("reads both sides of a conditional expression", () => {
    expect(depsOf("{{ ref('a' if target.name == 'prod' else 'b') }}")).toEqual([ref("a"), ref("b")]);
  });

  it("does not leak assignments out of a for loop (Jinja scoping)", () => {
    expect(depsOf("{% set x = 'a' %}{% for i in [1] %}{% set x = 'b' %}{% endfor %}{{ ref(x) }}")).toEqual([ref("a")]);
  });

  it("scopes {% with %} assignments", () => {
    expect(depsOf("{% set x = 'a' %}{% with x = 'b' %}{{ ref(x) }}{% endwith %}{{ ref(x) }}")).toEqual([ref("b"), ref("a")]);
  });

  it("finds nothing in a loop over an empty list", () => {
    expect(depsOf("{% for m in [] %}{{ ref(m) }}{% endfor %}")).toEqual([]);
  });

  it("runs the else part of a for loop over an empty list", () => {
    expect(depsOf("{% for m in [] %}{{ ref(m) }}{% else %}{{ ref('fallback') }}{% endfor %}")).toEqual([ref("fallback")]);
  });

  it("does not run the else part of a for loop over a non-empty list", () => {
    expect(depsOf("{% for m in ['a'] %}{{ ref(m) }}{% else %}{{ ref('fallback') }}{% endfor %}")).toEqual([ref("a")]);
  });
});

describe("dynamic refs", () => {
  it("reports ref(var('x')) with its argument text", () => {
    expect(depsOf("select 1\n{{ ref(var('x')) }}")).toEqual([dynamic("var('x')", 2)]);
  });

  it("reports a ref of an unknown name", () => {
    expect(depsOf("{{ ref(some_unknown_name) }}")).toEqual([dynamic("some_unknown_name")]);
  });

  it("reports a concatenation with an unknown part", () => {
    expect(depsOf("{% set m = 'a' %}{{ ref(m ~ suffix) }}")).toEqual([dynamic("m ~ suffix")]);
  });

  it("reports a loop over an unknown list once, as dynamic", () => {
    expect(depsOf("{% for m in var('models') %}{{ ref(m) }}{% endfor %}")).toEqual([dynamic("m")]);
  });

  it("reports env_var and other calls as dynamic", () => {
    expect(depsOf("{{ ref(env_var('M')) }} {{ ref('pkg', var('m')) }}")).toEqual([dynamic("env_var('M')"), dynamic("'pkg', var('m')")]);
  });

  it("reports a ref whose version is not literal as dynamic", () => {
    expect(depsOf("{{ ref('m', v=var('v')) }}")).toEqual([dynamic("'m', v=var('v')")]);
  });

  it("keeps the resolvable alternatives and flags the rest", () => {
    expect(depsOf("{% if x %}{% set m = 'a' %}{% else %}{% set m = var('y') %}{% endif %}{{ ref(m) }}")).toEqual([ref("a"), dynamic("m")]);
  });

  it("reports a name that is a list, not a string, as dynamic", () => {
    expect(depsOf("{{ ref(['a']) }}")).toEqual([dynamic("['a']")]);
  });

  it("collapses whitespace in the reported expression", () => {
    expect(depsOf("{{ ref(\n  var(\n 'x'\n )\n) }}")).toEqual([dynamic("var( 'x' )")]);
  });

  it("reports calls with *args as dynamic", () => {
    expect(depsOf("{{ ref(*names) }}")).toEqual([dynamic("*names")]);
  });
});
