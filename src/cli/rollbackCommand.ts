import { renderRollbackReport } from "../core/warehouseRun/renderRollbackReport.js";
import type { RollbackOutcome } from "../core/warehouseRun/rollbackOutcome.js";
import { rollbackDimension } from "../usecases/rollbackDimension.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP } from "./dbtCommandContext.js";
import { runWarehouseCommand } from "./runWarehouseCommand.js";
import { startCommand } from "./startCommand.js";

const EXIT: Record<RollbackOutcome["result"], number> = { "rolled-back": 0, cancelled: 0, failed: 1, refused: 3 };

export const rollbackCommand: CliCommand = {
  name: "rollback",
  summary: "undo a dimension's latest restore: drop the relations it created and re-skip its files",
  help: `Usage: dbt-unskip rollback --dimension NAME [--yes] [--json]

Undoes the latest restore commit of the dimension on this branch with the plan's own artefacts:
rollback.sh checks that no restored file changed since the restore (else nothing happens), the
DROP statements of rollback.sql run through dbt, then rollback.sh re-skips the files (git mv) and
puts the state document back. Nothing is committed: review it, then commit. Safe to run twice.

  --dimension NAME     the dimension (required)
  --yes, -y            do not ask first
${DBT_OPTIONS_HELP} (default 600)

Exit codes: 0 rolled back (or cancelled); 3 refused, nothing changed (a restored file changed since
the restore); 1 a dbt or shell step failed; 2 a problem with the input.

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, { options: { dimension: { type: "string" }, yes: { type: "boolean", short: "y", default: false }, ...DBT_OPTIONS }, dimension: "required" });
    if (!start) return 0;
    const { values, dimension, log } = start;
    return runWarehouseCommand(start, {
      defaultTimeoutSeconds: 600,
      interruptMessage: "Interrupted: stopping dbt.",
      exit: EXIT,
      render: renderRollbackReport,
      work: (context) =>
        rollbackDimension({
          ...context,
          dimension,
          confirm: async ({ plan, statements }) => {
            log.write(`\nRollback of ${dimension} (restore ${plan.basis.kind === "restored" ? plan.basis.commit.slice(0, 12) : ""}):\n`);
            for (const s of statements) log.write(`  warehouse: ${s.sql}\n`);
            for (const m of [...plan.models].reverse()) log.write(`  file:      ${m.realFile} → ${m.skipFile}\n`);
            if (plan.stateDocument) log.write(`  file:      ${plan.stateDocument.path} back to its text before the restore\n`);
            return confirmOnTerminal(io, { yes: values.yes === true, question: "Roll back now?", what: "rollback drops relations and renames files" });
          },
        }),
    });
  },
};
