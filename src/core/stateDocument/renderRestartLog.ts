import { codeSpan } from "../render/codeSpan.js";
import type { RestartUpdate } from "./types.js";
import { oneLine } from "./oneLine.js";

/**
 * The lines of a `## 🔄 Restart Log` section, in the layout of the restart runbook, without line
 * terminators. The first log of a document is titled plainly; later ones carry their number so each
 * heading (and its link anchor) stays distinct.
 */
export function renderRestartLog(restart: RestartUpdate, ordinal: number): string[] {
  const title = ordinal > 1 ? `## 🔄 Restart Log (${ordinal})` : "## 🔄 Restart Log";
  const resumed = restart.resumed.map((file) => `- ${codeSpan(withoutSkip(file))} (was .skip)`);
  const stillPaused = restart.stillPaused.map(({ file, missing }) => {
    const names = missing.map(codeSpan).join(", ");
    return `- ${codeSpan(withSkip(file))}${names === "" ? "" : ` (missing: ${names})`}`;
  });
  return [
    "---",
    "",
    title,
    "",
    `**Restart Date**: ${restart.date}`,
    `**Models Resumed**: ${count(restart.resumed.length)}`,
    `**Models Still Paused**: ${count(restart.stillPaused.length)}`,
    "",
    "### Resumed Models:",
    ...(resumed.length > 0 ? resumed : ["- none"]),
    "",
    "### Still Paused:",
    ...(stillPaused.length > 0 ? stillPaused : ["- none"]),
    "",
    `**Next Action**: ${oneLine(restart.nextAction)}`,
  ];
}

function count(n: number): string {
  return n === 1 ? "1 model" : `${n} models`;
}

// Resumed files are shown by their restored name and paused ones by their paused name, whichever
// spelling the caller passed.
function withoutSkip(file: string): string {
  return file.endsWith(".skip") ? file.slice(0, -".skip".length) : file;
}

function withSkip(file: string): string {
  return file.endsWith(".skip") ? file : `${file}.skip`;
}
