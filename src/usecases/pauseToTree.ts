import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { pauseCommitMessage } from "../core/pause/pauseCommitMessage.js";
import type { PauseOutcome, PauseStateDocument } from "../core/pause/pauseOutcome.js";
import { applyPause, type PauseUpdate } from "../core/stateDocument/applyPause.js";
import { applyToTree } from "./applyToTree.js";
import type { TreeStep, WorkTree } from "./workTree.js";

/** One state document a pause writes: an existing one updated, or a new one created. */
export interface DocumentWrite {
  doc: PauseStateDocument;
  /** The text before (null: a new file) and after. */
  before: string | null;
  update: PauseUpdate;
  after: string;
}

/**
 * Applies a proven pause through the shared tree transaction (the one restore uses): the commit is
 * built from HEAD's blobs, then branch, index, renames, state documents and HEAD follow; an error or
 * an interrupt at any step undoes every step done.
 */
export async function pauseToTree(
  input: { git: WorkTree; root: string; signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined },
  outcome: PauseOutcome,
  writes: DocumentWrite[],
  ctx: { branch: string; startBranch: string | null; startHead: string },
): Promise<PauseOutcome> {
  // "State written/updated" only for the documents the commit holds (an edit the transaction could
  // not make is left out of it, and out of the message).
  const message = (edits: readonly { path: string; committed: boolean }[]) =>
    pauseCommitMessage({ ...outcome, stateDocuments: outcome.stateDocuments.map((d) => ({ ...d, updated: edits.some((e) => e.path === d.path && e.committed) })) });
  const result = await applyToTree(
    input.git,
    input.root,
    {
      renames: outcome.paused.map((m) => ({ from: m.from, to: m.to })),
      edits: writes.filter((w) => w.before !== null).map((w) => ({ path: w.doc.path, edit: (text: string) => applyPause(text, w.update) })),
      creates: writes.filter((w) => w.before === null).map((w) => ({ path: w.doc.path, text: w.after })),
      expectedHead: ctx.startHead,
      commit: { message, branch: ctx.branch, createBranch: ctx.startBranch !== ctx.branch },
    },
    { signal: input.signal, onStep: input.onStep },
  );
  if (!result.ok) {
    for (const d of outcome.stateDocuments) d.updated = false;
    // Interrupted (the transaction saw the signal, or a git it ran was hit by the same Ctrl-C) and
    // fully undone: an interruption. Undoing that failed is a failure the person must look at.
    // The abort's signal, else the one that killed a git it ran (its death can come first).
    const stoppedBy = interruptedBy(input.signal) ?? (result.interrupted ? result.signal : null);
    const interrupted = (result.interrupted || stoppedBy !== null) && !result.error.includes("undoing it also failed");
    return {
      ...outcome,
      commit: null,
      result: interrupted ? "interrupted" : "failed",
      error: interrupted ? `stopped by ${stoppedBy ?? "an interrupt"}: nothing was paused; the tree, index and HEAD are as they were` : result.error,
      progress: { ...outcome.progress, after: outcome.progress.before },
    };
  }
  const problems = result.edits.filter((e) => !e.committed);
  for (const d of outcome.stateDocuments) {
    const r = result.edits.find((e) => e.path === d.path);
    d.updated = r?.committed ?? false;
    d.problem = r?.problem ?? null;
  }
  if (problems.length > 0) outcome.error = `state documents not updated: ${problems.map((p) => `${p.path}: ${p.problem}`).join("; ")}`;
  outcome.commit = result.sha ? { branch: ctx.branch, sha: result.sha, message: message(result.edits) } : null;
  return { ...outcome, result: "paused" };
}
