import { backfillBatches, type BatchSize } from "../core/warehouseRun/backfillBatches.js";
import type { BackfillOutcome } from "../core/warehouseRun/backfillOutcome.js";
import { renderBackfillReport } from "../core/warehouseRun/renderBackfillReport.js";
import { UserError } from "../core/userError.js";
import { backfillModel, BACKFILL_VARS } from "../usecases/backfillModel.js";
import { exitCodesHelp } from "./exitCodes.js";
import { checkName, COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP } from "./dbtCommandContext.js";
import { runWarehouseCommand } from "./runWarehouseCommand.js";
import { startCommand } from "./startCommand.js";
import { localDisk } from "../adapters/files/localDisk.js";
import { localWarehouseDbt } from "../adapters/localWarehouseDbt.js";

export const EXIT: Record<BackfillOutcome["result"], number> = { completed: 0, "nothing-to-do": 0, cancelled: 0, failed: 1, interrupted: 130 };

export const backfillCommand: CliCommand = {
  name: "backfill",
  summary: "backfill an incremental or microbatch model over a date range, batch by batch, resumable",
  help: `Usage: dbt-unskip backfill --model NAME --start YYYY-MM-DD --end YYYY-MM-DD [--batch day|month] [--restart] [--yes]

Runs the model once per batch of [start, end) (the end is exclusive, as dbt's). A microbatch model
gets --event-time-start/--event-time-end; a plain incremental model gets
--vars '{${BACKFILL_VARS.start}: ..., ${BACKFILL_VARS.end}: ...}' and must filter on them.
Each finished batch is recorded in <target>/dbt-unskip-backfill-<model>.json; after a failure the
same command continues with the failed batch and never reruns a finished one.

  --model NAME         the model (required)
  --start DATE         first day (required)
  --end DATE           day after the last (required)
  --batch day|month    batch size (default day)
  --restart            forget the recorded progress and start over
  --yes, -y            do not ask first
${DBT_OPTIONS_HELP} per batch (default 3600)

${exitCodesHelp("backfill")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, {
      options: {
        model: { type: "string" },
        start: { type: "string" },
        end: { type: "string" },
        batch: { type: "string" },
        restart: { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        ...DBT_OPTIONS,
      },
      check: (values) => {
        if (values.model === undefined || values.start === undefined || values.end === undefined) throw new UserError("backfill needs --model NAME --start YYYY-MM-DD --end YYYY-MM-DD");
        const model = checkName("--model", values.model as string);
        const batch = (values.batch ?? "day") as string;
        if (batch !== "day" && batch !== "month") throw new UserError(`--batch '${batch}': expected day or month`);
        // A typo in a date is said before dbt starts.
        backfillBatches({ start: values.start as string, end: values.end as string, batch });
        return { model, batch: batch as BatchSize };
      },
    });
    if (!start) return 0;
    const { values, log } = start;
    const { model, batch } = start.checked;
    return runWarehouseCommand(start, {
      noun: "backfill",
      json: io.stdout,
      defaultTimeoutSeconds: 3600,
      interruptMessage: (dbtRunning) => `Interrupted: stopping${dbtRunning ? " dbt" : ""}; finished batches stay recorded.`,
      exit: EXIT,
      render: renderBackfillReport,
      work: (context) =>
        backfillModel({
          disk: localDisk,
          warehouse: localWarehouseDbt,
          ...context,
          model,
          start: values.start as string,
          end: values.end as string,
          batch,
          restart: values.restart === true,
          confirm: async ({ mode, total, pending, stateFile }) => {
            log.write(`\nBackfill ${model} (${mode}): ${pending.length} of ${total} batch(es) to run, ${pending[0]?.start} onwards; progress in ${stateFile}\n`);
            return confirmOnTerminal(io, { yes: values.yes === true, question: "Start?", what: "backfill writes to the warehouse" });
          },
        }),
    });
  },
};
