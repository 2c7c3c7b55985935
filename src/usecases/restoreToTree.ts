import { joinPath } from "../core/project/projectSnapshot.js";
import { restoredSelection } from "../core/restore/restoredSelection.js";
import type { ReadinessReport, ReportModel } from "../core/readiness/readinessReport.js";
import { restoreCommitMessage } from "../core/restore/restoreCommitMessage.js";
import type { RestoreOutcome, StillPaused } from "../core/restore/restoreOutcome.js";
import { applyRestart } from "../core/stateDocument/applyRestart.js";
import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { applyToTree } from "./applyToTree.js";
import type { TreeChange, TreeStep, WorkTree } from "./workTree.js";

/**
 * Applies a proven batch in one tree transaction: the renames, the restart log of the dimension's
 * state document and of every other dimension's document whose models the batch brings back, and
 * (unless --no-commit) one commit on the branch. All of it happens, or none of it.
 */
export async function restoreToTree(
  input: { git: WorkTree; root: string; today: string; commit: boolean; signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined },
  report: ReadinessReport,
  outcome: RestoreOutcome,
  ctx: { branch: string; createBranch: boolean; startHead: string },
): Promise<RestoreOutcome> {
  const edits: TreeChange["edits"] = [];
  const docs = new Map<string, string>(); // path -> dimension
  // A document that could not be read (its problem already set) is never edited.
  if (outcome.stateDocument && outcome.stateDocument.problem === null) {
    const path = outcome.stateDocument.path;
    docs.set(path, outcome.dimension);
    edits.push({
      path,
      edit: (text) =>
        applyRestart(text, {
          date: input.today,
          resumed: outcome.restored.filter((m) => m.dimension === outcome.dimension).map((m) => basename(m.realFile)),
          stillPaused: outcome.stillPaused.map((m) => ({ file: basename(m.path), missing: m.missing.length > 0 ? m.missing : [m.reason] })),
          nextAction: nextAction(outcome),
        }),
    });
  }
  // A model of another dimension that comes back with this batch is resumed in that dimension's document too.
  const others = [...new Set(outcome.restored.map((m) => m.dimension).filter((d): d is string => d !== null && d !== outcome.dimension))];
  for (const other of others) {
    const path = report.dimensions.find((d) => d.name === other)?.stateDocument;
    if (!path || docs.has(path)) continue;
    docs.set(path, other);
    const resumed = outcome.restored.filter((m) => m.dimension === other);
    const restoredNames = new Set(outcome.restored.map((m) => m.name));
    const projectDir = report.project.dir === "." ? "" : report.project.dir;
    const stillPaused = stillPausedOf(
      report.models.filter((m) => m.dimension === other && !restoredNames.has(m.name)),
      projectDir,
    );
    edits.push({
      path,
      edit: (text) =>
        applyRestart(text, {
          date: input.today,
          resumed: resumed.map((m) => basename(m.realFile)),
          stillPaused: stillPaused.map((m) => ({ file: basename(m.path), missing: m.missing.length > 0 ? m.missing : [m.reason] })),
          nextAction:
            stillPaused.length === 0
              ? `Complete migration: run and test the restored models (dbt build --select ${restoredSelection(outcome.restored)})`
              : `Restored with ${outcome.dimension}; restore the rest with dbt-unskip restore --dimension ${other}`,
        }),
    });
  }
  const withDocs = (results: { path: string; committed: boolean; problem: string | null }[]): RestoreOutcome => {
    const own = outcome.stateDocument ? results.find((r) => r.path === outcome.stateDocument!.path) : undefined;
    return {
      ...outcome,
      stateDocument: outcome.stateDocument && own ? { path: own.path, updated: own.committed, problem: own.problem } : outcome.stateDocument,
      otherStateDocuments: results.filter((r) => r.path !== outcome.stateDocument?.path).map((r) => ({ dimension: docs.get(r.path) ?? "?", path: r.path, updated: r.committed, problem: r.problem })),
    };
  };

  let message = "";
  const result = await applyToTree(
    input.git,
    input.root,
    {
      renames: outcome.restored.map((m) => ({ from: m.from, to: m.to })),
      edits,
      expectedHead: ctx.startHead,
      commit: input.commit ? { message: (results) => (message = restoreCommitMessage(withDocs(results))), branch: ctx.branch, createBranch: ctx.createBranch } : null,
    },
    { signal: input.signal, onStep: input.onStep },
  );
  if (result.ok) {
    return { ...withDocs(result.edits), result: "restored", notes: result.notes, commit: result.sha ? { branch: ctx.branch, sha: result.sha, message } : null };
  }
  // Interrupted (the transaction saw the signal, or a git it ran was hit by the same Ctrl-C) and
  // fully undone: an interruption. Undoing that failed is a failure the person must look at.
  // The abort's signal, else the one that killed a git it ran (its death can come first).
  const stoppedBy = interruptedBy(input.signal) ?? (result.interrupted ? result.signal : null);
  const interrupted = (result.interrupted || stoppedBy !== null) && !result.error.includes("undoing it also failed");
  return {
    ...outcome,
    restored: [],
    commit: null,
    result: interrupted ? "interrupted" : "failed",
    error: interrupted ? `stopped by ${stoppedBy ?? "an interrupt"} before the restore was complete; nothing of it was kept` : result.error,
    progress: { ...outcome.progress, after: outcome.progress.before },
    stateDocument: outcome.stateDocument ? { ...outcome.stateDocument, updated: false } : null,
  };
}

/** Paused models that stay paused, as the report and the restart log say them. */
export function stillPausedOf(models: ReportModel[], projectDir: string): StillPaused[] {
  return models.map((m) => {
    const missing = m.missing.map((d) => (d.type === "source" ? `source ${d.name}` : d.name));
    const below = m.blockedBy.map((k) => k.slice(k.indexOf(":") + 1)).filter((n) => !m.missing.some((d) => d.name === n));
    const reason =
      m.status === "blocked"
        ? [missing.length > 0 ? `missing: ${missing.join(", ")}` : "", below.length > 0 ? `waits on ${m.needsRestored.join(", ")} (blocked by ${below.join(", ")})` : ""].filter(Boolean).join("; ")
        : m.reasons.join("; ") || m.status;
    return { name: m.name, path: joinPath(projectDir, m.path), status: m.status, missing: missing.length > 0 ? missing : below, reason };
  });
}

function nextAction(outcome: RestoreOutcome): string {
  if (outcome.stillPaused.length === 0) return `Complete migration: run and test the restored models (dbt build --select ${restoredSelection(outcome.restored)})`;
  const wanted = outcome.blockers.map((b) => `${b.name}${b.expectedFrom ? ` (from ${b.expectedFrom})` : ""}`);
  return wanted.length > 0 ? `Wait for remaining dependencies: ${wanted.join(", ")}` : "Investigate the models still paused";
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
