import type { BackfillOutcome } from "./backfillOutcome.js";

const MARK: Record<BackfillOutcome["batches"][number]["status"], string> = { "done-before": "✔ (earlier run)", done: "✅", failed: "❌", pending: "…" };

/** The backfill for a terminal: one line per batch, and how to continue after a failure. */
export function renderBackfillReport(outcome: BackfillOutcome): string {
  const done = outcome.batches.filter((b) => b.status === "done" || b.status === "done-before").length;
  const title =
    outcome.result === "completed"
      ? "✅ BACKFILL COMPLETE"
      : outcome.result === "nothing-to-do"
        ? "✅ BACKFILL ALREADY COMPLETE (nothing to do)"
        : outcome.result === "cancelled"
          ? "✋ BACKFILL CANCELLED"
          : outcome.result === "interrupted"
            ? "⏹️ BACKFILL INTERRUPTED"
            : "❌ BACKFILL STOPPED";
  const out = [`${title}: ${outcome.model} (${outcome.mode === "microbatch" ? "microbatch, --event-time-start/--event-time-end" : "incremental, --vars"})`, ""];
  out.push(`Batches: ${done}/${outcome.batches.length} done; dbt runs this time: ${outcome.invocations}`);
  for (const b of outcome.batches) out.push(`  ${b.start} → ${b.end}  ${MARK[b.status]}${b.seconds !== null ? ` ${b.seconds.toFixed(1)}s` : ""}`);
  out.push("", `State: ${outcome.stateFile}`);
  if (outcome.error) out.push("", `${outcome.result === "interrupted" ? "Interrupted" : "Error"}: ${outcome.error}`);
  return `${out.join("\n")}\n`;
}
