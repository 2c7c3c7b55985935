import * as core from "@actions/core";

/** Where signals come from: the process, or a stand-in in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface Cancellation {
  /** Aborted (its reason the signal's name) when the workflow run is cancelled. */
  signal: AbortSignal;
  received(): NodeJS.Signals | null;
  dispose(): void;
}

/**
 * A cancelled workflow run, as the runner does it: SIGINT to the Action, SIGTERM a few seconds
 * later, then SIGKILL. The first aborts `signal` (dbt stops; a restore or pause begun in the
 * checkout is undone; no further restore starts and nothing more is pushed) and says so in the log;
 * every later one is absorbed, so the undo is not cut short by the SIGTERM.
 */
export function watchCancellation(log: (line: string) => void = core.warning, source: SignalSource = process, onFirst: (signal: NodeJS.Signals) => void = () => {}): Cancellation {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (first !== null) return;
    first = name;
    log(`The workflow run was cancelled (${name}).`);
    controller.abort(name);
    onFirst(name);
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

/**
 * What the log's error line and the job summary say after a cancel: a cancellation, not a failure.
 * `stopped`: the command stopped on the signal (dbt stopped, a tree change undone, nothing pushed
 * after it); otherwise the Action ended where it was at once.
 */
export function cancelledReport(signal: NodeJS.Signals, command: string, stopped: boolean): { error: string; summary: string } {
  const what = stopped
    ? `The workflow run was cancelled (${signal}) while dbt-unskip (${command}) ran: dbt was stopped, any restore or pause begun in the checkout was undone, and nothing was pushed after the cancel.`
    : `The workflow run was cancelled (${signal}) while dbt-unskip (${command}) ran; it ended where it was.`;
  return {
    error: `cancelled: ${what} This is not a failure of your models; run the workflow again.`,
    summary: `## dbt-unskip: cancelled\n\n> [!WARNING]\n> ${what}\n> This is not a failure of your models: run the workflow again.\n`,
  };
}
