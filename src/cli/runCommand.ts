import { markdownToTerminal } from "../core/render/markdownToTerminal.js";
import { renderRunReport } from "../core/warehouseRun/renderRunReport.js";
import type { RunOutcome } from "../core/warehouseRun/runOutcome.js";
import { runDimension } from "../usecases/runDimension.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { DBT_OPTIONS_HELP } from "./dbtCommandContext.js";
import { runRestoredDimensionCommand } from "./runWarehouseCommand.js";
import { localTreePorts } from "../adapters/localTreePorts.js";
import { localWarehouseDbt } from "../adapters/localWarehouseDbt.js";

export const EXIT: Record<RunOutcome["result"], number> = { succeeded: 0, cancelled: 0, failed: 1, "preflight-failed": 3, interrupted: 130 };

export const runCommand: CliCommand = {
  name: "run",
  summary: "run and test the models a dimension's latest restore brought back, with pre-flight checks and validation",
  help: `Usage: dbt-unskip run --dimension NAME [--yes] [--json]

Runs the models of the latest restore commit of the dimension on this branch: asks first, then
dbt debug and a check that every upstream relation exists, dbt run, dbt test and the validation
queries (row counts, no null unique keys). On failure it prints the rollback command; it never rolls
back by itself.

  --dimension NAME     the dimension (required)
  --yes, -y            do not ask before running
${DBT_OPTIONS_HELP} (default 3600)

${exitCodesHelp("run")}

${COMMON_HELP}`,
  run(argv, io) {
    return runRestoredDimensionCommand(this, argv, io, {
      defaultTimeoutSeconds: 3600,
      exit: EXIT,
      // The same report as the job summary, shown as terminal text like the other commands'.
      render: (outcome: RunOutcome) => markdownToTerminal(renderRunReport(outcome)),
      work: (context, ask) =>
        runDimension({
          ...localTreePorts,
          warehouse: localWarehouseDbt,
          ...context,
          confirm: (plan) =>
            ask(
              [
                `\nAbout to run ${plan.models.length} model(s) of ${context.dimension} (restore ${plan.basis.kind === "restored" ? plan.basis.commit.slice(0, 12) : ""}), then their tests:`,
                ...plan.models.map((m) => `  ${m.order}. ${m.name} [${m.materialization}] → ${m.relation ?? "nothing"} (risk ${m.risk.level})`),
              ],
              { question: "Run them now?", what: "run changes the warehouse" },
            ),
        }),
    });
  },
};
