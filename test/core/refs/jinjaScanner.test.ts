import { describe, expect, it } from "vitest";
import { scanJinja } from "../../../src/core/refs/jinjaScanner.js";

/** The code of each segment, as the scanner cut it out. */
function codeOf(text: string): [string, string][] {
  return scanJinja(text).segments.map((s) => [s.kind, text.slice(s.start, s.end)]);
}

describe("scanJinja", () => {
  it("cuts out expressions and statements and drops text and comments", () => {
    expect(codeOf("select {{ a }} {# c #} {% if b %}x{% endif %}")).toEqual([
      ["expression", " a "],
      ["statement", " if b "],
      ["statement", " endif "],
    ]);
  });

  it("strips whitespace-control marks", () => {
    expect(codeOf("{{- a -}}{%- b -%}{%+ c +%}")).toEqual([
      ["expression", " a "],
      ["statement", " b "],
      ["statement", " c "],
    ]);
  });

  it("keeps delimiters that are inside strings", () => {
    expect(codeOf(`{{ "}}" }}{% set x = '%}' %}{{ 'it\\'s }}' }}`)).toEqual([
      ["expression", ` "}}" `],
      ["statement", ` set x = '%}' `],
      ["expression", ` 'it\\'s }}' `],
    ]);
  });

  it("keeps a block open until nested braces close", () => {
    expect(codeOf("{{ {'a': {'b': 1}} }} tail")).toEqual([["expression", " {'a': {'b': 1}} "]]);
  });

  it("skips raw blocks, including with whitespace control", () => {
    expect(codeOf("{% raw %}{{ a }}{% endraw %}{{ b }}{%- raw -%}{{ c }}{%- endraw -%}")).toEqual([["expression", " b "]]);
  });

  it("ignores single braces and a lone trailing brace", () => {
    expect(codeOf("select '{' || x || '}' {")).toEqual([]);
  });

  it("reports unterminated constructs with their line", () => {
    expect(scanJinja("a\n{{ b").warnings).toEqual(["unterminated {{ at line 2"]);
    expect(scanJinja("{% if 'x %}").warnings).toEqual(["unterminated {% (open string) at line 1"]);
    expect(scanJinja("\n\n{# x").warnings).toEqual(["unterminated Jinja comment {# at line 3"]);
    expect(scanJinja("{% raw %} x").warnings).toEqual(["unterminated {% raw %} at line 1"]);
  });
});
