import type { Output } from "./cliCommand.js";

export interface InterruptGuard {
  /** Aborted at the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The first signal received, or null. */
  received(): NodeJS.Signals | null;
  /** Stops absorbing signals (call in `finally`). */
  dispose(): void;
}

/**
 * Ctrl-C (SIGINT) and SIGTERM (how CI cancels a job) while a command changes the repository: the
 * first one aborts `signal` and prints `message()` (what happens now, for the phase the command is
 * in); every later one is absorbed until `dispose()`, so a second Ctrl-C can never kill the process
 * half way through undoing or finishing a tree transaction. The command prints the truth at the end.
 */
export function guardInterrupts(log: Output, message: () => string): InterruptGuard {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (first !== null) return;
    first = name;
    log.write(`\n${message()}\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
