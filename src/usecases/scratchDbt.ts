import { dbtErrorCulprits, dbtErrorText } from "../core/dbt/dbtErrorCulprits.js";
import type { ParseOutcome } from "../core/restore/isolateCulprits.js";
import type { DbtContext, DbtInstallation, DbtRunResult } from "./dbtRun.js";

/** How dbt runs in a scratch copy: as against the project, but where it runs is the copy's. */
export type ScratchContext = Omit<DbtContext, "projectDir">;

/** How dbt runs while a restore, a pause or a plan is proven; dbt's errors are echoed to `progress`. */
export interface ScratchDbtInput extends ScratchContext {
  progress: (line: string) => void;
}

/**
 * How dbt is run, as one comparable text: the command, the profiles folder and target asked for
 * (before the project's own profiles.yml is defaulted in, which every scratch copy does alike) and
 * the variable names passed through. Two runs with the same key on the same files parse alike.
 */
export function dbtSettingsKey(settings: { dbt: DbtInstallation; profilesDir?: string | undefined; target?: string | undefined; extraEnv?: readonly string[] | undefined }): string {
  return JSON.stringify({ command: settings.dbt.command, profilesDir: settings.profilesDir ?? null, target: settings.target ?? null, extraEnv: [...(settings.extraEnv ?? [])].sort() });
}

/**
 * Where a scratch copy is made from: the dbt project folder, inside the repository `root`. The copy
 * holds the project and every folder its dbt_project.yml names (`../shared/macros`), never more of
 * the repository than that.
 */
export interface ScratchPlace {
  root: string;
  projectRoot: string;
}

export type ScratchDbt = (args: string[]) => Promise<DbtRunResult>;

/** The throwaway copy a `ScratchCopies` hands to its work: which paused files it has under their real names, and dbt's manifest in its own target folder. */
export interface ScratchCopy {
  /** Exactly these of `all` under their real names (restored), the rest of `all` paused. */
  setRestored(models: readonly ScratchFile[], all: readonly ScratchFile[]): Promise<void>;
  /** Exactly these of `all` paused, the rest of `all` under their real names. */
  setPaused(models: readonly ScratchFile[], all: readonly ScratchFile[]): Promise<void>;
  /** These files under their real names, whether the tree has them paused or not. */
  useRealNames(files: readonly ScratchFile[]): Promise<void>;
  /** dbt's manifest.json of the copy (parsed JSON), or null when there is none. */
  readManifest(): Promise<unknown | null>;
  /** Removes the copy's manifest.json, so the next one read is the next run's. */
  clearManifest(): Promise<void>;
}

/** A model file as a scratch copy moves it: its paused and its real name, relative to the dbt project. */
export interface ScratchFile {
  skipFile: string;
  realFile: string;
}

/**
 * "Prove in a scratch copy": `work` gets a throwaway copy of the dbt project and a dbt that runs in
 * it, so dbt never touches the user's tree; the copy is removed afterwards, whatever happened.
 * Restore, pause and plan all run dbt through one. `adapters/dbt/scratchCopies.ts` is the real one;
 * a test can hand in another.
 */
export type ScratchCopies = <T>(at: ScratchPlace, input: ScratchDbtInput, work: (copy: ScratchCopy, dbt: ScratchDbt) => Promise<T>) => Promise<T>;

/** What one dbt run says, as culprit isolation reads it: green, rejected (with the files it names), or dbt failing to run. */
export function toOutcome(result: DbtRunResult, command: string, timeoutMs: number): ParseOutcome {
  if (result.exitCode === 0) return { ok: true };
  if (result.timedOut) return { ok: false, fatal: `dbt ${command} timed out after ${Math.round(timeoutMs / 1000)} s` };
  if (result.killedBy) return { ok: false, fatal: `dbt ${command} was killed (${result.killedBy})` };
  const message = dbtErrorText(result.events);
  const lock = duckdbLockHolder(message);
  if (lock) return { ok: false, fatal: duckdbLockText(command, lock) };
  // Exit 2 with an error event is dbt rejecting the project; anything else is dbt failing to run.
  if (!message) {
    const tail = result.otherOutput.trim().split("\n").slice(-5).join("\n");
    return { ok: false, fatal: `dbt ${command} failed (exit ${result.exitCode ?? "none"}) without an error event:\n${tail}` };
  }
  return { ok: false, culprits: dbtErrorCulprits(message), message };
}

/**
 * DuckDB's refusal to open a file another process holds (`Could not set lock on file "F": Conflicting
 * lock is held in P (PID N)`): the file, and the holder as DuckDB names it. dbt's message carries a
 * long Python traceback around it; the scratch copy's `dbt compile` opens the profile's database, and
 * an absolute `path` in profiles.yml is the user's real warehouse file.
 */
export function duckdbLockHolder(message: string): { file: string; holder: string } | null {
  const match = /Could not set lock on file "([^"\n]+)": Conflicting lock is held in ([^\n]*?)(?:\. See also|\n|$)/.exec(message);
  return match?.[1] ? { file: match[1], holder: (match[2] ?? "").trim() || "another process" } : null;
}

function duckdbLockText(command: string, lock: { file: string; holder: string }): string {
  return [
    `dbt ${command} could not open the DuckDB database ${lock.file}: it is locked by ${lock.holder}.`,
    `dbt ${command} connects to the database your profile names, and DuckDB lets one process at a time have a file open for writing.`,
    "Close that process (a dbt run, a notebook, a SQL client) or wait for it to end, then run again.",
  ].join("\n");
}
