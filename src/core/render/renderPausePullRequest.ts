import type { PauseOutcome } from "../pause/pauseOutcome.js";
import { codeSpan } from "./codeSpan.js";
import { tableCell } from "./tableCell.js";
import { truncateBody } from "./truncateBody.js";

/** Marks the tool's pause pull requests (a restore PR's marker is another, so neither path touches the other's). */
export const PAUSE_PR_MARKER = "<!-- dbt-unskip:pause-pr -->";

export function pausePrTitle(outcome: Pick<PauseOutcome, "dimension" | "paused">): string {
  const n = outcome.paused.length;
  return `dbt-unskip: pause ${n} model${n === 1 ? "" : "s"} of ${outcome.dimension} until their upstreams land`;
}

/** The body of a pause pull request: what is paused and why, what it waits for, how it comes back. */
export function renderPausePullRequest(outcome: PauseOutcome): string {
  const { before, after } = outcome.progress;
  const out = [
    PAUSE_PR_MARKER,
    "",
    `Pauses **${outcome.paused.length}** model${outcome.paused.length === 1 ? "" : "s"} (renamed to \`.skip\`, so dbt ignores them) so that \`dbt parse\` passes: ` +
      `${codeSpan(outcome.dimension)} ${before.complete}/${before.total} → ${after.complete}/${after.total} models complete.`,
    "",
    "### Paused",
    "",
    "| model | dimension | file | why |",
    "| --- | --- | --- | --- |",
  ];
  for (const m of outcome.paused) out.push(`| ${tableCell(codeSpan(m.name))} | ${tableCell(codeSpan(m.dimension ?? "none"))} | ${tableCell(codeSpan(m.to))} | ${tableCell(codeSpan(m.reason))} |`);
  out.push("");
  if (outcome.acrossDimensions.length > 0) out.push(`> [!NOTE]`, `> The cascade crosses into other dimensions: ${outcome.acrossDimensions.map(codeSpan).join(", ")} depend on what is paused here.`, "");
  if (outcome.waiting.length > 0) {
    out.push(`Already paused models that will wait on these too: ${outcome.waiting.map((w) => `${codeSpan(w.name)} (${codeSpan(w.dimension ?? "none")}, on ${codeSpan(w.waitsOn)})`).join(", ")}`, "");
  }
  if (outcome.missing.length > 0) {
    out.push("### Waiting for", "");
    for (const d of outcome.missing) out.push(`- ${d.kind === "source" ? "source " : ""}${codeSpan(d.name)}${d.expectedFrom ? ` (from ${codeSpan(d.expectedFrom)})` : ""}`);
    out.push("");
  }
  out.push(`\`dbt parse\` (dbt ${outcome.dbt.version ?? "?"}) passed in a scratch copy with these paused (${outcome.dbt.parseRuns} parse run${outcome.dbt.parseRuns === 1 ? "" : "s"}).`, "");
  const docs = outcome.stateDocuments.filter((d) => d.updated);
  if (docs.length > 0) out.push(`State documents: ${docs.map((d) => `${codeSpan(d.path)} (${d.created ? "new" : "updated"})`).join(", ")}.`, "");
  out.push(`When the upstreams land, dbt-unskip opens a restore pull request for ${codeSpan(outcome.dimension)} by itself; the files come back byte for byte.`);
  return truncateBody(out.join("\n"), { marker: PAUSE_PR_MARKER });
}
