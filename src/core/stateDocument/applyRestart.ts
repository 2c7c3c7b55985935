import { parseStateDocument } from "./parseStateDocument.js";
import { renderRestartLog } from "./renderRestartLog.js";
import { appendBlock } from "./appendBlock.js";
import type { RestartUpdate, SourceLine, StateDocument } from "./types.js";
import { writeStateDocument } from "./writeStateDocument.js";

export type ApplyRestartResult = { text: string } | { error: string };

/**
 * Records a restore in a state document: the status value becomes `RESUMED` (models still paused)
 * or `COMPLETE`, and a Restart Log section is appended after everything else, earlier logs
 * included. No other byte changes. A document that cannot be read safely gets `{ error }` and the
 * caller writes nothing.
 */
export function applyRestart(text: string, restart: RestartUpdate): ApplyRestartResult {
  const invalid = checkRestart(restart);
  if (invalid !== null) return { error: invalid };
  const doc = parseStateDocument(text);
  if (!doc.recognized) {
    return { error: "not a migration state document: it has neither a Paused Models section nor a status line" };
  }
  if (doc.status === null) {
    return { error: "the state document has no status line (such as `**Status**: PAUSED - ...`) to update" };
  }
  const value = restart.stillPaused.length > 0 ? "RESUMED" : "COMPLETE";
  const updated: StateDocument = {
    ...doc,
    status: { ...doc.status, value },
    source: { ...doc.source, lines: appendLog(doc, restart) },
  };
  const result = writeStateDocument(updated);

  // The edit must read back as intended; if not, writing nothing beats writing something wrong.
  const check = parseStateDocument(result);
  if (check.status?.value !== value || check.restartLogs.length !== doc.restartLogs.length + 1) {
    return { error: "the updated state document did not read back as expected; nothing was written" };
  }
  return { text: result };
}

function appendLog(doc: StateDocument, restart: RestartUpdate): SourceLine[] {
  return appendBlock(doc, renderRestartLog(restart, doc.restartLogs.length + 1));
}

function checkRestart(restart: RestartUpdate): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(restart.date)) return `restart date ${JSON.stringify(restart.date)} is not YYYY-MM-DD`;
  if (restart.resumed.length === 0) return "nothing was resumed; a restart log needs at least one resumed model";
  const files = [...restart.resumed, ...restart.stillPaused.map((model) => model.file)];
  if (files.some((file) => file.trim() === "")) return "a model file name is empty";
  if (restart.nextAction.trim() === "") return "the next action is empty";
  return null;
}
