import { codeSpan } from "../render/codeSpan.js";
import { parseStateDocument } from "./parseStateDocument.js";
import { isNotAName } from "./dependencyItem.js";
import { appendBlock } from "./appendBlock.js";
import { oneLine } from "./oneLine.js";
import type { MissingDependency, SourceLine, StateDocument } from "./types.js";
import { writeStateDocument } from "./writeStateDocument.js";

/** The status the pause procedure writes. */
export const PAUSED_STATUS = "PAUSED - Awaiting Dependencies";

/** One model a pause renamed to `.skip`, as its state-document entry shows it. */
export interface PausedEntry {
  /** The active file name, e.g. `d_user.sql` (the heading shows `d_user.sql → d_user.sql.skip`). */
  file: string;
  /** The paused file relative to the dbt project, e.g. `transform/gold/d_user.sql.skip`. */
  location: string;
  /** Why it was paused (a dbt error, the static scan, or the model it needs). */
  reason: string;
  missing: MissingDependency[];
  present: string[];
}

/** What a pause did to one dimension, for its state document. */
export interface PauseUpdate {
  dimension: string;
  /** YYYY-MM-DD. */
  date: string;
  branch: string;
  /** The dimension's models after the pause. */
  complete: number;
  total: number;
  /** Active models of the dimension after the pause, by layer (a new document lists them). */
  completedByLayer: { layer: string; models: string[] }[];
  paused: PausedEntry[];
  /** The resume steps, one line each (numbered when written). */
  resume: string[];
}

export type ApplyPauseResult = { text: string } | { error: string };

/**
 * A new state document in the pause procedure's layout (DESIGN §5): migration ID, status, date,
 * branch, progress, completed models by layer, each paused model with its location, missing
 * dependencies (with the dimension expected to provide each) and present ones, resume instructions.
 */
export function renderNewStateDocument(update: PauseUpdate): string {
  const invalid = checkUpdate(update);
  if (invalid !== null) throw new Error(invalid);
  const pct = percent(update.complete, update.total);
  const lines = [
    `# ${update.dimension} Migration State`,
    "",
    `**Migration ID**: ${update.dimension}_${update.date.replace(/-/g, "")}`,
    `**Status**: ${PAUSED_STATUS}`,
    `**Date**: ${update.date}`,
    `**Branch**: ${update.branch}`,
    "",
    `## Migration Progress: ${pct}% Complete`,
    `### ✅ Completed (${update.complete}/${update.total} models)`,
  ];
  if (update.completedByLayer.length === 0) lines.push("- none");
  for (const { layer, models } of update.completedByLayer) {
    lines.push("", `**${layer}** (${models.length}):`, ...models.map((m) => `- ${m}`));
  }
  lines.push("", `## ⏸️ Paused Models (${update.paused.length}/${update.total})`, "");
  lines.push(...renderEntries(update.paused));
  lines.push("## 🎯 Resume Instructions", "", ...update.resume.map((step, i) => `${i + 1}. ${oneLine(step)}`));
  const text = `${lines.join("\n")}\n`;
  return checked(text, null, update) ?? text;
}

/**
 * Records a pause in an existing state document without losing a byte of it: the status value
 * becomes `PAUSED - Awaiting Dependencies`, and a new Paused Models section dated today is appended
 * after everything else (earlier sections and restart logs untouched), with one entry per model
 * paused now; a model paused again after a restore gets a new entry there.
 */
export function applyPause(text: string, update: PauseUpdate): ApplyPauseResult {
  const invalid = checkUpdate(update);
  if (invalid !== null) return { error: invalid };
  const doc = parseStateDocument(text);
  if (!doc.recognized) return { error: "not a migration state document: it has neither a Paused Models section nor a status line" };
  if (doc.status === null) return { error: "the state document has no status line (such as `**Status**: PAUSED - ...`) to update" };
  const updated: StateDocument = {
    ...doc,
    status: { ...doc.status, value: PAUSED_STATUS },
    source: { ...doc.source, lines: appendSection(doc, update) },
  };
  const result = writeStateDocument(updated);
  const problem = checked(result, doc, update);
  return problem === null ? { text: result } : { error: problem };
}

function appendSection(doc: StateDocument, update: PauseUpdate): SourceLine[] {
  const section = [
    "---",
    "",
    `## ⏸️ Paused Models (${update.paused.length}/${update.total}) — paused ${update.date}`,
    "",
    `**Pause Date**: ${update.date}`,
    `**Progress**: ${update.complete}/${update.total} models complete (${percent(update.complete, update.total)}%)`,
    ...(update.resume.length > 0 ? [`**Next Action**: ${oneLine(update.resume.join(" "))}`] : []),
    "",
    ...renderEntries(update.paused),
  ];
  while (section[section.length - 1] === "") section.pop();
  return appendBlock(doc, section);
}

function renderEntries(entries: readonly PausedEntry[]): string[] {
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const dependencies = entry.missing.length + entry.present.length;
    lines.push(
      `### ${i + 1}. ${entry.file} → ${entry.file}.skip`,
      `**Status**: INCOMPLETE - Missing ${entry.missing.length} dependencies`,
      `**Location**: ${codeSpan(entry.location)}`,
      `**Paused Because**: ${oneLine(entry.reason)}`,
      "",
    );
    if (entry.missing.length > 0) {
      lines.push("**Missing Dependencies**:");
      for (const dep of entry.missing) {
        const from = [dep.kind === "source" ? "source" : null, dep.expectedFrom ? `from ${dep.expectedFrom}` : null].filter(Boolean).join(", ");
        lines.push(`- ❌ **${dep.name}**${from ? ` (${from})` : ""}`);
      }
      lines.push("");
    }
    if (entry.present.length > 0) {
      lines.push(`**Has Dependencies** (${entry.present.length}/${dependencies}):`, ...entry.present.map((p) => `- ✅ ${p}`), "");
    }
  });
  return lines;
}

/** The written text must read back as intended; if not, writing nothing beats writing something wrong. */
function checked(text: string, before: StateDocument | null, update: PauseUpdate): string | null {
  const doc = parseStateDocument(text);
  if (doc.status?.value !== PAUSED_STATUS) return "the state document's status did not read back as PAUSED; nothing was written";
  const earlier = before?.pausedModels.length ?? 0;
  const added = doc.pausedModels.slice(earlier);
  const same =
    added.length === update.paused.length &&
    added.every((m, i) => {
      const e = update.paused[i]!;
      return (
        m.file === e.file &&
        m.location === e.location &&
        m.missing.length === e.missing.length &&
        m.missing.every((d, j) => d.name === e.missing[j]!.name && d.expectedFrom === e.missing[j]!.expectedFrom && d.kind === e.missing[j]!.kind) &&
        m.present.join("\n") === e.present.join("\n")
      );
    });
  if (!same) return "the paused models written did not read back as the same models, dependencies and locations; nothing was written";
  if (before && doc.restartLogs.length !== before.restartLogs.length) return "the update changed the document's restart logs; nothing was written";
  return null;
}

function checkUpdate(update: PauseUpdate): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(update.date)) return `pause date ${JSON.stringify(update.date)} is not YYYY-MM-DD`;
  if (update.paused.length === 0) return "nothing was paused";
  // Names end up in headings and list items: only names a Markdown line cannot reinterpret.
  const names = [...update.paused.map((p) => p.file), ...update.paused.flatMap((p) => [...p.missing.map((d) => d.name), ...p.present])];
  const bad = names.find((n) => !/^[A-Za-z0-9_.-]+$/.test(n));
  if (bad !== undefined) return `the name ${JSON.stringify(bad)} cannot be written into a state document entry as is`;
  // A dependency called `none` or `na` would read back as "no dependency": refuse it rather than write it.
  const reserved = update.paused.flatMap((p) => [...p.missing.map((d) => d.name), ...p.present]).find(isNotAName);
  if (reserved !== undefined) return `the dependency name ${JSON.stringify(reserved)} reads as "no dependency" in a state document; it cannot be written there`;
  return null;
}

function percent(complete: number, total: number): number {
  return total === 0 ? 100 : Math.round((complete / total) * 100);
}
