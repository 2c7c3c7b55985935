import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script (JavaScript, no declarations)
import { generateValidators, VALIDATOR_MODULES } from "../../../scripts/schemaValidators.mjs";
import { CONFIG_FILE_SCHEMA, SEED_CONFIG_SCHEMA } from "../../../src/core/config/configSchema.js";
import { validateConfigFile, validateSeedConfig } from "../../../src/core/config/configValidators.generated.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";

// The validators generated at build time must be ajv itself: the runtime validator compiled from
// the same schema with the same options gives the same verdict and the same errors on any data.
const ROOT = join(import.meta.dirname, "../../..");
const { options: AJV_OPTIONS, out: GENERATED } = VALIDATOR_MODULES.config as { options: { allErrors: boolean; strict: boolean }; out: { js: string; dts: string } };
const ajv = new Ajv(AJV_OPTIONS);
const ajvFile = ajv.compile<unknown>(CONFIG_FILE_SCHEMA);
const ajvSeed = ajv.compile<unknown>(SEED_CONFIG_SCHEMA);

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
function outcome(validate: Validate, data: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(data);
  return { valid, errors: valid ? null : validate.errors };
}
function expectSame(generated: Validate, runtime: Validate, data: unknown): boolean {
  const expected = outcome(runtime, data);
  expect([data, outcome(generated, data)]).toEqual([data, expected]);
  return expected.valid;
}

// Values near the schemas' edges: empty strings, names that do and do not match the patterns,
// astral and lone-surrogate strings, empty and mixed arrays, other types.
const scalar = fc.oneof(
  fc.constantFrom("", "x", "warehouse", "migrate/", "resume/", "x; rm -rf /", "a b", "dim_user", "dim-user", "^dim_", "😀", "\uD800", "models/**", "é"),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.integer({ min: -2, max: 2 }),
  fc.constant(null),
);
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(fc.oneof(scalar, tie("value")), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("paths", "globs", "dim_user", "dim-x", "a"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const nameList = fc.array(fc.oneof(fc.constantFrom("models/**", "a", ""), scalar), { maxLength: 3 });
const dimensions = fc.dictionary(
  fc.constantFrom("dim_user", "dim_order", "dim-bad", "", "__proto__", "x y", "D9"),
  fc.oneof(fc.record({ paths: fc.oneof(nameList, value) }, { requiredKeys: [] }), fc.record({ paths: nameList, globs: value }, { requiredKeys: ["paths"] }), value),
  { maxKeys: 3 },
);
// Files that are valid but for one slip at most, which the mixes above rarely write.
const nearlyValidFile = fc.record(
  {
    "project-dir": fc.oneof(fc.constantFrom("warehouse", "é", ""), fc.array(fc.constantFrom("a", "models/**"), { minLength: 1, maxLength: 2 })),
    "branch-prefix": fc.constantFrom("migrate/", "x-y.z_", "migrate/", "a b"),
    "dimension-tag-pattern": fc.constantFrom("^dim_", "(["),
    "restore-disabled": fc.boolean(),
    dimensions: fc.dictionary(
      fc.constantFrom("dim_user", "D9", "dim_order", "dim-x"),
      fc.record({ paths: fc.array(fc.constantFrom("a", "b/**", "a", ""), { minLength: 0, maxLength: 2 }), globs: fc.constant(["c"]) }, { requiredKeys: [] }),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);
const configFile = fc.oneof(
  nearlyValidFile,
  nearlyValidFile,
  fc.record(
    {
      "project-dir": fc.oneof(scalar, nameList, value),
      "dimensions-output": fc.oneof(scalar, value),
      "branch-prefix": fc.oneof(scalar, value),
      "dimension-tag-pattern": fc.oneof(scalar, value),
      "restore-disabled": fc.oneof(fc.boolean(), scalar),
      dimensions: fc.oneof(dimensions, value),
      branch_prefix: scalar,
      other: value,
    },
    { requiredKeys: [] },
  ),
  value,
  fc.anything(),
);
const seedConfig = fc.oneof(
  fc.record(
    {
      paths: fc.oneof(fc.record({ dbt_repository: fc.oneof(scalar, value), dimensions_output: fc.oneof(scalar, value), other: value }, { requiredKeys: [] }), value),
      git: fc.oneof(fc.record({ branch_prefix: fc.oneof(scalar, value), other: value }, { requiredKeys: [] }), value),
      other: value,
    },
    { requiredKeys: [] },
  ),
  value,
  fc.anything(),
);

describe("the generated configuration validators are ajv's", () => {
  it("on fixed cases, the example's project.config.json among them", () => {
    const files: unknown[] = [
      {},
      { "project-dir": "warehouse", "branch-prefix": "migrate/", "restore-disabled": false },
      { "project-dir": ["warehouse", "marts/*"], dimensions: { dim_user: { paths: ["models/user/**"] } } },
      { "project-dir": [] },
      { "project-dir": "" },
      { "project-dir": 42 },
      { "project-dir": ["a", ""] },
      { "branch-prefix": "x; rm -rf /" },
      { branch_prefix: "x/" },
      { dimensions: { "dim-user": { paths: ["a"] } } },
      { dimensions: { dim_user: {} } },
      { dimensions: { dim_user: { paths: ["a"], globs: ["b"] } } },
      { dimensions: { dim_user: { paths: [] } } },
      { dimensions: [] },
      { "restore-disabled": "yes" },
      { vars: [], target: { name: "", type: 3 } },
      [],
      null,
      "x",
      JSON.parse('{"__proto__": {"paths": ["a"]}}'),
      JSON.parse('{"dimensions": {"__proto__": {"paths": ["a"]}}}'),
    ];
    for (const data of files) expectSame(validateConfigFile, ajvFile, data);
    const example = JSON.parse(readFileSync(join(ROOT, "examples/warehouse-migration/project.config.json"), "utf8"));
    const seeds: unknown[] = [
      example,
      {},
      { paths: { dbt_repository: "dbt", dimensions_output: "docs" }, git: { branch_prefix: "resume/" }, other: 1 },
      { paths: { dbt_repository: "" } },
      { paths: [] },
      { git: { branch_prefix: "a b" } },
      { git: null },
      { paths: { dbt_repository: 1 } },
      [],
      null,
      3,
    ];
    for (const data of seeds) expectSame(validateSeedConfig, ajvSeed, data);
    expect(validateSeedConfig(example)).toBe(true);
  });

  it("on random configuration files, valid and not", () => {
    let valid = 0;
    assertSeededThenFresh(
      fc.property(configFile, (data) => {
        if (expectSame(validateConfigFile, ajvFile, data)) valid++;
      }),
      { numRuns: 3000, seed: 20261207 },
      () => expect(valid).toBeGreaterThan(100),
    );
  });

  it("on random seed configurations, valid and not", () => {
    let valid = 0;
    assertSeededThenFresh(
      fc.property(seedConfig, (data) => {
        if (expectSame(validateSeedConfig, ajvSeed, data)) valid++;
      }),
      { numRuns: 3000, seed: 20261207 },
      () => expect(valid).toBeGreaterThan(150),
    );
  });

  it("are what a fresh generation from configSchema.ts writes, and compile nothing when loaded", async () => {
    const fresh = await generateValidators(ROOT, "config");
    for (const kind of ["js", "dts"] as const) expect(readFileSync(join(ROOT, GENERATED[kind]), "utf8")).toBe(fresh[kind]);
    // The module imports only ajv's runtime helpers (no Ajv class, so no schema compile at start-up).
    const imports = [...fresh.js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["ajv/dist/runtime/ucs2length.js"]);
    expect(fresh.js).not.toMatch(/new Ajv|\.compile\(/);
  });
});
