import type { DbtEvent } from "../core/dbt/dbtEvent.js";
import type { DbtContext } from "./dbtRun.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";

/** How dbt runs against the user's own project: as `DbtContext`, the project folder set by the use case. */
export type WarehouseDbtSettings = Omit<DbtContext, "projectDir">;

/** One dbt command's end: its exit code, and why it failed in one readable line ("dbt run failed: ..."), read only when the exit code is not 0. */
export interface WarehouseDbtResult {
  exitCode: number | null;
  failure: string;
}

/** A relation as the warehouse names it, for `probeRelations`. */
export interface RelationAddress {
  database: string | null;
  schema: string;
  identifier: string;
}

export type ShowResult = { ok: true; rows: Record<string, unknown>[] } | { ok: false; error: string };

/**
 * What run, backfill and rollback do with dbt in the user's project (its warehouse, its target
 * folder) and with the plan's rollback.sh, as a port: the entry point hands in the real one
 * (`localWarehouseDbt`, adapters/localWarehouseDbt.ts) once; a test may stand in.
 */
export interface WarehouseDbt {
  /** Runs `dbt ARGS` in `ctx.projectDir`; `onEvent` sees dbt's JSON events as they come. */
  invoke(ctx: DbtContext, args: string[], onEvent?: (event: DbtEvent) => void): Promise<WarehouseDbtResult>;
  /** The folder dbt writes its artifacts to for the project at `projectDir`. */
  targetDir(projectDir: string): Promise<string>;
  /** manifest.json in `target` (parsed JSON), or null when there is none. */
  readManifest(target: string): Promise<unknown | null>;
  /** run_results.json in `target` (parsed JSON), or null when there is none. */
  readRunResults(target: string): Promise<unknown | null>;
  /** One query through `dbt show`, its rows. */
  showQuery(ctx: DbtContext, input: { sql: string; jinja?: boolean }): Promise<ShowResult>;
  /** Which of these relations exist, in order. */
  probeRelations(ctx: DbtContext, relations: readonly RelationAddress[]): Promise<{ ok: true; present: boolean[] } | { ok: false; error: string }>;
  /** One statement run in the warehouse through dbt. */
  runSql(ctx: DbtContext, sql: string): Promise<{ ok: true } | { ok: false; error: string }>;
  /** `work` gets the path of an executable script holding `text`, removed afterwards whatever happened. */
  withScript<T>(name: string, text: string, work: (script: string) => Promise<T>): Promise<T>;
  /** Runs a generated script (rollback.sh) with /bin/sh in `cwd`, in its own process group; its output collected. */
  runScript(input: { script: string; args: string[]; cwd: string }): Promise<{ exitCode: number | null; output: string }>;
}

/** What run and rollback both take to act on one dimension in the user's project (each adds its own). */
export interface DimensionWarehouseInput {
  root: string;
  config: UnskipConfig;
  dimension: string;
  /** dbt against the real project (its working directory is set by the use case). */
  dbt: WarehouseDbtSettings;
  /** dbt in the user's project, its artifacts and rollback.sh: the entry point hands in the real one (localWarehouseDbt). */
  warehouse: WarehouseDbt;
  secrets: readonly string[];
  progress: (line: string) => void;
}
