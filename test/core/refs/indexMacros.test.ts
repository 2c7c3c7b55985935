import { describe, expect, it } from "vitest";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";

describe("indexMacros", () => {
  it("reads name, parameters with default source text, body, file and line", () => {
    const text = "-- helpers\n{% macro union_models(a, b='x', c=[]) %}select {{ a }}{% endmacro %}\n";
    const { macros, warnings } = indexMacros([{ path: "macros/union.sql", text }]);
    expect(warnings).toEqual([]);
    expect([...macros.keys()]).toEqual(["union_models"]);
    expect(macros.get("union_models")).toEqual({
      name: "union_models",
      params: [
        { name: "a", default: null },
        { name: "b", default: "'x'" },
        { name: "c", default: "[]" },
      ],
      body: "select {{ a }}",
      file: "macros/union.sql",
      line: 2,
    });
  });

  it("indexes by name and by project.name", () => {
    const { macros } = indexMacros([{ path: "m.sql", text: "{% macro m() %}{% endmacro %}" }], "proj");
    expect([...macros.keys()]).toEqual(["m", "proj.m"]);
    expect(macros.get("proj.m")).toBe(macros.get("m"));
  });

  it("handles whitespace control and a macro without parentheses' arguments", () => {
    const text = "{%- macro a() -%}\n  A\n{%- endmacro -%}\n{%- macro b(x,\n  y=1) %}B{% endmacro %}";
    const { macros } = indexMacros([{ path: "m.sql", text }]);
    expect(macros.get("a")).toMatchObject({ params: [], body: "\n  A\n", line: 1 });
    expect(macros.get("b")).toMatchObject({
      params: [
        { name: "x", default: null },
        { name: "y", default: "1" },
      ],
      line: 4,
    });
  });

  it("reads several files and several macros per file", () => {
    const { macros } = indexMacros([
      { path: "a.sql", text: "{% macro one() %}1{% endmacro %}\n\n{% macro two() %}2{% endmacro %}" },
      { path: "b.sql", text: "{% macro three() %}3{% endmacro %}" },
    ]);
    expect([...macros.values()].map((m) => [m.name, m.file, m.line])).toEqual([
      ["one", "a.sql", 1],
      ["two", "a.sql", 3],
      ["three", "b.sql", 1],
    ]);
  });

  it("keeps a nested definition inside its enclosing macro's body", () => {
    const text = "{% macro outer() %}{% macro inner() %}i{% endmacro %}{{ inner() }}{% endmacro %}";
    const { macros } = indexMacros([{ path: "m.sql", text }]);
    expect([...macros.keys()]).toEqual(["outer"]);
    expect(macros.get("outer")?.body).toBe("{% macro inner() %}i{% endmacro %}{{ inner() }}");
  });

  it("ignores macros in comments and raw blocks", () => {
    const text = "{# {% macro a() %}{% endmacro %} #}{% raw %}{% macro b() %}{% endmacro %}{% endraw %}";
    expect([...indexMacros([{ path: "m.sql", text }]).macros.keys()]).toEqual([]);
  });

  it("keeps the first of two definitions with the same name, with a warning", () => {
    const { macros, warnings } = indexMacros([
      { path: "a.sql", text: "{% macro m() %}first{% endmacro %}" },
      { path: "b.sql", text: "\n{% macro m() %}second{% endmacro %}" },
    ]);
    expect(macros.get("m")?.body).toBe("first");
    expect(warnings).toEqual(["b.sql:2: macro m is already defined in a.sql:1"]);
  });

  it("warns about an unterminated macro and an unreadable signature", () => {
    const { macros, warnings } = indexMacros([
      { path: "a.sql", text: "{% macro m() %}never ends" },
      { path: "b.sql", text: "{% macro (x) %}{% endmacro %}" },
    ]);
    expect([...macros.keys()]).toEqual([]);
    expect(warnings).toEqual(["a.sql:1: {% macro %} without {% endmacro %}", "b.sql:1: unreadable {% macro %} signature"]);
  });

  it("does not index tests or materializations", () => {
    const text = "{% test not_null(model) %}x{% endtest %}{% materialization m, default %}y{% endmaterialization %}";
    expect([...indexMacros([{ path: "m.sql", text }]).macros.keys()]).toEqual([]);
  });
});
