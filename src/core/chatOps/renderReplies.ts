import type { ReadinessReport } from "../readiness/readinessReport.js";
import { nextStep } from "../readiness/nextStep.js";
import { codeSpan } from "../render/codeSpan.js";
import { restoreRefusedMarkdown } from "../render/restoreRefused.js";
import { unreadFileMarkdown } from "../render/unreadFile.js";
import { tableCell } from "../render/tableCell.js";
import { truncateBody } from "../render/truncateBody.js";
import { USAGE, type UnskipCommand } from "./parseCommand.js";

// The bot's answers to chat-ops and dashboard ticks. Every name from the repository or a comment goes
// through `codeSpan` (and `tableCell` in tables): they come from people the tool does not know.

/** Addressed to the login GitHub says sent the command (a login cannot hold Markdown). */
const to = (login: string) => `@${login}`;

export function renderHelp(login: string, problem?: string): string {
  return [problem ? `${to(login)}, ${problem}` : `${to(login)}, dbt-unskip understands, on the first line of a new comment:`, "", ...USAGE.map((line) => `- ${line}`), ""].join("\n");
}

export function renderRefused(login: string, reason: string): string {
  return `${to(login)}, dbt-unskip did nothing: ${reason}. Ask someone with write access to the repository.\n`;
}

export function renderRejected(login: string, message: string): string {
  return `${to(login)}, ${message}\n`;
}

export function renderFailure(login: string, what: string, message: string): string {
  return `${to(login)}, ${what} failed: ${message.split("\n")[0]}\n`;
}

/** Readiness at the default branch, in a comment: counts per dimension, what is ready, what blocks most. */
export function renderStatusReply(login: string, reports: readonly ReadinessReport[], at: { ref: string; commit: string | null }): string {
  const where = at.commit ? `${codeSpan(at.ref)} (${codeSpan(at.commit.slice(0, 12))})` : codeSpan(at.ref);
  const out = [`${to(login)}, readiness at ${where}:`, ""];
  for (const report of reports) {
    if (reports.length > 1) out.push(`#### Project ${codeSpan(report.project.dir)}`, "");
    const s = report.summary;
    out.push(`**${s.paused}** paused: **${s.ready}** ready, **${s.blocked}** blocked, **${s.needsInvestigation}** need investigation.`, "");
    out.push(nextStepLine(report), "");
    if (report.dimensions.length > 0) {
      out.push("| dimension | migrated | ready | blocked | investigate |", "| --- | ---: | ---: | ---: | ---: |");
      for (const d of report.dimensions) {
        out.push(`| ${tableCell(codeSpan(d.name))} | ${d.active}/${d.active + d.paused} | ${d.ready} | ${d.blocked} | ${d.needsInvestigation} |`);
      }
      out.push("");
    }
    for (const d of report.dimensions.filter((dim) => dim.ready > 0)) {
      const ready = report.models.filter((m) => m.dimension === d.name && m.status === "ready").sort((a, b) => (a.restoreOrder ?? 0) - (b.restoreOrder ?? 0));
      const how = d.restoreRefused === undefined ? `\`/unskip restore ${d.name}\`` : restoreRefusedMarkdown(d.restoreRefused);
      out.push(`- Ready in ${codeSpan(d.name)}: ${ready.map((m) => codeSpan(m.name)).join(", ")} (${how})`);
    }
    const causes = report.rootCauses.slice(0, 5);
    if (causes.length > 0) {
      out.push("", "What to migrate next (blocks the most first):", "");
      for (const c of causes)
        out.push(
          `- ${codeSpan(c.name)} (${c.type}${c.expectedFrom ? `, expected from ${codeSpan(c.expectedFrom)}` : ""}${c.disabled ? `, disabled: ${codeSpan(c.disabled)}` : ""}${c.unreadFile ? `; ${unreadFileMarkdown(c.unreadFile)}` : ""}) blocks ${c.blocks.length}`,
        );
    }
    out.push("");
  }
  return truncateBody(out.join("\n"), { note: "The reply was cut to fit GitHub's size limit; `dbt-unskip status` prints all of it." });
}

/** The one thing to do next, first (decided by nextStep): a restore to ask for, else what blocks one, else the root cause to migrate. */
function nextStepLine(report: ReadinessReport): string {
  const next = nextStep(report);
  switch (next.kind) {
    case "restore": {
      const dim = next.dimension;
      return `**Next:** comment \`/unskip restore ${dim.name}\` to restore ${dim.ready} ready model${dim.ready === 1 ? "" : "s"}${next.later.length > 0 ? " (other dimensions are ready too, below)" : ""}.`;
    }
    case "unblock-restore":
      return `**Next:** ${codeSpan(next.dimension.name)} has ${next.dimension.ready} ready model${next.dimension.ready === 1 ? "" : "s"}, but its ${restoreRefusedMarkdown(next.dimension.restoreRefused)}.`;
    case "migrate": {
      const top = next.cause;
      return `**Next:** migrate ${codeSpan(top.name)}${top.expectedFrom ? ` (expected from ${codeSpan(top.expectedFrom)})` : ""}: it blocks ${top.blocks.length} paused model${top.blocks.length === 1 ? "" : "s"}.`;
    }
    case "nothing":
      return "**Next:** nothing: no paused models left.";
    case "restore-by-hand":
      return "**Next:** restore the ready models that have no dimension by hand (rename `.sql.skip` to `.sql`).";
    case "investigate":
      return "**Next:** look into the models that need investigation (`dbt-unskip status`).";
  }
}

/** What the bot asked the Action to do, and why it does not do it itself. */
export function renderDispatched(login: string, input: { command: Exclude<UnskipCommand, { name: "help" | "status" }>; workflow: string; ref: string; runsUrl: string; expectedSha: string | null }): string {
  const { command } = input;
  const models = (command.name === "restore" || command.name === "pause") && command.models.length > 0 ? ` (only ${command.models.map(codeSpan).join(", ")})` : "";
  const lines = [
    `${to(login)}, asked the Action to **${command.name}**${command.name === "verify" ? "" : ` ${codeSpan(command.dimension)}`}${models}: started the workflow ${codeSpan(input.workflow)} on ${codeSpan(input.ref)}. ` +
      `This needs dbt, which the bot does not run; [the workflow's run](${input.runsUrl}) does the work and reports there.`,
  ];
  if (input.expectedSha) lines.push("", `The names were checked at ${codeSpan(input.expectedSha.slice(0, 12))}; the run stops if ${codeSpan(input.ref)} has moved on since.`);
  return `${lines.join("\n")}\n`;
}
