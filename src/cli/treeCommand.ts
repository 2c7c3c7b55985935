import type { ParseArgsConfig } from "node:util";
import { findDbt, type DbtInstallation } from "../adapters/dbt/findDbt.js";
import { localTreePorts } from "../adapters/localTreePorts.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { checkNames, type CliCommand, type CliIo } from "./cliCommand.js";
import { timeoutOption } from "./dbtCommandContext.js";
import { guardInterrupts, interruptExitCode, type SignalSource, stoppedJson } from "./interruptGuard.js";
import { startCommand, type CommandStart } from "./startCommand.js";
import { toolRoot } from "./toolRoot.js";
import type { ScratchCopies } from "../usecases/scratchDbt.js";
import type { TreeChangePorts } from "../usecases/treeChangePorts.js";

/** The options `restore` and `pause` share (each adds its own). */
export const TREE_COMMAND_OPTIONS = {
  dimension: { type: "string" },
  models: { type: "string" },
  yes: { type: "boolean", short: "y", default: false },
  timeout: { type: "string" },
} as const;

export type TreeCommandStart = CommandStart<ReturnType<typeof checkModelsAndTimeout>, "required"> & { dbt: DbtInstallation };

/**
 * What `restore` and `pause` both hand their use case: the tree and dimension, dbt's settings (the
 * profiles folder as `--profiles-dir` gave it, already absolute), today's date, and the progress
 * lines, the interrupt signal and the transaction's steps, and the real disk, git and scratch copies.
 */
export interface TreeUseCaseInput extends TreeChangePorts {
  root: string;
  config: UnskipConfig;
  dimension: string;
  models: string[] | undefined;
  dbt: DbtInstallation;
  profilesDir: string | undefined;
  target: string | undefined;
  timeoutMs: number;
  today: string;
  signal: AbortSignal;
  onStep: (step: string) => void;
  progress: (line: string) => void;
}

/**
 * The start `restore` and `pause` share: the common options, these and `extra`; `--dimension`
 * required; `--models` and `--timeout` checked; then dbt found. Undefined after `--help`.
 */
export async function startTreeCommand(command: Pick<CliCommand, "name" | "help">, argv: string[], io: CliIo, extra: NonNullable<ParseArgsConfig["options"]>): Promise<TreeCommandStart | undefined> {
  const start = await startCommand(command, argv, io, { options: { ...TREE_COMMAND_OPTIONS, ...extra }, dimension: "required", check: checkModelsAndTimeout });
  if (!start) return undefined;
  return Object.assign(start, { dbt: await findDbt({ explicit: start.common.dbt, repoRoot: start.root, toolRoot: toolRoot() }) });
}

/** `--models` as names and `--timeout` as seconds (default 600), or a UserError saying which is wrong. */
export function checkModelsAndTimeout(values: Record<string, unknown>): { models: string[] | undefined; timeoutSeconds: number } {
  const models = checkNames("--models", values.models as string | undefined);
  return { models, timeoutSeconds: timeoutOption(values.timeout, 600) };
}

/**
 * Runs a command that proves a change with dbt and then applies it as one tree transaction (restore,
 * pause), with Ctrl-C and SIGTERM guarded (every repeat absorbed until the end): before the tree is
 * touched dbt is stopped and nothing is applied; once the transaction has begun it is undone or,
 * past its last step, complete. `run` gets what both use cases take (`TreeUseCaseInput`). The
 * report is printed; after an interrupt `ending` says truthfully which way it went, and the exit is
 * 130 (SIGINT) or 143 (SIGTERM), whichever way it went.
 */
export async function runTreeCommand<O extends { result: string; error: string | null }>(
  start: TreeCommandStart,
  spec: {
    /** "restore" or "pause", for the interrupt messages. */
    noun: string;
    run: (input: TreeUseCaseInput) => Promise<O>;
    render: (outcome: O) => string;
    exit: Record<O["result"], number>;
    /** The last line after an interrupt; `null` when the run was stopped before it had an outcome. */
    ending: (signal: NodeJS.Signals, outcome: O | null) => string;
    /** Where signals come from (tests); the process by default. */
    signals?: SignalSource;
    /** The disk, git and scratch copies (tests stand in); the real ones by default. */
    ports?: TreeChangePorts;
  },
): Promise<number> {
  const { log } = start;
  const { noun } = spec;
  // "checks": the git checks, the question, between dbt runs (no dbt running); "dbt": a scratch
  // dbt is running; "prepare", "apply": the tree transaction's steps.
  let phase: "checks" | "dbt" | "prepare" | "apply" = "checks";
  const guard = guardInterrupts(
    log,
    () =>
      phase === "apply"
        ? `Interrupted while the ${noun} was being applied: undoing it, unless it had already completed (the last line says which).`
        : phase === "prepare"
          ? `Interrupted: stopping before the ${noun} is applied; the working tree stays as it was.`
          : phase === "dbt"
            ? "Interrupted: stopping dbt; the working tree stays as it was."
            : "Interrupted: stopping; the working tree stays as it was.",
    spec.signals,
  );
  const transactionBegun = () => phase === "prepare" || phase === "apply";
  const ports = spec.ports ?? localTreePorts;
  // The scratch port, watched: "stopping dbt" is said only while a dbt it started is running.
  let running = 0;
  const scratch: ScratchCopies = (at, input, work) =>
    ports.scratch(at, input, (copy, dbt) =>
      work(copy, async (args) => {
        running++;
        if (phase === "checks") phase = "dbt";
        try {
          return await dbt(args);
        } finally {
          if (--running === 0 && phase === "dbt") phase = "checks";
        }
      }),
    );
  try {
    let outcome: O;
    try {
      outcome = await spec.run({
        ...ports,
        scratch,
        root: start.root,
        config: start.config,
        dimension: start.dimension,
        models: start.checked.models,
        dbt: start.dbt,
        profilesDir: start.common.profilesDir,
        target: start.common.target,
        timeoutMs: start.checked.timeoutSeconds * 1000,
        today: new Date().toISOString().slice(0, 10),
        signal: guard.signal,
        onStep: (step) => {
          // The commit is built first (objects, commit) out of sight; every later step is visible.
          if (step === "objects" || step === "commit") phase = "prepare";
          else if (step !== "dbt") phase = "apply";
        },
        progress: (line) => log.write(`${line}\n`),
      });
    } catch (error) {
      // A check before the transaction (git status, the lock, the branch) that failed because the
      // same Ctrl-C hit its git: the interrupt, not an internal error. Nothing had been changed: the
      // transaction had not begun (from its first step on, failures come back as outcomes).
      const signal = guard.received();
      if (signal === null || transactionBegun()) throw error;
      const why = (error as Error).message.split("\n")[0];
      if (start.common.json) start.print(stoppedJson(noun, signal, `nothing was changed (${why})`), () => "");
      log.write(`Stopped before the ${noun} began: ${why}\n`);
      log.write(`${spec.ending(signal, null)}\n`);
      return interruptExitCode(signal);
    }
    const signal = guard.received();
    // Ctrl-C at the question (readline hands it to the guard) is an interrupt, said as one, as at
    // any other step before the change: not "cancelled" beside an exit of 130.
    const shown: O = signal !== null && outcome.result === "cancelled" ? { ...outcome, result: "interrupted", error: `stopped by ${signal} at the question, before anything was changed` } : outcome;
    start.print(shown, () => spec.render(shown));
    if (signal === null) return spec.exit[outcome.result as O["result"]];
    log.write(`${spec.ending(signal, shown)}\n`);
    return interruptExitCode(signal);
  } finally {
    guard.dispose();
  }
}
