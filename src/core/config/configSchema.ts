import type { FromSchema } from "json-schema-to-ts";
import { PLAIN_NAME } from "../plainName.js";

// JSON Schema of `.github/dbt-unskip.yml`. Kebab-case keys, as in the Action's inputs.
export const CONFIG_FILE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    "project-dir": {
      description: "dbt project folder(s) relative to the repository root; globs allowed",
      oneOf: [
        { type: "string", minLength: 1 },
        { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
      ],
    },
    "dimensions-output": { type: "string", minLength: 1, description: "folder of the state documents" },
    "branch-prefix": { type: "string", minLength: 1, pattern: "^[A-Za-z0-9._/-]+$" },
    "dimension-tag-pattern": { type: "string", minLength: 1 },
    "restore-disabled": { type: "boolean" },
    vars: { type: "object", description: "var() values, as dbt's --vars (they win over dbt_project.yml vars)" },
    target: {
      type: "object",
      description: "what target.* holds when dbt runs (name, type, schema, ...); unset: target.* is not known",
      properties: { name: { type: "string", minLength: 1 }, type: { type: "string", minLength: 1 } },
    },
    dimensions: {
      type: "object",
      propertyNames: { pattern: PLAIN_NAME.source },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["paths"],
        properties: { paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } },
      },
    },
  },
} as const;

// The seed teams' project.config.json: only the keys we read are checked; others are theirs.
export const SEED_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    paths: {
      type: "object",
      properties: {
        dbt_repository: { type: "string", minLength: 1 },
        dimensions_output: { type: "string", minLength: 1 },
      },
    },
    git: {
      type: "object",
      properties: { branch_prefix: { type: "string", minLength: 1, pattern: "^[A-Za-z0-9._/-]+$" } },
    },
  },
} as const;

/** `.github/dbt-unskip.yml` as the schema admits it (the types follow the schema; they cannot drift). */
export type ConfigFile = FromSchema<typeof CONFIG_FILE_SCHEMA>;
/** The keys of `project.config.json` the schema checks. */
export type SeedConfig = FromSchema<typeof SEED_CONFIG_SCHEMA>;
