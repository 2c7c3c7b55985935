import type { GenerateOutcome } from "./generateOutcome.js";
import { printable } from "./printable.js";

/** The human report of `dbt-unskip generate` (names pass through `printable`: headers are untrusted). */
export function renderGenerateReport(outcome: GenerateOutcome, options: { preview?: boolean } = {}): string {
  const t = outcome.target;
  const target = t.as === "seed" ? `seed ${t.name}` : `source ${t.source}.${t.name}${t.model ? ` + ephemeral model ${t.model}` : ""}`;
  const format = [outcome.csv.lineEndings === "crlf" ? "CRLF line endings" : outcome.csv.lineEndings === "mixed" ? "mixed LF/CRLF line endings" : null, outcome.csv.bom ? "UTF-8 BOM" : null].filter(Boolean);
  const lines = [
    `${printable(outcome.csv.path)} → ${target} (${t.dialect})`,
    `${outcome.csv.rows.toLocaleString("en-US")} rows × ${outcome.columns.length} columns, every row read${format.length > 0 ? ` (${format.join(", ")})` : ""}.`,
    "",
  ];
  const width = Math.min(32, Math.max(6, ...outcome.columns.map((c) => printable(c.physical).length)));
  const typeWidth = Math.max(4, ...outcome.columns.map((c) => c.sqlType.length));
  lines.push(`  ${"column".padEnd(width)}  ${"type".padEnd(typeWidth)}  nulls`);
  for (const c of outcome.columns) {
    const key = outcome.key?.column === c.name ? "  key" : "";
    lines.push(`  ${printable(c.physical).padEnd(width)}  ${c.sqlType.padEnd(typeWidth)}  ${String(c.nulls).padStart(5)}${key}`);
    for (const note of c.notes) lines.push(`      ${printable(note)}`);
  }
  const misfits = outcome.columns.filter((c) => c.misfit);
  if (misfits.length > 0) {
    lines.push("", "Values that do not fit (the column stays text):");
    for (const c of misfits) {
      const m = c.misfit!;
      const examples = m.examples.map((e) => `line ${e.line} '${printable(e.value)}' (${e.reason})`).join(", ");
      lines.push(`  ${printable(c.name)}: ${m.count.toLocaleString("en-US")} not ${m.family}: ${examples}${m.count > m.examples.length ? ", ..." : ""}`);
    }
  }
  lines.push("", outcome.key ? `Key: ${printable(outcome.key.column)} (unique and never null; proof: ${outcome.key.proof}).` : "Key: none.");
  for (const note of outcome.keyNotes) lines.push(`  ${printable(note)}`);

  lines.push("", options.preview ? "Files to write:" : outcome.result === "generated" ? "Files written:" : "Files (not written):");
  for (const f of outcome.files) lines.push(`  + ${printable(f.path)}`);

  const r = outcome.readiness;
  lines.push("", r.newlyReady.length > 0 ? `Paused models this makes ready (${r.newlyReady.length}):` : "Paused models this makes ready: none.");
  for (const m of r.newlyReady) lines.push(`  ✅ ${m.name} (${printable(m.path)})${m.dimension ? ` [${m.dimension}]` : ""}`);
  for (const m of r.stillBlocked) lines.push(`  ⏸️  ${m.name} needed it but still waits on ${m.blockedBy.join(", ")}`);
  for (const hint of r.hints) lines.push(`  hint: ${printable(hint)}`);

  for (const warning of outcome.warnings) lines.push("", `Warning: ${printable(warning)}`);
  if (options.preview) {
    // The question follows.
  } else if (outcome.result === "generated") {
    lines.push("", "Next:", ...outcome.next.map((c) => `  ${printable(c)}`), "", "To undo:", ...outcome.undo.map((c) => `  ${printable(c)}`));
  } else {
    lines.push("", "Cancelled: nothing was written.");
  }
  return `${lines.join("\n")}\n`;
}
