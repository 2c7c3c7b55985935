import { UserError } from "../userError.js";
import { backfillBatches, type Batch, type BatchSize } from "./backfillBatches.js";

/** How a batch's window reaches the model. */
export type BackfillMode = "microbatch" | "vars";

/** The backfill state file: what was asked, and every batch that finished (never run again). */
export interface BackfillState {
  version: 1;
  model: string;
  start: string;
  end: string;
  batch: BatchSize;
  mode: BackfillMode;
  completed: (Batch & { finishedAt: string; seconds: number; attempts: number })[];
  failures: (Batch & { at: string; error: string })[];
}

export function newBackfillState(input: { model: string; start: string; end: string; batch: BatchSize; mode: BackfillMode }): BackfillState {
  return { version: 1, ...input, completed: [], failures: [] };
}

/**
 * Reads a saved state and checks it is the same backfill: a different range or batch size would make
 * "completed" mean something else, so an unfinished one is refused rather than merged (a finished
 * one is simply replaced).
 */
export function resumeBackfillState(text: string, wanted: { model: string; start: string; end: string; batch: BatchSize; mode: BackfillMode }, path: string): BackfillState {
  let state: BackfillState;
  try {
    state = JSON.parse(text) as BackfillState;
  } catch (error) {
    throw new UserError(`${path}: not a backfill state file (${(error as Error).message}); delete it or pass --restart`);
  }
  if (state?.version !== 1 || !Array.isArray(state.completed) || !Array.isArray(state.failures)) {
    throw new UserError(`${path}: not a backfill state file this version understands; delete it or pass --restart`);
  }
  const same = state.model === wanted.model && state.start === wanted.start && state.end === wanted.end && state.batch === wanted.batch;
  if (!same && isFinished(state)) return newBackfillState(wanted);
  if (!same) {
    throw new UserError(
      `${path} records a different backfill of ${state.model} (${state.start} to ${state.end} by ${state.batch}, ${state.completed.length} batch(es) done). ` +
        `Finish it with those options, or pass --restart to start this one over.`,
    );
  }
  return { ...state, mode: wanted.mode };
}

/** Batches still to run, in order: the plan minus what the state says finished. */
export function pendingBatches(batches: readonly Batch[], state: BackfillState): Batch[] {
  const done = new Set(state.completed.map((b) => b.start));
  return batches.filter((b) => !done.has(b.start));
}

function isFinished(state: BackfillState): boolean {
  try {
    return pendingBatches(backfillBatches(state), state).length === 0;
  } catch {
    return false;
  }
}
