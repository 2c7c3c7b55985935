import { resolve } from "node:path";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderRunReport } from "../core/run/renderRunReport.js";
import type { RunOutcome } from "../core/run/runOutcome.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { runDimension } from "../usecases/runDimension.js";
import { checkName, COMMON_HELP, parseCommandArgs, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP, dbtCommandContext } from "./dbtCommandContext.js";
import { withInterrupt } from "./withInterrupt.js";

const EXIT: Record<RunOutcome["result"], number> = { succeeded: 0, cancelled: 0, failed: 1, "preflight-failed": 3 };

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

Exit codes: 0 succeeded (or cancelled); 1 dbt run, a test or a validation check failed; 3 a
pre-flight check failed (nothing ran); 2 a problem with the input.

${COMMON_HELP}`,
  async run(argv, io) {
    const { values, common, help } = parseCommandArgs("run", argv, { dimension: { type: "string" }, yes: { type: "boolean", short: "y", default: false }, ...DBT_OPTIONS }, io.cwd);
    if (help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    if (values.dimension === undefined) throw new UserError("run needs --dimension NAME");
    const dimension = checkName("--dimension", values.dimension as string);
    const root = resolve(common.root);
    const config = await loadConfig(createDiskFileSource(root), common.config);
    if (common.projectDirs) config.projectDirs = common.projectDirs;
    const log = common.json ? io.stderr : io.stdout;
    const { value: outcome, interrupted } = await withInterrupt(log, "Interrupted: stopping dbt.", async (signal) => {
      const { dbt, secrets } = await dbtCommandContext({ common, values, root, defaultTimeoutSeconds: 3600, signal });
      return runDimension({
        root,
        config,
        dimension,
        dbt,
        secrets,
        progress: (line) => log.write(`${line}\n`),
        confirm: async (plan) => {
          log.write(`\nAbout to run ${plan.models.length} model(s) of ${dimension} (restore ${plan.basis.kind === "restored" ? plan.basis.commit.slice(0, 12) : ""}), then their tests:\n`);
          for (const m of plan.models) log.write(`  ${m.order}. ${m.name} [${m.materialization}] → ${m.relation ?? "nothing"} (risk ${m.risk.level})\n`);
          return confirmOnTerminal(io, { yes: values.yes === true, question: "Run them now?", what: "run changes the warehouse" });
        },
      });
    });
    if (common.json) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else io.stdout.write(`\n${renderRunReport(outcome)}`);
    return interrupted ? 130 : EXIT[outcome.result];
  },
};
