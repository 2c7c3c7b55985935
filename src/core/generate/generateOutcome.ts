import type { InferredType, Misfit } from "../csv/csvProfile.js";
import type { GenerateMode } from "./columnPlan.js";
import type { Dialect } from "./dialect.js";
import { generateCommands } from "./generateCommands.js";
import type { GenerateContext } from "./generateContext.js";
import type { ReadinessGain } from "./readinessGain.js";
import { relationExpression } from "./renderValidationSql.js";

/** The result of `dbt-unskip generate` (its `--json` form: fields may be added, never renamed). */
export interface GenerateOutcome {
  /** `cancelled`: the user said no; nothing was written. */
  result: "generated" | "cancelled";
  csv: {
    /** As given, relative to where the command ran when it was relative. */
    path: string;
    rows: number;
    bom: boolean;
    lineEndings: "lf" | "crlf" | "mixed" | "none";
    /** Which values load as NULL (see docs/generate.md). */
    nullPolicy: string;
  };
  target: {
    as: GenerateMode;
    dialect: Dialect;
    name: string;
    /** Source mode. */
    source: string | null;
    schema: string | null;
    /** Source mode with --model. */
    model: string | null;
    /** How SQL names it: `{{ ref('x') }}` for a seed, `"schema"."table"` for a source. */
    relation: string;
  };
  columns: {
    name: string;
    /** Its name in the warehouse (upper case on Snowflake when simple). */
    physical: string;
    sqlType: string;
    inferred: InferredType;
    nulls: number;
    notNull: boolean;
    notes: string[];
    misfit: Misfit | null;
  }[];
  key: { column: string; proof: "exact" | "hash" | "sorted" } | null;
  keyNotes: string[];
  /** Written (or, when cancelled, that would have been), relative to the repository root when inside it. */
  files: { path: string; role: FileRole }[];
  readiness: ReadinessGain;
  /** Things to know before loading (a seed too large for dbt seed, say). */
  warnings: string[];
  /** Commands to run next, in order. */
  next: string[];
  /** Commands that undo it. */
  undo: string[];
}

export type FileRole = "seed-csv" | "properties" | "model" | "load" | "validate" | "rollback-sql" | "rollback-script" | "summary";

/** The outcome of a generation (files are listed once they are rendered). */
/** dbt seed reads the whole file into memory (agate) before loading it; past this, a source is the better tool. */
export const LARGE_SEED_BYTES = 50 * 1024 * 1024;

/**
 * `restoreRefused`: dimensions whose restore would be refused (the report's `restoreRefused` message,
 * by name): no restore command for them, a shell comment saying what to change first instead.
 */
export function generateOutcomeOf(ctx: GenerateContext, input: { csvDisplay: string; csvBytes: number; readiness: ReadinessGain; restoreRefused?: ReadonlyMap<string, string> | undefined }): GenerateOutcome {
  const { profile } = ctx;
  const dimensions = [...new Set(input.readiness.newlyReady.flatMap((m) => (m.dimension ? [m.dimension] : [])))].sort();
  const refused = dimensions.flatMap((d) => {
    const why = input.restoreRefused?.get(d);
    return why === undefined ? [] : [`# ${d}: ${why}`];
  });
  const commands = generateCommands(
    ctx,
    dimensions.filter((d) => !input.restoreRefused?.has(d)),
  );
  const source = ctx.mode === "source";
  return {
    result: "generated",
    csv: { path: input.csvDisplay, rows: profile.rows, bom: profile.bom, lineEndings: profile.lineEndings, nullPolicy: profile.nullPolicy },
    target: {
      as: ctx.mode,
      dialect: ctx.dialect,
      name: ctx.name,
      source: source ? ctx.sourceName : null,
      schema: source ? ctx.schema : null,
      model: ctx.model,
      relation: relationExpression(ctx),
    },
    columns: ctx.columns.map((c) => ({
      name: c.header,
      physical: c.physical,
      sqlType: c.sqlType,
      inferred: c.profile.type,
      nulls: c.profile.nulls,
      notNull: c.notNull,
      notes: [...c.profile.notes, ...c.notes],
      misfit: c.profile.misfit,
    })),
    key: profile.key,
    keyNotes: profile.keyNotes,
    files: [],
    readiness: input.readiness,
    warnings:
      ctx.mode === "seed" && input.csvBytes > LARGE_SEED_BYTES
        ? [`${Math.round(input.csvBytes / 1024 / 1024)} MB is large for a seed: dbt seed reads the whole file into memory and is meant for small, static tables; consider --as source`]
        : [],
    next: [...commands.next, ...refused],
    undo: commands.undo,
  };
}
