import { renderRollbackReport } from "../core/warehouseRun/renderRollbackReport.js";
import type { RollbackOutcome } from "../core/warehouseRun/rollbackOutcome.js";
import { rollbackDimension } from "../usecases/rollbackDimension.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { DBT_OPTIONS_HELP } from "./dbtCommandContext.js";
import { runRestoredDimensionCommand } from "./runWarehouseCommand.js";
import { localTreePorts } from "../adapters/localTreePorts.js";
import { localWarehouseDbt } from "../adapters/localWarehouseDbt.js";

export const EXIT: Record<RollbackOutcome["result"], number> = { "rolled-back": 0, cancelled: 0, failed: 1, refused: 3, interrupted: 130 };

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

${exitCodesHelp("rollback")}

${COMMON_HELP}`,
  run(argv, io) {
    return runRestoredDimensionCommand(this, argv, io, {
      defaultTimeoutSeconds: 600,
      exit: EXIT,
      render: renderRollbackReport,
      work: (context, ask) =>
        rollbackDimension({
          ...localTreePorts,
          warehouse: localWarehouseDbt,
          ...context,
          confirm: ({ plan, statements }) =>
            ask(
              [
                `\nRollback of ${context.dimension} (restore ${plan.basis.kind === "restored" ? plan.basis.commit.slice(0, 12) : ""}):`,
                ...statements.map((s) => `  warehouse: ${s.sql}`),
                ...[...plan.models].reverse().map((m) => `  file:      ${m.realFile} → ${m.skipFile}`),
                ...(plan.stateDocument ? [`  file:      ${plan.stateDocument.path} back to its text before the restore`] : []),
              ],
              { question: "Roll back now?", what: "rollback drops relations and renames files" },
            ),
        }),
    });
  },
};
