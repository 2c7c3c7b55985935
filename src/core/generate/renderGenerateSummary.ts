import { codeSpan } from "../render/codeSpan.js";
import type { GenerateOutcome } from "./generateOutcome.js";

/**
 * `summary.md` beside the scripts, in the shape of the runbook's "Migration Generated" note, for a
 * pull request or a ticket. Column names come from a CSV header anyone could have written, so every
 * name and value is a code span and renders as literal text.
 */
export function renderGenerateSummary(outcome: GenerateOutcome, today: string): string {
  const t = outcome.target;
  const what = t.as === "seed" ? `seed ${codeSpan(t.name)}` : `source ${codeSpan(`${t.source}.${t.name}`)} (table ${codeSpan(t.relation)})`;
  const lines = [
    `# Generated: ${t.name}`,
    "",
    `**Source file:** ${codeSpan(outcome.csv.path)} (${outcome.csv.rows.toLocaleString("en-US")} rows)`,
    `**Target:** ${what} on ${t.dialect}${t.model ? `, with the ephemeral model ${codeSpan(t.model)}` : ""}`,
    `**Date:** ${today}`,
    ...outcome.warnings.map((w) => `\n> **Warning:** ${codeSpan(w)}`),
    "",
    "## Columns",
    "",
    ...outcome.columns.map((c) => {
      const key = outcome.key?.column === c.name ? ", the key" : "";
      const notes = c.notes.length > 0 ? `: ${c.notes.map((n) => codeSpan(n)).join("; ")}` : "";
      return `- ${codeSpan(c.physical)} ${c.sqlType}, ${c.notNull ? "no nulls" : `${c.nulls} nulls`}${key}${notes}`;
    }),
    "",
  ];
  const misfits = outcome.columns.filter((c) => c.misfit);
  if (misfits.length > 0) {
    lines.push("## Values that kept a column as text", "");
    for (const c of misfits) {
      const m = c.misfit!;
      const examples = m.examples.map((e) => `line ${e.line} ${codeSpan(e.value)} (${e.reason})`).join(", ");
      lines.push(`- ${codeSpan(c.name)}: ${m.count} not ${m.family}: ${examples}`);
    }
    lines.push("");
  }
  lines.push("## Files created", "", ...outcome.files.map((f, i) => `${i + 1}. ${codeSpan(f.path)} (${f.role})`), "");
  lines.push("## Paused models this makes ready", "");
  if (outcome.readiness.newlyReady.length === 0) lines.push("None.");
  for (const m of outcome.readiness.newlyReady) lines.push(`- ${codeSpan(m.name)} (${codeSpan(m.path)})`);
  lines.push("", "## Next", "", ...fenced(outcome.next), "", "## Rollback", "", ...fenced(outcome.undo), "");
  return lines.join("\n");
}

/** A fenced block that no backtick run in the commands (a file name, say) can close early. */
function fenced(commands: string[]): string[] {
  const longest = Math.max(0, ...commands.map((c) => Math.max(0, ...(c.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}sh`, ...commands.map((c) => c.replace(/[\r\n]+/g, " ")), fence];
}
