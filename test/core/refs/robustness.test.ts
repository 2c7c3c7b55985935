import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractDependencies } from "../../../src/core/refs/extractDependencies.js";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";
import type { Extraction } from "../../../src/core/types.js";
import { depsOf, ref, sql } from "./helpers.js";

/** Pieces that make up dbt templates, so generated inputs hit the interesting code paths. */
const FRAGMENTS = [
  "{{",
  "}}",
  "{%",
  "%}",
  "{#",
  "#}",
  "{{-",
  "-}}",
  "{%-",
  "-%}",
  "ref(",
  "source(",
  "'a'",
  '"b"',
  "'",
  '"',
  ")",
  "(",
  "[",
  "]",
  "{",
  "}",
  ",",
  "=",
  "~",
  "+",
  "|",
  ".",
  "\\",
  "\n",
  " ",
  "if ",
  "elif ",
  "else",
  "endif",
  "for ",
  " in ",
  "endfor",
  "set ",
  "macro ",
  "endmacro",
  "call ",
  "endcall",
  "raw",
  "endraw",
  "x",
  "v=2",
  "not ",
  "dbt.ref(",
  "dbt.source(",
  "dbt.config(",
  "#",
  '"""',
  "config(",
  "var('x')",
  "loop",
  "do ",
  "with ",
  "endwith",
];

const templates = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(""));

/** Checks the shape every extraction must have, whatever the input. */
function expectSane(result: Extraction, text: string): void {
  const lineCount = text.split("\n").length;
  for (const dependency of result.dependencies) {
    expect(["ref", "source", "dynamic"]).toContain(dependency.type);
    expect(dependency.line).toBeGreaterThanOrEqual(1);
    expect(dependency.line).toBeLessThanOrEqual(lineCount);
    expect(Array.isArray(dependency.via)).toBe(true);
  }
  expect(typeof result.config).toBe("object");
  expect(result.warnings.every((w) => typeof w === "string")).toBe(true);
}

describe("never throws", () => {
  it("on arbitrary strings, as SQL and as Python", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expectSane(extractDependencies({ text, language: "sql" }), text);
        expectSane(extractDependencies({ text, language: "python" }), text);
      }),
      { numRuns: 300 },
    );
  });

  it("on arbitrary arrangements of Jinja fragments, with and without macros", () => {
    const { macros } = indexMacros([{ path: "m.sql", text: "{% macro x(a) %}{{ ref(a) }}{{ x(a) }}{% endmacro %}{% macro ref2() %}{{ loop }}{% endmacro %}" }]);
    fc.assert(
      fc.property(templates, (text) => {
        expectSane(extractDependencies({ text, language: "sql", macros }), text);
        expectSane(extractDependencies({ text, language: "python" }), text);
      }),
      { numRuns: 500 },
    );
  });

  it("when indexing arbitrary macro files", () => {
    fc.assert(
      fc.property(templates, (text) => {
        const { macros, warnings } = indexMacros([{ path: "m.sql", text }], "p");
        for (const definition of macros.values()) expect(definition.file).toBe("m.sql");
        expect(Array.isArray(warnings)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("on input that is not a string at run time", () => {
    const result = extractDependencies({ text: undefined as unknown as string, language: "sql" });
    expect(result).toEqual({ dependencies: [], config: {}, warnings: [], enabled: null, unresolved: [], readsUnknownTarget: false });
  });
});

describe("properties", () => {
  const modelName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/);

  it("finds each literal ref on its own line, in order, without duplicates", () => {
    fc.assert(
      fc.property(fc.uniqueArray(modelName, { maxLength: 12 }), (names) => {
        const text = names.map((n, i) => (i % 2 === 0 ? `select * from {{ ref('${n}') }}` : `{{ ref("${n}") }}`)).join("\n");
        expect(depsOf(text)).toEqual(names.map((n, i) => ref(n, i + 1)));
      }),
    );
  });

  it("finds nothing once the same text is inside a Jinja comment", () => {
    fc.assert(
      fc.property(fc.array(modelName, { maxLength: 8 }), (names) => {
        const text = `{# ${names.map((n) => `{{ ref('${n}') }}`).join("\n")} #}`;
        expect(depsOf(text)).toEqual([]);
      }),
    );
  });

  it("resolves a loop over any list of literal names to exactly those names", () => {
    fc.assert(
      fc.property(fc.uniqueArray(modelName, { maxLength: 10 }), (names) => {
        const list = names.map((n) => `'${n}'`).join(", ");
        expect(depsOf(`{% for m in [${list}] %}{{ ref(m) }}{% endfor %}`)).toEqual(names.map((n) => ref(n)));
      }),
    );
  });
});

describe("malformed templates", () => {
  it("keeps what comes before an unterminated {{ and warns", () => {
    const result = sql("{{ ref('a') }}\n{{ ref('b')");
    expect(result.dependencies).toEqual([ref("a"), ref("b", 2)]);
    expect(result.warnings).toEqual(["unterminated {{ at line 2"]);
  });

  it("warns about an unterminated string and an unterminated comment", () => {
    expect(sql("{{ ref('a') }}{{ 'open").warnings).toEqual(["unterminated {{ (open string) at line 1"]);
    expect(sql("{{ ref('a') }}\n{# open").warnings).toEqual(["unterminated Jinja comment {# at line 2"]);
  });

  it("closes unclosed blocks at the end, with a warning", () => {
    const result = sql("{% for m in ['a'] %}\n{% if x %}{{ ref(m) }}");
    expect(result.dependencies).toEqual([ref("a", 2)]);
    expect(result.warnings).toEqual(["2 unclosed block(s), the first {% for %} at line 1"]);
  });

  it("ignores stray end tags with a warning", () => {
    const result = sql("{% endif %}{{ ref('a') }}{% endfor %}");
    expect(result.dependencies).toEqual([ref("a")]);
    expect(result.warnings).toEqual(["{% endif %} without {% if %} at line 1", "{% endfor %} without {% for %} at line 1"]);
  });

  it("treats unknown tags, even ones named like object properties, as plain statements", () => {
    const result = sql("{% constructor %}{% toString %}{% __proto__ %}{{ ref('a') }}{% snapshot s %}{{ ref('b') }}{% endsnapshot %}");
    expect(result).toEqual({ dependencies: [ref("a"), ref("b")], config: {}, warnings: [], enabled: null, unresolved: [], readsUnknownTarget: false });
  });

  it("keeps config keys named like object properties as ordinary keys", () => {
    expect(sql("{{ config(__proto__='x', constructor=1) }}").config).toEqual(
      Object.fromEntries([
        ["__proto__", "x"],
        ["constructor", 1],
      ]),
    );
  });

  it("recovers refs from expressions it cannot parse", () => {
    expect(depsOf("{{ ref('a') ~ }} {% if ref('b') ) %}{% endif %}")).toEqual([ref("a"), ref("b")]);
  });

  it("reports a ref call it cannot parse as dynamic", () => {
    expect(depsOf("{{ ref('a' 'b' ]) }}")).toEqual([{ type: "dynamic", call: "ref", expression: "ref('a' 'b' ]", line: 1, via: [] }]);
  });

  it("treats an unterminated {% raw %} as text to the end", () => {
    const result = sql("{{ ref('a') }}{% raw %}{{ ref('b') }}");
    expect(result.dependencies).toEqual([ref("a")]);
    expect(result.warnings).toEqual(["unterminated {% raw %} at line 1"]);
  });
});

describe("pathological inputs complete", () => {
  it("a megabyte of {{", () => {
    const result = sql("{{".repeat(500_000));
    expect(result.dependencies).toEqual([]);
    expect(result.warnings).toEqual(["unterminated {{ at line 1"]);
  });

  it("ten thousand nested {% if %}", () => {
    const text = `${"{% if x %}".repeat(10_000)}{{ ref('deep') }}${"{% endif %}".repeat(10_000)}`;
    expect(sql(text)).toEqual({ dependencies: [ref("deep")], config: {}, warnings: [], enabled: null, unresolved: [], readsUnknownTarget: false });
  });

  it("ten thousand unclosed {% if %} and nested {% for %}", () => {
    expect(depsOf(`${"{% if x %}".repeat(10_000)}{{ ref('a') }}`)).toEqual([ref("a")]);
    expect(depsOf(`${"{% for i in [1] %}".repeat(10_000)}{{ ref('b') }}${"{% endfor %}".repeat(10_000)}`)).toEqual([ref("b")]);
  });

  it("a megabyte-long unterminated string", () => {
    const result = sql(`{{ ref('a') }}{{ ref('${"x".repeat(1_000_000)}`);
    expect(result.dependencies[0]).toEqual(ref("a"));
    expect(result.warnings).toEqual(["unterminated {{ (open string) at line 1"]);
    const py = extractDependencies({ text: `dbt.ref("a")\n"""${"x".repeat(1_000_000)}`, language: "python" });
    expect(py.dependencies).toEqual([ref("a")]);
  });

  it("deeply nested brackets, calls, attributes and operators", () => {
    for (const text of [
      `{{ ${"(".repeat(200_000)} }}`,
      `{{ ${"[".repeat(200_000)}${"]".repeat(200_000)} }}`,
      `{{ ${"ref(".repeat(100_000)}'a'${")".repeat(100_000)} }}`,
      `{{ a${".b".repeat(100_000)} }}`,
      `{{ ${"not ".repeat(100_000)}x }}`,
      `{{ ${"-".repeat(100_000)}1 }}`,
      `{{ ${"{'a': ".repeat(100_000)} }}`,
      `{% for ${"(".repeat(100_000)} %}`,
      `{% set ${"(".repeat(100_000)} = 1 %}`,
    ]) {
      const result = sql(text);
      expect(result.dependencies.every((d) => d.type === "dynamic")).toBe(true);
    }
  });

  it("long flat operator chains", () => {
    expect(depsOf(`{{ ref('a'${" ~ ''".repeat(50_000)}) }}`)).toEqual([ref("a")]);
  });

  it("loops that would run too long end with a dynamic dependency and a warning", () => {
    const text = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{{ ref('m') }}{% endfor %}{% endfor %}{% endfor %}";
    const result = sql(text);
    expect(result.dependencies).toEqual([ref("m"), { type: "dynamic", call: "ref", expression: "(extraction incomplete: too much to evaluate statically)", line: 1, via: [] }]);
    expect(result.warnings).toEqual(["extraction stopped early (too much to evaluate statically); dependencies may be incomplete"]);
  });

  it("values that double in size stay bounded", () => {
    const text = "{% set l = ['a'] %}{% set s = 'x' %}{% for i in range(200) %}{% do l.extend(l) %}{% set s = s ~ s %}{% endfor %}{{ ref(l[0]) }}";
    expect(depsOf(text)).toEqual([ref("a")]);
  });

  it("macros that fan out exponentially", () => {
    const defs = Array.from({ length: 30 }, (_, i) => `{% macro m${i}(x) %}{{ m${i + 1}(x) }}{{ m${i + 1}(x) }}{{ ref(x) }}{% endmacro %}`);
    const { macros } = indexMacros([{ path: "m.sql", text: defs.join("") }]);
    const result = sql("{{ m0('a') }}", { macros });
    expect(result.dependencies[0]).toMatchObject({ type: "ref", name: "a" });
  });

  it("many blocks in one file", () => {
    const text = "{{ ref('a') }}\n{{ ref(x) }}\n".repeat(30_000);
    expect(depsOf(text)).toEqual([ref("a"), { type: "dynamic", call: "ref", expression: "x", line: 2, via: [] }]);
  });

  it("a huge block whose calls can only be recovered one by one", () => {
    expect(depsOf(`{{ ${"ref('a') ".repeat(100_000)} }}`)).toEqual([ref("a")]);
  });

  it("caps the number of warnings", () => {
    const result = sql("{% endif %}\n".repeat(200));
    expect(result.warnings).toHaveLength(51);
    expect(result.warnings[50]).toBe("150 more warning(s) not shown");
  });
});
