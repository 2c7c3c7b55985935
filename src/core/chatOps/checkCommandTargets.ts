import type { ReadinessReport, ReportModel } from "../readiness/readinessReport.js";
import { codeSpan } from "../render/codeSpan.js";
import type { UnskipCommand } from "./parseCommand.js";

const LISTED = 30;

/**
 * Checks a command's names against the project at the default branch: a dimension the project has,
 * models that are paused in it, and for a restore something ready to restore. The refusal lists
 * what does exist, so the next try can be right.
 */
export function checkCommandTargets(command: UnskipCommand, reports: readonly ReadinessReport[]): { ok: true } | { ok: false; message: string } {
  if (command.name === "help" || command.name === "verify" || (command.name === "status" && command.dimension === null)) return { ok: true };
  const dimension = command.dimension!;
  const dimensions = [...new Set(reports.flatMap((r) => r.dimensions.map((d) => d.name)))].sort();
  if (!dimensions.includes(dimension)) {
    return { ok: false, message: `there is no dimension ${codeSpan(dimension)} in this repository. Known dimensions: ${list(dimensions)}.` };
  }
  if (command.name === "pause") {
    // Active models are the Action's to check (it refuses an unknown name before changing anything);
    // a paused one is refused here: it cannot be paused again.
    const paused = reports.flatMap((r) => r.models).find((m) => command.models.includes(m.name) && m.pausedBy === "skip");
    if (paused) return { ok: false, message: `${codeSpan(paused.name)} is paused already (${codeSpan(paused.path)}); \`/unskip pause\` pauses active models.` };
    return { ok: true };
  }
  if (command.name !== "restore") return { ok: true };

  const paused = reports.flatMap((r) => r.models.filter((m) => m.dimension === dimension));
  const ready = paused.filter((m) => m.status === "ready");
  for (const name of command.models) {
    const model = paused.find((m) => m.name === name);
    if (!model) {
      return { ok: false, message: `${codeSpan(name)} is not a paused model of ${codeSpan(dimension)}. Its paused models: ${list(paused.map((m) => m.name))}.` };
    }
    if (model.status !== "ready") {
      return { ok: false, message: `${codeSpan(name)} is not ready (${why(model)}). Ready in ${codeSpan(dimension)}: ${list(ready.map((m) => m.name))}.` };
    }
  }
  if (ready.length === 0) {
    return { ok: false, message: `nothing in ${codeSpan(dimension)} is ready to restore yet (${paused.length} paused). \`/unskip status ${dimension}\` shows what blocks it.` };
  }
  return { ok: true };
}

function why(model: ReportModel): string {
  // Paused by config: the same words as the CLI's refusal and the status report.
  const byConfig = model.pausedBy === "disabled" ? model.reasons.find((r) => r.startsWith("paused with")) : undefined;
  if (byConfig) return codeSpan(byConfig);
  if (model.status === "blocked")
    return `blocked by ${model.blockedBy
      .slice(0, 5)
      .map((key) => codeSpan(key.replace(/^[a-z]+:/, "")))
      .join(", ")}`;
  return "it needs investigation";
}

function list(names: readonly string[]): string {
  if (names.length === 0) return "none";
  const shown = [...names].sort().slice(0, LISTED).map(codeSpan).join(", ");
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}
