import { abortOnFirstSignal, type FirstSignal, type SignalSource } from "../adapters/process/firstSignal.js";
import type { Output } from "./cliCommand.js";

/**
 * The exit code after an interrupt: 128 + the signal's number, as a shell reports a process the
 * signal ended (130 for SIGINT, Ctrl-C; 143 for SIGTERM, how CI cancels a job).
 */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return signal === "SIGTERM" ? 143 : 130;
}

export type InterruptGuard = FirstSignal;
export type { SignalSource };

/**
 * The CLI's one way of handling Ctrl-C (SIGINT) and SIGTERM (how CI cancels a job) while a command
 * runs dbt or changes the repository, the warehouse or the project's files: the first one aborts
 * `signal` (which stops dbt) and prints `message` (what happens now; a function when it depends on
 * the phase the command is in); every later one is absorbed until `dispose()`, so a second Ctrl-C can
 * never kill the process half way through undoing or finishing its work. The command prints the
 * truth at the end.
 */
export function guardInterrupts(log: Output, message: string | (() => string), source: SignalSource = process): InterruptGuard {
  return abortOnFirstSignal(() => log.write(`\n${typeof message === "string" ? message : message()}\n`), source);
}

/** `work` under `guardInterrupts`: its value, and the interrupt that arrived while it ran (or null). */
export async function withInterrupt<T>(
  log: Output,
  message: string | (() => string),
  work: (signal: AbortSignal) => Promise<T>,
  source: SignalSource = process,
): Promise<{ value: T; interrupted: NodeJS.Signals | null }> {
  const guard = guardInterrupts(log, message, source);
  try {
    const value = await work(guard.signal);
    return { value, interrupted: guard.received() };
  } finally {
    guard.dispose();
  }
}

/** Runs one step that runs dbt (a scratch parse), marked as such for the interrupt's line. */
export type DbtStep = <T>(step: () => Promise<T>) => Promise<T>;

/**
 * A command that changes nothing (plan, verify: dbt runs in a scratch copy) under `guardInterrupts`:
 * Ctrl-C or SIGTERM stops dbt, and the run's result is then neither printed nor written (what dbt
 * said while it was being stopped is not a finding); the last line says so, and the exit is 130 or
 * 143. `work` returns how to finish (print, write files, the exit code), called only when no
 * interrupt came. `work` runs each dbt step through `dbtStep`, so the line said at the interrupt
 * names dbt only while dbt runs.
 */
export async function runStoppable(
  log: Output,
  noun: string,
  work: (signal: AbortSignal, dbtStep: DbtStep) => Promise<() => Promise<number> | number>,
  source: SignalSource = process,
  /** With `--json`: where the JSON result goes; after an interrupt it is `stoppedJson`'s object. */
  json: Output | null = null,
): Promise<number> {
  let finishing = false;
  let dbtRunning = 0;
  let dbtBegun = false;
  // Whether a dbt step had begun when the first signal came (a later step is stopped before it starts).
  let dbtBegunAtSignal = false;
  const guard = guardInterrupts(
    log,
    () => {
      dbtBegunAtSignal = dbtBegun;
      return finishing ? `Interrupted: the ${noun} had finished; its result is being printed (and written) in full first.` : `Interrupted: stopping${dbtRunning > 0 ? " dbt" : ""}; the ${noun} changes nothing.`;
    },
    source,
  );
  const dbtStep: DbtStep = async (step) => {
    dbtRunning++;
    dbtBegun = true;
    try {
      return await step();
    } finally {
      dbtRunning--;
    }
  };
  try {
    let finish: (() => Promise<number> | number) | undefined;
    try {
      finish = await work(guard.signal, dbtStep);
    } catch (error) {
      if (guard.received() === null) throw error;
    }
    const signal = guard.received();
    if (signal === null && finish) {
      // A signal while the result is printed and written (plan --out) does not cut that short; the
      // exit still says an interrupt came, as every long command's does.
      finishing = true;
      const code = await finish();
      const late = guard.received();
      if (late === null) return code;
      log.write(`${late} arrived after the ${noun} had finished; its result was printed (and written) in full.\n`);
      return interruptExitCode(late);
    }
    // "dbt was stopped" only when a dbt step had begun (not while dbt was being found).
    json?.write(`${JSON.stringify(stoppedJson(noun, signal ?? "SIGINT", dbtBegunAtSignal ? undefined : "it was stopped before dbt ran, and nothing was written"), null, 2)}\n`);
    log.write(`${signal}: the ${noun} was stopped before it finished; nothing was printed or written as its result.\n`);
    return interruptExitCode(signal ?? "SIGINT");
  } finally {
    guard.dispose();
  }
}

/**
 * The `--json` result of a command stopped by an interrupt before it had a result (plan, verify,
 * status --exact; generate before its files were in place): `"result": "interrupted"` as restore and
 * pause say it, the signal, and `written: []` (no result was printed, no file written: `plan --out`
 * writes only a finished plan, generate all its files or none). `stopped` says what was stopped.
 */
export function stoppedJson(
  noun: string,
  signal: NodeJS.Signals,
  stopped = "dbt was stopped and nothing was written",
): { result: "interrupted"; command: string; signal: NodeJS.Signals; written: string[]; error: string } {
  return { result: "interrupted", command: noun, signal, written: [], error: `stopped by ${signal} before it finished; ${stopped}` };
}
