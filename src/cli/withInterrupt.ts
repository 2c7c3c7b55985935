import type { Output } from "./cliCommand.js";

/** Ctrl-C (or SIGTERM) stops dbt through the signal instead of leaving it running on the warehouse. */
export async function withInterrupt<T>(log: Output, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: boolean }> {
  const controller = new AbortController();
  const onInterrupt = () => {
    log.write(`\n${message}\n`);
    controller.abort();
  };
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  try {
    const value = await work(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}
