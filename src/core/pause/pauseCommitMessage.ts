import { COMMIT_TRAILER } from "../restore/restoreOutcome.js";
import type { PauseOutcome } from "./pauseOutcome.js";

/**
 * The pause procedure's commit message, `pause: <dim> migration (X/Y models complete)`: the complete
 * models by layer, each paused model with why, the missing dependencies, and the tool's trailer.
 */
export function pauseCommitMessage(outcome: Pick<PauseOutcome, "dimension" | "paused" | "progress" | "completedByLayer" | "missing" | "stateDocuments">): string {
  const { after } = outcome.progress;
  const lines = [`pause: ${outcome.dimension} migration (${after.complete}/${after.total} models complete)`, ""];
  lines.push(`Complete models by layer (${after.complete}):`);
  if (outcome.completedByLayer.length === 0) lines.push("- none");
  for (const { layer, models } of outcome.completedByLayer) lines.push(`- ${layer}: ${models.join(", ")}`);
  lines.push("", `Paused models (${outcome.paused.length}):`);
  for (const m of outcome.paused) {
    const other = m.dimension !== outcome.dimension ? ` [${m.dimension ?? "no dimension"}]` : "";
    lines.push(`- ${m.from} → .skip${other}: ${m.reason}`);
  }
  if (outcome.missing.length > 0) {
    lines.push("", `Missing dependencies (${outcome.missing.length}):`);
    for (const d of outcome.missing) lines.push(`- ${d.kind === "source" ? "source " : ""}${d.name}${d.expectedFrom ? ` (from ${d.expectedFrom})` : ""}`);
  }
  const docs = outcome.stateDocuments.filter((d) => d.updated);
  if (docs.length > 0) lines.push("", ...docs.map((d) => `State ${d.created ? "written" : "updated"}: ${d.path}`));
  lines.push("", COMMIT_TRAILER);
  return lines.join("\n");
}
