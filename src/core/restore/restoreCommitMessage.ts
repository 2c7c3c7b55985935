import { COMMIT_TRAILER, type RestoreOutcome } from "./restoreOutcome.js";

/** The commit message of the restart runbook: what was resumed, what is still blocked and why. */
export function restoreCommitMessage(outcome: Pick<RestoreOutcome, "dimension" | "restored" | "stillPaused" | "progress" | "stateDocument">): string {
  const { after } = outcome.progress;
  const complete = outcome.stillPaused.length === 0;
  const lines = [
    `resume: ${outcome.dimension} migration (${after.active}/${after.total} models${complete ? ", complete" : ""})`,
    "",
    `Resumed models (${outcome.restored.length}):`,
    ...outcome.restored.map((m) => `- ${m.to} (was .skip): ${m.because}`),
  ];
  if (complete) lines.push("", "Migration complete: no model of this dimension is paused.");
  else {
    lines.push("", `Still blocked (${outcome.stillPaused.length}):`);
    for (const m of outcome.stillPaused) lines.push(`- ${m.path} (${m.reason})`);
  }
  if (outcome.stateDocument?.updated) lines.push("", `State updated: ${outcome.stateDocument.path}`);
  lines.push("", COMMIT_TRAILER);
  return lines.join("\n");
}
