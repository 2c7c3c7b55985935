import { resolve } from "node:path";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderRollbackReport } from "../core/run/renderRollbackReport.js";
import type { RollbackOutcome } from "../core/run/rollbackOutcome.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { rollbackDimension } from "../usecases/rollbackDimension.js";
import { checkName, COMMON_HELP, parseCommandArgs, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP, dbtCommandContext } from "./dbtCommandContext.js";
import { withInterrupt } from "./withInterrupt.js";

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
    const { values, common, help } = parseCommandArgs("rollback", argv, { dimension: { type: "string" }, yes: { type: "boolean", short: "y", default: false }, ...DBT_OPTIONS }, io.cwd);
    if (help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    if (values.dimension === undefined) throw new UserError("rollback needs --dimension NAME");
    const dimension = checkName("--dimension", values.dimension as string);
    const root = resolve(common.root);
    const config = await loadConfig(createDiskFileSource(root), common.config);
    if (common.projectDirs) config.projectDirs = common.projectDirs;
    const log = common.json ? io.stderr : io.stdout;
    const { value: outcome, interrupted } = await withInterrupt(log, "Interrupted: stopping dbt.", async (signal) => {
      const { dbt, secrets } = await dbtCommandContext({ common, values, root, defaultTimeoutSeconds: 600, signal });
      return rollbackDimension({
        root,
        config,
        dimension,
        dbt,
        secrets,
        progress: (line) => log.write(`${line}\n`),
        confirm: async ({ plan, statements }) => {
          log.write(`\nRollback of ${dimension} (restore ${plan.basis.kind === "restored" ? plan.basis.commit.slice(0, 12) : ""}):\n`);
          for (const s of statements) log.write(`  warehouse: ${s.sql}\n`);
          for (const m of [...plan.models].reverse()) log.write(`  file:      ${m.realFile} → ${m.skipFile}\n`);
          if (plan.stateDocument) log.write(`  file:      ${plan.stateDocument.path} back to its text before the restore\n`);
          return confirmOnTerminal(io, { yes: values.yes === true, question: "Roll back now?", what: "rollback drops relations and renames files" });
        },
      });
    });
    if (common.json) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else io.stdout.write(`\n${renderRollbackReport(outcome)}`);
    return interrupted ? 130 : EXIT[outcome.result];
  },
};
