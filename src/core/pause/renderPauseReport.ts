import type { PauseOutcome } from "./pauseOutcome.js";

const RULE = "━".repeat(60);

/** The pause procedure's report, for a terminal: what was (or would be) paused and why. */
export function renderPauseReport(outcome: PauseOutcome): string {
  const out: string[] = [];
  const title = {
    paused: `⏸️  MIGRATION PAUSED: ${outcome.dimension}`,
    "would-pause": `🔎 DRY RUN: ${outcome.dimension} (nothing was changed)`,
    "nothing-to-pause": `✅ NOTHING TO PAUSE: ${outcome.dimension}`,
    cancelled: `✋ PAUSE CANCELLED: ${outcome.dimension}`,
    interrupted: `⏹️  PAUSE INTERRUPTED: ${outcome.dimension}`,
    failed: `❌ PAUSE FAILED: ${outcome.dimension}`,
  }[outcome.result];
  out.push(RULE, title, RULE, "");
  const shown = outcome.result === "paused" || outcome.result === "would-pause" ? outcome.progress.after : outcome.progress.before;
  const pct = shown.total === 0 ? 100 : Math.round((shown.complete / shown.total) * 100);
  out.push(`Progress: ${shown.complete}/${shown.total} models complete (${pct}%)`, "");

  if (outcome.paused.length > 0) {
    out.push(`${outcome.result === "paused" ? "⏸️  Paused" : "⏸️  Would pause"} (${outcome.paused.length}):`);
    for (const m of outcome.paused) {
      const other = m.dimension !== outcome.dimension ? ` [${m.dimension ?? "no dimension"}]` : "";
      out.push(`   - ${m.from} → ${m.to.slice(m.to.lastIndexOf("/") + 1)}${other}: ${m.reason}`);
    }
    out.push("");
  }
  if (outcome.acrossDimensions.length > 0) {
    out.push(`↪️  The cascade crosses into other dimensions: ${outcome.acrossDimensions.join(", ")} depend on what is paused here.`, "");
  }
  if (outcome.waiting.length > 0) {
    out.push("⏳ Already paused models that wait on these:");
    for (const w of outcome.waiting) out.push(`   - ${w.name} (${w.dimension ?? "no dimension"}) waits on ${w.waitsOn}`);
    out.push("");
  }
  if (outcome.missing.length > 0) {
    out.push("❌ Missing dependencies:");
    for (const d of outcome.missing) out.push(`   - ${d.kind === "source" ? "source " : ""}${d.name}${d.expectedFrom ? ` (from ${d.expectedFrom})` : ""}`);
    out.push("");
  }
  if (outcome.dbt.parseRuns > 0)
    out.push(
      `dbt ${outcome.dbt.version ?? ""}: ${outcome.dbt.parseRuns} parse run${outcome.dbt.parseRuns === 1 ? "" : "s"} in a scratch copy${outcome.result === "failed" || outcome.result === "interrupted" ? "" : "; the last one green"}`,
    );
  for (const d of outcome.stateDocuments) {
    out.push(
      d.updated
        ? `State ${d.created ? "written" : "updated"}: ${d.path}`
        : `State document ${d.path} ${outcome.result === "would-pause" ? `would be ${d.created ? "written" : "updated"}` : "not changed"}${d.problem ? `: ${d.problem}` : ""}`,
    );
  }
  if (outcome.commit) out.push(`Committed ${outcome.commit.sha.slice(0, 12)} on ${outcome.commit.branch}`);
  if (outcome.result === "interrupted") out.push("", `Interrupted: ${outcome.error ?? "stopped before anything was changed"}.`);
  else if (outcome.error)
    out.push("", `Error: ${outcome.error}`, outcome.error.includes("undoing it also failed") ? "Undoing it failed: check `git status` before anything else." : "The working tree, index and HEAD are as they were.");
  if (outcome.result !== "paused") out.push("", "No changes made.");

  out.push("", RULE, "Next Steps:", RULE);
  let step = 1;
  // The models asked for with --models: without them the command would pause what the static scan finds.
  const asked = outcome.paused.filter((m) => m.found === "asked").map((m) => m.name);
  const again = `dbt-unskip pause --dimension ${outcome.dimension}${asked.length > 0 ? ` --models ${asked.join(",")}` : ""}`;
  if (outcome.result === "would-pause") out.push(`${step++}. Pause them: ${again} --yes`);
  if (outcome.commit) out.push(`${step++}. Push and open a pull request:`, `   git push origin ${outcome.commit.branch}`);
  if (outcome.result === "interrupted") out.push(`${step++}. Run again when ready: ${again}`);
  if (outcome.result === "paused" || outcome.result === "would-pause") {
    for (const d of outcome.missing) out.push(`${step++}. Migrate ${d.kind === "source" ? "source " : ""}${d.name}${d.expectedFrom ? ` (${d.expectedFrom})` : ""}`);
    out.push(`${step++}. Restore when they land: dbt-unskip restore --dimension ${outcome.dimension}`);
  }
  out.push(RULE);
  return `${out.join("\n")}\n`;
}
