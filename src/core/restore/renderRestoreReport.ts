import type { RestoreOutcome } from "./restoreOutcome.js";
import { restoredSelection } from "./restoredSelection.js";

const RULE = "━".repeat(60);

/** The restart runbook's completion / partial report, for a terminal. */
export function renderRestoreReport(outcome: RestoreOutcome): string {
  const out: string[] = [];
  const { after, before } = outcome.progress;
  const pct = (p: { active: number; total: number }) => (p.total === 0 ? 100 : Math.round((p.active / p.total) * 100));
  const complete = outcome.result === "restored" && outcome.stillPaused.length === 0;
  const n = outcome.restored.length;
  // Restored means the files are back and dbt parses them: nothing is built yet, so no "migration" verdict.
  const title =
    outcome.result === "restored"
      ? `✅ RESTORED ${n} MODEL${n === 1 ? "" : "S"}: ${outcome.dimension}${complete ? " (no paused model left in it)" : ` (${outcome.stillPaused.length} still paused)`}`
      : outcome.result === "nothing-ready"
        ? `⏸️  NOTHING TO RESUME: ${outcome.dimension}`
        : outcome.result === "cancelled"
          ? `✋ RESTORE CANCELLED: ${outcome.dimension}`
          : outcome.result === "interrupted"
            ? `⏹️  RESTORE INTERRUPTED: ${outcome.dimension}`
            : `❌ RESTORE FAILED: ${outcome.dimension}`;
  out.push(RULE, title, RULE, "");
  const shown = outcome.result === "restored" ? after : before;
  out.push(
    outcome.result === "restored"
      ? `Files: ${shown.active}/${shown.total} models of ${outcome.dimension} active (${pct(shown)}%); nothing is built until you run dbt.`
      : `Files: ${shown.active}/${shown.total} models of ${outcome.dimension} active (${pct(shown)}%).`,
    "",
  );

  if (outcome.restored.length > 0) {
    out.push(`🔄 Resumed (${outcome.restored.length}):`);
    for (const m of outcome.restored) out.push(`   - ${m.to} (was .skip) — ${m.because}`);
    const layers = new Map<string, number>();
    for (const m of outcome.restored) {
      const layer = m.realFile.split("/").slice(1, -1).join("/") || "(top level)";
      layers.set(layer, (layers.get(layer) ?? 0) + 1);
    }
    out.push("", "   By layer:", ...[...layers].map(([layer, n]) => `   - ${layer}: ${n} model${n === 1 ? "" : "s"}`), "");
  }
  if (outcome.reSkipped.length > 0) {
    out.push(`↩️  Re-skipped after dbt rejected them (${outcome.reSkipped.length}):`);
    for (const m of outcome.reSkipped) out.push(`   - ${m.path} — ${m.reason}`);
    out.push("");
  }
  if (outcome.stillPaused.length > 0) {
    out.push(`⏸️  Still paused (${outcome.stillPaused.length}):`);
    for (const m of outcome.stillPaused) out.push(`   - ${m.path} (${m.reason})`);
    out.push("");
  }
  const { parseRuns, compileRuns, invocations } = outcome.dbt;
  if (invocations > 0) {
    out.push(
      `dbt ${outcome.dbt.version ?? ""}: ${parseRuns} parse run${parseRuns === 1 ? "" : "s"}, ${compileRuns} compile run${compileRuns === 1 ? "" : "s"}${outcome.compiled.length > 0 ? `; compiled ${outcome.compiled.join(", ")}` : ""}`,
    );
  }
  if (outcome.stateDocument) {
    out.push(
      outcome.stateDocument.updated
        ? `State updated: ${outcome.stateDocument.path}`
        : `State document ${outcome.stateDocument.path} not changed${outcome.stateDocument.problem ? `: ${outcome.stateDocument.problem}` : ""}`,
    );
  }
  for (const doc of outcome.otherStateDocuments ?? []) {
    out.push(doc.updated ? `State updated: ${doc.path} (its models restored with this batch)` : `State document ${doc.path} not changed${doc.problem ? `: ${doc.problem}` : ""}`);
  }
  if (outcome.commit) out.push(`Committed ${outcome.commit.sha.slice(0, 12)} on ${outcome.commit.branch} (your git hooks were not run for it; see Next Steps)`);
  for (const note of outcome.notes ?? []) out.push(`Note: ${note}`);
  if (outcome.result === "interrupted") out.push("", `Interrupted: ${outcome.error ?? "stopped before anything was changed"}.`, "The working tree was left exactly as it was.");
  else if (outcome.error) {
    out.push("", `Error: ${outcome.error}`, outcome.error.includes("undoing it also failed") ? "Undoing it failed: check `git status` before anything else." : "The working tree was left exactly as it was.");
  }
  if (outcome.result === "nothing-ready" || outcome.result === "nothing-restorable") out.push("", "No changes made.");

  const steps: string[] = [];
  if (outcome.result === "failed" || outcome.result === "cancelled" || outcome.result === "interrupted") {
    // What blocks the dimension is not the next step when the command itself failed or was stopped.
    if (outcome.result === "failed") steps.push(`Fix the error above, then run again: dbt-unskip restore --dimension ${outcome.dimension}`);
    else steps.push(`Run again when ready: dbt-unskip restore --dimension ${outcome.dimension}`);
  } else {
    if (outcome.commit) {
      // The commit is made with git plumbing, so pre-commit and commit-msg hooks did not run.
      steps.push("Run your commit hooks on it (they were not run), by making the commit again with git (with nothing else staged):\n   git reset --soft HEAD~1 && git commit -C ORIG_HEAD");
      steps.push(`Push and open a pull request:\n   git push origin ${outcome.commit.branch}`);
    } else if (outcome.result === "restored") steps.push("Review and commit the restored files.");
    if (outcome.result === "restored") steps.push(`Run and test the restored models: dbt build --select ${restoredSelection(outcome.restored)}`);
    for (const blocker of outcome.blockers) {
      steps.push(`Migrate ${blocker.type === "source" ? "source " : ""}${blocker.name}${blocker.expectedFrom ? ` (expected from ${blocker.expectedFrom})` : ""}: unblocks ${blocker.blocks.join(", ")}`);
    }
    // A model dbt rejected needs fixing, not waiting; the others wait for what they miss.
    const rejected = outcome.stillPaused.filter((m) => m.status === "re-skipped");
    if (rejected.length > 0) {
      steps.push(`Fix what dbt rejected (${rejected.map((m) => m.name).join(", ")}; the reasons are above), then restore again: dbt-unskip restore --dimension ${outcome.dimension}`);
    }
    // What needs investigation (a name dbt refuses, a link, a dynamic ref) waits for a person, not for a dependency to land.
    const investigate = outcome.stillPaused.filter((m) => m.status === "needs-investigation");
    if (investigate.length > 0) {
      steps.push(`Look into what needs investigation (${investigate.map((m) => m.name).join(", ")}; the reasons are above), then restore again: dbt-unskip restore --dimension ${outcome.dimension}`);
    }
    if (outcome.stillPaused.length > rejected.length + investigate.length) steps.push(`Restore again when they land: dbt-unskip restore --dimension ${outcome.dimension}`);
  }
  if (steps.length > 0) {
    out.push("", RULE, "Next steps:", RULE);
    steps.forEach((step, i) => {
      out.push(`${i + 1}. ${step}`);
    });
  }
  out.push(RULE);
  return `${out.join("\n")}\n`;
}
