import type { RollbackOutcome } from "./rollbackOutcome.js";

const TITLE: Record<RollbackOutcome["result"], string> = {
  "rolled-back": "✅ ROLLED BACK",
  cancelled: "✋ ROLLBACK CANCELLED (nothing changed)",
  refused: "❌ ROLLBACK REFUSED (nothing changed)",
  interrupted: "⏹️ ROLLBACK INTERRUPTED (files not touched)",
  failed: "❌ ROLLBACK FAILED",
};

/** The rollback for a terminal: what was dropped, what rollback.sh said, and what to do next. */
export function renderRollbackReport(outcome: RollbackOutcome): string {
  const out = [`${TITLE[outcome.result]}: ${outcome.dimension}${outcome.commit ? ` (restore ${outcome.commit.slice(0, 12)})` : ""}`, ""];
  if (outcome.dropped.length > 0) {
    out.push("Warehouse:");
    for (const d of outcome.dropped) out.push(`  ${d.ok ? "✅" : "❌"} ${d.sql}${d.error ? `\n     ${d.error.split("\n")[0]}` : ""}`);
    out.push("");
  }
  if (outcome.script.trim())
    out.push(
      "Files (rollback.sh):",
      ...outcome.script
        .trim()
        .split("\n")
        .map((l) => `  ${l}`),
      "",
    );
  if (outcome.error) out.push(`${outcome.result === "interrupted" ? "Interrupted" : "Error"}: ${outcome.error}`, "");
  if (outcome.result === "rolled-back") out.push(`Next: review with \`git status\`, then commit, e.g. git commit -m "rollback: ${outcome.dimension}"`);
  return `${out.join("\n")}\n`;
}
