import type { DbtEvent } from "../core/dbt/dbtEvent.js";

/**
 * What the dbt ports (`ScratchCopies`, `WarehouseDbt`) speak: which dbt, how one command of it runs
 * against a project, and what one run says. `adapters/dbt` implements them (findDbt, spawnDbt,
 * invokeDbt); the use cases only name them.
 */

/** The dbt found for this run (findDbt). */
export interface DbtInstallation {
  command: string;
  version: string;
  /** `false` when `UNSKIP_DBT_FORK_SERVER=0`: every dbt call starts dbt the plain way (spawnDbt's `forkServer`). */
  forkServer?: false;
}

/** Everything a dbt command against one project needs, decided once at the edge. */
export interface DbtContext {
  dbt: DbtInstallation;
  /** Absolute; dbt runs with it as the working directory. */
  projectDir: string;
  profilesDir?: string | undefined;
  target?: string | undefined;
  timeoutMs: number;
  /** Variable names passed through to dbt on top of the allow-list (warehouse credentials). */
  extraEnv?: readonly string[] | undefined;
  /** Variables set for dbt (tests point the DuckDB path here). */
  setEnv?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Wraps each dbt run (the CLI marks dbt as running, so its interrupt line names dbt only then). */
  around?: (<T>(run: () => Promise<T>) => Promise<T>) | undefined;
}

/** What one dbt run says (spawnDbt). */
export interface DbtRunResult {
  exitCode: number | null;
  /** The signal that ended dbt, when it was killed. */
  killedBy: NodeJS.Signals | null;
  timedOut: boolean;
  events: DbtEvent[];
  /** Output that was not a JSON event (a traceback when dbt crashes), last 64 KB. */
  otherOutput: string;
  invocation: string[];
}
