import { describe, expect, it } from "vitest";
import { depsOf, dynamic, ref, source, sql } from "./helpers.js";

describe("ref spellings", () => {
  it("reads ref('m')", () => {
    expect(depsOf("select * from {{ ref('m') }}")).toEqual([ref("m")]);
  });

  it('reads ref("m")', () => {
    expect(depsOf('select * from {{ ref("m") }}')).toEqual([ref("m")]);
  });

  it("reads refs spread over lines with any whitespace, reporting the line of `ref`", () => {
    expect(depsOf("select 1\nfrom {{\n\t ref (\n   'm'\n  )\n}}")).toEqual([ref("m", 3)]);
  });

  it("reads ref ('m') with a space before the parenthesis", () => {
    expect(depsOf("{{ ref ('m') }}")).toEqual([ref("m")]);
  });

  it("reads the package of a two-argument ref", () => {
    expect(depsOf("{{ ref('pkg', 'm') }} {{ ref(\"other\",\"n\") }}")).toEqual([ref("m", 1, { package: "pkg" }), ref("n", 1, { package: "other" })]);
  });

  it("reads v=2 as version '2'", () => {
    expect(depsOf("{{ ref('m', v=2) }}")).toEqual([ref("m", 1, { version: "2" })]);
  });

  it("reads version=2 as version '2'", () => {
    expect(depsOf("{{ ref('m', version=2) }}")).toEqual([ref("m", 1, { version: "2" })]);
  });

  it("reads version='2' as version '2'", () => {
    expect(depsOf("{{ ref('m', version='2') }}")).toEqual([ref("m", 1, { version: "2" })]);
  });

  it("reads a version together with a package", () => {
    expect(depsOf("{{ ref('pkg', 'm', v='3') }}")).toEqual([ref("m", 1, { package: "pkg", version: "3" })]);
  });

  it("treats version=none as unpinned", () => {
    expect(depsOf("{{ ref('m', version=none) }}")).toEqual([ref("m")]);
  });

  it("reads builtins.ref, which projects overriding ref() call", () => {
    expect(depsOf("{{ builtins.ref('m') }}")).toEqual([ref("m")]);
  });

  it("reads refs nested in calls to other functions", () => {
    expect(depsOf("{{ dbt_utils.star(from=ref('a')) }}\n{{ adapter.get_relation(ref('b')) }}")).toEqual([ref("a"), ref("b", 2)]);
  });

  it("reads refs in list, tuple and dict literals", () => {
    const text = "{{ [ref('a'), ref('b')] }} {{ (ref('c'),) }} {{ {'k': ref('d'), ref('e'): 1} }}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b"), ref("c"), ref("d"), ref("e")]);
  });

  it("reads a ref assigned with {% set %}", () => {
    expect(depsOf("{% set rel = ref('m') %}\nselect * from {{ rel }}")).toEqual([ref("m")]);
  });

  it("reads refs in {% if %}, {% elif %} and {% for %} tags", () => {
    const text = ["{% if ref('a') is not none %}", "{% elif ref('b') %}", "{% endif %}", "{% for col in adapter.get_columns_in_relation(ref('c')) %}{{ col }}{% endfor %}"].join("\n");
    expect(depsOf(text)).toEqual([ref("a"), ref("b", 2), ref("c", 4)]);
  });

  it("reads refs in every branch of if/elif/else", () => {
    const text = "{% if target.name == 'prod' %}{{ ref('a') }}{% elif x %}{{ ref('b') }}{% else %}{{ ref('c') }}{% endif %}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b"), ref("c")]);
  });

  it("reads refs under {% if execute %}", () => {
    expect(depsOf("{% if execute %}\n  {% set r = run_query('select 1 from ' ~ ref('m')) %}\n{% endif %}")).toEqual([ref("m", 2)]);
  });

  it("reads refs inside SQL comments, since dbt renders them", () => {
    expect(depsOf("-- depends_on: {{ ref('m') }}\nselect 1")).toEqual([ref("m")]);
    expect(depsOf("/* {{ ref('n') }} */ select 1")).toEqual([ref("n")]);
  });

  it("handles whitespace control markers", () => {
    const text = "{{- ref('a') -}}\n{%- set x = ref('b') -%}\n{%+ if ref('c') +%}{%- endif %}";
    expect(depsOf(text)).toEqual([ref("a"), ref("b", 2), ref("c", 3)]);
  });

  it("does not end a block at }} or %} inside a string", () => {
    expect(depsOf("{{ \"}}\" ~ ref('a') }}")).toEqual([ref("a")]);
    expect(depsOf("{% set s = '%}' %}{{ ref('b') }}")).toEqual([ref("b")]);
    expect(depsOf("{{ ref('c') ~ \"{# not a comment #}\" }}{{ ref('d') }}")).toEqual([ref("c"), ref("d")]);
  });

  it("does not end a block at the }} of a nested dict literal", () => {
    expect(depsOf("{{ {'a': {'b': ref('m')}} }}")).toEqual([ref("m")]);
  });

  it("deduplicates identical dependencies and keeps the first line", () => {
    expect(depsOf("{{ ref('m') }}\n{{ ref(\"m\") }}\n{{ ref('m', v=1) }}\n{{ ref('p', 'm') }}")).toEqual([ref("m", 1), ref("m", 3, { version: "1" }), ref("m", 4, { package: "p" })]);
  });
});

describe("not ref spellings", () => {
  it("ignores ref() in plain text outside Jinja", () => {
    expect(depsOf("select * from ref('m') -- ref(\"n\")")).toEqual([]);
  });

  it("ignores refs in Jinja comments", () => {
    expect(depsOf("{# {{ ref('m') }} #}select 1 {#\n ref('n')\n#}")).toEqual([]);
  });

  it("ignores refs in {% raw %} blocks", () => {
    expect(depsOf("{% raw %}{{ ref('m') }}{% endraw %}{%- raw -%}{{ ref('n') }}{%- endraw -%}")).toEqual([]);
  });

  it("still reads refs after a raw block", () => {
    expect(depsOf("{% raw %}{{ ref('m') }}{% endraw %}\n{{ ref('n') }}")).toEqual([ref("n", 2)]);
  });

  it("ignores a ref that is only mentioned in a string", () => {
    expect(depsOf('{{ "ref(\'m\')" }} {% set s = \'source("a", "b")\' %}')).toEqual([]);
  });

  it("ignores functions that are not ref", () => {
    expect(depsOf("{{ my_ref('m') }} {{ reference('m') }} {{ obj.ref('m') }} {{ refs('m') }}")).toEqual([]);
  });

  it("ignores ref named but not called", () => {
    expect(depsOf("{{ ref }} {% set f = ref %}")).toEqual([]);
  });

  it("does not take Python-style # comments inside Jinja as comments", () => {
    expect(depsOf("{{ ref('m') }} # {{ ref('n') }}")).toEqual([ref("m"), ref("n")]);
  });

  it("reports a ref without arguments as dynamic, not as a model", () => {
    expect(depsOf("{{ ref() }}")).toEqual([dynamic("")]);
  });
});

describe("source spellings", () => {
  it("reads source('src', 'table')", () => {
    expect(depsOf("select * from {{ source('src', 'table') }}")).toEqual([source("src", "table")]);
  });

  it('reads source("src","table") without spaces', () => {
    expect(depsOf('{{ source("src","table") }}')).toEqual([source("src", "table")]);
  });

  it("reads source over several lines", () => {
    expect(depsOf("\n{{ source(\n  'src',\n  'table'\n) }}")).toEqual([source("src", "table", 2)]);
  });

  it("reads the keyword arguments source_name= and table_name=", () => {
    expect(depsOf("{{ source(source_name='s', table_name='t') }} {{ source('u', table_name='v') }}")).toEqual([source("s", "t"), source("u", "v")]);
  });

  it("reads sources nested in other calls and in every branch", () => {
    const text = "{% if x %}{{ dbt_utils.star(source('a', 'b')) }}{% else %}{{ source('c', 'd') }}{% endif %}";
    expect(depsOf(text)).toEqual([source("a", "b"), source("c", "d")]);
  });

  it("ignores sources in comments and plain text", () => {
    expect(depsOf("{# {{ source('a', 'b') }} #} source('c', 'd')")).toEqual([]);
  });

  it("reports a source with one argument or a non-literal table as dynamic", () => {
    expect(depsOf("{{ source('only') }}\n{{ source('s', var('t')) }}")).toEqual([dynamic("'only'", 1, { call: "source" }), dynamic("'s', var('t')", 2, { call: "source" })]);
  });

  it("deduplicates sources", () => {
    expect(depsOf("{{ source('a', 'b') }}\n{{ source(\"a\", \"b\") }}")).toEqual([source("a", "b")]);
  });

  it("returns no warnings for a clean model", () => {
    expect(sql("{{ source('a', 'b') }} {{ ref('c') }}").warnings).toEqual([]);
  });
});
