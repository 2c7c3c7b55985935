// The saved PR report's validator is generated at build time (scripts/schemaValidators.mjs); it must
// be ajv itself: the runtime validator compiled from the same schema with the same options gives
// the same verdict and the same (first) error on any data. The data are real saved reports with a
// few fields replaced or removed, since the hostile file is most likely nearly right.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script (JavaScript, no declarations)
import { generateValidators, VALIDATOR_MODULES } from "../../../scripts/schemaValidators.mjs";
import { diffReadiness } from "../../../src/core/readiness/diffReadiness.js";
import { parseSavedReport } from "../../../src/core/readiness/savedPullRequestReport.js";
import { SAVED_REPORT_JSON_SCHEMA, SAVED_REPORT_SCHEMA } from "../../../src/core/readiness/savedReportSchema.js";
import { validateSavedReport } from "../../../src/core/readiness/savedReportValidator.generated.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";

const ROOT = join(import.meta.dirname, "../../..");
const { options, out } = VALIDATOR_MODULES.savedReport as { options: { allErrors: boolean; strict: boolean }; out: { js: string; dts: string } };
const runtime = new Ajv(options).compile<unknown>(SAVED_REPORT_JSON_SCHEMA);

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
function outcome(validate: Validate, data: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(data);
  return { valid, errors: valid ? null : validate.errors };
}
function expectSame(data: unknown): boolean {
  const expected = outcome(runtime, data);
  expect([data, outcome(validateSavedReport, data)]).toEqual([data, expected]);
  return expected.valid;
}

/** A saved report with every part filled: newly ready (with causes), newly blocked, broken active models, restored. */
function savedReport(): Record<string, unknown> {
  const base = {
    "models/stg.sql": "select 1",
    "models/y.sql": "select 1",
    "models/r.sql.skip": "select 1",
    "models/a.sql.skip": "{{ ref('x') }}",
    "models/b.sql.skip": "{{ ref('y') }} {{ source('raw', 'events') }}",
    "models/c.sql": "{{ ref('gone') }}",
    "models/d.sql": "{{ ref('y') }}",
  };
  const head: Record<string, string> = { ...base, "models/x.sql": "select 1", "models/r.sql": "select 1" };
  delete head["models/y.sql"];
  delete head["models/r.sql.skip"];
  const diff = diffReadiness({
    base: reportOf(base),
    head: reportOf(head),
    changes: [
      { status: "A", path: "models/x.sql" },
      { status: "D", path: "models/y.sql" },
      { status: "R", from: "models/r.sql.skip", path: "models/r.sql" },
    ],
  });
  return JSON.parse(JSON.stringify({ schema: SAVED_REPORT_SCHEMA, pullRequest: { number: 7, baseSha: "a".repeat(40), headSha: "b".repeat(64) }, changed: true, diffs: [diff, diff] }));
}

/** Every path to a value in `data` (objects and arrays included), as keys. */
function paths(data: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(data)) return [...here, ...data.flatMap((v, i) => paths(v, [...at, i]))];
  if (data && typeof data === "object") return [...here, ...Object.entries(data).flatMap(([k, v]) => paths(v, [...at, k]))];
  return here;
}

const REPORT = savedReport();
const PATHS = paths(REPORT).filter((p) => p.length > 0);

// Values near the schema's edges: its enumerations and constants, bounds, wrong types.
const edge = fc.oneof(
  fc.constantFrom("ready", "blocked", "needs-investigation", "paused", "missing", "ref", "source", "A", "M", "D", "R", "C", "now-available", "reason-added", "pwned"),
  fc.constantFrom("", "x".repeat(4096), "x".repeat(4097), "😀".repeat(2049), "a".repeat(40), "A".repeat(40), "../../etc/passwd", SAVED_REPORT_SCHEMA, "<img src=x onerror=alert(1)>"),
  fc.constantFrom(0, 1, -1, 1.5, 2_147_483_647, 2_147_483_648, 10_000_000, 10_000_001, Number.NaN),
  fc.constantFrom(null, true, false, [], {}, [null], { kind: "now-available" }),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
);
const mutation = fc.record({ path: fc.constantFrom(...PATHS), value: fc.oneof(edge, fc.constant(undefined)) });
// Free text the schema bounds but does not restrict (names, files, messages): mostly still valid.
const TEXT_PATHS = PATHS.filter((p) => ["name", "file", "message", "reason", "dir"].includes(String(p.at(-1))));
const textChange = fc.record({ path: fc.constantFrom(...TEXT_PATHS), value: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("x".repeat(4096), "x".repeat(4097))) });

function mutated(changes: { path: (string | number)[]; value: unknown }[]): unknown {
  const data = structuredClone(REPORT);
  for (const { path, value } of changes) {
    let parent: unknown = data;
    for (const key of path.slice(0, -1)) parent = parent && typeof parent === "object" ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (!parent || typeof parent !== "object") continue;
    const last = path.at(-1)!;
    if (value === undefined && !Array.isArray(parent)) delete (parent as Record<string | number, unknown>)[last];
    else (parent as Record<string | number, unknown>)[last] = value ?? null;
  }
  return data;
}

describe("the generated saved-report validator is ajv's", () => {
  it("the whole report is valid, with every part present; fixed refusals keep their words", () => {
    const diff = (REPORT.diffs as Record<string, unknown[]>[])[0]!;
    for (const part of ["newlyReady", "newlyBlocked", "brokenActive", "restored", "headModels"]) expect([part, diff[part]!.length > 0]).toEqual([part, true]);
    expect(expectSame(REPORT)).toBe(true);
    for (const data of [null, [], "x", 3, {}, { ...REPORT, extra: 1 }, { ...REPORT, diffs: [] }]) expectSame(data);
    expect(parseSavedReport(JSON.stringify({ ...REPORT, schema: "other@1" }))).toEqual({ error: "not a dbt-unskip PR report: /schema must be equal to constant" });
    expect(parseSavedReport("[]")).toEqual({ error: "not a dbt-unskip PR report: / must be object" });
  });

  it("on saved reports with a few fields replaced or removed, and on anything", () => {
    let valid = 0;
    let invalid = 0;
    assertSeededThenFresh(
      fc.property(fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 3 }).map(mutated), fc.array(textChange, { minLength: 1, maxLength: 3 }).map(mutated), fc.anything()), (data) => {
        if (expectSame(data)) valid++;
        else invalid++;
      }),
      { numRuns: 3000, seed: 20261207 },
      () => expect([valid > 200, invalid > 600]).toEqual([true, true]),
    );
  });

  it("is what a fresh generation from savedReportSchema.ts writes, and compiles nothing when loaded", async () => {
    const fresh = await generateValidators(ROOT, "savedReport");
    for (const kind of ["js", "dts"] as const) expect(readFileSync(join(ROOT, out[kind]), "utf8")).toBe(fresh[kind]);
    const imports = [...fresh.js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["ajv/dist/runtime/ucs2length.js"]);
    expect(fresh.js).not.toMatch(/new Ajv|\.compile\(/);
    // savedPullRequestReport.ts no longer loads ajv's compiler.
    expect(readFileSync(join(ROOT, "src/core/readiness/savedPullRequestReport.ts"), "utf8")).not.toMatch(/from "ajv"/);
  });
});
