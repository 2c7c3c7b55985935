import { renderRestoreReport } from "../core/restore/renderRestoreReport.js";
import type { RestoreOutcome } from "../core/restore/restoreOutcome.js";
import { restoreDimension } from "../usecases/restoreDimension.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { runTreeCommand, startTreeCommand } from "./treeCommand.js";

export const EXIT: Record<RestoreOutcome["result"], number> = {
  restored: 0,
  "nothing-ready": 0,
  cancelled: 0,
  interrupted: 130,
  "nothing-restorable": 3,
  failed: 1,
};

export const restoreCommand: CliCommand = {
  name: "restore",
  summary: "un-skip a dimension's ready models after a real dbt parse and compile, and commit",
  help: `Usage: dbt-unskip restore --dimension NAME [--models a,b] [--yes] [--no-commit] [--allow-dirty] [--json]

  --dimension NAME     the dimension to restore (required)
  --models a,b         only these ready models (and the paused models they need)
  --yes, -y            do not ask before changing anything
  --no-commit          leave the restore staged instead of committing it on <branch-prefix><dimension>
  --allow-dirty        restore even with uncommitted changes (they stay out of the commit)
  --timeout SECONDS    stop a dbt command after this long (default 600)

${exitCodesHelp("restore")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startTreeCommand(this, argv, io, { "no-commit": { type: "boolean", default: false }, "allow-dirty": { type: "boolean", default: false } });
    if (!start) return 0;
    const { values, dimension, log } = start;

    return runTreeCommand(start, {
      noun: "restore",
      exit: EXIT,
      render: renderRestoreReport,
      ending: interruptedEnding,
      run: (input) =>
        restoreDimension({
          ...input,
          allowDirty: values["allow-dirty"] === true,
          commit: values["no-commit"] !== true,
          confirm: async ({ batch, staying, files }) => {
            log.write(`\nReady to resume in ${dimension} (${batch.length}):\n`);
            // One path style in one list: every path from the repository root.
            for (const m of batch) log.write(`  ✅ ${files.get(m.name) ?? m.skipFile} → ${m.because}\n`);
            if (staying.length > 0) {
              log.write(`Still blocked (${staying.length}):\n`);
              for (const m of staying) log.write(`  ❌ ${m.path} (${m.reason})\n`);
            }
            return confirmOnTerminal(io, {
              yes: values.yes === true,
              what: "restore changes files and commits",
              question: "\n1) resume the ready models  2) wait for the rest  3) cancel",
              answers: { prompt: "  [1/2/3]", accept: (answer) => answer === "1" },
            });
          },
        }),
    });
  },
};

/** The last word after an interrupt: whether the restore was undone or had completed, truthfully. */
export function interruptedEnding(signal: NodeJS.Signals, outcome: RestoreOutcome | null): string {
  if (outcome === null) return `${signal}: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).`;
  if (outcome.result === "restored") {
    const what = outcome.commit ? `committed ${outcome.commit.sha.slice(0, 12)} on ${outcome.commit.branch}` : "the restored files are staged, not committed";
    return `${signal}: the restore had already completed when it arrived (${what}); nothing was undone.`;
  }
  if (outcome.error?.includes("undoing it also failed")) return `${signal}: the restore was stopped, but undoing it failed (see the error above); check \`git status\`.`;
  return `${signal}: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).`;
}
