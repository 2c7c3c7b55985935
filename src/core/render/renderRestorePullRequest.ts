import type { RestoreOutcome } from "../restore/restoreOutcome.js";
import { codeSpan } from "./codeSpan.js";
import { restoreDiagram } from "./blockersDiagram.js";
import { mermaidBlock } from "./mermaid.js";
import { shellQuote } from "./shellQuote.js";
import { tableCell } from "./tableCell.js";
import { truncateBody } from "./truncateBody.js";

/** Marks the tool's restore pull requests; the dimension tag says which dimension each restores. */
export const RESTORE_PR_MARKER = "<!-- dbt-unskip:restore-pr -->";
export const restorePrDimensionTag = (dimension: string) => `<!-- dbt-unskip:dimension:${dimension} -->`;

export function restorePrTitle(outcome: Pick<RestoreOutcome, "dimension" | "restored" | "stillPaused">): string {
  const n = outcome.restored.length;
  return `dbt-unskip: restore ${n} paused model${n === 1 ? "" : "s"} of ${outcome.dimension}${outcome.stillPaused.length === 0 ? " (completes it)" : ""}`;
}

/**
 * The body of a restore pull request, verdict and action first: what it restores and whether CI
 * ran on it, then the risk (the plan, when given), what comes back and why each is ready (once),
 * what stays paused and why (collapsed), the batch as a diagram, what dbt said, and one Rollback
 * that says what each undo does. Everything a reviewer needs without opening a terminal.
 */
export function renderRestorePullRequest(outcome: RestoreOutcome, options: { workflowToken?: boolean; humanCommits?: string[]; extraSections?: string[] } = {}): string {
  const out: string[] = [RESTORE_PR_MARKER, restorePrDimensionTag(outcome.dimension), ""];
  const { before, after } = outcome.progress;
  out.push(
    `Restores **${outcome.restored.length}** paused model${outcome.restored.length === 1 ? "" : "s"} of ${codeSpan(outcome.dimension)}: ` +
      `${before.active}/${before.total} → ${after.active}/${after.total} models migrated; \`dbt parse\` passed with them restored.`,
    "",
  );
  if (options.humanCommits && options.humanCommits.length > 0) {
    out.push(
      `> [!WARNING]`,
      `> This branch has commits that dbt-unskip did not make (${options.humanCommits.map((c) => codeSpan(c.slice(0, 12))).join(", ")}), so the tool no longer updates it.`,
      `> Merge or close this pull request, or delete the branch to let the tool start over.`,
      "",
    );
  }
  if (options.workflowToken) {
    out.push(
      "> [!IMPORTANT]",
      "> **Your CI has not run on this pull request.** It was opened with the workflow's `GITHUB_TOKEN`, so GitHub does not start other workflows for it.",
      "> To run your checks: close and reopen it, or push a commit to the branch; or give the action a GitHub App token or a PAT (`token:` input).",
      "",
    );
  }
  if (outcome.reSkipped.length > 0) {
    out.push("> [!CAUTION]", `> dbt rejected ${outcome.reSkipped.length} ready model${outcome.reSkipped.length === 1 ? "" : "s"}; ${outcome.reSkipped.length === 1 ? "it stays" : "they stay"} paused (below).`, "");
  }
  for (const section of options.extraSections ?? []) out.push(section, "");
  out.push("### Restored, in restore order", "", "| model | file | why it is ready |", "| --- | --- | --- |");
  for (const m of outcome.restored) out.push(`| ${tableCell(codeSpan(m.name))} | ${tableCell(codeSpan(m.to))} | ${tableCell(m.because)} |`);
  out.push("");
  if (outcome.reSkipped.length > 0) {
    out.push("### Left paused because dbt rejected them", "");
    for (const m of outcome.reSkipped) out.push(`- ${codeSpan(m.path)}: ${codeSpan(m.reason)}`);
    out.push("");
  }
  if (outcome.stillPaused.length > 0) {
    out.push(`<details><summary>Still paused (${outcome.stillPaused.length})</summary>`, "");
    for (const m of outcome.stillPaused) out.push(`- ${codeSpan(m.path)}: ${codeSpan(m.reason)}`);
    out.push("", "</details>", "");
  }
  const diagram = restoreDiagram(outcome);
  out.push("<details><summary>The batch and what still blocks the dimension, as a diagram</summary>", "", mermaidBlock(diagram.mermaid), "");
  if (diagram.omitted.count > 0) out.push(`_Left out: ${diagram.omitted.text}; \`dbt-unskip status --dimension ${outcome.dimension}\` lists every one._`, "");
  out.push("</details>", "");
  const dbt = outcome.dbt;
  out.push(
    "### dbt",
    "",
    `- dbt ${codeSpan(dbt.version ?? "?")}: \`dbt parse\` passed with these models restored (${dbt.parseRuns} run${dbt.parseRuns === 1 ? "" : "s"}); ` +
      `\`dbt compile --select\` passed for ${outcome.compiled.map(codeSpan).join(", ") || "none"} (${dbt.compileRuns} run${dbt.compileRuns === 1 ? "" : "s"}).`,
    outcome.stateDocument
      ? `- State document ${codeSpan(outcome.stateDocument.path)}: ${outcome.stateDocument.updated ? "restart log appended" : `not changed${outcome.stateDocument.problem ? ` (${outcome.stateDocument.problem})` : ""}`}.`
      : "- No state document for this dimension.",
    "",
  );
  const undo = outcome.restored.map((m) => `git mv -- ${shellQuote(m.to)} ${shellQuote(m.from)}`);
  if (outcome.stateDocument?.updated) {
    const before = outcome.commit ? `${outcome.commit.sha}~1` : "HEAD~1";
    undo.push(`git checkout ${before} -- ${shellQuote(outcome.stateDocument.path)}`);
  }
  out.push(
    "<details><summary>Rollback</summary>",
    "",
    "- **Before merging:** close this pull request; nothing else changed.",
    "- **After merging, before any `dbt run`:** re-skip the files and restore the state document (nothing was built, so nothing to drop):",
    "",
    "```sh",
    ...undo,
    "```",
    "",
    `- **After a \`dbt run\` built them:** ${codeSpan(`dbt-unskip rollback --dimension ${outcome.dimension}`)} drops what the run created and re-skips the files (it asks first).`,
    "",
    "</details>",
    "",
  );
  return truncateBody(out.join("\n"), { marker: RESTORE_PR_MARKER });
}
