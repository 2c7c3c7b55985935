import * as core from "@actions/core";
import { abortOnFirstSignal, type FirstSignal, type SignalSource } from "../adapters/process/firstSignal.js";

/** Aborted (its reason the signal's name) when the workflow run is cancelled. */
export type Cancellation = FirstSignal;

/**
 * A cancelled workflow run, as the runner does it: SIGINT to the Action, SIGTERM a few seconds
 * later, then SIGKILL. The first aborts `signal` (dbt stops; a restore or pause begun in the
 * checkout is undone; no further restore starts and nothing more is pushed) and says so in the log;
 * every later one is absorbed, so the undo is not cut short by the SIGTERM.
 */
export function watchCancellation(log: (line: string) => void = core.warning, source: SignalSource = process, onFirst: (signal: NodeJS.Signals) => void = () => {}): Cancellation {
  return abortOnFirstSignal((name) => log(`The workflow run was cancelled (${name}).`), source, onFirst);
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
