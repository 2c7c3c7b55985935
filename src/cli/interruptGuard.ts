import type { Output } from "./cliCommand.js";

export interface InterruptGuard {
  /** Aborted at the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The first signal received, or null. */
  received(): NodeJS.Signals | null;
  /** Stops absorbing signals (call in `finally`). */
  dispose(): void;
}

/** Where signals come from: the process, or a stand-in in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * The CLI's one way of handling Ctrl-C (SIGINT) and SIGTERM (how CI cancels a job) while a command
 * runs dbt or changes the repository, the warehouse or the project's files: the first one aborts
 * `signal` (which stops dbt) and prints `message` (what happens now; a function when it depends on
 * the phase the command is in); every later one is absorbed until `dispose()`, so a second Ctrl-C can
 * never kill the process half way through undoing or finishing its work. The command prints the
 * truth at the end.
 */
export function guardInterrupts(log: Output, message: string | (() => string), source: SignalSource = process): InterruptGuard {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (first !== null) return;
    first = name;
    log.write(`\n${typeof message === "string" ? message : message()}\n`);
    controller.abort();
  };
  source.on("SIGINT", onSignal);
  source.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose() {
      source.off("SIGINT", onSignal);
      source.off("SIGTERM", onSignal);
    },
  };
}

/** `work` under `guardInterrupts`: its value, and whether an interrupt arrived while it ran. */
export async function withInterrupt<T>(log: Output, message: string | (() => string), work: (signal: AbortSignal) => Promise<T>, source: SignalSource = process): Promise<{ value: T; interrupted: boolean }> {
  const guard = guardInterrupts(log, message, source);
  try {
    const value = await work(guard.signal);
    return { value, interrupted: guard.received() !== null };
  } finally {
    guard.dispose();
  }
}
