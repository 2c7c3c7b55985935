import type { GenerateOutcome } from "./generateOutcome.js";
import { neutraliseControlCharacters } from "../render/controlCharacters.js";

/** The human report of `dbt-unskip generate` (names pass through `neutraliseControlCharacters`: headers are untrusted). */
export function renderGenerateReport(outcome: GenerateOutcome, options: { preview?: boolean } = {}): string {
  const t = outcome.target;
  const target = t.as === "seed" ? `seed ${t.name}` : `source ${t.source}.${t.name}${t.model ? ` + ephemeral model ${t.model}` : ""}`;
  const format = [outcome.csv.lineEndings === "crlf" ? "CRLF line endings" : outcome.csv.lineEndings === "mixed" ? "mixed LF/CRLF line endings" : null, outcome.csv.bom ? "UTF-8 BOM" : null].filter(Boolean);
  const lines = [
    `${neutraliseControlCharacters(outcome.csv.path, "escape")} → ${target} (${t.dialect})`,
    `${outcome.csv.rows.toLocaleString("en-US")} rows × ${outcome.columns.length} columns, every row read${format.length > 0 ? ` (${format.join(", ")})` : ""}.`,
    "",
  ];
  const width = Math.min(32, Math.max(6, ...outcome.columns.map((c) => neutraliseControlCharacters(c.physical, "escape").length)));
  const typeWidth = Math.max(4, ...outcome.columns.map((c) => c.sqlType.length));
  lines.push(`  ${"column".padEnd(width)}  ${"type".padEnd(typeWidth)}  nulls`);
  for (const c of outcome.columns) {
    const key = outcome.key?.column === c.name ? "  key" : "";
    lines.push(`  ${neutraliseControlCharacters(c.physical, "escape").padEnd(width)}  ${c.sqlType.padEnd(typeWidth)}  ${String(c.nulls).padStart(5)}${key}`);
    for (const note of c.notes) lines.push(`      ${neutraliseControlCharacters(note, "escape")}`);
  }
  const misfits = outcome.columns.filter((c) => c.misfit);
  if (misfits.length > 0) {
    lines.push("", "Values that do not fit (the column stays text):");
    for (const c of misfits) {
      const m = c.misfit!;
      const examples = m.examples.map((e) => `line ${e.line} '${neutraliseControlCharacters(e.value, "escape")}' (${e.reason})`).join(", ");
      lines.push(`  ${neutraliseControlCharacters(c.name, "escape")}: ${m.count.toLocaleString("en-US")} not ${m.family}: ${examples}${m.count > m.examples.length ? ", ..." : ""}`);
    }
  }
  lines.push("", outcome.key ? `Key: ${neutraliseControlCharacters(outcome.key.column, "escape")} (unique and never null; proof: ${outcome.key.proof}).` : "Key: none.");
  for (const note of outcome.keyNotes) lines.push(`  ${neutraliseControlCharacters(note, "escape")}`);

  lines.push("", options.preview ? "Files to write:" : outcome.result === "generated" ? "Files written:" : "Files (not written):");
  for (const f of outcome.files) lines.push(`  + ${neutraliseControlCharacters(f.path, "escape")}`);

  const r = outcome.readiness;
  lines.push("", r.newlyReady.length > 0 ? `Paused models this makes ready (${r.newlyReady.length}):` : "Paused models this makes ready: none.");
  for (const m of r.newlyReady) lines.push(`  ✅ ${m.name} (${neutraliseControlCharacters(m.path, "escape")})${m.dimension ? ` [${m.dimension}]` : ""}`);
  for (const m of r.stillBlocked) lines.push(`  ⏸️  ${m.name} needed it but still waits on ${m.blockedBy.join(", ")}`);
  for (const hint of r.hints) lines.push(`  hint: ${neutraliseControlCharacters(hint, "escape")}`);

  for (const warning of outcome.warnings) lines.push("", `Warning: ${neutraliseControlCharacters(warning, "escape")}`);
  if (options.preview) {
    // The question follows.
  } else if (outcome.result === "generated") {
    lines.push("", "Next:", ...outcome.next.map((c) => `  ${neutraliseControlCharacters(c, "escape")}`), "", "To undo:", ...outcome.undo.map((c) => `  ${neutraliseControlCharacters(c, "escape")}`));
  } else {
    lines.push("", "Cancelled: nothing was written.");
  }
  return `${lines.join("\n")}\n`;
}
