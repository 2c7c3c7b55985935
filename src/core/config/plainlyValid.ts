// The two configuration schemas (configSchema.ts) written out as plain checks, so that a valid file
// (nearly every run) needs no ajv: compiling a schema costs 25–40 ms of start-up. Each check gives
// exactly ajv's verdict on the same data (test/core/config/plainlyValid.test.ts holds them to it
// on random data); only an invalid file goes to ajv, which describes what is wrong.
// Keep these in step with configSchema.ts.

import { PLAIN_NAME } from "../plainName.js";

// ajv tests `pattern` with the `u` flag.
const BRANCH_PREFIX = /^[A-Za-z0-9._/-]+$/u;
const DIMENSION_NAME = new RegExp(PLAIN_NAME.source, "u");

const FILE_KEYS = new Set(["project-dir", "dimensions-output", "branch-prefix", "dimension-tag-pattern", "restore-disabled", "vars", "target", "dimensions"]);

/** ajv's `type: "object"`. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ type: "string", minLength: 1 }` (a non-empty string has at least one code point). */
function isName(value: unknown): boolean {
  return typeof value === "string" && value.length > 0;
}

/** `{ type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }`. */
function isNameList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(isName);
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isBranchPrefix(value: unknown): boolean {
  return isName(value) && BRANCH_PREFIX.test(value as string);
}

/** SEED_CONFIG_SCHEMA: only the keys we read are checked. */
export function isPlainlyValidSeed(data: unknown): boolean {
  if (!isObject(data)) return false;
  const { paths, git } = data;
  if (paths !== undefined) {
    if (!isObject(paths)) return false;
    if (!optional(paths.dbt_repository, isName) || !optional(paths.dimensions_output, isName)) return false;
  }
  if (git !== undefined) {
    if (!isObject(git) || !optional(git.branch_prefix, isBranchPrefix)) return false;
  }
  return true;
}

/** CONFIG_FILE_SCHEMA. */
export function isPlainlyValidFile(data: unknown): boolean {
  if (!isObject(data)) return false;
  // ajv's additionalProperties walks the keys with for...in.
  for (const key in data) if (!FILE_KEYS.has(key)) return false;
  const dir = data["project-dir"];
  // oneOf of a string and an array: the two cannot both match.
  if (dir !== undefined && !isName(dir) && !isNameList(dir)) return false;
  if (!optional(data["dimensions-output"], isName)) return false;
  if (!optional(data["branch-prefix"], isBranchPrefix)) return false;
  if (!optional(data["dimension-tag-pattern"], isName)) return false;
  if (!optional(data["restore-disabled"], (value) => typeof value === "boolean")) return false;
  if (!optional(data.vars, isObject)) return false;
  const target = data.target;
  if (target !== undefined && (!isObject(target) || !optional(target.name, isName) || !optional(target.type, isName))) return false;
  const dimensions = data.dimensions;
  if (dimensions === undefined) return true;
  if (!isObject(dimensions)) return false;
  for (const name in dimensions) {
    if (!DIMENSION_NAME.test(name)) return false;
    const dimension = dimensions[name];
    if (!isObject(dimension)) return false;
    for (const key in dimension) if (key !== "paths") return false;
    if (!isNameList(dimension.paths)) return false;
  }
  return true;
}
