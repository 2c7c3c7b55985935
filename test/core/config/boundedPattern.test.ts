import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { compileGlob, compileRegex } from "../../../src/core/config/boundedPattern.js";

// The bounded glob engine reads the plain glob syntax as picomatch does (which it replaces, since
// picomatch's regular expressions backtrack): checked on generated globs and paths.
const segmentChar = fc.constantFrom("a", "b", ".", "_");
const globSegment = fc.oneof(
  { weight: 1, arbitrary: fc.constant("**") },
  { weight: 6, arbitrary: fc.array(fc.oneof(segmentChar, fc.constantFrom("*", "?", "[ab]", "[^a]", "{a,b}", "{a,.b}")), { minLength: 1, maxLength: 4 }).map((p) => p.join("")) },
);
const glob = fc
  .array(globSegment, { minLength: 1, maxLength: 4 })
  .map((s) => s.join("/"))
  .filter((g) => !/\*\*\*|[^/]\*\*|\*\*[^/]/.test(g));
const path = fc
  .array(
    fc.array(segmentChar, { minLength: 1, maxLength: 4 }).map((c) => c.join("")),
    { minLength: 1, maxLength: 5 },
  )
  .map((s) => s.join("/"))
  .filter((p) => !p.split("/").some((s) => s === "." || s === ".."));

describe("compileGlob", () => {
  it.each([true, false])("agrees with picomatch on plain globs (dot: %s)", (dot) => {
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 8 }), (g, paths) => {
        const compiled = compileGlob(g, { dot });
        if ("error" in compiled) throw new Error(`${g}: ${compiled.error}`);
        const reference = picomatch(g, { dot });
        // Without `dot`, compared on paths with no hidden segment (a leading `.` after a `*` that
        // matched nothing is where picomatch's look-aheads and this engine part; hidden files are
        // checked below).
        for (const p of paths.filter((p) => dot || !/(^|\/)\./.test(p))) expect([g, p, compiled.pattern.test(p)]).toEqual([g, p, reference(p)]);
      }),
      { numRuns: 400 },
    );
  });

  it("reads the globs people write", () => {
    const t = (g: string, p: string) => {
      const c = compileGlob(g, { dot: true });
      if ("error" in c) throw new Error(c.error);
      return c.pattern.test(p);
    };
    expect(t("models/**/contract*", "models/gold/x/contract_a.sql")).toBe(true);
    expect(t("models/**/contract*", "models/contract.sql")).toBe(true);
    expect(t("models/gold/**", "models/gold/a.sql")).toBe(true);
    expect(t("models/gold/**", "models/silver/a.sql")).toBe(false);
    expect(t("marts/*", "marts/a/b")).toBe(false);
    expect(t("{a,b}/*.sql", "b/x.sql")).toBe(true);
  });

  it("without `dot`, wildcards skip hidden files and folders", () => {
    const t = (g: string, p: string) => {
      const c = compileGlob(g, { dot: false });
      if ("error" in c) throw new Error(c.error);
      return c.pattern.test(p);
    };
    expect(t("dims/*/*_STATE.md", "dims/.old/X_STATE.md")).toBe(false);
    expect(t("dims/*/*_STATE.md", "dims/a/.X_STATE.md")).toBe(false);
    expect(t("**/dbt_project.yml", ".venv/x/dbt_project.yml")).toBe(false);
    expect(t("**/dbt_project.yml", "a/dbt_project.yml")).toBe(true);
  });

  it("refuses syntax it does not run, with a reason", () => {
    for (const g of ["+(a|b)", "!models/**", "a/b**", "{1..3}", "{a"]) {
      const compiled = compileGlob(g, { dot: true });
      expect("error" in compiled ? compiled.error : "accepted").toMatch(/not supported|whole path segment|without/);
    }
  });
});

describe("compileRegex", () => {
  it("reads patterns as RegExp#test does (unanchored)", () => {
    const c = compileRegex("^dim_");
    if ("error" in c) throw new Error(c.error);
    expect(c.pattern.test("dim_user")).toBe(true);
    expect(c.pattern.test("x_dim_user")).toBe(false);
    const d = compileRegex("dim");
    expect("pattern" in d && d.pattern.test("a_dim_b")).toBe(true);
  });

  it("refuses back-references and look-arounds as unbounded, and broken patterns as not patterns", () => {
    expect(compileRegex("(a)\\1")).toEqual({ error: expect.stringMatching(/cannot run in bounded time/) });
    expect(compileRegex("^(?=dim)")).toEqual({ error: expect.stringMatching(/cannot run in bounded time/) });
    expect(compileRegex("[unclosed")).toEqual({ error: expect.stringMatching(/^expected a regular expression/) });
  });
});
