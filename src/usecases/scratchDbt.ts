import { dbtErrorHeadline } from "../core/dbt/dbtErrorHeadline.js";
import { join } from "node:path";
import { dbtErrorCulprits, dbtErrorText } from "../core/dbt/dbtErrorCulprits.js";
import type { ParseOutcome } from "../core/restore/isolateCulprits.js";
import { defaultProfilesDir, invokeDbt, type DbtContext } from "../adapters/dbt/dbtContext.js";
import type { DbtInstallation } from "../adapters/dbt/findDbt.js";
import type { DbtRunResult } from "../adapters/dbt/spawnDbt.js";
import { ScratchProject } from "../adapters/dbt/scratchProject.js";

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

/**
 * "Prove in a scratch copy": `work` gets a throwaway copy of the dbt project and a dbt that runs in
 * it, so dbt never touches the user's tree (a crash, a timeout or a kill leaves it as it was). The
 * copy is removed afterwards, whatever happened. The project's own `profiles.yml` is used when it
 * has one and no `--profiles-dir` was given; dbt's target and log folders, and its partial parsing
 * state, are the copy's. Restore,
 * pause and plan all run dbt through here.
 */
export async function inScratchCopy<T>(at: ScratchPlace, input: ScratchDbtInput, work: (scratch: ScratchProject, dbt: ScratchDbt, targetPath: string) => Promise<T>): Promise<T> {
  const { projectRoot } = at;
  const scratch = await ScratchProject.create(projectRoot, at.root);
  try {
    const ctx: DbtContext = {
      ...input,
      projectDir: scratch.dir,
      profilesDir: await defaultProfilesDir(projectRoot, input.profilesDir, scratch.dir),
      // With DBT_PARTIAL_PARSE_FILE_PATH set, a partial parse reads the user's partial_parse.msgpack,
      // not the one the copy's last parse wrote (tried with dbt 1.11: "1 files added" instead of none),
      // so the compile after a green parse would not read that parse's state. Empty is unset to dbt.
      setEnv: { ...input.setEnv, DBT_PARTIAL_PARSE_FILE_PATH: "", DBT_ENGINE_PARTIAL_PARSE_FILE_PATH: "" },
    };
    // Every run writes into the scratch copy's own target folder: an absolute DBT_TARGET_PATH (or
    // target-path) would otherwise send manifest.json and partial_parse.msgpack into the user's. It is
    // dbt's default place in the copy, where a profile's relative `path: target/x.duckdb` expects it.
    const targetPath = join(scratch.dir, "target");
    // Likewise dbt.log: an absolute DBT_LOG_PATH (or log-path in dbt_project.yml) would append every
    // scratch run's log to the user's own. The flag wins over both; `logs` is dbt's default in the copy.
    const logPath = join(scratch.dir, "logs");
    const dbt: ScratchDbt = (args) =>
      invokeDbt(ctx, [...args, "--target-path", targetPath, "--log-path", logPath], (event) => {
        if (event.name === "MainEncounteredError" || event.level === "error") input.progress(`  dbt: ${dbtErrorHeadline(event.msg)}`);
      });
    return await work(scratch, dbt, targetPath);
  } finally {
    await scratch.dispose();
  }
}

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
