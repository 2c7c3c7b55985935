import type { PauseOutcome } from "../core/pause/pauseOutcome.js";
import { renderPauseReport } from "../core/pause/renderPauseReport.js";
import { pauseDimension } from "../usecases/pauseDimension.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { runTreeCommand, startTreeCommand } from "./treeCommand.js";

export const EXIT: Record<PauseOutcome["result"], number> = {
  paused: 0,
  "would-pause": 0,
  "nothing-to-pause": 0,
  cancelled: 0,
  interrupted: 130,
  failed: 1,
};

export const pauseCommand: CliCommand = {
  name: "pause",
  summary: "rename what keeps dbt parse from passing to .skip (proven in a scratch copy), write the state document, and commit",
  help: `Usage: dbt-unskip pause --dimension NAME [--models a,b] [--dry-run] [--yes] [--json]

  --dimension NAME     the dimension to pause models of (required)
  --models a,b         pause these active models of the dimension (and everything that depends on
                       them) instead of the ones the static scan finds
  --dry-run            say what would be paused and why (dbt runs in a scratch copy); change nothing
  --yes, -y            do not ask before changing anything
  --timeout SECONDS    stop a dbt command after this long (default 600)

dbt parse runs in a scratch copy until it is green: each model dbt names (and every model depending
on it, in any dimension) is paused; only then are the files renamed with git mv, the state document
written or updated, and one commit made on <branch-prefix><dimension>. An error or an interrupt
while applying puts the tree, index and HEAD back as they were.

${exitCodesHelp("pause")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startTreeCommand(this, argv, io, { "dry-run": { type: "boolean", default: false } });
    if (!start) return 0;
    const { values, dimension, log } = start;

    return runTreeCommand(start, {
      noun: "pause",
      exit: EXIT,
      render: renderPauseReport,
      // The truth about an interrupt: a pause whose transaction had completed stays done.
      ending: (signal, outcome) =>
        outcome?.result === "paused"
          ? `${signal} came after the pause was complete: it is committed (${outcome.commit?.sha.slice(0, 12) ?? "staged"}).`
          : outcome?.error?.includes("undoing it also failed")
            ? `${signal}: the pause was stopped, but undoing it failed (see the error above); check \`git status\`.`
            : `${signal}: nothing was paused; the tree, index and HEAD are as they were.`,
      run: (input) =>
        pauseDimension({
          ...input,
          dryRun: values["dry-run"] === true,
          confirm: async (proposal) => {
            log.write(`\nTo pause in ${dimension} (${proposal.paused.length}):\n`);
            for (const m of proposal.paused) log.write(`  ⏸️  ${m.from}${m.dimension !== dimension ? ` [${m.dimension ?? "no dimension"}]` : ""}: ${m.reason}\n`);
            return confirmOnTerminal(io, { yes: values.yes === true, question: "\nPause these models and commit?", what: "pause renames files and commits" });
          },
        }),
    });
  },
};
