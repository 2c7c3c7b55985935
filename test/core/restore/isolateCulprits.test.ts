import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dropWithDependents, isolateCulprits, type ParseOutcome } from "../../../src/core/restore/isolateCulprits.js";
import type { BatchModel } from "../../../src/core/restore/restoreBatch.js";

const model = (name: string, needs: string[] = []): BatchModel => ({
  name,
  dimension: "dim_x",
  skipFile: `models/${name}.sql.skip`,
  realFile: `models/${name}.sql`,
  needs,
  because: "all dependencies available",
});

/**
 * A stand-in for dbt's behaviour: it stops at the first bad model (in file order) among those
 * restored, and names it unless the model is in `unnamed` (an error dbt reports without a node).
 */
function fakeDbt(bad: Set<string>, unnamed = new Set<string>(), baseBroken = false) {
  const calls: string[][] = [];
  const parse = async (restored: BatchModel[]): Promise<ParseOutcome> => {
    calls.push(restored.map((m) => m.name));
    if (baseBroken) return { ok: false, culprits: [], message: "Parsing Error in dbt_project.yml" };
    const first = [...restored].sort((a, b) => (a.realFile < b.realFile ? -1 : 1)).find((m) => bad.has(m.name));
    if (!first) return { ok: true };
    if (unnamed.has(first.name)) return { ok: false, culprits: [], message: "Compilation Error\n  dbt found two resources with the same name" };
    return { ok: false, culprits: [{ file: first.realFile, missing: "ghost" }], message: `Model 'model.p.${first.name}' (${first.realFile}) depends on a node named 'ghost' which was not found` };
  };
  return { parse, calls };
}

describe("culprit isolation", () => {
  it("a clean batch takes one parse", async () => {
    const { parse } = fakeDbt(new Set());
    const result = await isolateCulprits([model("a"), model("b", ["a"])], parse);
    expect(result).toMatchObject({ ok: true, parseRuns: 1, reSkipped: [] });
  });

  it("each named culprit costs one parse, and takes its dependents in the batch with it", async () => {
    const batch = [model("a"), model("b", ["a"]), model("c"), model("d", ["c"]), model("e", ["b"])];
    const { parse, calls } = fakeDbt(new Set(["a", "c"]));
    const result = await isolateCulprits(batch, parse);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.restored.map((m) => m.name)).toEqual([]);
    expect(result.reSkipped.map((r) => [r.model.name, r.reason])).toEqual([
      ["a", "dbt parse: depends on 'ghost', which dbt cannot find"],
      ["b", "needs a, which was re-skipped"],
      ["e", "needs b, which was re-skipped"],
      ["c", "dbt parse: depends on 'ghost', which dbt cannot find"],
      ["d", "needs c, which was re-skipped"],
    ]);
    expect(result.parseRuns).toBe(3);
    expect(calls[2]).toEqual([]);
  });

  it("an error that names no batch model is found by bisecting prefixes of the restore order", async () => {
    const batch = ["a", "b", "c", "d", "e", "f", "g", "h"].map((n) => model(n));
    const { parse } = fakeDbt(new Set(["f"]), new Set(["f"]));
    const result = await isolateCulprits(batch, parse);
    expect(result.ok && result.restored.map((m) => m.name)).toEqual(["a", "b", "c", "d", "e", "g", "h"]);
    expect(result.reSkipped.map((r) => r.model.name)).toEqual(["f"]);
    expect(result.reSkipped[0]!.reason).toMatch(/^dbt parse fails once it is restored: Compilation Error/);
    // 1 full parse + log2(8) bisect steps + 1 confirming parse.
    expect(result.parseRuns).toBeLessThanOrEqual(1 + 3 + 1 + 1);
  });

  it("a project broken before any restore is reported, not blamed on a model", async () => {
    const { parse } = fakeDbt(new Set(), new Set(), true);
    const result = await isolateCulprits([model("a"), model("b")], parse);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^dbt parse fails with none of the paused models restored/);
    expect(result.reSkipped).toEqual([]);
  });

  it("a fatal dbt failure stops the search", async () => {
    const result = await isolateCulprits([model("a")], async () => ({ ok: false, fatal: "dbt timed out after 600 s" }));
    expect(result).toEqual({ ok: false, error: "dbt timed out after 600 s", reSkipped: [], parseRuns: 1 });
  });

  it("property: with k named culprits, at most k + 1 parses, and every culprit and its dependents are re-skipped", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }), fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: Math.min(10, n) }))),
        async ([n, deps, badIdx]) => {
          const names = Array.from({ length: n }, (_, i) => `m${String(i).padStart(3, "0")}`);
          // Edges only to earlier models: the batch is in restore order.
          const batch = names.map((name, i) => model(name, i === 0 ? [] : [...new Set(deps[i]!.map((d) => names[d % i]!))]));
          const bad = new Set(badIdx.map((i) => names[i]!));
          const { parse } = fakeDbt(bad);
          const result = await isolateCulprits(batch, parse);
          if (!result.ok) return false;
          const dropped = new Set(result.reSkipped.map((r) => r.model.name));
          const culprits = result.reSkipped.filter((r) => !r.reason.startsWith("needs ")).length;
          const closed = result.restored.every((m) => m.needs.every((d) => !dropped.has(d)));
          return result.parseRuns <= culprits + 1 && culprits <= bad.size && [...bad].every((b) => dropped.has(b)) && closed;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("dropWithDependents (the step restore's compile loop shares with the parse search)", () => {
  it("takes the culprit and every model needing it, directly or through another dropped one; keeps the rest in order", () => {
    const active = [model("a"), model("b", ["a"]), model("c"), model("d", ["b", "c"]), model("e", ["c"])];
    const step = dropWithDependents(active, active[0]!, "dbt compile: boom", (need) => `needs ${need}, which was re-skipped`);
    expect(step.kept.map((m) => m.name)).toEqual(["c", "e"]);
    expect(step.dropped.map((d) => [d.model.name, d.reason])).toEqual([
      ["a", "dbt compile: boom"],
      ["b", "needs a, which was re-skipped"],
      ["d", "needs b, which was re-skipped"],
    ]);
  });
});
